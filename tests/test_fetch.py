"""fetch: sources.yaml -> local files and URLs downloaded into raw/fetched/ (real loopback HTTP server)."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import duckdb
import pytest

from flows.discover import Found
from flows.fetch import (
    fetch_sources,
    fetch_url,
    fetched_origin,
    load_sources,
    response_file_name,
    safe_file_name,
)
from flows.ingest import IngestOptions, ingest
from flows.settings import Limits
from schemas.errors import PolicyExtractError
from tests.bad_pdfs import good_pdf_bytes
from tests.fetch_server import SLOW_S, PdfServer


def tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.fixture()
def server():
    with PdfServer() as s:
        yield s


def test_new_then_304_unchanged_then_changed(server: PdfServer, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    first = fetch_url(f"{server.base}/b.pdf", raw)
    assert first.status == "new" and first.file_name == "b.pdf"
    body = first.path.read_bytes()
    assert first.path == raw / "fetched" / f"{hashlib.sha256(body).hexdigest()}.pdf"
    meta = json.loads(first.path.with_suffix(".json").read_text())
    assert meta["url"] == f"{server.base}/b.pdf" and meta["etag"] and meta["last_modified"]

    again = fetch_url(f"{server.base}/b.pdf", raw)
    assert again.status == "unchanged" and again.path == first.path
    assert server.hits[("/b.pdf", 304)] == 1  # a conditional request, not a second download

    server.change("/b.pdf", good_pdf_bytes("Document B, second version."))
    changed = fetch_url(f"{server.base}/b.pdf", raw)
    assert changed.status == "changed" and changed.path != first.path
    assert first.path.is_file() and changed.path.is_file()  # the old version stays (content-addressed)


def test_errors_and_a_slow_server_fail_one_url_each(server: PdfServer, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    assert fetch_url(f"{server.base}/missing.pdf", raw).error == "HTTP 404 Not Found"
    assert fetch_url(f"{server.base}/broken.pdf", raw).error.startswith("HTTP 500")
    t0 = time.monotonic()
    slow = fetch_url(f"{server.base}/slow.pdf", raw, timeout_s=1.0)
    assert slow.status == "failed" and slow.error == "timed out"
    assert time.monotonic() - t0 < SLOW_S - 1
    refused = fetch_url("http://127.0.0.1:9/nothing.pdf", raw, timeout_s=2.0)  # discard port: refused
    assert refused.status == "failed" and refused.path is None
    assert not [p for p in (raw / "fetched").iterdir() if p.is_file()]  # no partial files left


def test_hostile_names_never_leave_raw(server: PdfServer, tmp_path: Path) -> None:
    raw = tmp_path / "deep" / "raw"
    raw.mkdir(parents=True)
    before = tree(tmp_path)
    names = {p: fetch_url(f"{server.base}{p}", raw).file_name
             for p in ("/hostile.pdf", "/absolute.pdf", "/encoded.pdf", "/moved.pdf")}
    assert names == {"/hostile.pdf": "x.pdf", "/absolute.pdf": "evil.pdf", "/encoded.pdf": "能源.pdf",
                     "/moved.pdf": "a.pdf"}
    new = tree(tmp_path) - before
    assert new and all(n.startswith("deep/raw/fetched") for n in new), new
    assert not (tmp_path / "x.pdf").exists() and not Path("/etc/evil.pdf").exists()


def test_file_names_are_bare() -> None:
    assert safe_file_name("..\\..\\win.pdf") == "win.pdf"
    assert safe_file_name("..") == "download.pdf"
    assert safe_file_name("a\x00b\n.pdf") == "ab.pdf"
    assert response_file_name("http://h/dir/%E8%A7%84%E5%88%92.pdf?x=1", None) == "规划.pdf"


def test_sources_file_entries(tmp_path: Path) -> None:
    f = tmp_path / "sources.yaml"
    f.write_text("sources:\n  - path: inbox\n  - glob: 'more/**/*.pdf'\n  - url: https://example.org/a.pdf\n"
                 "  - https://example.org/b.pdf\n  - 'loose/*.PDF'\n")
    kinds = [(s.kind, s.value) for s in load_sources(f)]
    assert kinds == [("path", "inbox"), ("glob", "more/**/*.pdf"), ("url", "https://example.org/a.pdf"),
                     ("url", "https://example.org/b.pdf"), ("glob", "loose/*.PDF")]
    f.write_text("sources:\n  - url: file:///etc/passwd\n")
    with pytest.raises(PolicyExtractError, match="only http and https"):
        load_sources(f)


def test_fetch_then_ingest_records_the_url_as_source(server: PdfServer, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "inbox").mkdir(parents=True)
    (raw / "inbox" / "local.pdf").write_bytes(good_pdf_bytes("A local file. China aims to peak carbon emissions before 2030."))
    (raw / "sources.yaml").write_text(
        f"sources:\n  - path: inbox\n  - path: not-yet\n  - url: {server.base}/hostile.pdf\n"
        f"  - url: {server.base}/missing.pdf\n")
    report = fetch_sources(raw / "sources.yaml")
    assert [f.status for f in report.fetched] == ["new", "failed"] and report.missing == ["not-yet"]
    assert {f.file_name or f.path.name for f in report.found} == {"local.pdf", "x.pdf"}
    opts = IngestOptions(db=tmp_path / "w.duckdb", store=raw / "store", limits=Limits(timeout_s=60))
    outcomes = ingest([], opts, found=report.found)
    assert sorted(o.status for o in outcomes) == ["ok", "ok"], [(o.reason, o.error) for o in outcomes]
    con = duckdb.connect(str(opts.db), read_only=True)
    try:
        got = dict(con.execute("SELECT file_name, source FROM documents").fetchall())
    finally:
        con.close()
    assert got == {"local.pdf": str(raw / "inbox" / "local.pdf"), "x.pdf": f"{server.base}/hostile.pdf"}


def test_a_folder_walk_meets_fetched_files_under_their_url(server: PdfServer, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    got = fetch_url(f"{server.base}/a.pdf", raw)
    origin = fetched_origin(Found(got.path, str(got.path)))
    assert origin == Found(got.path, f"{server.base}/a.pdf", "a.pdf")
    plain = tmp_path / "plain.pdf"
    assert fetched_origin(Found(plain, str(plain))) == Found(plain, str(plain))
