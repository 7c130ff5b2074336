"""Odd paths in a batch (issue 13): each ends as one named failure or skip, the rest of the batch loads."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from flows.discover import Found, paths_to_files
from flows.ingest import IngestOptions, ingest
from flows.settings import Limits
from schemas.base import REASONS
from schemas.errors import PolicyExtractError
from tests.bad_pdfs import good_pdf_bytes
from tests.conftest import rows


def batch(tmp: Path, names: tuple[str, ...] = ("good.pdf",)) -> Path:
    """A folder of small good PDFs."""
    folder = tmp / "in"
    folder.mkdir()
    for i, name in enumerate(names):
        (folder / name).write_bytes(good_pdf_bytes(f"Good file {i}: carbon neutrality by 2060."))
    return folder


LIMITS = Limits(timeout_s=60)


def options(tmp: Path, limits: Limits = LIMITS) -> IngestOptions:
    return IngestOptions(db=tmp / "w.duckdb", store=tmp / "store", limits=limits)


def loaded(db: Path) -> dict[str, str]:
    """file_name -> status | reason of every documents row."""
    return {name: reason or status for name, status, reason in
            rows(db, "SELECT file_name, status, reason FROM documents")}


def test_a_symlink_loop_in_a_folder_is_a_recorded_failure_and_the_rest_loads(tmp_path: Path) -> None:
    folder = batch(tmp_path, ("a.pdf", "b.pdf"))
    (folder / "self.pdf").symlink_to(folder / "self.pdf")
    (folder / "ping.pdf").symlink_to(folder / "pong.pdf")
    (folder / "pong.pdf").symlink_to(folder / "ping.pdf")
    os.mkfifo(folder / "pipe.pdf")  # a FIFO already there when the folder is listed
    opts = options(tmp_path)
    outcomes = ingest([folder], opts)
    assert loaded(opts.db) == {"a.pdf": "ok", "b.pdf": "ok", "self.pdf": "empty_file", "ping.pdf": "empty_file",
                               "pong.pdf": "empty_file", "pipe.pdf": "not_pdf"}
    loops = [o for o in outcomes if Path(o.path).name in ("self.pdf", "ping.pdf", "pong.pdf")]
    assert len(loops) == 3 and all("symbolic links" in o.error for o in loops), loops


def test_a_file_gone_after_listing_is_a_named_failure_and_the_rest_loads(tmp_path: Path) -> None:
    folder = batch(tmp_path)
    gone = tmp_path / "gone.pdf"
    opts = options(tmp_path)
    outcomes = ingest([folder], opts, found=[Found(gone, str(gone))])
    failed = [o for o in outcomes if o.status == "failed"]
    assert [(o.path, o.skipped) for o in failed] == [(str(gone), False)]
    assert failed[0].reason in REASONS and "gone.pdf" in failed[0].error and "gone" in failed[0].error
    assert loaded(opts.db) == {"good.pdf": "ok", "gone.pdf": failed[0].reason}  # recorded, by name


@pytest.mark.timeout(600)
def test_a_fifo_swapped_in_after_listing_fails_without_blocking(tmp_path: Path) -> None:
    folder = batch(tmp_path)
    pipe = tmp_path / "swapped.pdf"
    os.mkfifo(pipe)  # no writer ever opens it: a blocking open would wait forever
    opts = options(tmp_path)
    outcomes = ingest([folder], opts, found=[Found(pipe, str(pipe))])
    failed = [o for o in outcomes if o.status == "failed"]
    assert [(o.path, o.reason) for o in failed] == [(str(pipe), "not_pdf")]
    assert "swapped.pdf" in failed[0].error and "not a regular file" in failed[0].error
    assert loaded(opts.db) == {"good.pdf": "ok", "swapped.pdf": "not_pdf"}


@pytest.mark.timeout(600)
def test_a_fifo_named_on_the_command_line_is_not_a_regular_file(tmp_path: Path) -> None:
    pipe = tmp_path / "named.pdf"
    os.mkfifo(pipe)
    with pytest.raises(PolicyExtractError, match=r"named\.pdf: not a regular file \(a FIFO\)"):
        paths_to_files([pipe])


def test_a_symlink_loop_named_on_the_command_line_says_so(tmp_path: Path) -> None:
    loop = tmp_path / "loop.pdf"
    loop.symlink_to(loop)
    with pytest.raises(PolicyExtractError, match=r"loop\.pdf: .*symbolic links"):
        paths_to_files([loop])


def test_an_oversized_sparse_file_is_refused_by_its_size_without_hashing_it(tmp_path: Path) -> None:
    folder = batch(tmp_path)
    huge = folder / "huge.pdf"
    with huge.open("wb") as f:
        f.write(good_pdf_bytes("A huge file"))
        f.truncate(64 << 20)  # sparse: instant to make
    opts = options(tmp_path, Limits(timeout_s=60, max_bytes=1 << 20))
    ingest([folder], opts)
    assert loaded(opts.db) == {"good.pdf": "ok", "huge.pdf": "too_large"}
    full_hash = hashlib.sha256(huge.read_bytes()).hexdigest()
    (doc_id, error), = rows(opts.db, "SELECT doc_id, error FROM documents WHERE file_name = 'huge.pdf'")
    assert doc_id != full_hash and len(doc_id) == 64 and "huge.pdf" in error and "67108864 bytes" in error


def test_a_file_name_that_is_not_utf8_loads_under_an_escaped_name(tmp_path: Path) -> None:
    folder = batch(tmp_path)
    raw_name = os.fsdecode(b"bad\xff\xfename.pdf")  # the OS keeps the bytes as surrogates
    (folder / raw_name).write_bytes(good_pdf_bytes("A badly named file: net zero by 2050."))
    opts = options(tmp_path)
    outcomes = ingest([folder], opts)
    assert all(o.status == "ok" for o in outcomes), outcomes
    assert loaded(opts.db) == {"good.pdf": "ok", "bad\\xff\\xfename.pdf": "ok"}
