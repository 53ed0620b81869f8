"""The check reads the workers' results one pickled chunk at a time and lets each chunk go
as soon as it is read (``rules/check._unpickled``), so the check's process never holds the
pickled results of every file beside their records (issue 18, item 5; docs/performance.md,
*Memory on the long shape (issue 18, fourth session)*). The findings are as before: the
fixture sites' expected messages (tests/sites/*/expected.txt) are unchanged."""

from __future__ import annotations

import pickle

from microcred.rules import check


def _spying(monkeypatch, chunks):
    """Record, at each chunk read, how many pickled chunks the list still holds (the one
    being read is held only by the call reading it)."""
    held_at_each_read: list[int] = []
    loads = pickle.loads

    def spy(data):
        held_at_each_read.append(sum(1 for c in chunks if c is not None))
        return loads(data)

    monkeypatch.setattr(check.pickle, "loads", spy)
    return held_at_each_read


def test_each_chunk_is_let_go_once_read(monkeypatch):
    chunks = [pickle.dumps([f"file {i}a", f"file {i}b"]) for i in range(4)]
    held = _spying(monkeypatch, chunks)

    found = check._unpickled(chunks)

    assert found == [f"file {i}{x}" for i in range(4) for x in "ab"], "in order"
    assert held == [3, 2, 1, 0], "only the chunks still to read"
    assert chunks == []


def test_control_reading_them_all_in_one_go_holds_every_chunk(monkeypatch):
    """The form before (one comprehension over the list) keeps every chunk to the end:
    the spy sees all four held at every read, so the test above can tell them apart."""
    chunks = [pickle.dumps([i]) for i in range(4)]
    held = _spying(monkeypatch, chunks)

    found = [x for chunk in chunks for x in check.pickle.loads(chunk)]

    assert found == [0, 1, 2, 3]
    assert held == [4, 4, 4, 4]
