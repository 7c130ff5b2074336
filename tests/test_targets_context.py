"""Where a target's actor and year come from: the issuing province or city, and the scope of a lead sentence."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from extractors.pipeline import pdf_to_package
from extractors.places import city_surface, find_places, issuer_place, load_places
from extractors.sentences import Sentence
from extractors.targets_find import find_targets
from extractors.targets_scope import ScopeTracker, lead_year, outline_level
from flows.evaluate import score_target_key, target_key_to_gold
from flows.validate import package_to_facts
from tests.layout_fixtures import CJK_FONT, render_pdf, text_at


def test_every_province_has_an_iso_code_and_its_example_title_names_it() -> None:
    places = load_places()
    assert len(places) == 34
    for p in places:
        found = find_places(p["example"], bare_cities=True)
        assert found and found[0].province == p["id"], p["example"]


def test_a_city_takes_its_province_code_and_keeps_its_name() -> None:
    (m,) = find_places("青岛市推进绿色建筑创建行动实施方案")[:1]
    assert (m.province, city_surface(m)) == ("CN-SD", "青岛市")
    (m,) = find_places("深圳碳普惠体系建设工作方案", bare_cities=True)[:1]
    assert (m.province, city_surface(m)) == ("CN-GD", "深圳市")
    assert city_surface(find_places("湖南省工业绿色发展规划")[0]) is None


def test_bare_city_names_count_only_where_asked() -> None:
    assert find_places("吉林大学的朝阳学院") == [find_places("吉林大学的朝阳学院")[0]]  # 吉林 (province) only
    assert [m.surface for m in find_places("朝阳市和朝阳")] == ["朝阳市"]


def _sentence(text: str, kind: str = "paragraph", page_no: int = 1) -> Sentence:
    return Sentence(page_no, 0, len(text), text, kind)


def test_outline_levels() -> None:
    assert [outline_level(t) for t in ("二、主要目标", "（一）总体要求", "1.严控项目", "（3）推进", "第一章 总则",
                                       "到2025年")] == [1, 2, 3, 4, 0, None]


def test_lead_sentences_open_a_scope_and_past_years_do_not() -> None:
    assert lead_year("到2025年，工业产业结构明显优化。")[:2] == (2025, "by")
    assert lead_year("力争2030年前，实现碳达峰。")[:2] == (2030, "before")
    assert lead_year("（二）2025年目标") is not None
    assert lead_year("2020年，全省可再生能源装机达到500万千瓦。", ref=2022) is None
    assert lead_year("2025年，全省可再生能源装机达到900万千瓦。", ref=2022)[:2] == (2025, "by")
    assert lead_year("全省到2025年的目标是……") is None  # the year is not where the sentence opens


def test_a_scope_holds_until_a_heading_at_its_level() -> None:
    track = ScopeTracker("a" * 64, ref=2022)
    assert track.enter(_sentence("二、主要目标", "heading")) is None
    assert track.enter(_sentence("到2025年，绿色制造水平明显提升。")).year == 2025
    assert track.enter(_sentence("——绿色工业园区占比50%以上，创建绿色工厂200家以上。", "list")).year == 2025
    assert track.enter(_sentence("1.严控项目。", "paragraph")).year == 2025  # a deeper level keeps it
    assert track.enter(_sentence("三、重点任务", "heading")) is None


def test_a_yearless_goal_takes_the_scope_year_and_says_so() -> None:
    (t,) = find_targets("创建绿色工厂200家以上。", "zh", scope=(2025, "by"))
    assert (t.value, t.target_year, t.deadline_type, t.extras["year_from"]) == (200, 2025, "by", "scope")
    assert find_targets("创建绿色工厂200家以上。", "zh") == []  # no year, no cue: not a goal on its own
    (own,) = find_targets("到2030年，创建绿色工厂300家。", "zh", scope=(2025, "by"))
    assert (own.target_year, own.extras["year_from"]) == (2030, None)


def _plan_pdf(path: Path, boxed: bool) -> Path:
    """A city's plan: title, a 主要目标 section with a lead sentence, goals on the next page."""
    lines_p1 = ["青岛市绿色建筑创建行动实施方案", "一、主要目标", "到2025年，全市绿色建筑水平明显提升。",
                "全市城镇新建建筑中绿色建筑面积占比达到100%。"]
    lines_p2 = ["新增绿色建材应用示范工程10个以上。", "二、重点任务", "推广装配式建筑，创建示范项目5个。"]

    def page(lines: list[str]):
        def draw(c) -> None:
            for i, t in enumerate(lines):
                top = 80 + i * 40
                if boxed:  # each paragraph in its own drawn box, as some word processors export them
                    c.rect(60, 842 - top - 30, 475, 34)
                text_at(c, 70, top, t, font=CJK_FONT, size=14 if i == 0 else 11)
        return draw
    return render_pdf(path, [page(lines_p1), page(lines_p2)])


