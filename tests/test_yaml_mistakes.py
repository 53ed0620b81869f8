"""Each mistake people make editing YAML by hand, and the exact words the author reads.

Every case is one edit to the valid ``tests/sites/minimal`` catalog: what the author
meant (``old``) and what they typed (``new``). The YAML behaviours behind them are
YAML 1.1's, which PyYAML follows: ``yes``/``no``/``on``/``off`` are booleans
(https://yaml.org/type/bool.html), ``11:20`` is a base-60 number and ``1.10`` a float
(https://yaml.org/type/int.html, https://yaml.org/type/float.html), and `` #`` starts a
comment (https://yaml.org/spec/1.1/#id864510). Curly quotes are what word processors
type for ``"`` (Word's AutoFormat "Straight quotes with smart quotes").
"""

from __future__ import annotations

import pytest

MIG = "credentials/mig-welding.md"
COMM = "credentials/office-communication.md"

MISTAKES = [
    pytest.param(
        MIG,
        "eligibility: Open to anyone 16 or older; no prerequisites.",
        "eligibility: Open to anyone who finished MATH #101 or placement",
        [
            (
                "content/credentials/mig-welding.md:7:47: error [yaml-comment] "
                "eligibility: `#101 or placement` is not stored: in YAML, ` #` starts "
                "a comment, so the value ends at `Open to anyone who finished MATH`. "
                'Put the whole value in quotes: `eligibility: "Open to anyone who '
                'finished MATH #101 or placement"`. (YAML)'
            ),
        ],
        id="text-after-hash",
    ),
    pytest.param(
        MIG,
        "status: active",
        "status: active  # approved by the dean in March",
        [
            (
                "content/credentials/mig-welding.md:17:17: warning [yaml-comment] "
                "status: the comment `# approved by the dean in March` is not part of "
                "the value and appears nowhere. Keep it only if it is a note for "
                'reviewers; if it belongs to the value, write `status: "active  # '
                'approved by the dean in March"`. (YAML)'
            ),
        ],
        id="comment-after-value",
    ),
    pytest.param(
        MIG,
        "version: 1\n",
        "version: 1\ntitle: MIG Welding\n",
        [
            (
                "content/credentials/mig-welding.md:19:1: error [duplicate-field] "
                "title: the field `title` is given twice (first on line 2); YAML would "
                "keep only this one. Keep one of them: delete this line or the first, "
                "or merge their values. (YAML)"
            ),
        ],
        id="duplicate-key",
    ),
    pytest.param(
        MIG,
        "credit_bearing: true",
        "credit_bearing: yes",
        [
            (
                "content/credentials/mig-welding.md:6:1: warning [yaml-value] "
                "credit_bearing: YAML reads `yes` as `true`. Write `true`, so the file "
                "says what the catalog will show. (YAML)"
            ),
        ],
        id="yes-for-true",
    ),
    pytest.param(
        MIG,
        "eligibility: Open to anyone 16 or older; no prerequisites.",
        "eligibility: no",
        [
            (
                "content/credentials/mig-welding.md:7:1: error [field-type] "
                "eligibility: must be text, but YAML reads `no` as `false`. Put it in "
                'quotes: `eligibility: "no"`. (Part 6A Eligibility)'
            ),
        ],
        id="no-as-text",
    ),
    pytest.param(
        MIG,
        "delivery: [in-person]",
        "delivery: [in-person, on]",
        [
            (
                "content/credentials/mig-welding.md:13:23: error [allowed-values] "
                "delivery[1]: YAML reads `on` as `true`, which is not one of `online`, "
                "`in-person`, `hybrid`. Use one of `online`, `in-person`, `hybrid`. "
                "(Part 5)"
            ),
        ],
        id="on-in-a-list",
    ),
    pytest.param(
        MIG,
        "version: 1\n",
        "version: 1.10\n",
        [
            (
                "content/credentials/mig-welding.md:18:1: error [field-type] version: "
                "must be a whole number, but YAML reads `1.10` as the number 1.1. "
                "Write a whole number, for example 1. (Part 8)"
            ),
        ],
        id="version-1.10",
    ),
    pytest.param(
        MIG,
        "code: WELD 1120",
        "code: 1120",
        [
            (
                "content/credentials/mig-welding.md:25:5: error [field-type] "
                "courses[1].code: must be text, but YAML reads `1120` as the number "
                '1120. Put it in quotes: `code: "1120"`. (Part 6B)'
            ),
        ],
        id="course-code-number",
    ),
    pytest.param(
        MIG,
        "code: WELD 1120",
        "code: 11:20",
        [
            (
                "content/credentials/mig-welding.md:25:5: error [field-type] "
                "courses[1].code: must be text, but YAML reads `11:20` as the number "
                '680. Put it in quotes: `code: "11:20"`. (Part 6B)'
            ),
        ],
        id="time-like-code",
    ),
    pytest.param(
        MIG,
        "  date: 2026-03-01",
        "  date: 2026-03-01 09:30",
        [
            (
                "content/credentials/mig-welding.md:34:3: error [format] "
                "approved.date: `2026-03-01 09:30` is not a date in the form "
                "YYYY-MM-DD. Write a date in the form YYYY-MM-DD, such as "
                "`2026-08-15`. (Part 7B)"
            ),
        ],
        id="date-and-time",
    ),
    pytest.param(
        COMM,
        "hours: 24",
        "hours: NA",
        [
            (
                "content/credentials/office-communication.md:18:1: error [field-type] "
                "hours: must be a number, not text. Write a number, for example 40. "
                "(Part 6C)"
            ),
        ],
        id="na-for-a-number",
    ),
    pytest.param(
        MIG,
        "eligibility: Open to anyone 16 or older; no prerequisites.",
        "eligibility:",
        [
            (
                "content/credentials/mig-welding.md:7:1: error [field-type] "
                "eligibility: has no value. Write text, for example Open to current "
                "students and community members; no prerequisites. (Part 6A "
                "Eligibility)"
            ),
        ],
        id="empty-value",
    ),
    pytest.param(
        MIG,
        "summary: Set up a MIG welder and make sound fillet and groove welds in flat "
        "and horizontal positions.",
        "summary: > Set up a MIG welder\n  and make sound welds.",
        [
            (
                "content/credentials/mig-welding.md:3:12: error [yaml] summary: "
                "nothing may follow `|` or `>` on the same line: the text of the block "
                "starts on the next line. Move the text to the next line, indented two "
                "spaces more than `summary`. (YAML)"
            ),
        ],
        id="text-on-the-block-line",
    ),
    pytest.param(
        MIG,
        "summary: Set up a MIG welder and make sound fillet and groove welds in flat "
        "and horizontal positions.",
        "summary: >\n  Set up a MIG welder and make sound fillet\nand groove welds in "
        "flat and horizontal positions.",
        [
            (
                "content/credentials/mig-welding.md:5:1: error [yaml] summary: this "
                "line is less indented than the text block of `summary` (line 3), so "
                "it is not part of that text. Indent it like the lines of the text "
                "above it. (YAML)"
            ),
        ],
        id="block-line-less-indented",
    ),
    pytest.param(
        MIG,
        "  partners: [Northland Fabrication]",
        "\tpartners: [Northland Fabrication]",
        [
            (
                "content/credentials/mig-welding.md:15:1: error [yaml] partners: this "
                "line is indented with a tab character; YAML indents with spaces only. "
                "Replace the tab at the start of the line with 2 spaces (two more than "
                "`employer_validation` above). (YAML)"
            ),
        ],
        id="tab-before-key",
    ),
    pytest.param(
        MIG,
        "institution: lakeside",
        "\tinstitution: lakeside",
        [
            (
                "content/credentials/mig-welding.md:4:1: error [yaml] institution: this line "
                "is indented with a tab character; YAML indents with spaces only. Delete the "
                "tab at the start of the line, so it starts in column 1 like the line above. "
                "(YAML)"
            ),
        ],
        id="tab-before-top-level-key",
    ),
    pytest.param(
        MIG,
        "eligibility: Open to anyone 16 or older; no prerequisites.",
        # a sentence pasted from a word processor, broken where its line ended
        "eligibility: Open to anyone 16 or older, or anyone who has\nplaced into "
        "college-level English",
        [
            (
                "content/credentials/mig-welding.md:8:1: error [yaml] eligibility: this line "
                "has no `:` and `placed` is not a field, so it looks like the rest of the text "
                "of `eligibility` on line 7, which YAML reads as a new field. Join it to the "
                "end of line 7, or indent it with two spaces so it continues the text of "
                "`eligibility`. (YAML)"
            ),
        ],
        id="value-broken-onto-a-second-line",
    ),
    pytest.param(
        MIG,
        "institution: lakeside\n",
        "institution lakeside\n# the college that awards it\n",
        [
            (
                "content/credentials/mig-welding.md:4:1: error [yaml] institution: "
                "this line has no `:` after the field name `institution`. Write "
                "`institution: lakeside`; if the line continues the value above, "
                "indent it. (YAML)"
            ),
        ],
        id="missing-colon",
    ),
    pytest.param(
        MIG,
        "title: MIG Welding Fundamentals",
        "title: “MIG Welding: Fundamentals”",
        [
            (
                "content/credentials/mig-welding.md:2:20: error [yaml] title: the "
                "value is in curly quotes (“ ” or ‘ ’, as word processors write them), "
                "which YAML does not read as quotes, so the `: ` inside it starts a "
                'new field. Use straight quotes: `title: "MIG Welding: Fundamentals"`. '
                "(YAML)"
            ),
        ],
        id="curly-quotes-with-colon",
    ),
    pytest.param(
        MIG,
        "title: MIG Welding Fundamentals",
        "title: “MIG Welding Fundamentals”",
        [
            (
                "content/credentials/mig-welding.md:2:8: warning [curly-quotes] title: "
                "the curly quotes “ ” around the value are not read as quotes; they "
                "would show on the page as part of the text. Use straight quotes: "
                '`title: "MIG Welding Fundamentals"`. (YAML)'
            ),
        ],
        id="curly-quotes",
    ),
    pytest.param(
        MIG,
        "eligibility: Open to anyone 16 or older; no prerequisites.",
        "eligibility: Open to anyone 16 or older: no prerequisites.",
        [
            (
                "content/credentials/mig-welding.md:7:40: error [yaml] eligibility: "
                "the value of `eligibility` has a `: ` in it (column 40), which YAML "
                "reads as the start of another field. Put the whole value in quotes: "
                '`eligibility: "Open to anyone 16 or older: no prerequisites."`. (YAML)'
            ),
        ],
        id="colon-inside-value",
    ),
    pytest.param(
        MIG,
        "    assessment: Equipment set-up checklist observed by the instructor",
        "   assessment: Equipment set-up checklist observed by the instructor",
        [
            (
                "content/credentials/mig-welding.md:10:4: error [yaml] assessment: "
                "`assessment` is indented differently from the fields of the list item "
                "on line 9 (`outcome`), so it belongs to neither that item nor the "
                "next. Line it up under `outcome` (column 5) to add it to that item, "
                "or start a new item with `- `. (YAML)"
            ),
        ],
        id="list-item-misaligned",
    ),
    pytest.param(
        MIG,
        "type: industry",
        " type: industry",
        [
            (
                "content/credentials/mig-welding.md:5:2: error [yaml] type: `type` is "
                "indented more than `institution` on the line above, so it reads as "
                "part of that field's value. Start `type` in the same column as the "
                "field it sits beside. (YAML)"
            ),
        ],
        id="key-indented-more",
    ),
    pytest.param(
        MIG,
        "title: MIG Welding Fundamentals",
        'title: "MIG Welding Fundamentals',
        [
            (
                "content/credentials/mig-welding.md:2:8: error [yaml] title: the quote "
                '`"` that starts this value is never closed. Add the closing `"` at '
                'the end of the value; write a `"` inside the text as `\\"`. (YAML)'
            ),
        ],
        id="quote-never-closed",
    ),
    pytest.param(
        MIG,
        "title: MIG Welding Fundamentals",
        'title: "MIG Welding" Fundamentals',
        [
            (
                "content/credentials/mig-welding.md:2:22: error [yaml] title: there is "
                'text after the closing quote `"` of the value. Put the whole value '
                'inside the quotes: `title: "MIG Welding Fundamentals"`. (YAML)'
            ),
        ],
        id="text-after-closing-quote",
    ),
    pytest.param(
        MIG,
        "status: active",
        "status: Approved",
        [
            (
                "content/credentials/mig-welding.md:17:1: error [allowed-values] "
                "status: `Approved` is not one of `proposed`, `active`, `suspended`, "
                "`closed`. Did you mean `active`? An approved micro-credential that is "
                "offered is `active`; `proposed` is for one still awaiting approval. "
                "(Part 8)"
            ),
        ],
        id="status-approved",
    ),
    pytest.param(
        MIG,
        "status: active",
        "status: Active",
        [
            (
                "content/credentials/mig-welding.md:17:1: error [allowed-values] "
                "status: `Active` is not one of `proposed`, `active`, `suspended`, "
                "`closed`. Did you mean `active`? (Part 8)"
            ),
        ],
        id="status-capitalised",
    ),
    pytest.param(
        MIG,
        "inventory_id: MC-1001\n",
        "",
        [
            (
                "content/credentials/mig-welding.md:17:1: error [approval-record] "
                "inventory_id: `inventory_id` is missing; it is required because "
                "`status` is `active` (line 17). Add `inventory_id: …` from the record in "
                "your system's program inventory. If it is not approved yet, write "
                "`status: proposed` instead. (Part 6A System Record Entry)"
            ),
        ],
        id="approval-follows-from-status",
    ),
    pytest.param(
        MIG,
        "contact: welding@lakeside.example.edu",
        "contact: @lakeside welding office",
        [
            (
                "content/credentials/mig-welding.md:19:10: error [yaml] contact: a "
                "value cannot start with `@` in YAML. Put the value in quotes: "
                '`contact: "@lakeside welding office"`. (YAML)'
            ),
        ],
        id="value-starting-with-at",
    ),
    pytest.param(
        MIG,
        "delivery: [in-person]",
        "delivery: [in-person",
        [
            (
                "content/credentials/mig-welding.md:13:11: error [yaml] delivery: the "
                "value starts with `[`, which YAML reads as the start of a list, and "
                "it is not closed with `]` (or an item in it holds a `,`, `:` or `#` "
                "without quotes). If it is text, put it in quotes: `delivery: "
                '"[in-person"`; if it is a list, end it with `]` and quote any item '
                "containing `,` `:` or `#`. (YAML)"
            ),
        ],
        id="unclosed-list",
    ),
    pytest.param(
        MIG,
        "    assessment: Weld coupons inspected against AWS D1.1 criteria",
        "assessment: Weld coupons inspected against AWS D1.1 criteria",
        [
            (
                "content/credentials/mig-welding.md:11:5: error [required-field] "
                "outcomes[1].assessment: `assessment` is missing. Add `assessment: ...`: how "
                "mastery of the outcome is assessed; attendance or participation alone is not "
                "enough. (Part 2, 6A Criteria)"
            ),
            (
                "content/credentials/mig-welding.md:12:1: error [unknown-field] assessment: "
                "`assessment` starts in column 1, so YAML reads it as a field of the file; it "
                "looks like part of the item of `outcomes` that starts on line 11, indented "
                "too little. Indent `assessment` to column 5, under `outcome` on line 11. "
                "(content format)"
            ),
        ],
        id="list-item-field-dedented",
    ),
    pytest.param(
        MIG,
        "  - outcome: Produce fillet welds",
        "  -outcome: Produce fillet welds",
        [
            (
                "content/credentials/mig-welding.md:11:3: error [yaml] outcome: there is no "
                "space after the `-` that starts this list item, so YAML reads `-outcome` as "
                "one word. Put a space after the `-`: `- outcome: Produce fillet welds that "
                "pass visual inspection to AWS D1.1`. (YAML)"
            ),
        ],
        id="no-space-after-dash",
    ),
    pytest.param(
        MIG,
        "  method: Advisory committee reviewed the outcomes and weld tests.",
        "method: Advisory committee reviewed the outcomes and weld tests.",
        [
            (
                "content/credentials/mig-welding.md:14:1: error [required-field] "
                "employer_validation.method: `method` is missing. Add `method: ...`: how the "
                "partners took part, such as an advisory committee review. "
                "(Part 6A Employer Validated)"
            ),
            (
                "content/credentials/mig-welding.md:16:1: error [unknown-field] method: "
                "`method` starts in column 1, so YAML reads it as a field of the file; it "
                "looks like part of `employer_validation` (line 14), indented too little. "
                "Indent `method` to column 3, under `partners` on line 15. (content format)"
            ),
        ],
        id="mapping-field-dedented",
    ),
    pytest.param(
        MIG,
        "delivery: [in-person]",
        "delivery: [in-person]\nmodality: online",
        [
            (
                "content/credentials/mig-welding.md:14:1: error [unknown-field] modality: "
                "`modality` is not a field of this file. Remove it, or use one of the fields "
                "in the content format (docs/fields.md). (content format)"
            ),
        ],
        id="unknown-field-below-a-list",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), MISTAKES)
