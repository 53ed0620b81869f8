"""A build on many machines: institution jobs and an assemble give the one-machine site.

The fixture ``tests/sites/three-campuses`` is the ``full`` catalog (two institutions, a
frozen criteria version, a renamed credential) plus the ``minimal`` one's Lakeside
Technical College (a third institution, with a pathway and a renamed credential of its
own). Each test builds it once on one machine and once as one job per institution plus
``assemble``, and compares (see docs/sharded-builds.md).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import files_of
from test_search_shards import filter_contents, unordered

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "sites" / "three-campuses" / "content"
IDS = ["great-river-state-university", "lakeside", "prairie-lakes-college"]
PER_CREDENTIAL_TABLES = [
    *["credentials", "outcomes", "courses", "skills", "offerings", "cost_tiers"],
    *["certifications", "stacking"],
]
LISTING = "The institution ids (file names in institutions/) are: " + ", ".join(IDS)


def run(*args: str, cwd: Path):
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def same_site(one: dict[str, bytes], other: dict[str, bytes]) -> bool:
    """Byte-identical, apart from the files Pagefind writes in hash-map order, whose
    content must still be the same (docs/reproducibility.md)."""
    stable = sorted(name for name in one if not unordered(name))
    assert stable == sorted(name for name in other if not unordered(name))
    assert len(one) == len(other)
    assert [name for name in stable if one[name] != other[name]] == []
    assert filter_contents(one) == filter_contents(other)
    return True


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The catalog in a temporary folder, built whole and as three parts."""
    root = tmp_path_factory.mktemp("three-campuses")
    shutil.copytree(FIXTURE, root / "content")
    whole = run("build", "--no-cache", "--output", "whole", cwd=root)
    assert whole.returncode == 0, whole.stderr
    for institution in IDS:
        job = run("build", "--institution", institution, cwd=root)
        assert job.returncode == 0, job.stderr
    spanning = run("build", "--spanning", cwd=root)
    assert spanning.returncode == 0, spanning.stderr
    return root


def test_institutions_lists_the_ids_for_a_ci_matrix(built):
    listed = run("institutions", "--json", cwd=built)
    assert (listed.returncode, listed.stdout, listed.stderr) == (0, json.dumps(IDS) + "\n", "")
    assert run("institutions", cwd=built).stdout == "\n".join(IDS) + "\n"


def test_an_institution_job_writes_only_its_institutions_files(built):
    part = files_of(built / "_parts" / "lakeside")
    record = json.loads(part.pop("microcred-part.json"))
    assert record["institutions"] == ["lakeside"]
    pieces = {name: part.pop(name) for name in list(part) if name.startswith("data-parts/")}
    assert sorted(record["files"]) == sorted(part)  # the pieces are not files of the site
    assert sorted(pieces) == sorted(
        [
            "data-parts/catalog.json.pieces",
            *(f"data-parts/{table}.csv.pieces" for table in PER_CREDENTIAL_TABLES),
            "data-parts/layout.json",
        ]
    )
    layout = json.loads(pieces["data-parts/layout.json"])
    assert layout["credentials"] == ["mig-welding", "office-communication"]  # catalog order
    entries = pieces["data-parts/catalog.json.pieces"]
    ends = layout["files"][0]["ends"]
    assert (layout["files"][0]["file"], len(ends), ends[-1]) == ("catalog.json", 2, len(entries))
    whole = json.loads((built / "whole" / "catalog.json").read_text())["credentials"]
    by_slug = {c["slug"]: c for c in whole}
    split = [entries[: ends[0]], entries[ends[0] :]]
    assert [json.loads(piece) for piece in split] == [by_slug[s] for s in layout["credentials"]]
    folders = {name.rsplit("/", 1)[0] for name in part if "/" in name}
    assert {f.split("/v")[0] for f in folders if f.startswith("credentials/")} == {
        "credentials/mig-welding",
        "credentials/office-communication",
        "credentials/intro-to-welding",  # mig-welding's earlier slug: redirects, badges
    }
    assert "institutions/lakeside/index.html" in part
    assert "institutions/lakeside/issuer.json" in part
    assert "pathways/into-welding/index.html" in part
    assert "credentials/mig-welding/v1/index.html" in part
    assert "credentials/mig-welding/ctdl.json" in part
    assert "credentials/mig-welding/bulk-issue-template.csv" in part
    for spanning in ("index.html", "catalog.json", "sitemap.xml", "feed.xml", "robots.txt"):
        assert spanning not in part
    assert not [name for name in part if name.startswith(("assets/", "data/", "guide/"))]
    assert "institutions/index.html" not in part


