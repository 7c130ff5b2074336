"""Human verdicts on facts (single and bulk from the audit CSV) and what changed between runs or versions."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
from pydantic import ValidationError

from schemas.errors import PolicyExtractError
from schemas.facts import FACT_MODELS, Evidence
from warehouse.connect import OnWait, first_line, utc_now, writer
from warehouse.export import neutralised, unneutralised

VERDICTS = ("accepted", "rejected", "corrected")

KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "policy_dates": ("surface", "iso", "role", "actor"),
    "targets": ("actor", "kind", "value", "value_max", "unit", "qualifier", "baseline_year", "target_year",
                "deadline_type"),
    "policies": ("title", "actor", "year"),
    "technologies": ("name_surface", "canonical_id", "horizon", "stage", "actor", "origin"),
}
"""The fields that say what a fact means: shown in the audit, exported to CSV, matched across versions."""

CSV_KEY_COLUMNS: tuple[str, ...] = tuple(dict.fromkeys(f for fs in KEY_FIELDS.values() for f in fs))
CSV_HEAD = ("fact_id", "fact_kind", "page_no", "rule_id", "confidence", "quote")
CSV_TAIL = ("verdict", "set", "reviewer", "note")
CSV_COLUMNS = (*CSV_HEAD, *CSV_KEY_COLUMNS, *CSV_TAIL)
"""The audit CSV: one fact a row; fill `verdict` (and edit key columns or `set` a=b; c=d) to review it."""

DIFF_IGNORED = frozenset({"extractor_version"})
"""Payload fields whose change alone is not a change of the fact (every new pipeline version bumps it)."""


class UnknownFact(PolicyExtractError):
    """No fact table holds this fact_id (the CLI exits 3)."""


@dataclass(frozen=True)
class Review:
    """One verdict to write; `changes` holds raw field=value text for a correction."""

    fact_id: str
    verdict: str
    changes: dict[str, str | None] = field(default_factory=dict)
    reviewer: str | None = None
    note: str | None = None


def own_fields(kind: str) -> tuple[str, ...]:
    """The fact's own fields (not ids, not provenance): the ones a reviewer may correct."""
    return tuple(f for f in FACT_MODELS[kind].model_fields if f not in Evidence.model_fields)


def correctable_fields(con: duckdb.DuckDBPyConnection, kind: str) -> tuple[str, ...]:
    """Own fields that really are columns of the fact table in this warehouse."""
    columns = {r[0] for r in con.execute(f"DESCRIBE {kind}").fetchall()}
    return tuple(f for f in own_fields(kind) if f in columns)


def parse_sets(items: Iterable[str]) -> dict[str, str | None]:
    """`field=value` pairs; an empty value or `null` sets the field to NULL."""
    out: dict[str, str | None] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise PolicyExtractError(f"--set wants field=value, not {item!r}")
        text = value.strip()
        out[name.strip()] = None if text in ("", "null", "NULL") else text
    return out


def fact_kind_of(con: duckdb.DuckDBPyConnection, fact_id: str) -> str:
    """Which fact table holds fact_id; UnknownFact when none does."""
    for kind in FACT_MODELS:
        if con.execute(f"SELECT 1 FROM {kind} WHERE fact_id = ?", [fact_id]).fetchone():
            return kind
    raise UnknownFact(f"no fact has fact_id {fact_id!r} (see `policy-extract audit DOC --csv FILE`)")


def _fact_row(con: duckdb.DuckDBPyConnection, kind: str, fact_id: str) -> dict[str, Any]:
    cur = con.execute(f"SELECT * FROM {kind} WHERE fact_id = ?", [fact_id])
    names = [d[0] for d in cur.description or []]
    return dict(zip(names, cur.fetchone() or (), strict=False))


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def corrected_values(
    con: duckdb.DuckDBPyConnection, kind: str, fact_id: str, changes: dict[str, str | None],
) -> dict[str, Any]:
    """Validate a correction against the fact model; returns the typed fields that really change."""
    allowed = correctable_fields(con, kind)
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise PolicyExtractError(f"{kind} has no correctable field {', '.join(unknown)} "
                                 f"(fields: {', '.join(allowed)})")
    row = _fact_row(con, kind, fact_id)
    model = FACT_MODELS[kind]
    current = {k: row[k] for k in model.model_fields if k in row}
    try:
        fixed = model.model_validate({**current, **changes})
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ())) or kind
        raise PolicyExtractError(f"correction of {fact_id} refused: {where}: {err.get('msg')}") from None
    _refuse_non_finite(fact_id, fixed, changes)
    return {k: _jsonable(getattr(fixed, k)) for k in changes if getattr(fixed, k) != current.get(k)}


def _refuse_non_finite(fact_id: str, fixed: Any, changes: dict[str, str | None]) -> None:
    """1e309, inf and nan parse as floats but are no number a fact can hold (nor JSON can print)."""
    for name, text in changes.items():
        value = getattr(fixed, name)
        if isinstance(value, float) and not math.isfinite(value):
            raise PolicyExtractError(f"correction of {fact_id} refused: {name}: {text!r} is not a finite number")


