"""The `audit`, `review` and `diff` commands (registered on flows.cli.app when this module is imported)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from flows.cli import DbOpt, _waiting, app
from flows.resolve import NotFound
from schemas.errors import PolicyExtractError


@app.command()
def audit(
    doc: Annotated[str, typer.Argument(help="doc_id prefix (8+ hex), file name or path")],
    out: Annotated[Path | None, typer.Option(help="HTML file (default reports/<doc_id[:12]>.html)")] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="also export the facts as a review sheet")] = None,
    dpi: Annotated[int, typer.Option(help="page image resolution")] = 80,
    timeout: Annotated[float, typer.Option(help="seconds for drawing the page images")] = 300.0,
    memory_mb: Annotated[int, typer.Option(help="memory cap of the page-drawing process, MB")] = 2048,
    db: DbOpt = None,
) -> None:
    """Write one self-contained HTML report: facts with their boxes on the page images, tables, rejections."""
    from flows.audit import audit_document
    from flows.out_paths import no_new_folders_on_error
    from flows.settings import Limits, db_path

    _check_audit_outputs(out, csv)
    with no_new_folders_on_error(*(p.parent for p in (out, csv) if p is not None)):
        res = audit_document(db_path(db), doc, out, csv, dpi, on_wait=_waiting,
                             limits=Limits(timeout_s=timeout, memory_mb=memory_mb))
    typer.echo(f"{res.html}  ({res.n_facts} facts, {res.n_pages} pages, {res.size_bytes / 1e6:.1f} MB)")
    if res.csv is not None:
        typer.echo(f"{res.csv}  (fill in `verdict`, then `policy-extract review --csv {res.csv}`)")


def _check_audit_outputs(out: Path | None, csv: Path | None) -> None:
    """--out and --csv must be writable file paths, and two different files."""
    from flows.out_paths import check_output, same_file

    for option, path in (("--out", out), ("--csv", csv)):
        if path is not None:
            check_output(path, option)
    if out is not None and csv is not None and same_file(out, csv):
        raise PolicyExtractError(f"--out and --csv both name {csv}: the review sheet would overwrite the report")


@app.command()
def review(
    fact_id: Annotated[str | None, typer.Argument(help="the fact's fact_id")] = None,
    verdict: Annotated[str | None, typer.Option(help="accepted, rejected or corrected")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="field=value (with --verdict corrected)")] = None,
    reviewer: Annotated[str | None, typer.Option(help="who decided")] = None,
    note: Annotated[str | None, typer.Option(help="why")] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="review many from an `audit --csv` sheet")] = None,
    db: DbOpt = None,
) -> None:
    """Record a verdict on a fact (or on many from a CSV); the *_reviewed views apply them."""
    from flows.settings import db_path
    from warehouse.reviews import Review, UnknownFact, csv_to_reviews, parse_sets, write_reviews

    path = db_path(db)
    try:
        if csv is not None:
            if fact_id or verdict or set_:
                raise PolicyExtractError("give either --csv FILE or FACT_ID --verdict ..., not both")
            items = csv_to_reviews(path, csv, on_wait=_waiting)
        else:
            if not fact_id or not verdict:
                raise PolicyExtractError("give FACT_ID and --verdict accepted|rejected|corrected (or --csv FILE)")
            items = [Review(fact_id.strip(), verdict.strip().lower(), parse_sets(set_ or []), reviewer, note)]
        written = write_reviews(path, items, on_wait=_waiting)
    except UnknownFact as exc:
        raise NotFound(str(exc)) from None
    for w in written:
        typer.echo(f"{w['fact_id']}  {w['verdict']}" + (f"  {w['corrected']}" if w["corrected"] else ""))
    if csv is not None:
        typer.echo(f"{len(written)} review(s) written from {csv}")


def _short(value: Any) -> str:
    """A quote or field value on one diff line: control characters escaped, cut at 60 characters."""
    from flows.terminal import escape_controls

    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else value
    text = escape_controls(text, one_line=True)
    return text if len(text) <= 60 else text[:59] + "…"


def _fact_line(sign: str, f: dict[str, Any]) -> str:
    return f"{sign} {f['fact_kind']:<13} p{f.get('page_no')}  {f['fact_id'][:12]}  {_short(f.get('quote', ''))}"


def print_diff(d: Any, as_json: bool) -> None:
    """The diff as readable lines, or as JSON."""
    if as_json:
        typer.echo(json.dumps({"from": d.before, "to": d.after, "added": d.added, "removed": d.removed,
                               "changed": [c.__dict__ for c in d.changed], "unchanged": d.unchanged},
                              ensure_ascii=False, default=str))
        return
    typer.echo(f"{d.before[:12]} -> {d.after[:12]}: {len(d.added)} added, {len(d.removed)} removed, "
               f"{len(d.changed)} changed, {d.unchanged} unchanged")
    for f in d.added:
        typer.echo(_fact_line("+", f))
    for f in d.removed:
        typer.echo(_fact_line("-", f))
    for c in d.changed:
        typer.echo(f"~ {c.kind:<13} p{c.page_no}  {c.fact_id[:12]}  {_short(c.quote)}")
        for name, (a, b) in c.fields.items():
            typer.echo(f"    {name}: {_short(a)} -> {_short(b)}")


@app.command()
def diff(
    doc: Annotated[str, typer.Argument(help="doc_id prefix (8+ hex), file name or path")],
    from_: Annotated[str | None, typer.Option("--from", help="run_id (or prefix) to diff from")] = None,
    to: Annotated[str | None, typer.Option("--to", help="run_id (or prefix) to diff to")] = None,
    runs: Annotated[bool, typer.Option("--runs", help="diff runs even when an older version exists")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
    db: DbOpt = None,
) -> None:
    """Facts added, removed and changed between two runs, or between this version and the one it replaced."""
    from flows.settings import db_path
    from warehouse.connect import reader
    from warehouse.reviews import diff_runs, diff_versions, doc_runs, older_version, pick_run

    with reader(db_path(db), on_wait=_waiting) as con:
        from flows.resolve import resolve_doc

        doc_id = resolve_doc(con, doc)
        older = None if (runs or from_ or to) else older_version(con, doc_id)
        if older is not None:
            result = diff_versions(con, older, doc_id)
        else:
            known = doc_runs(con, doc_id)
            if len(known) < 2 and not (from_ and to):
                raise PolicyExtractError(f"{doc_id[:12]} has {len(known)} successful run(s) and no older "
                                         "version: nothing to diff (re-extract with `ingest --force`)")
            a = pick_run(known, from_) if from_ else known[-2][0]
            b = pick_run(known, to) if to else known[-1][0]
            result = diff_runs(con, a, b)
    print_diff(result, as_json)
