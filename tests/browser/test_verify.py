"""The badge check page, /verify/, in a real browser.

An employer drops or pastes a badge; the page reads it in the browser, asks no other
site, and says which credential and criteria version of this catalog it was issued
under, or that it was not issued from this catalog.

The foreign badges are the 1EdTech specifications' own examples, vendored in
tests/standards/ (see the SOURCE.md files there):

- Open Badges 2.0, https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/examples/
  (1EdTech/openbadges-specification ``ob_v2p0/examples/index.md``): the hosted
  Assertion and the signed-badge Assertion, issued by example.org;
- Open Badges 3.0, https://www.imsglobal.org/spec/ob/v3p0/ (``ob_v3p0/examples/``):
  "Sample OpenBadgeCredential" (example.com) and "Complete OpenBadgeCredential"
  (1edtech.edu), and the 1EdTech validator's signed ``simple.json``.

Our own badges are built here from the sample catalog's published JSON: an Open
Badges 2.0 assertion naming a credential's v1 badgeclass.json, baked into a PNG iTXt
chunk and an SVG the way the Open Badges Baking specification says
(https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/baking/), and an
Open Badges 3.0 credential with its v1 achievement.json, as JSON and as an unsigned JWT.
"""

from __future__ import annotations

import base64
import json
import struct
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser.test_site import axe_violations

pytestmark = pytest.mark.browser

STANDARDS = Path(__file__).resolve().parents[1] / "standards"
OB2_EXAMPLES = STANDARDS / "ob2" / "examples"
OB3_EXAMPLES = STANDARDS / "ob3" / "examples"
SLUG = "technical-writing"
MAX_BYTES = 4 * 1024 * 1024
NOT_OURS = "Not issued from this catalog."


