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
from dataclasses import dataclass
from pathlib import Path

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


def freeze(content: Path, slug: str) -> Frozen:
    """Copy the credential ``slug`` to its version file and raise its ``version`` by one."""
    credential = Path(content) / "credentials" / f"{slug}.md"
    if not credential.is_file():
        raise BuildError(
            f"there is no {credential}; name a credential by its file name "
            "without `.md`, such as `technical-writing`"
        )
    raw = credential.read_bytes()
    text = raw.decode("utf-8")
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
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(raw)
    bumped = text[: line.start("number")] + str(current + 1) + text[line.end("number") :]
    credential.write_bytes(bumped.encode("utf-8"))
    return Frozen(slug, target, credential, current + 1)


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
