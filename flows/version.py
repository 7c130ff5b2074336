"""pipeline_version: package version + a hash of the extractor code and rule files."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

EXTRACTORS = Path(__file__).resolve().parents[1] / "extractors"


def package_version() -> str:
    try:
        return version("policy-extract")
    except PackageNotFoundError:
        return "0.0.0"


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """Changes whenever an extractor module or a rule file changes, so stale facts get re-extracted."""
    h = hashlib.sha256()
    files = sorted(p for p in EXTRACTORS.rglob("*") if p.suffix in (".py", ".yaml", ".yml"))
    for p in files:
        h.update(p.relative_to(EXTRACTORS).as_posix().encode())
        h.update(b"\0")
        h.update(p.read_bytes())
    return f"{package_version()}+{h.hexdigest()[:12]}"
