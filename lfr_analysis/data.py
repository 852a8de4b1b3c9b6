"""The deployment dataset: one row per police LFR deployment, with provenance on every row.

Files (all in ``data/``, described in ``data/datapackage.json``):

``deployments.csv``
    Every Met deployment in the Met's own published records (three PDFs, ``source_type``
    ``primary``) and the Met deployments after 10 May 2025 and in 2026 that exist only as
    a third-party transcription of the Met's later records (``secondary``). Rebuilt from
    the PDFs and ``met_secondary_rows.csv`` by ``lfr-analysis data build``.
``met_secondary_rows.csv``
    The secondary Met rows as transcribed (a cited input of the build, never edited).
``other_deployments.csv``
    For comparison: the Met trials of 2016-2019, South Wales Police deployments, and news
    reports that contradict the Met's table, each with notes.

Load them with :func:`load_deployments` and :func:`load_other_deployments`; both verify
the file's checksum and validate every value, reporting every problem at once in one
:class:`~lfr_analysis.validation.DataValidationError`.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from lfr_analysis import paths
from lfr_analysis.sources.met import FORCE, SOURCE_DOCUMENTS
from lfr_analysis.validation import Column, Problem, read_table

DEPLOYMENTS_FILE = "deployments.csv"
OTHER_DEPLOYMENTS_FILE = "other_deployments.csv"
SECONDARY_ROWS_FILE = "met_secondary_rows.csv"

FIRST_PLAUSIBLE_DATE = "2016-01-01"
LAST_PLAUSIBLE_DATE = "2030-12-31"
THRESHOLD_RANGE = (0.5, 0.8)

#: Quality flags used in the ``quality_flags`` columns, with their meaning.
QUALITY_FLAGS: dict[str, str] = {
    "arrests_include_disposals": (
        "2020-22 grid: the printed column is 'Arrests / Disposals', so the count may include "
        "disposals other than arrest"
    ),
    "counts_printed_na": "the source prints N/A for this deployment's counts (left blank)",
    "location_split_across_pages": (
        "the location cell continues at the top of the next page; the parts were joined"
    ),
    "location_incomplete": (
        "the printed location ends in a comma: the rest of the cell is missing from the PDF "
        "(e.g. 'Powis St,' at the foot of a page, 12/12/24)"
    ),
    "alert_split_inconsistent": (
        "true + false alerts differ from the printed total alerts (kept as printed)"
    ),
    "disposal_columns_identical": (
        "2023-24 grid: 'other disposal' and 'no action' are equal on every row of the table, "
        "so one column is probably a copy of the other; use neither without care"
    ),
    "date_out_of_sequence": (
        "the date breaks the table's chronological order (11/07/23 among July 2024 rows, "
        "with the threshold and watchlist of the 11/07/24 rows): possibly a typo in the year"
    ),
    "watchlist_size_outlier": (
        "watchlist size more than 10% from the median of the other deployments within 7 "
        "days in the same table (19,199 at Bond St on 02/05/25, others 16,199): possibly a "
        "typo in the source"
    ),
    "printed_rate_inconsistent": (
        "the printed false-alert rate agrees with the row's own counts neither rounded nor "
        "truncated to the printed decimals (George St, Croydon, 07/12/23: 0.01% printed for "
        "1 in 3,940 = 0.025%); analyses use the counts"
    ),
    "secondary_transcription": (
        "taken from a third-party transcription of the Met's record, not read from the PDF"
    ),
    "false_alerts_derived_from_rate": (
        "the transcription derived the false-alert count from a printed false-alert rate "
        "of 0%, not from a printed count"
    ),
    "conflicting_reports": "sources disagree about this deployment; see notes",
    "contradicts_met_table": "a news report whose figures contradict the Met's own table",
    "derived_values": "some values were derived by the compiler (sums, differences); see notes",
    "approximate_values": "some values are approximate in the source ('around'); see notes",
}


def _flags_description() -> str:
    items = "; ".join(f"{flag}: {meaning}" for flag, meaning in QUALITY_FLAGS.items())
    return (
        "Known quirks of this row, semicolon-separated short snake_case flags, empty when "
        f"none. Values are never corrected, only flagged. Vocabulary: {items}."
    )


_COUNT = "count"

DEPLOYMENT_COLUMNS: list[Column] = [
    Column(
        "deployment_id",
        "str",
        required=True,
        description=(
            "Stable unique id: force prefix, ISO date and a slug of the printed location "
            "(e.g. MET-2024-07-11-hackney); a second deployment with the same date and "
            "location gets -2, -3 in printed order. Built from the content, not from the "
            "row's position, so it survives the Met republishing a table with rows added."
        ),
    ),
    Column("force", "str", required=True, description="Police force that deployed LFR."),
    Column(
        "date",
        "date",
        required=True,
        min=FIRST_PLAUSIBLE_DATE,
        max=LAST_PLAUSIBLE_DATE,
        description="Deployment date as printed (DD/MM/YY in the PDFs), written as ISO date.",
    ),
    Column(
        "location",
        "str",
        required=True,
        description="Deployment location as printed; wrapped lines joined with spaces.",
    ),
    Column(
        "borough",
        "str",
        description="London borough of the location, when named or inferred (see basis).",
    ),
    Column(
        "borough_basis",
        "str",
        description=(
            "How the borough was assigned: 'named in Met location text', or the compiler's "
            "or transcriber's inference as stated; empty when no borough is given."
        ),
    ),
    Column(
        "purpose",
        "str",
        description=(
            "Printed purpose: 'Purpose references: 1,2,3,4' (numbers refer to the purpose "
            "list printed in the same PDF) or 'LFR use case: Crime Hotspot'."
        ),
    ),
    Column(
        "duration_minutes",
        "int",
        min=0,
        description="Deployment duration, converted from the printed '5h 03m' (not in 2020-22).",
        unit="minutes",
    ),
    Column(
        "watchlist_size",
        "int",
        min=0,
        description="Number of people on the watchlist, as printed.",
        unit="people",
    ),
    Column(
        "threshold",
        "float",
        min=THRESHOLD_RANGE[0],
        max=THRESHOLD_RANGE[1],
        description="Printed minimum similarity threshold setting (0.6, 0.62, 0.64); from 2023.",
        unit="similarity score",
    ),
    Column(
        "faces_seen",
        "int",
        min=0,
        description="Faces seen: the Met's own estimate, as printed.",
        unit="faces",
    ),
    Column("alerts", "int", min=0, description="Total alerts, as printed.", unit=_COUNT),
    Column(
        "true_alerts",
        "int",
        min=0,
        description=(
            "True alerts: printed in the 2020-22 grid; from 2023 the sum of the printed "
            "confirmed and unconfirmed true alerts (computed)."
        ),
        unit=_COUNT,
    ),
    Column(
        "false_alerts",
        "int",
        min=0,
        description=(
            "False alerts: printed in the 2020-22 grid ('False Alert / Confirmed False "
            "Alerts'); from 2023 the sum of the printed confirmed and unconfirmed false "
            "alerts (computed); secondary rows as transcribed."
        ),
        unit=_COUNT,
    ),
    Column(
        "true_alerts_confirmed",
        "int",
        min=0,
        description="True alerts confirmed, as printed (from 2023).",
        unit=_COUNT,
    ),
    Column(
        "true_alerts_unconfirmed",
        "int",
        min=0,
        description="True alerts not confirmed, as printed (from 2023).",
        unit=_COUNT,
    ),
    Column(
        "false_alerts_confirmed",
        "int",
        min=0,
        description="False alerts confirmed, as printed (from 2023).",
        unit=_COUNT,
    ),
    Column(
        "false_alerts_unconfirmed",
        "int",
        min=0,
        description="False alerts not confirmed, as printed (from 2023).",
        unit=_COUNT,
    ),
    Column(
        "arrests",
        "int",
        min=0,
        description=(
            "Arrests, as printed ('Arrests / Disposals' in 2020-22: flagged "
            "arrests_include_disposals; 'Arrest' engagement outcome from 2023)."
        ),
        unit=_COUNT,
    ),
    Column(
        "other_disposals",
        "int",
        min=0,
        description="Engagement outcome 'Other disposal' / 'Outcome - Other', as printed.",
        unit=_COUNT,
    ),
    Column(
        "no_action",
        "int",
        min=0,
        description="Engagement outcome 'No action', as printed.",
        unit=_COUNT,
    ),
    Column(
        "true_alert_engagements",
        "int",
        min=0,
        description="True alerts followed by an engagement, as printed (2020-22 grid only).",
        unit=_COUNT,
    ),
    Column(
        "false_alert_engagements",
        "int",
        min=0,
        description="False alerts followed by an engagement, as printed (2020-22 grid only).",
        unit=_COUNT,
    ),
    Column(
        "false_alert_rate_reported",
        "str",
        description=(
            "False alert rate as printed (text, e.g. '0.008%'). The Met's rate is per face "
            "seen; recompute rates from the counts rather than using this text."
        ),
    ),
    Column(
        "source_type",
        "str",
        required=True,
        choices=("primary", "secondary"),
        description=(
            "primary: read from the Met's own PDF (or another first-hand document); "
            "secondary: a transcription or news report of it."
        ),
    ),
    Column(
        "source_table",
        "str",
        required=True,
        description="The document and position the row comes from (file, page, row).",
    ),
    Column("source_url", "str", required=True, description="Where the source is published."),
    Column("quality_flags", "str", description=_flags_description()),
]

OTHER_DEPLOYMENT_COLUMNS: list[Column] = [
    *(
        Column(
            c.name,
            c.kind,
            required=c.required and c.name != "date",
            min=c.min,
            max=c.max,
            choices=c.choices,
            description=c.description,
            unit=c.unit,
        )
        for c in DEPLOYMENT_COLUMNS
    ),
    Column(
        "date_as_reported",
        "str",
        description=(
            "The date as the source gives it, which may be partial ('2020', '2023-05') or "
            "absent; 'date' holds it only when it is a full day."
        ),
    ),
    Column("source_date", "str", description="Publication date of the source, as known."),
    Column("notes", "str", description="What the source says, conflicts, derivations."),
]

SECONDARY_ROW_COLUMNS: list[Column] = [
    Column("record_id", "str", required=True, description="Row id in the compilation."),
    Column("force", "str", required=True, description="Police force."),
    Column(
        "date",
        "date",
        required=True,
        min=FIRST_PLAUSIBLE_DATE,
        max=LAST_PLAUSIBLE_DATE,
        description="Deployment date as transcribed.",
    ),
    Column("location", "str", required=True, description="Location as transcribed."),
    Column("borough", "str", description="Borough as assigned by the compiler/transcriber."),
    Column("borough_basis", "str", description="How the borough was assigned."),
    Column("purpose", "str", description="LFR use case as transcribed."),
    Column("faces_seen", "int", min=0, description="Faces seen (estimate).", unit="faces"),
    Column("alerts", "int", min=0, description="Total alerts.", unit=_COUNT),
    Column(
        "false_alerts",
        "int",
        min=0,
        description="False alerts (see notes for whether printed or derived from a 0% rate).",
        unit=_COUNT,
    ),
    Column("true_alerts_unconfirmed", "int", min=0, description="As transcribed.", unit=_COUNT),
    Column("false_alerts_confirmed", "int", min=0, description="As transcribed.", unit=_COUNT),
    Column("arrests", "int", min=0, description="Arrests.", unit=_COUNT),
    Column("false_alert_rate_reported", "str", description="Printed false alert rate (text)."),
    Column("source_url", "str", required=True, description="The Met record transcribed."),
    Column("source_date", "str", description="When the Met record was published, as known."),
    Column("retrieved_via", "str", required=True, description="The transcription and line."),
    Column("notes", "str", description="Compiler's notes."),
]

_REFERENCE_URL = "https://github.com/jared-krauss/ALHFRS"
_REFERENCE_TITLE = (
    "ALHFRS: third-party transcription of the Met's LFR deployment records 2025 and 2026 "
    "(data/extraction-2026-05-18.md), as compiled with row-level citations"
)


#: The sources cited by the rows of ``other_deployments.csv`` (each row names its own).
OTHER_SOURCES: tuple[tuple[str, str], ...] = (
    (
        "Evening Standard, Notting Hill Carnival 2016 (pre-deployment)",
        "https://standard.co.uk/news/crime/notting-hill-carnival-super-recognisers-backed-up-"
        "by-facescan-cameras-to-spot-criminals-a3330216.html",
    ),
    (
        "The Register, 31 Aug 2017, Notting Hill Carnival 2017",
        "https://www.theregister.com/2017/08/31/met_denies_face_recog_wrongful_arrest_carnival/",
    ),
    (
        "Sky News (copy), 4 Jul 2019, the Met's trials",
        "https://amsterdamtimes.info/81-of-suspects-flagged-by-police-facial-recognition-"
        "innocent-report/",
    ),
    (
        "Newham Recorder, Stratford trial 2018",
        "https://www.newhamrecorder.co.uk/news/crime/no-arrests-made-in-stratford-facial-"
        "recognition-trial-3175448",
    ),
    (
        "Met press release, 20 Dec 2018, Westminster deployment",
        "http://news.met.police.uk/news/update-facial-recognition-deployment-in-westminster-342524",
    ),
    (
        "The Inquirer, 6 Feb 2019, Romford trial",
        "https://www.theinquirer.net/inquirer/news/3070570/the-mets-latest-afr-trail-resulting-"
        "in-er-one-person-being-charged",
    ),
    (
        "Written evidence to Parliament (DCS Balhatchet), June 2019",
        "https://committees.parliament.uk/writtenevidence/103383/html/",
    ),
    (
        "Computer Weekly (copy), 13 Jul 2022, Oxford Circus",
        "https://itnewsdom.com/2022/07/13/met-police-deploy-facial-recognition-technology-in-"
        "oxford-circus",
    ),
    (
        "Inside Croydon, 16 Dec 2023, Croydon deployments",
        "https://insidecroydon.com/2023/12/16/crossbow-seized-on-north-end-in-second-police-"
        "camera-sweep/",
    ),
    (
        "South Wales Evening Post (FOI), 23 Aug 2025",
        "https://www.magzter.com/fr/stories/newspaper/South-Wales-Evening-Post/MILLIONS-SPENT-"
        "BY-FORCE-ON-FACIAL-RECOGNITION",
    ),
    (
        "Metro, 5 May 2018, South Wales Police figures",
        "https://metro.co.uk/2018/05/05/police-facial-recognition-technology-wrongly-"
        "identifies-2000-people-as-criminals-7523137/",
    ),
    (
        "R (Bridges) v CC South Wales Police [2020] EWCA Civ 1058 (copy)",
        "https://data.guardint.org/en/entity/f8fscbui4qq?page=8",
    ),
    (
        "Daily Mail, 4 May 2018, South Wales Police results table",
        "http://www.dailymail.co.uk/sciencetech/article-5691279/Facial-recognition-technology-"
        "used-UK-police-makes-THOUSANDS-mistakes.html",
    ),
    (
        "Parliament Today, 2024, PCC correspondence to the Welsh Affairs Committee",
        "https://www.parliamenttoday.com/free/viewnews.html?id=154029",
    ),
)


def _met_sources() -> list[dict]:
    return [{"title": d.title, "path": d.url} for d in SOURCE_DOCUMENTS]


#: Count columns the third-party transcription gives (it has no watchlist size or threshold).
SECONDARY_COUNT_COLUMNS = (
    "faces_seen",
    "alerts",
    "false_alerts",
    "true_alerts_unconfirmed",
    "false_alerts_confirmed",
    "arrests",
)

DATA_RESOURCES: list[dict] = [
    {
        "path": DEPLOYMENTS_FILE,
        "name": "deployments",
        "title": "Metropolitan Police LFR deployments, one row per deployment",
        "description": (
            "Every deployment in the Met's published LFR deployment records 2020-22 (9 rows), "
            "2023-24 (203) and 2025 (74, snapshot of 12 May 2025), read from the PDFs with "
            "pdfplumber (source_type primary), plus the Met deployments after 10 May 2025 "
            "and in 2026 from a third-party transcription (secondary). Values as printed; "
            "suspected source errors are flagged in quality_flags, never corrected. Rebuild "
            "with 'lfr-analysis data build'; compare with 'lfr-analysis data build --check'."
        ),
        "sources": [*_met_sources(), {"title": _REFERENCE_TITLE, "path": _REFERENCE_URL}],
        "columns": DEPLOYMENT_COLUMNS,
    },
    {
        "path": SECONDARY_ROWS_FILE,
        "name": "met_secondary_rows",
        "title": "Met LFR deployments after 10 May 2025 and in 2026, as transcribed",
        "description": (
            "Input of the build: the Met deployment rows that exist only in a third-party "
            "transcription of the Met's 2025 and 2026 records (no watchlist size, threshold, "
            "duration or outcome split). Kept exactly as compiled, one row per deployment, "
            "each citing the transcription line it comes from. Never edited by hand."
        ),
        "sources": [{"title": _REFERENCE_TITLE, "path": _REFERENCE_URL}],
        "columns": SECONDARY_ROW_COLUMNS,
    },
    {
        "path": OTHER_DEPLOYMENTS_FILE,
        "name": "other_deployments",
        "title": "Other LFR deployments for comparison: Met trials 2016-19, South Wales, news",
        "description": (
            "Met LFR trials 2016-2019 and South Wales Police deployments 2017-2023 from news, "
            "court and parliamentary sources, and news reports whose figures contradict the "
            "Met's table. Same columns as deployments.csv plus date_as_reported, source_date "
            "and notes; each row cites its own source_url."
        ),
        "sources": [{"title": title, "path": url} for title, url in OTHER_SOURCES],
        "columns": OTHER_DEPLOYMENT_COLUMNS,
    },
]

_COUNT_NAMES = [
    c.name for c in DEPLOYMENT_COLUMNS if c.kind == "int" and c.name != "duration_minutes"
]


# ------------------------------------------------------------------------------ loading


def load_deployments(
    include_secondary: bool = True, path: str | Path | None = None
) -> pd.DataFrame:
    """Load ``data/deployments.csv``: one row per Met LFR deployment.

    Parameters
    ----------
    include_secondary : bool
        Keep the rows from the third-party transcription (``source_type == "secondary"``,
        after 10 May 2025). False gives only rows read from the Met's own PDFs.
    path : str or pathlib.Path, optional
        Another copy of the file (for tests); default ``data/deployments.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns as in the file: counts as ``Int64`` (missing = ``<NA>``, never 0),
        ``date`` as ``datetime64``, ``threshold`` as float.

    Raises
    ------
    lfr_analysis.validation.DataValidationError
        Listing every problem (file, line, column, value).
    lfr_analysis.validation.ChecksumError
        When the file differs from ``data/datapackage.json``.
    """
    if not isinstance(include_secondary, bool):
        raise ValueError(f"include_secondary must be True or False, not {include_secondary!r}")
    path = Path(path) if path is not None else paths.data_dir() / DEPLOYMENTS_FILE
    frame = read_table(
        path, DEPLOYMENT_COLUMNS, unique=("deployment_id",), extra_checks=deployment_problems
    )
    if not include_secondary:
        frame = frame[frame["source_type"] == "primary"].reset_index(drop=True)
    return frame


def load_other_deployments(path: str | Path | None = None) -> pd.DataFrame:
    """Load ``data/other_deployments.csv`` (Met trials, South Wales, contradicting news).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Another copy of the file; default ``data/other_deployments.csv``.

    Returns
    -------
    pandas.DataFrame
        Same types as :func:`load_deployments`, plus ``date_as_reported``,
        ``source_date`` and ``notes``; ``date`` is missing when the source gives no day.
    """
    path = Path(path) if path is not None else paths.data_dir() / OTHER_DEPLOYMENTS_FILE
    return read_table(
        path, OTHER_DEPLOYMENT_COLUMNS, unique=("deployment_id",), extra_checks=deployment_problems
    )


def load_secondary_rows(path: str | Path | None = None) -> pd.DataFrame:
    """Load ``data/met_secondary_rows.csv``, the transcribed Met rows used by the build."""
    path = Path(path) if path is not None else paths.data_dir() / SECONDARY_ROWS_FILE
    return read_table(path, SECONDARY_ROW_COLUMNS, unique=("record_id",))


def deployment_problems(frame: pd.DataFrame, file_name: str) -> list[Problem]:
    """Check the relations between columns of a deployments table.

    Parameters
    ----------
    frame : pandas.DataFrame
        The converted table, indexed by file line.
    file_name : str
        Name used in the problems.

    Returns
    -------
    list of Problem
        Unknown flags; true + false != alerts on a row not flagged
        ``alert_split_inconsistent``; false alerts above faces seen; confirmed +
        unconfirmed parts that do not add up to their total; any count above faces seen.
    """
    problems: list[Problem] = []
    for line, row in frame.iterrows():
        flags = _split_flags(row["quality_flags"])
        for flag in flags:
            if flag not in QUALITY_FLAGS:
                problems.append(
                    Problem(file_name, line, "quality_flags", flag, "unknown quality flag")
                )
        problems.extend(_row_relation_problems(row, line, flags, file_name))
    return problems


def _split_flags(text) -> list[str]:
    if not isinstance(text, str) or text == "":
        return []
    return text.split(";")


def _known(*values) -> bool:
    return all(not pd.isna(v) for v in values)


def _row_relation_problems(row, line: int, flags: list[str], name: str) -> list[Problem]:
    problems = []
    alerts, true, false = row["alerts"], row["true_alerts"], row["false_alerts"]
    if _known(alerts, true, false) and true + false != alerts:
        if "alert_split_inconsistent" not in flags:
            problems.append(
                Problem(
                    name,
                    line,
                    "alerts",
                    alerts,
                    f"true_alerts {true} + false_alerts {false} != alerts {alerts}, and the "
                    "row is not flagged alert_split_inconsistent",
                )
            )
    faces = row["faces_seen"]
    if _known(false, faces) and false > faces:
        problems.append(
            Problem(
                name, line, "false_alerts", false, f"more false alerts than faces seen ({faces})"
            )
        )
    for stem in ("true_alerts", "false_alerts"):
        parts = row[f"{stem}_confirmed"], row[f"{stem}_unconfirmed"]
        if _known(row[stem], *parts) and parts[0] + parts[1] != row[stem]:
            problems.append(
                Problem(
                    name,
                    line,
                    stem,
                    row[stem],
                    f"{stem}_confirmed {parts[0]} + {stem}_unconfirmed {parts[1]} != {stem}",
                )
            )
    return problems


# ----------------------------------------------------------------------------- building

LONDON_BOROUGHS = (
    "Barking and Dagenham", "Barnet", "Bexley", "Brent", "Bromley", "Camden",
    "City of London", "Croydon", "Ealing", "Enfield", "Greenwich", "Hackney",
    "Hammersmith and Fulham", "Haringey", "Harrow", "Havering", "Hillingdon", "Hounslow",
    "Islington", "Kensington and Chelsea", "Kingston upon Thames", "Lambeth", "Lewisham",
    "Merton", "Newham", "Redbridge", "Richmond upon Thames", "Southwark", "Sutton",
    "Tower Hamlets", "Waltham Forest", "Wandsworth", "Westminster",
)  # fmt: skip

#: Short or variant borough names in the compiled rows -> official name.
BOROUGH_ALIASES = {
    "H&F": "Hammersmith and Fulham",
    "K&C": "Kensington and Chelsea",
    "Kensington & Chelsea": "Kensington and Chelsea",
    "Barking & Dagenham": "Barking and Dagenham",
    "Richmond": "Richmond upon Thames",
    "Kingston": "Kingston upon Thames",
}

NAMED_BASIS = "named in Met location text"
SAME_TEXT_BASIS = (
    "inferred: same location text as a transcribed Met row (transcriber's or compiler's assignment)"
)


def _location_key(location: str) -> str:
    return re.sub(r"\s+", " ", location.replace("\u2019", "'")).strip().lower()


def boroughs_by_location(secondary: pd.DataFrame | None) -> dict[str, str]:
    """Return location text -> borough from the transcribed rows, where unambiguous.

    Parameters
    ----------
    secondary : pandas.DataFrame or None
        :func:`load_secondary_rows`.

    Returns
    -------
    dict
        Lower-cased location text (curly apostrophes straightened) -> official borough
        name, for location texts always given the same borough.
    """
    if secondary is None:
        return {}
    found: dict[str, set[str]] = {}
    for location, borough in zip(secondary["location"], secondary["borough"], strict=True):
        if isinstance(borough, str) and borough:
            found.setdefault(_location_key(location), set()).add(
                BOROUGH_ALIASES.get(borough, borough)
            )
    return {key: next(iter(names)) for key, names in found.items() if len(names) == 1}


def named_borough(location: str) -> str | None:
    """Return the London borough whose full name appears in ``location``, if exactly one."""
    found = [b for b in LONDON_BOROUGHS if re.search(rf"\b{re.escape(b)}\b", location)]
    return found[0] if len(found) == 1 else None


def slug(text: str, max_length: int = 40) -> str:
    """Return a lower-case ASCII slug of ``text`` ("Rye Lane, Peckham" -> "rye-lane-peckham")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(words) > max_length:
        words = words[:max_length].rsplit("-", 1)[0]
    return words or "unknown"


