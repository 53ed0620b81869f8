"""The command line as faculty and CI use it: exit codes, messages, GitHub output, `new`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIG = "credentials/mig-welding.md"


def run(*args: str, env: dict | None = None, cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


def test_check_on_a_clean_catalog_exits_0_and_writes_nothing(minimal):
    before = sorted(p for p in minimal.root.rglob("*"))
    result = run("check", cwd=minimal.root)
    assert result.returncode == 0
    assert result.stderr == "Checked 5 files: 0 errors, 0 warnings\n"
    assert sorted(p for p in minimal.root.rglob("*")) == before


def test_errors_exit_1_and_come_before_warnings(minimal):
    minimal.edit(MIG, "outcome: Set up", "outcome: Understand")
    minimal.edit(MIG, "version: 1", "version: 0")
    result = run("check", cwd=minimal.root)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert [line.split(" [")[0].rsplit(" ", 1)[1] for line in lines[:-1]] == ["error", "warning"]
    assert lines[-1] == "Checked 5 files: 1 error, 1 warning"


def test_warnings_fail_only_with_strict(minimal):
    minimal.edit(MIG, "outcome: Set up", "outcome: Understand")
    assert run("check", cwd=minimal.root).returncode == 0
    assert run("check", "--strict", cwd=minimal.root).returncode == 1


def test_usage_errors_exit_2():
    result = run("publish")
    assert result.returncode == 2
    assert "invalid choice: 'publish'" in result.stderr


def test_github_actions_get_annotations_and_a_step_summary(minimal, tmp_path):
    minimal.edit(MIG, "version: 1", "version: 0")
    summary = tmp_path / "summary.md"
    env = {"PATH": "/usr/bin:/bin", "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    result = run("check", env=env, cwd=minimal.root)
    assert result.stdout == (
        "::error file=content/credentials/mig-welding.md,line=18,col=1,title=[number-range] "
        "version::version: is 0; it must be at least 1. Write a number at least 1. (Part 8)\n"
    )
    assert summary.read_text() == (
        "\n## Catalog check\n\n**1 error, 0 warnings**\n\n"
        "| | File | Line | Field | Problem | Fix | Source |\n"
        "|---|---|---|---|---|---|---|\n"
        "| ❌ | `content/credentials/mig-welding.md` | 18 | `version` | is 0; it must be at "
        "least 1 [`number-range`] | Write a number at least 1 | Part 8 |\n"
    )


def test_a_file_whose_yaml_cannot_be_read_is_named_with_what_has_not_been_checked(minimal):
    minimal.edit(MIG, "type: industry", "type industry")
    result = run("check", cwd=minimal.root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-2:] == [
        "Checked 5 files: 1 error, 0 warnings",
        "Could not read the YAML of content/credentials/mig-welding.md: fix its YAML problems "
        "first; the other checks of that file run once it reads.",
    ]


def test_more_problems_than_github_shows_on_the_lines_are_announced(minimal, tmp_path):
    for number in range(11):
        minimal.edit(MIG, "review:\n", f"extra_{number}: x\nreview:\n")
    summary = tmp_path / "summary.md"
    env = {"PATH": "/usr/bin:/bin", "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    result = run("check", env=env, cwd=minimal.root)
    assert result.stdout.count("::error ") == 11
    assert result.stdout.splitlines()[-1] == (
        "GitHub shows only the first 10 errors and 10 warnings as notes on the files' lines; "
        "all 11 problems are listed on this run's Summary page."
    )


def test_a_failed_build_leaves_the_last_good_site_untouched(minimal):
    assert run("build", "--no-search", "--quiet", cwd=minimal.root).returncode == 0
    page = minimal.root / "_site" / "credentials" / "mig-welding" / "index.html"
    good = page.read_bytes()
    minimal.edit(MIG, "version: 1", "version: 0")
    result = run("build", "--no-search", cwd=minimal.root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "Not built: 1 error, 0 warnings; _site is unchanged"
    assert page.read_bytes() == good


def test_a_build_shows_each_stage_and_ends_with_a_summary(minimal):
    result = run("build", cwd=minimal.root)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    # Not a terminal: plain lines, one per finished stage, no carriage returns.
    stages = [line.split(":")[0].strip() for line in lines[1:-1]]
    assert stages == ["check", "data", "pages", "guides", "badges", "ctdl", "search"]
    assert all(re.fullmatch(r"  \w+: [\d,]+ files in \d+\.\d\ds", line) for line in lines[1:-1])
    assert "\r" not in result.stderr
    assert lines[-1].startswith("Built 2 credentials into _site: ")
    assert "0 errors, 0 warnings" in lines[-1]


def test_quiet_builds_print_nothing_but_problems(minimal):
    result = run("build", "--no-search", "--quiet", cwd=minimal.root)
    assert (result.returncode, result.stderr) == (0, "")


def test_the_script_runs_the_exit_handlers_and_flushes_before_it_ends(tmp_path):
    """``build.py`` ends through ``cli.exit_now``, which skips only the interpreter's freeing
    of every object: an exit handler still runs and buffered output still reaches a pipe.
    (Control: ``os._exit`` alone loses both.)"""
    mark = tmp_path / "mark"
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    ending = {"exit_now": "exit_now(3)", "None": "exit_now(None)", "os._exit alone": "os._exit(3)"}
    seen = {}
    for name, end in ending.items():
        mark.unlink(missing_ok=True)
        script = (
            "import atexit, os, sys; from microcred.cli import exit_now; "
            "atexit.register(lambda: open(sys.argv[1], 'w').write('ran')); "
            f"sys.stdout.write('buffered'); {end}"
        )
        result = subprocess.run(
            [sys.executable, "-c", script, str(mark)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
        )
        seen[name] = (result.returncode, result.stdout, mark.is_file())
    assert seen == {
        "exit_now": (3, "buffered", True),
        "None": (0, "buffered", True),  # as ``sys.exit()``
        "os._exit alone": (3, "", False),
    }


def test_a_build_leaves_no_temporary_folder_behind(minimal, tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {"PATH": "/usr/bin:/bin", "TMPDIR": str(scratch)}
    result = run("build", cwd=minimal.root, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1].startswith("Built 2 credentials into _site: ")
    assert list(scratch.iterdir()) == []


def test_new_scaffolds_a_proposal_that_names_its_placeholders(minimal):
    result = run("new", "Robot Cell Operation", "--credit-bearing", cwd=minimal.root)
    assert result.returncode == 0
    path = minimal.path("credentials/robot-cell-operation.md")
    assert result.stdout.startswith(
        "Wrote content/credentials/robot-cell-operation.md\nFill in these placeholders"
    )
    text = path.read_text()
    assert "institution: lakeside\n" in text  # the only institution is inferred
    assert "status: proposed\n" in text
    messages = [m for m in minimal.messages() if "robot-cell" in m]
    assert messages and all("[placeholder]" in m for m in messages)


def test_a_filled_in_scaffold_passes_check(minimal):
    run("new", "Robot Cell Operation", cwd=minimal.root)
    path = minimal.path("credentials/robot-cell-operation.md")
    text = path.read_text()
    for old, new in [
        (
            "TODO one or two sentences on what a learner can do after earning it",
            "Operate and safely recover a collaborative robot cell in a production line.",
        ),
        (
            "TODO industry-specific-technical-skill or transferable-skill",
            "industry-specific-technical-skill",
        ),
        ("TODO who may enrol", "Employees of partner manufacturers."),
        ("TODO what the learner can do", "Recover a faulted robot cell safely"),
        ("TODO how it is assessed", "Observed practical exam with a checklist"),
        ("TODO an employer or advisory committee", "Northland Fabrication"),
        ("TODO how they validated the outcomes", "Reviewed the checklist"),
        ("hours: TODO", "hours: 40"),
        ("credits_applied: TODO", "credits_applied: 2"),
        ("TODO a program id (welding-diploma, office-aas)", "welding-diploma"),
        ("TODO Describe the learning experience for a prospective learner.", "Hands on."),
        ("TODO Describe who benefits and what it leads to.", "Operators."),
    ]:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text)
    assert minimal.messages() == []


def test_new_refuses_to_overwrite(minimal):
    again = run("new", "MIG Welding", cwd=minimal.root)
    assert again.returncode == 1
    assert again.stderr == (
        "error: content/credentials/mig-welding.md already exists; edit "
        "it, or choose another title\n"
    )


def test_the_scaffold_never_prefills_a_program_it_lists_the_choices(minimal):
    assert run("new", "Robot Cell Operation", cwd=minimal.root).returncode == 0
    text = minimal.path("credentials/robot-cell-operation.md").read_text()
    assert "  - program: TODO a program id (welding-diploma, office-aas)\n" in text


def test_under_another_profile_the_scaffold_cites_no_minnesota_part(minimal):
    minimal.edit("site.yml", "policy: minnstate-3.36.2", "policy: suny")
    assert run("new", "Robot Cell Operation", cwd=minimal.root).returncode == 0
    text = minimal.path("credentials/robot-cell-operation.md").read_text()
    assert "Part " not in text and "via:" not in text
    assert "# Short, names the skill; not an academic program's name.\n" in text
    messages = [m for m in minimal.messages() if "robot-cell" in m]
    assert messages and all("[placeholder]" in m for m in messages)
