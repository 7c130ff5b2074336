"""The audit's page images, drawn in a limited child (flows/limited.py): a page too large to draw, or one
that breaks the renderer, becomes a placeholder with its size and the reason; the audit goes on."""

from __future__ import annotations

import base64
import io
import time
from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from flows.audit_html import PageImage
from flows.limited import ChildRun, forkserver, run_in_child
from flows.settings import Limits

JPEG_QUALITY = 60
MAX_PIXELS = 50_000_000
"""Largest image drawn (A1 at 300 dpi is 35 million pixels); a larger one is refused before drawing."""
PLACEHOLDER_PX = 1200
"""Longest side of a placeholder for a page too large to draw."""
PRELOAD = ["pypdfium2", "PIL.Image", "flows.audit_render"]
Page = tuple[int, float, float]
"""(page_no, width, height) in PDF points, as the warehouse has them."""


def placeholder(page: Page, dpi: int, note: str) -> PageImage:
    """A grey box the page's shape (at most PLACEHOLDER_PX wide), boxes still placed, saying why."""
    page_no, width, height = page
    scale = min(dpi / 72, PLACEHOLDER_PX / max(width, height, 1))
    return PageImage(page_no, None, round(width * scale), round(height * scale), scale, scale, note)


def _encode(image: Any) -> str:
    """A rendered page as a JPEG data: URI (photos and scans stay small; text stays legible at 80 dpi)."""
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _draw(pdf: Any, page: Page, dpi: int, memory_mb: int) -> PageImage:
    """One page, or a placeholder: not in the file, too many pixels, over the memory cap, renderer error."""
    page_no, width, height = page
    if page_no > len(pdf):
        return placeholder(page, dpi, "page not in the stored PDF")
    pixels = width * height * (dpi / 72) ** 2
    if pixels > MAX_PIXELS:
        return placeholder(page, dpi, f"page is {width:,.0f} × {height:,.0f} pt: too large to draw at {dpi} dpi "
                                      f"({pixels / 1e6:,.0f} million pixels, limit {MAX_PIXELS / 1e6:,.0f} million)")
    try:
        image = pdf[page_no - 1].render(scale=dpi / 72).to_pil()
        return PageImage(page_no, _encode(image), image.width, image.height, image.width / width,
                         image.height / height)
    except MemoryError:
        return placeholder(page, dpi, f"over the {memory_mb} MB memory cap (raise it with --memory-mb)")
    except Exception as e:  # noqa: BLE001 - pdfium reports a failed bitmap allocation as a plain error
        return placeholder(page, dpi, f"cannot draw this page: {' '.join(str(e).split())[:200]} "
                                      f"(over the {memory_mb} MB memory cap? raise it with --memory-mb)")


def _render_child(conn: Connection, pdf_path: str, pages: list[Page], dpi: int, memory_mb: int) -> None:
    """Child body: send one PageImage per page, in order."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_path)
    try:
        for page in pages:
            conn.send(_draw(pdf, page, dpi, memory_mb))
    finally:
        pdf.close()


def _why(run: ChildRun, limits: Limits) -> str:
    """Why the page being drawn when the child stopped has no image."""
    if run.status == "timeout":
        return f"not drawn within {limits.timeout_s:g} s (raise it with --timeout)"
    return f"the renderer died (exit code {run.exitcode}; over the {limits.memory_mb} MB memory cap? " \
           "raise it with --memory-mb)"


def render_pages(pdf_path: Path | None, pages: list[dict[str, Any]], dpi: int, limits: Limits,
                 missing_note: str = "stored PDF is missing") -> dict[int, PageImage]:
    """Every page's image, scaled so PDF points map onto pixels. A child draws them in order; if it dies,
    the page it was drawing gets a placeholder and a new child goes on from the next; all within --timeout."""
    todo: list[Page] = [(p["page_no"], p["width"] or 595.0, p["height"] or 842.0) for p in pages]
    if pdf_path is None:
        return {page[0]: placeholder(page, dpi, missing_note) for page in todo}
    out: dict[int, PageImage] = {}
    deadline = time.monotonic() + limits.timeout_s
    while todo:
        left = replace(limits, timeout_s=max(deadline - time.monotonic(), 0.1))
        run = run_in_child(_render_child, (str(pdf_path), todo, dpi, limits.memory_mb), left, forkserver(PRELOAD))
        out.update((img.page_no, img) for img in run.messages)
        todo = [page for page in todo if page[0] not in out]
        stopped = todo if run.status == "timeout" else todo[:1]
        out.update((page[0], placeholder(page, dpi, _why(run, limits))) for page in stopped)
        todo = todo[len(stopped):]
    return out
