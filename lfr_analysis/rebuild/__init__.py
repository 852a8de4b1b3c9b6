"""Turn the forces' published records into the data files (maintainers only).

Nothing here is needed to *use* the committed data files. :mod:`.pdf_pages` reads a PDF's
ruled tables page by page within stated bounds, :mod:`.met_pdf` turns them into deployment
rows accounting for every table row, :mod:`.quirks` flags suspected source errors,
:mod:`.boroughs` assigns boroughs, :mod:`.assemble` builds ``deployments.csv`` and
``btp_deployments.csv`` from the parsed PDFs and the transcribed rows, :mod:`.revisions`
logs what a newer version of a record changed, :mod:`.fetch` downloads the records and
keeps the source registry, :mod:`.reference` refreshes the transcribed input files, and
:mod:`.cli` is the ``lfr-analysis data`` command (``fetch``, ``build [--check]``,
``import-reference [--check]``, ``manifest``).
"""

from lfr_analysis.rebuild import (
    assemble,
    boroughs,
    cli,
    fetch,
    met_pdf,
    pdf_pages,
    quirks,
    reference,
    revisions,
)

__all__ = [
    "assemble",
    "boroughs",
    "cli",
    "fetch",
    "met_pdf",
    "pdf_pages",
    "quirks",
    "reference",
    "revisions",
]
