#!/usr/bin/env python3
"""Write the DOCX and PDF files of samples/ (the HTML samples are hand-written).

Standard library only; deterministic output. Run from the crate root:
    python3 scripts/make-samples.py

The other samples are saved by LibreOffice from these and from scripts/samples/:
    soffice --headless --convert-to doc:"MS Word 97" samples/budget-disclosure-notice.docx
    soffice --headless --convert-to rtf samples/budget-disclosure-notice.docx
    soffice --headless --convert-to xlsx scripts/samples/department-budget-2026.fods
    soffice --headless --convert-to xls:"MS Excel 97" scripts/samples/department-budget-2026.fods
(each with --outdir samples; the spreadsheet one is a budget workbook: a cover, an
explanatory sheet with GB/T headings, a table sheet, a hidden sheet).
"""
import io
import zipfile
import zlib

# ---------------------------------------------------------------- DOCX: a notice with Word
# auto-numbering (chineseCounting "%1、", "（%2）", decimal "%3."), a table and the official frame.

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def run(text, bold=False):
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def para(text, *, num=None, center=False, bold=False, style=None):
    ppr = []
    if style:
        ppr.append(f'<w:pStyle w:val="{style}"/>')
    if num is not None:
        ppr.append(f'<w:numPr><w:ilvl w:val="{num}"/><w:numId w:val="1"/></w:numPr>')
    if center:
        ppr.append('<w:jc w:val="center"/>')
    p = f"<w:pPr>{''.join(ppr)}</w:pPr>" if ppr else ""
    return f"<w:p>{p}{run(text, bold)}</w:p>"


def table(rows):
    out = ["<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/></w:tblPr>"]
    for row in rows:
        out.append("<w:tr>" + "".join(f"<w:tc><w:p>{run(c)}</w:p></w:tc>" for c in row) + "</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def docx():
    body = [
        para("某某市财政局文件", center=True, bold=True),
        para("某财办〔2022〕8号", center=True),
        para("某某市财政局关于做好2022年度部门预算公开工作的通知", center=True, bold=True, style="Title"),
        para("各区财政局，市直各单位："),
        para("为进一步提高预算透明度，根据《国务院办公厅关于进一步做好预决算公开工作的通知》（国办发[2016]42号）要求，现就做好2022年度部门预算公开工作通知如下"),
        para("公开范围", num=0, bold=True),
        para("部门预算", num=1, bold=True),
        para("除涉密部门外，使用财政拨款的部门均应公开本部门预算。"),
        para("单位预算", num=1, bold=True),
        para("部门所属单位预算由部门统一组织公开。"),
        para("公开内容", num=0, bold=True),
        para("收支总表", num=2),
        para("一般公共预算“三公”经费支出表", num=2),
        table([["项目", "2022年预算数（万元）", "2021年预算数（万元）"],
               ["因公出国（境）费", "12.5", "15.0"],
               ["公务接待费", "8.3", "9.1"]]),
        para("工作要求", num=0, bold=True),
        para("各单位应于财政部门批复预算后20日内公开，并于公开后5个工作日内将公开网址报送市财政局"),
        para("某某市财政局"),
        para("2022年2月18日"),
    ]
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:document {W}><w:body>{"".join(body)}<w:sectPr/></w:body></w:document>')
    lvl = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:suff w:val="nothing"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>' for i, (fmt, text) in enumerate(lvl))
    numbering = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering {W}>'
                 f'<w:abstractNum w:abstractNumId="0">{levels}</w:abstractNum>'
                 f'<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')
    styles = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {W}>'
              f'<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style></w:styles>')
    core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            '<dc:title>某某市财政局关于做好2022年度部门预算公开工作的通知</dc:title><dc:creator>某某市财政局</dc:creator>'
            '<dcterms:created xsi:type="dcterms:W3CDTF">2022-02-18T09:00:00Z</dcterms:created></cp:coreProperties>')
    ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
          '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
          '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
          '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
          '</Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            '</Relationships>')
    doc_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>'
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
                '</Relationships>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in [("[Content_Types].xml", ct), ("_rels/.rels", rels), ("word/document.xml", document),
                           ("word/_rels/document.xml.rels", doc_rels), ("word/numbering.xml", numbering),
                           ("word/styles.xml", styles), ("docProps/core.xml", core)]:
            info = zipfile.ZipInfo(name, date_time=(2022, 2, 18, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


# ---------------------------------------------------------------- PDF: a notice set in a Type0
# font with Identity-H encoding and a ToUnicode CMap (glyph ids = code points, no font file: text
# extraction needs only the CMap).

def pdf():
    # Body paragraphs are set justified: a first line indented two characters, full lines of
    # 30 characters (every glyph 1000 units wide at 16 pt) between x=40 and x=520.
    lines = [  # (size, x, y, text)
        (22, 78, 760, "某某县审计局关于公开2021年度审计结果的公告"),
        (16, 210, 725, "某审公〔2022〕3号"),
    ]
    y = 690
    for text in [
        "根据《中华人民共和国审计法》和《某某省审计厅关于进一步加强审计结果公开工作的通知》（某审办〔2019〕21号）规定，现将2021年度审计结果公告如下：",
        "一、基本情况",
        "2021年，我局共完成审计项目26个，查出违规金额3,512.6万元，已全部移送有关部门处理。",
        "二、整改情况",
        "被审计单位已整改问题金额3,100.2万元，整改率88.3%。",
    ]:
        first, rest = text[:28], text[28:]
        lines.append((16, 72, y, first))
        y -= 24
        while rest:
            lines.append((16, 40, y, rest[:30]))
            rest = rest[30:]
            y -= 24
        y -= 8
    lines += [(16, 392, y - 40, "某某县审计局"), (16, 392, y - 64, "2022年3月1日"), (10, 285, 40, "— 1 —")]
    chars = sorted({c for *_, t in lines for c in t})
    content = []
    for size, x, y, text in lines:
        hexs = "".join(f"{ord(c):04X}" for c in text)
        content.append(f"BT /F1 {size} Tf {x} {y} Td <{hexs}> Tj ET")
    stream = "\n".join(content).encode()
    bfchar = "\n".join(f"<{ord(c):04X}> <{ord(c):04X}>" for c in chars)
    tounicode = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
                 "/CMapName /Sample-UCS def /CMapType 2 def\n"
                 "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
                 f"{len(chars)} beginbfchar\n{bfchar}\nendbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end").encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(zlib.compress(stream, 9)) + zlib.compress(stream, 9) + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        b"<< /Length %d >>\nstream\n" % len(tounicode) + tounicode + b"\nendstream",
        "<< /Title (某某县审计局关于公开2021年度审计结果的公告) /Producer (gongwen make-samples) >>".encode("utf-16-be"),
    ]
    # The Info title as a UTF-16BE text string with BOM.
    title = "某某县审计局关于公开2021年度审计结果的公告".encode("utf-16-be")
    objs[7] = b"<< /Title <FEFF" + title.hex().upper().encode() + b"> /Producer (gongwen make-samples) >>"
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + o + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 8 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


if __name__ == "__main__":
    with open("samples/budget-disclosure-notice.docx", "wb") as f:
        f.write(docx())
    with open("samples/audit-results-announcement.pdf", "wb") as f:
        f.write(pdf())
