"""Rules that look across files: references, uniqueness and pathway arithmetic.

Each rule takes the whole set of records and yields ``Link`` findings naming the
file (by its source path) and field they are about. A reference to a document that
exists but failed its own checks is not reported again here: ``known`` holds every
id and slug that has a file, valid or not.

What a rule works out from one credential alone, whatever the other files hold, is its
index entry (``Entry``: the title's words for ``titles_not_similar``), made when the file
is checked and kept with its kept check (``build/checked.py``), so an edit build does not
work it out again for 10,000 unchanged files. A rule given no entry for a credential
works it out from the record; both ways give the same findings
(``tests/test_crossfile_incremental.py``).
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from microcred.content.model import Credential, Institution, Pathway, number_text
from microcred.content.urls import derived_ctid
from microcred.reporting.problems import ERROR, WARNING
from microcred.rules.schema import is_placeholder
from microcred.rules.svg import svg_problem


@dataclass(frozen=True, slots=True)
class Link:
    """One cross-file finding: the rule, procedure part and severity, the file (by source path)
    and field it is about, what is wrong and how to fix it."""

    rule: str
    part: str
    severity: str
    source: str
    field: tuple
    message: str
    fix: str


@dataclass(frozen=True, slots=True)
class Records:
    """Everything the cross-file rules look at: the records that could be made, the ids and
    slugs that have a file (``known_*``, valid or not), the content folder and the base URL."""

    institutions: tuple[Institution, ...]
    credentials: tuple[Credential, ...]
    pathways: tuple[Pathway, ...]
    versions: tuple[Credential, ...]
    known_institutions: frozenset[str]
    known_credentials: frozenset[str]
    content_root: Path
    base_url: str | None = None
    oldest_first: Callable[[Iterable[str]], list[str]] | None = None
    """Orders source paths oldest first (``content/history.py``): a clash is reported on
    the newer file. Without it, the later slug is the newer."""
    entries: dict[str, Entry] | None = None
    """Each credential's index entry by source path, where its check made one (``Entry``);
    a credential without one has it worked out from its record."""


def check_links(records: Records) -> Iterator[Link]:
    """Every finding of every rule in ``LINK_RULES``, rule by rule."""
    for check in LINK_RULES:
        yield from check(records)


def _named(reference) -> bool:
    """A reference worth following: present, text, and not a ``TODO`` placeholder.

    A missing or mistyped value has already been reported by the structural check.
    """
    return isinstance(reference, str) and not is_placeholder(reference)


def institutions_exist(r: Records) -> Iterator[Link]:
    """Error (Part 7A) for a credential or pathway whose ``institution`` has no file."""
    for record in (*r.credentials, *r.pathways):
        if _named(record.institution) and record.institution not in r.known_institutions:
            yield Link(
                "unknown-institution",
                "Part 7A",
                ERROR,
                record.source,
                ("institution",),
                f"no institution `{record.institution}` exists",
                _meant(record.institution, r.known_institutions)
                or _choose(
                    "Use one of", sorted(r.known_institutions), "content/institutions/<id>.yml"
                ),
            )


def _meant(written: str, ids: frozenset[str]) -> str:
    """ "Did you mean" an id, when ``written`` is that id's name or a near spelling of it
    (``Prairie Lakes College`` for ``prairie-lakes-college``); empty otherwise."""
    as_id = re.sub(r"[^a-z0-9]+", "-", written.casefold()).strip("-")
    close = [as_id] if as_id in ids else difflib.get_close_matches(as_id, sorted(ids), n=1)
    if not close:
        return ""
    return (
        f"Did you mean `{close[0]}`? Write the institution's id: its file name in "
        "content/institutions/ without `.yml`"
    )


def _choose(prefix: str, options: list[str], fallback: str) -> str:
    if not options:
        return f"Create {fallback} first"
    return f"{prefix} " + ", ".join(f"`{o}`" for o in options)


def programs_exist(r: Records) -> Iterator[Link]:
    """Error for a ``stacks_into`` program no institution lists: Part 6B for a credit-bearing
    credential, Part 6C for a non-credit one."""
    programs = sorted(p.id for i in r.institutions for p in i.programs)
    known = frozenset(programs)
    for c in r.credentials:
        for index, stack in enumerate(c.stacks_into):
            if _named(stack.program) and stack.program not in known:
                yield Link(
                    "unknown-program",
                    "Part 6B" if c.credit_bearing else "Part 6C",
                    ERROR,
                    c.source,
                    ("stacks_into", index, "program"),
                    f"no academic program `{stack.program}` exists",
                    _choose(
                        "Use a program id from content/institutions/*.yml:",
                        programs,
                        "the program in content/institutions/<id>.yml",
                    ),
                )


def program_ids_unique(r: Records) -> Iterator[Link]:
    """Error (Part 3) for a program whose id another institution file's program already
    has: program ids are unique across the catalog. The finding goes to the file that
    came later (``content/history.py``), naming the other."""
    owners: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for institution in r.institutions:
        for index, program in enumerate(institution.programs):
            owners[program.id].append((institution.source, index))
    for program_id, places in owners.items():
        if len(places) < 2:
            continue
        if r.oldest_first is not None:
            order = {
                s: n for n, s in enumerate(r.oldest_first(dict.fromkeys(s for s, _ in places)))
            }
            places = sorted(places, key=lambda place: order[place[0]])
        first = places[0][0]
        for source, index in places[1:]:
            yield Link(
                "duplicate-program",
                "Part 3",
                ERROR,
                source,
                ("programs", index, "id"),
                f"the program id `{program_id}` is already used in {first}",
                "Program ids are unique across the catalog: choose another id; leave the "
                "other file as it is",
            )


def titles_unique(r: Records) -> Iterator[Link]:
    """Error (Part 6A Titles) for each credential after the first with the same title,
    ignoring case and surrounding spaces."""
    by_title: dict[str, list[Credential]] = defaultdict(list)
    for c in r.credentials:
        if isinstance(c.title, str):
            by_title[c.title.casefold().strip()].append(c)
    for same in by_title.values():
        if len(same) > 1 and r.oldest_first is not None:
            order = {source: n for n, source in enumerate(r.oldest_first(c.source for c in same))}
            same = sorted(same, key=lambda c: order[c.source])
        for c in same[1:]:
            yield Link(
                "duplicate-title",
                "Part 6A Titles",
                ERROR,
                c.source,
                ("title",),
                f'"{c.title}" is already the title of {same[0].source}',
                "Choose a title that tells the two micro-credentials apart; leave the other "
                "file as it is",
            )


def titles_not_programs(r: Records) -> Iterator[Link]:
    """Error (Part 6A Titles) for a credential titled as an academic program is named,
    ignoring case."""
    programs = {
        p.name.casefold().strip(): p
        for i in r.institutions
        for p in i.programs
        if isinstance(p.name, str)
    }
    for c in r.credentials:
        program = programs.get(c.title.casefold().strip()) if isinstance(c.title, str) else None
        if program:
            yield Link(
                "title-is-program",
                "Part 6A Titles",
                ERROR,
                c.source,
                ("title",),
                f'"{c.title}" is the name of the academic program `{program.id}`',
                "Name the specific skill, so learners do not mistake it for the program",
            )


_TITLE_NOISE = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "of",
        "for",
        "in",
        "to",
        "with",
        "on",
        "at",
        "by",
        "micro",
        "credential",
        "credentials",
        "microcredential",
        "microcredentials",
        "badge",
        "certificate",
        "certification",
        "program",
        "degree",
        "aas",
        "aa",
        "as",
        "aos",
        "bs",
        "ba",
        "bachelor",
        "associate",
        "diploma",
        "level",
        "grade",
        "grades",
        "birth",
        "pre",
        "k",
        "i",
        "ii",
        "iii",
        "iv",
        "v",
    ]
)


def title_words(title) -> frozenset[str]:
    """A title's words for comparison: lower-case, without small words, credential and
    degree names, numbers, grade bands and a plural ``s``."""
    if not isinstance(title, str):
        return frozenset()
    words = set()
    for word in re.findall(r"[a-z0-9]+", title.casefold()):
        if word in _TITLE_NOISE or word.isdigit():
            continue
        words.add(word[:-1] if len(word) > 3 and word.endswith("s") else word)
    return frozenset(words)


def _fewer(words: frozenset[str]) -> list[frozenset[str]]:
    """Each set of ``words`` with one word fewer, when at least two would remain."""
    return [words - {w} for w in sorted(words)] if len(words) >= 3 else []


class Entry(NamedTuple):
    """What the rules across files work out from one credential's title alone: its words
    (``title_words``) and those sets with one word fewer (``_fewer``)."""

    words: frozenset[str]
    fewer: tuple[frozenset[str], ...]

    @staticmethod
    def of(title) -> Entry:
        """The entry of a credential titled ``title``."""
        words = title_words(title)
        return Entry(words, tuple(_fewer(words)))


def titles_not_similar(r: Records) -> Iterator[Link]:
    """Warning (Part 6A Titles) for a title whose words, apart from small words, numbers,
    grade bands and credential or degree names, are those of another credential's title or
    a program's name, or those with one word more or fewer; exact matches are errors
    (``titles_unique``, ``titles_not_programs``)."""
    full: dict[frozenset[str], tuple[str, str, str]] = {}
    shorter: dict[frozenset[str], tuple[str, str, str]] = {}

    def remember(words, entry, fewer):
        full.setdefault(words, entry)
        for key in fewer:
            shorter.setdefault(key, entry)

    for program in (p for i in r.institutions for p in i.programs):
        if isinstance(program.name, str) and (words := title_words(program.name)):
            remember(words, ("program", program.id, program.name), _fewer(words))
    entries = r.entries or {}
    for c in sorted(r.credentials, key=lambda c: c.source):
        entry = entries.get(c.source)
        if entry is not None:
            words, fewer = entry
        else:
            words = title_words(c.title)
            fewer = _fewer(words)
        if not words:
            continue
        candidates = [full.get(words), shorter.get(words), *(full.get(k) for k in fewer)]
        match = next(
            (m for m in candidates if m and m[2].casefold().strip() != c.title.casefold().strip()),
            None,
        )
        if match:
            kind, ident, title = match
            source, own, other = c.source, c.title, f"the academic program `{ident}`"
            fix = "Choose a title that names what sets this micro-credential apart"
            if kind == "credential":
                other, fix = ident, fix + "; leave the other file as it is"
                if r.oldest_first is not None and r.oldest_first([ident, c.source])[0] != ident:
                    # The other file came later: the finding belongs to its author.
                    source, own, other, title = ident, title, c.source, c.title
            yield Link(
                "similar-title",
                "Part 6A Titles",
                WARNING,
                source,
                ("title",),
                f'"{own}" is nearly the same as "{title}", the name of {other}',
                fix,
            )
        remember(words, ("credential", c.source, c.title), fewer)


def slugs_unique(r: Records) -> Iterator[Link]:
    """Error (URLs are permanent) for a ``redirect_from`` slug that is already another
    credential's slug or earlier slug."""
    owner = {c.slug: c.source for c in r.credentials}
    for c in r.credentials:
        for index, old in enumerate(c.redirect_from):
            if old in owner and owner[old] != c.source:
                yield Link(
                    "duplicate-slug",
                    "URLs are permanent",
                    ERROR,
                    c.source,
                    ("redirect_from", index),
                    f"`{old}` is the slug of {owner[old]}; one URL cannot serve both",
                    "Remove it from `redirect_from`, or rename the other file",
                )
            else:
                owner[old] = c.source


