#!/usr/bin/env python3
"""Builds the supporting-material PDFs (支撑材料) of the sample application packages.

For every package folder next to this script (jiyuan/, lingang/, ningbo/, ruian/) it reads the source texts
in materials-src/<package>/*.txt, writes one PDF per source into <package>/materials/, and writes
<package>/materials/index.toml with each PDF's file name, title and page count. The consortium name
printed in every page header is taken from <package>/application.toml (cover.name). Re-running it gives
byte-identical PDFs (fixed creation date, no random IDs).

Requirements
  - Python 3.11+ (tomllib)
  - pip install fpdf2          (tested with fpdf2 2.8; it pulls in fonttools and Pillow)
  - Debian/Ubuntu package fonts-noto-cjk (installed by ./dev), which provides
    /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc; face 2 of that collection is Noto Sans CJK SC.
    Its outlines are CFF, and fpdf2 embeds a CFF font with a CMap of its own as /Encoding, which the app's
    PDF reader (like many others) does not decode. So the script first makes a TrueType copy of the face,
    cut down to the characters the texts use (fontTools: subset, then cubic to quadratic outlines), and
    hands that to fpdf2, which embeds a subset of it as Word does (CID TrueType, Identity-H, with a ToUnicode
    map, so the text can be searched and extracted). Another CJK font (TrueType or CFF, a .ttf/.otf or a
    face of a .ttc) can be given with --font PATH [--font-index N].

Usage
  python3 sample-applications/make_materials.py              # all packages
  python3 sample-applications/make_materials.py ningbo ruian # some packages

Source text format (UTF-8, one file per PDF; files are processed in name order)
  @file 支撑材料汇编.pdf        PDF file name inside materials/ (required)
  @title 支撑材料汇编（目录索引）  title for index.toml and the page header (required)
  @toc                          page 1 is a 目录 listing every "# " section with its page number
  # 一、标题                    a section: starts a new page, listed in the 目录
  ## 1. 小标题                  a sub-heading
  ^ 居中标题                    a centred title line
  > 右对齐                      a right-aligned line (signatures, dates)
  - 条目                        a list item (no first-line indent)
  | 表头 | 表头 |               consecutive "|" lines form a table; the first one is the header row
  @page                         forced page break
  any other line                a paragraph, indented by two full-width spaces
  blank lines and lines starting with "//" are ignored
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import tomllib
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos
from fpdf.fonts import FontFace

HERE = Path(__file__).resolve().parent
SRC_ROOT = HERE / "materials-src"
DEFAULT_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
DEFAULT_FONT_INDEX = 2  # Noto Sans CJK SC in the collection
CREATED = dt.datetime(2023, 8, 10, 9, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))

BODY_SIZE = 11
LINE_H = 7.0
HANG = 6.0  # mm of right margin a hanging punctuation mark may use
NO_LINE_START = set("，。、；：！？）》」』】〕”’%．,.;:!?)]")


# ───────────── the font ─────────────

_FONT_DIR = tempfile.TemporaryDirectory(prefix="pingshen-font-")


def truetype_font(src: Path, index: int, text: str) -> Path:
    """A TrueType copy of face `index` of `src` holding the glyphs of `text` and of printable ASCII.

    A CFF (OpenType "OTTO") face gets quadratic outlines, so that fpdf2 embeds it as CID TrueType with
    Identity-H; a TrueType face is only cut down. The result depends on nothing but the font and the
    characters, so the PDFs made with it are reproducible. The file lives until the process ends.
    """
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    collection = src.suffix.lower() in (".ttc", ".otc")
    # recalcTimestamp=False keeps head.modified as the font has it: the copy is the same on every run
    font = TTFont(str(src), fontNumber=index if collection else -1, recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    chars = set(text) | {chr(c) for c in range(0x20, 0x7F)}
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    if "CFF " in font:
        order = font.getGlyphOrder()
        glyph_set = font.getGlyphSet()
        glyf = newTable("glyf")
        glyf.glyphOrder = order
        glyf.glyphs = {}
        for name in order:
            pen = TTGlyphPen(glyph_set)
            glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
            glyf.glyphs[name] = pen.glyph()
        font["loca"] = newTable("loca")
        font["glyf"] = glyf
        del font["CFF "]
        if "VORG" in font:
            del font["VORG"]
        glyf.compile(font)
        hmtx = font["hmtx"]
        for name, g in glyf.glyphs.items():
            if hasattr(g, "xMin"):
                hmtx[name] = (hmtx[name][0], g.xMin)
        maxp = newTable("maxp")
        maxp.tableVersion = 0x00010000
        maxp.maxZones = 1
        for key in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                    "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
            setattr(maxp, key, 0)
        font["maxp"] = maxp
        font["post"].formatType = 3.0
        font.sfntVersion = "\0\1\0\0"
    out = Path(_FONT_DIR.name) / f"cjk-{len(list(Path(_FONT_DIR.name).iterdir()))}.ttf"
    font.save(str(out))
    return out


# ───────────── source parsing ─────────────

class Doc:
    def __init__(self, path: Path):
        self.path = path
        self.file = ""
        self.title = ""
        self.toc = False
        self.blocks: list[tuple] = []  # (kind, payload)
        table: list[list[str]] | None = None
        for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.strip()
            if line.startswith("|"):
                cells = [c.strip() for c in line.strip("|").split("|")]
                if table is None:
                    table = []
                    self.blocks.append(("table", table))
                table.append(cells)
                continue
            table = None
            if not line or line.startswith("//"):
                continue
            if line.startswith("@file "):
                self.file = line[6:].strip()
            elif line.startswith("@title "):
                self.title = line[7:].strip()
            elif line == "@toc":
                self.toc = True
            elif line == "@page":
                self.blocks.append(("page", None))
            elif line.startswith("## "):
                self.blocks.append(("h2", line[3:].strip()))
            elif line.startswith("# "):
                self.blocks.append(("h1", line[2:].strip()))
            elif line.startswith("^ "):
                self.blocks.append(("center", line[2:].strip()))
            elif line.startswith("> "):
                self.blocks.append(("right", line[2:].strip()))
            elif line.startswith("- "):
                self.blocks.append(("item", line[2:].strip()))
            elif line.startswith("@"):
                sys.exit(f"{path}:{n}: unknown directive {line!r}")
            else:
                self.blocks.append(("para", line))
        if not self.file.endswith(".pdf") or not self.title:
            sys.exit(f"{path}: @file NAME.pdf and @title are required")
        for kind, payload in self.blocks:
            if kind == "table" and len({len(r) for r in payload}) != 1:
                sys.exit(f"{path}: table rows of unequal length: {payload[0]}")


# ───────────── rendering ─────────────

class MaterialPDF(FPDF):
    def __init__(self, font: Path, consortium: str, doc_title: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.consortium = consortium
        self.doc_title = doc_title
        self.set_margins(20, 22, 20)
        self.set_auto_page_break(True, margin=20)
        self.add_font("cjk", "", str(font))
        self.set_creation_date(CREATED)
        self.set_title(doc_title)
        self.set_author(consortium)
        self.set_subject("市域产教联合体推荐书支撑材料（示例）")
        self.set_creator("Pingshen sample-applications/make_materials.py")
        self.set_producer("fpdf2")
        self.set_lang("zh-CN")

    def header(self):
        self.set_font("cjk", size=9)
        self.set_text_color(90, 90, 90)
        self.set_xy(self.l_margin, 10)
        w = self.w - self.l_margin - self.r_margin
        self.cell(w / 2, 5, self.consortium, align="L")
        self.cell(w / 2, 5, self.doc_title, align="R")
        self.set_draw_color(150, 150, 150)
        self.set_line_width(0.2)
        self.line(self.l_margin, 16, self.w - self.r_margin, 16)
        self.set_text_color(0, 0, 0)
        self.set_xy(self.l_margin, self.t_margin)

    def footer(self):
        self.set_y(-14)
        self.set_font("cjk", size=9)
        self.set_text_color(60, 60, 60)
        self.cell(0, 5, f"第 {self.page_no()} 页", align="C")
        self.set_text_color(0, 0, 0)


    @property
    def body_w(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def text_line(self, text: str, size: float, align: str = "L", bold: bool = False, h: float | None = None):
        self.set_font("cjk", size=size)
        # The font has no bold face: headings are "fake bold", the glyph outlines stroked as well as filled,
        # inside a local graphics state (q … Q) so the stroke mode cannot leak into the following text.
        mode = {"text_mode": "FILL_STROKE", "line_width": 0.45, "draw_color": (0, 0, 0)} if bold else {}
        width = self.body_w
        if align == "L":
            # break the lines ourselves so that no line starts with a closing punctuation mark
            # (避头尾); such a mark hangs into the right margin, hence the wider cell
            text = "\n".join(self.wrap_cjk(text, width))
            width += HANG
        with self.local_context(**mode):
            self.multi_cell(width, h or LINE_H, text, align=align, wrapmode=WrapMode.CHAR,
                            new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def wrap_cjk(self, text: str, width: float) -> list[str]:
        lines, cur = [], ""
        for ch in text:
            if cur and self.get_string_width(cur + ch) > width and ch not in NO_LINE_START:
                lines.append(cur)
                cur = ""
            cur += ch
        lines.append(cur)
        return lines


def col_widths(rows: list[list[str]], total: float) -> list[float]:
    ncol = len(rows[0])
    need = [max(min(len(r[i]), 22) for r in rows) + 2 for i in range(ncol)]
    s = sum(need)
    return [total * n / s for n in need]


def render(doc: Doc, font: Path, consortium: str, toc_pages: dict[str, int] | None) -> tuple[MaterialPDF, dict[str, int]]:
    pdf = MaterialPDF(font, consortium, doc.title)
    pages: dict[str, int] = {}
    sections = [p for k, p in doc.blocks if k == "h1"]
    pdf.add_page()
    if doc.toc:
        pdf.text_line(doc.title, 18, align="C", bold=True, h=12)
        pdf.ln(2)
        pdf.text_line(consortium, 12, align="C")
        pdf.ln(6)
        pdf.text_line("目　录", 15, align="C", bold=True, h=10)
        pdf.ln(4)
        pdf.set_font("cjk", size=BODY_SIZE + 1)
        for title in sections:
            num = str((toc_pages or {}).get(title, ""))
            w_num = 18
            w_title = pdf.body_w - w_num
            label = title
            # dot leader
            while pdf.get_string_width(label + "……") < w_title - 2:
                label += "…"
            pdf.cell(w_title, 9, label, new_x=XPos.RIGHT, new_y=YPos.TOP)
            pdf.cell(w_num, 9, num, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(6)
        pdf.set_font("cjk", size=10)
        pdf.set_text_color(80, 80, 80)
        pdf.multi_cell(pdf.body_w, 6, "说明：本材料为评审台演示用的示例数据。人名（某某）、电话、带〔示例〕文号的文件及标明“示例”的"
                       "协议、制度、清单均为虚构；页码以页脚“第 N 页”为准。",
                       wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)
    first_block = not doc.toc
    for kind, payload in doc.blocks:
        if kind == "h1":
            if not first_block:
                pdf.add_page()
            pages[payload] = pdf.page_no()
            pdf.text_line(payload, 15, bold=True, h=10)
            pdf.ln(2)
        elif kind == "page":
            pdf.add_page()
        elif kind == "h2":
            pdf.ln(1.5)
            pdf.text_line(payload, 12.5, bold=True, h=8)
        elif kind == "center":
            pdf.text_line(payload, 14, align="C", bold=True, h=9)
            pdf.ln(1)
        elif kind == "right":
            pdf.text_line(payload, BODY_SIZE, align="R")
        elif kind == "item":
            pdf.text_line(payload, BODY_SIZE)
        elif kind == "para":
            pdf.text_line("\u3000\u3000" + payload, BODY_SIZE)
        elif kind == "table":
            pdf.ln(1)
            pdf.set_font("cjk", size=9.5)
            pdf.set_draw_color(0, 0, 0)
            pdf.set_line_width(0.2)
            with pdf.table(col_widths=col_widths(payload, pdf.body_w), width=pdf.body_w, line_height=5.6,
                           text_align="LEFT", wrapmode=WrapMode.CHAR, first_row_as_headings=True,
                           headings_style=FontFace(family="cjk", emphasis=None, fill_color=(225, 230, 238)), padding=1.2) as table:
                for r in payload:
                    row = table.row()
                    for c in r:
                        row.cell(c)
            pdf.ln(2)
        first_block = False
    return pdf, pages


def build_package(pkg: Path, font_file: Path, font_index: int) -> list[tuple[str, str, int]]:
    app_text = (pkg / "application.toml").read_text(encoding="utf-8")
    app = tomllib.loads(app_text)
    consortium = app["cover"]["name"]
    src_dir = SRC_ROOT / pkg.name
    out_dir = pkg / "materials"
    out_dir.mkdir(exist_ok=True)
    # every character the package's PDFs can print: its texts, its 推荐书 (the name in the header) and the
    # fixed wording of this script
    text = app_text + Path(__file__).read_text(encoding="utf-8")
    text += "".join(src.read_text(encoding="utf-8") for src in sorted(src_dir.glob("*.txt")))
    font = truetype_font(font_file, font_index, text)
    for old in out_dir.glob("*.pdf"):
        old.unlink()
    entries = []
    for src in sorted(src_dir.glob("*.txt")):
        doc = Doc(src)
        _, pages = render(doc, font, consortium, None)
        pdf, pages2 = render(doc, font, consortium, pages)
        assert pages == pages2, f"{src}: 目录 changed the layout"
        pdf.output(str(out_dir / doc.file))
        entries.append((doc.file, doc.title, pdf.page_no()))
    lines = [
        "# 支撑材料目录索引（materials/index.toml），格式见 docs/package-format.md。",
        "# 本文件由 sample-applications/make_materials.py 生成；修改请改 materials-src/ 下的源文本后重新运行脚本。",
        "",
    ]
    for file, title, n in entries:
        lines += [
            "[[materials]]",
            f"file = {json.dumps(file, ensure_ascii=False)}  # materials/ 下的文件名",
            f"title = {json.dumps(title, ensure_ascii=False)}  # 材料标题",
            f"pages = {n}  # PDF 页数",
            "",
        ]
    (out_dir / "index.toml").write_text("\n".join(lines), encoding="utf-8")
    return entries


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("packages", nargs="*", help="package folder names (default: all with sources)")
    ap.add_argument("--font", type=Path, default=DEFAULT_FONT, help="CJK font (.ttf/.otf/.ttc)")
    ap.add_argument("--font-index", type=int, default=DEFAULT_FONT_INDEX, help="face of a .ttc collection")
    args = ap.parse_args()
    if not args.font.exists():
        sys.exit(f"font not found: {args.font}\n  install it with: apt-get install -y fonts-noto-cjk")
    names = args.packages or sorted(p.name for p in SRC_ROOT.iterdir() if p.is_dir())
    for name in names:
        pkg = HERE / name
        if not (pkg / "application.toml").exists() or not (SRC_ROOT / name).is_dir():
            sys.exit(f"not a package with sources: {name}")
        for file, title, n in build_package(pkg, args.font, args.font_index):
            print(f"{name}/materials/{file}: {n} 页  {title}")


if __name__ == "__main__":
    main()
