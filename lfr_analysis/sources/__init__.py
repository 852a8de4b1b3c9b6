"""Readers of primary sources (the published documents the data files are built from).

:mod:`lfr_analysis.sources.met` reads the Metropolitan Police Service's Live Facial
Recognition deployment-record PDFs. Nothing here is needed to *use* the committed data
files; these readers only rebuild them (``lfr-analysis data build``).
"""
