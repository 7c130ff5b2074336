"""Evaluate the warehouse against gold files: precision, recall and F1 per fact kind, scores per field."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Column, Table
from rich.text import Text

from flows.report import shown
from flows.settings import db_path
from schemas.errors import PolicyExtractError

out = Console(width=160)

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
    found_correct: int | None = None
    """Found facts that are right (when recall counts only part of the gold, e.g. core targets)."""

    @property
    def precision(self) -> float:
        right = self.correct if self.found_correct is None else self.found_correct
        return right / self.n_found if self.n_found else (1.0 if not self.n_gold else 0.0)

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


def match_facts(kind: str, gold: list[dict], found: list[dict],
                keys: tuple[str, ...]) -> list[tuple[dict, dict | None]]:
    """Greedy one-to-one matching in gold order, preferring the candidate that agrees on the most keys."""
    pairs: list[tuple[dict, dict | None]] = []
    used: set[int] = set()
    for g in gold:
        best, best_agree = None, -1
        for i, f in enumerate(found):
            if i in used or not overlaps(kind, g, f):
                continue
            agree = sum(same_value(g[k], f.get(k)) for k in keys if k in g)
            if agree > best_agree:
                best, best_agree = i, agree
        if best is not None:
            used.add(best)
        pairs.append((g, None if best is None else found[best]))
    return pairs


def agrees(gold: dict, found: dict, keys: tuple[str, ...]) -> bool:
    return all(same_value(gold[k], found.get(k)) for k in keys if k in gold)


def count_fields(s: Score, pairs: list[tuple[dict, dict | None]], keys: tuple[str, ...]) -> None:
    """Per-field agreement over the matched pairs."""
    for g, f in pairs:
        if f is None:
            continue
        for k in (k for k in keys if k in g):
            s.fields.setdefault(k, [0, 0])
            s.fields[k][1] += 1
            s.fields[k][0] += same_value(g[k], f.get(k))


def score_kind(kind: str, gold: list[dict], found: list[dict]) -> Score:
    """Every gold fact counts; a match is correct when every key field agrees."""
    keys = KEY_FIELDS.get(kind, ())
    pairs = match_facts(kind, gold, found, keys)
    s = Score(kind, n_gold=len(gold), n_found=len(found))
    s.matched = sum(f is not None for _, f in pairs)
    s.correct = sum(f is not None and agrees(g, f, keys) for g, f in pairs)
    count_fields(s, pairs, keys)
    return s


# The blind target keys (docs/evaluation.md, "Target keys"): recall counts core (quantified) targets only;
# a found target is right when it matches any keyed target, core or not, on these fields.
KEY_STRICT = ("actor", "target_year", "value")
KEY_NO_ACTOR = ("target_year", "value")
KEY_REPORTED = ("actor", "kind", "value", "value_max", "unit", "qualifier", "baseline_year", "start_year",
                "target_year", "deadline_type")


def score_target_key(gold: dict, found: list[dict]) -> list[Score]:
    """targets (actor, year and value exact), targets_no_actor, and non_targets kept out of the targets."""
    keyed = sorted(gold["facts"]["targets"], key=lambda t: not t["core"])
    scores = []
    for name, keys in (("targets", KEY_STRICT), ("targets_no_actor", KEY_NO_ACTOR)):
        pairs = match_facts("targets", keyed, found, keys)
        right = [(g, f) for g, f in pairs if f is not None and agrees(g, f, keys)]
        s = Score(name, n_gold=sum(t["core"] for t in keyed), n_found=len(found),
                  correct=sum(g["core"] for g, _ in right), found_correct=len(right),
                  matched=sum(f is not None for _, f in pairs))
        count_fields(s, pairs, KEY_REPORTED if name == "targets" else ())
        scores.append(s)
    scores.append(score_non_targets(gold.get("non_targets", []), found))
    return scores


def score_non_targets(non_targets: list[dict], found: list[dict]) -> Score:
    """precision = recall = the share of keyed non-targets that no found target points at."""
    hit = sum(any(overlaps("targets", n, f) for f in found) for n in non_targets)
    return Score("non_targets", n_gold=len(non_targets), n_found=len(non_targets), correct=len(non_targets) - hit)


def found_facts(con, kind: str, doc_id: str, pages: list[int] | None,
                prefixes: list[str] | None = None, only: dict[str, list] | None = None) -> list[dict]:
    """The warehouse's facts of one kind for one document, within the gold file's pages and rule scope."""
    cur = con.execute(f"SELECT * FROM {kind} WHERE doc_id = ?", [doc_id])  # noqa: S608 - kind is ours
    cols = [d[0] for d in cur.description]
    rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    for r in rows:
        for k, v in r.items():
            if hasattr(v, "isoformat"):
                r[k] = v.isoformat()
    return [r for r in rows if (pages is None or r.get("page_no") in pages)
            and (not prefixes or any(str(r.get("rule_id")).startswith(p) for p in prefixes))
            and all(r.get(k) in allowed for k, allowed in (only or {}).items())]


def evaluate_gold(con, gold: dict) -> list[Score]:
    doc_id = gold["doc_id"]
    if gold.get("format") == "target_key":
        return score_target_key(gold, found_facts(con, "targets", doc_id, None))
    pages = gold.get("pages") or gold.get("scope_pages")
    prefixes = gold.get("rule_id_prefixes")
    scores = []
    for kind, facts in gold.get("facts", {}).items():
        if kind not in KEY_FIELDS:
            raise PolicyExtractError(f"gold fact kind {kind!r} is not one of {sorted(KEY_FIELDS)}")
        found = found_facts(con, kind, doc_id, pages, prefixes, gold.get("only"))
        scores.append(score_kind(kind, facts, found))
    if "tables" in gold:
        scores.append(score_tables(con, doc_id, gold["tables"]))
    return scores


def score_tables(con, doc_id: str, gold_tables: list[dict]) -> Score:
    """Cell level (extractors.tables.evaluate_cells): a cell matches when row, col and text agree."""
    from extractors.tables import evaluate_cells

    found: dict[str, dict] = {}
    rows = con.execute("SELECT t.table_id, t.page_no, t.label, c.row_no, c.col_no, c.text FROM doc_tables t "
                       "JOIN table_cells c USING (doc_id, table_id) WHERE t.doc_id = ? "
                       "ORDER BY t.table_id, c.row_no, c.col_no", [doc_id]).fetchall()
    for table_id, page_no, label, r, c, text in rows:
        found.setdefault(table_id, {"label": label, "page_no": page_no, "cells": []})["cells"].append([r, c, text])
    report = evaluate_cells({doc_id: gold_tables}, {doc_id: list(found.values())})[doc_id]
    return Score("table_cells", n_gold=report["n_gold"], n_found=report["n_found"], correct=report["tp"])


def load_gold(path: Path) -> dict:
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise PolicyExtractError(f"{path}: cannot read gold file ({e})") from None
    if isinstance(gold, dict) and isinstance(gold.get("source"), dict) and "targets" in gold:
        return target_key_to_gold(gold, path)
    if isinstance(gold, dict) and "doc_id" not in gold and len(gold) == 1:
        (doc_id, tables), = gold.items()  # the tables form: {doc_id: [table, ...]}
        gold = {"doc_id": doc_id, "tables": tables}
    if not isinstance(gold, dict) or not gold.get("doc_id"):
        raise PolicyExtractError(f"{path}: a gold file is an object with doc_id and facts (see README)")
    return gold


def target_key_to_gold(key: dict, path: Path) -> dict:
    """A blind target key (source.sha256, targets, non_targets; GUIDE.md) in the evaluator's shape."""
    try:
        targets = [{**{k: t[k] for k in KEY_REPORTED}, "core": bool(t["core"]), "page_no": t["page"],
                    "quote": t["quote"]} for t in key["targets"]]
        non_targets = [{"page_no": n["page"], "quote": n["quote"]} for n in key.get("non_targets", [])]
        doc_id = key["source"]["sha256"]
    except (KeyError, TypeError) as e:
        raise PolicyExtractError(f"{path}: target key without field {e} (see docs/evaluation.md)") from None
    return {"doc_id": doc_id, "file_name": key["source"].get("file"), "format": "target_key",
            "facts": {"targets": targets}, "non_targets": non_targets}


