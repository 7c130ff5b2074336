"""Pre-flight checks: cheap byte checks in the parent, PDF structure checks in the child."""

from __future__ import annotations

import hashlib
from pathlib import Path

from schemas.errors import DocumentRejected

MAGIC_WINDOW = 1024


def sha256_of(path: Path) -> str:
    """The document's identity: lowercase hex SHA-256 of its bytes."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_bytes(path: Path, max_bytes: int) -> None:
    """Empty, not a PDF, too large: decided from size and the first bytes, before any parsing."""
    size = path.stat().st_size
    if size == 0:
        raise DocumentRejected("empty_file", f"{path.name}: the file is empty (0 bytes)")
    if size > max_bytes:
        raise DocumentRejected("too_large", f"{path.name}: {size} bytes is over the {max_bytes}-byte cap "
                                            "(raise it with --max-mb)")
    with path.open("rb") as f:
        head = f.read(MAGIC_WINDOW)
    if b"%PDF-" not in head:
        kind = _sniff(head)
        raise DocumentRejected("not_pdf", f"{path.name}: not a PDF ({kind}; no %PDF- header)")


def _sniff(head: bytes) -> str:
    """A short name for what the file looks like instead of a PDF."""
    low = head[:64].lower()
    for magic, name in ((b"\x89png", "PNG image"), (b"pk\x03\x04", "ZIP archive"), (b"<!doctype html", "HTML"),
                        (b"<html", "HTML"), (b"\xff\xd8\xff", "JPEG image"), (b"gif8", "GIF image")):
        if low.startswith(magic):
            return name
    return "unknown content"


def has_eof_marker(path: Path) -> bool:
    """A complete PDF ends with %%EOF (within the last KiB: writers may append a newline or padding)."""
    size = path.stat().st_size
    with path.open("rb") as f:
        f.seek(max(0, size - 1024))
        return b"%%EOF" in f.read()


def check_structure(path: Path, max_pages: int, name: str | None = None) -> int:
    """Encryption (the empty password is tried) and the page cap, with pypdf; returns the page count."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    name = name or path.name
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentRejected("encrypted", f"{name}: encrypted with a user password "
                                                "(decrypt it first, e.g. qpdf --decrypt)")
        n = len(reader.pages)
    except DocumentRejected:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as e:
        reason = "malformed" if has_eof_marker(path) else "truncated"
        raise DocumentRejected(reason, f"{name}: {reason} PDF ({one_line(e)})") from e
    if n > max_pages:
        raise DocumentRejected("too_many_pages", f"{name}: {n} pages is over the {max_pages}-page cap "
                                                 "(raise it with --max-pages)")
    if n == 0:
        raise DocumentRejected("malformed", f"{name}: the PDF has no pages")
    return n


def one_line(e: BaseException, limit: int = 200) -> str:
    """An exception as one short readable line."""
    text = " ".join(str(e).split()) or type(e).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