def assign_ids(rows: list[dict], prefix: str = "MET") -> None:
    """Give each row a ``deployment_id`` from its date and location, in place.

    The id is ``PREFIX-YYYY-MM-DD-location-slug``; rows sharing date and location get
    ``-2``, ``-3`` ... in the order given.
    """
    seen: dict[str, int] = {}
    for row in rows:
        base = f"{prefix}-{row['date'].isoformat()}-{slug(row['location'])}"
        seen[base] = seen.get(base, 0) + 1
        row["deployment_id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"


def primary_rows(document, source, known_boroughs: dict[str, str] | None = None) -> list[dict]:
    """Turn a parsed PDF into rows of ``deployments.csv`` (without ids).

    Parameters
    ----------
    document : lfr_analysis.sources.met.ParsedDocument
    source : lfr_analysis.sources.met.SourceDocument
    known_boroughs : dict, optional
        :func:`boroughs_by_location`, used when the location names no borough.
    """
    known_boroughs = known_boroughs or {}
    rows = []
    for parsed in document.rows:
        row = {c.name: None for c in DEPLOYMENT_COLUMNS}
        row.update({k: v for k, v in parsed.values.items() if k in row})
        borough, basis = named_borough(row["location"]), NAMED_BASIS
        if borough is None:
            borough = known_boroughs.get(_location_key(row["location"]))
            basis = SAME_TEXT_BASIS
        row.update(
            force=FORCE,
            borough=borough,
            borough_basis=basis if borough else None,
            source_type="primary",
            source_table=(
                f"{document.file_name}, page {parsed.page}, deployment row {parsed.number}"
            ),
            source_url=source.url,
            quality_flags=";".join(parsed.flags) or None,
        )
        rows.append(row)
    return rows


def secondary_rows(frame: pd.DataFrame, after=None) -> list[dict]:
    """Turn ``met_secondary_rows.csv`` into rows of ``deployments.csv`` (without ids).

    Parameters
    ----------
    frame : pandas.DataFrame
        As returned by :func:`load_secondary_rows`.
    after : datetime.date, optional
        Keep only rows dated after this day (the last day the PDFs cover), so that a
        newer PDF supersedes the transcription.
    """
    rows = []
    for record in frame.itertuples(index=False):
        day = record.date.date()
        if after is not None and day <= after:
            continue
        row = {c.name: None for c in DEPLOYMENT_COLUMNS}
        for name in ("force", "location", "borough_basis", "purpose", "source_url"):
            row[name] = _text(getattr(record, name))
        for name in SECONDARY_COUNT_COLUMNS:
            value = getattr(record, name)
            row[name] = None if pd.isna(value) else int(value)
        borough = _text(record.borough)
        flags = ["secondary_transcription"]
        if "false_alerts basis: derived" in (_text(record.notes) or ""):
            flags.append("false_alerts_derived_from_rate")
        row.update(
            date=day,
            borough=BOROUGH_ALIASES.get(borough, borough),
            false_alert_rate_reported=_text(record.false_alert_rate_reported),
            source_type="secondary",
            source_table=(
                f"Met LFR deployment record {day.year} via third-party transcription "
                f"(compiled row {record.record_id}; {record.retrieved_via})"
            ),
            quality_flags=";".join(flags),
        )
        rows.append(row)
    return rows


def _text(value) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def build_deployments(documents, secondary: pd.DataFrame | None) -> pd.DataFrame:
    """Assemble ``deployments.csv`` from parsed PDFs and the transcribed secondary rows.

    Parameters
    ----------
    documents : list of (SourceDocument, ParsedDocument)
        The Met's PDFs, parsed, in chronological order of their tables.
    secondary : pandas.DataFrame or None
        :func:`load_secondary_rows`; rows on or before the last PDF date are left out.

    Returns
    -------
    pandas.DataFrame
        Rows sorted by date, then source order; columns as :data:`DEPLOYMENT_COLUMNS`.
    """
    rows: list[dict] = []
    known_boroughs = boroughs_by_location(secondary)
    for source, document in documents:
        rows.extend(primary_rows(document, source, known_boroughs))
    last_primary = max((row["date"] for row in rows), default=None)
    if secondary is not None:
        rows.extend(secondary_rows(secondary, after=last_primary))
    assign_ids(rows)
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["date"], i))
    return typed_frame([rows[i] for i in order], DEPLOYMENT_COLUMNS)


