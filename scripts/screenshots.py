"""Render the key pages of the sample catalog to PNG with headless Chromium, for review.

    python scripts/screenshots.py [--site DIR] [--out screenshots]

Builds ``content/`` (proposals included, so every status has a page) unless
``--site`` names an already built site, serves it on 127.0.0.1, and writes a
full-page PNG of each key page at a phone width (320 px) and a desktop width
(1280 px), plus the home page after a search and a credential page as printed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser.serving import serve_site  # noqa: E402

from microcred.pipeline import BuildOptions, build  # noqa: E402
from microcred.reporting.terminal import TerminalReporter  # noqa: E402
from microcred.rules.check import check_catalog  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = {"phone": 320, "desktop": 1280}
EAGER_IMAGES = (
    "document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })"
)


def key_pages(content: Path) -> dict[str, str]:
    """Name → site path of the pages a reviewer should see: one credential per status."""
    catalog = check_catalog(content).catalog
    pages = {
        "home": "/",
        "by-credits": "/browse/by-credits/",
        "skills": "/browse/skills/",
        "404": "/no-such-page/",
    }
    for status in ("active", "suspended", "closed", "proposed"):
        found = [c for c in catalog.credentials if c.status == status]
        if found:
            pages[f"credential-{status}"] = found[0].url
    earlier = next(iter(catalog.earlier_versions.values()), ())
    if earlier:
        pages["earlier-version"] = f"/credentials/{earlier[0].slug}/v{earlier[0].version}/"
    if catalog.pathways:
        pages["pathway"] = catalog.pathways[0].url
    if catalog.institutions:
        pages["institution"] = f"/institutions/{catalog.institutions[0].id}/"
    return pages


def shoot(site: Path, pages: dict[str, str], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with serve_site(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for device, width in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": 900})
            for name, path in pages.items():
                page.goto(base + path)
                page.evaluate(EAGER_IMAGES)
                page.wait_for_load_state("networkidle")
                target = out / f"{name}-{device}.png"
                page.screenshot(path=target, full_page=True)
                written.append(target)
            page.close()
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + "/?q=safety")
        page.wait_for_selector("#search-results li")
        page.screenshot(path=out / "search-desktop.png", full_page=True)
        page.emulate_media(media="print")
        page.goto(base + pages.get("credential-active", "/"))
        page.screenshot(path=out / "credential-print.png", full_page=True)
        written += [out / "search-desktop.png", out / "credential-print.png"]
        browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        site = args.site
        if site is None:
            site = Path(scratch) / "_site"
            options = BuildOptions(content=args.content, output=site, include_proposed=True)
            if not build(options, TerminalReporter(quiet=True)).built:
                print("The content has errors; run `python build.py check`.", file=sys.stderr)
                return 1
        for path in shoot(site, key_pages(args.content), args.out):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
