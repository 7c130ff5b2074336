"""More hostile inputs, built by hand as real bytes (see tests/bad_pdfs.py for the basic builders)."""

from __future__ import annotations

import io
import random
import zipfile
import zlib

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from tests.bad_pdfs import encrypted_pdf_bytes, flate_bomb_bytes, good_pdf_bytes, raw_pdf, slow_pdf_bytes

HELVETICA = b"<< /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>"


def pdf_of_objects(objs: list[bytes], root: int = 1, xref: bool = True, eof: bool = True) -> bytes:
    """A PDF from numbered object bodies (object i+1 is objs[i]) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
        out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n" % (len(objs) + 1, root, start)
    if eof:
        out += b"%%EOF\n"
    return bytes(out)


def stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def html_bytes() -> bytes:
    return b"<!DOCTYPE html><html><head><title>x</title></head><body>Not a PDF at all.</body></html>"


def png_bytes() -> bytes:
    """A real 8x8 PNG."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def zip_bytes() -> bytes:
    """A ZIP archive holding a PDF (a PDF inside is still not a PDF)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("inside.pdf", good_pdf_bytes())
    return buf.getvalue()


def truncated_bytes(fraction: float) -> bytes:
    """A text PDF cut at a fraction of its length."""
    good = long_pdf_bytes()
    return good[: max(1, int(len(good) * fraction))]


def long_pdf_bytes(pages: int = 3) -> bytes:
    """A few pages of text, uncompressed, so cuts land in content, objects or the xref."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=0)
    for p in range(pages):
        c.setFont("Helvetica", 11)
        for i in range(30):
            c.drawString(72, 780 - 22 * i, f"Page {p + 1} line {i + 1}: the EU aims at climate neutrality by 2050.")
        c.showPage()
    c.save()
    return buf.getvalue()


def broken_xref_bytes() -> bytes:
    """Every xref offset points at garbage (readers must rebuild the table by scanning)."""
    good = raw_pdf(b"BT /F1 12 Tf 72 760 Td (Broken xref, but the text is all there: net zero by 2050.) Tj ET")
    head, _, tail = good.partition(b"xref\n")
    lines = tail.split(b"\n")
    for i, line in enumerate(lines):
        if line.endswith(b" 00000 n "):
            lines[i] = b"%010d 00000 n " % (i * 7919 % 100000)
    return head + b"xref\n" + b"\n".join(lines)


def no_eof_bytes() -> bytes:
    """A complete PDF whose %%EOF marker is missing."""
    return good_pdf_bytes("No end-of-file marker here; carbon neutrality by 2060.").replace(b"%%EOF", b"")


def encrypted(algorithm: str) -> bytes:
    """A user-password PDF: RC4-128, AES-128 or AES-256."""
    return encrypted_pdf_bytes(algorithm, user_password="secret", owner_password="owner")


def owner_only_bytes() -> bytes:
    """Encrypted with an owner password only: anyone may open it (the empty user password)."""
    return encrypted_pdf_bytes("AES-128", user_password="", owner_password="owner")


def cyclic_page_tree_bytes() -> bytes:
    """A Pages node that lists itself among its kids."""
    return pdf_of_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font "
        + HELVETICA + b" >> >>",
        stream(b"BT /F1 12 Tf 72 760 Td (A page tree that loops.) Tj ET"),
    ])


def self_xobject_bytes() -> bytes:
    """A form XObject that draws itself (infinite recursion for a naive renderer)."""
    return pdf_of_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font "
        + HELVETICA + b" /XObject << /X0 5 0 R >> >> >>",
        stream(b"BT /F1 12 Tf 72 760 Td (The form below draws itself; net zero by 2050.) Tj ET /X0 Do"),
        stream(b"BT /F1 10 Tf 72 700 Td (inside the form) Tj ET /X0 Do",
               b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /X0 5 0 R >> "
               b"/Font " + HELVETICA + b" >> "),
    ])


def many_pages_bytes(n: int = 20_000) -> bytes:
    """n pages, cheaply: one Pages node whose Kids repeat the same page object n times."""
    kids = b" ".join([b"3 0 R"] * n)
    return pdf_of_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font "
        + HELVETICA + b" >> >>",
        stream(b"BT /F1 12 Tf 72 760 Td (One of many identical pages.) Tj ET"),
    ])


def cid_font_no_tounicode_bytes(n_glyphs: int = 400) -> bytes:
    """Text in a Type0/Identity-H font with no ToUnicode map: extractors see only (cid:N)."""
    rng = random.Random(7)
    lines = []
    for row in range(20):
        codes = b"".join(b"%04X" % rng.randrange(1, 8000) for _ in range(n_glyphs // 20))
        lines.append(b"BT /F1 12 Tf 40 %d Td <%s> Tj ET" % (800 - 30 * row, codes))
    return pdf_of_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream(b"\n".join(lines)),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (Identity) /Supplement 0 >> /DW 1000 /FontDescriptor 7 0 R >>",
        b"<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -140 1000 860] /ItalicAngle 0 "
        b"/Ascent 860 /Descent -140 /CapHeight 700 /StemV 80 >>",
    ])