def typed_frame(rows: list[dict], columns: list[Column]) -> pd.DataFrame:
    """Return ``rows`` as a frame with the types the loaders give (``Int64`` counts)."""
    frame = pd.DataFrame(rows, columns=[c.name for c in columns])
    for column in columns:
        if column.kind == "int":
            frame[column.name] = pd.array(
                [None if pd.isna(v) else int(v) for v in frame[column.name]], dtype="Int64"
            )
        elif column.kind == "date":
            frame[column.name] = pd.to_datetime(frame[column.name])
        elif column.kind == "float":
            frame[column.name] = frame[column.name].astype("float64")
    return frame


def format_cell(value) -> str:
    """Return the CSV text of one value: blank for missing, ISO for dates, no '.0' on ints."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)


def table_text(frame: pd.DataFrame) -> str:
    """Return ``frame`` as deterministic CSV text (UTF-8, ``\\n`` line ends, minimal quoting).

    Integer columns must be ``Int64`` (see :func:`typed_frame`) so counts print as ``12``.
    """
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(frame.columns))
    for record in frame.astype(object).itertuples(index=False):
        writer.writerow([format_cell(v) for v in record])
    return buffer.getvalue()


# ---------------------------------------------------------------------------- summaries


def split_flags(flags: pd.Series) -> pd.DataFrame:
    """Return one (row index, flag) pair per flag set in a ``quality_flags`` column."""
    pairs = [
        (index, flag)
        for index, text in flags.items()
        if isinstance(text, str) and text
        for flag in text.split(";")
    ]
    return pd.DataFrame(pairs, columns=["row", "flag"])


def flag_counts(deployments: pd.DataFrame) -> pd.DataFrame:
    """Count the rows carrying each quality flag, by source type, with the flag's meaning.

    Parameters
    ----------
    deployments : pandas.DataFrame
        As returned by :func:`load_deployments` or :func:`load_other_deployments`.

    Returns
    -------
    pandas.DataFrame
        Indexed by flag: one column of row counts per source type, and ``meaning``.
    """
    pairs = split_flags(deployments["quality_flags"])
    pairs["source_type"] = deployments.loc[pairs["row"], "source_type"].to_numpy()
    table = pairs.pivot_table(
        index="flag", columns="source_type", values="row", aggfunc="count", fill_value=0
    )
    table.columns.name = None
    table["meaning"] = [QUALITY_FLAGS[flag] for flag in table.index]
    return table


def monthly_activity(deployments: pd.DataFrame) -> pd.DataFrame:
    """Deployments, faces seen and alerts per calendar month and source type.

    Parameters
    ----------
    deployments : pandas.DataFrame
        As returned by :func:`load_deployments`.

    Returns
    -------
    pandas.DataFrame
        One row per (month, source_type) with ``deployments``, and for each of
        ``faces_seen``, ``alerts``, ``false_alerts`` the sum over rows where it is known
        and the number of rows where it is unknown (``<name>_unknown``): unknown counts
        are never treated as 0.
    """
    frame = deployments.assign(month=deployments["date"].dt.to_period("M"))
    grouped = frame.groupby(["month", "source_type"])
    result = grouped.size().rename("deployments").to_frame()
    for name in ("faces_seen", "alerts", "false_alerts"):
        result[name] = grouped[name].sum(min_count=1).astype("Int64")
        result[f"{name}_unknown"] = grouped[name].agg(lambda s: int(s.isna().sum()))
    return result.reset_index()


def coverage(deployments: pd.DataFrame) -> pd.DataFrame:
    """Rows, dates and how many rows carry each key field, per source document.

    Returns
    -------
    pandas.DataFrame
        One row per source (the PDF file name, or 'secondary transcription') with
        ``source_type``, ``rows``, ``first``, ``last`` and the number of rows with a known
        ``watchlist_size``, ``threshold``, ``faces_seen``, ``false_alerts``,
        ``true_alerts``, ``arrests``.
    """
    document = deployments["source_table"].str.split(",").str[0]
    document = document.where(deployments["source_type"] == "primary", "secondary transcription")
    frame = deployments.assign(document=document)
    known = ["watchlist_size", "threshold", "faces_seen", "false_alerts", "true_alerts", "arrests"]
    grouped = frame.groupby("document", sort=False)
    result = grouped.agg(
        source_type=("source_type", "first"),
        rows=("deployment_id", "size"),
        first=("date", "min"),
        last=("date", "max"),
    )
    for name in known:
        result[f"with_{name}"] = grouped[name].agg(lambda s: int(s.notna().sum()))
    return result


def settings_by_threshold(deployments: pd.DataFrame) -> pd.DataFrame:
    """First and last date, deployments and watchlist range for each threshold setting.

    Only rows with a printed threshold (the Met's PDFs from 2023) are counted.
    """
    frame = deployments.dropna(subset=["threshold"])
    return frame.groupby("threshold").agg(
        deployments=("deployment_id", "size"),
        first=("date", "min"),
        last=("date", "max"),
        watchlist_min=("watchlist_size", "min"),
        watchlist_max=("watchlist_size", "max"),
    )


def plot_monthly_activity(activity: pd.DataFrame, colours: dict[str, str]):
    """Plot deployments, faces seen and alerts per month, primary and secondary stacked.

    Parameters
    ----------
    activity : pandas.DataFrame
        :func:`monthly_activity`.
    colours : dict
        Colour per source type (``"primary"``, ``"secondary"``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    months = pd.period_range(activity["month"].min(), activity["month"].max(), freq="M")
    x = months.to_timestamp()
    panels = [
        ("deployments", "Deployments per month"),
        ("faces_seen", "Faces seen per month (Met estimate)"),
        ("alerts", "Alerts per month"),
    ]
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 7.5), sharex=True)
    for ax, (column, title) in zip(axes, panels, strict=True):
        bottom = pd.Series(0.0, index=months)
        for source in ("primary", "secondary"):
            part = activity[activity["source_type"] == source].set_index("month")[column]
            values = part.reindex(months).astype("Float64").fillna(0).astype(float)
            ax.bar(x, values, width=25, bottom=bottom, color=colours[source], label=source)
            bottom = bottom + values
        ax.set_title(title, loc="left")
    axes[0].legend(title="source_type", loc="upper left")
    fig.tight_layout()
    return fig