def pathway_references(r: Records) -> Iterator[Link]:
    """Each pathway's award and steps (Part 3, Micro-pathway).

    Errors: an award that is no program, a step naming no credential, a step applying more
    credits than its credential carries, a non-credit step without ``via`` (Part 6C).
    Warnings: a step only proposed, or suspended or closed (Part 8), and steps applying
    more credits in all than the award's program has.
    """
    programs = {p.id: p for i in r.institutions for p in i.programs}
    credentials = {c.slug: c for c in r.credentials}
    for pathway in r.pathways:
        if pathway.award not in programs:
            yield Link(
                "unknown-award",
                "Part 3, Micro-pathway",
                ERROR,
                pathway.source,
                ("award",),
                f"no academic program `{pathway.award}` exists",
                _choose("Use a program id:", sorted(programs), "the program"),
            )
        for index, step in enumerate(pathway.steps):
            if step.credential not in r.known_credentials:
                yield Link(
                    "unknown-credential",
                    "Part 3, Micro-pathway",
                    ERROR,
                    pathway.source,
                    ("steps", index, "credential"),
                    f"no credential `{step.credential}` exists",
                    "Use the file name (without .md) of a file in content/credentials/",
                )
            credential = credentials.get(step.credential)
            if credential:
                yield from _step_rules(pathway, index, credential)
        yield from _award_credits(pathway, programs.get(pathway.award))