def scanned_bytes(pages: int = 2) -> bytes:
    """Image-only pages (a scan): a picture of text, no text layer at all."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    img = Image.new("L", (600, 800), 255)
    draw = ImageDraw.Draw(img)
    for i in range(30):
        draw.text((40, 30 + 25 * i), f"Scanned line {i}: carbon neutrality by 2060", fill=0)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for _ in range(pages):
        c.drawImage(ImageReader(img), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    return buf.getvalue()


MOJIBAKE_TEXT = "中国力争2030年前实现碳达峰，2060年前实现碳中和。到2025年，非化石能源消费比重达到20%左右。"


def mojibake_bytes(text: str = MOJIBAKE_TEXT) -> bytes:
    """Chinese text whose GBK bytes are shown in a Latin-1 font (what a broken converter writes)."""
    shown = text.encode("gbk").decode("latin-1")
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 11)
    for i in range(0, len(shown), 60):
        c.drawString(40, 780 - 18 * (i // 60), shown[i:i + 60])
    c.showPage()
    c.save()
    return buf.getvalue()


def hostile_inputs() -> dict[str, tuple[bytes, str]]:
    """file name -> (bytes, expected outcome: 'ok' or a reason code). The ingest needs timeout <= 10 s."""
    return {
        "zero.pdf": (b"", "empty_file"),
        "page.pdf": (html_bytes(), "not_pdf"),
        "picture.pdf": (png_bytes(), "not_pdf"),
        "archive.pdf": (zip_bytes(), "not_pdf"),
        **{f"cut_{int(f * 100):02d}.pdf": (truncated_bytes(f), "truncated") for f in (0.05, 0.4, 0.75, 0.97)},
        "broken_xref.pdf": (broken_xref_bytes(), "ok"),
        "no_eof.pdf": (no_eof_bytes(), "ok"),
        "rc4.pdf": (encrypted("RC4-128"), "encrypted"),
        "aes128.pdf": (encrypted("AES-128"), "encrypted"),
        "aes256.pdf": (encrypted("AES-256"), "encrypted"),
        "owner_only.pdf": (owner_only_bytes(), "ok"),
        "cyclic_tree.pdf": (cyclic_page_tree_bytes(), "malformed"),
        "self_xobject.pdf": (self_xobject_bytes(), "ok"),
        "bomb.pdf": (flate_bomb_bytes(), "memory_limit"),
        "drawing_200k.pdf": (slow_pdf_bytes(200_000), "timeout"),
        "pages_20000.pdf": (many_pages_bytes(), "too_many_pages"),
        "cid_no_tounicode.pdf": (cid_font_no_tounicode_bytes(), "garbled_text"),
        "scanned.pdf": (scanned_bytes(), "no_text_layer"),
        "mojibake.pdf": (mojibake_bytes(), "ok"),
        "inverted_box.pdf": (page_with_box_bytes(b"[595 842 0 0]"), "ok"),
        "zero_box.pdf": (page_with_box_bytes(b"[0 0 0 0]"), "ok"),
        "prev_loop.pdf": (prev_self_loop_bytes(), "ok"),
        "locked_attachment.pdf": (encrypted_attachment_bytes(), "ok"),
    }


def flip_bytes(data: bytes, rng: random.Random, n: int) -> bytes:
    """n random bytes replaced by random values."""
    buf = bytearray(data)
    for _ in range(n):
        buf[rng.randrange(len(buf))] = rng.randrange(256)
    return bytes(buf)


def delete_chunks(data: bytes, rng: random.Random, n: int, max_len: int = 200) -> bytes:
    """n random chunks (1..max_len bytes) cut out."""
    buf = bytearray(data)
    for _ in range(n):
        if len(buf) < 2:
            break
        start = rng.randrange(len(buf))
        del buf[start:start + rng.randint(1, max_len)]
    return bytes(buf)


def mutants(seeds: list[bytes], count: int, seed: int = 0) -> list[bytes]:
    """count deterministic mutants of the seed PDFs: byte flips, chunk deletions, or both."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        data = seeds[i % len(seeds)]
        how = rng.choice(("flip", "cut", "both"))
        if how in ("flip", "both"):
            data = flip_bytes(data, rng, rng.choice((1, 4, 32)))
        if how in ("cut", "both"):
            data = delete_chunks(data, rng, rng.choice((1, 3)))
        out.append(data)
    return out