def test_the_parts_assembled_are_byte_identical_to_a_one_machine_build(built):
    parts = [f"_parts/{institution}" for institution in IDS]
    done = run("assemble", *parts, "--output", "assembled", cwd=built)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-2].startswith("Assembled 3 parts (")
    assert ": 19 credentials into assembled: 76 pages, " in done.stderr.splitlines()[-2]
    assert same_site(files_of(built / "assembled"), files_of(built / "whole"))


def test_the_spanning_job_writes_what_spans_institutions_and_no_institutions_files(built):
    part = files_of(built / "_parts" / "spanning")
    record = json.loads(part.pop("microcred-part.json"))
    assert (record["institutions"], record["spanning"]) == ([], True)
    assert record["catalog"] == {
        "institutions": IDS,
        "credentials": 19,
        "base_url": "https://catalog.example.edu",
    }
    assert {"index.html", "sitemap.xml", "feed.xml", "robots.txt"} <= set(part)
    assert {"institutions/index.html", "pathways/index.html", "data/datapackage.json"} <= set(part)
    # The per-credential data is the institution jobs' pieces, which assemble joins in the
    # order the spanning part's frame gives; the small tables are the spanning job's.
    assert "catalog.json" not in part
    assert not [
        f"data/{table}.csv" for table in PER_CREDENTIAL_TABLES if f"data/{table}.csv" in part
    ]
    assert {"data/institutions.csv", "data/programs.csv", "data/pathway_steps.csv"} <= set(part)
    frame = json.loads(part["data-parts/frame.json"])
    whole = (built / "whole" / "catalog.json").read_text()
    assert whole.startswith(frame["before"]) and whole.endswith(frame["after"])
    assert len(frame["order"]) == 19
    assert ["mig-welding", "lakeside"] in frame["order"]
    assert not [name for name in part if name.startswith("credentials/")]
    assert not [name for name in part if name.startswith("institutions/lakeside/")]


def test_with_the_spanning_part_assemble_only_joins_and_the_site_is_the_same(built):
    parts = [*(f"_parts/{institution}" for institution in IDS), "_parts/spanning"]
    done = run("assemble", *parts, "--output", "joined", cwd=built)
    assert done.returncode == 0, done.stderr
    assert "  check:" not in done.stderr  # the spanning job checked this very content
    assert "  search:" not in done.stderr  # the parts brought every shard and the list
    assert done.stderr.splitlines()[-1].startswith("Assembled 4 parts (")
    assert ": 19 credentials into joined: 0 pages, " in done.stderr.splitlines()[-1]
    assert same_site(files_of(built / "joined"), files_of(built / "whole"))


def test_assemble_refuses_two_spanning_parts(built):
    shutil.copytree(built / "_parts" / "spanning", built / "spanning-again", dirs_exist_ok=True)
    parts = [*(f"_parts/{i}" for i in IDS), "_parts/spanning", "spanning-again"]
    assert assemble_refusal(built, *parts) == [
        "error: cannot assemble the site; the output is unchanged:",
        "  _parts/spanning and spanning-again both hold the outputs that span institutions; "
        "pass one `build --spanning` part",
    ]


def test_with_the_spanning_part_a_missing_institution_is_still_named(built):
    parts = ["_parts/lakeside", "_parts/prairie-lakes-college", "_parts/spanning"]
    assert assemble_refusal(built, *parts)[1:] == [
        '  no part holds institution "great-river-state-university"; build it with '
        "`python build.py build --institution great-river-state-university` "
        "and pass its --output",
    ]


