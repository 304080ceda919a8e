"""Printable OCOP stamp sheets: A4 pages of labels with the product, its stars, the
certificate and a QR code that opens the public traceability page."""

import datetime as dt
import functools
import importlib.resources
import io
import logging
import math
from dataclasses import dataclass
from pathlib import Path

import segno
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

logger = logging.getLogger(__name__)

# The geometry of common 24-up label sheets (3 x 8 labels of 63.5 x 33.9 mm, e.g. Avery
# L7159), centred on A4, so the sheet prints on blank paper or pre-cut labels alike.
COLUMNS, ROWS = 3, 8
LABELS_PER_PAGE = COLUMNS * ROWS
LABEL_WIDTH, LABEL_HEIGHT = 63.5 * mm, 33.9 * mm
COLUMN_GAP = 2.5 * mm
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = (PAGE_WIDTH - COLUMNS * LABEL_WIDTH - (COLUMNS - 1) * COLUMN_GAP) / 2
MARGIN_TOP = (PAGE_HEIGHT - ROWS * LABEL_HEIGHT) / 2
PADDING = 2 * mm
QR_SIZE = LABEL_HEIGHT - 2 * PADDING
QR_BORDER_MODULES = 2  # the label's padding adds to the quiet zone

GOLD = Color(0.85, 0.65, 0.0)
CUT_LINE = Color(0.8, 0.8, 0.8)

# Fonts that cover Vietnamese (ư ơ đ ạ ả ế ộ), best first: Helvetica has none of them.
SYSTEM_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_REGULAR, FONT_BOLD = "OcopStamp", "OcopStamp-Bold"


def _packaged_roboto() -> tuple[Path, Path] | None:
    """Roboto from the font-roboto package (a dependency of the project)."""
    try:
        files = importlib.resources.files("font_roboto") / "files"
    except ModuleNotFoundError:
        return None
    return Path(str(files / "Roboto-Regular.ttf")), Path(str(files / "Roboto-Bold.ttf"))


def _font_candidates() -> list[tuple[Path, Path]]:
    candidates = []
    roboto = _packaged_roboto()
    if roboto:
        candidates.append(roboto)
    candidates.append(
        (SYSTEM_FONT_DIR / "DejaVuSans.ttf", SYSTEM_FONT_DIR / "DejaVuSans-Bold.ttf")
    )
    return candidates


@functools.cache
def stamp_fonts() -> tuple[str, str]:
    """Register the first Vietnamese-capable TTF found; (regular, bold) font names."""
    for regular, bold in _font_candidates():
        if regular.is_file() and bold.is_file():
            pdfmetrics.registerFont(TTFont(FONT_REGULAR, str(regular)))
            pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))
            return FONT_REGULAR, FONT_BOLD
    logger.warning(
        "No TTF with Vietnamese glyphs found (install font-roboto): stamps fall back "
        "to Helvetica and lose diacritics."
    )
    return "Helvetica", "Helvetica-Bold"


@dataclass(frozen=True)
class Stamp:
    """What every label of a sheet shows, already in the active language."""

    title: str
    stars: int
    decision_number: str
    expires_on: dt.date
    trace_code: str
    qr_payload: str


def stamp_sheet_pdf(stamp: Stamp, count: int) -> bytes:
    """`count` identical labels, 24 to an A4 page, as PDF bytes."""
    regular, bold = stamp_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(_("OCOP stamps %(code)s") % {"code": stamp.trace_code})
    canvas.setAuthor("OCOP Market")
    _define_qr_form(canvas, stamp.qr_payload)
    pages = math.ceil(count / LABELS_PER_PAGE)
    for page in range(pages):
        on_page = min(LABELS_PER_PAGE, count - page * LABELS_PER_PAGE)
        for index in range(on_page):
            row, column = divmod(index, COLUMNS)
            x = MARGIN_LEFT + column * (LABEL_WIDTH + COLUMN_GAP)
            y = PAGE_HEIGHT - MARGIN_TOP - (row + 1) * LABEL_HEIGHT
            canvas.saveState()
            canvas.translate(x, y)
            _draw_label(canvas, stamp, regular, bold)
            canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _define_qr_form(canvas: Canvas, payload: str) -> None:
    """Draw the QR code once, as vector squares in a reusable form: every label on
    every page refers to it, so 500 labels stay a small file."""
    qr = segno.make(payload, micro=False, error="m")
    rows = list(qr.matrix_iter(scale=1, border=QR_BORDER_MODULES))
    module = QR_SIZE / len(rows)
    canvas.beginForm("qr")
    canvas.setFillColor(white)
    canvas.rect(0, 0, QR_SIZE, QR_SIZE, stroke=0, fill=1)
    canvas.setFillColor(black)
    for r, row in enumerate(rows):
        y = QR_SIZE - (r + 1) * module
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            # Overlap by a hair so no hairline gaps show between adjacent runs.
            canvas.rect(
                start * module, y - 0.01, (c - start) * module, module + 0.02, 0, 1
            )
    canvas.endForm()


