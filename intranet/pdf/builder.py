"""Lay out printable forms with reportlab: one builder for every module.

Each page carries the company letterhead, the form's bilingual title and
number, a verification code with its QR code, "page x / y" counted per form
(also in a batch of many), the print time and who printed. Forms are
bilingual on paper, so the fixed labels here are too.
"""
from __future__ import annotations

import io
import re
from collections import Counter
from xml.sax.saxutils import escape

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import (BaseDocTemplate, Frame, Image, KeepTogether, NextPageTemplate, PageBreak,
                                PageTemplate, Paragraph, Spacer, Table, TableStyle)

from .content import Letterhead, PrintJob
from .fonts import ensure_font

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 16 * mm
HEADER = 44 * mm  # from the top edge of the page
FOOTER = 18 * mm
LINE = colors.HexColor("#c9ced6")
SHADE = colors.HexColor("#f1f3f6")
INK = colors.HexColor("#1f2430")
MUTED = colors.HexColor("#6b7280")
CELL_PADDING = 4
TRAIL_COLUMNS = ("环节 Step", "审批人 Approver", "结果 Decision", "时间 Time", "意见 Comment", "签名 Signature")


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=9, leading=12.5, textColor=INK, wordWrap="CJK")
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=10, textColor=MUTED),
        "label": ParagraphStyle("label", parent=base, textColor=MUTED),
        "heading": ParagraphStyle("heading", parent=base, fontSize=11, leading=15, spaceBefore=8, spaceAfter=4),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
    }


def _text(value, style) -> Paragraph:
    return Paragraph(escape("" if value is None else str(value)).replace("\n", "<br/>"), style)


#: A space, one Chinese (or full-width) character, or a run of anything else: a Latin word, a number.
_TOKENS = re.compile(r"\s+|[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff"
                     r"\ufe30-\ufe4f\uff00-\uffef]+")


def wrap(text: str, style: ParagraphStyle, width: float) -> str:
    """``text`` with line breaks so each line fits ``width``: between any two Chinese characters,
    but Latin words only at spaces. (reportlab's CJK wrapping looks back only half a line for
    a space, so it cut "Approver" and "Department head" in narrow columns.) A single word
    wider than the column is left to the paragraph's own wrapping."""
    font, size = style.fontName, style.fontSize
    space = stringWidth(" ", font, size)
    lines = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for token in _TOKENS.findall(paragraph):
            if token.isspace():
                if line and not line.endswith(" "):
                    line, used = line + " ", used + space
                continue
            token_width = stringWidth(token, font, size)
            if line and used + token_width > width:
                lines.append(line.rstrip())
                line, used = token, token_width
            else:
                line, used = line + token, used + token_width
        lines.append(line.rstrip())
    return "\n".join(lines)


def _cell(value, style, width: float):
    """A table cell: a plain string when it fits on one line (much faster), else a wrapping paragraph."""
    text = "" if value is None else str(value)
    room = width - 2 * CELL_PADDING
    if "\n" not in text and stringWidth(text, style.fontName, style.fontSize) <= room:
        return text
    return _text(wrap(text, style, room), style)


def _cell_style(style: ParagraphStyle, first_row: int = 0, right: tuple[int, ...] = ()) -> list:
    """Fonts for the plain-string cells, matching the paragraph style."""
    commands = [("FONT", (0, first_row), (-1, -1), style.fontName, style.fontSize, style.leading),
                ("TEXTCOLOR", (0, first_row), (-1, -1), style.textColor)]
    commands += [("ALIGN", (column, first_row), (column, -1), "RIGHT") for column in right]
    return commands


def _grid(header_rows: int = 0) -> list:
    commands = [("GRID", (0, 0), (-1, -1), 0.5, LINE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING), ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING)]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE))
    return commands