def plot_settings(deployments: pd.DataFrame, colours: dict[str, str]):
    """Plot watchlist size and threshold setting of each primary deployment over time.

    Rows flagged ``watchlist_size_outlier`` or ``date_out_of_sequence`` are circled; the
    threshold's step line skips rows whose date is out of sequence.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    frame = deployments[deployments["source_type"] == "primary"]
    flags = frame["quality_flags"].fillna("")
    odd = flags.str.contains("watchlist_size_outlier|date_out_of_sequence")
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6), sharex=True)
    top.plot(frame["date"], frame["watchlist_size"], ".", color=colours["primary"])
    top.plot(
        frame.loc[odd, "date"],
        frame.loc[odd, "watchlist_size"],
        "o",
        mfc="none",
        color=colours["secondary"],
        label="flagged (outlier or out-of-sequence date)",
    )
    top.set_ylabel("watchlist size (people)")
    top.set_title("Watchlist size per deployment", loc="left")
    top.legend(loc="upper left")
    dated = frame[~flags.str.contains("date_out_of_sequence")]
    bottom.step(dated["date"], dated["threshold"], where="post", color=colours["primary"])
    bottom.plot(frame["date"], frame["threshold"], ".", color=colours["primary"])
    bottom.plot(
        frame.loc[odd, "date"],
        frame.loc[odd, "threshold"],
        "o",
        mfc="none",
        color=colours["secondary"],
    )
    bottom.set_yticks([0.60, 0.62, 0.64])
    bottom.set_ylabel("minimum threshold setting")
    bottom.set_title("Threshold setting per deployment (printed from 2023)", loc="left")
    fig.tight_layout()
    return fig
