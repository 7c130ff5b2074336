"""Layout models: a parsed PDF as Document -> Page -> Block, with a char-offset -> box map per page."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from schemas.base import BlockKind, Frozen, Lang, PageQuality

Box = tuple[float, float, float, float]
"""(x0, top, x1, bottom) in PDF points, pdfplumber's coordinates (top measured from the page top)."""

NO_BOX: Box = (0.0, 0.0, 0.0, 0.0)
"""Box of a character that the layout inserted (a newline or a joining space): it has no ink."""


class Block(Frozen):
    """A run of lines read together: a paragraph, heading, caption, footnote, header, table ..."""

    page_no: int = Field(ge=1)
    block_no: int = Field(ge=0)
    kind: BlockKind
    lang: Lang
    text: str
    char_start: int = Field(ge=0, description="offset of the block's text in Page.text (-1 free)")
    char_end: int = Field(ge=0)
    x0: float
    top: float
    x1: float
    bottom: float
    column: int = 0


class CitationMarker(Frozen):
    """A superscript citation marker ([12], ①) taken out of the words it was glued to."""

    page_no: int
    marker: str
    char_offset: int = Field(description="offset in Page.text where the marker stood")
    x0: float
    top: float
    x1: float
    bottom: float


class Page(Frozen):
    """One page: cleaned reading-order text, its blocks, and one box per character of text."""

    page_no: int = Field(ge=1)
    width: float
    height: float
    text: str
    quality: PageQuality
    blocks: tuple[Block, ...] = ()
    char_boxes: tuple[Box, ...] = Field(default=(), repr=False)
    markers: tuple[CitationMarker, ...] = ()
    n_images: int = 0


class DocumentMeta(Frozen):
    """What the document says about itself (CONTRACT.md `documents`)."""

    title_zh: str | None = None
    title_en: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    issued_date: date | None = None
    published_date: date | None = None
    received_date: date | None = None
    doi: str | None = None
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None


class Document(Frozen):
    """A laid-out PDF: identity, pages and metadata."""

    doc_id: str = Field(pattern=r"^[0-9a-f]{64}$")
    file_name: str
    lang: Lang
    page_count: int
    pages: tuple[Page, ...]
    meta: DocumentMeta = DocumentMeta()