class _Form:
    """The flowables of one form."""

    def __init__(self, job: PrintJob, styles: dict):
        self.job, self.styles = job, styles
        self.width = PAGE_WIDTH - 2 * MARGIN

    def fields(self) -> list:
        cells, row = [], []
        label_room, value_room = (self.width * w - 2 * CELL_PADDING for w in (0.18, 0.32))
        for label, value in self.job.document.fields:
            row += [_text(wrap(str(label), self.styles["label"], label_room), self.styles["label"]),
                    _text(wrap("" if value is None else str(value), self.styles["base"], value_room),
                          self.styles["base"])]
            if len(row) == 4:
                cells.append(row)
                row = []
        if row:
            cells.append(row + [""] * (4 - len(row)))
        if not cells:
            return []
        table = Table(cells, colWidths=[self.width * w for w in (0.18, 0.32, 0.18, 0.32)])
        table.setStyle(TableStyle(_grid() + [("BACKGROUND", (0, 0), (0, -1), SHADE),
                                             ("BACKGROUND", (2, 0), (2, -1), SHADE)]))
        return [table]

    def line_tables(self) -> list:
        flowables = []
        for lines in self.job.document.tables:
            relative = lines.widths or tuple(1 for _ in lines.columns)
            widths = [self.width * w / sum(relative) for w in relative]
            cell, right = self.styles["cell"], ParagraphStyle("right", parent=self.styles["cell"], alignment=2)
            rows = [[_cell(c, self.styles["label"], w) for c, w in zip(lines.columns, widths)]]
            for row in lines.rows:
                rows.append([_cell(v, right if i in lines.numeric else cell, widths[i]) for i, v in enumerate(row)])
            table = Table(rows, colWidths=widths, repeatRows=1)
            table.setStyle(TableStyle(_grid(header_rows=1) + _cell_style(cell, right=lines.numeric) + [
                ("TEXTCOLOR", (0, 0), (-1, 0), MUTED)]))
            flowables += [Paragraph(escape(lines.title), self.styles["heading"]), table]
        return flowables

    def free_text(self) -> list:
        flowables = []
        for heading, body in self.job.document.text:
            flowables += [Paragraph(escape(heading), self.styles["heading"]), _text(body, self.styles["base"])]
        return flowables

    def _signature(self, row) -> list:
        cell = []
        if row.signature_image:
            reader = ImageReader(io.BytesIO(row.signature_image))
            width, height = reader.getSize()
            scale = min(28 * mm / width, 10 * mm / height)
            cell.append(Image(io.BytesIO(row.signature_image), width * scale, height * scale))
        if row.fingerprint:
            cell.append(_text(row.fingerprint, self.styles["small"]))
        return cell

    def trail(self) -> list:
        if not self.job.trail:
            return []
        widths = [self.width * w for w in (0.17, 0.13, 0.15, 0.16, 0.2, 0.19)]
        cell = self.styles["cell"]
        rows = [[_cell(c, self.styles["label"], w) for c, w in zip(TRAIL_COLUMNS, widths)]]
        for row in self.job.trail:
            approver = row.approver + (f"\n（代 {row.on_behalf_of} on behalf）" if row.on_behalf_of else "")
            values = (row.step, approver, row.decision, row.time, row.comment)
            rows.append([_cell(v, cell, w) for v, w in zip(values, widths)] + [self._signature(row)])
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle(_grid(header_rows=1) + _cell_style(cell) + [("TEXTCOLOR", (0, 0), (-1, 0), MUTED)]))
        heading = Paragraph("审批记录 Approval trail", self.styles["heading"])
        return [KeepTogether([heading, table])] if len(rows) <= 8 else [heading, table]

    def story(self) -> list:
        return [*self.fields(), *self.line_tables(), *self.free_text(), Spacer(0, 4 * mm), *self.trail()]


def _qr(canvas_, url: str, x: float, y: float, size: float) -> None:
    """Draw a QR code; encoded once per document and reused on every page as a form XObject.

    The mask is fixed instead of searched: any mask is valid for every reader,
    and the search costs seven of the eight encodings.
    """
    name = f"qr{abs(hash(url))}"
    if not canvas_.hasForm(name):
        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(url)
        code.version = code.calculate_version()
        code.makeImpl(False, 0)
        count = code.getModuleCount()
        quiet = 2
        module = size / (count + 2 * quiet)
        canvas_.beginForm(name)
        path = canvas_.beginPath()
        for row in range(count):
            col = 0
            while col < count:  # one rectangle per run of dark modules
                if not code.isDark(row, col):
                    col += 1
                    continue
                start = col
                while col < count and code.isDark(row, col):
                    col += 1
                path.rect((start + quiet) * module, (count - row - 1 + quiet) * module, (col - start) * module, module)
        canvas_.setFillColor(colors.black)
        canvas_.drawPath(path, stroke=0, fill=1)
        canvas_.endForm()
    canvas_.saveState()
    canvas_.translate(x, y)
    canvas_.doForm(name)
    canvas_.restoreState()


