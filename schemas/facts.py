"""Fact models: every fact carries its provenance (page, char offsets into Page.text, quote, box)."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import ClassVar

from pydantic import Field, model_validator

from schemas.base import (
    DatePrecision,
    DateRole,
    DeadlineType,
    Frozen,
    Horizon,
    Lang,
    Qualifier,
    Stage,
    TargetKind,
    TechCategory,
    TechOrigin,
)


def make_fact_id(doc_id: str, kind: str, page_no: int, char_start: int, char_end: int, ordinal: int) -> str:
    """CONTRACT.md: hex digest of doc_id | fact kind | page_no | char_start | char_end | ordinal."""
    key = f"{doc_id}|{kind}|{page_no}|{char_start}|{char_end}|{ordinal}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


class FactBox(Frozen):
    """One box of a quote that runs over several lines, columns or pages."""

    page_no: int = Field(ge=1)
    x0: float
    top: float
    x1: float
    bottom: float


class Evidence(Frozen):
    """Provenance shared by every fact row (CONTRACT.md 'Every fact row carries')."""

    KIND: ClassVar[str] = ""

    doc_id: str = Field(pattern=r"^[0-9a-f]{64}$")
    page_no: int = Field(ge=1)
    char_start: int = Field(ge=0)
    char_end: int = Field(ge=0)
    quote: str
    x0: float
    top: float
    x1: float
    bottom: float
    lang: Lang
    extractor: str
    rule_id: str
    extractor_version: str
    ordinal: int = Field(default=0, ge=0)
    boxes: tuple[FactBox, ...] = ()

    @model_validator(mode="after")
    def _offsets_ordered(self) -> Evidence:
        if self.char_end < self.char_start:
            raise ValueError(f"char_end {self.char_end} < char_start {self.char_start}")
        return self

    @property
    def fact_id(self) -> str:
        return make_fact_id(self.doc_id, self.KIND, self.page_no, self.char_start, self.char_end, self.ordinal)


class DateFact(Evidence):
    KIND: ClassVar[str] = "policy_dates"

    surface: str
    iso: str
    date_start: date
    date_end: date
    precision: DatePrecision
    role: DateRole
    event: str | None = None
    actor: str | None = None

    @model_validator(mode="after")
    def _span_ordered(self) -> DateFact:
        if self.date_end < self.date_start:
            raise ValueError(f"date_end {self.date_end} before date_start {self.date_start}")
        for d in (self.date_start, self.date_end):
            if not 1000 <= d.year <= 2200:
                raise ValueError(f"year {d.year} outside 1000-2200")
        return self


class Target(Evidence):
    KIND: ClassVar[str] = "targets"

    target_key: str
    actor: str | None = None
    actor_surface: str | None = None
    kind: TargetKind
    subject: str | None = None
    subject_surface: str | None = None
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None
    unit_surface: str | None = None
    qualifier: Qualifier | None = None
    baseline_year: int | None = Field(default=None, ge=1900, le=2200)
    start_year: int | None = Field(default=None, ge=1900, le=2200)
    target_year: int | None = Field(default=None, ge=1900, le=2200)
    deadline_type: DeadlineType | None = None
    period_years: int | None = Field(default=None, ge=1, le=100)
    date_fact_id: str | None = None
    confidence: float = Field(ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _range_ordered(self) -> Target:
        if self.value is not None and self.value_max is not None and self.value_max < self.value:
            raise ValueError(f"value_max {self.value_max} < value {self.value}")
        if self.value is None and self.value_max is not None:
            raise ValueError("value_max without value")
        return self


class Policy(Evidence):
    KIND: ClassVar[str] = "policies"

    title: str = Field(min_length=1)
    actor: str | None = None
    year: int | None = Field(default=None, ge=1900, le=2200)
    ref: str | None = None
    mentions: int = Field(default=1, ge=1)


class Technology(Evidence):
    KIND: ClassVar[str] = "technologies"

    name_surface: str = Field(min_length=1)
    canonical_id: str | None = None
    name_en: str | None = None
    name_zh: str | None = None
    category: TechCategory | None = None
    sector: str | None = None
    group_name: str | None = None
    horizon: Horizon | None = None
    horizon_surface: str | None = None
    stage: Stage | None = None
    actor: str | None = None
    origin: TechOrigin


class DocReference(Frozen):
    """One entry of the reference list or a citing footnote."""

    doc_id: str
    ref: str
    ordinal: int = Field(ge=0)
    authors: str | None = None
    title: str | None = None
    year: int | None = Field(default=None, ge=1000, le=2200)
    url: str | None = None
    accessed: date | None = None
    page_no: int | None = None
    text: str = ""


class TableCell(Frozen):
    """One cell; a spanned cell is stored once with its spans."""

    row_no: int = Field(ge=0)
    col_no: int = Field(ge=0)
    row_span: int = Field(default=1, ge=1)
    col_span: int = Field(default=1, ge=1)
    text: str
    is_header: bool = False
    page_no: int = Field(ge=1)
    x0: float
    top: float
    x1: float
    bottom: float
    refs: tuple[str, ...] = ()


class DocTable(Frozen):
    """One table (stitched across pages into one) with its caption in both languages."""

    doc_id: str
    table_id: str
    page_no: int = Field(ge=1)
    pages: tuple[int, ...] = ()
    label: str | None = None
    caption_zh: str | None = None
    caption_en: str | None = None
    n_rows: int = Field(ge=0)
    n_cols: int = Field(ge=0)
    flags: tuple[str, ...] = ()
    x0: float
    top: float
    x1: float
    bottom: float
    cells: tuple[TableCell, ...] = ()


FACT_MODELS: dict[str, type[Evidence]] = {
    m.KIND: m for m in (DateFact, Target, Policy, Technology)
}
