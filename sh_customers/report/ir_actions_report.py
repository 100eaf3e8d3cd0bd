"""How the customers' reports are printed: each self-contained report one
document at a time, numbered by Odoo, and Arabic text and numbers given
their own direction so that wkhtmltopdf draws them in order."""

import io
import re

from lxml import html
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from odoo import api, models
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

# Reports that carry everything they need (company, title, totals) in their
# body, printed one document at a time and numbered by Odoo: they read the
# same whichever wkhtmltopdf build prints them. Debian's build (unpatched Qt)
# ignores header and footer and cannot make one PDF of several documents.
SELF_CONTAINED_REPORTS = (
    "sh_customers.report_customer_statement",
    "sh_customers.report_customer_list",
)

# Runs of Arabic letters, and numbers. wkhtmltopdf's engine draws a number
# next to Arabic words over them ("آخر 12 شهراً", "شارع 15") unless each run
# has its own explicit direction: the bodies of the reports above are given it.
ARABIC = "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff"
BIDI_RUN = re.compile(
    rf"(?P<rtl>[{ARABIC}](?:[{ARABIC}\s]*[{ARABIC}])?)|(?P<ltr>\d(?:[\d.,:/-]*\d)?)"
)
HAS_ARABIC = re.compile(rf"[{ARABIC}]")
# A text in Latin letters only reads left to right as a whole, wherever it is
# ("250 Executive Park Blvd" keeps its number first on a right-to-left page).
LATIN_TEXT = re.compile(r"\S(?:.*\S)?", re.DOTALL)
HAS_LATIN = re.compile(r"[A-Za-z]")
NO_TEXT_TAGS = {"script", "style", "head", "title"}


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _run_wkhtmltopdf(
        self,
        bodies,
        report_ref=False,
        header=None,
        footer=None,
        landscape=False,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        if not report_ref or self._get_report(report_ref).report_name not in (
            self._sh_self_contained_reports()
        ):
            return super()._run_wkhtmltopdf(
                bodies,
                report_ref=report_ref,
                header=header,
                footer=footer,
                landscape=landscape,
                specific_paperformat_args=specific_paperformat_args,
                set_viewport_size=set_viewport_size,
            )
        # One document (a customer's statement, the list) per run, without
        # header or footer, each numbered "page / pages" on its own.
        writer = PdfFileWriter()
        for body in bodies:
            document = super()._run_wkhtmltopdf(
                [self._sh_embed_bidi_runs(body)],
                report_ref=report_ref,
                landscape=landscape,
                specific_paperformat_args=specific_paperformat_args,
                set_viewport_size=set_viewport_size,
            )
            self._sh_add_numbered_pages(writer, document)
        with io.BytesIO() as stream:
            writer.write(stream)
            return stream.getvalue()

    @api.model
    def _sh_self_contained_reports(self):
        """The names of the reports printed one self-contained document at
        a time (SELF_CONTAINED_REPORTS); other addons add theirs."""
        return SELF_CONTAINED_REPORTS

    @api.model
    def _sh_embed_bidi_runs(self, body):
        """The HTML document ``body`` where every text holding Arabic has its
        Arabic runs and its numbers in spans of their own direction, and
        every text in Latin letters is one left-to-right span."""
        root = html.document_fromstring(body)
        texts = []
        for element in root.iter():
            if not isinstance(element.tag, str) or element.tag in NO_TEXT_TAGS:
                continue
            if self._sh_needs_direction(element.text):
                texts.append((element, "text"))
            if self._sh_needs_direction(element.tail) and element.getparent() is not None:
                texts.append((element, "tail"))
        for element, where in texts:
            text = getattr(element, where)
            pieces = []
            start = 0
            if HAS_ARABIC.search(text):
                matches = BIDI_RUN.finditer(text)
            else:
                matches = LATIN_TEXT.finditer(text)
            for match in matches:
                direction = match.lastgroup or "ltr"
                span = html.Element("span", style=f"unicode-bidi: embed; direction: {direction};")
                span.text = match[0]
                pieces.append((text[start : match.start()], span))
                start = match.end()
            setattr(element, where, (pieces[0][0] if pieces else "") or None)
            # The spans follow the text: as first children, or after the element.
            if where == "text":
                parent, index = element, 0
            else:
                parent = element.getparent()
                index = parent.index(element) + 1
            for position, (_before, span) in enumerate(pieces):
                following = pieces[position + 1][0] if position + 1 < len(pieces) else text[start:]
                span.tail = following or None
                parent.insert(index + position, span)
        return html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")

    @api.model
    def _sh_needs_direction(self, text):
        return bool(text) and bool(HAS_ARABIC.search(text) or HAS_LATIN.search(text))

    @api.model
    def _sh_add_numbered_pages(self, writer, document):
        """Append the pages of the PDF ``document`` to ``writer``, each with
        "page / pages" at the middle of its bottom margin."""
        reader = PdfFileReader(io.BytesIO(document), strict=False)
        count = len(reader.pages)
        stamps = io.BytesIO()
        stamp = canvas.Canvas(stamps)
        for number, page in enumerate(reader.pages, start=1):
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            stamp.setPageSize((width, height))
            stamp.setFont("Helvetica", 8)
            stamp.setFillGray(0.35)
            stamp.drawCentredString(width / 2, 6 * mm, f"{number} / {count}")
            stamp.showPage()
        stamp.save()
        stamps_reader = PdfFileReader(stamps, strict=False)
        for page, page_stamp in zip(reader.pages, stamps_reader.pages, strict=True):
            page.merge_page(page_stamp)
            writer.add_page(page)
