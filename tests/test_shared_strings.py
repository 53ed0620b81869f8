"""Equal strings in checked results are one object once unpickled (``checked.Pickler``).

Each credential file's YAML is read into strings of its own, so the records and problems
of a large catalog held the same framework name, assessment method or rule message
thousands of times over: 76 MB of strings for 8 MB of distinct values on the long shape
at 10,000 (docs/performance.md, *Equal strings shared, and nothing held while Pagefind
runs*). The check's workers, the kept
checks and the build record pickle them with ``checked.dumps``, which writes an equal
string once; what is read back is equal to what was pickled, field for field.
"""

from __future__ import annotations

import pickle

from conftest import SITES

from microcred.build import checked, slotted
from microcred.content.load import load_content
from microcred.rules import check
from microcred.rules.profile import DEFAULT, load_profiles

FULL = SITES / "full" / "content"


def _checked_files() -> list:
    """What the check's workers give for every credential file of the full fixture,
    before it is pickled (``check._check_file``, as ``_check_files`` calls it)."""
    content = load_content(FULL, read_credentials=False)
    default = load_profiles(FULL).get(DEFAULT)
    return [check._check_file(FULL, path, default, {}) for path in content.unread]


def _strings(found: list) -> list[str]:
    """Every string held by the records and problems of ``found``, with repeats."""
    strings: list[str] = []

    def walk(value):
        if type(value) is str:
            strings.append(value)
        elif type(value) in (tuple, list):
            for item in value:
                walk(item)
        elif hasattr(type(value), "__dataclass_fields__"):
            for item in slotted.values(value):
                walk(item)

    for result in found:
        walk([result.record, result.problems])
    return strings


def _distinct_objects(strings: list[str]) -> int:
    return len({id(s) for s in strings})


def test_equal_strings_of_different_files_are_read_back_as_one_object():
    found = _checked_files()
    strings = _strings(found)
    assert len(set(strings)) < _distinct_objects(strings)  # the fixture repeats values
    read_back = pickle.loads(checked.dumps(found))
    shared = _strings(read_back)
    assert shared == strings
    assert _distinct_objects(shared) == len(set(shared))


def test_what_is_read_back_equals_what_was_pickled():
    found = _checked_files()
    read_back = pickle.loads(checked.dumps(found))
    assert [r.record for r in read_back] == [r.record for r in found]
    assert [r.problems for r in read_back] == [r.problems for r in found]
    assert [r.entry for r in read_back] == [r.entry for r in found]


def test_equal_strings_in_a_tuple_are_shared_too():
    found = [r for r in _checked_files() if r.record is not None]
    read_back = pickle.loads(checked.dumps(found))
    modes = [mode for r in read_back for mode in r.record.delivery]
    assert len(modes) > len(set(modes))
    assert _distinct_objects(modes) == len(set(modes))


def test_control_a_plain_pickle_keeps_every_file_its_own_strings():
    found = _checked_files()
    strings = _strings(pickle.loads(pickle.dumps(found, pickle.HIGHEST_PROTOCOL)))
    assert _distinct_objects(strings) > len(set(strings))


def test_without_sharing_the_same_results_are_read_back_and_strings_stay_apart():
    """The build record is pickled without the look for equal strings (``share=False``):
    the same results come back, and equal strings of different files stay two objects
    (the control that the look is what shares them)."""
    found = _checked_files()
    read_back = pickle.loads(checked.dumps(found, share=False))
    assert [(r.record, r.problems, r.entry) for r in read_back] == [
        (r.record, r.problems, r.entry) for r in found
    ]
    strings = _strings(read_back)
    assert _distinct_objects(strings) > len(set(strings))
