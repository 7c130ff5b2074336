"""Pre-flight checks: cheap byte checks in the parent, PDF structure checks in the child."""

from __future__ import annotations

import hashlib
import logging
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from schemas.errors import DocumentRejected

MAGIC_WINDOW = 1024
UNKNOWN = "unknown content"
CHUNK = 1 << 20
FILE_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
              (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a directory"))


class NotRead(DocumentRejected):
    """No byte of the file could be read (gone, not a regular file): recorded under unread_id(source)."""


def sha256_of(path: Path) -> str:
    """The document's identity: lowercase hex SHA-256 of its bytes."""
    with path.open("rb") as f:
        return sha256_of_file(f, path.name)


def sha256_of_file(f: BinaryIO, name: str) -> str:
    """SHA-256 of an open file's bytes, from its start; a read error (a disk fault) raises NotRead."""
    h = hashlib.sha256()
    try:
        f.seek(0)
        for chunk in iter(lambda: f.read(CHUNK), b""):
            h.update(chunk)
    except OSError as e:
        raise not_read(name, e) from e
    return h.hexdigest()


def over_cap_id(f: BinaryIO, size: int) -> str:
    """The doc_id of a file over the size cap, which is never read in full (a sparse 10 GB file would take
    half a minute to hash): SHA-256 of a marker, its size, and its first and last MiB."""
    h = hashlib.sha256(b"policy-extract over-cap file\0%d\0" % size)
    for offset in (0, max(0, size - CHUNK)):
        f.seek(offset)
        h.update(f.read(CHUNK))
    return h.hexdigest()


def unread_id(source: str) -> str:
    """The doc_id of a file none of whose bytes could be read (gone after listing, a FIFO): SHA-256 of a
    marker and where it was found, so the failure is recorded and a second attempt replaces it."""
    return hashlib.sha256(b"policy-extract unread file\0" + source.encode("utf-8", "surrogateescape")).hexdigest()


def open_regular(path: Path, name: str) -> BinaryIO:
    """The file opened for reading without blocking (a FIFO would wait for a writer forever); anything but
    a regular file, or a file gone since it was listed, raises NotRead."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except (OSError, ValueError) as e:
        raise not_read(name, e) from e
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise NotRead("not_pdf", f"{name}: not a regular file ({kind_of(mode)}), so not a PDF")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def not_read(name: str, e: OSError | ValueError) -> NotRead:
    """A file none of whose bytes could be read; the closest reason in the vocabulary is empty_file."""
    return NotRead("empty_file", f"{name}: {os_error_text(e)}; no bytes read (reason empty_file)")


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    return next((kind for test, kind in FILE_KINDS if test(mode)), "a special file")


def os_error_text(e: OSError | ValueError) -> str:
    """Why a path could not be opened, in words: gone, or the system's reason in lower case."""
    if isinstance(e, FileNotFoundError | ValueError):  # ValueError: a NUL in the path
        return "gone before it could be read (no such file or directory)"
    return f"cannot be read ({(e.strerror or type(e).__name__).lower()})"


def check_bytes(path: Path, max_bytes: int) -> None:
    """Empty, not a PDF, too large: decided from size and the first bytes, before any parsing."""
    with path.open("rb") as f:
        size = os.fstat(f.fileno()).st_size
        check_size(size, max_bytes, path.name)
        check_head(f.read(MAGIC_WINDOW), size, path.name)


def check_size(size: int, max_bytes: int, name: str) -> None:
    """Over the size cap: decided before a byte is read."""
    if size > max_bytes:
        raise DocumentRejected("too_large", f"{name}: {size} bytes is over the {max_bytes}-byte cap "
                                            "(raise it with --max-mb)")


def check_head(head: bytes, size: int, name: str) -> None:
    """Empty or not a PDF, from the first bytes."""
    if size == 0:
        raise DocumentRejected("empty_file", f"{name}: the file is empty (0 bytes)")
    kind = _sniff(head)
    if b"%PDF-" not in head:
        raise DocumentRejected("not_pdf", f"{name}: not a PDF ({kind}; no %PDF- header)")
    if kind != UNKNOWN:  # a ZIP (or page) that holds a PDF near its start is still not a PDF
        raise DocumentRejected("not_pdf", f"{name}: not a PDF ({kind} with a PDF inside; extract it first)")


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


REPAIR_SIGNS = ("Ignoring wrong pointing object", "parsing for Object Streams", "incorrect startxref",
                "Circular xref chain")
"""pypdf's warnings when it had to rebuild a broken xref table (pdfminer would read wrong objects) or cut a
/Prev chain that loops (pdfminer would recurse until it gives up)."""
LETTER = (0.0, 0.0, 612.0, 792.0)
"""The page size pdfium gives a page whose MediaBox has no area."""


def structure_of(path: Path, max_pages: int, name: str | None = None) -> tuple[int, bool]:
    """(page count, needs repair): encryption, the page cap, and whether the parser needs a repaired copy
    (a rebuilt xref table, a /Prev loop cut, page boxes put in order, the pages of a file whose only
    encrypted part is an attachment)."""
    from pypdf.errors import PdfReadError

    name = name or path.name
    try:
        with _pypdf_warnings() as warned:
            reader = _open_reader(path)
            unlocked = unlock(reader, name)
            n = len(reader.pages)
            odd_boxes = n <= max_pages and any(map(_has_odd_box, reader.pages))
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
    return n, unlocked or odd_boxes or any(m.startswith(REPAIR_SIGNS) for m in warned)


def unlock(reader, name: str) -> bool:  # noqa: ANN001 - pypdf's PdfReader
    """Open an encrypted file with the empty password; True for one whose pages and strings are stored in clear
    (only embedded files are encrypted), which viewers show without asking. Raises `encrypted` when the
    content itself needs a password."""
    if not reader.is_encrypted or reader.decrypt(""):
        return False
    if not _content_in_clear(reader.trailer["/Encrypt"].get_object()):
        raise DocumentRejected("encrypted", f"{name}: encrypted with a user password "
                                            "(decrypt it first, e.g. qpdf --decrypt)")
    reader._encryption = None  # noqa: SLF001 - pypdf refuses objects it has no key for; these are in clear
    return True


def _content_in_clear(encrypt: dict) -> bool:
    """Crypt filters (/V 4 and later) name what is encrypted: /StmF (streams) and /StrF (strings) default to
    /Identity, i.e. not encrypted; /EFF covers embedded files only."""
    return int(encrypt.get("/V", 0)) >= 4 and all(encrypt.get(key, "/Identity") == "/Identity"
                                                  for key in ("/StmF", "/StrF"))


def _box_in_order(box) -> tuple[float, float, float, float] | None:  # noqa: ANN001 - a pypdf RectangleObject
    """A page box with its corners in order, or US Letter when it has no area (as pdfium reads them); None
    when the box is already in order, or absent or unreadable (the parser's own default applies)."""
    try:
        x0, y0, x1, y1 = (float(v) for v in box)
    except (TypeError, ValueError):
        return None
    if x0 < x1 and y0 < y1:
        return None
    if x0 == x1 or y0 == y1:
        return LETTER
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


BOXES = ("mediabox", "cropbox")
"""The page boxes pdfminer places text by (pypdf's names; the CropBox defaults to the MediaBox)."""


def _box_of(page, box: str):  # noqa: ANN001,ANN202 - a pypdf PageObject and RectangleObject
    """The page's box (inherited if need be), or None when it is absent or unreadable."""
    try:
        return getattr(page, box)
    except (ValueError, TypeError, KeyError):
        return None


def _has_odd_box(page) -> bool:  # noqa: ANN001 - a pypdf PageObject
    return any(_box_in_order(_box_of(page, box)) is not None for box in BOXES)


def _put_boxes_in_order(page) -> None:  # noqa: ANN001 - a pypdf PageObject
    """Inverted or empty page boxes normalised (see _box_in_order)."""
    from pypdf.generic import RectangleObject

    for box in BOXES:
        fixed = _box_in_order(_box_of(page, box))
        if fixed is not None:
            setattr(page, box, RectangleObject(fixed))


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
    """The PDF rewritten by pypdf (see structure_of), for a parser that trusts xref offsets and page boxes."""
    from pypdf import PdfWriter

    out = folder / "repaired.pdf"
    with _pypdf_warnings(), out.open("wb") as f:
        reader = _open_reader(path)
        unlock(reader, path.name)
        writer = PdfWriter(clone_from=reader)
        for page in writer.pages:
            _put_boxes_in_order(page)
        writer.write(f)
    return out


def one_line(e: BaseException, limit: int = 200) -> str:
    """An exception as one short readable line."""
    text = " ".join(str(e).split()) or type(e).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
