"""The audit's timeline: targets placed by target year (x) and actor (y), drawn as inline SVG."""

from __future__ import annotations

from html import escape
from typing import Any

WIDTH, LEFT, RIGHT, ROW, TOP = 900, 150, 30, 26, 34


def _x(year: int, lo: int, hi: int) -> float:
    span = max(hi - lo, 1)
    return LEFT + (year - lo) / span * (WIDTH - LEFT - RIGHT)


def _ticks(lo: int, hi: int) -> list[int]:
    """Year ticks every 1, 5 or 10 years depending on the span."""
    step = 1 if hi - lo <= 12 else 5 if hi - lo <= 60 else 10
    first = lo - lo % step
    return [y for y in range(first, hi + 1, step) if y >= lo]


def _axis(lo: int, hi: int, bottom: float) -> list[str]:
    parts = [f'<line x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" class="axis"/>']
    for y in _ticks(lo, hi):
        x = _x(y, lo, hi)
        parts.append(f'<line x1="{x:.1f}" y1="{TOP - 8}" x2="{x:.1f}" y2="{bottom}" class="grid"/>'
                     f'<text x="{x:.1f}" y="{TOP - 12}" text-anchor="middle">{y}</text>')
    return parts


def _dot(t: dict[str, Any], x: float, y: float) -> str:
    """One target: a circle linked to its fact row, its quote as the tooltip (escaped)."""
    tip = f"{t.get('target_year')} · {t.get('actor') or '—'} · {t.get('kind')}: {t.get('quote', '')}"
    return (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" class="tl k-{escape(str(t.get("kind")))}" '
            f'data-fact="{escape(t["fact_id"])}"><title>{escape(tip)}</title></circle>')


def targets_to_svg(targets: list[dict[str, Any]]) -> str:
    """Inline SVG of the dated targets; a short note when no target has a year."""
    dated = [t for t in targets if t.get("target_year") is not None]
    if not dated:
        return '<p class="note">No target with a target year.</p>'
    years = [int(t["target_year"]) for t in dated]
    lo, hi = min(years), max(years)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    actors = sorted({t.get("actor") or "—" for t in dated})
    height = TOP + ROW * len(actors) + 10
    parts = [f'<svg id="timeline" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="targets by year and actor">']
    parts += _axis(lo, hi, height - 6)
    seen: dict[tuple[str, int], int] = {}
    for row, actor in enumerate(actors):
        y = TOP + ROW * row + ROW / 2
        parts.append(f'<text x="{LEFT - 10}" y="{y + 4:.1f}" text-anchor="end">{escape(actor)}</text>')
        for t in (t for t in dated if (t.get("actor") or "—") == actor):
            year = int(t["target_year"])
            n = seen[(actor, year)] = seen.get((actor, year), -1) + 1
            parts.append(_dot(t, _x(year, lo, hi) + (n % 4) * 4, y - (n // 4) * 3))
    parts.append("</svg>")
    return "".join(parts)
