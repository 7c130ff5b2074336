"""A seeded hostile batch (`make stress`; a light sample in `make test`): the probe's kinds, any number of files.

Kinds: huge (and odd) pages, empty page trees, loops (page trees, forms, xref chains, symlinks), private-use
text, JavaScript, embedded files, deep nesting, repeated streams, hostile names, files that vanish after the
ingest has listed them, and FIFOs. Each PDF carries its index, so no two files share a sha256 (doc_id).
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.bad_pdfs import good_pdf_bytes
from tests.hostile_pdfs import HELVETICA, cyclic_page_tree_bytes, pdf_of_objects, self_xobject_bytes, stream

LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 "
CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
ONE_KID = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
VANISH_PREFIX = "zz_vanishing_"
"""Vanishing files sort last: they are deleted once the ingest has listed the folder, before it reads them."""


@dataclass(frozen=True)
class Sizes:
    """How far the costly kinds go: nesting depths, repeat counts, page sides (points)."""

    depths: tuple[int, ...] = (100, 1_000, 10_000, 100_000)
    repeats: tuple[int, ...] = (100, 1_000, 5_000)
    sides: tuple[bytes, ...] = (b"14400", b"200000", b"9999999", b"1e30")


FULL = Sizes()
LIGHT = Sizes(depths=(100, 1_000), repeats=(100, 400), sides=(b"14400", b"200000"))
"""For the sample in `make test`: every kind and variant, without the deepest, longest and largest."""
ODD_BOXES = [b"[0 0 0 0]", b"[595 842 0 0]", b"[0 0 -595 -842]", b"[0 0 595]"]


@dataclass(frozen=True)
class Item:
    """One file of the batch: its name, kind, and bytes (neither bytes nor link: a FIFO)."""

    name: str
    kind: str
    data: bytes | None = None
    link_to: str | None = None
    """A symlink's target (a name in the same folder)."""


def page(contents: bytes = b"4 0 R", media: bytes = b"[0 0 595 842]", extra: bytes = b"") -> bytes:
    return (b"<< /Type /Page /Parent 2 0 R /MediaBox " + media + b" /Contents " + contents
            + b" /Resources << /Font " + HELVETICA + b" >> " + extra + b">>")


def text(i: int, words: str) -> bytes:
    return stream(b"BT /F1 12 Tf 72 760 Td (File %d: %s Net zero by 2050.) Tj ET" % (i, words.encode()))


def one_page(i: int, words: str, media: bytes = b"[0 0 595 842]", catalog: bytes = CATALOG,
             page_extra: bytes = b"", more: tuple[bytes, ...] = ()) -> bytes:
    """Catalog (1), Pages (2), one page (3) drawing text (4), then any further objects (5, 6, ...)."""
    return pdf_of_objects([catalog, ONE_KID, page(media=media, extra=page_extra), text(i, words), *more])


def huge_page(i: int, rng: random.Random, sizes: Sizes) -> bytes:
    box = rng.choice([b"[0 0 %s %s]" % (side, side) for side in sizes.sides] + ODD_BOXES)
    return one_page(i, "a page with MediaBox " + box.decode(), media=box)


def empty_page_tree(i: int, rng: random.Random, _sizes: Sizes) -> bytes:
    pages = rng.choice([b"<< /Type /Pages /Kids [] /Count 0 >>", b"<< /Type /Pages /Kids [] /Count 7 >>",
                        b"<< /Type /Pages /Count 1 >>", b"<< /Type /Pages /Kids [null] /Count 1 >>",
                        b"<< /Type /Pages /Kids [3 0 R] /Count 0 >>"])
    return pdf_of_objects([CATALOG, pages, page(), text(i, "a page the tree does not list.")])


