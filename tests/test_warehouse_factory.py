"""Builders of real schema objects (Document, facts, DocumentLoad) for the warehouse tests, and their checks."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

from schemas.facts import DateFact, DocReference, DocTable, FactBox, Policy, TableCell, Target, Technology
from schemas.layout import Block, Document, DocumentMeta, Page
from schemas.load import DocumentLoad
from schemas.runs import Rejection

PAGE1 = "到2030年，非化石能源消费比重达到25%左右。《2030年前碳达峰行动方案》于2021年10月24日发布。"
PAGE2 = "Table 1 lists carbon capture, utilisation and storage (CCUS) as a long-term technology."


def doc_id_of(name: str) -> str:
    """A doc_id as the pipeline makes it: sha256 of some bytes."""
    return hashlib.sha256(name.encode()).hexdigest()


def span(text: str, part: str) -> tuple[int, int]:
    """Offsets of part in text (the quote is always an exact slice)."""
    start = text.index(part)
    return start, start + len(part)


def make_document(doc_id: str, file_name: str = "plan.pdf") -> Document:
    """A two-page bilingual document with blocks, the way layout.pdf_to_document returns one."""
    pages = []
    for no, text in ((1, PAGE1), (2, PAGE2)):
        lang = "zh" if no == 1 else "en"
        block = Block(page_no=no, block_no=0, kind="paragraph", lang=lang, text=text, char_start=0,
                      char_end=len(text), x0=72.0, top=100.0, x1=520.0, bottom=130.0)
        head = Block(page_no=no, block_no=1, kind="header", lang=lang, text="header", char_start=0,
                     char_end=0, x0=72.0, top=20.0, x1=200.0, bottom=30.0)
        pages.append(Page(page_no=no, width=595.0, height=842.0, text=text, quality="ok", blocks=(block, head)))
    meta = DocumentMeta(title_zh="碳达峰行动方案", doc_number="国发〔2021〕23号", issuer="CN",
                        issued_date=date(2021, 10, 24))
    return Document(doc_id=doc_id, file_name=file_name, lang="zh", page_count=2, pages=tuple(pages), meta=meta)


def _prov(doc_id: str, page_no: int, text: str, part: str, rule: str, ordinal: int = 0) -> dict:
    start, end = span(text, part)
    return dict(doc_id=doc_id, page_no=page_no, char_start=start, char_end=end, quote=part,
                x0=72.0 + start, top=100.0, x1=80.0 + end, bottom=112.0, lang="zh" if page_no == 1 else "en",
                extractor="test", rule_id=rule, extractor_version="1.0", ordinal=ordinal)


def make_facts(doc_id: str, *, share: float = 25.0) -> tuple:
    """One fact of each kind, quotes cut from the pages' text; the target's quote has two boxes."""
    target = Target(**_prov(doc_id, 1, PAGE1, "到2030年，非化石能源消费比重达到25%左右", "zh.share"),
                    target_key="CN|share|non_fossil|2030", actor="CN", kind="share", subject="non_fossil_share",
                    subject_surface="非化石能源消费比重", value=share, unit="%", qualifier="approx",
                    target_year=2030, deadline_type="by", confidence=0.9,
                    boxes=(FactBox(page_no=1, x0=72, top=100, x1=300, bottom=112),
                           FactBox(page_no=1, x0=72, top=114, x1=150, bottom=126)))
    when = DateFact(**_prov(doc_id, 1, PAGE1, "2021年10月24日", "zh.day"), surface="2021年10月24日",
                    iso="2021-10-24", date_start=date(2021, 10, 24), date_end=date(2021, 10, 24),
                    precision="day", role="event", event="发布", actor="CN")
    policy = Policy(**_prov(doc_id, 1, PAGE1, "《2030年前碳达峰行动方案》", "zh.book_title"),
                    title="2030年前碳达峰行动方案", actor="CN", year=2021, mentions=2)
    tech = Technology(**_prov(doc_id, 2, PAGE2, "carbon capture, utilisation and storage (CCUS)", "en.ccus"),
                      name_surface="carbon capture, utilisation and storage", canonical_id="ccus",
                      name_en="CCUS", name_zh="碳捕集利用与封存", category="sinks_negative_emissions",
                      horizon="long", origin="text")
    return (target, when, policy, tech)


def make_table(doc_id: str) -> DocTable:
    """A 2x2 table with a header row and a spanned cell."""
    cells = (
        TableCell(row_no=0, col_no=0, col_span=2, text="技术", is_header=True, page_no=2,
                  x0=72, top=200, x1=300, bottom=212),
        TableCell(row_no=1, col_no=0, text="CCUS", page_no=2, x0=72, top=214, x1=150, bottom=226, refs=("[3]",)),
        TableCell(row_no=1, col_no=1, text="远", page_no=2, x0=150, top=214, x1=300, bottom=226),
    )
    return DocTable(doc_id=doc_id, table_id="t1", page_no=2, pages=(2,), label="Table 1", caption_en="Technologies",
                    n_rows=2, n_cols=2, flags=("ruled",), x0=72, top=200, x1=300, bottom=226, cells=cells)


def make_load(doc_id: str, *, run_id: str = "run-1", source: str = "/data/plan.pdf", status: str = "ok",
              facts: tuple | None = None, reason: str | None = None, error: str | None = None) -> DocumentLoad:
    """A complete load of one run (ok) or a failure record (failed, no document)."""
    t = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    if status == "failed":
        return DocumentLoad(doc_id=doc_id, source=source, file_name=source.rsplit("/", 1)[-1],
                            pipeline_version="0.1.0+abc", run_id=run_id, started_at=t, finished_at=t,
                            status="failed", reason=reason or "parse_error", error=error or "boom\nsecond line")
    ref = DocReference(doc_id=doc_id, ref="[3]", ordinal=0, authors="IEA", title="Net Zero by 2050", year=2021,
                       accessed=date(2022, 1, 5))
    rej = Rejection(doc_id=doc_id, fact_kind="targets", payload={"value": "x"}, error="value: not a number",
                    page_no=1, quote="达到")
    return DocumentLoad(doc_id=doc_id, source=source, file_name=source.rsplit("/", 1)[-1],
                        stored_path=f"raw/store/{doc_id}.pdf", pipeline_version="0.1.0+abc", run_id=run_id,
                        started_at=t, finished_at=t, status="ok", document=make_document(doc_id),
                        tables=(make_table(doc_id),), references=(ref,),
                        facts=make_facts(doc_id) if facts is None else facts, rejections=(rej,))


def test_factory_quotes_are_exact_slices() -> None:
    doc_id = doc_id_of("a")
    doc = make_document(doc_id)
    for fact in make_facts(doc_id):
        assert doc.pages[fact.page_no - 1].text[fact.char_start:fact.char_end] == fact.quote


def test_document_load_round_trips_through_json() -> None:
    load = make_load(doc_id_of("a"))
    again = DocumentLoad.model_validate_json(load.model_dump_json())
    assert again == load
    assert [type(f).__name__ for f in again.facts] == ["Target", "DateFact", "Policy", "Technology"]