def _orphan_fix(r: Records, slug: str) -> str:
    renamed = next((c for c in r.credentials if slug in c.redirect_from), None)
    if renamed:
        return (
            f"The credential was renamed to `{renamed.slug}`: move content/versions/{slug}/ "
            f"to content/versions/{renamed.slug}/"
        )
    return f"Keep content/credentials/{slug}.md (close it rather than delete it)"


def _step_rules(pathway: Pathway, index: int, c: Credential) -> Iterator[Link]:
    step = pathway.steps[index]
    here = ("steps", index)
    if c.status == "proposed":
        yield Link(
            "step-proposed",
            "Part 3, Micro-pathway",
            WARNING,
            pathway.source,
            (*here, "credential"),
            f"`{c.slug}` is only proposed, so the published pathway shows a step learners "
            "cannot take yet",
            "Approve the credential first, or add this step in the same pull request "
            "that approves it",
        )
    if c.credit_bearing and c.credits is not None and (step.credits_applied or 0) > c.credits:
        yield Link(
            "step-credits",
            "Part 3, Micro-pathway",
            ERROR,
            pathway.source,
            (*here, "credits_applied"),
            f"applies {number_text(step.credits_applied)} credits from `{c.slug}`, which carries "
            f"only {number_text(c.credits)}",
            f"Apply at most {number_text(c.credits)} credits",
        )
    if not c.credit_bearing and not step.via:
        yield Link(
            "step-via",
            "Part 6C",
            ERROR,
            pathway.source,
            here,
            f"`{c.slug}` is non-credit, so the step must say how it earns credit",
            "Add `via: prior-learning` or `via: articulation` to the step",
        )
    if c.status in ("suspended", "closed"):
        yield Link(
            "step-inactive",
            "Part 8",
            WARNING,
            pathway.source,
            (*here, "credential"),
            f"`{c.slug}` is {c.status}; new learners cannot take this step",
            "Replace the step, or tell enrolled learners how they can still finish",
        )


