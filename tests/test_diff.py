"""`diff BASE`: what a pull request changes, and the criteria-version rules of Part 8.

The fixture is a git repository with two commits: the minimal catalog as published
(the base), then the test's edit on top of it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from microcred.cli import main
from microcred.commands.diff import counts, diff_catalog, markdown_summary, text_summary
from microcred.commands.freeze import freeze
from microcred.reporting.errors import BuildError

OFFICE = "credentials/office-communication.md"
WELDING = "credentials/mig-welding.md"


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.edu", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def repo(minimal):
    """The minimal catalog committed once; the test edits it and commits again."""
    git(minimal.root, "init", "-q", "-b", "main")
    git(minimal.root, "add", "-A")
    git(minimal.root, "commit", "-q", "-m", "base")

    def commit() -> None:
        git(minimal.root, "add", "-A")
        git(minimal.root, "commit", "-q", "-m", "change")

    minimal.commit = commit
    return minimal


def messages(result) -> list[str]:
    return [str(p) for p in result.problems]


def test_an_unchanged_catalog_has_nothing_to_report(repo):
    result = diff_catalog(Path("content"), "HEAD")
    assert text_summary(result) == "Changes since HEAD: no changes to the catalog\n"
    assert result.problems == []


def test_changed_criteria_without_a_new_version_is_an_error(repo):
    repo.edit(OFFICE, "Memo scored with a rubric", "Memo scored by two raters")
    repo.commit()
    result = diff_catalog(Path("content"), "HEAD~1")
    assert messages(result) == [
        "content/credentials/office-communication.md:16:1: error [version-not-bumped] version: "
        "the criteria changed (`outcomes`) but `version` is still 1; earners of version 1 "
        "would find criteria they were never held to. Freeze version 1 as it was with "
        "`python build.py freeze office-communication --from HEAD~1`; it also sets "
        "`version: 2`. (Part 8)"
    ]
    assert text_summary(result) == (
        "Changes since HEAD~1: 1 changed\n"
        "\n"
        "Changed:\n"
        '  credential office-communication "Workplace Communication" (criteria changed)\n'
        "      outcomes[0].assessment: Memo scored with a rubric by the instructor"
        " → Memo scored by two raters by the instructor\n"
    )


def test_a_frozen_version_and_a_new_version_make_a_clean_criteria_change(repo):
    assert main(["freeze", "office-communication"]) == 0
    repo.edit(OFFICE, "Memo scored with a rubric", "Memo scored by two raters")
    repo.commit()
    result = diff_catalog(Path("content"), "HEAD~1")
    assert result.problems == []
    assert [(c.section, c.kind, c.name, c.note) for c in result.changes] == [
        ("changed", "credential", "office-communication", "criteria version 1 → 2"),
        ("added", "version", "office-communication/v1", ""),
    ]
    assert [(f.field, f.before, f.after) for f in result.changes[0].fields] == [
        (
            "outcomes[0].assessment",
            "Memo scored with a rubric by the instructor",
            "Memo scored by two raters by the instructor",
        ),
        ("version", 1, 2),
    ]


def test_a_new_version_without_the_frozen_copy_is_an_error(repo):
    repo.edit(OFFICE, "version: 1", "version: 2")
    repo.commit()
    assert messages(diff_catalog(Path("content"), "HEAD~1")) == [
        "content/credentials/office-communication.md:16:1: error [version-not-frozen] version: "
        "`version` went from 1 to 2 but version 1's criteria are not frozen in "
        "content/versions/office-communication/v1.md. Save them with `python build.py "
        "freeze office-communication --from HEAD~1`. (Part 8)"
    ]
    freeze(Path("content"), "office-communication", base="HEAD~1")
    assert diff_catalog(Path("content"), "HEAD~1").problems == []


def test_the_printed_fix_for_an_unbumped_version_makes_the_diff_clean(repo):
    repo.edit(OFFICE, "Memo scored with a rubric", "Memo scored by two raters")
    repo.commit()
    freeze(Path("content"), "office-communication", base="HEAD~1")
    assert diff_catalog(Path("content"), "HEAD~1").problems == []
    frozen = Path("content/versions/office-communication/v1.md").read_text()
    assert "Memo scored with a rubric" in frozen


def test_a_file_that_no_longer_parses_is_an_error_not_no_change(repo):
    repo.edit(OFFICE, "status: active", "status active")
    repo.commit()
    result = diff_catalog(Path("content"), "HEAD~1")
    assert counts(result) == "1 file that cannot be read"
    assert messages(result) == [
        "content/credentials/office-communication.md:15:1: error [yaml] status: this line "
        "has no `:` after the field name `status`; `diff` cannot tell what this file "
        "changes. Write `status: active`; if the line continues the value above, indent "
        "it. (YAML)"
    ]
    assert result.errors


def test_a_version_never_goes_down(repo):
    repo.edit(OFFICE, "version: 1", "version: 2")
    repo.commit()
    repo.edit(OFFICE, "version: 2", "version: 1")
    repo.commit()
    assert [p.rule for p in diff_catalog(Path("content"), "HEAD~1").problems] == ["version-lowered"]


def test_a_proposal_changes_freely(repo):
    repo.edit(OFFICE, "status: active", "status: proposed")
    repo.commit()
    repo.edit(OFFICE, "Memo scored with a rubric", "Memo scored by two raters")
    repo.commit()
    result = diff_catalog(Path("content"), "HEAD~1")
    assert result.problems == []
    assert result.changes[0].note == "criteria changed"


def test_suspending_closing_and_approving_have_their_own_sections(repo):
    repo.edit(OFFICE, "status: active", "status: closed")
    repo.edit(WELDING, "status: active", "status: suspended")
    repo.commit()
    result = diff_catalog(Path("content"), "HEAD~1")
    assert [(c.section, c.name) for c in result.changes] == [
        ("suspended", "mig-welding"),
        ("closed", "office-communication"),
    ]
    assert text_summary(result).splitlines()[0] == ("Changes since HEAD~1: 1 suspended, 1 closed")


def test_deleting_a_published_credential_says_to_close_it(repo):
    repo.write("credentials/extra-skill.md", repo.path(OFFICE).read_text())
    repo.commit()
    repo.path("credentials/extra-skill.md").unlink()
    repo.commit()
    result = diff_catalog(Path("content"), "HEAD~1")
    assert messages(result) == [
        "content/credentials/extra-skill.md:1:1: error [credential-deleted] the published "
        "credential `extra-skill` was deleted; its pages and badge JSON would stop working "
        "for everyone who earned it. Restore the file and set `status: closed` instead. (Part 8)"
    ]
    assert [(c.section, c.name) for c in result.changes] == [("removed", "extra-skill")]


def test_a_rename_with_redirect_from_is_a_rename(repo):
    text = repo.path(OFFICE).read_text()
    repo.path(OFFICE).unlink()
    repo.write(
        "credentials/workplace-communication.md",
        text.replace("version: 1", "version: 1\nredirect_from: [office-communication]"),
    )
    repo.commit()
    result = diff_catalog(Path("content"), "HEAD~1")
    assert result.problems == []
    assert [(c.section, c.name, c.note) for c in result.changes] == [
        ("renamed", "workplace-communication", "renamed from office-communication"),
    ]


def test_a_new_credential_is_added(repo):
    repo.write(
        "credentials/extra-skill.md",
        repo.path(OFFICE).read_text().replace("status: active", "status: proposed"),
    )
    repo.commit()
    result = diff_catalog(Path("content"), "HEAD~1")
    assert [(c.section, c.name, c.note) for c in result.changes] == [
        ("added", "extra-skill", "status proposed"),
    ]


def test_editing_a_frozen_version_is_an_error(repo):
    main(["freeze", "office-communication"])
    repo.commit()
    repo.edit("versions/office-communication/v1.md", "Memo scored", "Memo graded")
    repo.commit()
    assert [p.rule for p in diff_catalog(Path("content"), "HEAD~1").problems] == [
        "frozen-version-edited"
    ]


def test_a_frozen_version_may_gain_its_badge_platform_template(repo):
    """docs/badge-platforms.md: one platform template per criteria version, recorded in
    the frozen copy; the template id and badge page are not criteria."""
    main(["freeze", "office-communication"])
    repo.commit()
    repo.edit(
        "versions/office-communication/v1.md",
        "status: active",
        "status: active\nbadge:\n  template_id: tpl-v1\n"
        "  url: https://www.credly.com/org/lakeside/badge/office-v1",
    )
    repo.commit()
    result = diff_catalog(Path("content"), "HEAD~1")
    assert result.problems == []
    assert [(f.field, f.after) for f in result.changes[0].fields] == [
        ("badge.template_id", "tpl-v1"),
        ("badge.url", "https://www.credly.com/org/lakeside/badge/office-v1"),
    ]


def test_the_markdown_summary_tables_each_field(repo):
    repo.edit(OFFICE, "contact: ce@lakeside.example.edu", "contact: cc|x@lakeside.example.edu")
    repo.commit()
    summary = markdown_summary(diff_catalog(Path("content"), "HEAD~1"))
    assert "| `contact` | ce@lakeside.example.edu | cc\\|x@lakeside.example.edu |" in summary
    assert summary.startswith("## Catalog changes since `HEAD~1`\n\n**1 changed**\n")


def test_the_command_writes_the_step_summary_and_fails_on_errors(repo, monkeypatch, capsys):
    repo.edit(OFFICE, "Memo scored with a rubric", "Memo scored by two raters")
    repo.commit()
    summary = repo.root / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["diff", "HEAD~1"]) == 1
    written = summary.read_text()
    assert written.startswith("\n## Catalog changes since `HEAD~1`")
    assert "## Criteria versions and removals" in written
    assert "::error file=content/credentials/office-communication.md,line=16" in (
        capsys.readouterr().out
    )


def test_an_unknown_ref_is_explained(repo):
    with pytest.raises(BuildError, match=r"^`nope` is not a commit in this repository; fetch"):
        diff_catalog(Path("content"), "nope")


def test_a_credential_saved_outside_the_content_folder_is_an_error(repo):
    """Saved at the repository's top, the proposal would pass every check unread."""
    text = repo.path(OFFICE).read_text(encoding="utf-8")
    (repo.root / "grant-writing-basics.md").write_text(text, encoding="utf-8")
    (repo.root / "NOTES.md").write_text("# Notes\n\nNot a credential.\n", encoding="utf-8")
    repo.commit()
    assert messages(diff_catalog(Path("content"), "HEAD~1")) == [
        "grant-writing-basics.md:1:1: error [misplaced-file] this file looks like a credential, "
        "but it is outside the content folder, so the catalog never reads it and nothing is "
        "proposed. Move it to content/credentials/grant-writing-basics.md (in GitHub's editor, "
        "rename it by typing `content/credentials/` before its name). (content format)"
    ]


def test_a_template_edited_in_place_is_an_error(repo):
    template = repo.root / "docs" / "templates" / "non-credit.md"
    template.parent.mkdir(parents=True)
    template.write_text("---\ntitle: TODO\n---\n", encoding="utf-8")
    repo.commit()
    template.write_text("---\ntitle: Grant Writing Basics\n---\n", encoding="utf-8")
    repo.commit()
    assert messages(diff_catalog(Path("content"), "HEAD~1")) == [
        "docs/templates/non-credit.md:1:1: error [misplaced-file] the templates in "
        "docs/templates/ are for copying; the catalog never reads them, so a credential "
        "written here is not proposed. Put the template back as it was, and save your text as "
        "a new file content/credentials/<slug>.md (in GitHub: Add file, Create new file, and "
        "type the whole path as its name). (content format)"
    ]
