"""Chinese places: provinces with their ISO 3166-2 codes, and the cities and areas that take their code.

`place_surfaces()` feeds the actor finder (a province named in a sentence is that sentence's actor);
`issuer_place(doc)` decides which province or city issued a document, from its title, its issuer line,
its first headings, its signature block and, last, its file name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from extractors.fastre import literal_alternation
from extractors.memo import per_document
from schemas.layout import Document

RULES = Path(__file__).parent / "rules" / "zh" / "places.yaml"
_FIELDS = {"id", "zh", "en", "short", "cities", "areas", "example"}
_CODE = re.compile(r"^CN-[A-Z]{2}$")
CITY_SUFFIX = "市"


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    province: str
    surface: str


@lru_cache(maxsize=1)
def load_places() -> tuple[dict, ...]:
    """The provinces of rules/zh/places.yaml, checked: a bad entry names the file, the id and the field."""
    entries = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    for e in entries:
        where = f"{RULES.name}: {e.get('id')!r}"
        if set(e) != _FIELDS:
            raise ValueError(f"{where}: fields {sorted(set(e) ^ _FIELDS)} missing or unknown")
        if not _CODE.match(e["id"]):
            raise ValueError(f"{where}: id is not an ISO 3166-2:CN code")
        for key in ("short", "cities", "areas"):
            if not isinstance(e[key], list) or not all(isinstance(s, str) and s for s in e[key]):
                raise ValueError(f"{where}: {key} must be a list of names")
    return tuple(entries)


def place_surfaces(bare_cities: bool = False) -> dict[str, str]:
    """Every surface -> province code: full and short province names, 青岛市-style city names, areas.

    Bare city names (青岛, without 市) are for titles and file names only: in running text they are too
    often part of other words."""
    index: dict[str, str] = {}
    for p in load_places():
        for s in [p["zh"], *p["short"], *p["areas"], *(c + CITY_SUFFIX for c in p["cities"]),
                  p["en"], f"{p['en']} Province"]:
            index.setdefault(s, p["id"])
        if bare_cities:
            for c in p["cities"]:
                index.setdefault(c, p["id"])
    return index


@lru_cache(maxsize=2)
def _place_pattern(bare_cities: bool) -> tuple[re.Pattern[str], dict[str, str]]:
    index = place_surfaces(bare_cities)
    return literal_alternation(sorted(index, key=len, reverse=True), "A-Za-z"), index


def find_places(text: str, bare_cities: bool = False) -> list[PlaceMention]:
    """Every place named in `text`, longest first, left to right."""
    pattern, index = _place_pattern(bare_cities)
    return [PlaceMention(m.start(), m.end(), index[m.group()], m.group()) for m in pattern.finditer(text)]


def city_surface(mention: PlaceMention) -> str | None:
    """The city or area a mention names below its province ('青岛市'), None for the province itself."""
    province = next(p for p in load_places() if p["id"] == mention.province)
    if mention.surface in (province["zh"], province["en"], f"{province['en']} Province", *province["short"]):
        return None
    bare = mention.surface.removesuffix(CITY_SUFFIX)
    return bare + CITY_SUFFIX if bare in province["cities"] else mention.surface


_NATIONAL_ADDRESS = re.compile(r"各省|自治区、直辖市|新疆生产建设兵团")
"""The addressees of a national notice (各省、自治区、直辖市及新疆生产建设兵团…) name no issuer."""


_SIGNATURE = re.compile(r"^[^，。；：,.;:]{2,30}(?:人民政府|委员会|办公厅|办公室|政府|厅|局|委|部)$")
"""A signature line: one issuing body's name alone on its line (湖南省工业和信息化厅)."""


def _issuer_texts(doc: Document) -> list[tuple[str, bool]]:
    """Where a document says who issued it, most telling first, each with whether bare city names count."""
    first = doc.pages[0] if doc.pages else None
    headings = [b.text for b in first.blocks if b.kind == "heading"][:3] if first else []
    tail = doc.pages[-1].text[-300:].splitlines() if doc.pages else []
    signature = [line.strip() for line in tail if _SIGNATURE.match(line.strip())]
    texts = [(doc.meta.title_zh or "", True), (doc.meta.issuer or "", False),
             *((h, True) for h in headings), *((s, False) for s in signature), (Path(doc.file_name).stem, True)]
    return [(t, bare) for t, bare in texts if t and not _NATIONAL_ADDRESS.search(t)]


@per_document
def issuer_place(doc: Document) -> PlaceMention | None:
    """The province or city that issued a Chinese document, or None (a national document)."""
    if doc.lang != "zh":
        return None
    for text, bare in _issuer_texts(doc):
        found = find_places(text, bare_cities=bare)
        if found:
            return found[0]
    return None
