"""Fast regexes: literal alternations the engine scans quickly, and cheap tests that rule a regex out."""

from __future__ import annotations

import importlib
import re
from collections.abc import Set as AbstractSet
from typing import Any

try:  # the stdlib's own regex parser (private, so optional: without it no prefilter is used)
    _sre: Any = importlib.import_module("re._constants")
    _sre_parse: Any = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover
    _sre = _sre_parse = None

_MAX_RANGE = 64


def literal_alternation(surfaces: list[str], word: str) -> re.Pattern[str]:
    """Like '|'.join(surfaces) with ASCII surfaces as whole words (not next to a `word` char), but fast.

    A flat alternation tries every surface at every position; grouped under their first character, the
    engine skips positions that start none. Matches are the same: at a position only the group of its
    character can match, and each group keeps the given order (longest first: the longest wins). The
    whole-word lookbehind sits after the first character and looks back over it to the one before.
    Empty surfaces are left out (they only match the empty string)."""
    groups: dict[str, list[str]] = {}
    for s in surfaces:
        if s:
            groups.setdefault(s[0], []).append(s)
    branches = []
    for first, members in groups.items():
        head = re.escape(first)
        alts = [rf"(?<![{word}]{head}){re.escape(s[1:])}(?![{word}])" if s.isascii() else re.escape(s[1:])
                for s in members]
        branches.append(f"{head}(?:{'|'.join(alts)})")
    return re.compile("|".join(branches))


def required_chars(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Chars of which every match of `pattern` contains one, or None if no small such set is known.

    A text holding none of them cannot match, so the regex need not run. Read from the parsed pattern:
    a literal or a small character class the match must consume (not optional, not in a lookaround)."""
    if _sre_parse is None or pattern.flags & re.IGNORECASE:
        return None
    try:
        return _sequence(_sre_parse.parse(pattern.pattern, pattern.flags))
    except Exception:  # an unexpected parse tree: no prefilter, never a wrong one
        return None


def _sequence(items: Any) -> frozenset[str] | None:
    """The smallest required set among the items a sequence must match one after another."""
    found = [s for op, av in items if (s := _item(op, av)) is not None]
    return min(found, key=len) if found else None


def _item(op: Any, av: Any) -> frozenset[str] | None:
    if op is _sre.LITERAL:
        return frozenset(chr(av))
    if op is _sre.IN:
        return _char_class(av)
    if op is _sre.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        return None if add_flags & re.IGNORECASE else _sequence(sub)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        low, _high, sub = av
        return _sequence(sub) if low >= 1 else None
    if op is _sre.ATOMIC_GROUP:
        return _sequence(av)
    if op is _sre.BRANCH:
        alts = [_sequence(sub) for sub in av[1]]
        return None if any(a is None for a in alts) else frozenset(c for a in alts if a for c in a)
    return None  # lookarounds, anchors, any-char, categories, back references: no requirement known


def _char_class(members: Any) -> frozenset[str] | None:
    chars: set[str] = set()
    for op, av in members:
        if op is _sre.LITERAL:
            chars.add(chr(av))
        elif op is _sre.RANGE and av[1] - av[0] < _MAX_RANGE:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY, a wide range
            return None
    return frozenset(chars)


def may_match(required: frozenset[str] | None, chars: AbstractSet[str] | str) -> bool:
    """False only when a text (or the set of its chars) holds none of the chars a match requires."""
    return required is None or not required.isdisjoint(chars)
