"""`serve`: build, serve only the built site, rebuild on change, show problems on the page."""

from __future__ import annotations

import http.client
import inspect
import io
import re
import threading

import pytest

from microcred.commands.serve import Preview, make_server, problems_page, serve
from microcred.reporting.problems import Problem

OFFICE = "credentials/office-communication.md"


@pytest.fixture
def served(minimal, tmp_path):
    """The minimal catalog previewed on a free port: (preview, GET function, terminal)."""
    terminal = io.StringIO()
    preview = Preview(
        minimal.content, tmp_path / "preview" / "site", "", search=False, stream=terminal
    )
    server = make_server(preview, "127.0.0.1", 0)
    port = server.server_address[1]
    preview.base_url = f"http://127.0.0.1:{port}"
    assert preview.rebuild()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()

    def get(path: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, body

    yield preview, get, terminal
    server.shutdown()
    server.server_close()
    thread.join()


def test_pages_are_served_with_the_local_address_and_proposals(served, minimal):
    preview, get, _ = served
    status, body = get("/credentials/office-communication/")
    assert status == 200
    assert "Workplace Communication" in body
    assert (
        get("/credentials/office-communication/badgeclass.json")[1].count(
            preview.base_url + "/credentials/office-communication/"
        )
        >= 1
    )


def test_nothing_outside_the_site_is_served_and_folders_are_not_listed(served, tmp_path):
    (tmp_path / "preview" / "secret.txt").write_text("secret")
    _, get, _ = served
    assert get("/../secret.txt")[0] == 404
    assert get("/%2e%2e/secret.txt")[0] == 404
    assert get("/assets/")[0] == 404


def test_a_change_rebuilds_and_a_broken_file_replaces_every_page_with_its_problems(served, minimal):
    preview, get, terminal = served
    assert preview.poll() is False
    minimal.edit(OFFICE, "title: Workplace Communication", "title: Workplace Writing")
    assert preview.poll() is True
    assert "Workplace Writing" in get("/credentials/office-communication/")[1]

    minimal.edit(OFFICE, "status: active", "status: retired")
    assert preview.poll() is True
    status, body = get("/credentials/office-communication/")
    assert status == 500
    assert "<h1>The catalog did not build</h1>" in body
    assert "content/credentials/office-communication.md" in body
    assert "status" in terminal.getvalue()
    assert get("/assets/site.css")[0] == 200

    minimal.edit(OFFICE, "status: retired", "status: active")
    assert preview.poll() is True
    assert get("/")[0] == 200


def test_the_problems_page_escapes_what_it_shows():
    hostile = Problem("error", "yaml", "content/x.md", 1, 1, "title", "<script>alert(1)</script>")
    page = problems_page([hostile])
    assert b"<script>alert(1)" not in page
    assert page.count(b"<script>") == 1  # the page's own reload script, and nothing else
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page


UNMEASURABLE = ("- outcome: Write a workplace memo", "- outcome: Understand a workplace memo")


def test_the_report_uses_the_site_style_and_groups_errors_and_warnings_by_file(served, minimal):
    preview, get, _ = served
    minimal.edit(OFFICE, *UNMEASURABLE)
    minimal.edit(OFFICE, "status: active", "status: retired")
    assert preview.poll() is True
    status, body = get("/")
    assert status == 500
    assert "<style>" in body and "--brand:" in body  # the site's own stylesheet
    assert 'name="viewport"' in body
    section = body[body.index("<code>content/credentials/office-communication.md</code>") :]
    assert "<strong>Error</strong>, line" in section
    assert "<strong>Warning</strong>, line 9, field <code>outcomes[0].outcome</code>" in section
    # the link goes to the field's own row of the field reference, not its section
    assert 'href="/guide/fields/#micro-credential--outcomes-outcome"' in section


def test_a_previewed_credential_page_shows_its_own_warnings_and_the_built_file_does_not(
    served, minimal
):
    preview, get, _ = served
    minimal.edit(OFFICE, *UNMEASURABLE)
    assert preview.poll() is True
    status, body = get("/credentials/office-communication/")
    assert status == 200
    assert "Preview only: 1 warning in this file." in body
    item = body[body.index("<li><p>Line 9, ") :]
    item = item[: item.index("</li>")]
    # the field links to its row of the field reference; message and fix are two sentences
    assert item.startswith(
        '<li><p>Line 9, <a href="/guide/fields/#micro-credential--outcomes-outcome">'
        "<code>outcomes[0].outcome</code></a>: "
    )
    assert re.search(r"[.!?]</p><p><span class=\"label\">Fix:</span> [A-Z].*\.</p>$", item)
    assert body.index("Preview only") > body.index("<main")
    built = preview.output / "credentials" / "office-communication" / "index.html"
    assert "Preview only" not in built.read_text(encoding="utf-8")
    assert get("/_preview/status") == (200, str(preview.generation))
    status, report = get("/_preview/problems/")
    assert status == 200
    assert "The catalog built, with warnings" in report
    assert "Preview only" not in get("/")[1]


def test_it_listens_on_this_computer_only_by_default():
    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"
