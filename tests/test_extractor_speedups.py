"""The fast paths of the extractors (grouped alternations, regex prefilters, per-document memos, ink search)
give exactly what the plain versions give, on real documents."""

from __future__ import annotations

import hashlib
import re

import pdfplumber
import pytest
from conftest import corpus_pdf

from extractors import actors, dates, layout, tables
from extractors.dates_find import _rule_prefilters, compact, load_rules
from extractors.fastre import literal_alternation, may_match, required_chars
from extractors.technologies_lines import document_lines, page_lines
from schemas.facts import DocTable
from schemas.layout import Document


def _parse(path) -> tuple[Document, list[DocTable]]:
    with pdfplumber.open(path) as pdf:
        doc, found = layout.pdf_to_document(pdf, hashlib.sha256(path.read_bytes()).hexdigest(), path.name)
    return doc, list(tables.finalize(doc, found))


@pytest.fixture(scope="module")
def seed(seed_pdf) -> tuple[Document, list[DocTable]]:
    return _parse(seed_pdf)


@pytest.fixture(scope="module")
def wimby() -> tuple[Document, list[DocTable]]:
    return _parse(corpus_pdf("en_wimby_germany_energy_policy_targets.pdf"))


def _flat_alternation(surfaces: list[str], word: str) -> re.Pattern[str]:
    """The plain form literal_alternation must agree with: every surface in turn, whole ASCII words."""
    return re.compile("|".join(rf"(?<![{word}]){re.escape(s)}(?![{word}])" if s.isascii() else re.escape(s)
                               for s in surfaces))


def _texts(*docs: tuple[Document, list[DocTable]]) -> list[str]:
    return [p.text for d, _ in docs for p in d.pages] + [
        "the USA and the US, not BUS or USSR; U.S. policy, UKraine, UK-wide, 美国政府和英国", "US", "xUS"]


def test_actor_alternation_matches_flat_alternation(seed, wimby) -> None:
    surfaces = sorted(actors._surface_index()[1], key=len, reverse=True)
    fast, flat = literal_alternation(surfaces, "A-Za-z"), _flat_alternation(surfaces, "A-Za-z")
    found = 0
    for text in _texts(seed, wimby):
        got = [(m.span(), m.group()) for m in fast.finditer(text)]
        assert got == [(m.span(), m.group()) for m in flat.finditer(text)]
        found += len(got)
    assert found > 20


def test_required_chars_reads_what_every_match_needs() -> None:
    assert required_chars(re.compile(r"a?b+c")) in ({"b"}, {"c"})
    assert required_chars(re.compile(r"(?:x|yz)")) == {"x", "y"}
    assert required_chars(re.compile(r"[0-3]年")) in ({"年"}, {"0", "1", "2", "3"})
    for never in (r"a?", r"x|y?", r"[^a]", r"\d", r"(?i)abc", r"(?i:a)", r".", r"(?=a)"):
        assert required_chars(re.compile(never)) is None, never
    assert not may_match(frozenset("年"), "no year here") and may_match(None, "")


def test_date_rule_prefilters_never_skip_a_match(seed, wimby) -> None:
    """A rule skipped for a text (none of its required chars in it) has no match there: checked on every page."""
    skipped = 0
    texts = _texts(seed, wimby) + [r.example for r in load_rules()]
    for text in texts:
        ctext = compact(text)[0]
        for rule, needs in zip(load_rules(), _rule_prefilters(), strict=True):
            if not may_match(needs, set(ctext)):
                skipped += 1
                assert rule.pattern.search(ctext) is None, (rule.id, ctext[:80])
    assert skipped > 50
    assert sum(n is not None for n in _rule_prefilters()) >= len(load_rules()) - 3


def _regex_locate(page_text: str, cell_text: str, lo: int, hi: int) -> tuple[int, int] | None:
    chars = [c for c in cell_text if not c.isspace()]
    if not chars:
        return None
    pat = re.compile(r"\s*".join(re.escape(c) for c in chars))
    m = pat.search(page_text, lo, hi) or pat.search(page_text)
    return (m.start(), m.end()) if m else None


def test_locate_cell_matches_whitespace_flexible_regex(wimby, seed) -> None:
    checked = 0
    for doc, found in (wimby, seed):
        for table in found:
            for cell in table.cells:
                text = doc.pages[cell.page_no - 1].text
                for lo in (0, len(text) // 2):
                    for probe in (cell.text, cell.text[1:], cell.text + " x"):
                        want = _regex_locate(text, probe, lo, len(text))
                        assert dates.locate_cell(text, probe, lo, len(text)) == want
                        checked += want is not None
    assert checked > 100


def _walk_section_actor(doc: Document, page_no: int, offset: int) -> str | None:
    """section_actor as a plain walk back over every block (what the per-document index replaces)."""
    for page in reversed(doc.pages[:page_no]):
        for block in reversed(page.blocks):
            if page.page_no == page_no and block.char_start > offset:
                continue
            if block.kind == "heading":
                actor = actors.heading_actor(block.text)
                if actor:
                    return actor
                if re.match(r"^\s*\d+\s+\S", block.text):
                    return None
    return None


def test_section_actor_matches_a_walk_over_the_blocks(seed) -> None:
    doc, _ = seed
    named = 0
    for page in doc.pages:
        for block in page.blocks:
            for offset in (block.char_start, block.char_start + 1, block.char_end):
                want = _walk_section_actor(doc, page.page_no, offset)
                assert actors.section_actor(doc, page.page_no, offset) == want
                named += want is not None
    assert named > 10


def test_document_lines_are_page_lines_once_per_document(seed) -> None:
    doc, _ = seed
    lines = document_lines(doc)
    assert document_lines(doc) is lines
    assert list(lines) == [page_lines(p) for p in doc.pages]
    copy = doc.model_copy()
    assert document_lines(copy) is not lines and document_lines(copy) == lines


def _plain_compact(text: str) -> tuple[str, list[int]]:
    """compact() as a walk over every char: each whitespace run dropped, or one space if neither side sticks."""
    from extractors.dates_find import _sticky

    out: list[str] = []
    index: list[int] = []
    i, n = 0, len(text)
    while i < n:
        if not text[i].isspace():
            out.append(text[i])
            index.append(i)
            i += 1
            continue
        j = i
        while j < n and text[j].isspace():
            j += 1
        if out and j < n and not _sticky(out[-1]) and not _sticky(text[j]):
            out.append(" ")
            index.append(i)
        i = j
    return "".join(out), index


def test_compact_matches_a_walk_over_every_char(seed, wimby) -> None:
    tricky = [" 2025 年 ", "到 2025\n年", "a  b\tc\u3000d", "x \u2028y", "— 7 —", "“ 2030 ”", " ", "", "a\n"]
    for text in _texts(seed, wimby) + tricky:
        assert compact(text) == _plain_compact(text), repr(text[:60])
