"""The actor of a dated clause or a policy mention: in the text, earlier in the paragraph, the section, the issuer."""

from __future__ import annotations

from extractors import actors
from schemas.layout import Document


def preceding_actor(doc: Document, page_no: int, offset: int) -> str | None:
    """The last actor named before `offset` in its block or the block before it (not past a heading)."""
    page = doc.pages[page_no - 1]
    before = [b for b in page.blocks if b.char_start <= offset and b.kind != "header"]
    for block in reversed(before[-2:]):
        if block.kind == "heading" and block.char_end <= offset:
            return None
        text = page.text[block.char_start:min(block.char_end, offset)]
        found = actors.find_actors(text)
        if found:
            return found[-1].actor
    return None


def actor_for(doc: Document, scopes: list[str], page_no: int, offset: int) -> str | None:
    """First actor named in the scopes (clause, sentence), else earlier in the paragraph, else inherited."""
    for scope in scopes:
        found = actors.find_actors(scope or "")
        if found:
            return found[0].actor
    return (preceding_actor(doc, page_no, offset) or actors.section_actor(doc, page_no, offset)
            or actors.document_actor(doc))
