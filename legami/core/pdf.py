"""Every PDF the project makes (closing summary, data-subject export, impact report), drawn
with WeasyPrint from a Django template.

The documents carry personal data, so rendering never reaches outside the process: there is
no base URL and the fetcher accepts only inline `data:` URIs. The print style sheet is
pdf.css beside this module (web pages allow no inline styles; these are not web pages).

Each PDF is tagged as PDF/UA-1 (ISO 14289): its structure (headings, tables, lists), its
language and its title travel with it, so a screen reader reads it in order, as the web page
would be read. The template gives the language (`<html lang>`) and the title (`<title>`).
"""

from pathlib import Path

from django.template.loader import render_to_string

PRINT_CSS = Path(__file__).with_name("pdf.css")


def render_html(template: str, context: dict) -> str:
    return render_to_string(template, context)


def html_to_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango through cffi, which only the PDF pages need.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, timeout=1)
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(
        stylesheets=[CSS(string=PRINT_CSS.read_text(), url_fetcher=fetcher)],
        pdf_variant="pdf/ua-1",
    )


def render_pdf(template: str, context: dict) -> bytes:
    return html_to_pdf(render_html(template, context))
