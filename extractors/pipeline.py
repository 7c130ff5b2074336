"""One PDF -> an ExtractionPackage: layout, tables, metadata, quality, then every fact extractor."""

from __future__ import annotations

import importlib
import time
from pathlib import Path

import pdfplumber

from schemas.runs import Candidate, ExtractionPackage

# Fact extractors, in order (targets link to the date facts found by `dates`). Each module defines
# VERSION and extract(doc: Document, tables: tuple[DocTable, ...]) -> list[Candidate].
FACT_EXTRACTORS: tuple[str, ...] = ("dates", "policies", "targets", "technologies")


def pdf_to_package(path: Path, doc_id: str, file_name: str) -> ExtractionPackage:
    """Parse and extract one PDF; raises DocumentRejected when its text is unusable."""
    import extractors.layout as layout
    import extractors.metadata as metadata
    import extractors.references as references
    import extractors.tables as tables
    import extractors.text_quality as text_quality

    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        doc, found_tables = layout.pdf_to_document(pdf, doc_id, file_name)
    seconds["parse_layout"] = time.perf_counter() - t0
    text_quality.check_document(doc)
    t = time.perf_counter()
    doc = doc.model_copy(update={"meta": metadata.document_to_meta(doc)})
    refs = tuple(references.extract(doc))
    seconds["metadata"] = time.perf_counter() - t
    found = tuple(tables.finalize(doc, found_tables))
    candidates: list[Candidate] = []
    for name in FACT_EXTRACTORS:
        t = time.perf_counter()
        module = importlib.import_module(f"extractors.{name}")
        candidates.extend(module.extract(doc, found))
        seconds[name] = time.perf_counter() - t
    return ExtractionPackage(document=doc, tables=found, references=refs,
                             candidates=tuple(candidates), stage_seconds=seconds)
