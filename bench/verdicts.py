"""The one home of a benchmark's verdict: a figure (a median of warm runs, a ratio of medians, a peak) against
its target. Every bench calls `verdict` for each figure that has a target and prints the word it returns in
its own table; when the environment variable MUTUALIS_BENCH_VERDICTS names a file (bench/run_all.py sets it),
each verdict is also appended to that file as one JSON line, for run_all.py's summary."""

import json
import operator
import os

ENV = "MUTUALIS_BENCH_VERDICTS"
RULES = {"<": operator.lt, "≤": operator.le, "≥": operator.ge}


def verdict(
    bench: str, figure: str, value: float, unit: str, target: float, rule: str = "<", valid: bool = True
) -> str:
    """« PASS » when `value` meets `target` by `rule` (« < », « ≤ » or « ≥ ») and the run's result is `valid`
    (the optimiser's proof of optimality, say: a fast answer that is not proven fails), else « FAIL »."""
    passed = valid and RULES[rule](value, target)
    path = os.environ.get(ENV)
    if path:
        record = {
            "bench": bench,
            "figure": figure,
            "value": value,
            "unit": unit,
            "target": target,
            "rule": rule,
            "valid": valid,
            "pass": passed,
        }
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return "PASS" if passed else "FAIL"
