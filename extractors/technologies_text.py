"""Technology mentions in running text: taxonomy synonyms per sentence, each technology once a sentence."""

from __future__ import annotations

from dataclasses import dataclass

from extractors.actors import find_actors
from extractors.provenance import text_lang
from extractors.sentences import document_sentences
from extractors.technologies_taxonomy import TechEntry, find_mentions
from schemas.layout import Document

TEXT_KINDS = frozenset({"paragraph", "heading", "list", "caption"})


@dataclass(frozen=True)
class TextMention:
    """One taxonomy technology named in a sentence, with the actor the sentence names before it."""

    page_no: int
    start: int
    end: int
    entry: TechEntry
    lang: str
    actor: str | None


def _free(claimed: dict[int, list[tuple[int, int]]], page_no: int, a: int, b: int) -> bool:
    return all(b <= s or a >= e for s, e in claimed.get(page_no, ()))


def document_mentions(doc: Document, claimed: dict[int, list[tuple[int, int]]]) -> list[TextMention]:
    """Mentions in body sentences, skipping spans already taken by tables, figures and catalogues."""
    out: list[TextMention] = []
    for sent in document_sentences(doc, TEXT_KINDS):
        lang = text_lang(sent.text, doc.lang)
        seen: set[str] = set()
        actors = find_actors(sent.text)
        for m in find_mentions(sent.text, lang):
            a, b = sent.start + m.start, sent.start + m.end
            if m.entry.id in seen or not _free(claimed, sent.page_no, a, b):
                continue
            seen.add(m.entry.id)
            before = [x for x in actors if x.end <= m.start]
            actor = before[-1].actor if before else None
            out.append(TextMention(sent.page_no, a, b, m.entry, lang, actor))
    return out
