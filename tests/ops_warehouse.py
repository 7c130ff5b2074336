"""A small real warehouse for the export and forget tests: generated PDFs ingested through the real flow."""

from __future__ import annotations

from pathlib import Path

from flows.ingest import IngestOptions, ingest
from flows.settings import Limits
from tests.bad_pdfs import good_pdf_bytes
from tests.conftest import rows  # noqa: F401 - re-exported to the tests that import it from here

TEXT = ("China aims to peak carbon emissions before 2030 and to achieve carbon neutrality before 2060. "
        "The EU aims at climate neutrality by 2050.")
HOSTILE_NAMES = ("=1+2.pdf", "@SUM(A1).pdf", "+cmd.pdf", "-2+3.pdf")


def build(tmp: Path, names: tuple[str, ...] = ("plain.pdf", *HOSTILE_NAMES)) -> IngestOptions:
    """Ingest one PDF per name (different bytes each) into tmp/w.duckdb."""
    folder = tmp / "in"
    folder.mkdir(parents=True)
    for i, name in enumerate(names):
        (folder / name).write_bytes(good_pdf_bytes(f"{TEXT} Version {i}."))
    opts = IngestOptions(db=tmp / "w.duckdb", store=tmp / "store", limits=Limits(timeout_s=120))
    outcomes = ingest([folder], opts)
    assert [o.status for o in outcomes] == ["ok"] * len(names), [(o.reason, o.error) for o in outcomes]
    return opts


