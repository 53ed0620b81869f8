"""A wheel built from ``pyproject.toml`` carries every subpackage and the files the build
reads (schemas, theme, guides), and builds the sample catalog from outside the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "microcred", "schema", "theme", "docs")


def test_a_wheel_installs_and_builds_the_sample(tmp_path):
    source = tmp_path / "source"  # a copy, so setuptools' build/ folder stays out of the repo
    source.mkdir()
    for name in SOURCES:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copyfile
        copy(ROOT / name, source / name, **({"ignore": shutil.ignore_patterns("__pycache__")}
             if (ROOT / name).is_dir() else {}))  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "dist"), str(source)],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = (tmp_path / "dist").glob("microcred-*.whl")
    installed = tmp_path / "installed"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(installed)
    assert "microcred/_files/theme/templates/credential.html" in names
    assert "microcred/_files/schema/credential.schema.json" in names
    assert "microcred/site/pages.py" in names

    shutil.copytree(ROOT / "content", tmp_path / "catalog" / "content")
    run = subprocess.run(
        [sys.executable, "-c",
         "import sys, microcred; from microcred.cli import main; print(microcred.__file__); "
         "sys.exit(main(['build', '--no-search', '--no-cache', '--quiet']))"],
        cwd=tmp_path / "catalog",
        env={**os.environ, "PYTHONPATH": str(installed), "MICROCRED_CACHE": "off"},
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(str(installed / "microcred"))
    site = tmp_path / "catalog" / "_site"
    assert (site / "credentials" / "technical-writing" / "v1" / "index.html").is_file()
    assert (site / "guide" / "fields" / "index.html").is_file()
    assert (site / "assets" / "site.css").is_file()
