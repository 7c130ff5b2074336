"""Units to the contract's scale: 万千瓦 -> GW, 亿立方米 -> bcm, 240亿欧元 -> EUR, 620万辆 -> vehicles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from extractors.numbers import FULLWIDTH, MAGNITUDES_EN, MAGNITUDES_ZH

RULES = Path(__file__).parent / "rules" / "units.yaml"
_ZH_MAG = sorted(MAGNITUDES_ZH, key=len, reverse=True)
_EN_MAG_RE = re.compile(r"\b(thousand|million|billion|trillion|bn|mn|tn)\b", re.I)


@dataclass(frozen=True)
class UnitRule:
    id: str
    unit: str
    factor: float
    cls: str


@lru_cache(maxsize=1)
def load_units() -> tuple[dict, ...]:
    """The reviewed unit table from rules/units.yaml."""
    return tuple(yaml.safe_load(RULES.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def surface_index() -> dict[str, UnitRule]:
    """Every unit surface (exact, and lower-cased for Latin ones) -> its rule."""
    index: dict[str, UnitRule] = {}
    for u in load_units():
        rule = UnitRule(u["id"], u["unit"], float(u["factor"]), u["class"])
        for s in u["surfaces"]:
            index.setdefault(s, rule)
            if s.isascii():
                index.setdefault(s.lower(), rule)
    return index


def unit_surfaces() -> list[str]:
    """All base surfaces, longest first (for building the value finder's alternation)."""
    return sorted({s for u in load_units() for s in u["surfaces"]}, key=len, reverse=True)


def _lookup(surface: str) -> UnitRule | None:
    idx = surface_index()
    return idx.get(surface) or (idx.get(surface.lower()) if surface.isascii() else None)


def split_unit(unit_surface: str) -> tuple[float, UnitRule | None, str]:
    """(magnitude factor, unit rule or None, base surface) of a surface like '亿千瓦时' or 'billion euros'."""
    s = re.sub(r"\s+", " ", unit_surface.translate(FULLWIDTH)).strip().replace("多", "").replace("余", "")
    mag = 1.0
    for w in _EN_MAG_RE.findall(s):
        mag *= MAGNITUDES_EN[w.lower()]
    s = _EN_MAG_RE.sub("", s).strip()
    for _ in range(3):
        rule = _lookup(s)
        if rule is not None or not s:
            return mag, rule, s
        peeled = next((m for m in _ZH_MAG if s.startswith(m)), None)
        if peeled is None:
            return mag, None, s
        mag *= MAGNITUDES_ZH[peeled]
        s = s[len(peeled):].strip()
    return mag, _lookup(s), s


def _tidy(x: float) -> float:
    """Drop float noise from conversions (0.1 * 3 -> 0.3) without losing real precision."""
    try:
        return float(f"{x:.12g}")
    except (ValueError, OverflowError):
        return x


AS_WRITTEN = "as_written"
"""The unit of a units.yaml entry whose quantities keep the printed number and unit."""


def normalise(value: float, unit_surface: str | None) -> tuple[float, str | None]:
    """(value, unit) in the contract's units. A unit outside them is kept as written, magnitude and
    number included (5亿平方米 -> 5, '亿平方米'); a bare magnitude counts things (15万 -> 150000, None)."""
    if not unit_surface or not unit_surface.strip():
        return value, None
    mag, rule, base = split_unit(unit_surface)
    if (rule is None and base) or (rule is not None and rule.unit == AS_WRITTEN):
        return value, re.sub(r"\s+", " ", unit_surface).strip()
    if rule is None:
        return _tidy(value * mag), None
    return _tidy(value * mag * rule.factor), rule.unit


def unit_class(unit_surface: str | None) -> str | None:
    """The quantity class of a unit surface (percent, power, currency, count ...), None if unknown."""
    if not unit_surface:
        return None
    rule = split_unit(unit_surface)[1]
    return rule.cls if rule else None
