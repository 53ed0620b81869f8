"""/catalog.json against its JSON Schema, and the data package: valid for frictionless,
the same rows as the catalog, and a build that stops on an invalid package."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import frictionless
import jsonschema
import pytest

from microcred.build import workers
from microcred.content.model import Catalog
from microcred.reporting.errors import BuildError
from microcred.site import catalog_data

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://catalog.example.edu"


@pytest.fixture(scope="module")
def published(sample_catalog) -> Catalog:
    return sample_catalog.published()


def rows(site: Path, table: str) -> list[dict[str, str]]:
    with (site / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_catalog_json_is_valid_against_its_schema(sample_site):
    schema = json.loads((ROOT / "schema" / "catalog.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    document = json.loads((sample_site / "catalog.json").read_text())
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert [error.message for error in validator.iter_errors(document)] == []
    assert (sample_site / "data" / "catalog.schema.json").read_bytes() == (
        ROOT / "schema" / "catalog.schema.json"
    ).read_bytes()


def test_catalog_json_holds_the_published_catalog(sample_site, published):
    document = json.loads((sample_site / "catalog.json").read_text())
    assert document["$schema"] == f"{BASE}/data/catalog.schema.json"
    assert [c["slug"] for c in document["credentials"]] == [c.slug for c in published.credentials]
    assert "solar-pv-installation" not in {c["slug"] for c in document["credentials"]}
    assert [i["id"] for i in document["institutions"]] == [i.id for i in published.institutions]
    assert [p["slug"] for p in document["pathways"]] == [p.slug for p in published.pathways]
    writing = next(c for c in document["credentials"] if c["slug"] == "technical-writing")
    assert writing["criteria_url"] == f"{BASE}/credentials/technical-writing/v2/#criteria"
    assert [v["version"] for v in writing["versions"]] == [1, 2]
    assert writing["versions"][0]["achievement"] == (
        f"{BASE}/credentials/technical-writing/v1/achievement.json"
    )
    assert writing["outcomes"][0] == dataclasses.asdict(
        published.credential_by_slug["technical-writing"].outcomes[0]
    )


def test_data_package_is_valid_for_frictionless(sample_site):
    report = frictionless.validate(str(sample_site / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    descriptor = json.loads((sample_site / "data" / "datapackage.json").read_text())
    assert [r["name"] for r in descriptor["resources"]] == [
        "institutions",
        "programs",
        "credentials",
        "outcomes",
        "courses",
        "skills",
        "offerings",
        "cost_tiers",
        "certifications",
        "stacking",
        "pathways",
        "pathway_steps",
    ]
    outcomes = next(r for r in descriptor["resources"] if r["name"] == "outcomes")
    assert outcomes["schema"]["primaryKey"] == ["credential", "position"]
    assert outcomes["schema"]["foreignKeys"] == [
        {"fields": ["credential"], "reference": {"resource": "credentials", "fields": ["slug"]}}
    ]


def test_csv_rows_equal_the_catalog(sample_site, published):
    assert [r["slug"] for r in rows(sample_site, "credentials")] == [
        c.slug for c in published.credentials
    ]
    assert [tuple(r.values()) for r in rows(sample_site, "outcomes")] == [
        (c.slug, str(n), o.outcome, o.assessment)
        for c in published.credentials
        for n, o in enumerate(c.outcomes, start=1)
    ]
    assert [(r["credential"], r["code"], r["title"]) for r in rows(sample_site, "courses")] == [
        (c.slug, k.code, k.title) for c in published.credentials for k in c.courses
    ]
    assert [(r["credential"], r["name"], r["url"]) for r in rows(sample_site, "skills")] == [
        (c.slug, s.name, s.url or "") for c in published.credentials for s in c.skills
    ]
    assert [(r["credential"], r["program"], r["via"]) for r in rows(sample_site, "stacking")] == [
        (c.slug, s.program, s.via or "") for c in published.credentials for s in c.stacks_into
    ]
    assert [(r["pathway"], r["credential"]) for r in rows(sample_site, "pathway_steps")] == [
        (p.slug, s.credential) for p in published.pathways for s in p.steps
    ]
    osha = next(r for r in rows(sample_site, "credentials") if r["slug"].startswith("osha-10"))
    assert osha["credit_bearing"] == "false"
    assert osha["delivery"] == "in-person; hybrid"
    assert osha["url"] == f"{BASE}/credentials/osha-10-construction-safety/"


@pytest.fixture
def outcomes_twice(monkeypatch):
    """Every credential's outcome rows written twice: a package the validator refuses."""
    outcomes = next(table for table in catalog_data.TABLES if table.name == "outcomes")
    duplicated = dataclasses.replace(
        outcomes, rows=lambda catalog, credential: [*outcomes.rows(catalog, credential)] * 2
    )
    tables = tuple(duplicated if t is outcomes else t for t in catalog_data.TABLES)
    monkeypatch.setattr(catalog_data, "TABLES", tables)