def test_an_unknown_institution_lists_the_ids_and_the_closest(built):
    done = run("build", "--institution", "lakesid", cwd=built)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        f'error: there is no institution "lakesid" in the catalog; did you mean "lakeside"? '
        f"{LISTING}"
    )
    done = run("build", "--institution", "north-shore", cwd=built)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        f'error: there is no institution "north-shore" in the catalog. {LISTING}'
    )
    assert "Traceback" not in done.stderr
    assert not (built / "_parts" / "lakesid").exists()


def assemble_refusal(built: Path, *parts: str) -> list[str]:
    """What assemble says when it refuses, having left the site as it was."""
    (built / "site").mkdir(exist_ok=True)
    (built / "site" / "index.html").write_text("the last good site\n")
    done = run("assemble", *parts, "--no-search", "--output", "site", cwd=built)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert (built / "site" / "index.html").read_text() == "the last good site\n"
    assert sorted(p.name for p in (built / "site").iterdir()) == ["index.html"]
    lines = done.stderr.splitlines()
    return lines[lines.index(next(x for x in lines if x.startswith("error: "))) :]


def test_assemble_refuses_a_missing_part(built):
    assert assemble_refusal(built, "_parts/lakeside", "_parts/prairie-lakes-college") == [
        "error: cannot assemble the site; the output is unchanged:",
        '  no part holds institution "great-river-state-university"; build it with '
        "`python build.py build --institution great-river-state-university` "
        "and pass its --output",
    ]


def test_assemble_refuses_an_institution_in_two_parts(built):
    shutil.copytree(built / "_parts" / "lakeside", built / "lakeside-again", dirs_exist_ok=True)
    parts = [f"_parts/{i}" for i in IDS]
    assert assemble_refusal(built, *parts, "lakeside-again") == [
        "error: cannot assemble the site; the output is unchanged:",
        '  institution "lakeside" is in two parts: _parts/lakeside and lakeside-again; '
        "pass each institution's part once",
    ]


