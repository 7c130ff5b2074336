"""Name a document (CONTRACT.md): a doc_id or unique prefix of >= 8 hex chars, a file name, or a path."""

from __future__ import annotations

import re
from pathlib import Path

from flows.preflight import sha256_of
from schemas.errors import PolicyExtractError

HEX_PREFIX = re.compile(r"^[0-9a-f]{8,64}$")


class NotFound(PolicyExtractError):
    """Nothing, or more than one document, answers to a name (exit 3)."""


def resolve_doc(con, name: str) -> str:
    """The doc_id a user's name for a document means; NotFound lists candidates when ambiguous."""
    low = name.strip().lower()
    if HEX_PREFIX.match(low):
        rows = con.execute("SELECT doc_id, file_name FROM documents WHERE starts_with(doc_id, ?) "
                           "ORDER BY doc_id", [low]).fetchall()
        if len(rows) == 1:
            return rows[0][0]
        if len(rows) > 1:
            raise NotFound(f"{name!r} is ambiguous: " + _list(rows))
    by_name = con.execute(
        "SELECT s.doc_id, d.file_name FROM document_sources s JOIN documents d USING (doc_id) "
        "WHERE s.file_name = ? ORDER BY d.ingested_at DESC, s.first_seen DESC", [Path(name).name]
    ).fetchall()
    if by_name and (Path(name).name == name or not Path(name).is_file()):
        return by_name[0][0]
    path = Path(name)
    if path.is_file():
        doc_id = sha256_of(path)
        if con.execute("SELECT 1 FROM documents WHERE doc_id = ?", [doc_id]).fetchone():
            return doc_id
        raise NotFound(f"{name}: this file (doc_id {doc_id[:12]}…) is not in the warehouse; ingest it first")
    raise NotFound(f"no document is called {name!r} (give a doc_id prefix of 8+ hex chars, a file name or a path)")


def _list(rows: list[tuple]) -> str:
    shown = ", ".join(f"{d[:12]}… ({f})" for d, f in rows[:10])
    more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
    return shown + more
