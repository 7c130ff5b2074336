"""Raise tests/floors.json to the scores of a warehouse (floors only go up): raise_floors.py DB.

Scores tests/gold/*.json and the blind target keys corpus/gold-dev/targets/*.json, as test_evaluate does."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.evaluate import evaluate_paths, print_scores, raise_floors  # noqa: E402

if __name__ == "__main__":
    gold = sorted((ROOT / "tests" / "gold").glob("*.json")) + sorted((ROOT / "corpus" / "gold-dev" / "targets").glob("*.json"))
    results = evaluate_paths(gold, Path(sys.argv[1]))
    print_scores(results)
    raise_floors(results, ROOT / "tests" / "floors.json")
