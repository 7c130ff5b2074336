"""Pre-flight checks: cheap byte checks in the parent, PDF structure checks in the child."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from schemas.errors import DocumentRejected

MAGIC_WINDOW = 1024
UNKNOWN = "unknown content"


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
    kind = _sniff(head)
    if b"%PDF-" not in head:
        raise DocumentRejected("not_pdf", f"{path.name}: not a PDF ({kind}; no %PDF- header)")
    if kind != UNKNOWN:  # a ZIP (or page) that holds a PDF near its start is still not a PDF
        raise DocumentRejected("not_pdf", f"{path.name}: not a PDF ({kind} with a PDF inside; extract it first)")


def _sniff(head: bytes) -> str:
    """A short name for what the file looks like instead of a PDF."""
    low = head[:64].lower()
    for magic, name in ((b"\x89png", "PNG image"), (b"pk\x03\x04", "ZIP archive"), (b"<!doctype html", "HTML"),
                        (b"<html", "HTML"), (b"\xff\xd8\xff", "JPEG image"), (b"gif8", "GIF image")):
        if low.startswith(magic):
            return name
    return UNKNOWN


def has_eof_marker(path: Path) -> bool:
    """A complete PDF ends with %%EOF (within the last KiB: writers may append a newline or padding)."""
    size = path.stat().st_size
    with path.open("rb") as f:
        f.seek(max(0, size - 1024))
        return b"%%EOF" in f.read()


def check_structure(path: Path, max_pages: int, name: str | None = None) -> int:
    """Encryption (the empty password is tried) and the page cap, with pypdf; returns the page count."""
    return structure_of(path, max_pages, name)[0]


REPAIR_SIGNS = ("Ignoring wrong pointing object", "parsing for Object Streams", "incorrect startxref")
"""pypdf's warnings when it had to rebuild a broken xref table (pdfminer would read wrong objects)."""


def structure_of(path: Path, max_pages: int, name: str | None = None) -> tuple[int, bool]:
    """(page count, xref repaired): encryption, the page cap, and whether the parser needs a repaired copy."""
    from pypdf.errors import PdfReadError

    name = name or path.name
    try:
        with _pypdf_warnings() as warned:
            reader = _open_reader(path)
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
    return n, any(m.startswith(REPAIR_SIGNS) for m in warned)


def _open_reader(path: Path):  # noqa: ANN202 - pypdf's PdfReader
    """pypdf's reader; a file complete but for its %%EOF marker gets one (as every viewer does)."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        return PdfReader(str(path), strict=False)
    except (PdfReadError, ValueError) as e:
        if has_eof_marker(path) or not ends_with_startxref(path):
            raise
        try:
            return PdfReader(io.BytesIO(path.read_bytes() + b"\n%%EOF\n"), strict=False)
        except (PdfReadError, ValueError):
            raise e from None


def ends_with_startxref(path: Path) -> bool:
    """The trailer's `startxref <offset>` closes the file: complete, only the %%EOF marker is missing."""
    import re

    size = path.stat().st_size
    with path.open("rb") as f:
        f.seek(max(0, size - 1024))
        tail = f.read()
    return re.search(rb"startxref\s+\d+\s*$", tail) is not None


@contextmanager
def _pypdf_warnings() -> Iterator[list[str]]:
    """Collect pypdf's warnings (for repair detection) without letting them reach the terminal."""
    log = logging.getLogger("pypdf")
    seen: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: seen.append(record.getMessage())  # type: ignore[method-assign]
    level, propagate = log.level, log.propagate
    log.addHandler(handler)
    log.setLevel(logging.WARNING)
    log.propagate = False
    try:
        yield seen
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
        log.propagate = propagate


def repaired_copy(path: Path, folder: Path) -> Path:
    """The PDF rewritten by pypdf (a rebuilt xref table), for a parser that trusts xref offsets."""
    from pypdf import PdfReader, PdfWriter

    out = folder / "repaired.pdf"
    with _pypdf_warnings(), out.open("wb") as f:
        PdfWriter(clone_from=PdfReader(str(path), strict=False)).write(f)
    return out


def one_line(e: BaseException, limit: int = 200) -> str:
    """An exception as one short readable line."""
    text = " ".join(str(e).split()) or type(e).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
