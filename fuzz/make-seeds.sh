#!/usr/bin/env bash
# Builds fuzz/seeds/<target>/ from the repository's own files and from what cybercap itself writes
# (demo responses, templates), so that fuzzing starts from real inputs rather than from nothing.
# Run from anywhere; needs cargo and python3. Replaces fuzz/seeds/.
set -euo pipefail
cd "$(dirname "$0")/.."

seeds=fuzz/seeds
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cargo build --quiet
bin=target/debug/cybercap
builtin=eu-lac-cyber-capacity
"$bin" demo --out "$tmp/demo" >/dev/null
"$bin" template "$builtin" --format csv --out "$tmp/template.csv"
"$bin" template "$builtin" --format xlsx --out "$tmp/template.xlsx"
"$bin" template "$builtin" --format yaml --round 2025 --out "$tmp/template.yaml"
"$bin" template tests/fixtures/questionnaires/hygiene.yaml --format yaml --round 2025 \
    --out "$tmp/hygiene-template.yaml"

rm -rf "$seeds"
mkdir -p "$seeds"/{questionnaire,response,csv_rows,import_row,map,xlsx}

# questionnaire: the fixtures, and the start of the built-in one (whole, it is far over max_len).
cp tests/fixtures/questionnaires/hygiene.yaml "$seeds/questionnaire/"
cp tests/fixtures/invalid/questionnaire-errors.yaml "$seeds/questionnaire/"
head -c 16384 "questionnaires/$builtin.yaml" >"$seeds/questionnaire/builtin-head.yaml"

# response: every response fixture, a few demo responses, the templates.
for f in tests/fixtures/hygiene/*.yaml tests/fixtures/hygiene-conflict/*.yaml \
    tests/fixtures/hostile/*.yaml tests/fixtures/invalid/response-*.yaml \
    tests/fixtures/readme-response.yaml tests/fixtures/pyyaml/*.yaml; do
    cp "$f" "$seeds/response/$(basename "$(dirname "$f")")-$(basename "$f")"
done
find "$tmp/demo/responses" -name '*.yaml' | sort | head -n 6 | while read -r f; do
    cp "$f" "$seeds/response/demo-$(basename "$f")"
done
cp "$tmp/hygiene-template.yaml" "$seeds/response/"
head -c 16384 "$tmp/template.yaml" >"$seeds/response/builtin-template-head.yaml"

# import_row and xlsx: rows in the import layout for the built-in questionnaire, made from the
# demo responses (plain layout: one `id: value` line per answer).
python3 - "$tmp" "$seeds" <<'EOF'
import csv, io, os, re, sys, zipfile
from xml.sax.saxutils import escape

tmp, seeds = sys.argv[1], sys.argv[2]
header = next(csv.reader(open(os.path.join(tmp, "template.csv"), encoding="utf-8-sig")))
demo = os.path.join(tmp, "demo", "responses")
rows = []
for name in sorted(os.listdir(demo))[:4]:
    fields, answers, block = {}, {}, None
    for line in open(os.path.join(demo, name), encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r"^(\s*)([\w.-]+):\s*(.*)$", line)
        if not m or line.lstrip().startswith("#"):
            continue
        indent, key, value = len(m.group(1)), m.group(2), m.group(3).strip()
        if indent == 0:
            block = key
            fields[key] = value
        elif block == "respondent":
            fields["respondent_" + key] = value
        elif block == "answers" and indent == 2:
            answers[key] = value
        elif block == "answers" and key == "value":
            answers[list(answers)[-1]] = value
    def cell(value):
        value = value.strip('"')
        if value.startswith("[") and value.endswith("]"):
            value = ";".join(v.strip().strip('"') for v in value[1:-1].split(","))
        return value
    row = []
    for column in header:
        if column in answers:
            row.append(cell(answers[column]))
        else:
            row.append(cell(fields.get(column, "")))
    rows.append(row)

def write_csv(path, rows, delimiter=","):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    open(path, "w", encoding="utf-8").write(out.getvalue())

write_csv(os.path.join(seeds, "import_row", "demo-rows.csv"), [header] + rows)
write_csv(os.path.join(seeds, "import_row", "demo-row-semicolon.csv"), [header, rows[0]], ";")
short = [h for h in header if h in ("country", "round", "submitted")] + header[5:12]
write_csv(os.path.join(seeds, "import_row", "demo-short.csv"),
          [short] + [[r[header.index(c)] for c in short] for r in rows])

# A sheet in the CSV layout, the other kind of XLSX import: a minimal workbook of inline strings.
def column(i):
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name

def sheet_xml(table):
    out = ['<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, cells in enumerate(table):
        out.append(f'<row r="{r + 1}">')
        for c, value in enumerate(cells):
            if value:
                out.append(f'<c r="{column(c)}{r + 1}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
        out.append("</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out)

parts = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="rows" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    "xl/worksheets/sheet1.xml": sheet_xml([short] + [[r[header.index(c)] for c in short] for r in rows]),
}
# Stored, not deflated: the fuzzer then mutates the XML itself, not compressed bytes.
with zipfile.ZipFile(os.path.join(seeds, "xlsx", "sheet-rows.xlsx"), "w", zipfile.ZIP_STORED) as z:
    for name, text in parts.items():
        z.writestr(name, text)
EOF

# csv_rows: every CSV at hand, behind the two bytes that pick delimiter and buffer size.
n=0
for f in tests/fixtures/import/*.csv tests/fixtures/kobo/export.csv \
    tests/fixtures/limesurvey/results.csv "$seeds/import_row/demo-short.csv"; do
    n=$((n + 1))
    printf '\000\000' | cat - "$f" >"$seeds/csv_rows/$n-comma-chunk1.csv"
    printf '\000\377' | cat - "$f" >"$seeds/csv_rows/$n-comma-chunk256.csv"
    printf '\001\007' | cat - "$f" >"$seeds/csv_rows/$n-semicolon-chunk8.csv"
done
cp tests/fixtures/import/*.csv "$seeds/import_row/"

# map: a map, a NUL byte, then the export it was written for.
{ cat maps/kobotoolbox.yaml; printf '\000'; cat tests/fixtures/kobo/export.csv; } \
    >"$seeds/map/kobotoolbox.bin"
{ cat maps/limesurvey.yaml; printf '\000'; cat tests/fixtures/limesurvey/results.csv; } \
    >"$seeds/map/limesurvey.bin"
{ printf 'separator: ";"\nstrip_groups: false\n'; printf '\000'; \
    cat tests/fixtures/import/semicolon-bom.csv; } >"$seeds/map/separator.bin"

cp "$tmp/template.xlsx" "$seeds/xlsx/form.xlsx"

du -sh "$seeds"
