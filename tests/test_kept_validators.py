"""Compiled schema validators kept between builds never give another verdict than a fresh one.

``build/validators.py`` keeps the code object fastjsonschema's validator compiles to, under
a key of the schema, the options, the fastjsonschema version and Python's. These tests
hold it to ``fastjsonschema.compile``: the same verdicts from a kept validator; a changed
schema, a garbled file or a file kept under another key compiled again. The control
(a key blind to the schema) shows the changed-schema test would catch a stale validator.
"""

from __future__ import annotations

import marshal
import shutil

import fastjsonschema
import pytest
from conftest import SITES, TODAY
from test_checked_cache import _build, _lines

from microcred.build import validators
from microcred.rules import schema as schemas

SHORT = {"type": "object", "properties": {"title": {"type": "string", "maxLength": 5}}}
LONG = {"type": "object", "properties": {"title": {"type": "string", "maxLength": 50}}}
OPTIONS = {"use_default": False, "use_formats": False}


@pytest.fixture
def folder(tmp_path):
    """A folder to keep validators in, for this test only."""
    validators.keep_in(tmp_path / "validators")
    yield tmp_path / "validators"
    validators.keep_in(None)


def _verdict(validate, data) -> bool:
    try:
        validate(data)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


def test_a_kept_validator_gives_the_verdicts_of_a_fresh_one(folder):
    fresh = fastjsonschema.compile(SHORT, **OPTIONS)
    first = validators.compiled(SHORT, **OPTIONS)
    assert len(list(folder.iterdir())) == 1
    kept = validators.compiled(SHORT, **OPTIONS)
    for data in ({"title": "Weld"}, {"title": "Welding"}, {"title": 3}, {}):
        assert _verdict(kept, data) == _verdict(first, data) == _verdict(fresh, data)


def test_the_credential_schema_kept_gives_its_verdicts(folder):
    """The real schema, as ``rules/schema.py`` rewrites it, loaded from the kept file."""
    draft7 = schemas._as_draft7(schemas.load_schema("credential"))
    schema = {**schemas._inline_refs(draft7, draft7.get("$defs", {})), "$schema": schemas.DRAFT7}
    validators.compiled(schema, **OPTIONS)
    kept = validators.compiled(schema, **OPTIONS)
    with pytest.raises(fastjsonschema.JsonSchemaValueException, match="must contain"):
        kept({"title": "Welding"})


def test_a_changed_schema_is_compiled_again(folder):
    validators.compiled(LONG, **OPTIONS)
    changed = validators.compiled(SHORT, **OPTIONS)
    assert not _verdict(changed, {"title": "Welding"})
    assert len(list(folder.iterdir())) == 2


def test_control_a_key_blind_to_the_schema_would_reuse_a_stale_validator(folder, monkeypatch):
    """Broken on purpose: with a key that leaves the schema out, the test above fails."""
    monkeypatch.setattr(validators, "key", lambda schema, options: "blind")
    validators.compiled(LONG, **OPTIONS)
    stale = validators.compiled(SHORT, **OPTIONS)
    assert _verdict(stale, {"title": "Welding"})  # LONG's verdict: the stale validator


def test_the_key_follows_the_options_and_the_library_version(monkeypatch):
    before = validators.key(SHORT, OPTIONS)
    assert validators.key(SHORT, {**OPTIONS, "use_default": True}) != before
    monkeypatch.setattr(fastjsonschema, "VERSION", "0.0.1")
    assert validators.key(SHORT, OPTIONS) != before


@pytest.mark.parametrize(
    "kept",
    [
        lambda key: b"garbled",
        lambda key: b"",
        lambda key: marshal.dumps(("another key", compile("x = 1", "<x>", "exec"))),
        lambda key: marshal.dumps((key, "not code")),
    ],
    ids=["garbled", "empty", "another key", "not code"],
)
def test_a_garbled_or_foreign_file_is_compiled_again(folder, kept):
    path = folder / f"{validators.key(SHORT, OPTIONS)}.marshal"
    folder.mkdir(parents=True)
    path.write_bytes(kept(path.stem))
    validate = validators.compiled(SHORT, **OPTIONS)
    assert not _verdict(validate, {"title": "Welding"})
    assert _verdict(validate, {"title": "Weld"})
    assert marshal.loads(path.read_bytes())[0] == path.stem  # replaced by a sound one


def test_without_a_folder_nothing_is_kept(tmp_path):
    validators.keep_in(None)
    assert not _verdict(validators.compiled(SHORT, **OPTIONS), {"title": "Welding"})
    assert not list(tmp_path.iterdir())


def test_a_cached_build_keeps_them_and_reports_as_a_clean_one(tmp_path, monkeypatch):
    """A build with the cache on keeps the validators it compiled; the next one, in a
    process that compiled none yet, loads them and reports the same problems as a
    build with the cache off."""
    shutil.copytree(SITES / "many-mistakes" / "content", tmp_path / "content")
    monkeypatch.setenv("MICROCRED_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    schemas._is_valid.cache_clear()
    first = _build(tmp_path / "content", tmp_path / "_site", TODAY)
    kept = sorted(p.name for p in (tmp_path / "cache").rglob("validators/*.marshal"))
    assert kept
    schemas._is_valid.cache_clear()
    second = _build(tmp_path / "content", tmp_path / "_site", TODAY)
    monkeypatch.setenv("MICROCRED_CACHE", "off")
    schemas._is_valid.cache_clear()
    clean = _build(tmp_path / "content", tmp_path / "clean", TODAY)
    assert _lines(first) == _lines(second) == _lines(clean)
    assert sorted(p.name for p in (tmp_path / "cache").rglob("validators/*.marshal")) == kept
    validators.keep_in(None)
