"""story.pdf: the dossier's story printed with WeasyPrint (as the certificate is). The offline
verifier regenerates story.html byte for byte but cannot regenerate a PDF with the standard
library: it checks story.pdf's digest against the manifest only and says that it did not
check its content (docs/ledger.md §5)."""

from __future__ import annotations

# WeasyPrint lays tables out slowly (nested ones: a quarter of a second an event): printed,
# the story's tables are blocks — each field a line, its label in bold.
PRINT = """<style>@page{size:A4;margin:1.5cm}body{margin:0;font-size:10pt}
table,thead,tbody,tr,td,th{display:block;border:0;padding:0;width:auto}
table.events thead{display:none}table.events>tbody>tr{border-top:1px solid #444;
padding:4pt 0;break-inside:avoid}table.events>tbody>tr>td{display:inline;margin-right:8pt}
table.events>tbody>tr>td:last-child{display:block;margin-top:2pt}
table.fields tr{margin-left:1em}table.fields th{display:inline;background:none;
font-weight:bold}table.fields th:after{content:": "}table.fields td{display:inline}
table.list tr{margin-left:1em}
table.list td,table.list th{display:inline;margin-right:8pt}</style>"""


def story_pdf(html: str) -> bytes:
    """The PDF of a story page (fonts: DejaVu, as the certificate's; no network)."""
    from weasyprint import HTML  # imported when asked for: it costs a process ~0.5 s

    pdf: bytes = HTML(
        string=html.replace("</head>", PRINT + "</head>", 1), url_fetcher=_nothing
    ).write_pdf()
    return pdf


def _nothing(url: str) -> dict[str, str]:
    """A story fetches nothing: it carries its style and has no images."""
    raise ValueError(f"story.pdf fetches nothing ({url})")