def _draw_label(canvas: Canvas, stamp: Stamp, regular: str, bold: str) -> None:
    canvas.setStrokeColor(CUT_LINE)
    canvas.setLineWidth(0.3)
    canvas.roundRect(0, 0, LABEL_WIDTH, LABEL_HEIGHT, 2 * mm, stroke=1, fill=0)

    canvas.saveState()
    canvas.translate(PADDING, PADDING)
    canvas.doForm("qr")
    canvas.restoreState()

    left = PADDING + QR_SIZE + 1.5 * mm
    width = LABEL_WIDTH - left - PADDING
    top = LABEL_HEIGHT - PADDING
    canvas.setFillColor(black)

    y = _draw_lines(canvas, stamp.title, bold, 7.5, left, top, width, max_lines=3)
    y = _draw_stars(canvas, stamp.stars, bold, left, y - 1.5)
    y = _draw_lines(
        canvas,
        _("Decision %(number)s") % {"number": stamp.decision_number},
        regular,
        6,
        left,
        y - 1,
        width,
        max_lines=2,
    )
    expires = formats.date_format(stamp.expires_on, "SHORT_DATE_FORMAT")
    _draw_lines(
        canvas,
        _("Expires %(date)s") % {"date": expires},
        regular,
        6,
        left,
        y,
        width,
        max_lines=2,
    )

    # The trace code sits at the bottom in large type: people type it when a QR fails.
    canvas.setFont(regular, 5.5)
    canvas.drawString(left, PADDING + 10, _("Trace code"))
    canvas.setFont(bold, 10)
    canvas.drawString(left, PADDING + 1, stamp.trace_code)


def _draw_lines(
    canvas: Canvas,
    text: str,
    font: str,
    size: float,
    x: float,
    top: float,
    width: float,
    max_lines: int,
) -> float:
    """Wrap `text` into at most `max_lines` lines below `top`; the y under the last."""
    lines = simpleSplit(text, font, size, width)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _ellipsize(lines[-1], font, size, width)
    canvas.setFont(font, size)
    leading = size * 1.2
    y = top
    for line in lines:
        y -= leading
        canvas.drawString(x, y + (leading - size), line)
    return y


def _ellipsize(line: str, font: str, size: float, width: float) -> str:
    while line and pdfmetrics.stringWidth(line + "…", font, size) > width:
        line = line[:-1]
    return line.rstrip() + "…"


def _draw_stars(canvas: Canvas, stars: int, font: str, x: float, top: float) -> float:
    """ "OCOP" and one drawn star per star: the text fonts have no ★ glyph."""
    size = 7
    y = top - size
    canvas.setFont(font, size)
    canvas.drawString(x, y, "OCOP")
    star_x = x + pdfmetrics.stringWidth("OCOP ", font, size)
    canvas.setFillColor(GOLD)
    for i in range(stars):
        _star(canvas, star_x + i * (size + 1) + size / 2, y + size * 0.38, size / 2)
    canvas.setFillColor(black)
    return y - 1


def _star(canvas: Canvas, cx: float, cy: float, radius: float) -> None:
    path = canvas.beginPath()
    for point in range(10):
        r = radius if point % 2 == 0 else radius * 0.45
        angle = math.pi / 2 + point * math.pi / 5
        px, py = cx + r * math.cos(angle), cy + r * math.sin(angle)
        path.moveTo(px, py) if point == 0 else path.lineTo(px, py)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)