def evaluate_paths(paths: list[Path], db: Path | None, doc: str | None = None) -> list[tuple[Path, list[Score]]]:
    """Scores of each gold file (only those of one document when `doc` names it)."""
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
    return results


def evaluate_files(paths: list[Path], db: Path | None, doc: str | None, floors: Path | None) -> list[str]:
    """Print the scores; return the floors that were missed (empty when all are met)."""
    results = evaluate_paths(paths, db, doc)
    print_scores(results)
    return missed_floors(results, floors)


def raise_floors(results: list[tuple[Path, list[Score]]], floors: Path) -> dict:
    """Floors only go up: each becomes max(old floor, measured score rounded down to 0.01)."""
    spec = json.loads(floors.read_text(encoding="utf-8")) if floors.is_file() else {}
    for path, scores in results:
        entry = spec.setdefault(path.name, {})
        for s in scores:
            kind = entry.setdefault(s.kind, {})
            for metric in ("precision", "recall"):
                measured = int(getattr(s, metric) * 100 + 1e-9) / 100
                kind[metric] = max(kind.get(metric, 0.0), measured)
    floors.write_text(json.dumps(spec, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return spec


def pooled(results: list[tuple[Path, list[Score]]]) -> list[Score]:
    """Counts summed over every gold file, per kind (micro-averaged precision and recall)."""
    by_kind: dict[str, Score] = {}
    for _, scores in results:
        for s in scores:
            p = by_kind.setdefault(s.kind, Score(s.kind, found_correct=0))
            p.n_gold, p.n_found = p.n_gold + s.n_gold, p.n_found + s.n_found
            p.correct, p.matched = p.correct + s.correct, p.matched + s.matched
            p.found_correct = (p.found_correct or 0) + (s.correct if s.found_correct is None else s.found_correct)
            for k, (ok, n) in s.fields.items():
                agree = p.fields.setdefault(k, [0, 0])
                agree[0], agree[1] = agree[0] + ok, agree[1] + n
    return list(by_kind.values())


def print_scores(results: list[tuple[Path, list[Score]]]) -> None:
    t = Table(Column("gold", no_wrap=True), "kind", "gold", "found", "correct", "precision", "recall", "F1", title="evaluation")
    fields = Table(Column("gold", no_wrap=True), "kind", "field", "agree", "of matched", "accuracy", title="per field")
    rows = [(path.name, scores) for path, scores in results]
    if len(results) > 1:
        rows.append(("pooled", pooled(results)))
    for name, scores in rows:
        for s in scores:
            t.add_row(shown(name), s.kind, str(s.n_gold), str(s.n_found), str(s.correct),
                      f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}")
            for k, (ok, n) in s.fields.items():
                fields.add_row(shown(name), s.kind, k, str(ok), str(n), f"{ok / n:.3f}" if n else "-")
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
        out.print(Text.assemble(("below floor", "red"), ": ", shown(m, one_line=True)))
    return missed
