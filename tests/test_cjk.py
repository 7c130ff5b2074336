"""CJK-aware joining of chars and lines."""

from __future__ import annotations

from extractors.cjk import chars_to_text, is_cjk, join_lines, line_to_text, squeeze_cjk_spaces
from schemas.layout import NO_BOX


def _chars(spec: list[tuple[str, float]], size: float = 10.0) -> list[dict]:
    """(text, x0) pairs -> pdfplumber-like chars, each `size` wide (half for ASCII)."""
    out = []
    for text, x0 in spec:
        w = size / 2 if text.isascii() else size
        out.append({"text": text, "x0": x0, "x1": x0 + w, "top": 0.0, "bottom": size, "size": size})
    return out


def test_is_cjk():
    assert is_cjk("中") and is_cjk("，") and is_cjk("〔") and is_cjk("①")
    assert not is_cjk("a") and not is_cjk("2") and not is_cjk("")


def test_no_space_next_to_cjk_but_word_gaps_in_latin():
    chars = _chars([("到", 0), (" ", 10), ("2", 14), ("0", 19), ("年", 26),
                    ("G", 40), ("D", 45), ("P", 50), ("a", 60), ("b", 65)])
    text, boxes = line_to_text(chars)
    assert text == "到20年GDP ab"
    assert len(boxes) == len(text) and boxes[text.index(" ")] == NO_BOX


def test_offsets_point_at_each_char():
    chars = _chars([("A", 0), ("B", 10), ("中", 20)])
    text, _, starts = chars_to_text(chars)
    assert text == "A B中" and starts == [0, 2, 3]


def test_join_lines_cjk_english_and_hyphen():
    zh = join_lines([("力争到2025", [(0, 0, 1, 1)] * 7), ("年实现", [(0, 2, 1, 3)] * 3)])
    assert zh[0] == "力争到2025年实现"
    en, boxes = join_lines([("the elec-", [(0, 0, 1, 1)] * 9), ("tricity grid", [(0, 2, 1, 3)] * 12)])
    assert en == "the electricity grid" and len(boxes) == len(en)
    words = join_lines([("net zero", [(0, 0, 1, 1)] * 8), ("by 2050", [(0, 2, 1, 3)] * 7)])
    assert words[0] == "net zero by 2050"


def test_squeeze_cjk_spaces():
    assert squeeze_cjk_spaces("到 2025 年 GDP and more") == "到2025年GDP and more"
