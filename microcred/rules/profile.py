"""Policy profiles: the rule sets credentials are checked against, as data.

A profile is a YAML file (``schema/policy.schema.json``): its name, the document it
comes from, the fields it requires beyond the content format's own, and each rule's
severity, parameters and citation. Four are built in (``microcred/rules/profiles/``);
a catalog adds its own in ``content/policies/<id>.yml``, usually ``extends:`` one of
them. ``Profile.credential_schema`` is the content format with the profile's required
fields compiled in, so the structural checks report them with their usual messages;
``Profile.adjust`` gives every other problem the profile's severity and citation.
See docs/policies.md.
"""

from __future__ import annotations

import copy
import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import yaml

from microcred.content.load import Document, read_document
from microcred.reporting.problems import ERROR, Problem, field_name
from microcred.rules.schema import check_structure, field_schema, load_schema

BUILTIN = Path(__file__).resolve().parent / "profiles"
"""The built-in profiles, one ``<id>.yml`` each."""
DEFAULT = "minnstate-3.36.2"
"""The profile of a catalog whose ``site.yml`` names none."""
SEVERITIES = ("error", "warning", "off")

_CONDITIONS = {
    "credit-bearing": {
        "properties": {"credit_bearing": {"const": True}},
        "required": ["credit_bearing"],
    },
    "non-credit": {
        "properties": {"credit_bearing": {"const": False}},
        "required": ["credit_bearing"],
    },
    "approved": {
        "properties": {"status": {"enum": ["active", "suspended", "closed"]}},
        "required": ["status"],
    },
}


@dataclass(frozen=True, slots=True)
class Requirement:
    """One group of required fields: the rule id its messages carry, which credentials it
    applies to (``when``), which file holds the fields, and the citation."""

    rule: str
    fields: tuple[str, ...]
    one_of: bool = False
    when: str | None = None
    file: str = "credential"
    cite: str = ""
    examples: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True, slots=True)
class Setting:
    """One rule's settings under a profile: severity (``None``: the rule's own), citation
    and parameters (``min``, ``max``, ``max_inclusive``)."""

    severity: str | None = None
    cite: str | None = None
    params: tuple[tuple[str, object], ...] = ()

    def merged(self, other: Setting) -> Setting:
        """These settings with ``other``'s given values on top (an extending profile's)."""
        return Setting(
            other.severity or self.severity,
            other.cite or self.cite,
            tuple({**dict(self.params), **dict(other.params)}.items()),
        )


@dataclass(frozen=True, eq=False)
class Profile:
    """A resolved policy profile (its ``extends`` chain merged in).

    Compared and hashed by identity, so compiled schemas can be cached per profile in
    each worker process.
    """

    id: str
    name: str
    source: dict
    cites_builtin_parts: bool
    requirements: tuple[Requirement, ...]
    settings: dict = field(default_factory=dict)
    chain: tuple[str, ...] = ()

    def setting(self, rule_id: str) -> Setting:
        """The settings of ``rule_id`` (empty when the profile names it nowhere)."""
        return self.settings.get(rule_id) or Setting()

    def param(self, rule_id: str, name: str, default=None):
        """A parameter of a rule, such as ``min`` of ``course-count``."""
        return dict(self.setting(rule_id).params).get(name, default)

    def severity(self, rule_id: str, default: str) -> str:
        """The rule's severity under this profile: ``error``, ``warning`` or ``off``."""
        return self.setting(rule_id).severity or default

    def cite(self, rule_id: str, builtin: str) -> str:
        """What a message of ``rule_id`` cites: this profile's citation for the rule, else
        ``builtin`` (Procedure 3.36.2's part) when the profile cites those, else the
        requirement's citation, else the profile's name for a policy rule (one with a
        ``builtin`` part); nothing for the content format's own rules."""
        own = self.setting(rule_id).cite
        if own:
            return own
        if self.cites_builtin_parts or builtin == "YAML":
            return builtin
        required = next((r.cite for r in self.requirements if r.rule == rule_id), "")
        return required or (self.name if builtin else "")

    def adjust(self, problem: Problem) -> Problem | None:
        """``problem`` as this profile reports it (``None`` when its rule is off). Reads
        only the problem's rule, severity and part, so the check works it out once for
        each of those (``check._Adjustments``; ``tests/test_profiles.py`` holds it to that)."""
        severity = self.severity(problem.rule, problem.severity)
        if severity == "off":
            return None
        part = self.cite(problem.rule, problem.part)
        if severity == problem.severity and part == problem.part:
            return problem
        return replace(problem, severity=severity, part=part)

    @property
    def credential_schema(self) -> str:
        """The credential schema with this profile's required fields, as JSON text."""
        return _compiled(self, "credential")

    @property
    def institution_schema(self) -> str:
        """The institution schema with this profile's required fields, as JSON text."""
        return _compiled(self, "institution")

    def required_fields(self) -> list[str]:
        """A line per requirement, for pages and the field reference."""
        lines = []
        for r in self.requirements:
            names = (" or " if r.one_of else ", ").join(f"`{f}`" for f in r.fields)
            where = {"credit-bearing": " (credit-bearing)", "non-credit": " (non-credit)"}
            where["approved"] = " (once approved)"
            in_file = " in the institution file" if r.file == "institution" else ""
            cite = f" — {r.cite}" if r.cite else ""
            lines.append(f"{names}{in_file}{where.get(r.when, '')}{cite}")
        return lines


