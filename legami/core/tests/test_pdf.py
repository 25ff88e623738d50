"""Every PDF the project makes is a tagged PDF/UA-1 document: a screen reader finds its
structure, language and title. Read back with pypdf, an independent PDF reader."""

import io

from pypdf import PdfReader

from legami.core import pdf

PAGE = """<!doctype html><html lang="it"><head><meta charset="utf-8">
<title>Riepilogo di chiusura</title></head><body>
<h1>Riepilogo</h1><p>Percorso concluso il 3 dicembre 2026.</p>
<table><thead><tr><th>Attività</th><th>Presenze</th></tr></thead>
<tbody><tr><td>Gruppo di lettura</td><td>4</td></tr></tbody></table>
</body></html>"""


def _structure_types(node, found):
    node = node.get_object()
    kind = node.get("/S")
    if kind is not None:
        found.add(str(kind))
    kids = node.get("/K")
    if kids is None:
        return found
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if hasattr(kid, "get"):
            _structure_types(kid, found)
    return found


def test_a_pdf_is_tagged_pdf_ua_with_its_language_title_and_structure():
    reader = PdfReader(io.BytesIO(pdf.html_to_pdf(PAGE)))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "it"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == "Riepilogo di chiusura"
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    kinds = _structure_types(root["/StructTreeRoot"], set())
    assert {"/H1", "/P", "/Table", "/TH", "/TD"} <= kinds


def test_a_pdf_fetches_nothing_outside_the_process():
    """A document with personal data never asks the network or the disk for anything: an
    image pointing outside is left out, and the PDF is still made."""
    page = PAGE.replace("<h1>", '<img src="http://example.invalid/x.png" alt=""><h1>').replace(
        "</body>", '<img src="file:///etc/passwd" alt=""></body>'
    )
    reader = PdfReader(io.BytesIO(pdf.html_to_pdf(page)))
    assert "Gruppo di lettura" in reader.pages[0].extract_text()
