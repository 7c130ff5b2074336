"""The bilingual technology taxonomy: load it, look a surface up, and find its synonyms in running text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from spacy.matcher import PhraseMatcher

from extractors.fastre import literal_alternation
from extractors.nlp import en_nlp, load_rules

CATEGORIES = frozenset({"zero_carbon_energy", "low_carbon_industry", "sinks_negative_emissions"})
_SUFFIXES = ("关键技术与装备", "技术与装备", "关键技术", "技术装备", "技术", "研究", "应用")


@dataclass(frozen=True)
class TechEntry:
    """One canonical technology of rules/technologies.yaml."""

    id: str
    name_en: str
    name_zh: str
    synonyms_en: tuple[str, ...]
    synonyms_zh: tuple[str, ...]
    category: str
    sector: str
    example: str
    text: bool = True

    def surfaces(self) -> tuple[str, ...]:
        """Every name and synonym, both languages."""
        return (self.name_en, self.name_zh, *self.synonyms_en, *self.synonyms_zh)


@dataclass(frozen=True)
class Mention:
    """A taxonomy surface found in a string: [start, end) offsets into that string."""

    start: int
    end: int
    entry: TechEntry


def normalise(text: str) -> str:
    """Lookup key: NFKC, no whitespace or markup, lower case, subscript two as '2'."""
    text = re.sub(r"</?su[bp]>", "", text).replace("₂", "2")
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


@lru_cache(maxsize=1)
def load_taxonomy() -> tuple[TechEntry, ...]:
    """The reviewed taxonomy from rules/technologies.yaml."""
    out = []
    for e in load_rules("technologies"):
        out.append(TechEntry(
            id=e["id"], name_en=e["name_en"], name_zh=e["name_zh"],
            synonyms_en=tuple(e.get("synonyms_en") or ()), synonyms_zh=tuple(e.get("synonyms_zh") or ()),
            category=e["category"], sector=e["sector"], example=e["example"], text=e.get("text", True)))
    return tuple(out)


@lru_cache(maxsize=1)
def surface_index() -> dict[str, TechEntry]:
    """Normalised surface -> entry (the taxonomy test guarantees one entry per surface)."""
    index: dict[str, TechEntry] = {}
    for entry in load_taxonomy():
        for s in entry.surfaces():
            index.setdefault(normalise(s), entry)
    return index


def by_id(tech_id: str) -> TechEntry | None:
    """The entry with this id, or None."""
    return next((e for e in load_taxonomy() if e.id == tech_id), None)


def lookup(surface: str) -> TechEntry | None:
    """The entry a list item names: exact surface, then without a '技术' suffix, then a dominant synonym."""
    index = surface_index()
    key = normalise(surface)
    if key in index:
        return index[key]
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and key[: -len(suffix)] in index:
            return index[key[: -len(suffix)]]
    best = max((k for k in index if len(k) >= 2 and k in key), key=len, default=None)
    if best is not None and len(best) * 2 >= len(key):
        return index[best]
    return None


def _is_ascii_word(s: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 .\-/]*", s))


@lru_cache(maxsize=1)
def _zh_pattern() -> tuple[re.Pattern[str], dict[str, TechEntry]]:
    """One alternation of every Chinese surface (and ASCII acronym), longest first, over normalised text."""
    keys: dict[str, TechEntry] = {}
    for entry in load_taxonomy():
        if not entry.text:
            continue
        for s in (entry.name_zh, *entry.synonyms_zh, *entry.synonyms_en):
            k = normalise(s)
            if re.search(r"[\u4e00-\u9fff]", s) or (s.isupper() and len(k) >= 2 and _is_ascii_word(s)):
                keys.setdefault(k, entry)
    return literal_alternation(sorted(keys, key=len, reverse=True), "a-z0-9"), keys


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    """Normalised text and, per normalised char, the offset of the source char it came from."""
    out: list[str] = []
    idx: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        norm = _normalise_char(ch)
        out.append(norm)
        idx.extend([i] * len(norm))
    return "".join(out), idx


@lru_cache(maxsize=8192)
def _normalise_char(ch: str) -> str:
    """normalise() of one char (NFKC may expand it to several): texts repeat a few thousand chars."""
    return normalise(ch)


def find_zh(text: str) -> list[Mention]:
    """Taxonomy surfaces in Chinese text, longest match first, left to right (spaces and case ignored)."""
    pattern, keys = _zh_pattern()
    norm, idx = _normalised_with_map(text)
    return [Mention(idx[m.start()], idx[m.end() - 1] + 1, keys[m.group()])
            for m in pattern.finditer(norm) if m.end() > m.start()]


@lru_cache(maxsize=1)
def _en_matchers() -> tuple[PhraseMatcher, PhraseMatcher, dict[str, TechEntry]]:
    """PhraseMatchers over English surfaces: case-insensitive phrases, case-sensitive acronyms."""
    nlp = en_nlp()
    lower, exact = PhraseMatcher(nlp.vocab, attr="LOWER"), PhraseMatcher(nlp.vocab, attr="ORTH")
    ids: dict[str, TechEntry] = {}
    for entry in load_taxonomy():
        if not entry.text:
            continue
        ids[entry.id] = entry
        phrases = [s for s in (entry.name_en, *entry.synonyms_en) if s.isascii()]
        acronyms = [s for s in phrases if any(c.isupper() for c in s[1:])]
        plain = [s for s in phrases if s not in acronyms]
        variants = [s + "s" for s in plain if not s.endswith("s")]
        variants += [s[:-1] for s in plain if s.endswith("s") and not s.endswith("ss")]
        lower.add(entry.id, [nlp.make_doc(s) for s in dict.fromkeys(plain + variants)])
        if acronyms:
            exact.add(entry.id, [nlp.make_doc(s) for s in acronyms])
    return lower, exact, ids


def find_en(text: str) -> list[Mention]:
    """Taxonomy surfaces in English text by spaCy PhraseMatcher; overlaps resolved longest first."""
    lower, exact, ids = _en_matchers()
    doc = en_nlp().make_doc(text)
    spans = []
    for matcher in (lower, exact):
        for match_id, s, e in matcher(doc):
            span = doc[s:e]
            spans.append((span.start_char, span.end_char, ids[doc.vocab.strings[match_id]]))
    spans.sort(key=lambda t: (-(t[1] - t[0]), t[0]))
    taken: list[Mention] = []
    for start, end, entry in spans:
        if all(end <= m.start or start >= m.end for m in taken):
            taken.append(Mention(start, end, entry))
    return sorted(taken, key=lambda m: m.start)


def find_mentions(text: str, lang: str) -> list[Mention]:
    """Taxonomy mentions in one sentence of either language."""
    return find_zh(text) if lang == "zh" else find_en(text)
