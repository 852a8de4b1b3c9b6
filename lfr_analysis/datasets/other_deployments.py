"""``data/other_deployments.csv``: LFR deployments outside the Met's own record.

Met LFR trials 2016-2019 and South Wales Police deployments 2017-2023 from news, court and
parliamentary sources, and news reports whose figures contradict the Met's table. Same
columns as ``deployments.csv`` plus ``date_as_reported``, ``source_date`` and ``notes``;
each row cites its own ``source_url``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lfr_analysis.datasets import deployments
from lfr_analysis.datasets.dataset import Dataset
from lfr_analysis.datasets.reader import Column

__all__ = ["COLUMNS", "DATASET", "FILE", "SOURCES", "load"]

FILE = "other_deployments.csv"

COLUMNS: list[Column] = [
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
        for c in deployments.BASE_COLUMNS
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

#: The sources cited by the rows of the file (each row names its own).
SOURCES: tuple[tuple[str, str], ...] = (
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

DATASET = Dataset(
    file=FILE,
    name="other_deployments",
    title="Other LFR deployments for comparison: Met trials 2016-19, South Wales, news",
    description=(
        "Met LFR trials 2016-2019 and South Wales Police deployments 2017-2023 from news, "
        "court and parliamentary sources, and news reports whose figures contradict the "
        "Met's table. Same columns as deployments.csv plus date_as_reported, source_date "
        "and notes; each row cites its own source_url."
    ),
    sources=tuple({"title": title, "path": url} for title, url in SOURCES),
    columns=COLUMNS,
    unique=("deployment_id",),
    checks=deployments.deployment_problems,
)


def load(path: str | Path | None = None, *, verify_checksum: bool = True) -> pd.DataFrame:
    """Load ``data/other_deployments.csv`` (Met trials, South Wales, contradicting news).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Another copy of the file; default ``data/other_deployments.csv``.
    verify_checksum : bool
        Check the file against ``data/datapackage.json``.

    Returns
    -------
    pandas.DataFrame
        Same types as :func:`lfr_analysis.datasets.deployments.load`, plus
        ``date_as_reported``, ``source_date`` and ``notes``; ``date`` is missing when the
        source gives no day.
    """
    return DATASET.read(path, verify_checksum=verify_checksum)