def test_each_yaml_mistake_is_explained_on_its_line(minimal, file, old, new, expected):
    minimal.edit(file, old, new)
    assert [m for m in minimal.messages() if file in m] == expected


def test_a_broken_credential_is_not_also_reported_as_missing_from_its_pathway(minimal):
    minimal.edit(MIG, "institution: lakeside", "institution lakeside")
    assert [m for m in minimal.messages() if "pathways/" in m] == []


def test_a_date_looking_code_is_kept_as_written(minimal):
    minimal.edit(MIG, "code: WELD 1120", "code: 2026-03-01")
    assert minimal.messages() == []


def test_every_yaml_mistake_of_a_file_is_reported_in_one_run(minimal):
    """In the web editor each run is a commit and a wait: five mistakes, one run."""
    minimal.edit(MIG, "welder and make", "welder: make")
    minimal.edit(MIG, "institution: lakeside", "\tinstitution: lakeside")
    minimal.edit(MIG, "type: industry", "type industry")
    minimal.edit(
        MIG,
        "eligibility: Open to anyone 16 or older; no prerequisites.",
        "eligibility: \u201cOpen to anyone 16 or older: no prerequisites.\u201d",
    )
    minimal.edit(MIG, "delivery: [in-person]", "delivery: [in-person")
    found = [m.split(": error [yaml] ")[0] for m in minimal.messages() if MIG in m]
    assert found == [f"content/{MIG}:{where}" for where in ("3:29", "4:1", "5:1", "7:41", "13:11")]


