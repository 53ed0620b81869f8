"""Checked files kept by content hash never change what a build reports or writes.

A build with the cache on re-reads and re-checks only the credential files whose bytes
changed (``build/checked.py``); the rules across files still see every record. Each
test edits, renames or deletes content, then compares the cached build with a clean
one (cache off): the same problems, in the same order, with the same lines, and the
same site byte for byte.
"""

from __future__ import annotations

import pickle
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import SITES, TODAY, files_of
from test_cache import CHANGES, _replace

from microcred.build import checked
from microcred.pipeline import BuildOptions, build
from microcred.reporting.terminal import TerminalReporter
from microcred.rules import check


@pytest.fixture
def catalog(tmp_path, monkeypatch):
    """A copy of the minimal catalog with its cache in the test's folder."""
    shutil.copytree(SITES / "minimal" / "content", tmp_path / "content")
    monkeypatch.setenv("MICROCRED_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def checked_files(monkeypatch) -> list[str]:
    """The names of the credential files checked, in order (the fixture catalog is small,
    so they are checked in this process)."""
    names: list[str] = []
    real = check._check_file

    def counting(root, path, *profiles_and_day):
        names.append(path.name)
        return real(root, path, *profiles_and_day)

    monkeypatch.setattr(check, "_check_file", counting)
    return names


def _build(content: Path, output: Path, today: date = TODAY):
    options = BuildOptions(content=content, output=output, search=False, today=today, cache=True)
    return build(options, TerminalReporter(quiet=True))


def _lines(result) -> list[str]:
    return [str(p) for p in result.check.problems]


def _same_as_clean(root: Path, monkeypatch, today: date = TODAY) -> list[str]:
    """Build with the cache, then clean; both give the same problems and site."""
    cached = _build(root / "content", root / "_site", today)
    monkeypatch.setenv("MICROCRED_CACHE", "off")
    clean = _build(root / "content", root / "clean", today)
    monkeypatch.setenv("MICROCRED_CACHE", str(root / "cache"))
    assert _lines(cached) == _lines(clean)
    assert cached.built == clean.built
    if clean.built:
        assert files_of(root / "_site") == files_of(root / "clean")
    shutil.rmtree(root / "clean", ignore_errors=True)
    return _lines(cached)


MIG = "credentials/mig-welding.md"
PROBLEMS = {
    "an outcome that cannot be measured (a warning from one file)": lambda c: _replace(
        c / MIG, "outcome: Set up", "outcome: Understand how to set up"
    ),
    "its ctid removed (a warning from the rules across files)": lambda c: _replace(
        c / MIG, "ctid: ce-56767be7-f87d-5bb8-8efd-b70abf1f4be2\n", ""
    ),
    "a program that does not exist (an error deep in the file, across files)": lambda c: _replace(
        c / MIG, "program: welding-diploma", "program: no-such-program"
    ),
    "the program mended": lambda c: _replace(
        c / MIG, "program: no-such-program", "program: welding-diploma"
    ),
    "a participation-only assessment (an error from one file)": lambda c: _replace(
        c / "credentials/office-communication.md",
        "assessment: Memo scored with a rubric by the instructor",
        "assessment: Attendance at all sessions",
    ),
    "the assessment mended": lambda c: _replace(
        c / "credentials/office-communication.md",
        "assessment: Attendance at all sessions",
        "assessment: Memo scored with a rubric by the instructor",
    ),
}


def test_a_series_of_changes_reports_and_builds_as_clean_builds_would(catalog, monkeypatch):
    """Warnings and errors coming and going, then (with two warnings left in) edits,
    additions, renames and deletions of credentials, pathways and the institution.
    After every change the cached build's problems and site equal a clean build's."""
    content = catalog / "content"
    _build(content, catalog / "_site")
    seen = {}
    for name, change in {**PROBLEMS, **CHANGES}.items():
        change(content)
        seen[name] = _same_as_clean(catalog, monkeypatch)
    assert any("[measurable-outcome]" in line for line in seen[next(iter(PROBLEMS))])
    assert any("[ctid-missing]" in line for line in seen[list(PROBLEMS)[1]])
    assert any("stacks_into[0].program" in line for line in seen[list(PROBLEMS)[2]])
    assert any("[participation-only]" in line for line in seen[list(PROBLEMS)[4]])
    renamed = seen["a credential renamed, with a redirect"]
    assert any("mig-welding-gmaw.md" in line and "[ctid-missing]" in line for line in renamed)


def test_only_the_changed_files_are_checked_again(catalog, checked_files):
    content = catalog / "content"
    _build(content, catalog / "_site")
    assert sorted(checked_files) == ["mig-welding.md", "office-communication.md"]
    checked_files.clear()
    CHANGES["a summary edited"](content)
    _build(content, catalog / "_site")
    assert checked_files == ["mig-welding.md"]
    checked_files.clear()
    (content / "credentials" / "office-communication.md").rename(
        content / "credentials" / "office-talk.md"
    )
    _build(content, catalog / "_site")
    assert checked_files == ["office-talk.md"], "a renamed file is checked under its name"


def test_a_credential_file_that_is_a_symbolic_link_is_checked_at_every_build(
    catalog, checked_files
):
    """Where a link points is part of its check, so it is never answered from the kept
    checks (the links are found with one listing of the folder since issue 18)."""
    content = catalog / "content"
    kept = catalog / "elsewhere.md"
    (content / "credentials" / "office-communication.md").rename(kept)
    (content / "credentials" / "office-communication.md").symlink_to(kept)
    _build(content, catalog / "_site")
    checked_files.clear()
    CHANGES["a summary edited"](content)
    _build(content, catalog / "_site")
    assert sorted(checked_files) == ["mig-welding.md", "office-communication.md"]


def test_a_new_day_checks_no_file_again_and_its_dated_findings_still_come(
    catalog, checked_files, monkeypatch
):
    """A kept check holds no finding of the rules that compare with the check's date
    (review-overdue, approval-date): they run over every record in every check, so a build
    on a later day reads no file again (the clean build beside it reads both), and says
    what a clean build says, on the line of the field. The control: the day before."""
    content = catalog / "content"
    _build(content, catalog / "_site")
    checked_files.clear()
    later = date(2029, 3, 2)  # the day after mig-welding's next review was due
    lines = _same_as_clean(catalog, monkeypatch, today=later)
    overdue = [line for line in lines if "[review-overdue]" in line]
    assert overdue == [
        f"{Path('content', MIG).as_posix()}:37:3: warning [review-overdue] review.next:"
        " the review due 2029-03-01 has passed. Review the micro-credential with its"
        " constituents, then update `review`. (Part 9)"
    ]
    assert sorted(checked_files) == ["mig-welding.md", "office-communication.md"], "clean only"
    checked_files.clear()
    day_before = _same_as_clean(catalog, monkeypatch, today=date(2029, 3, 1))
    assert not any("[review-overdue]" in line for line in day_before)
    assert len(checked_files) == 2, "the clean build's two files only"


def test_a_new_policy_or_code_checks_everything_again(catalog, checked_files, monkeypatch):
    """The policy and the code are part of what a kept result was made under."""
    content = catalog / "content"
    later = date(2029, 3, 2)
    _build(content, catalog / "_site", today=later)
    checked_files.clear()
    _replace(content / "site.yml", "policy: minnstate-3.36.2", "policy: suny-binghamton")
    _same_as_clean(catalog, monkeypatch, today=later)
    assert len(checked_files) == 4, "the cached and the clean build both checked both"
    checked_files.clear()
    monkeypatch.setattr(checked, "library_versions", lambda names: "another version of PyYAML")
    _build(content, catalog / "_site", today=later)
    assert len(checked_files) == 2


def test_an_unreadable_kept_file_means_nothing_is_kept(catalog, checked_files, monkeypatch):
    content = catalog / "content"
    _build(content, catalog / "_site")
    for kept in (catalog / "cache" / "checked").glob("*.pickle"):
        kept.write_bytes(b"not a pickle")
    checked_files.clear()
    CHANGES["a body edited"](content)
    _same_as_clean(catalog, monkeypatch)
    assert len(checked_files) == 4, "both files in the cached build as in the clean one"


def _bucket_file(catalog: Path, name: str) -> Path:
    """The file of the bucket that keeps the check of ``credentials/<name>`` (by the
    boundaries in the index the last save kept)."""
    n = checked.Bounds(_starts(catalog)).of(name)
    (bucket,) = (catalog / "cache" / "checked").glob(f"*.{n:02d}.pickle")
    return bucket


def _starts(catalog: Path) -> tuple[str, ...]:
    """The boundaries of the buckets as the index the last save wrote holds them."""
    (index,) = (catalog / "cache" / "checked").glob("*.index.pickle")
    return checked.read_pickle(index)["starts"]


def _buckets(catalog: Path) -> dict[str, bytes]:
    """The bytes of every bucket file, by name (the index apart)."""
    found = (catalog / "cache" / "checked").glob("*.[0-9][0-9].pickle")
    return {p.name: p.read_bytes() for p in found}


def _placement(catalog: Path) -> dict[int, list[str]]:
    """The names of the credential files each bucket file keeps, in the order it keeps
    their results (empty buckets left out)."""
    placed = {}
    for bucket in sorted((catalog / "cache" / "checked").glob("*.[0-9][0-9].pickle")):
        held = checked.read_pickle(bucket)
        names = [Path(path).name for path in pickle.loads(held["results"])]
        assert names == [Path(path).name for path in held["entries"]]
        if names:
            placed[int(bucket.name.split(".")[1])] = names
    return placed


def test_kept_checks_are_spread_over_buckets_and_an_edit_rewrites_only_its_own(
    catalog, checked_files, monkeypatch
):
    """An edit rewrites the bucket file of the edited credential alone; the others stay
    byte for byte (at 10,000 files, rewriting every kept check was 0.5 s of an edit)."""
    content = catalog / "content"
    _build(content, catalog / "_site")
    before = _buckets(catalog)
    assert len(before) == checked.BUCKETS
    edited = _bucket_file(catalog, "mig-welding.md")
    _replace(content / MIG, "summary: ", "summary: Edited. ")
    checked_files.clear()
    _same_as_clean(catalog, monkeypatch)
    assert checked_files == ["mig-welding.md", "mig-welding.md", "office-communication.md"]
    after = _buckets(catalog)
    assert {name for name in after if after[name] != before[name]} == {edited.name}


def test_one_unreadable_bucket_rechecks_only_the_files_it_held(catalog, checked_files, monkeypatch):
    """The other buckets still answer: only the unreadable bucket's file is checked again
    besides the edited one (in the first test, the unedited file is checked only by the
    clean build)."""
    content = catalog / "content"
    _build(content, catalog / "_site")
    office = _bucket_file(catalog, "office-communication.md")
    if office == _bucket_file(catalog, "mig-welding.md"):
        pytest.skip("both files fall in one bucket")
    office.write_bytes(b"not a pickle")
    _replace(content / MIG, "summary: ", "summary: Edited. ")
    checked_files.clear()
    _same_as_clean(catalog, monkeypatch)
    assert checked_files.count("office-communication.md") == 2, "cached and clean build"
    assert checked_files.count("mig-welding.md") == 2


def test_a_stale_bucket_left_from_an_older_build_is_not_trusted(
    catalog, checked_files, monkeypatch
):
    """The control for rewriting only changed buckets: put back the edited file's bucket
    as the build before the edit wrote it (as a save that skipped it, or a crash between
    two bucket files, would leave it). Its entry names the old bytes' digest, so the file
    is read and checked again, and the site is a clean build's."""
    content = catalog / "content"
    _build(content, catalog / "_site")
    bucket = _bucket_file(catalog, "mig-welding.md")
    stale = bucket.read_bytes()
    _replace(content / MIG, "summary: ", "summary: Edited. ")
    _build(content, catalog / "_site")
    assert bucket.read_bytes() != stale
    bucket.write_bytes(stale)
    _replace(content / MIG, "summary: ", "summary: Edited once more. ")
    checked_files.clear()
    _same_as_clean(catalog, monkeypatch)
    assert checked_files.count("mig-welding.md") == 2, "checked in the cached build too"


def test_a_deleted_file_leaves_its_bucket(catalog, monkeypatch):
    """A deleted credential's kept check goes with the next save (its bucket rewritten)."""
    content = catalog / "content"
    _build(content, catalog / "_site")
    bucket = _bucket_file(catalog, "office-communication.md")
    office = str(content / "credentials" / "office-communication.md")
    assert office in checked.read_pickle(bucket)["entries"]
    (content / "credentials" / "office-communication.md").unlink()
    _same_as_clean(catalog, monkeypatch)
    assert office not in checked.read_pickle(bucket)["entries"]


def test_no_cache_keeps_no_checked_files(catalog, monkeypatch):
    monkeypatch.setenv("MICROCRED_CACHE_CHECKED", "off")
    _build(catalog / "content", catalog / "_site")
    assert not (catalog / "cache" / "checked").exists()
    monkeypatch.delenv("MICROCRED_CACHE_CHECKED")
    options = BuildOptions(content=catalog / "content", output=catalog / "o", today=TODAY)
    build(options, TerminalReporter(quiet=True))  # cache=False, as --no-cache gives
    assert not (catalog / "cache" / "checked").exists()


def test_a_finding_across_files_comes_and_goes_with_an_edit_to_the_other_file(
    catalog, monkeypatch, checked_files
):
    """``office-communication.md`` is never edited and its check is kept; when
    ``mig-welding.md`` takes nearly the same title, the finding appears on the unedited
    file (the later slug, as without git), then goes with the edit undone: the rules
    across files ran over the kept record, as a clean build's do."""
    content = catalog / "content"
    first = _build(content, catalog / "_site")
    assert not [line for line in _lines(first) if "[similar-title]" in line]
    checked_files.clear()
    mig = content / MIG
    _replace(mig, "title: MIG Welding Fundamentals", "title: Workplace Communication 2")
    _build(content, catalog / "_site")
    assert checked_files == ["mig-welding.md"], "the other file's check is kept"
    similar = [line for line in _same_as_clean(catalog, monkeypatch) if "[similar-title]" in line]
    assert similar == [
        'content/credentials/office-communication.md:2:1: warning [similar-title] title: "Workp'
        'lace Communication" is nearly the same as "Workplace Communication 2", the name of'
        " content/credentials/mig-welding.md. Choose a title that names what sets this"
        " micro-credential apart; leave the other file as it is. (Part 6A Titles)"
    ]
    _replace(mig, "title: Workplace Communication 2", "title: MIG Welding Fundamentals")
    assert not [line for line in _same_as_clean(catalog, monkeypatch) if "[similar-title]" in line]


def test_an_edit_answered_by_kept_checks_is_checked_in_the_build_process(catalog, monkeypatch):
    """A large catalog's check runs in a process of its own (``workers.compacted``), but
    not when kept checks answer most of its files: sending the whole checked catalog back
    from that process cost more than an edit's check (``pipeline._compacts``). The
    results are the same either way."""
    from microcred import pipeline
    from microcred.build import workers

    monkeypatch.setattr(pipeline, "COMPACTED_FROM", 1)  # the two-file catalog counts as large
    compacted = []
    real = workers.compacted

    def recording(make, *pickler):
        compacted.append(True)
        return real(make, *pickler)

    monkeypatch.setattr(workers, "compacted", recording)
    content = catalog / "content"
    _build(content, catalog / "_site")
    assert compacted == [True], "nothing kept: the first build's check is compacted"
    compacted.clear()
    CHANGES["a summary edited"](content)
    _build(content, catalog / "_site")
    assert compacted == [True], "one file of two kept is not most of them"
    compacted.clear()
    _replace(
        content / "institutions" / "lakeside.yml",
        "description: A two-year technical college.",
        "description: A two-year technical college on the lake.",
    )
    cached = _build(content, catalog / "_site")
    assert compacted == [], "every credential file's check kept: checked here"
    assert cached.built
    monkeypatch.setenv("MICROCRED_CACHE", "off")
    clean = _build(content, catalog / "clean")
    assert compacted == [True]
    assert _lines(cached) == _lines(clean)
    assert files_of(catalog / "_site") == files_of(catalog / "clean")


# A bucket's results in one pickle (build/checked.py): every kept check in one bucket, so
# the edited file shares it with a kept one; the control answers from the bucket without
# looking at the digest and shows the comparison with a clean build catches it.

OFFICE = "office-communication.md"


@pytest.fixture
def one_bucket(monkeypatch):
    """Every kept check in one bucket file."""
    monkeypatch.setattr(checked, "BUCKETS", 1)


def test_a_bucket_rewritten_after_an_edit_keeps_the_other_files_results(
    catalog,
    checked_files,
    one_bucket,
    monkeypatch,
):
    content = catalog / "content"
    _build(content, catalog / "_site")
    bucket = _bucket_file(catalog, OFFICE)
    assert bucket == _bucket_file(catalog, "mig-welding.md")
    for edit in ("summary: Edited. ", "summary: Edited again. "):
        _replace(content / MIG, "summary: ", edit)
        checked_files.clear()
        cached = _build(content, catalog / "_site")
        assert checked_files == ["mig-welding.md"], "the office file answered from the bucket"
        held = checked.read_pickle(bucket)
        assert sorted(held["entries"]) == sorted(pickle.loads(held["results"]))
        assert len(held["entries"]) == 2
    assert _lines(cached) == _same_as_clean(catalog, monkeypatch)


def test_unreadable_results_recheck_every_file_of_their_bucket(
    catalog,
    checked_files,
    one_bucket,
    monkeypatch,
):
    content = catalog / "content"
    _build(content, catalog / "_site")
    bucket = _bucket_file(catalog, OFFICE)
    held = checked.read_pickle(bucket)
    checked.write_pickle(bucket, {**held, "results": b"not a pickle"})
    _replace(content / MIG, "summary: ", "summary: Edited. ")
    checked_files.clear()
    _same_as_clean(catalog, monkeypatch)
    assert checked_files.count(OFFICE) == 2, "checked by the cached build and the clean one"
    assert checked_files.count("mig-welding.md") == 2


def test_control_a_bucket_answering_without_the_digest_is_caught(
    catalog,
    one_bucket,
    monkeypatch,
):
    """Broken on purpose: answering an edited file from its bucket (its old result) leaves
    out the warning the edit brings, and the comparison with a clean build fails."""

    def stale(self, path, job):
        return self._bucket(self.kept[str(path)][2]).get(str(path))

    content = catalog / "content"
    _build(content, catalog / "_site")
    monkeypatch.setattr(checked.CheckedFiles, "get", stale)
    next(iter(PROBLEMS.values()))(content)  # an outcome that cannot be measured
    with pytest.raises(AssertionError):
        _same_as_clean(catalog, monkeypatch)


@pytest.mark.parametrize(
    "garble",
    [
        lambda held: {**held, "results": None},
        lambda held: {k: v for k, v in held.items() if k != "results"},
        lambda held: {**held, "entries": {p: (*e, b"old") for p, e in held["entries"].items()}},
        lambda held: {**held, "entries": ["not", "a", "dict"]},
    ],
    ids=["results not bytes", "no results", "entries of the old shape", "entries not a dict"],
)
def test_a_bucket_file_of_another_shape_rechecks_its_files(
    catalog, checked_files, one_bucket, monkeypatch, garble
):
    content = catalog / "content"
    _build(content, catalog / "_site")
    bucket = _bucket_file(catalog, OFFICE)
    checked.write_pickle(bucket, garble(checked.read_pickle(bucket)))
    _replace(content / MIG, "summary: ", "summary: Edited. ")
    checked_files.clear()
    _same_as_clean(catalog, monkeypatch)
    assert checked_files.count(OFFICE) == 2, "checked by the cached build and the clean one"


# Buckets as ranges of file names (build/checked.py, FORMAT 6): neighbours by name share a
# bucket and are unpickled one after the other, so the records lie in memory in the order
# the pages walk them; the boundaries are kept, so a file stays in its bucket.


def _add(content: Path, name: str, number: int) -> None:
    """A credential file ``credentials/<name>.md``, a copy of the office one with its own
    title and inventory id and no ctid (as ``test_cache._add_credential`` makes)."""
    source = (content / "credentials" / OFFICE).read_text(encoding="utf-8")
    new = source.replace("inventory_id: MC-", f"inventory_id: MC-{number}")
    new = new.replace("title: ", f"title: {name.title()} ", 1)
    new = "\n".join(line for line in new.splitlines() if not line.startswith("ctid:")) + "\n"
    (content / "credentials" / f"{name}.md").write_text(new, "utf-8")


def test_buckets_are_ranges_of_file_names_kept_from_build_to_build(catalog, monkeypatch):
    """Two files over 64 buckets: the boundaries split the names in half (buckets 0-31
    begin at mig-welding.md, 32-63 at office-communication.md). A file added before them
    by name goes to bucket 0 and only that bucket's file is written: the others and the
    index stay byte for byte."""
    content = catalog / "content"
    _build(content, catalog / "_site")
    (index,) = (catalog / "cache" / "checked").glob("*.index.pickle")
    assert _starts(catalog) == ("mig-welding.md",) * 31 + (OFFICE,) * 32
    assert _placement(catalog) == {31: ["mig-welding.md"], 63: [OFFICE]}
    before, kept_index = _buckets(catalog), index.read_bytes()
    _add(content, "advanced-office", 9)
    _same_as_clean(catalog, monkeypatch)
    assert _placement(catalog) == {0: ["advanced-office.md"], 31: ["mig-welding.md"], 63: [OFFICE]}
    after = _buckets(catalog)
    assert [name for name in after if after[name] != before[name]] == [
        name for name in after if name.endswith(".00.pickle")
    ]
    assert index.read_bytes() == kept_index


def test_control_boundaries_not_kept_move_files_between_buckets(catalog, monkeypatch):
    """Broken on purpose: with the index never read, every save chooses the boundaries
    afresh, the added file moves the others and their buckets are written again."""
    monkeypatch.setattr(checked.Bounds, "read", classmethod(lambda cls, path: None))
    with pytest.raises(AssertionError):
        test_buckets_are_ranges_of_file_names_kept_from_build_to_build(catalog, monkeypatch)


@pytest.fixture
def four_buckets(monkeypatch):
    """Four buckets, so that two files added after the others make one uneven."""
    monkeypatch.setattr(checked, "BUCKETS", 4)


def test_a_bucket_grown_uneven_chooses_the_boundaries_again(
    catalog, checked_files, four_buckets, monkeypatch
):
    """Boundaries (mig, office, office): two files named after office-communication.md
    join its bucket, 3 of 4 files where a bucket's share is 1. Under the small-bucket
    floor (32) the boundaries stay and the bucket keeps its three files in name order;
    without the floor, 3 > 2 x 1 and the next save splits the four names afresh, one a
    bucket. Both sites equal clean builds, and no kept file is checked again."""
    content = catalog / "content"
    _build(content, catalog / "_site")
    assert _placement(catalog) == {1: ["mig-welding.md"], 3: [OFFICE]}
    _add(content, "zulu-office", 8)
    _add(content, "zeta-office", 9)
    _same_as_clean(catalog, monkeypatch)
    assert _placement(catalog) == {
        1: ["mig-welding.md"],
        3: [OFFICE, "zeta-office.md", "zulu-office.md"],
    }
    monkeypatch.setattr(checked, "UNEVEN_FLOOR", 0)
    _replace(content / MIG, "summary: ", "summary: Edited. ")
    checked_files.clear()
    _same_as_clean(catalog, monkeypatch)
    assert checked_files.count(OFFICE) == 1, "kept in the cached build, checked in the clean"
    assert _placement(catalog) == {
        0: ["mig-welding.md"],
        1: [OFFICE],
        2: ["zeta-office.md"],
        3: ["zulu-office.md"],
    }


def test_buckets_are_unpickled_in_the_order_of_the_file_names(catalog, four_buckets, monkeypatch):
    """Five names over four buckets (boundaries kilo, mig, office). The check asks for the
    files in name order, so bucket 0's records are made first, then bucket 1's...: in
    memory, neighbours by name lie side by side."""
    monkeypatch.setattr(checked, "UNEVEN_FLOOR", 0)
    content = catalog / "content"
    for number, name in enumerate(("zulu-office", "alpha-office", "kilo-office"), 7):
        _add(content, name, number)
    _build(content, catalog / "_site")
    assert _placement(catalog) == {
        0: ["alpha-office.md"],
        1: ["kilo-office.md"],
        2: ["mig-welding.md"],
        3: [OFFICE, "zulu-office.md"],
    }
    order = []
    real = checked.CheckedFiles._bucket

    def recording(self, n):
        if n not in self._results:
            order.append(n)
        return real(self, n)

    monkeypatch.setattr(checked.CheckedFiles, "_bucket", recording)
    _replace(content / MIG, "summary: ", "summary: Edited. ")
    _build(content, catalog / "_site")
    assert order == [0, 1, 3], "bucket 2 holds only the edited file, checked again"


def test_an_unreadable_index_chooses_the_boundaries_again(catalog, checked_files, monkeypatch):
    """The index only says where a save puts an entry: with it garbled, the kept buckets
    still answer (nothing is checked but the edited file), and the save writes a new one."""
    content = catalog / "content"
    _build(content, catalog / "_site")
    (index,) = (catalog / "cache" / "checked").glob("*.index.pickle")
    index.write_bytes(b"not a pickle")
    _replace(content / MIG, "summary: ", "summary: Edited. ")
    checked_files.clear()
    _same_as_clean(catalog, monkeypatch)
    assert checked_files == ["mig-welding.md", "mig-welding.md", OFFICE]
    assert checked.Bounds.read(index) is not None
    assert _placement(catalog) == {31: ["mig-welding.md"], 63: [OFFICE]}
