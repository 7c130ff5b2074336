"""Targets in one sentence (a plain string): values and milestones with year, baseline, qualifier, actor."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from extractors.actors import ActorMention, find_actors
from extractors.targets_rules import (
    carries_year,
    classify,
    find_subjects,
    has_cue,
    load_rules,
    milestone_in_context,
    subject_of,
    vetoed,
)
from extractors.targets_text import (
    Squeezed,
    ValueMention,
    YearMention,
    find_values,
    find_years,
    pre_qualifier,
    squeeze,
)

_CLAUSE_ZH = re.compile(r"[，。；;：:！？]|——|(?<!\d),|,(?!\d{3})")
_CLAUSE_EN = re.compile(r"[;:!?]|(?<!\d),|,(?!\d{3})|\.(?=\s|$)")
_JOIN = re.compile(r"^\s?(?:和|与|及|、|,|and|&)\s?$", re.I)


@dataclass(frozen=True)
class TextTarget:
    """A target found in a string; start/end are offsets into that string (the quote)."""

    start: int
    end: int
    kind: str
    rule_id: str
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None
    unit_surface: str | None = None
    qualifier: str | None = None
    subject: str | None = None
    subject_surface: str | None = None
    baseline_year: int | None = None
    start_year: int | None = None
    target_year: int | None = None
    deadline_type: str | None = None
    period_years: int | None = None
    year_span: tuple[int, int] | None = None
    actors: tuple[ActorMention, ...] = ()
    ordinal: int = 0
    confidence: float = 0.5
    extras: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class _Ctx:
    sq: Squeezed
    lang: str
    years: list[YearMention]
    values: list[ValueMention]
    actors: list[ActorMention]
    bounds: list[int]
    carry: YearMention | None = None
    scope: YearMention | None = None

    def clause(self, pos: int) -> tuple[int, int]:
        a = max((b for b in self.bounds if b <= pos), default=0)
        z = min((b for b in self.bounds if b > pos), default=len(self.sq.masked))
        return a, z


def find_targets(text: str, lang: str = "zh", carry: tuple[int, str] | None = None,
                 scope: tuple[int, str] | None = None) -> list[TextTarget]:
    """Every target stated in `text` (one sentence), in order, offsets into `text`.

    `carry` is the previous sentence's (target year, deadline type): a yearless value of a sentence that
    updates that target ('This has later been adjusted to 15 million') takes it. `scope` is the (year,
    deadline type) a lead sentence set for what follows it (targets_scope): a yearless value takes it
    too, and says so in extras["year_from"].
    """
    sq = squeeze(text)
    rx = _CLAUSE_ZH if lang == "zh" else _CLAUSE_EN
    bounds = sorted({m.end() for m in rx.finditer(sq.masked)})
    carried = (YearMention(-1, -1, carry[0], None, "deadline", carry[1])
               if carry and carries_year(lang, sq.masked) else None)
    scoped = YearMention(-1, -1, scope[0], None, "deadline", scope[1]) if scope else None
    ctx = _Ctx(sq, lang, find_years(sq), find_values(sq), find_actors(sq.masked), bounds, carried, scoped)
    found = _value_targets(ctx) + _milestone_targets(ctx)
    return [_to_orig(t, sq) for t in sorted(found, key=lambda t: (t.start, t.ordinal))]


def _to_orig(t: TextTarget, sq: Squeezed) -> TextTarget:
    start, end = sq.to_orig(t.start, t.end)
    ys = sq.to_orig(*t.year_span) if t.year_span else None
    actors = tuple(ActorMention(*sq.to_orig(a.start, a.end), a.actor, a.surface) for a in t.actors)
    return replace(t, start=start, end=end, year_span=ys, actors=actors)


# ---------------------------------------------------------------- value targets

def _value_targets(ctx: _Ctx) -> list[TextTarget]:
    out: list[TextTarget] = []
    vals = ctx.values
    for i, v in enumerate(vals):
        t = _value_target(ctx, i, v)
        if t is not None:
            out.append(t)
    return _split_lists(ctx, out)


def _value_target(ctx: _Ctx, i: int, v: ValueMention) -> TextTarget | None:
    s = ctx.sq.masked
    ca, cz = ctx.clause(v.start)
    prev_end = max([ca] + [w.end for w in ctx.values[:i] if w.end <= v.start])
    nxt = min([cz] + [w.start for w in ctx.values[i + 1:] if w.start >= v.end])
    scopes = {"before": s[ca:v.start], "after": s[v.end:nxt], "clause": s[ca:cz], "sentence": s,
              "value": v.unit or ""}
    veto = vetoed(ctx.lang, scopes)
    if veto or v.unit_class in (None, "countries") and v.unit is None:
        return None
    if v.unit_class == "countries":
        return None
    contexts = ([s[prev_end:v.start], s[ca:v.start] + "|" + s[v.start:nxt]] if ctx.lang == "zh"
                else [_words_after(s, v.start, nxt), s[prev_end:nxt], s[ca:cz], s])
    kind, kind_rule = classify(ctx.lang, v.unit_class, contexts)
    own = _deadline_for(ctx, v.start, v.end) or ctx.carry
    year = own or ctx.scope
    cued = has_cue(ctx.lang, s)
    since = _since_year(ctx, ca, cz)
    if year is None and (v.unit_class in ("count", None, "length") and not (since and cued)
                         or not cued) and kind not in ("investment", "temperature_limit"):
        return None
    subj = _subject_near(ctx, ca, cz, v)
    start = min(v.start, subj.start) if subj and subj.start >= prev_end else (
        _skip_lead(s, prev_end) if ctx.lang == "zh" else v.start)
    end = v.end
    if ctx.lang == "en" and year is not None and v.end <= year.start < nxt:
        end = max(end, year.end)
    if ctx.lang == "en" and subj and subj.start >= v.end and subj.end <= nxt:
        end = max(end, subj.end)
    base = _baseline_for(ctx, ca, nxt, v) or (_sentence_baseline(ctx) if kind.endswith("reduction") else None)
    if ctx.lang == "en" and base is not None and v.end <= base.start < nxt:
        end = max(end, base.end)
    return TextTarget(
        start=start, end=end, kind=kind, rule_id=kind_rule or f"{ctx.lang}.value.{v.unit_class}",
        value=v.value, value_max=v.value_max, unit=v.unit, unit_surface=v.unit_surface,
        qualifier=v.qualifier or pre_qualifier(s[ca:v.start]),
        subject=subj.subject if subj else None, subject_surface=subj.surface if subj else None,
        baseline_year=base.year if base else None,
        start_year=(year.start_year if year else None) or since,
        target_year=year.year if year else None, deadline_type=year.deadline if year else None,
        period_years=5 if re.search(r"五年|five[- ]year", s[ca:v.start]) else None,
        year_span=(year.start, year.end) if year and year.start >= 0 else None, actors=_actors_for(ctx, v.start),
        confidence=_confidence(year, kind_rule, ctx.actors),
        extras={"sentence_has_14th": "十四五" in s, "year_from": "scope" if year is not own else None})


_NEXT_ITEM = re.compile(r"\s(?:and|or|while|but|whereas)\s|[;,]\s")


def _words_after(s: str, start: int, nxt: int) -> str:
    """English names what a value measures right after it ('30% renewable energy of …'): up to the next item."""
    m = _NEXT_ITEM.search(s, start, nxt)
    return s[start:m.start() if m else nxt]


def _sentence_baseline(ctx: _Ctx) -> YearMention | None:
    """'at 41 per cent by 2030, and …, relative to the 2019 level': one baseline year serves the sentence."""
    bs = [y for y in ctx.years if y.role == "baseline"]
    return bs[0] if ctx.lang == "en" and bs and len({y.year for y in bs}) == 1 else None


def _skip_lead(s: str, i: int) -> int:
    while i < len(s) and s[i] in " ——、，。；：:,;“”\"'（(":
        i += 1
    return i


def _subject_near(ctx: _Ctx, ca: int, cz: int, v: ValueMention):
    subs = [m for m in find_subjects(ctx.sq.masked[ca:cz])]
    subs = [type(m)(m.start + ca, m.end + ca, m.subject, m.surface) for m in subs]
    before = [m for m in subs if m.end <= v.start]
    after = [m for m in subs if m.start >= v.start and m not in before]
    s = ctx.sq.masked
    if ctx.lang == "en" and after and after[0].start - v.end <= 20 and "(" not in s[v.end:after[0].start]:
        return after[0]
    if before:
        return before[-1]
    return after[0] if after else None


def _deadlines(ctx: _Ctx) -> list[YearMention]:
    return [y for y in ctx.years if y.role == "deadline"]


def _deadline_for(ctx: _Ctx, start: int, end: int) -> YearMention | None:
    """The deadline year of a value or milestone: zh looks back first, en looks ahead in its clause first."""
    ca, cz = ctx.clause(start)
    ys = _deadlines(ctx)
    before = [y for y in ys if y.end <= start]
    after_clause = [y for y in ys if y.start >= end and y.start < cz]
    after = [y for y in ys if y.start >= end]
    if ctx.lang == "zh":
        order = [before[-1:], after_clause[:1]]
    else:
        order = [after_clause[:1], before[-1:], after[:1]]
    return next((o[0] for o in order if o), None)


def _baseline_for(ctx: _Ctx, ca: int, nxt: int, v: ValueMention) -> YearMention | None:
    bs = [y for y in ctx.years if y.role == "baseline" and ca <= y.start < nxt]
    return min(bs, key=lambda y: abs(y.start - v.start)) if bs else None


def _since_year(ctx: _Ctx, ca: int, cz: int) -> int | None:
    return next((y.year for y in ctx.years if y.role == "since" and ca <= y.start < cz), None)


def _actors_for(ctx: _Ctx, pos: int) -> tuple[ActorMention, ...]:
    """The actor named nearest before `pos` (with its 和/and partners), else none."""
    before = [a for a in ctx.actors if a.end <= pos]
    if not before:
        return ()
    group = [before[-1]]
    for a in reversed(before[:-1]):
        if _JOIN.match(ctx.sq.masked[a.end:group[0].start]):
            group.insert(0, a)
        else:
            break
    seen: dict[str, ActorMention] = {}
    for a in group:
        seen.setdefault(a.actor, a)
    return tuple(seen.values())


def _confidence(year: YearMention | None, kind_rule: str | None, actors: list) -> float:
    c = 0.55 + (0.2 if year else 0) + (0.1 if kind_rule else 0) + (0.05 if actors else 0)
    return round(min(c, 0.95), 2)


def _split_lists(ctx: _Ctx, targets: list[TextTarget]) -> list[TextTarget]:
    """'A、B、C…分别下降8%、8%、10%以上': each value takes its own list item as subject, one shared span."""
    s = ctx.sq.masked
    out: list[TextTarget] = []
    i = 0
    while i < len(targets):
        run = [targets[i]]
        while i + len(run) < len(targets) and re.fullmatch(r"[、,和及]|and|, and", s[
                _vend(ctx, run[-1]):_vstart(ctx, targets[i + len(run)])].strip() or "x"):
            run.append(targets[i + len(run)])
        out.extend(_split_run(ctx, run) if len(run) > 1 else run)
        i += len(run)
    return out


def _vstart(ctx: _Ctx, t: TextTarget) -> int:
    return next(v.start for v in ctx.values if v.start >= t.start and v.end <= t.end)


def _vend(ctx: _Ctx, t: TextTarget) -> int:
    return t.end if ctx.lang == "zh" else max(v.end for v in ctx.values if v.start >= t.start and v.end <= t.end)


def _split_run(ctx: _Ctx, run: list[TextTarget]) -> list[TextTarget]:
    s = ctx.sq.masked
    first = _vstart(ctx, run[0])
    ca, _ = ctx.clause(first)
    head = s[ca:first]
    cut = re.search(r"(?:比|较)?(?:19|20|21)\d{2}年|分别", head)
    items_text = head[:cut.start()] if cut else head
    items = [p for p in re.split(r"、", items_text)]
    if "分别" not in head and "respectively" not in s or len(items) < len(run):
        return run
    items = items[-len(run):]
    offs, pos = [], ca + len(head[:cut.start()] if cut else head) - len("、".join(items))
    for it in items:
        offs.append(pos)
        pos += len(it) + 1
    span_start, span_end = offs[0], run[-1].end
    return [replace(t, start=span_start, end=span_end, ordinal=k, subject_surface=items[k],
                    subject=subject_of(items[k]) or t.subject)
            for k, t in enumerate(run)]


# ---------------------------------------------------------------- milestones (year-only targets)

def _milestone_targets(ctx: _Ctx) -> list[TextTarget]:
    s = ctx.sq.masked
    taken: list[tuple[int, int]] = [(v.start, v.end) for v in ctx.values]
    out: list[TextTarget] = []
    for rule in load_rules(ctx.lang).milestones:
        for m in rule.pattern.finditer(s):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            t = _milestone(ctx, rule, m)
            if t is not None:
                out.append(t)
                taken.append((m.start(), m.end()))
    return out


def _closed_off(between: str) -> bool:
    """A parenthesis closes between a year and a later word: the year belongs to the parenthesis."""
    return between.count(")") > between.count("(")


def _milestone(ctx: _Ctx, rule, m: re.Match) -> TextTarget | None:
    s = ctx.sq.masked
    ca, cz = ctx.clause(m.start())
    scopes = {"before": s[ca:m.start()], "after": s[m.end():cz], "clause": s[ca:cz], "sentence": s, "value": "",
              "milestone_after": s[m.end():cz]}
    if vetoed(ctx.lang, scopes) or not milestone_in_context(ctx.lang, scopes):
        return None
    year = _deadline_for(ctx, m.start(), m.end())
    if year is not None and ctx.lang == "en" and _closed_off(s[year.end:m.start()]):
        return None  # '(with 50 per cent likelihood by 2100) and achieving net zero': not its year
    prev_clause = ctx.clause(max(ca - 1, 0))[0]
    if year is None or year.start_year is not None or year.end < prev_clause:
        return None  # a milestone needs a written year in its own or the previous clause
    if ctx.lang == "en" and (year.start_year or min(abs(year.start - m.end()), abs(m.start() - year.end)) > 25):
        return None  # English milestones read 'net zero by 2050': the year sits right by the words
    if rule.kind == "other" and not (0 <= m.start() - year.end <= 3):
        return None
    start, end = (year.start, m.end()) if year.end <= m.start() and year.start >= ca else (m.start(), m.end())
    if year.start >= m.end() and year.start < cz:
        end = year.end
    what = m.groupdict().get("what")
    return TextTarget(
        start=start, end=end, kind=rule.kind or "other", rule_id=rule.id,
        subject=subject_of(what) if what else None, subject_surface=what,
        start_year=year.start_year, target_year=year.year, deadline_type=year.deadline,
        year_span=(year.start, year.end), actors=_actors_for(ctx, m.start()),
        confidence=_confidence(year, rule.id, ctx.actors))
