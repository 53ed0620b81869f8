"""Hostile content: what a pull request could hold to attack visitors, the build or the server.

Each threat of issue 7, point 2 (and the preview server of point 7) has a test here:
raw HTML and scripts in Markdown; unsafe URL schemes in Markdown and URL fields;
quotes and angle brackets in titles reaching attributes, JSON-LD, JSON and SVG; unsafe
SVG badge images; paths leaving ``content/``; YAML alias bombs, huge files, deep
nesting, non-UTF-8 bytes, a BOM and CRLF line endings. ``check`` answers each with a
clear problem, or the built site shows the text inert.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from xml.etree import ElementTree

import pytest
from test_csp import parse_page

from microcred.cli import _parser
from microcred.commands.serve import Preview, make_server, serve
from microcred.content.markdown import is_safe_url
from microcred.pipeline import BuildOptions, build
from microcred.reporting.terminal import TerminalReporter

WELDING = "credentials/mig-welding.md"
OFFICE = "credentials/office-communication.md"
LAKESIDE = "institutions/lakeside.yml"
SVG = "{http://www.w3.org/2000/svg}"


def _build(minimal, tmp_path) -> Path:
    output = tmp_path / "site"
    options = BuildOptions(content=minimal.content, output=output, search=False)
    result = build(options, TerminalReporter(quiet=True))
    assert result.built, "\n".join(str(p) for p in result.check.problems)
    return output


def _errors(minimal, name: str) -> list[str]:
    return [m for m in minimal.messages() if f"content/{name}:" in m and ": error " in m]


# --- raw HTML and unsafe links in Markdown -------------------------------------------

HOSTILE_MARKDOWN = """Weld in a real shop.

<script>alert("body")</script>
<img src=x onerror="alert(1)">
<iframe src="https://evil.example/"></iframe>
<a href="javascript:alert(1)">raw link</a>

