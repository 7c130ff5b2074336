"""The fast paths of targets give exactly what the plain versions gave, on real PDFs (seed + wimby)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pdfplumber
import pytest

from extractors import layout, tables
from extractors.targets import joined_sentences, locate
from extractors.targets_rules import _subject_index, find_subjects
from extractors.targets_text import _MARKER_RE, _TRANS, Squeezed, mask_titles, squeeze
from schemas.facts import DocTable
from schemas.layout import Document
from tests.conftest import corpus_pdf


def _parse(path: Path) -> tuple[Document, list[DocTable]]:
    doc_id = hashlib.sha256(path.read_bytes()).hexdigest()
    with pdfplumber.open(path) as pdf:
        doc, found = layout.pdf_to_document(pdf, doc_id, path.name)
    return doc, list(tables.finalize(doc, found))


@pytest.fixture(scope="module")
def docs(seed_pdf: Path) -> list[tuple[Document, list[DocTable]]]:
    return [_parse(seed_pdf), _parse(corpus_pdf("en_wimby_germany_energy_policy_targets.pdf"))]


def _plain_squeeze(text: str) -> Squeezed:
    """squeeze as first written: char by char, a set of skipped marker positions."""
    t = text.translate(_TRANS)
    out: list[str] = []
    idx: list[int] = []
    skip = {i for m in _MARKER_RE.finditer(t) for i in range(m.start(), m.end())}
    for i, c in enumerate(t):
        if i in skip:
            continue
        if c.isspace():
            if not out or out[-1] == " ":
                continue
            j = i + 1
            while j < len(t) and t[j].isspace():
                j += 1
            if j < len(t) and out[-1].isascii() and t[j].isascii():
                out.append(" ")
                idx.append(i)
            continue
        out.append(c)
        idx.append(i)
    s = "".join(out)
    return Squeezed(s, mask_titles(s), tuple(idx))


def _plain_locate(page_text: str, text: str, lo: int = 0) -> tuple[int, int] | None:
    """locate as first written: one whitespace-flexible regex per cell."""
    chars = [c for c in text if not c.isspace()][:400]
    if not chars:
        return None
    pat = re.compile(r"\s*".join(re.escape(c) for c in chars))
    m = pat.search(page_text, lo) or pat.search(page_text)
    return (m.start(), m.end()) if m else None


MARKERS = ["需\n[1]\n在2030年前减半", "a \n[1]\nb", "a \n①\nb", "a\n①\n b", "２０３０ 年 \n\t 达到 ５０％",
           " lead  and\ttrail ", "\n[2,3]\n", "x \u3000 y", "中 a", "a 中"]


def test_squeeze_matches_the_char_by_char_version(docs: list[tuple[Document, list[DocTable]]]) -> None:
    texts = [s.text for doc, _ in docs for s in joined_sentences(doc)] + MARKERS
    assert len(texts) > 100
    for text in texts:
        assert squeeze(text) == _plain_squeeze(text), text
    assert squeeze("a \n①\nb").index == (0, 4, 5)  # the space is the one after the marker


def test_grouped_subjects_match_the_flat_alternation(docs: list[tuple[Document, list[DocTable]]]) -> None:
    grouped, index = _subject_index()
    assert "" not in index
    firsts = {k[0] for k in index}
    assert len({c.upper() for c in firsts}) == len(firsts)  # no two groups match the same char under re.I
    flat = re.compile("|".join(rf"(?<![A-Za-z]){re.escape(k)}(?![a-z])" if k.isascii() else re.escape(k)
                               for k in sorted(index, key=len, reverse=True)), re.I)
    texts = [p.text for doc, _ in docs for p in doc.pages]
    texts += [t.upper() for t in texts] + ["ſolar KWH Coal-fired xcoal coalx Renewable Energy 非化石能源"]
    hits = 0
    for text in texts:
        want = [(m.start(), m.end(), m.group()) for m in flat.finditer(text)]
        assert [(m.start(), m.end(), m.group()) for m in grouped.finditer(text)] == want
        hits += len(want)
    assert hits > 20
    found = find_subjects("非化石能源 and Renewable Energy")
    assert [m.subject for m in found] == [index["非化石能源"], index["renewable energy"]]


def test_locate_matches_the_regex_per_cell(docs: list[tuple[Document, list[DocTable]]]) -> None:
    found = 0
    for doc, doc_tables in docs:
        for cell in (c for t in doc_tables for c in t.cells if c.page_no <= len(doc.pages)):
            page = doc.pages[cell.page_no - 1].text
            for lo in (0, len(page) // 2):
                want = _plain_locate(page, cell.text, lo)
                assert locate(page, cell.text, lo) == want, cell.text
                found += want is not None
    assert found > 10
    long_page = "x" * 10 + "a" * 450 + "b"
    assert locate(long_page, "a" * 400 + "c") == (10, 410)  # the first 400 chars are what is looked for