def _review_row(con: duckdb.DuckDBPyConnection, review: Review) -> list[Any]:
    """The reviews row for one verdict, validated (UnknownFact or PolicyExtractError otherwise)."""
    if review.verdict not in VERDICTS:
        raise PolicyExtractError(f"verdict must be one of {', '.join(VERDICTS)}, not {review.verdict!r}")
    kind = fact_kind_of(con, review.fact_id)
    corrected = None
    if review.verdict == "corrected":
        values = corrected_values(con, kind, review.fact_id, review.changes)
        if not values:
            raise PolicyExtractError(f"verdict corrected for {review.fact_id} changes no field; "
                                     "give --set field=value")
        corrected = json.dumps(values, ensure_ascii=False)
    elif review.changes:
        raise PolicyExtractError(f"--set goes with --verdict corrected, not {review.verdict}")
    return [review.fact_id, review.verdict, corrected, review.reviewer, utc_now(), review.note]


def write_reviews(
    db_path: str | Path, reviews: Sequence[Review], *, on_wait: OnWait | None = None,
) -> list[dict[str, Any]]:
    """Validate and write every review in one transaction: all are written or none."""
    with writer(db_path, on_wait=on_wait) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            rows = [_review_row(con, r) for r in reviews]
            con.executemany("INSERT INTO reviews (fact_id, verdict, corrected, reviewer, reviewed_at, note) "
                            "VALUES (?, ?, ?, ?, ?, ?)", rows)
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise PolicyExtractError(f"writing reviews failed and was rolled back: {first_line(exc)}") from exc
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return [{"fact_id": r[0], "verdict": r[1], "corrected": r[2]} for r in rows]


def cell_text(value: Any) -> str:
    """How a value reads in the CSV: NULL empty, dates ISO, floats without a needless .0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(_jsonable(value))


def sheet_cell(value: Any) -> str:
    """A value as the review sheet shows it: text that a spreadsheet would run as a formula neutralised."""
    return neutralised(value) if isinstance(value, str) else cell_text(value)


def facts_to_csv(facts: Iterable[dict[str, Any]]) -> str:
    """The review sheet: facts as dicts (fact_kind plus their columns), verdict columns left empty."""
    out = io.StringIO()
    sheet = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS), extrasaction="ignore", lineterminator="\r\n")
    sheet.writeheader()
    for fact in facts:
        keys = KEY_FIELDS[fact["fact_kind"]]
        row = {c: sheet_cell(fact.get(c)) for c in CSV_HEAD}
        row.update({c: sheet_cell(fact.get(c)) for c in keys})
        sheet.writerow(row)
    return out.getvalue()


def _row_changes(con: duckdb.DuckDBPyConnection, row: dict[str, str], line: int) -> dict[str, str | None]:
    """A corrected CSV row's changes: its `set` cell plus key columns edited away from the stored value."""
    sets = [s for s in (row.get("set") or "").split(";") if s.strip()]
    try:
        changes = parse_sets(sets)
    except PolicyExtractError as exc:
        raise PolicyExtractError(f"line {line}: {exc}") from None
    kind = fact_kind_of(con, row["fact_id"])
    stored = _fact_row(con, kind, row["fact_id"])
    for name in KEY_FIELDS[kind]:
        cell = (row.get(name) or "").strip()
        if name not in changes and cell != sheet_cell(stored.get(name)):
            changes[name] = unneutralised(cell) or None
    return changes


def csv_to_reviews(db_path: str | Path, path: Path, *, on_wait: OnWait | None = None) -> list[Review]:
    """The reviews a filled-in audit CSV asks for (rows with an empty verdict are skipped)."""
    from warehouse.connect import reader

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyExtractError(f"cannot read {path}: {exc}") from None
    rows = list(csv.DictReader(io.StringIO(text)))
    if rows and ("fact_id" not in rows[0] or "verdict" not in rows[0]):
        raise PolicyExtractError(f"{path} is not an audit CSV (needs fact_id and verdict columns)")
    reviews: list[Review] = []
    with reader(db_path, on_wait=on_wait) as con:
        for line, row in enumerate(rows, start=2):
            verdict = (row.get("verdict") or "").strip().lower()
            if not verdict:
                continue
            fact_id = (row.get("fact_id") or "").strip()
            changes = _row_changes(con, {**row, "fact_id": fact_id}, line) if verdict == "corrected" else {}
            reviews.append(Review(fact_id, verdict, changes, (row.get("reviewer") or "").strip() or None,
                                  (row.get("note") or "").strip() or None))
    return reviews


# --- diffs between runs of a document and between versions of a document ---------------------------------

@dataclass
class FactChange:
    """One fact present on both sides whose fields differ: field -> (before, after)."""

    kind: str
    fact_id: str
    page_no: int | None
    quote: str
    fields: dict[str, tuple[Any, Any]]


@dataclass
class FactDiff:
    """What changed from one set of facts (a run, an older version) to another."""

    before: str
    after: str
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[FactChange] = field(default_factory=list)
    unchanged: int = 0