@pytest.mark.parametrize("boxed", [False, True])
def test_a_city_plan_gives_its_goals_the_province_code_and_the_lead_year(tmp_path: Path, boxed: bool) -> None:
    pdf = _plan_pdf(tmp_path / "plan.pdf", boxed)
    doc_id = hashlib.sha256(pdf.read_bytes()).hexdigest()
    package = pdf_to_package(pdf, doc_id, "plan.pdf")
    assert package.document.lang == "zh"
    assert not package.tables  # boxed paragraphs are a border style, not tables
    place = issuer_place(package.document)
    assert place is not None and (place.province, city_surface(place)) == ("CN-SD", "青岛市")
    facts, _ = package_to_facts(package)
    targets = {(f.value, f.page_no): f for f in facts if f.KIND == "targets"}
    assert targets, "no targets found"
    share, demo = targets[(100.0, 1)], targets[(10.0, 2)]
    for t in (share, demo):
        assert (t.actor, t.actor_surface, t.target_year) == ("CN-SD", "青岛市", 2025)
    assert demo.date_fact_id is not None  # the year came from the lead sentence's date fact on p.1
    assert (5.0, 2) not in targets  # 重点任务 closed the 2025 scope and the sentence states no year


def test_target_keys_score_core_targets_and_count_non_targets() -> None:
    key = {"source": {"file": "x.pdf", "sha256": "b" * 64, "pages": 1},
           "targets": [{"actor": "CN-SD", "kind": "share", "value": 100, "value_max": None, "unit": "%",
                        "qualifier": None, "baseline_year": None, "start_year": None, "target_year": 2025,
                        "deadline_type": "by", "quote": "绿色建筑面积占比达到100%", "page": 1, "core": True},
                       {"actor": "CN-SD", "kind": "other", "value": None, "value_max": None, "unit": None,
                        "qualifier": None, "baseline_year": None, "start_year": None, "target_year": 2025,
                        "deadline_type": "by", "quote": "绿色建筑水平明显提升", "page": 1, "core": False}],
           "non_targets": [{"quote": "2020年装机500万千瓦", "page": 1, "why": "statistic"}]}
    gold = target_key_to_gold(key, Path("k.json"))
    found = [{"page_no": 1, "quote": "全市城镇新建建筑中绿色建筑面积占比达到100%", "actor": "CN", "target_year": 2025,
              "value": 100.0},
             {"page_no": 1, "quote": "2020年装机500万千瓦", "actor": "CN-SD", "target_year": 2020, "value": 5.0}]
    strict, no_actor, non = score_target_key(gold, found)
    assert (strict.n_gold, strict.correct, strict.precision) == (1, 0, 0.0)  # wrong actor
    assert (no_actor.correct, no_actor.recall, no_actor.precision) == (1, 1.0, 0.5)
    assert (non.n_gold, non.correct) == (1, 0)  # the statistic came out as a target
