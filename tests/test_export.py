"""``lfr-analysis data export``: every format gives back the loaded values, with codebooks."""

import pandas as pd
import pytest

from lfr_analysis import cli, datasets, export, paths
from lfr_analysis.datasets import manifest

pytest.importorskip("pyarrow", reason="the export extra is not installed")
pytest.importorskip("openpyxl", reason="the export extra is not installed")

RESOURCES = manifest.read_manifest()["resources"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    export.export(output=folder, log=lambda line: None)
    return folder


def normal(series: pd.Series, kind: str) -> list:
    """The values of a column as plain Python objects, whatever format they came back from."""
    values = [
        None
        if v is None or (isinstance(v, str) and v == "") or (not isinstance(v, str) and pd.isna(v))
        else v
        for v in series.astype(object)
    ]
    if kind == "string":
        return [None if v is None else str(v) for v in values]
    if kind == "integer":
        return [None if v is None else int(float(v)) for v in values]
    if kind == "number":
        return [None if v is None else float(v) for v in values]
    if kind == "date":
        return [None if v is None else pd.Timestamp(v).strftime("%Y-%m-%d") for v in values]
    if kind == "boolean":
        truth = {"true": True, "false": False, "1": True, "0": False}
        return [None if v is None else truth.get(str(v).lower(), v) for v in values]
    raise AssertionError(f"unknown field type {kind}")


def read_back(path, fmt: str) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    if fmt == "parquet":
        return pd.read_parquet(path)
    if fmt == "xlsx":
        return pd.read_excel(path, sheet_name="data", keep_default_na=False)
    if fmt == "dta":
        return pd.read_stata(path)
    raise AssertionError(fmt)


@pytest.mark.parametrize("fmt", export.FORMATS)
@pytest.mark.parametrize("resource", RESOURCES, ids=[r["name"] for r in RESOURCES])
def test_each_format_round_trips_the_values(exported, resource, fmt):
    original = datasets.load(resource["name"])
    back = read_back(exported / f"{export.file_stem(resource)}.{fmt}", fmt)
    names = export.stata_names(list(original.columns)) if fmt == "dta" else {}
    assert list(back.columns) == [names.get(c, c) for c in original.columns]
    assert len(back) == len(original)
    for field in resource["schema"]["fields"]:
        column = field["name"]
        got = normal(back[names.get(column, column)], field["type"])
        assert got == normal(original[column], field["type"]), f"{fmt}: {column} differs"


def test_csv_export_keeps_the_data_files_conventions(exported):
    """ISO dates, true/false, blank missing values, \\n line ends: most files come out equal."""
    same = [
        r["path"]
        for r in RESOURCES
        if (exported / r["path"]).read_bytes() == (paths.data_dir() / r["path"]).read_bytes()
    ]
    assert "deployments.csv" in same and len(same) >= len(RESOURCES) - 1, same


def test_stata_labels_and_value_labels(exported):
    with pd.io.stata.StataReader(exported / "deployments.dta") as reader:
        reader.read()
        labels = reader.value_labels()
        variables = reader.variable_labels()
        data_label = reader.data_label
    assert labels["source_type"] == {0: "primary", 1: "secondary"}
    assert all(0 < len(text) <= 80 for text in variables.values()), variables
    assert variables["faces_seen"].startswith("Faces seen")
    assert data_label.startswith("Metropolitan Police LFR deployments")
    with pd.io.stata.StataReader(exported / "offence_taxonomy.dta") as reader:
        reader.read()
        booleans = [v for v in reader.value_labels().values() if v == {0: "false", 1: "true"}]
    assert booleans, "boolean columns carry false/true labels"


def test_stata_writes_non_ascii_text(tmp_path):
    text = ["Croydon – café", "£1 · Ünïcödé", "الشرطة", None]
    frame = pd.DataFrame(
        {
            "place": text,
            "kind": ["primary", "secondary", "primary", None],
            "seen": pd.array([1, None, 3, 4], dtype="Int64"),
        }
    )
    resource = {
        "name": "sample",
        "path": "sample.csv",
        "title": "Données d'essai – sample",
        "schema": {
            "fields": [
                {"name": "place", "type": "string", "description": "Lieu – où"},
                {
                    "name": "kind",
                    "type": "string",
                    "constraints": {"enum": ["primary", "secondary"]},
                },
                {"name": "seen", "type": "integer", "description": "Faces seen"},
            ]
        },
    }
    target = tmp_path / "sample.dta"
    export.write_dta(frame, resource, target)
    back = pd.read_stata(target)
    assert back["place"].tolist() == ["Croydon – café", "£1 · Ünïcödé", "الشرطة", ""]
    assert back["kind"].astype(object).where(back["kind"].notna(), None).tolist() == [
        "primary",
        "secondary",
        "primary",
        None,
    ]
    with pd.io.stata.StataReader(target) as reader:
        reader.read()
        assert reader.variable_labels()["place"] == "Lieu – où"
        assert reader.data_label == "Données d'essai – sample"


def test_a_value_outside_the_declared_list_stays_text(tmp_path):
    frame = pd.DataFrame({"kind": ["primary", "unexpected"]})
    fields = [{"name": "kind", "type": "string", "constraints": {"enum": ["primary"]}}]
    resource = {"name": "s", "path": "s.csv", "schema": {"fields": fields}}
    export.write_dta(frame, resource, tmp_path / "s.dta")
    assert pd.read_stata(tmp_path / "s.dta")["kind"].tolist() == ["primary", "unexpected"]


def test_excel_keeps_formula_like_text_as_text(tmp_path):
    frame = pd.DataFrame({"note": ["=1+1", "plain"]})
    resource = {
        "name": "s",
        "path": "s.csv",
        "schema": {"fields": [{"name": "note", "type": "string"}]},
    }
    export.write_xlsx(frame, resource, tmp_path / "s.xlsx")
    from openpyxl import load_workbook

    cell = load_workbook(tmp_path / "s.xlsx")["data"]["A2"]
    assert cell.value == "=1+1" and cell.data_type == "s"


def test_codebook_beside_each_export_lists_every_field(exported):
    for resource in RESOURCES:
        text = (exported / f"{export.file_stem(resource)}.codebook.md").read_text(encoding="utf-8")
        assert resource["hash"] in text
        for field in resource["schema"]["fields"]:
            assert f"`{field['name']}`" in text
    deployments = (exported / "deployments.codebook.md").read_text(encoding="utf-8")
    assert "0 = primary; 1 = secondary" in deployments
    workbook = pd.read_excel(exported / "deployments.xlsx", sheet_name="codebook")
    assert workbook["variable"].tolist() == [f["name"] for f in RESOURCES[0]["schema"]["fields"]]


def test_parquet_fields_carry_their_descriptions(exported):
    import pyarrow.parquet as pq

    schema = pq.read_schema(exported / "deployments.parquet")
    assert schema.field("faces_seen").metadata[b"unit"] == b"faces"
    assert b"datapackage_resource" in schema.metadata


def test_missing_optional_package_is_named_before_anything_is_written(monkeypatch, tmp_path):
    real = export.importlib.util.find_spec
    monkeypatch.setattr(
        export.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "pyarrow" else real(name, *a),
    )
    with pytest.raises(export.ExportError, match=r"pyarrow is needed for parquet.*\[export\]"):
        export.export(["csv", "parquet"], tmp_path / "out")
    assert not (tmp_path / "out").exists()
    export.export(["csv"], tmp_path / "out", ["deployments"], log=lambda line: None)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "deployments.codebook.md",
        "deployments.csv",
    ]


def test_command_line_both_spellings_and_default_folder(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("LFR_BUILD_DIR", str(tmp_path / "build"))
    assert cli.main(["data", "export", "--format", "stata", "--resource", "offence-taxonomy"]) == 0
    assert (tmp_path / "build" / "export" / "offence_taxonomy.dta").is_file()
    assert cli.main(["export", "--format", "excel,csv", "--output", str(tmp_path / "x")]) == 0
    assert (tmp_path / "x" / "deployments.xlsx").is_file()
    assert "wrote" in capsys.readouterr().out
    assert cli.main(["data", "export", "--format", "sav"]) == 1
    assert "unknown format 'sav'" in capsys.readouterr().err
    assert cli.main(["data", "export", "--resource", "nope"]) == 1
    assert "unknown data resource" in capsys.readouterr().err


def test_stata_names_are_valid_and_unique():
    names = export.stata_names(["a-b", "1st", "x" * 40, "x" * 40 + "y", "ok"])
    assert list(names.values()) == ["a_b", "_1st", "x" * 32, "x" * 30 + "_2", "ok"]
