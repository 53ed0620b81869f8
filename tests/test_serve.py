"""`serve`: build, serve only the built site, rebuild on change, show problems on the page."""

from __future__ import annotations

import http.client
import inspect
import io
import threading

import pytest

from microcred.commands.serve import Preview, make_server, problems_page, serve

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
    page = problems_page(["content/x.md:1:1: error [yaml] title: <script>alert(1)</script>"])
    assert b"<script>" not in page
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_it_listens_on_this_computer_only_by_default():
    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"
