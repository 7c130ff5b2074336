"""spaCy pipelines and rule loading shared by the extractors."""

from __future__ import annotations

from extractors.nlp import en_nlp, load_rules, nlp_for, taxonomy_zh_terms, zh_nlp, zh_tokens


def test_zh_pipeline_keeps_taxonomy_terms_whole():
    tokens = zh_tokens("研发小型模块化反应堆和碳捕集利用与封存技术")
    assert "小型模块化反应堆" in tokens
    assert "碳捕集利用与封存" in tokens
    assert zh_nlp().lang == "zh" and nlp_for("zh") is zh_nlp()


def test_en_pipeline_is_blank_and_cached():
    doc = en_nlp()("Small modular reactors (SMRs) and CCUS.")
    assert [t.text for t in doc][:3] == ["Small", "modular", "reactors"]
    assert en_nlp() is nlp_for("en")
    assert en_nlp().pipe_names == []


def test_rules_are_loaded_once_and_terms_collected():
    assert load_rules("technologies") is load_rules("technologies")
    terms = taxonomy_zh_terms()
    assert "绿氢" in terms and len(terms) > 400
    assert all(" " not in t or "CO" in t for t in terms)
