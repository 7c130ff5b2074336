"""Terminal output: the ingest progress bar, the ingest summary, query results and status."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import date, datetime
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from flows.terminal import escape_controls
from schemas.runs import Outcome

out = Console(soft_wrap=True)
err = Console(stderr=True)
FACT_KINDS = ("policy_dates", "policies", "targets", "technologies", "doc_tables", "rejections")


class IngestProgress:
    """A progress bar over documents, with the running page count."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.pages = 0
        self._progress = Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(),
                                  TextColumn("docs · {task.fields[pages]} pages"), TimeElapsedColumn(),
                                  console=err, disable=not enabled, transient=True)
        self._task = self._progress.add_task("ingest", total=None, pages=0)

    def __enter__(self) -> IngestProgress:
        self._progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.__exit__(*exc)  # type: ignore[arg-type]

    def plan(self, n_to_parse: int) -> None:
        done = self._progress.tasks[0].completed
        self._progress.update(self._task, total=done + n_to_parse)

    def advance(self, outcome: Outcome) -> None:
        self.pages += outcome.pages
        self._progress.update(self._task, advance=1, pages=self.pages)


def print_outcomes(outcomes: list[Outcome]) -> None:
    """The summary: documents, pages, facts per kind, failures with reasons."""
    loaded = [o for o in outcomes if o.status == "ok" and not o.skipped]
    failed = [o for o in outcomes if o.status == "failed" and not o.skipped]
    skipped = [o for o in outcomes if o.skipped]
    facts: Counter[str] = Counter()
    for o in loaded:
        facts.update(o.counts)
    t = Table(title="ingest summary", show_header=True)
    t.add_column("what")
    t.add_column("count", justify="right")
    t.add_row("documents loaded", str(len(loaded)))
    t.add_row("documents unchanged (skipped)", str(len(skipped)))
    t.add_row("documents failed", str(len(failed)))
    t.add_row("pages parsed", str(sum(o.pages for o in loaded)))
    for kind in FACT_KINDS:
        t.add_row(kind, str(facts.get(kind, 0)))
    out.print(t)
    for o in failed:
        out.print(Text.assemble(("failed", "red"), " ", shown(f"{o.path}: {o.reason}: {o.error}", one_line=True)))


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    return str(v)


def shown(value: Any, *, one_line: bool = False) -> Text:
    """Data (PDF text, a file name, a column name, an error) as Rich text: never read as markup or emoji
    codes, control characters escaped. Everything printed here from a document goes through this."""
    return Text(escape_controls(_cell(value), one_line=one_line))


def print_rows(columns: list[str], rows: list[tuple], fmt: str) -> None:
    from warehouse.query import to_csv, to_json

    if fmt == "csv":
        sys.stdout.write(to_csv(columns, rows))
    elif fmt == "json":
        sys.stdout.write(to_json(columns, rows) + "\n")
    else:
        t = Table(show_lines=False)
        for c in columns:
            t.add_column(shown(c))
        for r in rows:
            t.add_row(*[shown(v) for v in r])
        out.print(t)
        out.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}")


def print_status(summary: dict[str, Any]) -> None:
    """Render warehouse.query.status_summary's dict: one table per section."""
    for section, value in summary.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            t = Table(title=section)
            for name in value[0]:
                t.add_column(shown(name))
            for row in value:
                t.add_row(*[shown(v) for v in row.values()])
            out.print(t)
        elif isinstance(value, dict):
            t = Table("what", "count", title=section)
            for k, v in value.items():
                t.add_row(shown(k), shown(v))
            out.print(t)
        else:
            out.print(shown(f"{section}: {_cell(value) if not isinstance(value, list) else 'none'}"))