[js](javascript:alert(1)) [JS](JaVaScRiPt:alert(1)) [tab](java\tscript:alert(1))
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
[vb](vbscript:msgbox(1)) ![img](data:image/svg+xml;base64,PHN2Zz4=)
<javascript:alert(1)> [entity](&#106;avascript:alert(1))
[fine](https://example.org/fine)
"""


def test_check_refuses_every_unsafe_link_in_markdown(minimal):
    minimal.edit(WELDING, "Weld in a real shop from the first week.", HOSTILE_MARKDOWN)
    errors = _errors(minimal, WELDING)
    assert len(errors) == 7
    assert all("[unsafe-link] description:" in e for e in errors)


@pytest.fixture
def unchecked_descriptions(monkeypatch):
    """The renderer on its own, as if ``check`` had let a hostile description through."""
    monkeypatch.setattr("microcred.rules.check.check_description", lambda document: [])


def test_raw_html_and_scripts_in_markdown_are_shown_as_text(
    minimal, tmp_path, unchecked_descriptions
):
    minimal.edit(WELDING, "Weld in a real shop from the first week.", HOSTILE_MARKDOWN)
    page = _build(minimal, tmp_path) / "credentials" / "mig-welding" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&quot;body&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    parsed = parse_page(page)
    assert not [tag for tag, _ in parsed.elements if tag in ("iframe", "object", "embed")]
    assert not [a for _, a in parsed.elements if any(n.startswith("on") for n in a)]
    for attrs, body in parsed.scripts:
        assert attrs.get("type") == "application/ld+json" or attrs.get("src"), attrs
        assert "alert" not in body


def test_unsafe_link_schemes_in_markdown_never_become_links(
    minimal, tmp_path, unchecked_descriptions
):
    minimal.edit(WELDING, "Weld in a real shop from the first week.", HOSTILE_MARKDOWN)
    page = _build(minimal, tmp_path) / "credentials" / "mig-welding" / "index.html"
    parsed = parse_page(page)
    urls = [a[n] for _, a in parsed.elements for n in ("href", "src") if n in a]
    assert [url for url in urls if not is_safe_url(url)] == []
    assert not [url for url in urls if "alert" in url or url.startswith("data:")]
    fine = [
        a for t, a in parsed.elements if t == "a" and a.get("href") == "https://example.org/fine"
    ]
    assert fine == [{"href": "https://example.org/fine", "rel": "noopener noreferrer"}]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://example.org/file",
    ],
)
def test_unsafe_urls_in_skill_and_institution_url_fields_are_refused_by_check(minimal, url):
    quoted = json.dumps(url)
    minimal.edit(
        WELDING,
        "review:\n",
        f"skills:\n  - name: Welding\n    framework: O*NET\n    code: '1.A'\n    url: {quoted}\n"
        "review:\n",
    )
    minimal.edit(LAKESIDE, "url: https://lakeside.example.edu", f"url: {quoted}")
    fix = (
        "Write a web address starting with http:// or https://, such as "
        "`https://www.onetonline.org/`."
    )
    why = f"`{url}` is not a web address starting with http:// or https://. {fix}"
    assert _errors(minimal, WELDING) == [
        f"content/{WELDING}:39:5: error [format] skills[0].url: {why} (content format)"
    ]
    assert _errors(minimal, LAKESIDE) == [
        f"content/{LAKESIDE}:2:1: error [format] url: {why} (content format)"
    ]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "http://github.com/north-star/catalog",
        "https://github.com/north star/catalog",
    ],
)
def test_an_unsafe_repository_address_in_site_settings_is_refused_by_check(minimal, url):
    """The guide pages link to ``repository:``; only an https address may get there."""
    minimal.edit("site.yml", "language: en\n", f"language: en\nrepository: {json.dumps(url)}\n")
    why = f"`{url}` is not an https URL. Write an https URL, such as `https://catalog.example.edu`."
    assert _errors(minimal, "site.yml") == [
        f"content/site.yml:5:1: error [format] repository: {why} (content format)"
    ]


# --- quotes and angle brackets reaching attributes, JSON-LD, JSON and SVG ------------

TITLE = """Weld "Pro" <b>&amp;</b> 'x' </script><!--"""
SUMMARY = """Quotes " and ' and </script><script>alert(1)</script> & <b onload=x> stay text."""
INSTITUTION = """Lakeside "Tech" <College> & Co </title>"""


@pytest.fixture
def quoted_site(minimal, tmp_path) -> Path:
    """The minimal catalog with markup characters in a title, summary and institution name."""
    text = minimal.path(WELDING).read_text(encoding="utf-8")
    text = text.replace("title: MIG Welding Fundamentals", f"title: {json.dumps(TITLE)}")
    text = text.replace(
        "summary: Set up a MIG welder and make sound fillet and groove welds in flat and "
        "horizontal positions.",
        f"summary: {json.dumps(SUMMARY)}",
    )
    minimal.write(WELDING, text)
    minimal.edit(LAKESIDE, "name: Lakeside Technical College", f"name: {json.dumps(INSTITUTION)}")
    return _build(minimal, tmp_path)


def test_markup_in_titles_stays_text_in_html_attributes_and_elements(quoted_site):
    page = parse_page(quoted_site / "credentials" / "mig-welding" / "index.html")
    assert page.text["h1"] == TITLE
    assert TITLE in page.text["title"]
    (description,) = [a["content"] for t, a in page.elements if a.get("name") == "description"]
    assert description == SUMMARY
    badge = [a for t, a in page.elements if t == "img" and "badge.svg" in a.get("src", "")]
    assert badge and TITLE in badge[0]["alt"] and INSTITUTION in badge[0]["alt"]
    assert not [t for t, _ in page.elements if t == "b"]
    assert [a.get("type") for a, _ in page.scripts if not a.get("src")] == ["application/ld+json"]


def test_markup_in_titles_cannot_close_the_json_ld_script(quoted_site):
    page = parse_page(quoted_site / "credentials" / "mig-welding" / "index.html")
    (block,) = [body for a, body in page.scripts if a.get("type") == "application/ld+json"]
    assert "</" not in block and "<!--" not in block
    data = json.loads(block)
    assert (data["name"], data["description"]) == (TITLE, SUMMARY)
    assert data["provider"]["name"] == INSTITUTION


def test_markup_in_titles_is_exact_in_badge_json_feed_and_catalog(quoted_site):
    folder = quoted_site / "credentials" / "mig-welding"
    badgeclass = json.loads((folder / "badgeclass.json").read_text(encoding="utf-8"))
    assert (badgeclass["name"], badgeclass["description"]) == (TITLE, SUMMARY)
    achievement = json.loads((folder / "achievement.json").read_text(encoding="utf-8"))
    assert achievement["name"] == TITLE
    issuer = quoted_site / "institutions" / "lakeside" / "issuer.json"
    assert json.loads(issuer.read_text(encoding="utf-8"))["name"] == INSTITUTION
    feed = ElementTree.parse(quoted_site / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    assert TITLE in [entry.findtext(f"{atom}title") for entry in feed.iter(f"{atom}entry")]
    catalog = json.loads((quoted_site / "catalog.json").read_text(encoding="utf-8"))
    titles = {c["slug"]: c["title"] for c in catalog["credentials"]}
    assert titles["mig-welding"] == TITLE


def test_markup_in_titles_stays_text_in_the_drawn_svg_badge(quoted_site):
    svg = ElementTree.parse(quoted_site / "credentials" / "mig-welding" / "badge.svg").getroot()
    names = {element.tag.removeprefix(SVG) for element in svg.iter()}
    assert names.isdisjoint({"script", "b", "foreignObject", "a"})
    assert not [k for e in svg.iter() for k in e.attrib if k.lower().startswith("on")]
    assert TITLE in svg.findtext(f"{SVG}title")


# --- SVG badge images supplied by content --------------------------------------------

UNSAFE_SVGS = {
    "script": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
               "a <script> element"),
    "handler": (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                "an event handler attribute (onload)"),
    "foreign-object": (b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject>'
                       b'<p xmlns="http://www.w3.org/1999/xhtml">hi</p></foreignObject></svg>',
                       "a <foreignobject> element"),
    "external-image": (b'<svg xmlns="http://www.w3.org/2000/svg"><image '
                       b'href="https://tracker.example/pixel.png"/></svg>',
                       "an external reference (href='https://tracker.example/pixel.png')"),
    "javascript-link": (b'<svg xmlns="http://www.w3.org/2000/svg" '
                        b'xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="javascript:'
                        b'alert(1)"><text>x</text></a></svg>',
                        "a <a> element"),
    "css-import": (b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://x.example/'
                   b'a.css);</style></svg>', "CSS that imports or runs code"),
    "entity": (b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               b'<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
               "a DOCTYPE or entity declaration"),
}  # fmt: skip


def _with_badge_image(minimal, image: str) -> None:
    minimal.edit(
        WELDING, "review:\n", f"badge:\n  image: {image}\n  alt: A welding badge\nreview:\n"
    )


@pytest.mark.parametrize("case", sorted(UNSAFE_SVGS))
def test_an_unsafe_svg_badge_image_is_refused_by_check(minimal, case):
    data, problem = UNSAFE_SVGS[case]
    minimal.path("images").mkdir()
    minimal.path("images/badge.svg").write_bytes(data)
    _with_badge_image(minimal, "images/badge.svg")
    assert _errors(minimal, WELDING) == [
        f"content/{WELDING}:36:3: error [unsafe-image] badge.image: the image "
        f"`images/badge.svg` is not a safe SVG: it contains {problem}. Export it as a plain "
        "SVG or PNG without scripts, links or embedded HTML. (Part 6A Digital Badges)"
    ]


def test_a_plain_svg_badge_image_is_published_byte_for_byte(minimal, tmp_path):
    data = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Badge</title>'
            b'<defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="10" height="10"/>'
            b"</svg>\n")  # fmt: skip
    minimal.path("images").mkdir()
    minimal.path("images/badge.svg").write_bytes(data)
    _with_badge_image(minimal, "images/badge.svg")
    site = _build(minimal, tmp_path)
    assert (site / "credentials" / "mig-welding" / "badge.svg").read_bytes() == data


# --- paths that leave content/ --------------------------------------------------------

PATH_FIX = "Match the pattern"


@pytest.mark.parametrize("image", ["../outside.svg", "images/../../outside.svg", "/etc/hosts.svg"])
def test_an_image_path_that_leaves_content_is_refused(minimal, tmp_path, image):
    (tmp_path / "outside.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    _with_badge_image(minimal, image)
    errors = _errors(minimal, WELDING)
    assert errors and all("badge.image" in e for e in errors), errors
    assert f"content/{WELDING}:36:3: error [format] badge.image: `{image}`" in errors[0]


def test_an_image_linking_out_of_content_is_refused(minimal, tmp_path):
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg"><title>secret</title></svg>')
    minimal.path("images").mkdir()
    minimal.path("images/badge.svg").symlink_to(secret)
    _with_badge_image(minimal, "images/badge.svg")
    assert _errors(minimal, WELDING) == [
        f"content/{WELDING}:36:3: error [outside-content] badge.image: the image "
        "`images/badge.svg` is a link to a place outside content/. Copy the image itself into "
        "content/ instead of linking to it. (Part 6A Digital Badges)"
    ]


def test_a_content_file_or_folder_linking_out_of_content_is_refused(minimal, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "stolen.md").write_text(minimal.path(OFFICE).read_text(encoding="utf-8"))
    minimal.path(OFFICE).unlink()
    minimal.path(OFFICE).symlink_to(outside / "stolen.md")
    (minimal.content / "pathways").rename(tmp_path / "pathways")
    (minimal.content / "pathways").symlink_to(tmp_path / "pathways")
    outside_messages = [m for m in minimal.messages() if "[outside-content]" in m]
    assert outside_messages == [
        f"content/{name}:1:1: error [outside-content] this file is a link to a place outside "
        "the content folder. Replace the link with the file itself. (content format)"
        for name in (OFFICE, "pathways/into-welding.md")
    ]


# --- hostile YAML and bytes -----------------------------------------------------------


def test_a_yaml_alias_bomb_is_refused_quickly(minimal):
    levels = ["a: &a [" + ", ".join(['"lol"'] * 10) + "]"]
    for n in range(1, 10):
        previous, name = chr(ord("a") + n - 1), chr(ord("a") + n)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    minimal.write(WELDING, "---\n" + "\n".join(levels) + "\n---\n")
    started = time.perf_counter()
    errors = _errors(minimal, WELDING)
    assert time.perf_counter() - started < 5
    assert errors == [
        f"content/{WELDING}:2:64: error [too-large] the document has more than 50,000 values "
        "(are YAML aliases repeating a large part?). Write each value out; anchors and aliases "
        "are not needed here. (content format)"
    ]


def test_a_10_mb_string_is_refused_before_it_is_parsed(minimal):
    text = "---\ntitle: " + "x" * (10 * 1024 * 1024) + "\n---\n"
    minimal.write(WELDING, text)
    assert _errors(minimal, WELDING) == [
        f"content/{WELDING}:1:1: error [file-size] the file is {len(text):,} bytes; content "
        "files are at most 1,048,576 bytes. Shorten the description. (content format)"
    ]


@pytest.mark.parametrize(
    "nested",
    ["[" * 1000 + "]" * 1000, "{a: " * 1000 + "1" + "}" * 1000, "[" * 1000],
    ids=["lists", "mappings", "unclosed"],
)
def test_1000_levels_of_nesting_are_one_clear_problem(minimal, nested):
    minimal.write(WELDING, f"---\nx: {nested}\n---\n")
    errors = _errors(minimal, WELDING)
    assert len(errors) == 1
    assert "[too-deep]" in errors[0] or "[yaml]" in errors[0], errors


def test_non_utf8_bytes_are_one_clear_problem(minimal):
    text = minimal.path(WELDING).read_bytes()
    minimal.path(WELDING).write_bytes(text.replace(b"Northland", b"Nordl\xe4nd"))
    assert _errors(minimal, WELDING) == [
        f"content/{WELDING}:15:1: error [encoding] the file is not UTF-8 text (byte 0xe4). "
        "Save the file as UTF-8. (content format)"
    ]


def test_a_bom_and_crlf_line_endings_build_the_same_site(minimal, tmp_path):
    plain = _build(minimal, tmp_path / "plain")
    for name in (WELDING, OFFICE, LAKESIDE, "site.yml", "pathways/into-welding.md"):
        data = minimal.path(name).read_bytes()
        minimal.path(name).write_bytes(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"))
    assert minimal.messages() == []
    windows = _build(minimal, tmp_path / "windows")
    files = sorted(p.relative_to(plain) for p in plain.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(windows) for p in windows.rglob("*") if p.is_file())
    for name in files:
        assert (plain / name).read_bytes() == (windows / name).read_bytes(), name


# --- the preview server (issue 7, point 7) --------------------------------------------


@pytest.fixture
def server(minimal, tmp_path):
    """The minimal catalog previewed on a free loopback port, with a secret beside the site."""
    (tmp_path / "preview" / "secret.txt").parent.mkdir(parents=True)
    (tmp_path / "preview" / "secret.txt").write_text("TOP-SECRET")
    (tmp_path / "etc-secret.txt").write_text("TOP-SECRET")
    preview = Preview(
        minimal.content,
        tmp_path / "preview" / "site",
        "",
        search=False,
        stream=io.StringIO(),
    )
    httpd = make_server(preview, "127.0.0.1", 0)
    preview.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    assert preview.rebuild()
    os.symlink(tmp_path / "etc-secret.txt", tmp_path / "preview" / "site" / "linked.txt")
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def _raw_get(port: int, target: str) -> tuple[int, bytes]:
    """Send ``GET target`` exactly as written (no client-side normalising)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(f"GET {target} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode("latin-1"))
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_the_preview_server_listens_on_loopback_by_default():
    assert serve.__defaults__[0] == "127.0.0.1"
    assert _parser().parse_args(["serve"]).host == "127.0.0.1"


@pytest.mark.parametrize(
    "target",
    [
        "/../secret.txt",
        "/site/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/.%2e/.%2e/secret.txt",
        "//../secret.txt",
        "/%252e%252e/secret.txt",
        "/etc/passwd",
        "//etc/passwd",
        "/%2Fetc%2Fpasswd",
        "http://127.0.0.1/../secret.txt",
        "/linked.txt",
        "/%00",
        "/credentials/%00/../../secret.txt",
    ],
)
def test_the_preview_server_serves_nothing_outside_the_site(server, target):
    status, body = _raw_get(server, target)
    assert b"TOP-SECRET" not in body
    assert b"root:" not in body
    assert status in (400, 404), (target, status)


def test_the_preview_server_survives_a_burst_of_concurrent_requests(server):
    paths = ["/", "/credentials/mig-welding/", "/assets/site.css", "/missing/"] * 50

    def get(path: str) -> tuple[str, int, int]:
        connection = http.client.HTTPConnection("127.0.0.1", server, timeout=20)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return path, response.status, len(body)

    with ThreadPoolExecutor(max_workers=32) as pool:
        results = list(pool.map(get, paths))
    by_path = {path: {(status, size) for p, status, size in results if p == path}
               for path in set(paths)}  # fmt: skip
    assert {path: len(outcomes) for path, outcomes in by_path.items()} == dict.fromkeys(
        set(paths), 1
    )
    assert {path: next(iter(o))[0] for path, o in by_path.items()} == {
        "/": 200, "/credentials/mig-welding/": 200, "/assets/site.css": 200, "/missing/": 404,
    }  # fmt: skip
    assert get("/")[1] == 200