def fuzz_seeds() -> list[bytes]:
    """Valid PDFs to mutate: compressed and uncompressed text, a CJK font page, a hand-built file."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("STSong-Light", 12)
    c.drawString(60, 780, "到2030年，非化石能源消费比重达到25%左右。")
    c.drawString(60, 760, "2060年前实现碳中和。")
    c.showPage()
    c.save()
    hand = raw_pdf(zlib.compress(b"BT /F1 12 Tf 72 760 Td (Net zero by 2050, 55% by 2030.) Tj ET"),
                   "/Filter /FlateDecode ")
    return [good_pdf_bytes(), long_pdf_bytes(2), buf.getvalue(), hand]


FACT_LINES_ZH = [
    "到2025年，非化石能源消费比重达到20%左右。", "2030年前实现碳达峰，2060年前实现碳中和。",
    "到2025年，单位国内生产总值能耗比2020年下降13.5%。", "到2030年，风电、太阳能发电总装机容量达到12亿千瓦以上。",
    "2021年10月，国务院印发《2030年前碳达峰行动方案》。", "“十四五”期间，新增可再生能源发电装机5000万千瓦。",
]
FACT_LINES_EN = [
    "The EU aims at climate neutrality by 2050 and a 55% cut in emissions by 2030.",
    "The UK set a target of 40 GW of offshore wind by 2030.", "Germany plans 80% renewable electricity by 2030.",
]


def facts_pdf_bytes(pages: int = 4) -> bytes:
    """A few pages dense with targets and dates in Chinese and English (many fact rows per load)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for p in range(pages):
        y = 790
        for i in range(4):
            c.setFont("STSong-Light", 11)
            for line in FACT_LINES_ZH:
                c.drawString(50, y, line)
                y -= 16
            c.setFont("Helvetica", 10)
            c.drawString(50, y, FACT_LINES_EN[(p + i) % len(FACT_LINES_EN)])
            y -= 22
        c.showPage()
    c.save()
    return buf.getvalue()


ESC_TO_UNICODE = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Esc def "
                  b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <1B> <001B> endbfchar "
                  b"endcmap CMapName currentdict /CMap defineresource pop end end")
"""A ToUnicode map that makes byte 0x1B come out of the text layer as ESC (the rest as WinAnsi)."""


def raw_text_pdf_bytes(text: bytes) -> bytes:
    """One page showing `text` byte for byte in Helvetica; control bytes such as ESC extract as themselves."""
    content = b"BT /F1 12 Tf 72 700 Td (" + text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(
        b")", b"\\)") + b") Tj ET"
    font = b"<< /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding " \
           b"/ToUnicode 5 0 R >> >>"
    return pdf_of_objects([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                           b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                           b"/Resources << /Font " + font + b" >> >>", stream(content), stream(ESC_TO_UNICODE)])


TEXT_PAGE = b"BT /F1 12 Tf 72 760 Td (A page whose box is odd; carbon neutrality by 2060.) Tj ET"


def page_with_box_bytes(box: bytes) -> bytes:
    """One text page with the given MediaBox (inverted [595 842 0 0] or empty [0 0 0 0])."""
    return pdf_of_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox " + box + b" /Contents 4 0 R /Resources << /Font "
        + HELVETICA + b" >> >>",
        stream(TEXT_PAGE),
    ])


def prev_self_loop_bytes() -> bytes:
    """A trailer whose /Prev points back at its own xref table (a loop for a reader that follows /Prev)."""
    good = pdf_of_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font "
        + HELVETICA + b" >> >>",
        stream(b"BT /F1 12 Tf 72 760 Td (The xref chain loops on itself; net zero by 2050.) Tj ET"),
    ])
    start = good.rindex(b"\nxref\n") + 1
    return good.replace(b"/Root 1 0 R >>", b"/Root 1 0 R /Prev %d >>" % start)


def repeated_contents_bytes(times: int = 100_000) -> bytes:
    """A page that lists one content stream `times` times in its /Contents array."""
    refs = b" ".join([b"4 0 R"] * times)
    return pdf_of_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [" + refs + b"] /Resources << /Font "
        + HELVETICA + b" >> >>",
        stream(b"BT /F1 12 Tf 72 760 Td (The same stream, again and again: net zero by 2050.) Tj ET"),
    ])


def encrypted_attachment_bytes() -> bytes:
    """Plain pages, but an embedded file encrypted under a user password (/EFF only, /StmF and /StrF
    /Identity): viewers show the pages without asking, only the attachment needs the password."""
    rng = random.Random(11)
    secret = bytes(rng.randrange(256) for _ in range(64))  # stands in for the AES-encrypted attachment
    o_u = [bytes(rng.randrange(256) for _ in range(32)).hex().encode() for _ in range(2)]
    data = pdf_of_objects([
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(secret.txt) 5 0 R] >> >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font "
        + HELVETICA + b" >> >>",
        stream(b"BT /F1 12 Tf 72 760 Td (Only the attachment is locked; climate neutrality by 2050.) Tj ET"),
        b"<< /Type /Filespec /F (secret.txt) /UF (secret.txt) /EF << /F 6 0 R >> >>",
        stream(secret, b"/Type /EmbeddedFile "),
        b"<< /Filter /Standard /V 4 /R 4 /Length 128 /P -1028 /StmF /Identity /StrF /Identity /EFF /StdCF "
        b"/CF << /StdCF << /CFM /AESV2 /AuthEvent /EFOpen /Length 16 >> >> /O <" + o_u[0] + b"> /U <"
        + o_u[1] + b"> >>",
    ])
    return data.replace(b"/Root 1 0 R >>", b"/Root 1 0 R /Encrypt 7 0 R /ID [<%s> <%s>] >>"
                        % (b"ab" * 16, b"ab" * 16))
