"""Which files an ingest takes: directories recursively (*.pdf, any case, no links out), named files as is."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from schemas.errors import PolicyExtractError


@dataclass(frozen=True)
class Found:
    """A file to ingest, and the source string it arrived under (the path as the user gave it)."""

    path: Path
    source: str
    file_name: str | None = None
    """The name it arrived under when that is not path.name (a fetched URL's original name)."""


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
            raise PolicyExtractError(f"{arg}: no such file or directory")
        for f in files:
            real = f.resolve()
            if real not in seen:
                seen.add(real)
                out.append(Found(f, str(f)))
    return out


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
            real = p.resolve()
            if not real.is_file() or not real.is_relative_to(base):
                continue
            found.append(p)
    return found


def copy_to_store(path: Path, doc_id: str, store: Path) -> Path:
    """raw/store/<doc_id>.pdf, written atomically once: audits and re-extraction read from here."""
    store.mkdir(parents=True, exist_ok=True)
    target = store / f"{doc_id}.pdf"
    if target.exists() and target.stat().st_size == path.stat().st_size:
        return target
    fd, tmp = tempfile.mkstemp(dir=store, prefix=".incoming-")
    os.close(fd)
    try:
        shutil.copyfile(path, tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