def _award_credits(pathway: Pathway, program) -> Iterator[Link]:
    if program is None or program.credits is None:
        return
    total = sum(step.credits_applied or 0 for step in pathway.steps)
    if total > program.credits:
        yield Link(
            "pathway-credits",
            "Part 3, Micro-pathway",
            WARNING,
            pathway.source,
            ("steps",),
            f"the steps apply {number_text(total)} credits, more than the "
            f"{number_text(program.credits)} of `{program.id}`",
            "Check the credits applied at each step",
        )


def image_problem(root: Path, image: str, example: str) -> tuple[str, str, str] | None:
    """(rule, what is wrong, fix) for an image a content file names; ``None`` when fine.

    The image must be a file inside the content folder (a symbolic link may not lead
    out of it), and an SVG must be free of scripts, handlers and outside references.
    """
    path = root / image
    if not path.is_file():
        return (
            "missing-image",
            f"the image `{image}` does not exist",
            f"Give a path relative to content/, such as `{example}`",
        )
    if not path.resolve().is_relative_to(root.resolve()):
        return (
            "outside-content",
            f"the image `{image}` is a link to a place outside content/",
            "Copy the image itself into content/ instead of linking to it",
        )
    try:
        problem = svg_problem(path.read_bytes()) if path.suffix.lower() == ".svg" else None
    except OSError as error:
        problem = f"nothing readable ({error.strerror})"
    if problem:
        return (
            "unsafe-image",
            f"the image `{image}` is not a safe SVG: it contains {problem}",
            "Export it as a plain SVG or PNG without scripts, links or embedded HTML",
        )
    return None


