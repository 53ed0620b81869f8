"""The link checker: it finds every kind of broken internal link, and the real sites have none."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from microcred.build.linkcheck import check_site
from microcred.cli import main
from microcred.pipeline import BuildOptions, build
from microcred.reporting.errors import BuildError
from microcred.reporting.terminal import TerminalReporter
from microcred.site import pages

MINIMAL = Path(__file__).resolve().parent / "sites" / "minimal" / "content"

PAGE = """<!DOCTYPE html><html><head>
<link rel="stylesheet" href="{prefix}/assets/site.css">
<script src="{prefix}/assets/app.js" defer></script>
<link rel="canonical" href="{base}/a/">
<script type="application/ld+json">{{"@id": "{base}/a/#thing", "url": "{base}/a/"}}</script>
</head><body>
<a href="#top" id="top">top</a>
<a href="{prefix}/b/#criteria">criteria</a>
<a href="../b/index.html">relative</a>
<a href="{prefix}/b">no trailing slash</a>
<a href="https://elsewhere.example/missing">external</a>
<a href="mailto:someone@example.edu">mail</a>
<img src="{prefix}/a/badge.svg" srcset="{prefix}/a/badge.svg 1x, badge.svg 2x" alt="">
{extra}
</body></html>"""


def _tiny_site(root: Path, base: str, extra: str = "", badge: dict | None = None) -> Path:
    """A hand-made site: two pages, a stylesheet, a script, an image and a badge JSON."""
    prefix = urlsplit(base).path
    files = {
        "a/index.html": PAGE.format(prefix=prefix, base=base, extra=extra),
        "b/index.html": '<html><body><section id="criteria">c</section></body></html>',
        "a/badge.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "assets/site.css": "body { background: url('../a/badge.svg'); }",
        "assets/app.js": "",
        "a/badgeclass.json": json.dumps(
            badge
            or {
                "id": f"{base}/a/badgeclass.json",
                "criteria": {"id": f"{base}/b/#criteria"},
                "issuer": f"{base}/b/",
                "image": f"{base}/a/badge.svg",
                "alignment": [{"targetUrl": "https://onetonline.org/x"}],
            }
        ),
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("base", ["https://example.test", "https://example.test/catalog"])
def test_a_site_whose_links_all_resolve_has_none_broken(tmp_path, base):
    assert check_site(_tiny_site(tmp_path, base), base) == []


@pytest.mark.parametrize(
    ("link", "why"),
    [
        ('<a href="/missing/">x</a>', "/missing/: no such folder in the output"),
        ('<a href="/b/gone.html">x</a>', "/b/gone.html: no such file in the output"),
        ('<a href="/b/#nowhere">x</a>', "/b/#nowhere: the page has no element with id `nowhere`"),
        ('<a href="#absent">x</a>', "#absent: the page has no element with id `absent`"),
        ('<img src="/a/missing.png" alt="">', "/a/missing.png: no such file in the output"),
        ('<img srcset="/a/badge.svg 1x, /a/big.svg 2x" alt="">',
         "/a/big.svg: no such file in the output"),
        ('<link rel="stylesheet" href="/assets/gone.css">',
         "/assets/gone.css: no such file in the output"),
        ('<script src="/assets/gone.js"></script>', "/assets/gone.js: no such file in the output"),
        ('<meta http-equiv="refresh" content="0; url=/moved/">',
         "/moved/: no such folder in the output"),
        ('<a href="javascript:alert(1)">x</a>',
         "javascript:alert(1): the `javascript:` scheme is not allowed in a published page"),
        ('<a href="/../../etc/passwd">x</a>', "/../../etc/passwd: it points above the site's root"),
        ('<a href="https://example.test/nope/">x</a>',
         "https://example.test/nope/: no such folder in the output"),
        ('<script type="application/ld+json">{"url": "https://example.test/c/"}</script>',
         "https://example.test/c/: no such folder in the output"),
    ],
)  # fmt: skip
def test_each_kind_of_broken_link_is_named_with_its_page_and_reason(tmp_path, link, why):
    base = "https://example.test"
    assert check_site(_tiny_site(tmp_path, base, extra=link), base) == [f"a/index.html → {why}"]


def test_links_outside_the_base_path_are_broken(tmp_path):
    base = "https://example.test/catalog"
    site = _tiny_site(tmp_path, base, extra='<a href="/elsewhere/">x</a>')
    assert check_site(site, base) == [
        "a/index.html → /elsewhere/: the link is outside the site's base path /catalog/"
    ]


def test_badge_json_urls_must_resolve_and_criteria_fragments_must_exist(tmp_path):
    base = "https://example.test"
    badge = {
        "id": f"{base}/a/badgeclass.json",
        "criteria": {"id": f"{base}/b/#criterion"},
        "issuer": f"{base}/institutions/x/issuer.json",
        "image": f"{base}/a/badge.png",
        "related": [{"id": f"{base}/a/v9/badgeclass.json"}],
    }
    assert check_site(_tiny_site(tmp_path, base, badge=badge), base) == [
        f"a/badgeclass.json → {base}/a/badge.png: no such file in the output",
        f"a/badgeclass.json → {base}/a/v9/badgeclass.json: no such file in the output",
        f"a/badgeclass.json → {base}/b/#criterion: the page has no element with id `criterion`",
        f"a/badgeclass.json → {base}/institutions/x/issuer.json: no such file in the output",
    ]


def test_stylesheet_urls_sitemaps_and_feeds_are_followed(tmp_path):
    base = "https://example.test"
    site = _tiny_site(tmp_path, base)
    (site / "assets" / "site.css").write_text("@font-face { src: url(fonts/x.woff2); }")
    (site / "sitemap.xml").write_text(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{base}/a/</loc></url><url><loc>{base}/z/</loc></url></urlset>"
    )
    (site / "robots.txt").write_text(f"User-agent: *\nSitemap: {base}/sitemap-2.xml\n")
    assert check_site(site, base) == [
        "assets/site.css → fonts/x.woff2: no such file in the output",
        f"robots.txt → {base}/sitemap-2.xml: no such file in the output",
        f"sitemap.xml → {base}/z/: no such folder in the output",
    ]


def test_the_sample_site_has_no_broken_links(sample_site, sample_catalog):
    assert check_site(sample_site, sample_catalog.site.base_url) == []


def test_the_preview_site_with_proposals_has_no_broken_links(preview_site, sample_catalog):
    assert check_site(preview_site, sample_catalog.site.base_url) == []


def test_the_minimal_fixture_site_has_no_broken_links(tmp_path):
    output = tmp_path / "_site"
    result = build(
        BuildOptions(content=MINIMAL, output=output, check_links=True),
        TerminalReporter(quiet=True),
    )
    assert result.built
    assert check_site(output, "https://fixture.example.edu") == []


def test_a_site_published_under_a_path_has_no_broken_links(tmp_path):
    output = tmp_path / "_site"
    base = "https://www.example.edu/micro-credentials"
    options = BuildOptions(content=MINIMAL, output=output, base_url=base, search=False)
    assert build(options, TerminalReporter(quiet=True)).built
    assert check_site(output, base) == []


def test_build_with_check_links_stops_before_publishing_a_broken_link(tmp_path, monkeypatch):
    output = tmp_path / "_site"
    options = BuildOptions(content=MINIMAL, output=output, search=False, check_links=True)
    assert build(options, TerminalReporter(quiet=True)).built
    before = sorted(p.relative_to(output) for p in output.rglob("*"))
    monkeypatch.setattr("microcred.pipeline.pages.write_pages", _patched_pages())
    with pytest.raises(BuildError) as raised:
        build(options, TerminalReporter(quiet=True))
    assert str(raised.value) == (
        "1 broken links; the output is unchanged:\n"
        "  broken.html → /credentials/nope/: no such folder in the output"
    )
    assert sorted(p.relative_to(output) for p in output.rglob("*")) == before
    assert [p.name for p in tmp_path.iterdir()] == ["_site"]


def _patched_pages():
    original = pages.write_pages

    def write_pages(catalog, out, *rest, **options):
        written = original(catalog, out, *rest, **options)
        (out / "broken.html").write_text('<a href="/credentials/nope/">x</a>', encoding="utf-8")
        return written

    return write_pages


def test_the_command_line_flag_fails_the_build_with_the_list(tmp_path, monkeypatch, capsys):
    content = tmp_path / "content"
    shutil.copytree(MINIMAL, content)
    monkeypatch.setattr("microcred.pipeline.pages.write_pages", _patched_pages())
    output = tmp_path / "_site"
    status = main(["build", "--content", str(content), "--output", str(output),
                   "--no-search", "--check-links", "--quiet"])  # fmt: skip
    assert status == 1
    assert (
        "broken.html → /credentials/nope/: no such folder in the output" in capsys.readouterr().err
    )
    assert not output.exists()
