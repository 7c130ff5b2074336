"""Hostile file names and links never make an ingest read or write outside the allowed places.

Allowed: the paths and folders the ingest is given, the content store, the warehouse file (and its WAL).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import duckdb
import pytest

from flows.discover import dir_to_pdfs, paths_to_files
from flows.fetch import response_file_name, safe_file_name
from flows.ingest import IngestOptions, ingest
from flows.settings import Limits
from schemas.errors import PolicyExtractError
from tests.bad_pdfs import good_pdf_bytes

RTL = "\u202e"
NAMES = [f"{RTL}fdp.exe.pdf", "a\nb.pdf", "..pdf", "-rf.pdf", "x" * 240 + ".pdf", "$(touch pwned).pdf",
         "<script>.pdf", "'; DROP TABLE documents; --.pdf"]


def tree(root: Path) -> set[str]:
    """Every path under root (links not followed), relative."""
    out = set()
    for dirpath, dirnames, filenames in os.walk(root):
        for n in dirnames + filenames:
            out.add(os.path.relpath(os.path.join(dirpath, n), root))
    return out


def deep_folder(base: Path, total: int = 4200) -> Path:
    """A folder whose path is longer than PATH_MAX (4,096), made one 200-char level at a time."""
    fd = os.open(base, os.O_RDONLY)
    depth = 0
    try:
        while depth * 201 < total:
            name = f"{depth:03d}" + "d" * 197
            os.mkdir(name, dir_fd=fd)
            nxt = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = nxt
            depth += 1
        with os.fdopen(os.open("deep.pdf", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "wb") as f:
            f.write(good_pdf_bytes("Deep down, net zero by 2050."))
    finally:
        os.close(fd)
    return base


@pytest.fixture(scope="module")
def hostile_tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    """(tmp, input folder, outcomes by file name) after one ingest of a folder full of bad names and links."""
    tmp = tmp_path_factory.mktemp("paths")
    folder, outside = tmp / "in", tmp / "outside"
    folder.mkdir()
    outside.mkdir()
    (outside / "secret.pdf").write_bytes(good_pdf_bytes("Outside the folder: never ingested."))
    for i, name in enumerate(NAMES):
        (folder / name).write_bytes(good_pdf_bytes(f"Hostile name number {i}: carbon neutrality by 2060."))
    (folder / "passwd.pdf").symlink_to("/etc/passwd")
    (folder / "secret_link.pdf").symlink_to(outside / "secret.pdf")
    (folder / "outside_dir").symlink_to(outside, target_is_directory=True)
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    deep_folder(folder)
    before = tree(tmp)
    opts = IngestOptions(db=tmp / "w.duckdb", store=tmp / "store", limits=Limits(timeout_s=30))
    outcomes = ingest([folder], opts)
    created = tree(tmp) - before
    return tmp, folder, {"outcomes": outcomes, "created": created, "db": opts.db}


def test_links_out_of_the_folder_are_not_followed(hostile_tree) -> None:
    tmp, _, got = hostile_tree
    con = duckdb.connect(str(got["db"]), read_only=True)
    ids = {r[0] for r in con.execute("SELECT doc_id FROM documents").fetchall()}
    names = {r[0] for r in con.execute("SELECT file_name FROM document_sources").fetchall()}
    con.close()
    passwd = hashlib.sha256(Path("/etc/passwd").read_bytes()).hexdigest()
    secret = hashlib.sha256((tmp / "outside" / "secret.pdf").read_bytes()).hexdigest()
    assert passwd not in ids and secret not in ids
    assert names == set(NAMES)  # deep.pdf's path is over PATH_MAX: it cannot be opened, and is skipped


def test_every_hostile_name_is_loaded_and_kept_verbatim_as_data(hostile_tree) -> None:
    _, _, got = hostile_tree
    assert len(got["outcomes"]) == len(NAMES)
    assert all(o.status == "ok" for o in got["outcomes"]), [(o.path, o.error) for o in got["outcomes"]]


def test_nothing_is_written_outside_the_store_and_the_warehouse(hostile_tree) -> None:
    tmp, _, got = hostile_tree
    allowed = {"store", "w.duckdb", "w.duckdb.wal"}
    assert {p.split(os.sep)[0] for p in got["created"]} <= allowed, got["created"]
    stored = [p for p in got["created"] if p.startswith("store" + os.sep)]
    assert stored and all(len(Path(p).stem) == 64 and p.endswith(".pdf") for p in stored), stored
    assert not Path("pwned").exists() and not (tmp / "in" / "pwned").exists()


def test_explicit_dotdot_and_absolute_paths_are_the_users_own(tmp_path: Path) -> None:
    """A named path is read where it points (it is the user's choice), and only copied into the store."""
    (tmp_path / "in").mkdir()
    (tmp_path / "x.pdf").write_bytes(good_pdf_bytes("Up two levels."))
    named = tmp_path / "in" / ".." / "x.pdf"
    found = paths_to_files([named])
    assert [f.source for f in found] == [str(named)] and found[0].path.resolve() == (tmp_path / "x.pdf")


def test_nul_in_a_path_is_a_clean_error() -> None:
    with pytest.raises(PolicyExtractError, match="no such file"):
        paths_to_files([Path("in\0x.pdf")])


def test_dir_scan_never_leaves_its_root(tmp_path: Path) -> None:
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "up.pdf").symlink_to(tmp_path / "nowhere.pdf")        # dangling
    (tmp_path / "root" / "etc.pdf").symlink_to("/etc/passwd")
    (tmp_path / "root" / "ok.pdf").write_bytes(b"%PDF-1.4")
    assert [p.name for p in dir_to_pdfs(tmp_path / "root")] == ["ok.pdf"]


@pytest.mark.parametrize("raw", ["../../etc/passwd.pdf", "/etc/passwd", "..\\..\\win.ini.pdf", "a\0b.pdf",
                                 f"{RTL}fdp.exe", "x" * 4096 + ".pdf", "..", "....//....//x.pdf", "\n\r\t.pdf"])
def test_downloaded_file_names_are_bare_printable_names(raw: str) -> None:
    for name in (safe_file_name(raw), response_file_name("https://h.example/d", f'attachment; filename="{raw}"'),
                 response_file_name("https://h.example/" + raw.replace("\0", "%00"), None)):
        assert "/" not in name and "\\" not in name and not name.startswith(".") and name
        assert all(ch.isprintable() for ch in name) and RTL not in name and len(name) <= 200
