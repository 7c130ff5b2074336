"""Hostile and broken inputs, built by the tests themselves (nothing here is a mock: real bytes on disk)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def good_pdf_bytes(text: str = "Carbon neutrality by 2060. The EU aims at climate neutrality by 2050.",
                   pages: int = 1) -> bytes:
    """A small valid English PDF with a text layer."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for i in range(pages):
        c.setFont("Helvetica", 11)
        c.drawString(72, 760, f"{text} Page {i + 1}.")
        c.showPage()
    c.save()
    return buf.getvalue()


def encrypted_pdf_bytes(algorithm: str = "AES-128", user_password: str = "secret",
                        owner_password: str = "owner") -> bytes:
    """The good PDF encrypted with pypdf (user password set, or only an owner password)."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(good_pdf_bytes()))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def raw_pdf(content: bytes, filters: str = "") -> bytes:
    """A hand-built one-page PDF around one content stream, with a correct xref table."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        b"<< /Length %d %s>>\nstream\n" % (len(content), filters.encode()) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def slow_pdf_bytes(n_ops: int = 400_000) -> bytes:
    """A page with hundreds of thousands of drawing objects: parsing it takes far longer than a small limit."""
    ops = b"".join(b"%d %d 1 1 re f\n" % (i % 500, (i // 500) % 800) for i in range(n_ops))
    return raw_pdf(zlib.compress(ops), "/Filter /FlateDecode ")


def flate_bomb_bytes(expanded_mb: int = 1500) -> bytes:
    """A 1.5 MB content stream that inflates to expanded_mb of spaces (built in about a second)."""
    chunk = b" " * (1 << 20)
    comp = zlib.compressobj(9)
    first = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    again = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)  # same bytes for every later chunk
    adler = 1
    for _ in range(expanded_mb):
        adler = zlib.adler32(chunk, adler)
    stream = first + again * (expanded_mb - 1) + b"\x03\x00" + struct.pack(">I", adler)
    return raw_pdf(stream, "/Filter /FlateDecode ")


def write_bad_inputs(folder: Path) -> dict[str, str]:
    """Write one file per failure kind; returns file name -> expected reason code."""
    good = good_pdf_bytes()
    files = {
        "empty.pdf": (b"", "empty_file"),
        "page.pdf": (b"<!doctype html><html><body>not a pdf</body></html>", "not_pdf"),
        "image.pdf": (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "not_pdf"),
        "cut.pdf": (good[: len(good) // 3], "truncated"),
        "locked.pdf": (encrypted_pdf_bytes(), "encrypted"),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    return {name: reason for name, (_, reason) in files.items()}
