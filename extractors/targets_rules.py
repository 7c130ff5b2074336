"""Target rules as data: kinds, milestones, vetoes and cues per language, and the subject gazetteer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from extractors.fastre import literal_alternation

RULES = Path(__file__).parent / "rules"

DEFAULT_KIND = {"percent": "other", "pp": "share", "power": "capacity", "energy": "production",
                "mass": "production", "mtce": "energy_consumption", "volume": "production",
                "currency": "investment", "count": "count", "temperature": "temperature_limit",
                "emissions": "other", "length": "other", "area": "other"}


@dataclass(frozen=True)
class Rule:
    id: str
    pattern: re.Pattern[str]
    kind: str | None = None
    classes: tuple[str, ...] = ()
    scope: str = "clause"


@dataclass(frozen=True)
class RuleSet:
    kinds: tuple[Rule, ...]
    milestones: tuple[Rule, ...]
    not_targets: tuple[Rule, ...]
    cues: tuple[Rule, ...]
    milestone_context: tuple[Rule, ...] = ()
    carry_year: tuple[Rule, ...] = ()


def rule_file(lang: str) -> Path:
    return RULES / lang / "targets.yaml"


@lru_cache(maxsize=4)
def raw_rules(lang: str) -> dict:
    """The YAML of one language, as written (for the rule-example test)."""
    return yaml.safe_load(rule_file(lang).read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def load_rules(lang: str) -> RuleSet:
    """Compiled rules of one language ('zh' or 'en')."""
    data = raw_rules(lang)

    def build(section: str) -> tuple[Rule, ...]:
        return tuple(Rule(r["id"], re.compile(r["pattern"]), r.get("kind"), tuple(r.get("classes", ())),
                          r.get("scope", "clause")) for r in data.get(section, []))

    return RuleSet(build("kinds"), build("milestones"), build("not_targets"), build("cues"),
                   build("milestone_context"), build("carry_year"))


def milestone_in_context(lang: str, scopes: dict[str, str]) -> bool:
    """True when a milestone word sits where a goal is stated (after 实现/年前, before 目标); no rules: True."""
    rules = load_rules(lang).milestone_context
    return not rules or any(r.pattern.search(scopes.get(r.scope, "")) for r in rules)


@dataclass(frozen=True)
class SubjectMention:
    start: int
    end: int
    subject: str
    surface: str


@lru_cache(maxsize=1)
def load_subjects() -> tuple[dict, ...]:
    return tuple(yaml.safe_load((RULES / "subjects.yaml").read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _subject_index() -> tuple[re.Pattern[str], dict[str, str]]:
    index: dict[str, str] = {}
    for s in load_subjects():
        for surf in [*s.get("zh", []), *s.get("en", [])]:
            index.setdefault(surf.replace(" ", "").lower() if not surf.isascii() else surf.lower(), s["id"])
    # grouped by first char (keys are lower-cased, no two firsts alike under re.I): same matches, far faster
    grouped = literal_alternation(sorted(index, key=len, reverse=True), "A-Za-z")
    return re.compile(grouped.pattern, re.I), index


def find_subjects(text: str) -> list[SubjectMention]:
    """Every subject surface in squeezed text, longest first, left to right."""
    rx, index = _subject_index()
    # re.I also matches case variants that .lower() does not map back ('ſolar'): those name no subject
    return [SubjectMention(m.start(), m.end(), subject, m.group()) for m in rx.finditer(text)
            if (subject := index.get(m.group().lower())) is not None]


def subject_of(surface: str) -> str | None:
    """The subject id of a phrase that contains a known surface (the longest), or None."""
    found = find_subjects(surface)
    return max(found, key=lambda s: s.end - s.start).subject if found else None


def classify(lang: str, unit_class: str | None, contexts: list[str]) -> tuple[str, str | None]:
    """(kind, rule id) from the first kind rule that matches a context, widest last; else the default."""
    for ctx in contexts:
        for rule in load_rules(lang).kinds:
            if unit_class in rule.classes and rule.pattern.search(ctx):
                return rule.kind or "other", rule.id
    return DEFAULT_KIND.get(unit_class or "", "other"), None


def vetoed(lang: str, scopes: dict[str, str]) -> str | None:
    """The id of the first not-target rule whose scope text matches, else None."""
    for rule in load_rules(lang).not_targets:
        text = scopes.get(rule.scope)
        if text is not None and rule.pattern.search(text):
            return rule.id
    return None


def carries_year(lang: str, text: str) -> bool:
    """True when a sentence updates the previous one's target ('This has later been adjusted to …')."""
    return any(r.pattern.search(text) for r in load_rules(lang).carry_year)


def has_cue(lang: str, text: str) -> bool:
    """True when the sentence uses a target word (目标, 力争, target, aim ...)."""
    return any(r.pattern.search(text) for r in load_rules(lang).cues)
