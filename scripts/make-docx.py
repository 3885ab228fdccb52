#!/usr/bin/python3
"""Build a Word document equivalent to a Thông báo the app prints, for the comparison with
the path offices use today (a .docx converted to PDF by LibreOffice).

    scripts/make-docx.py MODEL.json OUT.docx

MODEL.json is the document's content as the app resolves it (the benchmark writes it). The
.docx has the same text and the same Decree-30 layout: A4, margins 20/20/30/15 mm, Times New
Roman 14 pt justified with a 1,27 cm first-line indent and 6 pt after, the two-column header,
the tables, the signature block beside Nơi nhận. Needs python3-docx.
"""
import json
import sys

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt


def para(cell_or_doc, text, size=14, bold=False, italic=False, align=None, indent=False, after=6):
    p = cell_or_doc.add_paragraph()
    r = p.add_run(text)
    r.font.size = Pt(size)
    r.font.bold = bold
    r.font.italic = italic
    r.font.name = "Times New Roman"
    fmt = p.paragraph_format
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(0)
    if indent:
        fmt.first_line_indent = Mm(12.7)
    p.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    return p


def main(src, out):
    m = json.load(open(src, encoding="utf-8"))
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    center = WD_ALIGN_PARAGRAPH.CENTER

    head = doc.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    left.paragraphs[0].text = ""
    para(left, m["parent_body"].upper(), 12, align=center, after=0)
    para(left, m["issuing_body"].upper(), 12, bold=True, align=center, after=0)
    para(left, "Số: " + m["number_line"], 13, align=center, after=0)
    para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True, align=center, after=0)
    para(right, "Độc lập - Tự do - Hạnh phúc", 13, bold=True, align=center, after=0)
    if m.get("date_line"):
        para(right, m["date_line"], 14, italic=True, align=center, after=0)

    para(doc, m["title"], 14, bold=True, align=center, after=0)
    para(doc, m["summary"], 14, bold=True, align=center, after=12)
    for el in m["body"]:
        t, c = el["t"], el.get("c")
        if t in ("Heading", "Sub"):
            para(doc, c, bold=True, indent=True)
        elif t in ("Para", "Closing"):
            para(doc, c, indent=True)
        elif t == "Label":
            para(doc, c, italic=True, indent=True)
        elif t == "Labeled":
            p = para(doc, c[0] + " ", bold=True, indent=True)
            r = p.add_run(c[1])
            r.font.size = Pt(14)
        elif t == "Blank":
            for _ in range(c):
                para(doc, "…" * 60)
        elif t == "Table":
            tb = doc.add_table(rows=1, cols=len(c["header"]))
            tb.style = "Table Grid"
            tb.alignment = WD_TABLE_ALIGNMENT.CENTER
            for i, h in enumerate(c["header"]):
                cell = tb.rows[0].cells[i]
                cell.paragraphs[0].text = ""
                para(cell, h, 13, bold=True, align=center, after=0)
            for row in c["rows"]:
                cells = tb.add_row().cells
                for i, v in enumerate(row):
                    cells[i].paragraphs[0].text = ""
                    align = WD_ALIGN_PARAGRAPH.RIGHT if c["numeric"][i] else WD_ALIGN_PARAGRAPH.LEFT
                    para(cells[i], v, 13, align=align, after=0)
            for r in tb.rows:
                for i, w in enumerate(c["widths"]):
                    r.cells[i].width = Mm(165 * w)
            para(doc, "", after=4)

    for left_block, right_block in m["signatures"]:
        sig = doc.add_table(rows=1, cols=2)
        lc, rc = sig.rows[0].cells
        lc.width, rc.width = Mm(70), Mm(95)
        if left_block is None and m["recipients"]:
            para(lc, "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
            n = len(m["recipients"])
            for i, r in enumerate(m["recipients"]):
                para(lc, "- " + r + ("." if i + 1 == n else ";"), 11, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
        for cell, block in ((lc, left_block), (rc, right_block)):
            if block is None:
                continue
            for line in block["lines"]:
                para(cell, line.upper(), 14, bold=True, align=center, after=0)
            if block["note"]:
                para(cell, block["note"], 13, italic=True, align=center, after=0)
            for _ in range(4):
                para(cell, "", after=0)
            para(cell, block["name"], 14, bold=True, align=center, after=0)
    doc.save(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
