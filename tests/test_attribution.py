"""A clash between two files is reported on the file that introduced it.

The author of a pull request should see the annotation on their own file, never be
invited to edit a credential that is already published. Each test builds a small git
history of the ``minimal`` catalog in which the newcomer's slug sorts *before* the
published credential's, so that the old rule (report the later slug) would be wrong.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

NEW = "credentials/advanced-mig.md"


def git(*args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.edu", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def history(minimal, monkeypatch):
    """The minimal catalog committed on main in 2026-01, as a git repository."""
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-01-05T10:00:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-01-05T10:00:00")
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "published catalog")
    return minimal


def add_newcomer(catalog, monkeypatch) -> None:
    text = catalog.path("credentials/mig-welding.md").read_text()
    catalog.write(NEW, text.replace("ctid: ce-56767be7-f87d-5bb8-8efd-b70abf1f4be2\n", ""))
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-03-09T10:00:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-03-09T10:00:00")


def titles(catalog) -> list[str]:
    return [m for m in catalog.messages() if "[duplicate-title]" in m]


EXPECTED = [
    "content/credentials/advanced-mig.md:2:1: error [duplicate-title] title: "
    '"MIG Welding Fundamentals" is already the title of content/credentials/mig-welding.md. '
    "Choose a title that tells the two micro-credentials apart; leave the other file as it "
    "is. (Part 6A Titles)"
]


def test_an_uncommitted_copy_is_the_newcomer(history, monkeypatch):
    add_newcomer(history, monkeypatch)
    assert titles(history) == EXPECTED


def test_the_file_git_saw_later_is_the_newcomer(history, monkeypatch):
    add_newcomer(history, monkeypatch)
    git("add", "-A")
    git("commit", "-q", "-m", "propose advanced MIG")
    assert titles(history) == EXPECTED


def test_in_a_pull_request_the_changed_file_is_the_newcomer(history, monkeypatch):
    """Here the pull request renames the *older* file into a clash with a newer one."""
    add_newcomer(history, monkeypatch)
    history.edit(NEW, "title: MIG Welding Fundamentals", "title: Advanced MIG Welding")
    git("add", "-A")
    git("commit", "-q", "-m", "publish advanced MIG")
    git("checkout", "-q", "-b", "proposal")
    history.edit(
        "credentials/mig-welding.md",
        "title: MIG Welding Fundamentals",
        "title: Advanced MIG Welding",
    )
    git("commit", "-q", "-am", "rename MIG welding")
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    assert titles(history) == [
        "content/credentials/mig-welding.md:2:1: error [duplicate-title] title: "
        '"Advanced MIG Welding" is already the title of content/credentials/advanced-mig.md. '
        "Choose a title that tells the two micro-credentials apart; leave the other file as "
        "it is. (Part 6A Titles)"
    ]
    monkeypatch.delenv("GITHUB_BASE_REF")
    assert titles(history)[0].startswith("content/credentials/advanced-mig.md:2:1:")


def test_a_nearly_matching_title_is_reported_on_the_newcomer_too(history, monkeypatch):
    """The newcomer's slug (advanced-mig) sorts before the published mig-welding, whose
    title it nearly repeats: the warning still lands on the newcomer."""
    add_newcomer(history, monkeypatch)
    history.edit(NEW, "title: MIG Welding Fundamentals", "title: MIG Welding Fundamentals II")
    assert [m for m in history.messages() if "[similar-title]" in m] == [
        "content/credentials/advanced-mig.md:2:1: warning [similar-title] title: "
        '"MIG Welding Fundamentals II" is nearly the same as "MIG Welding Fundamentals", the '
        "name of content/credentials/mig-welding.md. Choose a title that names what sets this "
        "micro-credential apart; leave the other file as it is. (Part 6A Titles)"
    ]


def test_a_program_id_used_twice_is_reported_on_the_later_institution_file(history, monkeypatch):
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-03-09T10:00:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-03-09T10:00:00")
    text = history.path("institutions/lakeside.yml").read_text()
    history.write("institutions/aardvark.yml", text.replace("Lakeside", "Aardvark"))
    found = [m for m in history.messages() if "[duplicate-program]" in m]
    assert found and all(m.startswith("content/institutions/aardvark.yml:") for m in found)
    assert "is already used in content/institutions/lakeside.yml" in found[0]


def test_one_git_log_dates_every_file(history, monkeypatch):
    """Three files with one title, added in three commits: each later one is reported
    against the first, and git is asked for the files' history once for the whole folder
    (it used to run once per file at every comparison: thousands of processes at 10,000
    credentials)."""
    from microcred.content import history as dates

    calls: list[tuple[str, ...]] = []
    ask = dates._git

    def counted(folder, *args):
        calls.append(args)
        return ask(folder, *args)

    monkeypatch.setattr(dates, "_git", counted)
    text = history.path("credentials/mig-welding.md").read_text()
    for name, when in (("advanced-mig", "2026-03-09"), ("aaa-mig", "2026-04-01")):
        history.write(f"credentials/{name}.md", text.replace("ctid: ce-", "# ctid: ce-"))
        monkeypatch.setenv("GIT_AUTHOR_DATE", f"{when}T10:00:00")
        monkeypatch.setenv("GIT_COMMITTER_DATE", f"{when}T10:00:00")
        git("add", "-A")
        git("commit", "-q", "-m", f"propose {name}")
    assert [m.split(":")[0] for m in titles(history)] == [
        "content/credentials/aaa-mig.md",
        "content/credentials/advanced-mig.md",
    ]
    assert [m for m in titles(history) if "mig-welding.md." not in m] == []
    assert [args[0] for args in calls].count("log") == 2  # one per check, two checks
