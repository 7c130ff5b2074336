"""scripts/render_seed.py: a deterministic, text-extractable two-column journal PDF."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from flows.corpus import seed_transcript

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "render_seed.py"
SEED = seed_transcript()
A4 = (595.2756, 841.8898)
MARGIN_X, COL_W, GUTTER = 54.0, (A4[0] - 2 * 54.0 - 16.0) / 2, 16.0


def render(out: Path) -> Path:
    subprocess.run(
        [sys.executable, str(SCRIPT), "--seed", str(SEED), "--out", str(out)],
        check=True,
        cwd=REPO,
        capture_output=True,
        timeout=300,
    )
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    return render(tmp_path_factory.mktemp("seed") / "seed.pdf")


@pytest.fixture(scope="module")
def pdf(rendered):
    with pdfplumber.open(rendered) as doc:
        yield doc


@pytest.fixture(scope="module")
def texts(pdf) -> list[str]:
    return [page.extract_text() or "" for page in pdf.pages]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_render_is_deterministic(rendered, tmp_path):
    again = render(tmp_path / "again.pdf")
    assert sha256(rendered) == sha256(again)


def test_pages_are_a4(pdf):
    assert len(pdf.pages) >= 5
    for page in pdf.pages:
        assert (page.width, page.height) == pytest.approx(A4, abs=0.5)


def test_title_on_first_page(texts):
    assert "国际碳中和战略行动与科技布局" in texts[0]
    assert "摘要" in texts[0] and "关键词" in texts[0]


def test_chinese_text_extracts_without_cid_codes(texts):
    assert all("(cid:" not in t for t in texts)


def test_table1_with_cell_text(texts):
    assert any("表1" in t and "《欧洲氢能战略》" in t for t in texts)
    table_page = next(t for t in texts if "表1 主要国家和地区氢能战略比较" in t)
    assert "Table 1 Comparison of hydrogen strategies" in table_page
    assert "《欧洲氢能战略》[12]" in table_page  # the citation stays a superscript right after the title
    assert "《韩国氢能经济路线图》[16]" in table_page


def test_table2_and_figure3_captions(texts):
    joined = "\n".join(texts)
    assert "表2 主要发达国家和地区碳中和战略布局重点技术" in joined
    assert "图3 碳中和工作涉及的重要科技问题" in joined
    assert "乏燃料后处理与高放废物安全处理处置 (中)" in joined


def test_sub_and_superscripts_stay_inline(texts):
    joined = "\n".join(texts)
    assert "net zero CO2 emissions" in joined
    assert "1.5°C[1]" in joined


def test_footnotes_are_extracted(texts):
    joined = "\n".join(texts)
    assert "① Macmillan Dictionary." in joined
    assert "⑫ 基于自然的解决方案" in joined


def test_english_abstract_at_the_end(texts):
    assert "Abstract" in texts[-1]
    assert "Analysis of International Carbon Neutralization" in texts[-1]


def test_body_pages_have_two_columns(pdf, texts):
    last_body = next(i for i, t in enumerate(texts) if "参考文献" in t)
    mid = A4[0] / 2
    for page in pdf.pages[1 : last_body + 1]:
        words = page.extract_words()
        assert any(w["x1"] < mid for w in words), f"page {page.page_number}: no left column"
        assert any(w["x0"] > mid for w in words), f"page {page.page_number}: no right column"


def test_words_stay_inside_the_text_block(pdf):
    for page in pdf.pages:
        for w in page.extract_words():
            assert w["x0"] >= MARGIN_X - 0.5 and w["x1"] <= A4[0] - MARGIN_X + 0.5, (
                page.page_number,
                w["text"],
            )


def test_column_text_does_not_cross_the_gutter(pdf, texts):
    """On pages without full-width floats or bands, every word sits inside one column."""
    left_end, right_start = MARGIN_X + COL_W, MARGIN_X + COL_W + GUTTER
    plain = [
        i
        for i, t in enumerate(texts)
        if 0 < i < len(texts) - 1
        and not any(k in t for k in ("表1 主要", "表2 主要", "图3 碳中和", "Abstract"))
    ]
    assert plain
    for i in plain:
        for w in pdf.pages[i].extract_words():
            if 60 < w["top"] < A4[1] - 50:  # between the running header and the page number
                assert w["x1"] <= left_end + 0.5 or w["x0"] >= right_start - 0.5, (i + 1, w["text"])