def test_an_invalid_package_stops_the_build_with_the_errors(published, tmp_path, outcomes_twice):
    with pytest.raises(BuildError, match="the data package in data/ is not valid") as raised:
        catalog_data.write_data(published, tmp_path)
    count = len(published.credentials[0].outcomes)
    assert (
        f'outcomes: Row at position "{count + 2}" violates the primary key: '
        "the same as in the row at position 2\n" in str(raised.value)
    )


def test_the_background_validation_stops_the_build_with_the_errors(
    published, tmp_path, monkeypatch, outcomes_twice
):
    """In a build the package is validated in a process of its own while the pages are
    written (``workers.in_background(fresh=True)``); what it finds stops the build."""
    monkeypatch.setenv("MICROCRED_WORKERS", "2")
    invalid = pytest.raises(BuildError, match="the data package in data/ is not valid")
    with invalid as raised, workers.background_jobs():
        catalog_data.write_data(published, tmp_path)
    assert "violates the primary key" in str(raised.value)


def test_an_interpreter_made_ready_ahead_validates_and_its_errors_stop_the_build(
    published, tmp_path, monkeypatch, outcomes_twice
):
    """An edit's build starts the validation's interpreter before its check
    (``workers.ready_interpreter``); the validation runs in that one, and what it finds
    still stops the build."""
    monkeypatch.setenv("MICROCRED_WORKERS", "2")
    invalid = pytest.raises(BuildError, match="the data package in data/ is not valid")
    with workers.ready_interpreter(*catalog_data.VALIDATED_WITH):
        (ready,) = workers._ready
        with invalid as raised, workers.background_jobs():
            catalog_data.write_data(published, tmp_path)
        assert workers._ready == [], "the validation took the ready interpreter"
    assert ready.process.returncode == 0
    assert "violates the primary key" in str(raised.value)


def test_a_ready_interpreter_no_job_took_ends_with_its_block(monkeypatch):
    monkeypatch.setenv("MICROCRED_WORKERS", "2")
    with workers.ready_interpreter("json"):
        (ready,) = workers._ready
    assert ready.process.poll() is not None
    assert workers._ready == []
    with workers.ready_interpreter("json", wanted=False):
        assert workers._ready == [], "not wanted: nothing started"


def test_a_ready_interpreter_that_has_ended_is_replaced_for_the_job(monkeypatch):
    """Its imports failed (or it was killed): the job runs in a new interpreter."""
    monkeypatch.setenv("MICROCRED_WORKERS", "2")
    with workers.ready_interpreter("no_such_module_for_this_test"):
        (ready,) = workers._ready
        ready.process.wait()
        with workers.background_jobs():
            workers.in_background(json.dumps, [1], fresh=True)
            (job,) = workers._background
            assert job is not ready
        assert workers._ready == []


def test_data_files_are_byte_identical_between_builds(published, tmp_path):
    first = catalog_data.write_data(published, tmp_path / "a")
    second = catalog_data.write_data(published, tmp_path / "b")
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))


def test_catalog_json_is_the_catalog_document_as_compact_json(published, tmp_path):
    """catalog.json is assembled from each credential's cached entry; the result must be
    exactly the whole document encoded at once."""
    catalog_data.write_data(published, tmp_path)
    expected = catalog_data.compact_json(catalog_data.catalog_document(published)) + "\n"
    assert (tmp_path / "catalog.json").read_text(encoding="utf-8") == expected


def test_catalog_json_names_every_versions_badge_ids_as_the_badge_files_do(sample_site):
    """What the badge check page (/verify/) matches a badge by: each version's BadgeClass
    and Achievement id and criteria URL, exactly as the published badge files state them."""
    document = json.loads((sample_site / "catalog.json").read_text())
    for credential in document["credentials"]:
        for version in credential["versions"]:
            folder = sample_site / version["badgeclass"].removeprefix(BASE + "/")
            badgeclass = json.loads(folder.read_text())
            achievement_file = sample_site / version["achievement"].removeprefix(BASE + "/")
            achievement = json.loads(achievement_file.read_text())
            assert badgeclass["id"] == version["badgeclass"]
            assert achievement["id"] == version["achievement"]
            assert badgeclass["criteria"]["id"] == version["criteria_url"]
            assert achievement["criteria"]["id"] == version["criteria_url"]
            csv_file = version["bulk_issue_template"].removeprefix(BASE + "/")
            assert (sample_site / csv_file).is_file()
