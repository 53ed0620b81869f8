"""Criteria versions: freeze a credential's current criteria before its requirements change.

A frozen version is a verbatim copy of ``content/credentials/<slug>.md`` at version
N, kept as ``content/versions/<slug>/v<N>.md``. It lives in the repository beside
the content, so a reviewer sees it in the pull request and no hosting service has
to keep anything; the build publishes it under ``/credentials/<slug>/v<N>/`` forever
(Procedure Part 8: students keep the path they started on).

``freeze`` writes that copy and raises the ``version`` line of the credential file to
N+1, leaving every other byte of the file, comments included, as it was.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from microcred.build.manifest import manifest_path, read_manifest
from microcred.content.urls import version_file
from microcred.reporting.errors import BuildError

_FRONT_MATTER = re.compile(
    r"\A(?:\ufeff)?---[ \t]*\r?\n(?P<yaml>.*?)^---[ \t]*\r?$", re.DOTALL | re.MULTILINE
)
_VERSION_LINE = re.compile(
    r"^version[ \t]*:[ \t]*(?P<number>\d+)[ \t]*(?:#[^\r\n]*)?\r?$", re.MULTILINE
)
_STATUS_LINE = re.compile(r"^status[ \t]*:[ \t]*['\"]?(?P<status>[a-z]+)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Frozen:
    """What ``freeze`` did: the copy it wrote and the credential's new version."""

    slug: str
    frozen: Path
    credential: Path
    version: int


def _front_matter(path: Path, text: str) -> re.Match:
    match = _FRONT_MATTER.match(text)
    if not match:
        raise BuildError(
            f"{path} has no front matter between `---` lines; "
            "run `python build.py check` and fix it first"
        )
    return match


def _version_line(path: Path, front: re.Match) -> re.Match:
    lines = list(_VERSION_LINE.finditer(front.string, front.start("yaml"), front.end("yaml")))
    if len(lines) != 1:
        raise BuildError(
            f"{path} needs exactly one `version: N` line in its front matter "
            f"(found {len(lines)}); fix it, then freeze again"
        )
    return lines[0]


def _criteria_text(text: str) -> str:
    """A credential file with its ``version`` line blanked, to compare two versions."""
    return re.sub(r"(?m)^version:.*$", "version:", text)


def _at_ref(credential: Path, base: str) -> bytes:
    """The credential file as it is at git ref ``base``."""
    try:
        result = subprocess.run(
            ["git", "-C", str(credential.parent), "show", f"{base}:./{credential.name}"],
            capture_output=True,
            check=False,
        )
    except OSError:
        raise BuildError("`git` is not installed; `--from` reads the file with git") from None
    if result.returncode != 0:
        raise BuildError(
            f"{credential} does not exist at `{base}`; fetch it first "
            "(for example `git fetch origin main`) or name another ref"
        )
    return result.stdout


def _published(content: Path, slug: str, version: int) -> bool | None:
    """Whether version ``version`` of ``slug`` is in the URL manifest; None without one."""
    urls = read_manifest(manifest_path(content))
    if not urls:
        return None
    return f"/credentials/{slug}/v{version}/" in urls


def freeze(content: Path, slug: str, reason: str | None = None, base: str | None = None) -> Frozen:
    """Copy the credential ``slug`` to its version file and raise its ``version`` by one.

    With ``base`` (a git ref) the copy is the file as it was there: for criteria that
    were edited before they were frozen. A version the URL manifest does not list was
    never published, and is only frozen with a ``reason``.
    """
    credential = Path(content) / "credentials" / f"{slug}.md"
    if not credential.is_file():
        raise BuildError(
            f"there is no {credential}; name a credential by its file name "
            "without `.md`, such as `technical-writing`"
        )
    raw = credential.read_bytes()
    text = raw.decode("utf-8")
    if base is not None:
        return _freeze_from(content, slug, credential, text, reason, base)
    front = _front_matter(credential, text)
    status = _STATUS_LINE.search(front.group("yaml"))
    if status and status["status"] == "proposed":
        raise BuildError(
            f"{slug} is still proposed, so no earner holds its criteria; "
            "edit it directly, there is nothing to freeze"
        )
    line = _version_line(credential, front)
    current = int(line["number"])
    target = version_file(content, slug, current)
    if target.exists():
        raise BuildError(
            f"version {current} of {slug} is already frozen in {target}; "
            f"if its criteria changed since, set `version: {current + 1}` by hand "
            "and keep the frozen file as it is"
        )
    previous = version_file(content, slug, current - 1)
    if previous.is_file() and _criteria_text(previous.read_text("utf-8")) == _criteria_text(text):
        raise BuildError(
            f"{slug} is unchanged since version {current - 1} was frozen in {previous}, so "
            f"version {current} has no criteria of its own yet; edit the criteria first, and "
            "freeze again only before the next change"
        )
    _refuse_unpublished(content, slug, current, reason)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(raw)
    bumped = text[: line.start("number")] + str(current + 1) + text[line.end("number") :]
    credential.write_bytes(bumped.encode("utf-8"))
    return Frozen(slug, target, credential, current + 1)


def _refuse_unpublished(content: Path, slug: str, version: int, reason: str | None) -> None:
    if _published(content, slug, version) is False and not (reason or "").strip():
        raise BuildError(
            f"version {version} of {slug} was never published (urls.json does not list "
            f"/credentials/{slug}/v{version}/), so no earner holds its criteria: edit them "
            "directly instead of freezing. If it was published, say so: "
            f'`python build.py freeze {slug} --reason "..."`'
        )


def _freeze_from(content, slug, credential: Path, text: str, reason, base: str) -> Frozen:
    """Freeze the criteria as they are at ``base``; raise the working file's version when
    it has not been raised yet."""
    old = _at_ref(credential, base)
    old_text = old.decode("utf-8", "replace")
    current = int(_version_line(credential, _front_matter(credential, old_text))["number"])
    target = version_file(content, slug, current)
    if target.exists():
        raise BuildError(f"version {current} of {slug} is already frozen in {target}")
    _refuse_unpublished(content, slug, current, reason)
    line = _version_line(credential, _front_matter(credential, text))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(old)
    if int(line["number"]) <= current:
        text = text[: line.start("number")] + str(current + 1) + text[line.end("number") :]
        credential.write_bytes(text.encode("utf-8"))
    return Frozen(slug, target, credential, max(current + 1, int(line["number"])))


def next_steps(frozen: Frozen) -> list[str]:
    """What the author does after freezing, in order."""
    return [
        f"Edit the criteria in {frozen.credential} (outcomes, courses, credits or hours, "
        "eligibility, completion); it is now version "
        f"{frozen.version}.",
        "Set `effective:` to the date the new criteria take effect.",
        "Run `python build.py check`, then `python build.py serve` to preview both versions.",
        f"Commit {frozen.frozen} together with the edited file and open a pull request; "
        "reviewers see the frozen copy and the change side by side.",
    ]
