"""The audit report's HTML: escaped text and data-* attributes only, one static script pinned by its hash."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from html import escape
from typing import Any

from flows.audit_svg import targets_to_svg
from warehouse.reviews import KEY_FIELDS, cell_text


@dataclass
class PageImage:
    """A rendered page: a data: URI and the pixels per PDF point on each axis (None when unavailable)."""

    page_no: int
    uri: str | None
    width_px: int
    height_px: int
    sx: float = 1.0
    sy: float = 1.0
    note: str = ""


@dataclass
class AuditData:
    """Everything one report shows, read from the warehouse."""

    doc: dict[str, Any]
    pages: list[dict[str, Any]]
    facts: list[dict[str, Any]]
    boxes: dict[str, list[dict[str, Any]]]
    tables: list[dict[str, Any]]
    rejections: list[dict[str, Any]]
    counts: dict[str, int]
    images: dict[int, PageImage] = field(default_factory=dict)


SCRIPT = r"""
(function () {
  'use strict';
  var rows = Array.prototype.slice.call(document.querySelectorAll('#facts tbody tr'));
  var kind = document.getElementById('f-kind'), page = document.getElementById('f-page');
  var text = document.getElementById('f-text'), shown = document.getElementById('f-shown');
  function boxesOf(id) { return document.querySelectorAll('.box[data-fact="' + CSS.escape(id) + '"]'); }
  function applyFilter() {
    var k = kind.value, p = page.value, q = text.value.trim().toLowerCase(), n = 0;
    rows.forEach(function (r) {
      var ok = (!k || r.dataset.kind === k) && (!p || r.dataset.page === p) &&
               (!q || r.dataset.search.indexOf(q) >= 0);
      r.hidden = !ok; if (ok) { n += 1; }
      boxesOf(r.dataset.fact).forEach(function (b) { b.classList.toggle('dim', !ok); });
    });
    shown.textContent = String(n);
  }
  [kind, page].forEach(function (e) { e.addEventListener('change', applyFilter); });
  text.addEventListener('input', applyFilter);
  function select(id, target) {
    document.querySelectorAll('.sel').forEach(function (e) { e.classList.remove('sel'); });
    var row = document.getElementById('row-' + id), boxes = boxesOf(id);
    if (row) { row.classList.add('sel'); }
    boxes.forEach(function (b) { b.classList.add('sel'); });
    var goal = target === 'row' ? row : boxes[0];
    if (goal) { goal.scrollIntoView({block: 'center'}); }
  }
  rows.forEach(function (r) {
    r.addEventListener('click', function () { select(r.dataset.fact, 'box'); });
  });
  document.querySelectorAll('.box, .tl').forEach(function (b) {
    b.addEventListener('click', function (ev) { ev.preventDefault(); select(b.dataset.fact, 'row'); });
  });
  document.querySelectorAll('#facts th[data-col]').forEach(function (th) {
    th.addEventListener('click', function () {
      var col = Number(th.dataset.col), num = th.dataset.type === 'num';
      var dir = th.dataset.dir === 'asc' ? -1 : 1; th.dataset.dir = dir === 1 ? 'asc' : 'desc';
      var body = document.querySelector('#facts tbody');
      rows.slice().sort(function (a, b) {
        var x = a.cells[col].dataset.v, y = b.cells[col].dataset.v;
        if (num) { return dir * ((Number(x) || 0) - (Number(y) || 0)); }
        return dir * x.localeCompare(y);
      }).forEach(function (r) { body.appendChild(r); });
    });
  });
  applyFilter();
}());
"""

STYLE = """
body{font:14px/1.45 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1em 2em;color:#222}
h1{font-size:1.4em} h2{border-bottom:1px solid #ccc;margin-top:2em} table{border-collapse:collapse}
td,th{border:1px solid #ddd;padding:2px 6px;vertical-align:top} th[data-col]{cursor:pointer;background:#f3f3f3}
#facts tr.sel td{background:#fff3b0} #facts tbody tr{cursor:pointer} .q{max-width:40em}
.flag{color:#b00;font-weight:bold} .page{display:flex;gap:1.5em;align-items:flex-start;margin:1em 0}
.pimg{position:relative;border:1px solid #999;flex:none} .pimg img{display:block}
.box{position:absolute;border:2px solid rgba(220,40,40,.8);background:rgba(255,80,80,.12);cursor:pointer}
.box.k-policy_dates{border-color:rgba(30,90,220,.8)} .box.k-policies{border-color:rgba(20,150,60,.8)}
.box.k-technologies{border-color:rgba(160,60,200,.8)} .box.dim{opacity:.15}
.box.sel{border-width:3px;background:rgba(255,220,0,.35);z-index:5} .ptables{max-width:50em;overflow:auto}
.ptables table{font-size:12px;margin-bottom:1em} .missing{background:#eee;display:flex;align-items:center;justify-content:center}
circle.tl{fill:#d33;cursor:pointer;opacity:.8} circle.tl.sel{fill:#fc0;stroke:#000}
svg text{font-size:11px} .axis,.grid{stroke:#bbb} .grid{stroke-dasharray:2 3} .note{color:#666}
"""


def script_hash(script: str = SCRIPT) -> str:
    """CSP source for the one inline script: 'sha256-<base64 of its exact text>'."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def csp() -> str:
    return (f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src {script_hash()}; "
            "base-uri 'none'; form-action 'none'")


def e(value: Any) -> str:
    """Escaped element text or attribute value (quotes included)."""
    return escape(cell_text(value), quote=True)


def _summary(fact: dict[str, Any]) -> str:
    """The fact's key fields as `name=value`, the ones that are set."""
    keys = KEY_FIELDS[fact["fact_kind"]]
    return " ".join(f"{k}={cell_text(fact.get(k))}" for k in keys if fact.get(k) is not None)


def meta_html(data: AuditData) -> str:
    """Document metadata and the page text-quality flags."""
    names = ("doc_id", "file_name", "source", "lang", "title_zh", "title_en", "doc_number", "issuer",
             "issued_date", "published_date", "received_date", "doi", "journal", "page_count", "status",
             "reason", "error", "superseded_by", "pipeline_version", "run_id", "ingested_at")
    rows = "".join(f"<tr><th>{k}</th><td>{e(data.doc.get(k))}</td></tr>" for k in names
                   if data.doc.get(k) is not None)
    flagged = [p for p in data.pages if p["quality"] != "ok"]
    flags = ("".join(f'<li class="flag">page {p["page_no"]}: {e(p["quality"])}</li>' for p in flagged)
             or "<li>every page's text layer is ok</li>")
    counts = "".join(f"<tr><th>{e(k)}</th><td id=\"count-{e(k)}\">{n}</td></tr>" for k, n in data.counts.items())
    return (f'<h2>Document</h2><table id="meta">{rows}</table><h2>Text quality</h2><ul id="quality">{flags}</ul>'
            f'<h2>Counts</h2><table id="counts">{counts}</table>')


def _fact_row(f: dict[str, Any]) -> str:
    conf = f.get("confidence")
    search = " ".join([f["fact_kind"], f.get("quote") or "", _summary(f), f.get("rule_id") or ""]).lower()
    cells = [(f["fact_kind"], f["fact_kind"]), (f["page_no"], f["page_no"]), (f.get("quote"), f.get("quote")),
             (_summary(f), _summary(f)), (f.get("rule_id"), f.get("rule_id")),
             ("" if conf is None else f"{conf:.2f}", conf if conf is not None else ""),
             (f.get("review_verdict"), f.get("review_verdict")), (f["fact_id"][:12], f["fact_id"])]
    tds = "".join(f'<td data-v="{e(v)}"{" class=q" if i == 2 else ""}>{e(shown)}</td>'
                  for i, (shown, v) in enumerate(cells))
    return (f'<tr id="row-{e(f["fact_id"])}" data-fact="{e(f["fact_id"])}" data-kind="{e(f["fact_kind"])}" '
            f'data-page="{e(f["page_no"])}" data-search="{e(search)}">{tds}</tr>')


def facts_html(data: AuditData) -> str:
    """The filterable, sortable table of every fact."""
    kinds = "".join(f'<option value="{e(k)}">{e(k)} ({n})</option>' for k, n in data.counts.items())
    pages = "".join(f'<option value="{p["page_no"]}">{p["page_no"]}</option>' for p in data.pages)
    heads = [("kind", "text"), ("page", "num"), ("quote", "text"), ("fields", "text"), ("rule", "text"),
             ("confidence", "num"), ("review", "text"), ("fact_id", "text")]
    ths = "".join(f'<th data-col="{i}" data-type="{t}">{h}</th>' for i, (h, t) in enumerate(heads))
    body = "".join(_fact_row(f) for f in data.facts)
    return (f'<h2>Facts (<span id="f-shown">{len(data.facts)}</span> of <span id="f-total">{len(data.facts)}'
            f'</span>)</h2><p><label>kind <select id="f-kind"><option value="">all</option>{kinds}</select>'
            f'</label> <label>page <select id="f-page"><option value="">all</option>{pages}</select></label> '
            f'<label>search <input id="f-text" type="search"></label></p>'
            f'<table id="facts"><thead><tr>{ths}</tr></thead><tbody>{body}</tbody></table>')


def table_html(t: dict[str, Any]) -> str:
    """One extracted table, spans honoured (a spanned cell is stored once, at its top-left)."""
    by_row: dict[int, list[dict[str, Any]]] = {}
    for c in t["cells"]:
        by_row.setdefault(c["row_no"], []).append(c)
    rows = []
    for r in sorted(by_row):
        cells = []
        for c in sorted(by_row[r], key=lambda c: c["col_no"]):
            tag = "th" if c["is_header"] else "td"
            span = (f' rowspan="{c["row_span"]}"' if c["row_span"] > 1 else "") + \
                   (f' colspan="{c["col_span"]}"' if c["col_span"] > 1 else "")
            cells.append(f"<{tag}{span}>{e(c['text'])}</{tag}>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    caption = " ".join(x for x in (t.get("label"), t.get("caption_zh"), t.get("caption_en")) if x)
    flags = f' <span class="flag">{e(", ".join(t.get("flags") or []))}</span>' if t.get("flags") else ""
    return (f'<table class="doctable" data-table="{e(t["table_id"])}"><caption>{e(caption or t["table_id"])}'
            f'{flags}</caption>{"".join(rows)}</table>')


def _box(fact_id: str, kind: str, b: dict[str, Any], img: PageImage) -> str:
    left, top = b["x0"] * img.sx, b["top"] * img.sy
    w, h = max((b["x1"] - b["x0"]) * img.sx, 3), max((b["bottom"] - b["top"]) * img.sy, 3)
    return (f'<a class="box k-{e(kind)}" data-fact="{e(fact_id)}" href="#row-{e(fact_id)}" '
            f'style="left:{left:.1f}px;top:{top:.1f}px;width:{w:.1f}px;height:{h:.1f}px"></a>')


def page_html(data: AuditData, page: dict[str, Any], kinds: dict[str, str]) -> str:
    """One page image with its fact boxes, and the tables found on it beside it."""
    n = page["page_no"]
    img = data.images.get(n) or PageImage(n, None, 600, 840, note="page image unavailable")
    if img.uri:
        inner = f'<img src="{img.uri}" width="{img.width_px}" height="{img.height_px}" alt="page {n}">'
    else:
        inner = f'<div class="missing" style="width:{img.width_px}px;height:{img.height_px}px">{e(img.note)}</div>'
    found = [(fid, b) for fid, bs in data.boxes.items() if fid in kinds
             for b in bs if b["page_no"] == n and b["x1"] > b["x0"]]
    found.sort(key=lambda fb: -(fb[1]["x1"] - fb[1]["x0"]) * (fb[1]["bottom"] - fb[1]["top"]))  # small on top
    boxes = "".join(_box(fid, kinds[fid], b, img) for fid, b in found)
    tables = "".join(table_html(t) for t in data.tables if t["page_no"] == n)
    quality = f' <span class="flag">{e(page["quality"])}</span>' if page["quality"] != "ok" else ""
    return (f'<h3 id="p-{n}">Page {n}{quality}</h3><div class="page"><div class="pimg" data-page="{n}" '
            f'style="width:{img.width_px}px;height:{img.height_px}px">{inner}{boxes}</div>'
            f'<div class="ptables">{tables}</div></div>')


def rejections_html(data: AuditData) -> str:
    if not data.rejections:
        return '<h2>Rejections</h2><p class="note">No candidate fact was rejected.</p>'
    rows = "".join(f"<tr><td>{e(r['fact_kind'])}</td><td>{e(r['page_no'])}</td><td class=q>{e(r['quote'])}</td>"
                   f"<td>{e(r['error'])}</td></tr>" for r in data.rejections)
    return (f'<h2>Rejections ({len(data.rejections)})</h2><table id="rejections"><thead><tr><th>kind</th>'
            f'<th>page</th><th>quote</th><th>reason</th></tr></thead><tbody>{rows}</tbody></table>')


def report_html(data: AuditData) -> str:
    """The whole self-contained report."""
    kinds = {f["fact_id"]: f["fact_kind"] for f in data.facts}
    title = data.doc.get("title_zh") or data.doc.get("title_en") or data.doc.get("file_name") or data.doc["doc_id"]
    targets = [f for f in data.facts if f["fact_kind"] == "targets"]
    pages = "".join(page_html(data, p, kinds) for p in data.pages)
    return (f'<!DOCTYPE html><html lang="{e(data.doc.get("lang") or "zh")}"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{csp()}">'
            f'<meta name="referrer" content="no-referrer"><title>audit: {e(title)}</title>'
            f'<style>{STYLE}</style></head><body><h1>{e(title)}</h1>{meta_html(data)}{facts_html(data)}'
            f'<h2>Targets timeline</h2>{targets_to_svg(targets)}{rejections_html(data)}'
            f'<h2>Pages</h2><div id="pages">{pages}</div><script>{SCRIPT}</script></body></html>')
