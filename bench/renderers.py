"""The same one-page convocation letter in four PDF renderers: render time and PDF size.

This is the comparison behind the choice of Typst (docs/architecture.md, « Documents »).
Only Typst is a dependency of the project; run this in a scratch environment::

    python3 -m venv /tmp/renderers && /tmp/renderers/bin/pip install reportlab fpdf2 \
        weasyprint typst
    /tmp/renderers/bin/python bench/renderers.py

Each renderer gets the same text, the same DejaVu Sans font and the same PNG logo; the
first call (imports, font loading) and the median of 20 further calls are printed, with
whether ``pdfinfo`` reports a tagged PDF.
"""

from __future__ import annotations

import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "resources" / "fonts"
RUNS = 20
LETTERHEAD = "Département du Rhône — Service insertion"
ADDRESS = [
    "Madame Marie DUPONT",
    "Bâtiment B, appartement 12",
    "8 allée des Tilleuls",
    "69100 VILLEURBANNE",
]
PARAGRAPHS = [
    "Madame,",
    "Dans le cadre de votre accompagnement au titre du revenu de solidarité active, je vous "
    "invite à un rendez-vous le mardi 1er\u00a0décembre 2026 à 10\u00a0h\u00a030, au 12 rue de la "
    "République, 69001 Lyon.",
    "Ce rendez-vous est obligatoire\u202f; en cas d'empêchement, merci de me prévenir au plus "
    "tôt\u00a0: 04\u00a072\u00a061\u00a077\u00a000. Apportez «\u00a0votre pièce "
    "d'identité\u00a0» et votre attestation CAF.",
    "Je vous prie d'agréer, Madame, l'expression de mes salutations distinguées.",
]


def make_logo(directory: Path) -> Path:
    """A small PNG logo (Pillow comes with three of the four renderers)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 240), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 230, 230), outline=(0, 0, 145), width=12)
    draw.polygon([(40, 190), (120, 50), (200, 190)], fill=(0, 0, 145))
    draw.ellipse((95, 120, 145, 170), fill=(225, 0, 15))
    path = directory / "logo.png"
    image.save(path)
    return path


def reportlab(logo: Path) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas
    from reportlab.platypus import Frame, Paragraph

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONTS / "DejaVuSans.ttf")))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle("Convocation")
    width, height = A4
    page.drawImage(str(logo), 20 * mm, height - 40 * mm, 20 * mm, 20 * mm)
    page.setFont("DejaVu", 11)
    page.drawString(45 * mm, height - 25 * mm, LETTERHEAD)
    y = height - 52 * mm
    for line in ADDRESS:
        page.drawString(96 * mm, y, line)
        y -= 5 * mm
    style = ParagraphStyle("body", fontName="DejaVu", fontSize=10.5, leading=14, spaceAfter=8)
    frame = Frame(20 * mm, 30 * mm, width - 40 * mm, height - 130 * mm)
    frame.addFromList(
        [Paragraph("Objet : convocation", style)] + [Paragraph(text, style) for text in PARAGRAPHS],
        page,
    )
    page.setFont("DejaVu", 8)
    page.drawCentredString(width / 2, 12 * mm, "Page 1 sur 1")
    page.showPage()
    page.save()
    return buffer.getvalue()


def fpdf2(logo: Path) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title("Convocation")
    pdf.set_lang("fr")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.image(str(logo), 20, 20, 20, 20)
    pdf.set_font("DejaVu", size=11)
    pdf.set_xy(45, 22)
    pdf.cell(text=LETTERHEAD)
    pdf.set_y(52)
    for line in ADDRESS:
        pdf.set_x(96)
        pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT", h=5)
    pdf.set_xy(20, 100)
    pdf.set_font("DejaVu", "B", 10.5)
    pdf.cell(text="Objet : convocation", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=10.5)
    for text in PARAGRAPHS:
        pdf.set_x(20)
        pdf.multi_cell(170, 5, text)
        pdf.ln(3)
    pdf.set_y(-20)
    pdf.set_font("DejaVu", size=8)
    pdf.cell(0, 5, "Page 1 sur {nb}", align="C")
    return bytes(pdf.output())


def weasyprint(logo: Path) -> bytes:
    from weasyprint import HTML

    paragraphs = "".join(f"<p>{text}</p>" for text in PARAGRAPHS)
    html = f"""<html lang="fr"><head><title>Convocation</title><style>
    @page {{ size: A4; margin: 20mm;
             @bottom-center {{ content: "Page " counter(page) " sur " counter(pages) }} }}
    body {{ font-family: 'DejaVu Sans'; font-size: 10.5pt }}
    .address {{ position: absolute; left: 76mm; top: 32mm }} img {{ width: 20mm }}
    </style></head><body><img src="{logo.as_uri()}" alt="Logo"> {LETTERHEAD}
    <div class="address">{"<br>".join(ADDRESS)}</div>
    <div style="margin-top: 60mm"><b>Objet : convocation</b>{paragraphs}</div></body></html>"""
    result: bytes = HTML(string=html).write_pdf(pdf_tags=True)
    return result


TYPST_SOURCE = """#let d = json(bytes(sys.inputs.data))
#set document(title: "Convocation")
#set text(lang: "fr", font: "DejaVu Sans", size: 10.5pt)
#set par(justify: true)
#set page(paper: "a4", margin: 20mm, footer: context align(center, text(8pt)[
  Page #counter(page).display() sur #counter(page).final().first()]))
#grid(columns: (25mm, 1fr), image("logo.png", width: 20mm, alt: "Logo"), d.letterhead)
#place(top + left, dx: 76mm, dy: 32mm, d.address.join(linebreak()))
#v(60mm)
*Objet : convocation*
#for p in d.paragraphs [#par(p)]
"""


def typst(logo: Path) -> bytes:
    import typst as compiler

    data = {"letterhead": LETTERHEAD, "address": ADDRESS, "paragraphs": PARAGRAPHS}
    result: bytes = compiler.compile(
        TYPST_SOURCE.encode(),
        root=str(logo.parent),
        font_paths=[str(FONTS)],
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data)},
        pdf_standards=["ua-1"],
    )
    return result


def tagged(pdf: bytes, directory: Path) -> str:
    path = directory / "check.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Tagged")), "?")


def main() -> int:
    renderers: dict[str, Callable[[Path], bytes]] = {
        "reportlab": reportlab,
        "fpdf2": fpdf2,
        "weasyprint": weasyprint,
        "typst": typst,
    }
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        logo = make_logo(directory)
        print(f"{'renderer':<11} {'first':>9} {'median':>9} {'PDF':>9}  tagged")
        for label, render in renderers.items():
            started = time.perf_counter()
            render(logo)
            first = time.perf_counter() - started
            times = []
            for _ in range(RUNS):
                started = time.perf_counter()
                pdf = render(logo)
                times.append(time.perf_counter() - started)
            print(
                f"{label:<11} {first * 1000:7.0f} ms {statistics.median(times) * 1000:6.1f} ms "
                f"{len(pdf) / 1024:6.1f} KiB  {tagged(pdf, directory)}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