def _page_decorator(job: PrintJob, index: int, head: Letterhead, font: str):
    def decorate(canvas_, _doc):
        canvas_.saveState()
        canvas_.form_index = index
        top = PAGE_HEIGHT - MARGIN
        x = MARGIN
        if head.logo:
            logo = ImageReader(io.BytesIO(head.logo))
            width, height = logo.getSize()
            scale = 11 * mm / height
            canvas_.drawImage(logo, x, top - 11 * mm, width * scale, 11 * mm, mask="auto")
            x += width * scale + 3 * mm
        canvas_.setFillColor(INK)
        canvas_.setFont(font, 10)
        canvas_.drawString(x, top - 4 * mm, head.company)
        canvas_.setFont(font, 16)
        canvas_.drawString(MARGIN, top - 19 * mm, f"{job.document.title_zh}  {job.document.title}")
        canvas_.setFont(font, 9)
        canvas_.setFillColor(MUTED)
        canvas_.drawString(MARGIN, top - 25 * mm, f"编号 No. {job.document.number}")
        qr_size = 22 * mm
        _qr(canvas_, job.verify_url, PAGE_WIDTH - MARGIN - qr_size, top - qr_size - 1 * mm, qr_size)
        canvas_.setFont(font, 7.5)
        canvas_.drawRightString(PAGE_WIDTH - MARGIN, top - qr_size - 4 * mm, f"验证码 Verify: {job.code}")
        canvas_.setStrokeColor(LINE)
        canvas_.line(MARGIN, PAGE_HEIGHT - HEADER, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - HEADER)
        canvas_.line(MARGIN, FOOTER, PAGE_WIDTH - MARGIN, FOOTER)
        canvas_.setFillColor(MUTED)
        canvas_.drawString(MARGIN, FOOTER - 4.5 * mm,
                           f"打印 Printed {head.printed_at} · {head.printed_by} · {job.verify_url}")
        if head.note:
            canvas_.setFillColor(colors.HexColor("#b45309"))
            canvas_.drawString(MARGIN, FOOTER - 8.5 * mm, head.note)
        canvas_.restoreState()
    return decorate


class _NumberedCanvas(canvas.Canvas):
    """Holds pages back until the end, so each can say "page x / y" of its own form."""

    font = "Helvetica"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        totals = Counter(page.get("form_index", 0) for page in self._pages)
        seen: Counter = Counter()
        for page in self._pages:
            self.__dict__.update(page)
            index = page.get("form_index", 0)
            seen[index] += 1
            self.setFont(self.font, 7.5)
            self.setFillColor(MUTED)
            self.drawRightString(PAGE_WIDTH - MARGIN, FOOTER - 4.5 * mm, f"第 {seen[index]} / {totals[index]} 页 "
                                                                          f"Page {seen[index]} / {totals[index]}")
            super().showPage()
        super().save()


def render(jobs: list[PrintJob], head: Letterhead) -> bytes:
    """One PDF with every job, each starting on a new page."""
    font = ensure_font(head.font_path)
    styles = _styles(font)
    buffer = io.BytesIO()
    frame = Frame(MARGIN, FOOTER + 2 * mm, PAGE_WIDTH - 2 * MARGIN, PAGE_HEIGHT - HEADER - FOOTER - 4 * mm, id="body")
    document = BaseDocTemplate(buffer, pagesize=A4, title=" / ".join(j.document.number for j in jobs)[:200],
                               author=head.company, creator="intranet")
    document.addPageTemplates([PageTemplate(id=f"form{i}", frames=[frame],
                                            onPage=_page_decorator(job, i, head, font))
                               for i, job in enumerate(jobs)])
    story = []
    for i, job in enumerate(jobs):
        if i:
            story += [NextPageTemplate(f"form{i}"), PageBreak()]
        story += _Form(job, styles).story()

    class Canvas(_NumberedCanvas):
        pass

    Canvas.font = font
    document.build(story, canvasmaker=Canvas)
    return buffer.getvalue()