def test_text_where_a_group_of_fields_belongs_shows_the_group_and_where_the_text_goes(minimal):
    """`cost: Free` is how a coordinator writes it; one message, with the shape to write."""
    minimal.edit(MIG, "delivery: [in-person]", "delivery: [in-person]\ncost: Free")
    assert [m for m in minimal.messages() if MIG in m] == [
        f"content/{MIG}:14:1: error [field-type] cost: must be a group of fields, not text. "
        "Write `cost:` alone on its line, and its fields on the lines below it, each indented "
        'two spaces, such as `amount: …` and `note: …`; text like yours goes in `note: "Free"`. '
        "(content format)"
    ]


def test_one_item_written_where_a_list_belongs_is_shown_as_a_list_of_it(minimal):
    minimal.edit(MIG, "delivery: [in-person]", "delivery: [in-person]\nprerequisites: ENGL 101")
    assert [m for m in minimal.messages() if MIG in m] == [
        f"content/{MIG}:14:1: error [field-type] prerequisites: must be a list, not text. Write "
        "it as a list, even of one item: `prerequisites: [ENGL 101]`, or each item on its own "
        "line below, starting with `- `. (Part 6A Eligibility)"
    ]


# Mistakes from the second walkthrough (a coordinator pasting from a word processor).
@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "  - outcome: Set up",
            "  1. outcome: Set up",
            "9:3: error [yaml] outcome: this list item starts with `1.`; YAML lists start each "
            "item with `- ` instead of a number. Replace `1.` with `-`: `- outcome: Set up GMAW "
            "equipment for short-circuit transfer on mild steel`, and do the same on the other "
            "items. (YAML)",
            id="numbered-list",
        ),
        pytest.param(
            "delivery: [in-person]",
            "delivery: [in-person]\ntags \n  - welding\n  - fabrication",
            "14:1: error [yaml] tags: this line has no `:` after the field name `tags`. Write "
            "`tags:` (with the colon), and keep the lines below it as they are. (YAML)",
            id="list-field-without-colon",
        ),
        pytest.param(
            "version: 1",
            "version:1",
            "18:1: error [yaml] version: there is no space after the `:` of `version`, so YAML "
            "reads `version:1` as one word. Put a space after the colon: `version: 1`. (YAML)",
            id="no-space-after-colon",
        ),
        pytest.param(
            "  method: Advisory",
            "\u00a0\u00a0method: Advisory",
            "16:1: error [yaml] method: this line is indented with special spaces (no-break "
            "spaces, as word processors paste them), which YAML does not read as indentation. "
            "Delete the spaces at the start of the line and type ordinary ones. (YAML)",
            id="no-break-spaces",
        ),
        pytest.param(
            "delivery: [in-person]",
            "delivery: online, in-person",
            "13:1: error [field-type] delivery: must be a list, not text. Put the list in "
            "brackets: `delivery: [online, in-person]`. (Part 5)",
            id="list-with-commas",
        ),
        pytest.param(
            "delivery: [in-person]",
            "delivery:\n  \u2022 online\n  \u2022 in-person",
            "13:1: error [field-type] delivery: must be a list, not text. Start each item on its "
            "own line with `- ` instead of `\u2022`, or write `delivery: [online, in-person]`. "
            "(Part 5)",
            id="list-with-bullets",
        ),
        pytest.param(
            "  - outcome: Produce fillet welds that pass visual inspection to AWS D1.1\n"
            "    assessment: Weld coupons inspected against AWS D1.1 criteria",
            "  - Produce fillet welds",
            "11:5: error [field-type] outcomes[1]: must be a group of fields, not text. Each "
            "item of `outcomes` is a group of fields: write `- outcome: Produce fillet welds`, "
            "and `assessment: …` on the next line, lined up under `outcome`. "
            "(Part 2, 6A Criteria)",
            id="list-item-as-text",
        ),
        pytest.param(
            "version: 1",
            'version: "1"',
            "18:1: error [field-type] version: must be a whole number, not text. Remove the "
            "quotes, so YAML reads a number: `version: 1`. (Part 8)",
            id="number-in-quotes",
        ),
        pytest.param(
            "  date: 2026-03-01",
            "  date: 3/1/2026",
            "34:3: error [format] approved.date: `3/1/2026` is not a date in the form "
            "YYYY-MM-DD. Write `2026-03-01` (year, month, day; if 3 is the day, swap them). "
            "(Part 7B)",
            id="date-with-slashes",
        ),
        pytest.param(
            "  url: https://www.example.edu/apply/micro-credentials",
            "  url: www.example.edu/apply",
            "40:3: error [format] apply.url: `www.example.edu/apply` is not a web address "
            "starting with https://. Write `https://www.example.edu/apply`. (Part 5)",
            id="address-without-https",
        ),
        pytest.param(
            "delivery: [in-person]",
            "delivery: [in-person]\nlanguage: English",
            "14:1: error [format] language: `English` is not a language tag. Write the "
            "language's code: `en` for English. (content format)",
            id="language-by-name",
        ),
        pytest.param(
            "delivery: [in-person]",
            "delivery: [in-person]\nhours: 40 hours",
            "14:1: error [field-type] hours: must be a number, not text. Write the number "
            "alone, without `hours`: `hours: 40`. (Part 6C)",
            id="number-with-unit",
        ),
    ],
)
def test_word_processor_mistakes_are_explained(minimal, old, new, expected):
    minimal.edit(MIG, old, new)
    assert [m for m in minimal.messages() if MIG in m] == [f"content/{MIG}:{expected}"]


