"""Build the technology gold files from sources independent of the extractor under test.

Seed: Table 2 and Figure 3 parsed from the transcript markdown; the page of each is where pdfplumber's
plain text of the rendered PDF shows the table header / the figure caption. Tech-innovation plan:
catalogue entries and stage tags read from pdfplumber's plain extract_text(), checked against the
corpus README counts ([集中攻关] x53, [示范试验] x54, [应用推广] x10).

Run: .venv/bin/python tests/gold_technologies.py SEED_PDF PLAN_PDF  (writes tests/gold/technologies_*.json)
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.corpus import seed_transcript  # noqa: E402

GOLD = ROOT / "tests" / "gold"
ACTORS = {"美国": "US", "欧盟": "EU", "德国": "DE", "法国": "FR", "英国": "GB", "日本": "JP", "韩国": "KR"}
HORIZONS = {"近": "near", "近-中": "near_medium", "中": "medium", "中-远": "medium_long", "远": "long"}
STAGES = {"集中攻关": "research", "示范试验": "demonstration", "应用推广": "deployment"}
SCOPE = "rule_id tech.table.*, tech.figure.*, tech.stage.* (taxonomy mentions in running text are not in gold)"


def _clean(s: str) -> str:
    return re.sub(r"</?sub>|\s+", "", s)


def seed_table2(md: str) -> list[tuple[str, str]]:
    """(actor, item) of every Table 2 cell item, in row order."""
    body = md.split("国家/地区\t重点技术", 1)[1].split("\n\n", 1)[0]
    out = []
    for line in body.strip().splitlines():
        country, items = line.split("\t")
        items = re.sub(r"等$", "", items.strip())
        out += [(ACTORS[country], i) for i in re.split(r"[、，；]", items) if i]
    return out


def seed_figure3(md: str) -> list[tuple[str, str, str]]:
    """(group, item, horizon label) of Figure 3, from the bold group names and '- item (label)' lines."""
    part = md.split("**碳基能源分子高效洁净利用与转化的物化基础与过程**", 1)[1].split("图3 碳中和", 1)[0]
    part = "**碳基能源分子高效洁净利用与转化的物化基础与过程**" + part
    out, group = [], ""
    for line in part.splitlines():
        if m := re.match(r"^\*\*(.+)\*\*\s*$", line.strip()):
            group = m.group(1)
        elif m := re.match(r"^-\s*(.+?)\s*\((近-中|中-远|近|中|远)\)\s*$", line.strip()):
            out.append((group, _clean(m.group(1)), m.group(2)))
    return out


def _page_with(pdf: pdfplumber.PDF, *needles: str) -> int:
    for page in pdf.pages:
        text = re.sub(r"\s+", "", page.extract_text() or "")
        if all(n in text for n in needles):
            return page.page_number
    raise LookupError(needles)


def seed_gold(pdf_path: Path) -> dict:
    md = seed_transcript().read_text(encoding="utf-8")
    with pdfplumber.open(pdf_path) as pdf:
        p_table = _page_with(pdf, "国家/地区", "小型模块化反应堆")
        p_fig = _page_with(pdf, "图3", "(近-中)")
    facts = [{"name_surface": item, "actor": actor, "origin": "table", "page_no": p_table,
              "group_name": None, "horizon": None, "stage": None} for actor, item in seed_table2(md)]
    facts += [{"name_surface": item, "actor": None, "origin": "figure", "page_no": p_fig,
               "group_name": group, "horizon": HORIZONS[label], "horizon_surface": label, "stage": None}
              for group, item, label in seed_figure3(md)]
    return _doc(pdf_path, facts)


def catalogue_gold(pdf_path: Path) -> dict:
    facts: list[dict] = []
    current: dict | None = None
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            lines = (page.extract_text() or "").splitlines()
            for i, line in enumerate(lines):
                if m := re.match(r"^（(\d+)）(.+)$", line):
                    more = [ln for ln in lines[i + 1:i + 4] if not re.fullmatch(r"[\d\s]+", ln)]
                    k = next((n for n, ln in enumerate(more) if ln.startswith("[")), 0)
                    title = m.group(2) + "".join(more[:k]) if k <= 2 else m.group(2)
                    current = {"title": title, "page_no": page.page_number, "stages": []}
                    facts.append(current)
                elif re.match(r"^(\d+\.\S|（[一二三四五六七八九十]+）|专栏\d)", line):
                    current = None
                elif current is not None:
                    for tag in re.findall(r"\[(集中攻关|示范试验|应用推广)\]", line):
                        if STAGES[tag] not in current["stages"]:
                            current["stages"].append(STAGES[tag])
    rows = [{"name_surface": re.sub(r"CO(?=\s*[（)）捕])", "CO2", re.sub(r"\s+", "", f["title"])), "actor": "CN", "origin": "text", "page_no": f["page_no"],
             "group_name": None, "horizon": None, "stage": s} for f in facts for s in f["stages"]]
    return _doc(pdf_path, rows)


def _doc(pdf_path: Path, facts: list[dict]) -> dict:
    return {"doc_id": hashlib.sha256(pdf_path.read_bytes()).hexdigest(), "file_name": pdf_path.name,
            "scope": SCOPE, "facts": {"technologies": facts}}


def main(seed_pdf: str, plan_pdf: str) -> None:
    for name, gold in (("seed", seed_gold(Path(seed_pdf))), ("tech_innovation", catalogue_gold(Path(plan_pdf)))):
        out = GOLD / f"technologies_{name}.json"
        out.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(out, len(gold["facts"]["technologies"]))


if __name__ == "__main__":
    main(*sys.argv[1:3])


IN_SCOPE = ("tech.table.", "tech.figure.", "tech.stage.")


def score(gold: dict, facts: list[dict], key_fields: tuple[str, ...]) -> dict:
    """Precision/recall on (page_no, normalised name_surface) as a multiset, plus key-field accuracy."""
    from extractors.technologies_taxonomy import normalise

    pred = [f for f in facts if f["rule_id"].startswith(IN_SCOPE)]
    pool: dict[tuple, list[dict]] = {}
    for g in gold["facts"]["technologies"]:
        pool.setdefault((g["page_no"], normalise(g["name_surface"])), []).append(g)
    matched, field_hits, field_total = 0, 0, 0
    for f in pred:
        cands = pool.get((f["page_no"], normalise(f["name_surface"])))
        if not cands:
            continue
        best = max(cands, key=lambda g: sum(g.get(k) == f.get(k) for k in key_fields if k in g))
        cands.remove(best)
        matched += 1
        for k in key_fields:
            if k in best:
                field_total += 1
                field_hits += best[k] == f.get(k)
    n_gold = len(gold["facts"]["technologies"])
    return {"gold": n_gold, "pred": len(pred), "matched": matched,
            "precision": matched / len(pred) if pred else 0.0, "recall": matched / n_gold if n_gold else 0.0,
            "key_field_accuracy": field_hits / field_total if field_total else 0.0,
            "non_taxonomy": sum(f["canonical_id"] is None for f in pred)}


def pdf_to_facts(pdf_path: Path) -> list[dict]:
    """Layout, tables and the technology extractor on one PDF (the pipeline's steps for this fact kind)."""
    from extractors import layout, tables, technologies

    with pdfplumber.open(pdf_path) as pdf:
        doc, found = layout.pdf_to_document(pdf, hashlib.sha256(pdf_path.read_bytes()).hexdigest(), pdf_path.name)
    found = tables.finalize(doc, found)
    return [c.payload for c in technologies.extract(doc, tuple(found))]