def loop(i: int, rng: random.Random, _sizes: Sizes) -> bytes:
    variant = rng.randrange(4)
    if variant == 0:
        return cyclic_page_tree_bytes()
    if variant == 1:
        return self_xobject_bytes()
    if variant == 2:  # two Pages nodes that list each other
        return pdf_of_objects([CATALOG, b"<< /Type /Pages /Kids [5 0 R 3 0 R] /Count 2 >>", page(),
                               text(i, "pages nodes in a ring."), b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] "
                               b"/Count 1 >>"])
    good = one_page(i, "an xref chain that loops.")
    start = good.rindex(b"startxref\n") + len(b"startxref\n")
    offset = int(good[start:good.index(b"\n", start)])
    return good.replace(b"/Root 1 0 R >>", b"/Root 1 0 R /Prev %d >>" % offset)


def private_use(i: int, rng: random.Random, _sizes: Sizes) -> bytes:
    """Text whose ToUnicode map sends every code into the Private Use Area (U+E000...)."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /PUA def "
            b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfrange <20> <7E> <E020> endbfrange "
            b"endcmap CMapName currentdict /CMap defineresource pop end end")
    lines = [b"BT /F2 12 Tf 72 %d Td (%s) Tj ET" % (760 - 16 * n, bytes(rng.choices(LETTERS, k=60)))
             for n in range(rng.choice((1, 10, 40)))]
    content = stream(b"BT /F1 12 Tf 72 780 Td (File %d: private use below.) Tj ET\n" % i + b"\n".join(lines))
    font = b"<< /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> /F2 5 0 R >>"
    return pdf_of_objects([CATALOG, ONE_KID,
                           b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                           b"/Resources << /Font " + font + b" >> >>", content,
                           b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>", stream(cmap)])


def javascript(i: int, rng: random.Random, _sizes: Sizes) -> bytes:
    js = rng.choice([b"app.alert(1);", b"while (true) {}", b"this.exportDataObject({cName: 'x', nLaunch: 2});",
                     b"app.launchURL('http://127.0.0.1:9/', true);"])
    action = b"<< /S /JavaScript /JS (" + js + b") >>"
    where = rng.randrange(3)
    if where == 0:
        return one_page(i, "JavaScript on open.", catalog=b"<< /Type /Catalog /Pages 2 0 R /OpenAction " + action
                        + b" >>")
    if where == 1:
        return one_page(i, "a JavaScript name tree.", catalog=b"<< /Type /Catalog /Pages 2 0 R /Names << "
                        b"/JavaScript << /Names [(run) 5 0 R] >> >> >>", more=(action,))
    return one_page(i, "JavaScript on a page and a link.", page_extra=b"/AA << /O " + action + b" >> /Annots "
                    b"[<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] /A " + action + b" >>] ")


def embedded_file(i: int, rng: random.Random, _sizes: Sizes) -> bytes:
    payload = rng.choice([good_pdf_bytes(f"An embedded PDF inside file {i}."),
                          b"MZ\x90\x00" + bytes(rng.randrange(256) for _ in range(512)), b"#!/bin/sh\nrm -rf /\n"])
    spec = b"<< /Type /Filespec /F (attached.pdf) /UF (attached.pdf) /EF << /F 6 0 R >> >>"
    if rng.randrange(2):
        catalog = b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(attached.pdf) 5 0 R] >> >> >>"
        return one_page(i, "an embedded file.", catalog=catalog, more=(spec, stream(payload, b"/Type /EmbeddedFile ")))
    annot = b"/Annots [<< /Type /Annot /Subtype /FileAttachment /Rect [72 700 90 720] /FS 5 0 R >>] "
    return one_page(i, "a file attachment.", page_extra=annot, more=(spec, stream(payload, b"/Type /EmbeddedFile ")))


def deep_nesting(i: int, rng: random.Random, sizes: Sizes) -> bytes:
    depth = rng.choice(sizes.depths)
    variant = rng.randrange(3)
    if variant == 0:
        return one_page(i, f"arrays nested {depth} deep.", page_extra=b"/Deep " + b"[" * depth + b"]" * depth + b" ")
    if variant == 1:
        return one_page(i, f"dictionaries nested {depth} deep.",
                        page_extra=b"/Deep " + b"<< /A " * depth + b"1" + b" >>" * depth + b" ")
    body = b"q " * depth + b"BT /F1 12 Tf 72 760 Td (File %d: q nested %d deep.) Tj ET " % (i, depth) + b"Q " * depth
    return pdf_of_objects([CATALOG, ONE_KID, page(), stream(body)])


def repeated_stream(i: int, rng: random.Random, sizes: Sizes) -> bytes:
    n = rng.choice(sizes.repeats)
    if rng.randrange(2):
        return pdf_of_objects([CATALOG, ONE_KID, page(contents=b"[" + b"4 0 R " * n + b"]"),
                               text(i, f"one stream drawn {n} times.")])
    pages = n // 20
    return pdf_of_objects([CATALOG, b"<< /Type /Pages /Kids [" + b"3 0 R " * pages + b"] /Count %d >>" % pages,
                           page(), text(i, f"one page object repeated {pages} times.")])


HOSTILE_NAMES = ["\u202efdp{i}.exe.pdf", "a\nb{i}.pdf", "bad\udcff\udcfeutf8_{i}.pdf", "..{i}.pdf", "-rf{i}.pdf",
                 "{x}{i}.pdf", "$(touch pwned{i}).pdf", "<script>alert({i}).pdf", "'; DROP TABLE documents; --{i}.pdf",
                 " {i} leading space.pdf", "tab\t{i}.PDF", "back\\slash{i}.pdf", "%s%n{i}.pdf", "é{i}.pdf",
                 "\U0001f525{i}.pdf", "-{i}.pdf"]
"""In turn: the first three (right-to-left override, a newline, bytes that are not UTF-8) come first."""


def hostile_name(i: int) -> tuple[str, bytes]:
    name = HOSTILE_NAMES[i // len(KINDS) % len(HOSTILE_NAMES)].format(i=i, x="x" * 200)
    return name, good_pdf_bytes(f"File {i}: a hostile name, carbon neutrality by 2060.")


BUILDERS: dict[str, Callable[[int, random.Random, Sizes], bytes]] = {
    "huge_page": huge_page, "empty_page_tree": empty_page_tree, "loop": loop, "private_use": private_use,
    "javascript": javascript, "embedded_file": embedded_file, "deep_nesting": deep_nesting,
    "repeated_stream": repeated_stream,
}
KINDS = (*BUILDERS, "hostile_name", "vanishing", "fifo")


def batch(count: int, seed: int, sizes: Sizes = FULL) -> list[Item]:
    """count items, the kinds in turn, each variant drawn from a generator seeded with `seed`."""
    rng = random.Random(seed)
    return [_item(i, KINDS[i % len(KINDS)], rng, sizes) for i in range(count)]


def _item(i: int, kind: str, rng: random.Random, sizes: Sizes) -> Item:
    mark = b"%% item %d\n" % i  # after %%EOF: every file has its own sha256
    # every fifth loop file, the first one included, is a symlink to itself: a loop no open() gets through
    if kind == "loop" and i // len(KINDS) % 5 == 0:
        return Item(f"loop_{i:04d}_symlink.pdf", kind, link_to=f"loop_{i:04d}_symlink.pdf")
    if kind in BUILDERS:
        return Item(f"{kind}_{i:04d}.pdf", kind, BUILDERS[kind](i, rng, sizes) + mark)
    if kind == "hostile_name":
        name, data = hostile_name(i)
        return Item(name, kind, data + mark)
    if kind == "vanishing":
        return Item(f"{VANISH_PREFIX}{i:04d}.pdf", kind, good_pdf_bytes(f"File {i} vanishes.") + mark)
    return Item(f"fifo_{i:04d}.pdf", kind)


def write(folder: Path, items: list[Item]) -> None:
    """The files on disk: bytes, FIFOs (nobody ever writes to them) and symlinks to themselves."""
    folder.mkdir(parents=True, exist_ok=True)
    for item in items:
        path = folder / item.name
        if item.link_to is not None:
            path.symlink_to(item.link_to)
        elif item.data is None:
            os.mkfifo(path)
        else:
            path.write_bytes(item.data)