def images_exist(r: Records) -> Iterator[Link]:
    """Error for a badge image (Part 6A Digital Badges, current and frozen versions) or an
    institution's image that is missing, outside content/ or an unsafe SVG
    (``image_problem``)."""
    owners = [
        (
            c,
            c.badge.image if c.badge else None,
            ("badge", "image"),
            "Part 6A Digital Badges",
            "images/my-badge.svg",
        )
        for c in (*r.credentials, *r.versions)
    ]
    owners += [(i, i.image, ("image",), "", "images/logo.svg") for i in r.institutions]
    for record, image, field, part, example in owners:
        found = image_problem(r.content_root, image, example) if image else None
        if found:
            rule, message, fix = found
            yield Link(rule, part, ERROR, record.source, field, message, fix)


def versions_belong(r: Records) -> Iterator[Link]:
    """Errors (Part 8) for a frozen version whose file name is not ``v<version>``, whose
    credential does not exist, or whose credential's version is not newer than it."""
    current = {c.slug: c for c in r.credentials}
    for frozen in r.versions:
        expected = Path(frozen.source).stem
        if f"v{frozen.version}" != expected:
            yield Link(
                "version-file",
                "Part 8",
                ERROR,
                frozen.source,
                ("version",),
                f"the file is {expected} but says `version: {frozen.version}`",
                "Frozen versions are written by `python build.py freeze`; restore it",
            )
        now = current.get(frozen.slug)
        if frozen.slug not in r.known_credentials:
            yield Link(
                "version-orphan",
                "Part 8",
                ERROR,
                frozen.source,
                (),
                f"no credential `{frozen.slug}` exists for this frozen version",
                _orphan_fix(r, frozen.slug),
            )
        elif now and frozen.version >= now.version:
            yield Link(
                "version-order",
                "Part 8",
                ERROR,
                now.source,
                ("version",),
                f"version {now.version} is not newer than the frozen version {frozen.version}",
                f"Set `version: {frozen.version + 1}`",
            )


def ctids_kept(r: Records) -> Iterator[Link]:
    """A published credential keeps its Credential Engine id in its file, never derived anew."""
    if not r.base_url:
        return
    for c in r.credentials:
        if c.status != "proposed" and not c.ctid:
            yield Link(
                "ctid-missing",
                "Credential Registry",
                WARNING,
                c.source,
                ("ctid",),
                "no `ctid` is recorded, so the Credential Registry id would change "
                "if the site's address or the slug changed",
                f"Add `ctid: {derived_ctid(r.base_url, c.slug)}`",
            )


LINK_RULES = (
    institutions_exist,
    programs_exist,
    program_ids_unique,
    titles_unique,
    titles_not_programs,
    titles_not_similar,
    slugs_unique,
    pathway_references,
    images_exist,
    versions_belong,
    ctids_kept,
)

LINK_RULE_IDS = (
    "unknown-institution",
    "unknown-program",
    "duplicate-program",
    "duplicate-title",
    "similar-title",
    "title-is-program",
    "duplicate-slug",
    "unknown-award",
    "unknown-credential",
    "step-proposed",
    "step-credits",
    "step-via",
    "step-inactive",
    "pathway-credits",
    "missing-image",
    "outside-content",
    "unsafe-image",
    "version-file",
    "version-orphan",
    "version-order",
    "ctid-missing",
)
"""The ids of the cross-file rules, which a policy profile may set (see rules/profile.py)."""
