"""What the loader writes for one extraction run of one document (warehouse.load.load_document's input)."""

from __future__ import annotations

from datetime import datetime

from pydantic import model_validator

from schemas.base import DocStatus, Frozen, Reason
from schemas.facts import DateFact, DocReference, DocTable, Policy, Target, Technology
from schemas.layout import Document
from schemas.runs import Rejection

Fact = DateFact | Target | Policy | Technology


class DocumentLoad(Frozen):
    """One run's validated content: a document loaded entirely (status ok) or recorded as failed."""

    doc_id: str
    source: str
    file_name: str
    stored_path: str | None = None
    pipeline_version: str
    run_id: str
    started_at: datetime | None = None
    finished_at: datetime | None = None
    status: DocStatus
    reason: Reason | None = None
    error: str | None = None
    document: Document | None = None
    tables: tuple[DocTable, ...] = ()
    references: tuple[DocReference, ...] = ()
    facts: tuple[Fact, ...] = ()
    rejections: tuple[Rejection, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> DocumentLoad:
        if self.status == "ok" and self.document is None:
            raise ValueError("an ok load needs its document")
        if self.status == "failed" and self.reason is None:
            raise ValueError("a failed load needs a reason code")
        if self.document is not None and self.document.doc_id != self.doc_id:
            raise ValueError(f"document {self.document.doc_id} is not doc_id {self.doc_id}")
        strays = {f.doc_id for f in self.facts} - {self.doc_id}
        if strays:
            raise ValueError(f"facts of other documents in the load: {sorted(strays)}")
        return self