@cache
def _compiled(profile: Profile, kind: str) -> str:
    schema = copy.deepcopy(load_schema(kind))
    extra = [_condition(r) for r in profile.requirements if r.file == kind]
    if extra:
        schema["allOf"] = [*schema.get("allOf", []), *extra]
    return json.dumps(schema)


def _condition(r: Requirement) -> dict:
    """The JSON Schema that says what ``r`` requires, annotated with its rule and cite."""
    node: dict = {"x-rule": r.rule, "x-part": r.cite}
    examples = dict(r.examples)
    if r.one_of:
        node["anyOf"] = [{"required": [f]} for f in r.fields]
    for path in r.fields if not r.one_of else ():
        _require(node, path.replace("[]", ".[]").split("."), r, examples)
    if r.when:
        return {"if": copy.deepcopy(_CONDITIONS[r.when]), "then": node}
    return node


def _require(node: dict, steps: list[str], r: Requirement, examples: dict) -> None:
    name, rest = steps[0], steps[1:]
    if not rest:
        node.setdefault("required", []).append(name)
        if name in examples:
            node.setdefault("properties", {}).setdefault(name, {})["x-example"] = examples[name]
        return
    child = node.setdefault("properties", {}).setdefault(name, {"x-rule": r.rule, "x-part": r.cite})
    if rest[0] == "[]":
        child = child.setdefault("items", {"x-rule": r.rule, "x-part": r.cite})
        rest = rest[1:]
    _require(child, rest, r, examples)


# ---------------------------------------------------------------- reading profiles


@dataclass(frozen=True, slots=True)
class _Raw:
    """A profile file as read: its id, data, and the document (``None`` when built in)."""

    id: str
    data: dict
    document: Document | None


