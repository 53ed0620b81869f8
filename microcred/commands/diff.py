"""What a pull request changes in the catalog, compared with a git ref such as origin/main.

Owns ``python build.py diff BASE``. The content folder at ``BASE`` is exported with
``git archive`` into a temporary folder; both sides are read with the same loader the
checks use, so even a file with problems is compared field by field. The summary says
what is added, approved, changed, suspended, closed, renamed or removed, and the rules
of Procedure Part 8 become problems:

- a published credential whose criteria changed keeps its ``version``;
- a version went up but the previous criteria were not frozen in ``content/versions/``;
- a version went down, a frozen version was edited or deleted;
- a published credential file was deleted instead of closed.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from microcred.commands.placement import misplaced
from microcred.content.load import Content, Document, display_path, load_content
from microcred.content.urls import version_file
from microcred.reporting.errors import BuildError
from microcred.reporting.github import append_step_summary
from microcred.reporting.problems import ERROR, Problem, field_name, sort_problems

CRITERIA_FIELDS = (
    "type",
    "credit_bearing",
    "eligibility",
    "outcomes",
    "credits",
    "courses",
    "hours",
    "completion",
    "stacks_into",
    "stacking_rationale",
)
"""What an earner was held to: changing any of these makes a new criteria version."""

PLATFORM_FIELDS = ("badge.template_id", "badge.url", "badge.platform")
"""Where a version's badge platform template is recorded: staff add them to a frozen
version when they set up its template (docs/badge-platforms.md); they are not criteria."""

SECTIONS = ("added", "approved", "changed", "renamed", "suspended", "closed", "removed")
PART_8 = "Part 8"
_MAX_SHOWN = 120


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field that differs: its name, and its value before and after (a not-set marker
    where the field is absent)."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class Change:
    """One file's change: its section, what it is, and each field that differs."""

    section: str
    kind: str
    name: str
    title: str
    fields: tuple[FieldChange, ...] = ()
    note: str = ""


@dataclass
class CatalogDiff:
    """What changed since the git ref ``base``: each file's change, and the Part 8 problems."""

    base: str
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    """Files that could not be read, so their changes are unknown."""

    def in_section(self, section: str) -> list[Change]:
        """The changes in ``section`` (one of ``SECTIONS``), in the order found."""
        return [c for c in self.changes if c.section == section]

    @property
    def errors(self) -> list[Problem]:
        """The problems that are errors."""
        return [p for p in self.problems if p.is_error]


# --- reading the base ----------------------------------------------------------


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise BuildError("`git` is not installed; `diff` reads the base catalog with git") from None


