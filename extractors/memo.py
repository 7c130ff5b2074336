"""Per-document memo: data derived from a whole Document (heading actors, visual lines) computed once."""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


_GONE = object()


def _dead() -> object:
    return _GONE


def per_document(fn: Callable[[Any], T]) -> Callable[[Any], T]:
    """Cache fn(doc) for the last document seen, by identity and held weakly: extractors share it."""
    box: list[tuple[Callable[[], Any], Any]] = [(_dead, None)]  # (doc ref, value), swapped atomically

    @functools.wraps(fn)
    def cached(doc: Any) -> T:
        ref, value = box[0]
        if ref() is doc:
            return value  # type: ignore[no-any-return]
        value = fn(doc)
        box[0] = (weakref.ref(doc), value)
        return value  # type: ignore[no-any-return]

    return cached