def test_assemble_refuses_a_part_built_from_other_content(built, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(built / "content", other / "content")
    mig = other / "content" / "credentials" / "mig-welding.md"
    mig.write_text(mig.read_text().replace("version: 1", "version: 1\nhours: 40", 1))
    job = run("build", "--institution", "lakeside", "--output", str(built / "stale"), cwd=other)
    assert job.returncode == 0, job.stderr
    digest = json.loads((built / "stale" / "microcred-part.json").read_text())["digest"]
    here = json.loads((built / "_parts/lakeside/microcred-part.json").read_text())["digest"]
    parts = ["_parts/great-river-state-university", "stale", "_parts/prairie-lakes-college"]
    assert assemble_refusal(built, *parts) == [
        "error: cannot assemble the site; the output is unchanged:",
        "  the part stale (institution lakeside) was built from other content, code or "
        "options than this catalog; rebuild it from the same commit with the same options "
        f"(its digest {digest[:12]}, this catalog's {here[:12]})",
    ]


def test_assemble_refuses_a_part_built_with_other_options(built):
    parts = [f"_parts/{i}" for i in IDS]
    (built / "site").mkdir(exist_ok=True)
    done = run("assemble", *parts, "--no-search", "--base-url", "https://x.example", cwd=built)
    assert done.returncode == 1
    assert done.stderr.count("was built from other content, code or options") == 3


def test_assemble_refuses_an_empty_list_of_parts(built):
    done = run("assemble", "--no-search", cwd=built)
    assert (done.returncode, done.stderr.splitlines()[-1]) == (
        2,
        "error: assemble needs the part folders to join: the --output of each "
        "`python build.py build --institution ID` job",
    )


def test_assemble_refuses_a_folder_that_is_not_a_part(built):
    parts = [f"_parts/{i}" for i in IDS]
    assert assemble_refusal(built, *parts, "whole") == [
        "error: whole is not a part: it has no readable microcred-part.json of this "
        "version; make it with `python build.py build --institution ID --output whole`",
    ]
    assert assemble_refusal(built, *parts, "nowhere") == [
        "error: the part folder nowhere does not exist; each part is the --output of "
        "`python build.py build --institution ID`",
    ]


def test_assemble_refuses_an_incomplete_part(built, tmp_path):
    broken = tmp_path / "lakeside"
    shutil.copytree(built / "_parts" / "lakeside", broken)
    (broken / "institutions" / "lakeside" / "issuer.json").unlink()
    parts = ["_parts/great-river-state-university", str(broken), "_parts/prairie-lakes-college"]
    assert assemble_refusal(built, *parts) == [
        f"error: the part {broken.as_posix()} is incomplete: "
        "institutions/lakeside/issuer.json is missing; rebuild it",
    ]


def spanning_with(built: Path, tmp_path: Path, change) -> list[str]:
    """What assemble says of the parts with the spanning one, lakeside's copied and
    changed by ``change`` (its folder)."""
    broken = tmp_path / "lakeside"
    shutil.copytree(built / "_parts" / "lakeside", broken)
    change(broken)
    parts = ["_parts/great-river-state-university", str(broken), "_parts/prairie-lakes-college"]
    return assemble_refusal(built, *parts, "_parts/spanning")


def test_assemble_refuses_a_part_whose_data_pieces_were_changed(built, tmp_path):
    """The pieces are joined byte-for-byte, so assemble checks each file's SHA-256 (and
    length) against the part's layout.json as it reads it."""

    def tamper(folder: Path) -> None:
        pieces = folder / "data-parts" / "catalog.json.pieces"
        text = pieces.read_text()
        assert "MIG" in text
        pieces.write_text(text.replace("MIG", "TIG", 1))  # same length, other bytes

    assert spanning_with(built, tmp_path, tamper) == [
        f"error: the part {(tmp_path / 'lakeside').as_posix()} has data pieces its job did "
        "not write (data-parts/catalog.json.pieces differs from its layout.json); "
        "rebuild the part",
    ]


def test_assemble_refuses_a_part_whose_data_holds_other_credentials(built, tmp_path):
    def drop_one(folder: Path) -> None:
        layout = json.loads((folder / "data-parts" / "layout.json").read_text())
        layout["credentials"] = layout["credentials"][:1]
        (folder / "data-parts" / "layout.json").write_text(json.dumps(layout))

    assert spanning_with(built, tmp_path, drop_one) == [
        f"error: the part {(tmp_path / 'lakeside').as_posix()} holds the data of other "
        "credentials than the catalog gives its institutions (1 against 2); rebuild it "
        "from the same commit",
    ]


def test_assemble_refuses_a_part_without_its_data_pieces(built, tmp_path):
    def remove(folder: Path) -> None:
        (folder / "data-parts" / "layout.json").unlink()

    assert spanning_with(built, tmp_path, remove) == [
        f"error: the part {(tmp_path / 'lakeside').as_posix()} has no readable "
        "data-parts/layout.json; rebuild it from the same commit",
    ]


def test_assemble_refuses_data_pieces_that_do_not_fit(built, tmp_path):
    def garble(folder: Path) -> None:
        layout = json.loads((folder / "data-parts" / "layout.json").read_text())
        layout["files"][3]["ends"] = "no"
        (folder / "data-parts" / "layout.json").write_text(json.dumps(layout))

    assert spanning_with(built, tmp_path, garble) == [
        "error: the data pieces of the parts do not fit together (data-parts/layout.json "
        "or frame.json is not as a job writes it); rebuild the parts from the same commit",
    ]


def mistaken(tmp_path: Path, *edits: tuple[str, str, str]) -> Path:
    """The fixture in ``tmp_path`` with each ``(credential, text, replacement)`` made."""
    shutil.copytree(FIXTURE, tmp_path / "content")
    for credential, text, replacement in edits:
        path = tmp_path / "content" / "credentials" / f"{credential}.md"
        assert text in path.read_text()
        path.write_text(path.read_text().replace(text, replacement, 1))
    return tmp_path


def problem_lines(done) -> list[str]:
    return [
        line for line in done.stderr.splitlines() if ": error [" in line or ": warning [" in line
    ]


GREAT_RIVERS_MISTAKE = ("technical-writing", "credits: 6", "credits: 40")
"""Mistakes of one file, found by policy rules (the courses' sum, Part 6B's limit), in a
Great River State University credential; its schema still passes."""


def test_a_job_checks_its_own_files_with_every_rule_and_the_jobs_together_all_files(tmp_path):
    """Each job reports the policy findings of its own institutions' files (the spanning
    job: of files naming no institution), and every job the findings across files and a
    schema mistake anywhere (a record that fails its schema could break a page); together
    they report what a one-machine build does, in its words."""
    root = mistaken(
        tmp_path,
        GREAT_RIVERS_MISTAKE,
        ("mig-welding", "credits: 6", "credits: 40"),  # Lakeside's
        ("cnc-operator-ii", "institution: prairie-lakes-college", "institution: nowhere"),
        ("cnc-operator-ii", "credits: 6", "credits: 40"),  # a file of no institution
        ("comptia-a-plus-it-support", "credits: 8", "credits: eight"),  # Prairie's, a schema's
    )
    whole = run("build", "--no-search", "--no-cache", cwd=root)
    assert whole.returncode == 1
    said = {}
    jobs = {i: ["--institution", i] for i in IDS} | {"spanning": ["--spanning"]}
    for name, flags in jobs.items():
        done = run("build", "--no-search", *flags, "--output", name, cwd=root)
        assert done.returncode == 1
        assert "Traceback" not in done.stderr
        said[name] = problem_lines(done)
    everyones = [
        line
        for line in problem_lines(whole)
        if "[unknown-institution]" in line or "comptia-a-plus-it-support.md" in line
    ]
    assert len(everyones) == 2
    own = {
        "great-river-state-university": "/technical-writing.md:",
        "lakeside": "/mig-welding.md:",
        "prairie-lakes-college": "/comptia-a-plus-it-support.md:",
        "spanning": "/cnc-operator-ii.md:",
    }
    for name, lines in said.items():
        assert [line for line in lines if line not in everyones] == [
            line for line in problem_lines(whole) if own[name] in line and line not in everyones
        ]
        assert set(everyones) <= set(lines)
    assert sorted({line for lines in said.values() for line in lines}) == sorted(
        problem_lines(whole)
    )
    assert all(len([x for x in problem_lines(whole) if own[name] in x]) >= 1 for name in own)


def test_another_institutions_mistake_stops_its_job_and_so_the_assemble(tmp_path):
    """A job whose own files pass builds its part though another institution's file has
    a mistake, even with that file's whole check kept by an earlier job; the owner's job
    stops with the one-machine build's words, so no site can be assembled."""
    root = mistaken(tmp_path, GREAT_RIVERS_MISTAKE)
    whole = run("build", "--no-search", cwd=root)
    owner = run("build", "--no-search", "--institution", IDS[0], "--output", "gr", cwd=root)
    assert whole.returncode == owner.returncode == 1
    assert problem_lines(owner) == problem_lines(whole) and len(problem_lines(whole)) == 2
    assert not (root / "gr").exists()
    others = [*IDS[1:], "--spanning"]
    for other in others:  # after the owner: its check of the file is kept
        flags = ["--spanning"] if other == "--spanning" else ["--institution", other]
        job = run("build", "--no-search", *flags, "--output", other.strip("-"), cwd=root)
        assert job.returncode == 0, job.stderr
        assert "; 0 errors, 0 warnings;" in job.stdout + job.stderr
    assert assemble_refusal(root, *(other.strip("-") for other in others)) == [
        "error: cannot assemble the site; the output is unchanged:",
        '  no part holds institution "great-river-state-university"; build it with '
        "`python build.py build --institution great-river-state-university` "
        "and pass its --output",
    ]


def test_an_institution_job_refuses_whole_site_options(built):
    done = run("build", "--institution", "lakeside", "--check-links", cwd=built)
    assert (done.returncode, done.stderr.splitlines()[-1]) == (
        2,
        "error: --check-links and --update-manifest need the whole site; pass them to "
        "`python build.py assemble`, not to a part (--institution, --spanning)",
    )


def test_assemble_keeps_the_url_manifest_like_a_build(built, tmp_path):
    """A URL urls.json lists that the assembled site lacks stops the assemble."""
    manifest = built / "urls.json"
    manifest.write_text(json.dumps({"about": "", "urls": ["/credentials/gone/"]}))
    (built / "published").mkdir()
    (built / "published" / "index.html").write_text("the last good site\n")
    try:
        parts = [f"_parts/{i}" for i in IDS]
        done = run("assemble", *parts, "--no-search", "--output", "published", cwd=built)
    finally:
        manifest.unlink()
    assert done.returncode == 1
    assert "error: 1 published URL listed in urls.json would no longer work:" in done.stderr
    assert "/credentials/gone/ would disappear" in done.stderr
    assert "Traceback" not in done.stderr
    assert [p.name for p in (built / "published").iterdir()] == ["index.html"]
    assert (built / "published" / "index.html").read_text() == "the last good site\n"
    assert not [p for p in built.iterdir() if "-build-" in p.name]  # no staging left over


def test_each_job_indexes_its_own_search_shard_and_the_spanning_job_lists_them(built):
    """The shards are the one-machine build's, byte for byte (pagefind/<id>/ per job)."""
    whole = files_of(built / "whole")
    for institution in IDS:
        part = files_of(built / "_parts" / institution)
        shard = {n: b for n, b in part.items() if n.startswith("pagefind/")}
        assert shard and {n.split("/")[1] for n in shard} == {institution}
        in_whole = {n: b for n, b in whole.items() if n.startswith(f"pagefind/{institution}/")}
        assert same_site(shard, in_whole)
    spanning = files_of(built / "_parts" / "spanning")
    assert [n for n in spanning if n.startswith("pagefind/")] == ["pagefind/shards.json"]
    assert spanning["pagefind/shards.json"] == whole["pagefind/shards.json"]


def test_parts_built_without_search_are_assembled_without_it(built, tmp_path):
    parts = []
    for job in ([f"--institution={i}" for i in IDS], ["--spanning"]):
        for flag in job:
            parts.append(str(tmp_path / flag.split("=")[-1].lstrip("-")))
            done = run("build", flag, "--no-search", "--output", parts[-1], cwd=built)
            assert done.returncode == 0, done.stderr
    refused = run("assemble", *parts, "--output", str(tmp_path / "site"), cwd=built)
    assert (refused.returncode, refused.stderr.splitlines()[-1]) == (
        2,
        "error: the parts were built without search (--no-search): build them with search, "
        "or assemble with --no-search",
    )
    done = run("assemble", *parts, "--no-search", "--output", str(tmp_path / "site"), cwd=built)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "site" / "pagefind").exists()


def test_previews_with_proposals_assemble_byte_identical_too(built, tmp_path):
    """``--include-proposed`` is one of the options a part records and assemble must match."""
    options = ["--include-proposed", "--no-search"]
    whole = run("build", *options, "--no-cache", "--output", str(tmp_path / "whole"), cwd=built)
    assert whole.returncode == 0, whole.stderr
    parts = []
    for institution in IDS:
        parts.append(str(tmp_path / institution))
        job = run("build", "--institution", institution, *options, "--output", parts[-1], cwd=built)
        assert job.returncode == 0, job.stderr
    done = run("assemble", *parts, *options, "--output", str(tmp_path / "joined"), cwd=built)
    assert done.returncode == 0, done.stderr
    assert files_of(tmp_path / "joined") == files_of(tmp_path / "whole")


def test_institutions_of_a_missing_content_folder_is_the_builds_problem(tmp_path):
    done = run("institutions", "--json", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "content:1:1: error [content-folder] the content folder does not exist. "
        "Pass --content DIR naming a folder with site.yml. (content format)\n"
    )