@cache
def _builtin_raw() -> dict[str, _Raw]:
    found = {}
    for path in sorted(BUILTIN.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[path.stem] = _Raw(path.stem, data, None)
    return found


def builtin_ids() -> list[str]:
    """The ids of the built-in profiles."""
    return sorted(_builtin_raw())


@cache
def builtin(profile_id: str = DEFAULT) -> Profile:
    """A built-in profile, resolved."""
    raws = _builtin_raw()
    return _resolve(profile_id, raws, [])


@dataclass(frozen=True, slots=True)
class Profiles:
    """Every profile a catalog can name (built in and its own), and the problems met."""

    by_id: dict
    problems: tuple[Problem, ...]

    def get(self, profile_id) -> Profile | None:
        """The profile named ``profile_id``, or ``None``."""
        return self.by_id.get(profile_id) if isinstance(profile_id, str) else None

    @property
    def ids(self) -> list[str]:
        """Every id a catalog may name, sorted."""
        return sorted(self.by_id)


def load_profiles(root: Path, known_rules: Iterable[str] = ()) -> Profiles:
    """The built-in profiles and the catalog's own in ``content/policies/``, each checked:
    its schema, its ``extends``, its rule ids and its field names."""
    problems: list[Problem] = []
    raws = dict(_builtin_raw())
    own: list[_Raw] = []
    folder = Path(root) / "policies"
    if folder.is_dir():
        for path in sorted(folder.glob("*.yml")):
            document = read_document(Path(root), path, "policy", problems)
            if document is None:
                continue
            _off_as_text(document.data)
            found = check_structure(document)
            problems.extend(found)
            if found or not isinstance(document.data, dict):
                continue
            own.append(_Raw(document.slug, document.data, document))
    known = set(known_rules)
    for raw in own:
        bad = list(_semantic_problems(raw, raws, own, known))
        problems.extend(bad)
        if not bad:
            raws[raw.id] = raw
    by_id = {}
    for profile_id in raws:
        try:
            by_id[profile_id] = _resolve(profile_id, raws, [])
        except _Cycle as cycle:
            raw = raws[profile_id]
            problems.append(
                _at(raw, ("extends",), "profile-extends", str(cycle), "Remove the loop")
            )
    return Profiles(by_id, tuple(_cited(problem) for problem in problems))


PROFILE_FORMAT = "policy profile format"
"""The source of a problem in a profile file itself: the format docs/policies.md describes."""


def _cited(problem: Problem) -> Problem:
    """A profile file's problem naming its source (YAML syntax keeps "YAML")."""
    return problem if problem.part else replace(problem, part=PROFILE_FORMAT)


def _off_as_text(data) -> None:
    """YAML 1.1 reads an unquoted ``severity: off`` as false; it means ``off``."""
    rules = data.get("rules") if isinstance(data, dict) else None
    for values in rules.values() if isinstance(rules, dict) else ():
        if isinstance(values, dict) and values.get("severity") is False:
            values["severity"] = "off"


class _Cycle(ValueError):
    """A profile that extends itself, through others or directly."""


def _resolve(profile_id: str, raws: dict, seen: list[str]) -> Profile:
    if profile_id in seen:
        raise _Cycle("extends " + " → ".join([*seen, profile_id]) + ", a loop")
    data = raws[profile_id].data
    parent = None
    if data.get("extends"):
        parent = _resolve(data["extends"], raws, [*seen, profile_id])
    requirements = list(parent.requirements) if parent else []
    for item in data.get("required") or ():
        requirements = [r for r in requirements if r.rule != item["rule"]]
        if not item.get("off"):
            requirements.append(
                Requirement(
                    rule=item["rule"],
                    fields=tuple(item["fields"]),
                    one_of=bool(item.get("one_of")),
                    when=item.get("when"),
                    file=item.get("file", "credential"),
                    cite=item.get("cite", ""),
                    examples=tuple((item.get("examples") or {}).items()),
                )
            )
    settings = dict(parent.settings) if parent else {}
    for rule_id, values in (data.get("rules") or {}).items():
        values = dict(values or {})
        severity = values.pop("severity", None)
        own = Setting(
            "off" if severity is False else severity,
            values.pop("cite", None),
            tuple(values.items()),
        )
        settings[rule_id] = settings.get(rule_id, Setting()).merged(own)
    cites = data.get("cites_builtin_parts")
    return Profile(
        id=profile_id,
        name=data["name"],
        source=dict(data["source"]),
        cites_builtin_parts=bool(parent.cites_builtin_parts if cites is None and parent else cites),
        requirements=tuple(requirements),
        settings=settings,
        chain=(profile_id, *(parent.chain if parent else ())),
    )


STRUCTURAL = frozenset(
    {"credit-bearing-requirements", "noncredit-requirements", "badge-alt", "required-field"}
)
"""Rule ids from the content format itself: a profile may cite them, not turn them off."""


def _semantic_problems(raw: _Raw, raws: dict, own: list[_Raw], known: set[str]):
    data = raw.data
    ids = sorted({*raws, *(r.id for r in own)})
    parent = data.get("extends")
    if parent is not None and parent not in ids:
        yield _at(
            raw,
            ("extends",),
            "profile-extends",
            f"no profile `{parent}` exists",
            _options(parent, ids, "Extend one of"),
        )
    allowed = known | STRUCTURAL
    for rule_id, values in (data.get("rules") or {}).items():
        if rule_id not in allowed:
            yield _at(
                raw,
                ("rules", rule_id),
                "profile-rule",
                f"no rule `{rule_id}` exists",
                _options(
                    rule_id, sorted(allowed), "Use one of the rules in docs/policies.md, such as"
                ),
            )
        elif rule_id in STRUCTURAL and (values or {}).get("severity") not in (None, "error"):
            yield _at(
                raw,
                ("rules", rule_id, "severity"),
                "profile-rule",
                f"`{rule_id}` is part of the content format and is always an error",
                "Remove `severity`; a profile may only change its `cite`",
            )
    for index, item in enumerate(data.get("required") or ()):
        kind = item.get("file", "credential")
        schema = load_schema(kind)
        for number, path in enumerate(item.get("fields") or ()):
            steps = tuple(s for s in path.replace("[]", ".[]").split(".") if s)
            schema_path = tuple(0 if s == "[]" else s for s in steps)
            if not field_schema(schema, schema_path):
                names = sorted(schema.get("properties", {}))
                yield _at(
                    raw,
                    ("required", index, "fields", number),
                    "profile-field",
                    f"`{path}` is not a field of a {kind} file",
                    _options(path, names, "Use a field from docs/fields.md, such as"),
                )


def _options(value: str, options: list[str], prefix: str) -> str:
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if close:
        return f"Did you mean `{close[0]}`?"
    return f"{prefix} " + ", ".join(f"`{o}`" for o in options[:8])


def _at(raw: _Raw, path: tuple, rule: str, message: str, fix: str) -> Problem:
    line, column = raw.document.where(path) if raw.document else (1, 1)
    shown = raw.document.path if raw.document else f"{BUILTIN.name}/{raw.id}.yml"
    return Problem(ERROR, rule, shown, line, column, field_name(path), message, fix)
