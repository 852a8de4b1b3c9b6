"""Turn the Met's published PDFs into the data files (maintainers only).

Nothing here is needed to *use* the committed data files. :mod:`.met_pdf` reads the
deployment-record PDFs, :mod:`.assemble` turns the parsed documents and the transcribed
rows into ``data/deployments.csv``, and :mod:`.cli` is the ``lfr-analysis data`` command
(``fetch``, ``build [--check]``, ``import-reference``, ``manifest``).
"""

from lfr_analysis.rebuild import assemble, cli, met_pdf

__all__ = ["assemble", "cli", "met_pdf"]
