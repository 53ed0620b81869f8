"""Compiled code no build has used for a month leaves the build cache; code in use stays.

``build/pruning.py``: the compiled templates of other generator versions
(``.cache/microcred/templates/<key>/``) and the compiled validators of other schema versions
(``.cache/microcred/validators/<key>.marshal``) accumulated without end in a cache that the
deploy workflow restores and saves on every push. A build now marks what it uses and
removes what was last used more than 30 days ago. The control shows that an entry used
ten days ago, by code this build does not run (a side-by-side benchmark's other checkout),
is kept.
"""

from __future__ import annotations

import os
import shutil
import time

import pytest
from conftest import SITES
from test_checked_cache import _build

from microcred.build import pruning, validators
from microcred.rules import schema as schemas
from microcred.site import templates

DAY = 86400


def _aged(path, days: float):
    """``path``, last used ``days`` ago."""
    then = time.time() - days * DAY
    os.utime(path, (then, then))
    return path


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """The minimal fixture catalog, its build cache in the test's folder."""
    shutil.copytree(SITES / "minimal" / "content", tmp_path / "content")
    monkeypatch.setenv("MICROCRED_CACHE", str(tmp_path / "cache"))
    schemas._is_valid.cache_clear()  # as in a new process: the validators are loaded again
    yield tmp_path / "cache"
    templates.keep_compiled(None)
    validators.keep_in(None)


def test_entries_unused_for_more_than_a_month_are_removed(tmp_path):
    (tmp_path / "old-folder").mkdir()
    (tmp_path / "old-folder" / "code.bin").write_bytes(b"x")
    (tmp_path / "old-file.marshal").write_bytes(b"x")
    (tmp_path / "recent.marshal").write_bytes(b"x")
    _aged(tmp_path / "old-folder", 31)
    _aged(tmp_path / "old-file.marshal", 45)
    _aged(tmp_path / "recent.marshal", 29)
    assert pruning.prune(tmp_path) == ["old-file.marshal", "old-folder"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recent.marshal"]


def test_a_missing_folder_is_nothing_to_prune(tmp_path):
    assert pruning.prune(tmp_path / "never-made") == []


def test_a_build_removes_old_versions_and_keeps_its_own_and_recent_ones(cache, tmp_path):
    _build(tmp_path / "content", tmp_path / "_site")
    own_templates = list((cache / "templates").iterdir())
    own = own_templates + list((cache / "validators").iterdir())
    assert len(own_templates) == 1 and len(own) > 1
    for path in own:
        _aged(path, 20)
    (cache / "templates" / "a-version-gone").mkdir()
    (cache / "templates" / "a-version-gone" / "t.cache").write_bytes(b"x")
    _aged(cache / "templates" / "a-version-gone", 40)
    _aged(_write(cache / "validators" / "gone.marshal"), 40)
    _aged(_write(cache / "validators" / "other-checkout.marshal"), 10)  # the control

    _build(tmp_path / "content", tmp_path / "_elsewhere")  # not answered by the last record

    assert sorted(p.name for p in (cache / "templates").iterdir()) == [own_templates[0].name]
    assert sorted(p.name for p in (cache / "validators").iterdir()) == sorted(
        [p.name for p in own if p.parent.name == "validators"] + ["other-checkout.marshal"]
    )
    assert time.time() - own_templates[0].stat().st_mtime < DAY, "templates not marked used"


def test_a_kept_validator_loaded_is_marked_as_used(tmp_path):
    schema = {"type": "object", "properties": {"title": {"type": "string"}}}
    validators.keep_in(tmp_path)
    try:
        validators.compiled(schema)
        (kept,) = tmp_path.iterdir()
        _aged(kept, 20)
        validators.compiled(schema)
    finally:
        validators.keep_in(None)
    assert time.time() - kept.stat().st_mtime < DAY


def _write(path):
    path.write_bytes(b"x")
    return path
