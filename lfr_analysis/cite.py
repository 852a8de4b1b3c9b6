"""``lfr-analysis cite``: how to cite the suite and the version of the data in use.

The citation is built from what is installed and read, never typed: the suite's version
(:data:`lfr_analysis.__version__`), the data package's ``version`` and title from
``datapackage.json`` (the suite's version when the manifest gives none), the SHA-256 of
that manifest (which fixes every data file's checksum), and the data's "as of" dates: the
last deployment date of each source type in ``deployments.csv``.

``CITATION.cff`` in the checkout is this module's output (``lfr-analysis cite --cff``, or
``make citation``); a test checks that it matches the data.

Usage::

    lfr-analysis cite            plain text and BibTeX
    lfr-analysis cite --text     plain text only
    lfr-analysis cite --bibtex   BibTeX only
    lfr-analysis cite --cff      the CITATION.cff text
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass

from lfr_analysis import __version__, datasets
from lfr_analysis.datasets import manifest as data_manifest

__all__ = [
    "DataVersion",
    "bibtex",
    "cff_text",
    "data_version",
    "main",
    "plain_text",
]

TITLE = "lfr-analysis: reproducible analysis of police Live Facial Recognition in London"
AUTHOR = "The lfr-analysis contributors"
RELEASED = "2026-11-21"  # date of the suite's release carrying __version__
LICENSE = "BSD-3-Clause"
KEYWORDS = (
    "live facial recognition",
    "policing",
    "false alerts",
    "reproducible research",
    "Jupyter",
)
ABSTRACT = (
    "A Python package and Jupyter notebooks that rebuild the Metropolitan Police Service's "
    "Live Facial Recognition deployment record from its published tables, estimate "
    "false-alert rates with exact intervals, compare deployments with the NPL 2023 study's "
    "predictions at matching thresholds and watchlist sizes, chart arrests by offence type, "
    "and check published claims against the record."
)
MESSAGE = (
    "If you use lfr-analysis, please cite it as below, with the version of its data you "
    "used, and cite the primary sources (the Metropolitan Police Service's deployment "
    "records and the studies listed in data/datapackage.json) for any figure you quote."
)


@dataclass(frozen=True)
class DataVersion:
    """The data in use: version, where it came from, and how recent it is."""

    version: str
    declared: bool  # False: the manifest has no version; the suite's is used
    title: str
    manifest_sha256: str
    as_of: dict[str, str]  # source type -> last deployment date (ISO)

    def as_of_text(self) -> str:
        return "; ".join(f"{kind} rows to {day}" for kind, day in self.as_of.items())

    def version_text(self) -> str:
        if self.declared:
            return self.version
        return f"{self.version} (the suite's; the data package declares no version)"


def data_version() -> DataVersion:
    """Return the version of the data in use, read from ``datapackage.json`` and the data."""
    manifest = data_manifest.read_manifest()
    raw = data_manifest.manifest_path().read_bytes()
    deployments = datasets.load("deployments")
    last = deployments.dropna(subset=["date"]).groupby("source_type")["date"].max()
    declared = manifest.get("version")
    return DataVersion(
        version=str(declared or __version__),
        declared=bool(declared),
        title=manifest.get("title", "lfr-analysis data"),
        manifest_sha256=hashlib.sha256(raw).hexdigest(),
        as_of={str(kind): day.strftime("%Y-%m-%d") for kind, day in last.sort_index().items()},
    )


def plain_text(data: DataVersion) -> str:
    """Return the plain-text citation of the suite and of the data version."""
    year = RELEASED[:4]
    return "\n".join(
        [
            f"{AUTHOR} ({year}). {TITLE} (version {__version__}) [software].",
            f"{AUTHOR} ({year}). {data.title} (data version {data.version_text()}; data as "
            f"of: {data.as_of_text()}; datapackage.json sha256 {data.manifest_sha256[:12]}) "
            "[data set]. Distributed with lfr-analysis.",
        ]
    )


def _bib(text: str) -> str:
    return text.replace("&", r"\&").replace("%", r"\%").replace("_", r"\_")


def bibtex(data: DataVersion) -> str:
    """Return BibTeX entries for the suite (``@software``) and the data (``@dataset``).

    Both are BibLaTeX entry types; classic BibTeX styles treat them as ``@misc``.
    """
    key = __version__.replace(".", "_")
    data_key = data.version.replace(".", "_")
    year = RELEASED[:4]
    return "\n".join(
        [
            f"@software{{lfr_analysis_{key},",
            f"  author  = {{{{{AUTHOR}}}}},",
            f"  title   = {{{{{_bib(TITLE)}}}}},",
            f"  version = {{{__version__}}},",
            f"  year    = {{{year}}},",
            f"  date    = {{{RELEASED}}},",
            f"  license = {{{LICENSE}}},",
            "}",
            "",
            f"@dataset{{lfr_analysis_data_{data_key},",
            f"  author  = {{{{{AUTHOR}}}}},",
            f"  title   = {{{{{_bib(data.title)}}}}},",
            f"  version = {{{data.version}}},",
            f"  year    = {{{year}}},",
            f"  note    = {{Data as of: {data.as_of_text()}. datapackage.json sha256 "
            f"{data.manifest_sha256}. Distributed with lfr-analysis {__version__}}},",
            "}",
        ]
    )


def _yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _folded(text: str, indent: int, width: int = 88) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width - indent:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return [" " * indent + part for part in lines]


def cff_text(data: DataVersion) -> str:
    """Return the text of ``CITATION.cff`` (Citation File Format 1.2.0)."""
    notes = (
        f"Data version {data.version_text()}. Data as of: {data.as_of_text()}. "
        f"datapackage.json sha256 {data.manifest_sha256}."
    )
    lines = [
        "# Written by 'lfr-analysis cite --cff' (make citation) from the package version and",
        "# the data in data/: do not edit by hand.",
        "cff-version: 1.2.0",
        "message: >-",
        *_folded(MESSAGE, 2),
        f"title: {_yaml(TITLE)}",
        "type: software",
        "authors:",
        f"  - name: {_yaml(AUTHOR)}",
        f"version: {__version__}",
        f"date-released: {RELEASED}",
        f"license: {LICENSE}",
        "keywords:",
        *[f"  - {word}" for word in KEYWORDS],
        "abstract: >-",
        *_folded(ABSTRACT, 2),
        "preferred-citation:",
        "  type: software",
        f"  title: {_yaml(TITLE)}",
        "  authors:",
        f"    - name: {_yaml(AUTHOR)}",
        f"  version: {__version__}",
        f"  date-released: {RELEASED}",
        "  notes: >-",
        *_folded(f"Cite with the data version used: {notes}", 4),
        "references:",
        "  - type: data",
        f"    title: {_yaml(data.title)}",
        "    authors:",
        f"      - name: {_yaml(AUTHOR)}",
        f"    version: {_yaml(data.version)}",
        "    notes: >-",
        *_folded(notes + " Each row cites its primary source; see data/datapackage.json.", 6),
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run ``lfr-analysis cite``; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="lfr-analysis cite",
        description="Print how to cite lfr-analysis and the version of the data in use.",
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--text", action="store_true", help="plain text only")
    group.add_argument("--bibtex", action="store_true", help="BibTeX only")
    group.add_argument("--cff", action="store_true", help="the CITATION.cff text")
    args = parser.parse_args(argv)
    try:
        data = data_version()
    except (ValueError, OSError) as err:  # the data errors are ValueErrors
        print(f"lfr-analysis cite: {err}", file=sys.stderr)
        return 1
    if args.cff:
        sys.stdout.write(cff_text(data))
    elif args.text:
        print(plain_text(data))
    elif args.bibtex:
        print(bibtex(data))
    else:
        print(plain_text(data))
        print()
        print(bibtex(data))
    return 0