# --- badges made here ------------------------------------------------------------


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(*extra: bytes) -> bytes:
    """A 1×1 PNG with ``extra`` chunks before IEND."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", pixels)
        + b"".join(extra)
        + png_chunk(b"IEND", b"")
    )


def baked_png(text: str, keyword: bytes = b"openbadges") -> bytes:
    """An iTXt chunk: keyword, NUL, compression flag 0, method 0, empty language and
    translated keyword (each NUL-terminated), then the UTF-8 text (Baking 2.0, PNG)."""
    return png(png_chunk(b"iTXt", keyword + b"\x00\x00\x00\x00\x00" + text.encode()))


def baked_svg(text: str) -> bytes:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org" '
        'width="10" height="10" viewBox="0 0 10 10">'
        f'<openbadges:assertion verify="https://badges.example/a/1"><![CDATA[{text}]]>'
        '</openbadges:assertion><rect width="10" height="10"/></svg>'
    ).encode()


def b64url(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def unsigned_jwt(payload: dict) -> str:
    return f"{b64url({'alg': 'none', 'typ': 'JWT'})}.{b64url(payload)}."


def published(site: Path, path: str) -> dict:
    return json.loads((site / path.lstrip("/")).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def ours(preview_site, sample_catalog):
    """Badges issued from this catalog: technical-writing, criteria version 1 (of 2)."""
    site = sample_catalog.site
    badgeclass = published(preview_site, f"/credentials/{SLUG}/v1/badgeclass.json")
    achievement = published(preview_site, f"/credentials/{SLUG}/v1/achievement.json")
    assertion = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://badges.example/assertions/1",
        "recipient": {"type": "email", "hashed": False, "identity": "ada@example.com"},
        "extensions:recipientProfile": {"name": "Ada Lovelace"},
        "issuedOn": "2025-05-02T12:00:00Z",
        "expires": "2099-05-02T12:00:00Z",
        "badge": badgeclass["id"],
        "verification": {"type": "hosted"},
    }
    credential = {
        "@context": achievement["@context"],
        "id": "urn:uuid:6d3b1ae2-3f0e-4a1b-9c1e-2b0a8f4d5e61",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": site.url("/institutions/great-river-state-university/profile.json"),
            "type": ["Profile"],
            "name": "Great River State University",
        },
        "validFrom": "2025-06-01T00:00:00Z",
        "name": achievement["name"],
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": "sha256$0f1e2d",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": "pepper",
                }
            ],
            "achievement": achievement,
        },
    }
    return {"assertion": assertion, "credential": credential, "badgeclass": badgeclass}


# --- driving the page ------------------------------------------------------------


@pytest.fixture
def verify(page):
    """The check page, recording every request the page makes."""
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: pytest.fail(f"a dialog opened: {d.message}"))
    page.goto("/verify/")
    page.requests = requests
    return page


def choose(page, name: str, content: bytes, mime: str = "application/octet-stream") -> str:
    page.set_input_files("#badge-file", files=[{"name": name, "mimeType": mime, "buffer": content}])
    return settled(page)


def paste(page, text: str) -> str:
    page.fill("#badge-text", text)
    page.click("text=Check the pasted text")
    return settled(page)


def settled(page) -> str:
    page.wait_for_function(
        "() => !['', 'Checking…'].includes(document.getElementById('check-status').textContent)"
    )
    return page.inner_text("#check-status")


def fact(page, term: str) -> str:
    return page.locator(f"#check-details dt:text-is('{term}') + dd").inner_text()


def only_local_requests(page) -> list[str]:
    return [url for url in page.requests if urlsplit(url).hostname != "127.0.0.1"]


# --- the specifications' examples: not from this catalog --------------------------


def test_the_ob2_spec_hosted_assertion_is_not_from_this_catalog(verify):
    text = (OB2_EXAMPLES / "assertion-hosted.json").read_text(encoding="utf-8")
    assert paste(verify, text) == f"Checked. {NOT_OURS}"
    assert "https://example.org/robotics-badge.json" in verify.inner_text("#check-details")
    assert fact(verify, "Recipient") == (
        "hashed email: sha256$c7ef86405ba71b85acd8e2e95166c4b111448089f2e1599f42fe1bba46e865c5"
        " (salt “deadsea”)"
    )
    assert fact(verify, "Issued on") == "December 31, 2016"
    assert fact(verify, "Expires") == "June 30, 2017 (this date has passed: the badge has expired)"
    assert fact(verify, "Issuer") == (
        "Stated in the badge class the badge names by its address, on another site, which "
        "this page does not ask."
    )
    assert fact(verify, "Badge file") == "Open Badges 2.0 assertion."
    assert only_local_requests(verify) == []


def test_the_ob2_spec_signed_assertion_as_a_jws_is_not_from_this_catalog(verify):
    payload = json.loads((OB2_EXAMPLES / "assertion-signed-payload.json").read_text())
    jws = f"{b64url({'alg': 'RS256'})}.{b64url(payload)}.c2lnbmF0dXJl"
    assert paste(verify, jws) == f"Checked. {NOT_OURS}"
    assert "The badge carries a JWT signature, which this page does not check." in (
        verify.inner_text("#check-details")
    )


@pytest.mark.parametrize(
    "example, issuer",
    [
        ("basicOpenBadgeCredential.json", "Example Corp (https://example.com/issuers/876543)"),
        ("fullOpenBadge.json", "1EdTech University (https://1edtech.edu/issuers/565049)"),
    ],
)
def test_the_ob3_spec_credentials_are_not_from_this_catalog(verify, example, issuer):
    content = (OB3_EXAMPLES / example).read_bytes()
    assert choose(verify, example, content, "application/json") == f"Checked. {NOT_OURS}"
    assert fact(verify, "Issuer").startswith(f"The badge names {issuer}")
    assert fact(verify, "Issuer").endswith("which is not an institution of this catalog.")
    assert fact(verify, "Badge file") == "Open Badges 3.0 credential."
    assert only_local_requests(verify) == []


def test_the_full_ob3_example_states_its_recipient_and_dates(verify):
    choose(verify, "full.json", (OB3_EXAMPLES / "fullOpenBadge.json").read_bytes())
    assert fact(verify, "Recipient") == (
        "emailAddress: student@1edtech.edu; emailAddress: somebody@gmail.com"
    )
    assert fact(verify, "Issued on") == "January 1, 2010"
    assert fact(verify, "Expires") == "January 1, 2030"
    assert "names a status list" in verify.inner_text("#check-details")


def test_a_signed_ob3_credential_says_its_proof_is_not_checked_here(verify):
    signed = (OB3_EXAMPLES / "validator" / "simple.json").read_bytes()
    assert choose(verify, "simple.json", signed) == f"Checked. {NOT_OURS}"
    assert "The badge carries a proof (Data Integrity), which this page does not check." in (
        verify.inner_text("#check-details")
    )


# --- badges from this catalog -----------------------------------------------------


def assert_technical_writing_v1(page):
    assert page.inner_text("#check-status") == (
        "Checked. Issued under this catalog's criteria: Technical Writing, criteria version 1."
    )
    assert fact(page, "Micro-credential") == "Technical Writing, Great River State University"
    assert fact(page, "Criteria").startswith("Version 1, effective ")
    assert fact(page, "Criteria").endswith(": an earlier version; the current one is version 2.")
    link = page.locator("#check-details dt:text-is('Criteria') + dd a").first
    assert link.get_attribute("href") == f"/credentials/{SLUG}/v1/#criteria"
    assert fact(page, "Status today") == "Active: open to new learners."


def test_our_ob2_assertion_baked_into_a_png_names_its_criteria_version(verify, ours):
    badge = baked_png(json.dumps(ours["assertion"]))
    choose(verify, "badge.png", badge, "image/png")
    assert_technical_writing_v1(verify)
    assert fact(verify, "Issuer") == (
        "Great River State University, named by the badge class at this catalog's address, "
        "which the badge points to."
    )
    assert fact(verify, "Recipient") == "Ada Lovelace; email: ada@example.com"
    assert fact(verify, "Issued on") == "May 2, 2025"
    assert fact(verify, "Expires") == "May 2, 2099"
    assert fact(verify, "Badge file") == "Open Badges 2.0 assertion, baked into a PNG image."
    verify.locator("#check-details a", has_text="Version 1").click()
    assert verify.locator("#criteria").is_visible()
    assert verify.url.endswith(f"/credentials/{SLUG}/v1/#criteria")


def test_our_ob2_assertion_baked_into_an_svg_with_its_badge_class(verify, ours):
    assertion = {**ours["assertion"], "badge": ours["badgeclass"]}
    choose(verify, "badge.svg", baked_svg(json.dumps(assertion)), "image/svg+xml")
    assert_technical_writing_v1(verify)
    assert fact(verify, "Issuer") == (
        "Great River State University: this catalog's issuer of this micro-credential."
    )
    assert fact(verify, "Badge file") == "Open Badges 2.0 assertion, baked into an SVG image."


def test_a_platform_badge_is_found_by_our_criteria_url(verify, ours):
    """A badge platform serves its own copy of the badge class and issuer; the template's
    criteria URL is ours (docs/badge-platforms.md)."""
    badge = {
        "type": "BadgeClass",
        "id": "https://api.badges.example/obi/v2/badge_classes/5f2c",
        "name": "Technical Writing",
        "criteria": {"id": ours["badgeclass"]["criteria"]["id"]},
        "issuer": {"id": "https://api.badges.example/obi/v2/issuers/77", "name": "GRSU"},
    }
    paste(verify, json.dumps({**ours["assertion"], "badge": badge}))
    assert_technical_writing_v1(verify)
    assert fact(verify, "Issuer") == (
        "The badge names GRSU (https://api.badges.example/obi/v2/issuers/77), which is not an "
        "institution of this catalog. A badge issued through a badge platform may name the "
        "platform's profile of Great River State University; the platform or Great River "
        "State University can confirm it."
    )


def test_our_ob3_credential_as_json(verify, ours):
    choose(verify, "credential.json", json.dumps(ours["credential"]).encode(), "application/json")
    assert_technical_writing_v1(verify)
    assert fact(verify, "Issuer") == (
        "Great River State University: this catalog's issuer of this micro-credential."
    )
    assert fact(verify, "Recipient") == "hashed emailAddress: sha256$0f1e2d"
    assert fact(verify, "Issued on") == "June 1, 2025"
    assert fact(verify, "Expires") == "Not stated: the badge does not expire."


def test_our_ob3_credential_as_an_unsigned_jwt_under_vc(verify, ours):
    token = unsigned_jwt({"iss": "x", "nbf": 1748736000, "vc": ours["credential"]})
    assert paste(verify, token).startswith("Checked. Issued under this catalog's criteria")
    assert_technical_writing_v1(verify)
    assert "The badge carries no signature that this page could see." in (
        verify.inner_text("#check-details")
    )


def test_a_current_version_badge_says_so_and_shows_the_status_today(verify, sample_catalog):
    suspended = next(c for c in sample_catalog.credentials if c.status == "suspended")
    badge = sample_catalog.site.url(f"/credentials/{suspended.slug}/v1/badgeclass.json")
    paste(verify, json.dumps({"type": "Assertion", "recipient": {}, "badge": badge}))
    assert fact(verify, "Criteria").endswith(": the current version.")
    assert fact(verify, "Status today") == (
        "Suspended: not open to new learners; badges already earned stay valid."
    )
    assert fact(verify, "Recipient") == "Not stated in the badge."


def test_dropping_a_file_on_the_page_checks_it(verify, ours):
    verify.evaluate(
        """text => {
            const data = new DataTransfer();
            data.items.add(new File([text], 'badge.json', {type: 'application/json'}));
            document.body.dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true}));
        }""",
        json.dumps(ours["assertion"]),
    )
    settled(verify)
    assert_technical_writing_v1(verify)


# --- hostile and broken input -----------------------------------------------------


def test_a_huge_file_is_refused_before_it_is_read(verify):
    status = choose(verify, "huge.json", b" " * (MAX_BYTES + 1024 * 1024), "application/json")
    assert status == (
        "This file is 5 MB; the check reads files of at most 4 MB, and a badge is much "
        "smaller. Nothing was read."
    )
    assert verify.locator("#check-result").is_hidden()


def test_huge_pasted_text_is_refused(verify):
    verify.evaluate(
        "n => { document.getElementById('badge-text').value = 'x'.repeat(n); }", MAX_BYTES + 1
    )
    verify.click("text=Check the pasted text")
    assert settled(verify) == (
        "The pasted text is longer than 4 MB; a badge is much smaller. Nothing was read."
    )


def test_a_png_chunk_whose_length_runs_past_the_end_is_refused(verify, ours):
    badge = bytearray(baked_png(json.dumps(ours["assertion"])))
    itxt = badge.index(b"iTXt")
    badge[itxt - 4 : itxt] = struct.pack(">I", 0x7FFFFFF0)
    assert choose(verify, "badge.png", bytes(badge), "image/png") == (
        "This PNG image is damaged: its “iTXt” chunk says it is 2147483632 bytes long, which "
        "runs past the end of the file. No badge was read from it."
    )


def test_a_png_badge_chunk_with_a_wrong_checksum_is_refused(verify, ours):
    badge = bytearray(baked_png(json.dumps(ours["assertion"])))
    badge[badge.index(b"Ada")] = ord("E")
    assert choose(verify, "badge.png", bytes(badge), "image/png") == (
        "This PNG image is damaged: the checksum of its badge chunk does not match. "
        "No badge was read from it."
    )


def test_a_png_without_a_badge_says_so(verify):
    status = choose(verify, "plain.png", png(), "image/png")
    assert status.startswith("This PNG image has no badge baked into it")


@pytest.mark.parametrize(
    "text, status",
    [
        ("{not json", "This text is not valid JSON, so it is not a badge this page can read."),
        ("[1, 2]", "This JSON is not an object, so it is not a badge."),
        ('{"name": "x"}', "This JSON is not an Open Badges assertion (2.0) or credential (3.0)"),
        ("https://badges.example/a/1", "This badge holds only the address of its assertion"),
        ("aaa.!!!.bbb", "This is not a badge this page can read"),
        (
            "e30.bm90IGpzb24.",
            "This looks like a JWT, but its parts are not base64url-encoded JSON.",
        ),
    ],
)
def test_broken_text_is_explained(verify, text, status):
    assert paste(verify, text).startswith(status)


HOSTILE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'


def test_script_in_badge_fields_is_shown_as_text_and_never_run(verify, ours):
    assertion = {
        **ours["assertion"],
        "id": HOSTILE,
        "recipient": {"type": "email", "identity": HOSTILE},
        "extensions:recipientProfile": {"name": HOSTILE},
        "issuedOn": HOSTILE,
        "badge": {**ours["badgeclass"], "issuer": {"id": "x", "name": HOSTILE}},
    }
    counts = "[document.scripts.length, document.images.length]"
    before = verify.evaluate(counts)
    choose(verify, "badge.svg", baked_svg(json.dumps(assertion)), "image/svg+xml")
    assert_technical_writing_v1(verify)
    assert fact(verify, "Recipient") == f"{HOSTILE}; email: {HOSTILE}"
    assert fact(verify, "Badge id") == HOSTILE
    assert HOSTILE in fact(verify, "Issuer")
    assert verify.evaluate(counts) == before
    assert verify.locator("#check-details script, #check-details img").count() == 0
    assert verify.evaluate("window.pwned") is None
    assert verify.console_errors == []


def test_script_in_a_foreign_svg_is_never_run(verify):
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        '<script>window.pwned = 3</script><image href="x" onerror="window.pwned = 4"/>'
        "<openbadges:assertion>{}</openbadges:assertion></svg>"
    )
    choose(verify, "evil.svg", svg.encode(), "image/svg+xml")
    assert verify.evaluate("window.pwned") is None
    assert only_local_requests(verify) == []


# --- accessible, offline, and explained without JavaScript ------------------------


def test_the_check_page_has_no_wcag_21_aa_violations_before_and_after_a_check(
    verify, axe_source, ours
):
    assert axe_violations(verify, axe_source) == []
    choose(verify, "badge.png", baked_png(json.dumps(ours["assertion"])), "image/png")
    assert axe_violations(verify, axe_source) == []
    paste(verify, (OB2_EXAMPLES / "assertion-hosted.json").read_text(encoding="utf-8"))
    assert axe_violations(verify, axe_source) == []


def test_the_result_is_announced_and_the_form_works_from_the_keyboard(verify, ours):
    assert verify.get_attribute("#check-status", "role") == "status"
    assert verify.get_attribute("#check-status", "aria-live") == "polite"
    assert verify.locator("label[for=badge-file]").inner_text().startswith("Choose a badge file")
    assert verify.locator("label[for=badge-text]").inner_text().startswith("Or paste")
    verify.focus("#badge-file")
    verify.keyboard.press("Tab")
    assert verify.evaluate("document.activeElement.id") == "badge-text"
    verify.keyboard.insert_text(json.dumps(ours["assertion"]))
    verify.keyboard.press("Tab")
    verify.keyboard.press("Enter")
    settled(verify)
    assert_technical_writing_v1(verify)


def test_the_page_asks_only_this_site_for_catalog_json(verify, ours):
    choose(verify, "badge.png", baked_png(json.dumps(ours["assertion"])), "image/png")
    paste(verify, unsigned_jwt(ours["credential"]))
    fetched = [urlsplit(url).path for url in verify.requests if "catalog" in url]
    assert fetched == ["/catalog.json"]
    assert only_local_requests(verify) == []
    assert verify.console_errors == []


def test_a_phone_shows_the_check_without_sideways_scrolling(verify, ours):
    verify.set_viewport_size({"width": 320, "height": 640})
    choose(verify, "badge.svg", baked_svg(json.dumps(ours["assertion"])), "image/svg+xml")
    assert verify.evaluate("document.documentElement.scrollWidth") <= 320


def test_without_javascript_the_page_explains_how_to_check_by_hand(browser, base_url):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/verify/")
    assert page.locator("#checker").is_hidden()
    steps = page.locator("section[aria-labelledby=manual-heading] li").all_inner_texts()
    assert "https://catalog.example.edu/credentials/name/vN/#criteria" in steps[1]
    assert page.get_by_text(
        "It checks what the badge claims against the published criteria."
    ).is_visible()
    context.close()


def test_every_page_links_to_the_check_and_criteria_pages_explain_it(page):
    page.goto(f"/credentials/{SLUG}/v1/")
    page.locator(".employers a", has_text="Check a badge against this catalog").click()
    assert page.inner_text("h1") == "Check a badge against this catalog"
    page.goto("/")
    assert page.locator("footer a", has_text="Check a badge against this catalog").count() == 1
