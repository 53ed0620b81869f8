"""The URL manifest: every site path the catalog has ever published, so none disappears.

``urls.json`` beside the content folder lists the paths of every page, badge JSON,
data file and feed the published site has served. A build checks its staging folder
against it before publishing and fails, naming each missing path and how to keep it,
when one would disappear. ``build --update-manifest`` (run by the deploy workflow on
main) adds the paths of a successful build; nothing ever removes one. Retiring a URL
on purpose means deleting its line from ``urls.json`` in a reviewed pull request.

Listed: pages, JSON (badge definitions, issuer profiles, CTDL, the catalog), feeds
and the data package's CSVs. Not listed: assets, the search index, badge images and
per-credential download templates, which are how pages look or work, not addresses
anyone keeps.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Collection, Iterable
from pathlib import Path

from microcred.content.urls import version_file
from microcred.reporting.errors import BuildError

MANIFEST_NAME = "urls.json"
LISTED_SUFFIXES = (".html", ".json", ".xml", ".txt")
DATA_FOLDER = "data"
UNLISTED_FOLDERS = ("assets", "pagefind")
ABOUT = (
    "Every URL path this catalog has published. The build fails when one would disappear; "
    "`python build.py build --update-manifest` adds new ones. Remove a line only to retire "
    "a URL on purpose, in a reviewed pull request."
)
_CREDENTIAL_PATH = re.compile(r"^/credentials/(?P<slug>[^/]+)/(?:v(?P<version>\d+)/)?")


def manifest_path(content: Path) -> Path:
    """Where the manifest of the catalog in ``content`` lives: beside that folder."""
    return Path(content).resolve().parent / MANIFEST_NAME


def url_path(relative: str) -> str:
    """The URL path a file is served at, from its path in the site: ``x/index.html`` is ``/x/``."""
    if relative == "index.html":
        return "/"
    if relative.endswith("/index.html"):
        return "/" + relative.removesuffix("index.html")
    return "/" + relative


def site_path(out: Path, file: Path) -> str:
    """The URL path a written file is served at."""
    return url_path(file.relative_to(out).as_posix())


def site_files(out: Path) -> list[str]:
    """Every file of the built site ``out``, as a path relative to it."""
    out = Path(out)
    return [f.relative_to(out).as_posix() for f in out.rglob("*") if f.is_file()]


def published_paths(out: Path, files: Iterable[str] | None = None) -> list[str]:
    """The sorted URL paths of every listed file of the built site ``out``.

    ``files`` are the site's files relative to ``out`` when the caller knows them.
    """
    files = site_files(out) if files is None else files
    return sorted(url_path(f) for f in files if _listed(f))


def _listed(relative: str) -> bool:
    top = relative.split("/", 1)[0]
    if top in UNLISTED_FOLDERS:
        return False
    suffix = posixpath.splitext(relative)[1]
    return suffix in LISTED_SUFFIXES or (top == DATA_FOLDER and suffix == ".csv")


def read_manifest(path: Path) -> list[str]:
    """The paths listed in the manifest at ``path``; none when it does not exist yet."""
    if not path.is_file():
        return []
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        urls = document["urls"]
    except (ValueError, KeyError, TypeError) as error:
        raise BuildError(
            f"{path} is not a URL manifest ({error}); restore it from git history"
        ) from None
    if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        raise BuildError(f"{path}: `urls` must be a list of URL paths; restore it from git history")
    return urls


def write_manifest(path: Path, urls: Iterable[str]) -> None:
    """Write the manifest to ``path``: its note and the ``urls``, sorted and each once."""
    document = {"about": ABOUT, "urls": sorted(set(urls))}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def how_to_keep(path: str, produced: set[str]) -> str:
    """What a person does so that the published ``path`` keeps working."""
    match = _CREDENTIAL_PATH.match(path)
    if match and f"/credentials/{match['slug']}/" not in produced:
        slug = match["slug"]
        return (
            f"close the credential instead of deleting it (`status: closed` keeps its pages "
            f"and badge JSON), or, if it was renamed, add `redirect_from: [{slug}]` to the "
            "renamed credential"
        )
    if match and match["version"]:
        slug, version = match["slug"], match["version"]
        frozen = version_file(Path("content"), slug, int(version)).as_posix()
        return (
            f"keep the frozen criteria of version {version} in {frozen} "
            f"(run `python build.py freeze {slug}` before changing criteria)"
        )
    return (
        "restore what produced it, or retire the URL on purpose by removing its line "
        "from urls.json in a reviewed pull request"
    )


def missing_paths(listed: Iterable[str], produced: Iterable[str]) -> list[str]:
    """The ``listed`` paths that ``produced`` lacks, sorted."""
    produced = set(produced)
    return sorted(set(listed) - produced)


def check_manifest(path: Path, out: Path, files: Iterable[str] | None = None) -> list[str]:
    """The paths the site in ``out`` publishes; a BuildError when a listed one is missing.

    ``files`` are the site's files relative to ``out`` when the build knows them.
    """
    files = site_files(out) if files is None else list(files)
    urls = [url_path(f) for f in files]  # once per file: 110,000 files at 10,000 credentials
    served = set(urls)
    missing = missing_paths(read_manifest(path), served)
    if missing:
        raise _disappearing(path, missing, served)
    return sorted(url for f, url in zip(files, urls, strict=True) if _listed(f))


def check_served(path: Path, files: Collection[str]) -> None:
    """A BuildError, as ``check_manifest`` raises it, when a path the manifest at ``path``
    lists is not served by the site whose files (relative to its folder) are ``files``.

    Works from the manifest's side: each listed path's one possible file (``file_served_at``)
    is looked up among ``files``, so an edit build does not compute the URL path of each of
    the site's 112,000 files at 10,000 credentials (nor sort them) when the manifest is all
    it checks; ``check_manifest`` also returns the published paths, which only
    ``--update-manifest`` needs."""
    listed = read_manifest(path)
    if not listed:
        return
    known = files if isinstance(files, (set, frozenset)) else set(files)
    if all(file_served_at(url) in known for url in listed):
        return
    served = {url_path(f) for f in known}
    raise _disappearing(path, missing_paths(listed, served), served)


def file_served_at(url: str) -> str | None:
    """The one file (relative to the site's folder) that ``url_path`` serves at ``url``;
    None when no file is served there (``/x/index.html`` is served as ``/x/``, and every
    URL path starts with ``/``). The inverse of ``url_path``: ``url_path(f) == url``
    exactly when ``file_served_at(url) == f``."""
    if not url.startswith("/"):
        return None
    if url.endswith("/"):
        return url[1:] + "index.html"
    relative = url[1:]
    if relative == "index.html" or relative.endswith("/index.html"):
        return None
    return relative


def _disappearing(path: Path, missing: list[str], served: set[str]) -> BuildError:
    lines = [f"{url} would disappear; {how_to_keep(url, served)}" for url in missing]
    return BuildError(
        f"{len(missing)} published URL{'s' if len(missing) != 1 else ''} listed in "
        f"{path.name} would no longer work:\n  " + "\n  ".join(lines)
    )


def update_manifest(path: Path, produced: Iterable[str]) -> list[str]:
    """Add the newly published paths to the manifest; return them (nothing is removed)."""
    listed = read_manifest(path)
    added = sorted(set(produced) - set(listed))
    if added or not path.is_file():
        write_manifest(path, [*listed, *added])
    return added
