"""Where a document's stored PDF is, whichever folder a command runs from."""

from __future__ import annotations

import os
from pathlib import Path

from flows.settings import store_dir


def recorded_path(stored: Path) -> str:
    """The stored copy's path as the warehouse records it: absolute, so any folder can find it."""
    return os.path.abspath(stored)


def stored_pdf(db: Path, doc_id: str, recorded: str | None) -> Path | None:
    """The stored copy: the recorded path if absolute; a relative one (older rows) from the working folder or
    from the warehouse's folder and its parents (the project it was ingested in); else the default store."""
    candidates: list[Path] = []
    if recorded:
        path = Path(recorded)
        candidates.append(path)
        if not path.is_absolute():
            candidates += [base / path for base in Path(os.path.abspath(db)).parents]
    candidates.append(store_dir(None) / f"{doc_id}.pdf")
    return next((p for p in candidates if p.is_file()), None)
