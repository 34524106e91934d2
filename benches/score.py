"""A small scorer of response files in Python with PyYAML's C loader, as a yardstick for
`cybercap score`: the same questionnaire, the same rules (src/scoring/mod.rs), the same files.

Usage: python3 score.py QUESTIONNAIRE DIR

Prints one JSON object: "country/round" → overall score (null when nothing applies). Groups of
several responses are scored from their answers merged in file order, a later answer replacing an
earlier one; the benchmark's groups hold one response each.
"""

import json
import math
import os
import sys

import yaml

LOADER = yaml.CSafeLoader


def level_points(level):
    return max(level - 1, 0) / 4.0 * 100.0


def stage(score):
    return int(min(max(1.0 + math.floor(score / 25.0 + 1e-9), 1.0), 5.0))


class WeightedMean:
    def __init__(self):
        self.sum = 0.0
        self.weights = 0.0
        self.range = None

    def add(self, value, weight):
        self.sum += value * weight
        self.weights += weight
        if weight > 0.0:
            low, high = self.range or (value, value)
            self.range = (min(low, value), max(high, value))

    def mean(self):
        if self.range is None:
            return None
        return min(max(self.sum / self.weights, self.range[0]), self.range[1])


def load_questionnaire(path):
    with open(path, encoding="utf-8") as f:
        doc = yaml.load(f, Loader=LOADER)
    questions = {}
    pillars = []
    for pillar in doc["pillars"]:
        indicators = []
        for indicator in pillar["indicators"]:
            ids = []
            for q in indicator["questions"]:
                q["options_index"] = {str(o["id"]): i for i, o in enumerate(q.get("options", []))}
                q["weight"] = float(q.get("weight", 1))
                questions[q["id"]] = q
                ids.append(q["id"])
            indicators.append((float(indicator.get("weight", 1)), ids))
        pillars.append((float(pillar.get("weight", 1)), indicators))
    return questions, pillars


def text_of(value):
    """The text of a scalar, as cybercap reads a choice answer."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def answer_value(question, value):
    """("na" | "unknown" | "value", parsed) or None when unanswered or invalid."""
    if isinstance(value, dict):
        value = value.get("value")
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lower() in ("na", "unknown"):
        return (value.strip().lower(), None)
    kind = question["type"]
    index = question["options_index"]
    if kind == "choice":
        i = index.get(text_of(value))
        return None if i is None else ("value", i)
    if kind == "multi":
        items = value if isinstance(value, list) else [value]
        picked = set()
        for item in items:
            if text_of(item) not in index:
                return None
            picked.add(index[text_of(item)])
        return ("value", picked)
    if kind == "yesno":
        if isinstance(value, bool):
            return ("value", value)
        word = str(value).strip().lower()
        if word in ("yes", "true", "no", "false"):
            return ("value", word in ("yes", "true"))
        return None
    if kind == "number":
        try:
            n = float(value) if not isinstance(value, bool) else None
        except ValueError:
            return None
        if n is None or not math.isfinite(n):
            return None
        if n < question.get("min", -math.inf) or n > question.get("max", math.inf):
            return None
        return ("value", n)
    return ("value", value)


def points(question, parsed):
    kind = question["type"]
    status, value = parsed
    if status == "na" or kind == "text":
        return None
    if status == "unknown":
        return 0.0
    if kind == "choice":
        return level_points(question["options"][value]["level"])
    if kind == "multi":
        weights = [float(o.get("points", 1)) for o in question["options"]]
        total = sum(weights)
        if total <= 0:
            return None
        return sum(w for i, w in enumerate(weights) if i in value) / total * 100.0
    if kind == "yesno":
        return 100.0 if value else 0.0
    level = 1
    for band in question["bands"]:
        if value >= band["min"]:
            level = band["level"]
    return level_points(level)


def condition_holds(questions, applies, answers, when):
    target = when["question"]
    if not applies.get(target) or target not in answers:
        return False
    status, value = answers[target]
    if status != "value":
        return False
    wanted = [when["equals"]] if "equals" in when else when["in"]
    question = questions[target]
    for w in wanted:
        if question["type"] == "yesno":
            if (text_of(w).lower() in ("yes", "true")) == value:
                return True
        else:
            i = question["options_index"].get(text_of(w))
            if question["type"] == "choice" and i == value:
                return True
            if question["type"] == "multi" and i in value:
                return True
    return False


def score(questions, pillars, answers):
    applies = {}
    for qid, question in questions.items():
        when = question.get("when")
        applies[qid] = when is None or condition_holds(questions, applies, answers, when)
    overall = WeightedMean()
    answered_total = applicable_total = 0
    for pillar_weight, indicators in pillars:
        pillar = WeightedMean()
        for indicator_weight, ids in indicators:
            mean = WeightedMean()
            for qid in ids:
                question = questions[qid]
                if question["type"] == "text" or not applies[qid]:
                    continue
                parsed = answers.get(qid)
                if parsed is not None and parsed[0] == "na":
                    continue
                applicable_total += 1
                got = 0.0
                if parsed is not None and parsed[0] == "value":
                    answered_total += 1
                    got = points(question, parsed) or 0.0
                mean.add(got, question["weight"])
            s = mean.mean()
            if s is not None:
                pillar.add(s, indicator_weight)
        s = pillar.mean()
        if s is not None:
            overall.add(s, pillar_weight)
    s = overall.mean()
    completeness = answered_total / applicable_total if applicable_total else None
    return {
        "score": s,
        "stage": None if s is None else stage(s),
        "completeness": completeness,
    }


def main():
    questions, pillars = load_questionnaire(sys.argv[1])
    folder = sys.argv[2]
    groups = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".yaml"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            doc = yaml.load(f, Loader=LOADER)
        key = f"{doc['country']}/{doc['round']}"
        merged = groups.setdefault(key, {})
        for qid, value in (doc.get("answers") or {}).items():
            question = questions.get(qid)
            parsed = None if question is None else answer_value(question, value)
            if parsed is not None:
                merged[qid] = parsed
    scores = {key: score(questions, pillars, answers) for key, answers in sorted(groups.items())}
    json.dump({key: s["score"] for key, s in scores.items()}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
