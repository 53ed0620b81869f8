"""No file, however broken, produces a traceback: each becomes one clear problem."""

from __future__ import annotations

import pytest

CRED = "credentials/broken.md"
FRONT_MATTER_FIX = (
    "Start the file with a line `---`, then the YAML fields, then another `---` line, then "
    "the Markdown description."
)


def broken_messages(minimal, data: bytes) -> list[str]:
    minimal.path(CRED).write_bytes(data)
    return [m for m in minimal.messages() if "broken.md" in m]


BOMB = (
    b'---\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
    b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    b"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n---\n"
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            b"",
            f"1:1: error [empty] the file is empty. {FRONT_MATTER_FIX} (content format)",
            id="empty",
        ),
        pytest.param(
            b"Just a description.\n",
            f"1:1: error [front-matter] the file has no front matter. {FRONT_MATTER_FIX} "
            f"(content format)",
            id="no-front-matter",
        ),
        pytest.param(
            b"---\ntitle: x\n",
            "1:1: error [front-matter] the front matter is not "
            "closed: no second `---` line. Add a line `---` after the last field, "
            "before the Markdown. (content format)",
            id="unclosed",
        ),
        pytest.param(
            b"---\ntitle: [unclosed\n---\n",
            "2:8: error [yaml] title: the value starts with `[`, which YAML reads as the start "
            "of a list, and it is not closed with `]` (or an item in it holds a `,`, `:` or `#` "
            'without quotes). If it is text, put it in quotes: `title: "[unclosed"`; if it is a '
            "list, end it with `]` and quote any item containing `,` `:` or `#`. (YAML)",
            id="not-yaml",
        ),
        pytest.param(
            b"---\n- a\n- b\n---\n",
            "2:1: error [not-a-mapping] the fields must be a "
            "mapping of `name: value`, not a list. Write one `field: value` per line. "
            "(content format)",
            id="list-not-mapping",
        ),
        pytest.param(
            b"---\n---\n",
            "2:1: error [empty] the front matter has no fields. Add "
            "the YAML fields between the `---` lines. (content format)",
            id="no-fields",
        ),
        pytest.param(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00",
            "1:1: error [encoding] the file is binary, not text. Save it as UTF-8 text. "
            "(content format)",
            id="binary",
        ),
        pytest.param(
            b"---\ntitle: caf\xe9\n---\n",
            "2:1: error [encoding] the file is not UTF-8 text (byte 0xe9). Save the file as UTF-8. "
            "(content format)",
            id="latin-1",
        ),
        pytest.param(
            BOMB,
            "2:8: error [too-large] the document has more than 50,000 values "
            "(are YAML aliases repeating a large part?). Write each value out; anchors "
            "and aliases are not needed here. (content format)",
            id="alias-bomb",
        ),
        pytest.param(
            b"---\nx: " + b"[" * 1000 + b"]" * 1000 + b"\n---\n",
            "2:68: error [too-deep] the document nests deeper than 64 levels. Flatten "
            "the structure as the content format shows. (content format)",
            id="deep-nesting",
        ),
        pytest.param(
            b"---\ntitle: !!python/object/apply:os.system [ls]\n---\n",
            "2:8: error [yaml] the YAML tag `tag:yaml.org,2002:python/object/apply:"
            "os.system` is not supported here. Remove the `!` tag and write a plain "
            "value. (YAML)",
            id="python-tag",
        ),
        pytest.param(
            b"---\ntitle: a\ntitle: b\n---\n",
            "3:1: error [duplicate-field] title: "
            "the field `title` is given twice (first on line 2); YAML would keep only this one. "
            "Keep one of them: delete this line or the first, or merge their values. (YAML)",
            id="duplicate-key",
        ),
        pytest.param(
            b"---\nhours: .nan\n---\n",
            "2:8: error [number] hours: numbers must be "
            "finite, not infinity or NaN. Write an ordinary number. (content format)",
            id="nan",
        ),
        pytest.param(
            b"---\n? [a, b]\n: c\n---\n",
            "2:3: error [yaml] field names must be text. "
            "Write the field name as a plain word, such as `title`. (YAML)",
            id="list-key",
        ),
    ],
)
def test_broken_files_get_one_clear_problem(minimal, data, expected):
    assert broken_messages(minimal, data) == [f"content/credentials/broken.md:{expected}"]


def test_a_huge_file_is_refused_before_parsing(minimal):
    assert broken_messages(minimal, b"---\ntitle: " + b"x" * 10_000_000 + b"\n---\n") == [
        "content/credentials/broken.md:1:1: error [file-size] the file is 10,000,016 bytes; "
        "content files are at most 1,048,576 bytes. Shorten the description. (content format)"
    ]


