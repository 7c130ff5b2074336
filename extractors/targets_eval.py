"""Score found targets against a gold file: same page, overlapping quote, then field by field.

    .venv/bin/python -m extractors.targets_eval tests/gold/targets_*.json
"""

from __future__ import annotations

import difflib
import json
import math
import re
import sys
from pathlib import Path
from typing import Any

RAW = Path(__file__).resolve().parents[1] / "raw"


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


def quotes_overlap(a: str, b: str) -> bool:
    """Two quotes overlap when they share a run of at least half the shorter one (whitespace ignored)."""
    a, b = _squash(a), _squash(b)
    if not a or not b:
        return False
    m = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size >= max(2, min(len(a), len(b)) // 2)


def field_agrees(gold: Any, found: Any) -> bool:
    if isinstance(gold, (int, float)) and isinstance(found, (int, float)):
        return math.isclose(float(gold), float(found), rel_tol=1e-3, abs_tol=1e-9)
    return gold == found


def gold_span(page_text: str, quote: str) -> tuple[int, int] | None:
    """Offsets of a gold quote in the page text, ignoring whitespace and citation markers."""
    chars = [re.escape(c) for c in quote if not c.isspace()]
    if not chars:
        return None
    gap = r"(?:\s|\[\d+(?:[,，–-]\d+)*\]|[①-⑳])*"
    m = re.search(gap.join(chars), page_text)
    return (m.start(), m.end()) if m else None


def _overlaps(g: dict[str, Any], f: dict[str, Any], pages: dict[int, str] | None) -> bool:
    """Same page and overlapping quote: by offsets when the page text is known, else by the words."""
    if g["page_no"] is not None and g["page_no"] != f["page_no"]:
        return False
    span = gold_span(pages[f["page_no"]], g["quote"]) if pages and f["page_no"] in pages else None
    if span is not None:
        return span[0] < f["char_end"] and f["char_start"] < span[1]
    return quotes_overlap(g["quote"], f["quote"])


def evaluate(found: list[dict[str, Any]], gold: dict[str, Any], fields: tuple[str, ...],
             pages: dict[int, str] | None = None) -> dict[str, Any]:
    """Precision, recall and per-field agreement of `found` target payloads against one gold file."""
    golds = gold["facts"]["targets"]
    scope = set(gold.get("scope_pages") or [])
    cands = [f for f in found if not scope or f["page_no"] in scope]
    pairs = []
    for gi, g in enumerate(golds):
        for fi, f in enumerate(cands):
            if _overlaps(g, f, pages):
                score = sum(field_agrees(g.get(k), f.get(k)) for k in fields if k in g)
                pairs.append((-score, gi, fi))
    used_g, used_f, matched = set(), set(), []
    for _, gi, fi in sorted(pairs):
        if gi not in used_g and fi not in used_f:
            used_g.add(gi)
            used_f.add(fi)
            matched.append((golds[gi], cands[fi]))
    per_field = {k: sum(field_agrees(g.get(k), f.get(k)) for g, f in matched) / len(matched) if matched else 0.0
                 for k in fields}
    return {"n_gold": len(golds), "n_found": len(cands), "tp": len(matched),
            "precision": len(matched) / len(cands) if cands else 0.0,
            "recall": len(matched) / len(golds) if golds else 0.0, "fields": per_field,
            "missed": [g["quote"] for i, g in enumerate(golds) if i not in used_g],
            "extra": [f["quote"] for i, f in enumerate(cands) if i not in used_f]}


def _payloads_of(path: Path) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """Run the pipeline on one PDF: target payloads and the text of each page."""
    import hashlib

    from extractors.pipeline import pdf_to_package

    pkg = pdf_to_package(path, hashlib.sha256(path.read_bytes()).hexdigest(), path.name)
    pages = {p.page_no: p.text for p in pkg.document.pages}
    return [c.payload for c in pkg.candidates if c.kind == "targets"], pages


def main(argv: list[str]) -> int:
    from extractors.targets import KEY_FIELDS
    from flows.corpus import find

    for name in argv:
        gold = json.loads(Path(name).read_text(encoding="utf-8"))
        in_raw = RAW / gold["file_name"]
        pdf = find(gold["file_name"]) or (in_raw if in_raw.is_file() else None)
        if pdf is None:
            print(f"{name}: {gold['file_name']} not found, skipped")
            continue
        payloads, pages = _payloads_of(pdf)
        r = evaluate(payloads, gold, KEY_FIELDS, pages)
        print(f"{Path(name).name}: gold {r['n_gold']} found {r['n_found']} tp {r['tp']} "
              f"P {r['precision']:.2f} R {r['recall']:.2f}")
        print("   fields: " + ", ".join(f"{k} {v:.2f}" for k, v in r["fields"].items()))
        for q in r["missed"]:
            print("   missed:", q)
        for q in r["extra"]:
            print("   extra: ", q)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
