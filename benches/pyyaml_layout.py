"""Rewrites response files in the layout of PyYAML's `safe_dump`, as other tools write them.

Usage: python3 pyyaml_layout.py FROM_DIR TO_DIR

Each `*.yaml` of FROM_DIR is read with `yaml.safe_load` and written to TO_DIR with
`yaml.safe_dump(doc, allow_unicode=True)`: keys sorted (so `answers:` comes first), single-quoted
scalars, indentless block sequences, long texts folded at 80 columns.
"""

import os
import sys

import yaml


def main():
    source, target = sys.argv[1], sys.argv[2]
    os.makedirs(target, exist_ok=True)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    for name in sorted(os.listdir(source)):
        if not name.endswith(".yaml"):
            continue
        with open(os.path.join(source, name), encoding="utf-8") as f:
            doc = yaml.load(f, Loader=loader)
        with open(os.path.join(target, name), "w", encoding="utf-8") as f:
            yaml.dump(doc, f, Dumper=dumper, allow_unicode=True)


if __name__ == "__main__":
    main()
