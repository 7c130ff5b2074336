"""Score the target extractor on blind target keys in-process (no Prefect, no DuckDB): a developer's loop.

    .venv/bin/python scripts/eval_target_keys.py KEY.json ... [--pdfs DIR ...] [--errors N]

Each key names its PDF (source.file, source.sha256); the PDF is looked for in the --pdfs folders. The
scores come from flows.evaluate (the matcher `policy-extract evaluate` uses on a warehouse), so the two
give the same numbers for the same extraction. --errors N prints up to N misses and false targets per key.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors.pipeline import pdf_to_package  # noqa: E402
from flows.evaluate import (  # noqa: E402
    KEY_STRICT,
    agrees,
    load_gold,
    match_facts,
    print_scores,
    score_target_key,
)
from flows.validate import package_to_facts  # noqa: E402


def found_targets(pdf: Path, doc_id: str) -> list[dict]:
    """The validated targets of one PDF as the warehouse would hold them."""
    facts, _ = package_to_facts(pdf_to_package(pdf, doc_id, pdf.name))
    return [f.model_dump(mode="json") for f in facts if f.KIND == "targets"]


def find_pdf(name: str, folders: list[Path]) -> Path:
    for folder in folders:
        if (folder / name).is_file():
            return folder / name
    raise SystemExit(f"{name}: not found in {', '.join(map(str, folders))}")


def print_errors(gold: dict, found: list[dict], n: int) -> None:
    keyed = sorted(gold["facts"]["targets"], key=lambda t: not t["core"])
    pairs = match_facts("targets", keyed, found, KEY_STRICT)
    used = {id(f) for _, f in pairs if f is not None}
    shown = 0
    for g, f in pairs:
        if g["core"] and (f is None or not agrees(g, f, KEY_STRICT)) and shown < n:
            got = "MISSED" if f is None else f"got actor={f['actor']} year={f['target_year']} value={f['value']}"
            print(f"  p{g['page_no']} {g['quote'][:40]} | want actor={g['actor']} year={g['target_year']} "
                  f"value={g['value']} | {got}")
            shown += 1
    for f in found:
        if id(f) not in used and shown < 2 * n:
            print(f"  FALSE p{f['page_no']} {f['quote'][:50]!r} year={f['target_year']} value={f['value']} "
                  f"rule={f.get('rule_id')}")
            shown += 1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("keys", nargs="+", type=Path)
    ap.add_argument("--pdfs", action="append", type=Path, default=[])
    ap.add_argument("--errors", type=int, default=0)
    args = ap.parse_args()
    results = []
    for path in args.keys:
        gold = load_gold(path)
        found = found_targets(find_pdf(gold["file_name"], args.pdfs), gold["doc_id"])
        results.append((path, score_target_key(gold, found)))
        if args.errors:
            print(path.name)
            print_errors(gold, found, args.errors)
    print_scores(results)


if __name__ == "__main__":
    main()
