"""Which files an ingest takes: directories recursively (*.pdf, any case, no links out), named files as is."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flows.preflight import kind_of, os_error_text
from schemas.errors import PolicyExtractError


@dataclass(frozen=True)
class Found:
    """A file to ingest, and the source string it arrived under (the path as the user gave it)."""

    path: Path
    source: str
    file_name: str | None = None
    """The name it arrived under when that is not path.name (a fetched URL's original name)."""


def readable(name: str) -> str:
    """A file name or path as text every store accepts: bytes that are not UTF-8 (kept by the OS as
    surrogates) written as \\xNN escapes. The file itself is still opened by its real path."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def paths_to_files(args: list[Path], store: Path | None = None) -> list[Found]:
    """Expand the ingest arguments; a missing argument raises PolicyExtractError naming it."""
    out: list[Found] = []
    seen: set[Path] = set()
    for arg in args:
        if arg.is_dir():
            files = dir_to_pdfs(arg, skip=store)
        elif arg.is_file():
            files = [arg]
        else:
            raise PolicyExtractError(f"{arg}: {why_not_a_file(arg)}")
        for f in files:
            real = identity(f)
            if real not in seen:
                seen.add(real)
                out.append(Found(f, str(f)))
    return out


def why_not_a_file(path: Path) -> str:
    """Why a named path is neither a folder nor a regular file: missing, a link loop, a FIFO, a device..."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError) as e:
        return "no such file or directory" if isinstance(e, FileNotFoundError | ValueError) else os_error_text(e)
    return f"not a regular file ({kind_of(mode)})"


def dir_to_pdfs(root: Path, skip: Path | None = None) -> list[Path]:
    """Every *.pdf (any case) under root, never following a link that leads outside root."""
    base = root.resolve()
    skip_real = skip.resolve() if skip is not None else None
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if skip_real is None or (here / d).resolve() != skip_real)
        for name in sorted(filenames):
            p = here / name
            if not name.lower().endswith(".pdf"):
                continue
            if is_file_inside(p, base) or is_odd_entry(p, base):
                found.append(p)
    return found


def identity(path: Path) -> Path:
    """Where a listed path really is (a link loop has no end: its own absolute path)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python 3.11)
        return path.absolute()


def is_odd_entry(path: Path, base: Path) -> bool:
    """A symlink loop, or a FIFO, socket or device named *.pdf inside base: listed so that ingest records
    it by name and reason (it opens nothing that could block)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as e:
        return e.errno == errno.ELOOP
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode) and identity(path).is_relative_to(base)


def is_file_inside(path: Path, base: Path) -> bool:
    """A regular file, itself or through links that stay inside base (a dangling link or a link loop is not)."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python 3.11)
        return False
    return real.is_file() and real.is_relative_to(base)


def copy_to_store(src: BinaryIO, size: int, doc_id: str, store: Path) -> Path:
    """raw/store/<doc_id>.pdf from the open file (the bytes that were hashed), written atomically once:
    audits and re-extraction read from here."""
    store.mkdir(parents=True, exist_ok=True)
    target = store / f"{doc_id}.pdf"
    if target.exists() and target.stat().st_size == size:
        return target
    fd, tmp = tempfile.mkstemp(dir=store, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out:
            src.seek(0)
            shutil.copyfileobj(src, out)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