def test_a_bom_and_crlf_line_endings_are_read_normally(minimal):
    text = minimal.path("credentials/mig-welding.md").read_bytes()
    minimal.path("credentials/mig-welding.md").write_bytes(
        b"\xef\xbb\xbf" + text.replace(b"\n", b"\r\n")
    )
    assert minimal.messages() == []


def test_a_mapping_where_text_belongs_names_the_field(minimal):
    minimal.edit(
        "credentials/mig-welding.md",
        "eligibility: Open to anyone 16 or older; no prerequisites.",
        "eligibility:\n  who: anyone",
    )
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:7:1: error [field-type] eligibility: must be text, "
        "not a group of fields. Write text, for example Open to current students and "
        "community members; no prerequisites. (Part 6A Eligibility)"
    ]


def test_a_symlink_out_of_the_content_folder_is_refused(minimal, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: secret\n---\n")
    minimal.path(CRED).symlink_to(secret)
    assert [m for m in minimal.messages() if "broken.md" in m] == [
        "content/credentials/broken.md:1:1: error [outside-content] this file is a link to a "
        "place outside the content folder. Replace the link with the file itself. (content format)"
    ]


def test_a_file_name_that_is_not_a_slug_is_refused(minimal):
    minimal.write("credentials/MIG Welding 2.md", "---\ntitle: x\n---\n")
    assert [m for m in minimal.messages() if "MIG" in m] == [
        "content/credentials/MIG Welding 2.md:1:1: error [file-name] the file name `MIG Welding "
        "2.md` cannot be a web address: it may hold only small letters a-z, digits and single "
        "hyphens, and it becomes the permanent URL of its page. Rename the file to "
        "`mig-welding-2.md` (in GitHub's editor: open the file, click the pencil, and change "
        "its name above the text). (content format)"
    ]


def test_a_missing_site_file_is_reported(minimal):
    minimal.path("site.yml").unlink()
    assert minimal.messages()[0] == (
        "content/site.yml:1:1: error [missing-file] the catalog has no site.yml. Create "
        "content/site.yml with at least `title` and `base_url`. (content format)"
    )


def test_unsafe_links_and_images_in_a_description_are_reported_at_their_line(minimal):
    minimal.edit(
        "credentials/mig-welding.md",
        "Weld in a real shop from the first week.\n",
        "\n\nWeld in a real shop.\n\nSee [our video](javascript:alert(1)).\n\n"
        "![A weld](https://cdn.example.com/weld.png)\n",
    )
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:46:1: error [unsafe-link] description: the link "
        "`javascript:alert(1)` uses a scheme that is not allowed; it would be dropped from the "
        "page. Link with https://, mailto: or a path on this site. (content format)",
        "content/credentials/mig-welding.md:48:1: error [description-image] description: the "
        "image `https://cdn.example.com/weld.png` comes from another site; the catalog's pages "
        "show only their own files. Remove the image; a credential's picture goes in "
        "`badge.image`. (content format)",
    ]


def test_a_file_the_catalog_would_never_read_is_an_error(minimal):
    """A proposal saved beside site.yml, or in a misspelt folder, would pass unseen."""
    text = minimal.path("credentials/mig-welding.md").read_text(encoding="utf-8")
    minimal.write("grant-writing.md", text)
    minimal.write("credential/grant-writing.md", text)
    minimal.write("README.md", "# About this folder\n")
    assert [m for m in minimal.messages() if "unread-file" in m] == [
        "content/credential/grant-writing.md:1:1: error [unread-file] the catalog does not read "
        "the folder `credential/`. Move the file into content/credentials/. (content format)",
        "content/grant-writing.md:1:1: error [unread-file] the catalog does not read files "
        "placed directly in the content folder. Move it into content/credentials/ (a "
        "credential, `grant-writing.md`) or the folder for its kind: `credentials/`, "
        "`institutions/`, `pathways/`, `versions/`, `policies/`, `images/`. (content format)",
    ]


def test_html_in_a_description_is_a_warning_with_the_markdown_to_write(minimal):
    minimal.edit(
        "credentials/mig-welding.md",
        "Weld in a real shop from the first week.",
        "You will <b>weld</b> in a real shop.\n\n`<i>in code</i>` is left alone.",
    )
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:42:1: warning [raw-html] description: the HTML "
        "`<b>` is shown as text on the page: the catalog publishes no HTML from content files. "
        "Write **bold** instead. (content format)"
    ]