def export_content(content: Path, base: str, into: Path) -> Path | None:
    """The content folder as it was at git ref ``base``, written under ``into``.

    None when the folder did not exist at ``base`` (the first pull request).
    """
    content = Path(content)
    if not content.is_dir():
        raise BuildError(f"the content folder {content} does not exist")
    prefix = _git(content, "rev-parse", "--show-prefix")
    if prefix.returncode != 0:
        raise BuildError(f"{content} is not inside a git repository; `diff` compares git refs")
    folder = prefix.stdout.decode().strip().rstrip("/") or "."
    if _git(content, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}").returncode != 0:
        raise BuildError(
            f"`{base}` is not a commit in this repository; fetch it first "
            "(for example `git fetch origin main`) or name another ref"
        )
    if _git(content, "cat-file", "-e", f"{base}:{folder}").returncode != 0:
        return None
    top = _git(content, "rev-parse", "--show-toplevel").stdout.decode().strip()
    archive = _git(Path(top), "archive", "--format=tar", base, "--", folder)
    if archive.returncode != 0:
        raise BuildError(f"git archive {base} failed: {archive.stderr.decode().strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into / folder


# --- comparing -----------------------------------------------------------------


def _documents(content: Content) -> dict[tuple[str, str], Document]:
    documents = [
        *([content.site] if content.site else []),
        *content.institutions,
        *content.credentials,
        *content.pathways,
        *content.versions,
    ]
    return {(d.kind, _name(d)): d for d in documents}


def _name(document: Document) -> str:
    if document.kind == "version":
        return f"{document.slug}/{Path(document.path).stem}"
    return document.slug


def _leaves(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every leaf of a front-matter value with its field path; lists of scalars are leaves."""
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list) and any(isinstance(i, dict | list) for i in value):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path, value


def field_changes(before: Document, after: Document) -> list[FieldChange]:
    """Each field that differs, in the order of the newer file; the body counts as one."""
    old, new = dict(_leaves(before.data)), dict(_leaves(after.data))
    order = [*new, *(path for path in old if path not in new)]
    changes = [
        FieldChange(field_name(path), old.get(path, _UNSET), new.get(path, _UNSET))
        for path in order
        if old.get(path, _UNSET) != new.get(path, _UNSET)
    ]
    if before.body.strip() != after.body.strip():
        changes.append(FieldChange("description", "(Markdown text)", "(edited)"))
    return changes


class _Unset:
    def __repr__(self) -> str:
        return "(not set)"


_UNSET = _Unset()


def _criteria(changes: Iterable[FieldChange]) -> list[str]:
    fields = {c.field.split(".")[0].split("[")[0] for c in changes}
    return [name for name in CRITERIA_FIELDS if name in fields]


def _status(document: Document | None) -> str | None:
    return document.data.get("status") if document else None


def _version(document: Document | None) -> int | None:
    value = document.data.get("version") if document else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class _Comparison:
    """Compares the two sides; collects the changes and the problems."""

    def __init__(self, base_ref: str, content: Path, before: Content | None, after: Content):
        self.base_ref = base_ref
        self.content = Path(content)
        self.before_root = before.root.resolve() if before else None
        self.before = _documents(before) if before else {}
        self.after = _documents(after)
        self.result = CatalogDiff(base_ref)
        self.unreadable = [p for p in after.problems if p.is_error]

    def shown(self, relative: str) -> str:
        return display_path(self.content / relative)

    def base_file(self, document: Document) -> str:
        assert self.before_root is not None
        return Path(document.path).resolve().relative_to(self.before_root).as_posix()

    def problem(
        self, where: Document | str, field_path: tuple, rule: str, message: str, fix: str
    ) -> None:
        if isinstance(where, Document):
            path, (line, column) = where.path, where.where(field_path)
        else:
            path, line, column = where, 1, 1
        self.result.problems.append(
            Problem(ERROR, rule, path, line, column, field_name(field_path), message, fix, PART_8)
        )

    def restore_command(self, document: Document, target: str) -> str:
        """One command that writes the base's criteria to ``target`` (no shell redirect)."""
        slug = document.slug
        return f"`python build.py freeze {slug} --from {self.base_ref}`"

    def run(self) -> CatalogDiff:
        renamed = self._renames()
        for key, document in self.after.items():
            old_slug = renamed.get(key[1]) if key[0] == "credential" else None
            old = self.before.get(("credential", old_slug) if old_slug else key)
            if old is None:
                self._added(document)
            else:
                self._compared(old, document, old_slug)
        moved = {("credential", old) for old in renamed.values()}
        for key, document in self.before.items():
            if key not in self.after and key not in moved:
                self._removed(document)
        for unread in self.unreadable:
            self.result.unreadable.append(unread.path)
            self.result.problems.append(
                Problem(
                    ERROR,
                    unread.rule,
                    unread.path,
                    unread.line,
                    unread.column,
                    unread.field,
                    f"{unread.message.rstrip('.')}; `diff` cannot tell what this file changes",
                    unread.fix,
                    unread.part,
                )
            )
        self.result.problems = sort_problems(self.result.problems)
        return self.result

    def _renames(self) -> dict[str, str]:
        """New slug → old slug, for credentials that name a vanished slug in ``redirect_from``."""
        renames = {}
        for (kind, slug), document in self.after.items():
            if kind != "credential" or ("credential", slug) in self.before:
                continue
            for old in document.data.get("redirect_from") or ():
                if ("credential", old) in self.before and ("credential", old) not in self.after:
                    renames[slug] = old
        return renames

    def _added(self, document: Document) -> None:
        status = _status(document) if document.kind == "credential" else None
        note = f"status {status}" if status else ""
        self.result.changes.append(
            Change("added", document.kind, _name(document), _title(document), note=note)
        )

    def _removed(self, document: Document) -> None:
        relative = self.base_file(document)
        if (self.content / relative).exists():
            return  # still there but unreadable: `check` reports why
        self.result.changes.append(
            Change("removed", document.kind, _name(document), _title(document))
        )
        if document.kind == "credential" and _status(document) != "proposed":
            self.problem(
                self.shown(relative),
                (),
                "credential-deleted",
                f"the published credential `{document.slug}` was deleted; its pages "
                "and badge JSON would stop working for everyone who earned it",
                "Restore the file and set `status: closed` instead",
            )
        if document.kind == "version":
            self.problem(
                self.shown(relative),
                (),
                "frozen-version-deleted",
                f"the frozen criteria {relative} were deleted; earners of that "
                "version keep their criteria page",
                f"Undo the deletion: restore {self.shown(relative)} exactly as it is at "
                f"`{self.base_ref}`",
            )

    def _compared(self, before: Document, after: Document, old_slug: str | None) -> None:
        changes = field_changes(before, after)
        if not changes and old_slug is None:
            return
        section = "renamed" if old_slug else _section(before, after)
        note = f"renamed from {old_slug}" if old_slug else ""
        if after.kind == "credential":
            note = ", ".join(n for n in (note, self._check_version(before, after, changes)) if n)
        if after.kind == "version" and [c for c in changes if c.field not in PLATFORM_FIELDS]:
            self.problem(
                after,
                (),
                "frozen-version-edited",
                f"the frozen criteria of {_name(after)} changed; they are what earners "
                "of that version hold, and never change",
                f"Undo the edit: the file must stay exactly as it is at `{self.base_ref}`; "
                "make the change in the credential file with a new `version`",
            )
        self.result.changes.append(
            Change(section, after.kind, _name(after), _title(after), tuple(changes), note)
        )

    def _check_version(self, before: Document, after: Document, changes) -> str:
        """A note on the criteria version; problems when Part 8 is not followed."""
        criteria = _criteria(changes)
        old, new = _version(before), _version(after)
        if _status(before) == "proposed" or old is None or new is None:
            return "criteria changed" if criteria else ""
        slug = after.slug
        frozen = display_path(version_file(self.content, slug, old))
        if new < old:
            self.problem(
                after,
                ("version",),
                "version-lowered",
                f"`version` went down from {old} to {new}; a criteria version never goes down",
                f"Set `version: {old}` or higher",
            )
        elif new == old and criteria:
            named = ", ".join(f"`{name}`" for name in criteria)
            self.problem(
                after,
                ("version",),
                "version-not-bumped",
                f"the criteria changed ({named}) but `version` is still {old}; earners "
                f"of version {old} would find criteria they were never held to",
                f"Freeze version {old} as it was with {self.restore_command(before, frozen)}; "
                f"it also sets `version: {old + 1}`",
            )
        elif new > old and not version_file(self.content, slug, old).is_file():
            self.problem(
                after,
                ("version",),
                "version-not-frozen",
                f"`version` went from {old} to {new} but version {old}'s criteria are "
                f"not frozen in {frozen}",
                f"Save them with {self.restore_command(before, frozen)}",
            )
        if new != old:
            return f"criteria version {old} → {new}"
        return "criteria changed" if criteria else ""


def _title(document: Document) -> str:
    title = document.data.get("title") or document.data.get("name") or ""
    return str(title)


def _section(before: Document, after: Document) -> str:
    old, new = _status(before), _status(after)
    if old != new and new in ("suspended", "closed"):
        return new
    if old == "proposed" and new in ("active",):
        return "approved"
    return "changed"


def compare(base_ref: str, content: Path, before: Content | None, after: Content) -> CatalogDiff:
    """The changes from ``before`` (the catalog at ``base_ref``) to ``after``."""
    return _Comparison(base_ref, content, before, after).run()


def diff_catalog(content: Path, base_ref: str) -> CatalogDiff:
    """Compare the content folder with itself at git ref ``base_ref``."""
    with tempfile.TemporaryDirectory(prefix="microcred-base-") as folder:
        exported = export_content(Path(content), base_ref, Path(folder))
        before = load_content(exported) if exported else None
        result = compare(base_ref, content, before, load_content(Path(content)))
    result.problems = sort_problems([*result.problems, *misplaced(Path(content), base_ref)])
    return result


# --- presenting ----------------------------------------------------------------


def show(value: Any) -> str:
    """A field value as a person reads it in a summary: short, on one line."""
    if isinstance(value, _Unset):
        text = "(not set)"
    elif isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list):
        text = "[" + ", ".join(show(item) for item in value) + "]"
    elif isinstance(value, dict):
        text = "{}"
    elif value is None:
        text = "(empty)"
    else:
        text = " ".join(str(value).split())
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def shown_pair(change: FieldChange) -> tuple[str, str]:
    """Before and after as shown; long texts start a little before their first difference."""
    before, after = change.before, change.after
    if isinstance(before, str) and isinstance(after, str):
        before, after = " ".join(before.split()), " ".join(after.split())
        same = next(
            (i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b),
            min(len(before), len(after)),
        )
        start = max(0, same - _MAX_SHOWN // 3)
        if start:
            return "…" + show(before[start:]), "…" + show(after[start:])
    return show(before), show(after)


def counts(result: CatalogDiff) -> str:
    """How many changes each non-empty section has (``2 added, 1 changed``), or
    ``no changes to the catalog``."""
    parts = [f"{len(result.in_section(s))} {s}" for s in SECTIONS if result.in_section(s)]
    if result.unreadable:
        n = len(set(result.unreadable))
        parts.append(f"{n} file{'s' if n != 1 else ''} that cannot be read")
    return ", ".join(parts) if parts else "no changes to the catalog"


def _heading(change: Change) -> str:
    title = f' "{change.title}"' if change.title else ""
    note = f" ({change.note})" if change.note else ""
    return f"{change.kind} {change.name}{title}{note}"


def text_summary(result: CatalogDiff) -> str:
    """The summary for the terminal."""
    lines = [f"Changes since {result.base}: {counts(result)}"]
    for section in SECTIONS:
        changes = result.in_section(section)
        if changes:
            lines += ["", f"{section.capitalize()}:"]
        for change in changes:
            lines.append(f"  {_heading(change)}")
            lines += [f"      {f.field}: {' → '.join(shown_pair(f))}" for f in change.fields]
    return "\n".join(lines) + "\n"


def _cells(change: FieldChange) -> str:
    return " | ".join(_markdown_text(text) for text in shown_pair(change))


def _markdown_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("|", "\\|")


def markdown_summary(result: CatalogDiff) -> str:
    """The same summary as Markdown, for the pull request's step summary."""
    lines = [f"## Catalog changes since `{result.base}`", "", f"**{counts(result)}**"]
    if result.errors:
        lines += [
            "",
            f"❌ **{len(result.errors)} problem(s) with criteria versions or removals; "
            "see the table below.**",
        ]
    for section in SECTIONS:
        changes = result.in_section(section)
        if not changes:
            continue
        lines += ["", f"### {section.capitalize()}", ""]
        for change in changes:
            lines.append(
                f"- **{change.kind}** `{change.name}`"
                + (f" {_markdown_text(change.title)}" if change.title else "")
                + (f" ({change.note})" if change.note else "")
            )
        for change in changes:
            if change.fields:
                lines += [
                    "",
                    f"<details><summary><code>{change.name}</code>: "
                    f"{len(change.fields)} field(s)</summary>",
                    "",
                    "| Field | Before | After |",
                    "|---|---|---|",
                ]
                lines += [f"| `{f.field}` | {_cells(f)} |" for f in change.fields]
                lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def write_step_summary(result: CatalogDiff) -> None:
    """Under GitHub Actions, append the Markdown summary to the job's step summary."""
    append_step_summary(markdown_summary(result))