def doc_runs(con: duckdb.DuckDBPyConnection, doc_id: str) -> list[tuple[str, datetime, str]]:
    """The document's successful runs, oldest first: (run_id, loaded_at, pipeline_version)."""
    return [tuple(r) for r in con.execute(  # type: ignore[misc]
        "SELECT run_id, loaded_at, pipeline_version FROM runs WHERE doc_id = ? AND status = 'ok' "
        "ORDER BY loaded_at, started_at", [doc_id]).fetchall()]


def pick_run(runs: Sequence[tuple[str, datetime, str]], name: str) -> str:
    """A run named by its run_id or a unique prefix of it, among the document's runs."""
    hits = [r[0] for r in runs if r[0].startswith(name.strip().lower())]
    if len(hits) != 1:
        known = ", ".join(r[0][:8] for r in runs) or "none"
        what = "ambiguous" if hits else "not a run of this document"
        raise PolicyExtractError(f"run {name!r} is {what} (runs: {known})")
    return hits[0]


def run_facts(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict[str, Any]]:
    """Every fact of one run from fact_history, as its payload plus fact_id and fact_kind."""
    rows = con.execute("SELECT fact_kind, fact_id, payload FROM fact_history WHERE run_id = ? "
                       "ORDER BY fact_kind, fact_id", [run_id]).fetchall()
    return [{**json.loads(p), "fact_kind": k, "fact_id": f} for k, f, p in rows]


def _changed_fields(a: dict[str, Any], b: dict[str, Any], names: Iterable[str]) -> dict[str, tuple[Any, Any]]:
    return {n: (a.get(n), b.get(n)) for n in names if n not in DIFF_IGNORED and a.get(n) != b.get(n)}


def diff_runs(con: duckdb.DuckDBPyConnection, run_from: str, run_to: str) -> FactDiff:
    """Facts added, removed and changed between two runs, matched by fact_id."""
    before = {f["fact_id"]: f for f in run_facts(con, run_from)}
    after = {f["fact_id"]: f for f in run_facts(con, run_to)}
    out = FactDiff(run_from, run_to)
    out.added = [after[i] for i in after if i not in before]
    out.removed = [before[i] for i in before if i not in after]
    for fid in before.keys() & after.keys():
        a, b = before[fid], after[fid]
        fields = _changed_fields(a, b, sorted(set(a) | set(b)))
        if fields:
            out.changed.append(FactChange(b["fact_kind"], fid, b.get("page_no"), b.get("quote", ""), fields))
        else:
            out.unchanged += 1
    out.changed.sort(key=lambda c: (c.kind, c.page_no or 0, c.fact_id))
    return out


def older_version(con: duckdb.DuckDBPyConnection, doc_id: str) -> str | None:
    """The version this document superseded (same source), newest first."""
    row = con.execute("SELECT doc_id FROM documents WHERE superseded_by = ? ORDER BY ingested_at DESC LIMIT 1",
                      [doc_id]).fetchone()
    return row[0] if row else None


def _squash(text: Any) -> str:
    return "".join(str(text or "").split())


def _match_key(fact: dict[str, Any], with_fields: bool) -> tuple[Any, ...]:
    """Version matching: kind + quote (whitespace-free), and the key fields when with_fields."""
    kind = fact["fact_kind"]
    fields = tuple(json.dumps(fact.get(k), default=str) for k in KEY_FIELDS[kind]) if with_fields else ()
    return (kind, _squash(fact.get("quote")), *fields)


def _pair_off(left: list[dict[str, Any]], right: list[dict[str, Any]], with_fields: bool,
              ) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Pair facts with equal match keys one to one; returns (pairs, left over left, left over right)."""
    pool: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for fact in right:
        pool.setdefault(_match_key(fact, with_fields), []).append(fact)
    pairs, rest = [], []
    for fact in left:
        bucket = pool.get(_match_key(fact, with_fields))
        if bucket:
            pairs.append((fact, bucket.pop(0)))
        else:
            rest.append(fact)
    return pairs, rest, [f for bucket in pool.values() for f in bucket]


def diff_facts(before: list[dict[str, Any]], after: list[dict[str, Any]], label_a: str, label_b: str) -> FactDiff:
    """Facts of two versions (different fact_ids): same meaning is unchanged, same quote is changed."""
    out = FactDiff(label_a, label_b)
    same, rest_a, rest_b = _pair_off(before, after, with_fields=True)
    out.unchanged = len(same)
    moved, out.removed, out.added = _pair_off(rest_a, rest_b, with_fields=False)
    for a, b in moved:
        names = own_fields(b["fact_kind"])
        out.changed.append(FactChange(b["fact_kind"], b["fact_id"], b.get("page_no"), b.get("quote", ""),
                                      _changed_fields(a, b, names)))
    return out


def diff_versions(con: duckdb.DuckDBPyConnection, old_doc: str, new_doc: str) -> FactDiff:
    """Facts of the latest run of an older version against those of the newer one."""
    runs = dict(con.execute("SELECT doc_id, run_id FROM documents WHERE doc_id IN (?, ?)",
                            [old_doc, new_doc]).fetchall())
    return diff_facts(run_facts(con, runs.get(old_doc) or ""), run_facts(con, runs.get(new_doc) or ""),
                      old_doc, new_doc)