def test_a_field_given_twice_comes_in_the_same_run_as_the_syntax_mistakes(minimal):
    minimal.edit(MIG, "type: industry", "type industry")
    minimal.edit(MIG, "version: 1", "version: 1\nversion: 2")
    found = [m.split(" ")[0:3] for m in minimal.messages() if MIG in m]
    assert found == [
        [f"content/{MIG}:5:1:", "error", "[yaml]"],
        [f"content/{MIG}:19:1:", "error", "[duplicate-field]"],
    ]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (
            "mailto:ce@lakeside.example.edu",
            "`mailto:ce@lakeside.example.edu` starts with `mailto:`. Write the address alone: "
            "`ce@lakeside.example.edu`.",
        ),
        (
            "Jane Smith, jsmith@lakeside.example.edu",
            "`Jane Smith, jsmith@lakeside.example.edu` is more than an email address. Write "
            "the address alone: `jsmith@lakeside.example.edu`.",
        ),
    ],
)
def test_an_email_written_with_more_than_the_address_shows_the_address(minimal, written, expected):
    text = minimal.path(MIG).read_text(encoding="utf-8")
    contact = next(line for line in text.splitlines() if line.startswith("contact:"))
    minimal.edit(MIG, contact, f'contact: "{written}"')
    (message,) = [m for m in minimal.messages() if MIG in m]
    assert message.endswith(f"error [format] contact: {expected} (content format)")
