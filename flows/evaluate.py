"""Evaluate the warehouse against gold files: precision, recall and F1 per fact kind, scores per field."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from flows.settings import db_path
from schemas.errors import PolicyExtractError

out = Console(soft_wrap=True)

# The fields a gold fact is scored on, per fact table. A match needs the same page and overlapping quotes
# (policies: the same title; technologies: the same name); the fact is correct when every key field agrees.
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "policy_dates": ("iso", "role"),
    "policies": ("actor", "year"),
    "targets": ("actor", "kind", "value", "value_max", "unit", "target_year", "baseline_year", "qualifier"),
    "technologies": ("canonical_id", "actor", "origin", "horizon", "stage", "group_name"),
}
MATCH_BY_NAME = {"policies": "title", "technologies": "name_surface"}


@dataclass
class Score:
    kind: str
    n_gold: int = 0
    n_found: int = 0
    correct: int = 0
    matched: int = 0
    fields: dict[str, list[int]] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.correct / self.n_found if self.n_found else (1.0 if not self.n_gold else 0.0)

    @property
    def recall(self) -> float:
        return self.correct / self.n_gold if self.n_gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def norm(text: Any) -> str:
    """Compare quotes and names without whitespace, markers or case."""
    return re.sub(r"[\s《》“”\"'·]+", "", str(text or "")).lower()


def same_value(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(a)))
    if a is None or b is None:
        return a is None and b is None
    return norm(a) == norm(b)


def overlaps(kind: str, gold: dict, found: dict) -> bool:
    """Gold and found fact point at the same statement."""
    if gold.get("page_no") is not None and gold["page_no"] != found.get("page_no"):
        return False
    key = MATCH_BY_NAME.get(kind)
    if key and gold.get(key):
        return norm(gold[key]) == norm(found.get(key))
    g, f = norm(gold.get("quote")), norm(found.get("quote"))
    return bool(g and f) and (g in f or f in g)


def score_kind(kind: str, gold: list[dict], found: list[dict]) -> Score:
    """Greedy one-to-one matching, preferring the candidate that agrees on the most key fields."""
    keys = KEY_FIELDS.get(kind, ())
    s = Score(kind, n_gold=len(gold), n_found=len(found))
    used: set[int] = set()
    for g in gold:
        best, best_agree = None, -1
        for i, f in enumerate(found):
            if i in used or not overlaps(kind, g, f):
                continue
            agree = sum(same_value(g[k], f.get(k)) for k in keys if k in g)
            if agree > best_agree:
                best, best_agree = i, agree
        if best is None:
            continue
        used.add(best)
        s.matched += 1
        checked = [k for k in keys if k in g]
        for k in checked:
            s.fields.setdefault(k, [0, 0])
            s.fields[k][1] += 1
            s.fields[k][0] += same_value(g[k], found[best].get(k))
        if best_agree == len(checked):
            s.correct += 1
    return s


def found_facts(con, kind: str, doc_id: str, pages: list[int] | None) -> list[dict]:
    """The warehouse's facts of one kind for one document (within the gold file's pages, if it says)."""
    cur = con.execute(f"SELECT * FROM {kind} WHERE doc_id = ?", [doc_id])  # noqa: S608 - kind is ours
    cols = [d[0] for d in cur.description]
    rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    for r in rows:
        for k, v in r.items():
            if hasattr(v, "isoformat"):
                r[k] = v.isoformat()
    return [r for r in rows if pages is None or r.get("page_no") in pages]


def evaluate_gold(con, gold: dict) -> list[Score]:
    doc_id = gold["doc_id"]
    pages = gold.get("pages")
    scores = []
    for kind, facts in gold.get("facts", {}).items():
        if kind not in KEY_FIELDS:
            raise PolicyExtractError(f"gold fact kind {kind!r} is not one of {sorted(KEY_FIELDS)}")
        scores.append(score_kind(kind, facts, found_facts(con, kind, doc_id, pages)))
    if "tables" in gold:
        scores.append(score_tables(con, doc_id, gold["tables"]))
    return scores


def score_tables(con, doc_id: str, gold_tables: list[dict]) -> Score:
    """Cell level: a gold cell is found when a table on its page has a cell at (row, col) with its text."""
    found: dict[tuple, str] = {}
    rows = con.execute("SELECT t.page_no, t.label, c.row_no, c.col_no, c.text FROM doc_tables t "
                       "JOIN table_cells c USING (doc_id, table_id) WHERE t.doc_id = ?", [doc_id]).fetchall()
    for page_no, label, r, c, text in rows:
        found[(page_no, norm(label), r, c)] = norm(text)
    s = Score("table_cells", n_found=len(found))
    for t in gold_tables:
        for r, c, text in t["cells"]:
            s.n_gold += 1
            if found.get((t["page_no"], norm(t.get("label")), r, c)) == norm(text):
                s.correct += 1
    return s


def load_gold(path: Path) -> dict:
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise PolicyExtractError(f"{path}: cannot read gold file ({e})") from None
    if not isinstance(gold, dict) or "doc_id" not in gold:
        raise PolicyExtractError(f"{path}: a gold file is an object with doc_id and facts (see README)")
    return gold


def evaluate_files(paths: list[Path], db: Path | None, doc: str | None, floors: Path | None) -> list[str]:
    """Print the scores; return the floors that were missed (empty when all are met)."""
    from flows.resolve import resolve_doc
    from warehouse.connect import reader

    golds = [(p, load_gold(p)) for p in paths]
    results: list[tuple[Path, list[Score]]] = []
    with reader(db_path(db)) as con:
        only = resolve_doc(con, doc) if doc else None
        for p, gold in golds:
            if only and gold["doc_id"] != only:
                continue
            results.append((p, evaluate_gold(con, gold)))
    print_scores(results)
    return missed_floors(results, floors)


def print_scores(results: list[tuple[Path, list[Score]]]) -> None:
    t = Table("gold", "kind", "gold", "found", "correct", "precision", "recall", "F1", title="evaluation")
    fields = Table("gold", "kind", "field", "agree", "of matched", "accuracy", title="per field")
    for path, scores in results:
        for s in scores:
            t.add_row(path.name, s.kind, str(s.n_gold), str(s.n_found), str(s.correct),
                      f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}")
            for k, (ok, n) in s.fields.items():
                fields.add_row(path.name, s.kind, k, str(ok), str(n), f"{ok / n:.3f}" if n else "-")
    out.print(t)
    if fields.row_count:
        out.print(fields)


def missed_floors(results: list[tuple[Path, list[Score]]], floors: Path | None) -> list[str]:
    """Floors file: {"<gold file name>": {"<kind>": {"precision": x, "recall": y}}}."""
    if floors is None:
        return []
    spec = json.loads(floors.read_text(encoding="utf-8"))
    missed = []
    for path, scores in results:
        for s in scores:
            for metric, floor in spec.get(path.name, {}).get(s.kind, {}).items():
                value = getattr(s, metric)
                if value + 1e-9 < floor:
                    missed.append(f"{path.name} {s.kind} {metric} {value:.3f} < floor {floor:.3f}")
    for m in missed:
        out.print(f"[red]below floor[/red]: {m}")
    return missed
