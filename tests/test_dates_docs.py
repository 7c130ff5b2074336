"""Documents built by hand from the seed transcript, for the date/policy/reference tests (no PDF needed)."""

from __future__ import annotations

import hashlib

from schemas.facts import DocTable, TableCell
from schemas.layout import NO_BOX, Block, CitationMarker, Document, Page

SEED_DOC_ID = hashlib.sha256(b"seed transcript pages").hexdigest()

SEED_P1 = [
    ("heading", "1 碳中和内涵与发展"),
    ("paragraph", "人类活动已造成全球气温较工业化前水平升高约 1°C。按照这一趋势，2030—2052 年升温幅度将达到 "
                  "1.5°C，自然和人类系统将面临更高的气候风险。2015 年，195 个国家达成《巴黎协定》，确立了全球应对"
                  "气候变化威胁的总体目标。若要将全球升温限制在 1.5°C，全球碳排放需在 2030 年前减半，并在 21 世\n"
                  "纪中叶达到“净零”（即碳中和）。"),
    ("paragraph", "“碳中和”一词最早出现在 20 世纪 90 年代初。1997 年，英国的未来森林（Future Forests）公司将碳中和"
                  "作为商业策划概念提出。"),
    ("paragraph", "自 2000 年以来，碳中和这一概念变得越来越重要。2006 年，碳中和被《牛津英语词典》评为年度词汇。"
                  "2010 年，英国标准学会（BSI）制定发布《碳中和承诺规范》。"),
    ("paragraph", "我国于 2020 年 9 月提出了“二氧化碳排放力争于 2030 年前达到峰值，努力争取 2060 年前实现碳中和”的目标。"),
    ("footnote", "① Macmillan Dictionary. Definition of carbon neutral, BuzzWord from Macmillan Dictionary. "
                 "(2007-02-02)[2022-03-29]. https://www.macmillandictionary.com/buzzword/entries/carbon-neutral.html."),
]

SEED_P2 = [
    ("heading", "2.1 欧盟：构建顶层设计较完善的碳中和政策体系"),
    ("paragraph", "2018年11月，欧盟首次提出2050年气候中和愿景。2019年12月，欧盟发布《欧洲绿色协议》，提出到2030年"
                  "实现温室气体排放比1990年水平减少50%—55%，到2050年实现气候中和的目标。2020年3月，欧盟委员会提交"
                  "《欧洲气候法》草案。2020年以来，欧盟还发布了《能源系统一体化战略》、《欧洲氢能战略》、"
                  "《综合能源系统2020—2030年研发路线图》等领域战略规划。"),
    ("heading", "2.2 英国：围绕多行业布局具体脱碳战略"),
    ("paragraph", "英国在《2008年气候变化法》中设定了2050年减排80%的目标，2019年6月将其修订为实现温室气体净零排放。"
                  "2021年3月，英国启动资助金额为10亿英镑的净零创新投资组合计划，用于开发关键的低碳技术。"),
    ("heading", "2.4 日本和韩国：重点部署碳中和整体方案"),
    ("paragraph", "韩国。2020年12月，发布《2050年碳中和战略》，旨在到2050年实现碳中和。"),
    ("paragraph", "“绿色新政”计划将投资73.4万亿韩元，支持绿色技术的发展。"),
    ("footnote", "④ European Commission. Delivering the European Green Deal. (2021-07-14)[2022-03-29]. "
                 "https://ec.europa.eu/clima/news/delivering-european-green-deal_en."),
]

SEED_P3_TABLE = [
    ("caption", "表1 主要国家和地区氢能战略比较"),
    ("table", "国家/地区 战略名称 发布年份 主要目标 主要路径（制氢）\n欧盟 《欧洲氢能战略》 2020年 开发可再生氢能 "
              "2020—2024年：安装至少6 GW的可再生氢能电解槽\n英国 《英国氢能战略》 2021年 到2030年拥有5 GW的低碳氢生产能力"),
    ("heading", "参考文献"),
    ("reference", "[1] Intergovernmental Panel on Climate Change. Special Report on Global Warming of 1.5°C. "
                  "(2018-10-08)[2022-03-29]. https://www.ipcc.ch/sr15/.\n"
                  "[3] 刘长松. 碳中和的科学内涵、建设路径与政策措施. 阅江学刊, 2021, 13(2): 48-60."),
]


def make_page(page_no: int, blocks: list[tuple[str, str]], markers: list[tuple[str, str]] = ()) -> Page:
    """A page whose text is its blocks joined by newlines; markers are (marker, text it follows)."""
    text, made, pos = "", [], 0
    for i, (kind, btext) in enumerate(blocks):
        if text:
            text += "\n"
            pos += 1
        made.append(Block(page_no=page_no, block_no=i, kind=kind, lang="zh", text=btext, char_start=pos,
                          char_end=pos + len(btext), x0=50, top=20.0 * i, x1=500, bottom=20.0 * i + 15))
        text += btext
        pos += len(btext)
    boxes = tuple(NO_BOX if c == "\n" else (50.0 + i % 40, 10.0, 51.0 + i % 40, 20.0) for i, c in enumerate(text))
    marks = tuple(CitationMarker(page_no=page_no, marker=mk, char_offset=text.index(after) + len(after),
                                 x0=0, top=0, x1=1, bottom=1) for mk, after in markers)
    return Page(page_no=page_no, width=595, height=842, text=text, quality="ok", blocks=tuple(made),
                char_boxes=boxes, markers=marks)


def seed_document() -> Document:
    """Three pages of the seed paper: body, footnotes, Table 1 and the reference list."""
    pages = (
        make_page(1, SEED_P1, [("[2]", "《巴黎协定》")]),
        make_page(2, SEED_P2, [("[18]", "《欧洲绿色协议》"), ("⑧", "净零创新投资组合计划")]),
        make_page(3, SEED_P3_TABLE, [("[12]", "《欧洲氢能战略》")]),
    )
    return Document(doc_id=SEED_DOC_ID, file_name="seed.pdf", lang="zh", page_count=3, pages=pages)


def seed_table() -> DocTable:
    """Table 1 of the seed paper, first two rows, as the tables engineer would deliver it."""
    rows = [["国家/地区", "战略名称", "发布年份", "主要目标", "主要路径（制氢）"],
            ["欧盟", "《欧洲氢能战略》", "2020年", "开发可再生氢能", "2020—2024年：安装至少6 GW的可再生氢能电解槽"],
            ["英国", "《英国氢能战略》", "2021年", "到2030年拥有5 GW的低碳氢生产能力", ""]]
    cells = tuple(TableCell(row_no=r, col_no=c, text=t, is_header=r == 0, page_no=3, x0=0, top=0, x1=1, bottom=1)
                  for r, row in enumerate(rows) for c, t in enumerate(row))
    return DocTable(doc_id=SEED_DOC_ID, table_id="t1", page_no=3, label="表1", n_rows=3, n_cols=5,
                    x0=0, top=0, x1=1, bottom=1, cells=cells)


def test_seed_document_blocks_index_page_text() -> None:
    doc = seed_document()
    for page in doc.pages:
        assert len(page.char_boxes) == len(page.text)
        for b in page.blocks:
            assert page.text[b.char_start:b.char_end] == b.text
