"""Shared NLP plumbing: cached blank spaCy pipelines (zh with jieba, en) and cached YAML rule loading."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import jieba
import spacy
import yaml
from spacy.language import Language

RULES_DIR = Path(__file__).parent / "rules"

jieba.setLogLevel(logging.WARNING)


@cache
def load_rules(name: str, lang: str | None = None) -> Any:
    """Parsed YAML of rules/<lang>/<name>.yaml (or rules/<name>.yaml): rules are data, read once."""
    path = RULES_DIR / lang / f"{name}.yaml" if lang else RULES_DIR / f"{name}.yaml"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader


@lru_cache(maxsize=1)
def en_nlp() -> Language:
    """A blank English pipeline (tokenizer only): no trained models are installed."""
    return spacy.blank("en")


@lru_cache(maxsize=1)
def zh_nlp() -> Language:
    """A blank Chinese pipeline segmented by jieba, with the technology taxonomy in jieba's dictionary."""
    add_jieba_words(taxonomy_zh_terms())
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


def nlp_for(lang: str) -> Language:
    """The pipeline for a language code ('zh' or 'en')."""
    return zh_nlp() if lang == "zh" else en_nlp()


def add_jieba_words(words: Iterable[str], freq: int = 200_000) -> int:
    """Teach jieba multi-character terms so it does not cut them; returns how many were added."""
    n = 0
    for w in words:
        w = w.strip()
        if len(w) >= 2 and " " not in w:
            jieba.add_word(w, freq=freq)
            n += 1
    return n


@lru_cache(maxsize=1)
def taxonomy_zh_terms() -> tuple[str, ...]:
    """Every Chinese name and synonym of the technology taxonomy (rules/technologies.yaml)."""
    terms: list[str] = []
    for entry in load_rules("technologies"):
        terms.append(entry["name_zh"])
        terms.extend(entry.get("synonyms_zh") or [])
    return tuple(dict.fromkeys(terms))


def zh_tokens(text: str) -> list[str]:
    """jieba word segmentation of `text` through the cached Chinese pipeline."""
    return [t.text for t in zh_nlp()(text)]
