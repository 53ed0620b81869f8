"""Validators built from the publishers' own artefacts in this folder (see each SOURCE.md).

Each ``*_problems`` function returns a list of readable problems, empty when the document
conforms, so a test can assert ``== []`` and a negative control can assert a problem shows.
Nothing here reads the network: JSON-LD contexts are served from the vendored copies.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
from lxml import etree
from pyld import jsonld
from referencing import Registry, Resource

HERE = Path(__file__).resolve().parent


def _load(relative: str) -> Any:
    return json.loads((HERE / relative).read_text(encoding="utf-8"))


# --- JSON-LD, offline -------------------------------------------------------------

CONTEXTS = {
    "https://www.w3.org/ns/credentials/v2": "ob3/context/credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob3/context/context-3.0.3.json",
    "https://w3id.org/openbadges/v2": "ob2/context-v2.json",
    "https://schema.org": "schemaorg/schemaorgcontext.jsonld",
}
ISSUER_DEPENDENT = "https://www.w3.org/ns/credentials/issuer-dependent#"
"""VC 2.0's ``@vocab``: a term landing here is one no context defines."""


def document_loader(url: str, options: dict | None = None) -> dict[str, Any]:
    """pyld's loader: the vendored copy of a known context, anything else an error."""
    key = url.rstrip("/")
    if key not in CONTEXTS:
        raise jsonld.JsonLdError(f"no vendored copy of {url}", "loading document failed")
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": _cached_context(key),
    }


@functools.cache
def _cached_context(key: str) -> Any:
    return _load(CONTEXTS[key])


def _key_paths(node: Any, prefix: str = "") -> set[str]:
    paths: set[str] = set()
    if isinstance(node, list):
        for item in node:
            paths |= _key_paths(item, prefix)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                continue
            paths.add(prefix + key)
            paths |= _key_paths(value, prefix + key + ".")
    return paths


def _predicates(expanded: Any) -> Iterator[str]:
    if isinstance(expanded, list):
        for item in expanded:
            yield from _predicates(item)
    elif isinstance(expanded, dict):
        for key, value in expanded.items():
            if not key.startswith("@"):
                yield key
            yield from _predicates(value)


def jsonld_problems(document: dict[str, Any]) -> list[str]:
    """Terms that JSON-LD expansion drops or sends to the VC 'issuer-dependent' vocabulary."""
    options = {"documentLoader": document_loader}
    try:
        expanded = jsonld.expand(copy.deepcopy(document), options)
        back = jsonld.compact(expanded, {"@context": document["@context"]}, options)
    except jsonld.JsonLdError as error:
        return [f"JSON-LD: {error}"]
    dropped = sorted(_key_paths(document) - _key_paths(back))
    problems = [f"dropped by expansion: {p}" for p in dropped]
    problems += [
        f"undefined term: {p}" for p in sorted(set(_predicates(expanded))) if ISSUER_DEPENDENT in p
    ]
    return problems


# --- Open Badges 3.0: 1EdTech's JSON Schemas ---------------------------------------


@functools.cache
def _ob3_registry() -> Registry:
    registry = Registry()
    for name in ("achievementcredential", "profile", "endorsementcredential"):
        schema = _load(f"ob3/schema/{name}.json")
        registry = registry.with_resource(schema["$id"], Resource.from_contents(schema))
    return registry


def _ob3_validator(name: str, definition: str | None) -> jsonschema.Draft201909Validator:
    schema_id = _load(f"ob3/schema/{name}.json")["$id"]
    ref = schema_id + (f"#/$defs/{definition}" if definition else "")
    return jsonschema.Draft201909Validator(
        {"$schema": "https://json-schema.org/draft/2019-09/schema", "$ref": ref},
        registry=_ob3_registry(),
        format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER,
    )


def ob3_problems(document: dict[str, Any]) -> list[str]:
    """An OB 3.0 Achievement or Profile document against 1EdTech's schema and contexts."""
    types = document.get("type", [])
    if "Achievement" in types:
        validator = _ob3_validator("achievementcredential", "Achievement")
    elif "Profile" in types:
        validator = _ob3_validator("profile", None)
    elif "OpenBadgeCredential" in types or "AchievementCredential" in types:
        validator = _ob3_validator("achievementcredential", None)
    else:
        return [f"not an OB 3.0 Achievement, Profile or credential: type {types!r}"]
    problems = [
        f"schema: {'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]
    return problems + jsonld_problems(document)


# --- Open Badges 2.0: no JSON Schema exists; the spec's required properties + context --

OB2_REQUIRED = {
    "BadgeClass": ("id", "type", "name", "description", "image", "criteria", "issuer"),
    "Issuer": ("id", "type", "name", "url", "email"),
    "Profile": ("id", "type", "name", "url", "email"),
}
"""From the OB 2.0 specification's data model tables (Required: yes); Issuer is Profile."""


def ob2_problems(document: dict[str, Any]) -> list[str]:
    kind = document.get("type")
    if kind not in OB2_REQUIRED:
        return [f"not an OB 2.0 BadgeClass or Issuer: type {kind!r}"]
    problems = [f"missing {key}" for key in OB2_REQUIRED[kind] if key not in document]
    return problems + jsonld_problems(document)


# --- CTDL: the Registry's JSON Schema, its class hierarchy, the vocabulary's domains --


@functools.cache
def _ctdl() -> tuple[dict, dict[str, dict], dict[str, set[str]]]:
    registry = _load("ctdl/registry-json-schema/credential.json")
    graph = _load("ctdl/ctdl-2021-snapshot/CTDL.json")["@graph"]
    vocabulary = {node["@id"]: node for node in graph}
    scheme = _load("ctdl/ctdl-2021-snapshot/CredentialStatus.json")["@graph"]
    concepts = {n["@id"] for n in scheme if n["@type"] == "skos:Concept"}
    return registry, vocabulary, {"ceterms:CredentialStatus": concepts}


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _ids(value: Any) -> list[str]:
    return [v["@id"] if isinstance(v, dict) else v for v in _as_list(value)]


def _langstring_tolerant(schema: dict) -> dict:
    """The Registry schema types ``meta:langstring`` as a plain string, while CTDL's
    JSON-LD context gives those properties a language container (``{"en": "…"}``, as
    every Registry example writes them); accept both forms, and nothing else."""
    schema = copy.deepcopy(schema)
    language_map = {"type": "object", "additionalProperties": {"type": "string"}}
    language_map_multi = {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    }
    definitions = schema["definitions"]
    definitions["meta:langstring"] = {"anyOf": [{"type": "string"}, language_map]}
    definitions["meta:langstring_multi"] = {
        "anyOf": [{"type": "array", "items": {"type": "string"}}, language_map_multi]
    }
    return schema


REFERENCE_PROPERTIES = {"ceterms:ownedBy", "ceterms:offeredBy", "ceterms:accreditedBy"}


def ctdl_problems(document: dict[str, Any]) -> list[str]:
    """A CTDL credential against the Registry's schema, the vocabulary and its schemes.

    - the Registry JSON Schema of the document's class (types, required properties);
    - every property allowed on its class: where the vocabulary defines the property its
      ``schema:domainIncludes`` must name the class (the vocabulary is the authority: the
      Registry schema still lists ``codedNotation`` on credentials, which CTDL restricts to
      CredentialAlignmentObject); a property newer than the vocabulary snapshot must be in
      the Registry schema's list for the class;
    - the credential status concept (the CredentialAlignmentObject's ``targetNode``) in
      the CredentialStatus scheme, and the alignment's properties in its class;
    - references (``ownedBy``, ``offeredBy``…) as URLs, not embedded objects.
    """
    registry, vocabulary, schemes = _ctdl()
    kind = document.get("@type")
    definitions = registry["definitions"]
    if kind not in definitions:
        return [f"@type {kind!r} is not a Registry credential class"]
    problems: list[str] = []
    schema = _langstring_tolerant(registry)
    validator = jsonschema.Draft4Validator(
        {**schema, "anyOf": None, "$ref": f"#/definitions/{kind}"},
        format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER,
    )
    problems += [
        f"registry schema: {'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]
    allowed = set(definitions[kind]["properties"])
    for key, value in document.items():
        if key.startswith("@"):
            continue
        term = vocabulary.get(key)
        if term is not None:
            if kind not in _ids(term.get("schema:domainIncludes")):
                problems.append(f"{key} is not a property of {kind} in CTDL")
        elif key not in allowed:
            problems.append(f"{key} is neither in the CTDL vocabulary nor allowed on {kind}")
        if key in REFERENCE_PROPERTIES:
            problems += [
                f"{key} must be a URL, not {item!r}"
                for item in _as_list(value)
                if not (isinstance(item, str) and re.match(r"https?://", item))
            ]
        problems += _concept_problems(key, value, vocabulary, schemes)
    return problems


def _concept_problems(
    key: str, value: Any, vocabulary: dict, schemes: dict[str, set[str]]
) -> list[str]:
    if key != "ceterms:credentialStatusType":
        return []
    problems = []
    for alignment in _as_list(value):
        scheme = "ceterms:CredentialStatus"
        concept = alignment.get("ceterms:targetNode") if isinstance(alignment, dict) else None
        if concept not in schemes[scheme]:
            problems.append(f"{key}: {concept!r} is not a concept of {scheme}")
        for inner in alignment if isinstance(alignment, dict) else {}:
            node = vocabulary.get(inner)
            if not inner.startswith("@") and node is not None:
                domain = _ids(node.get("schema:domainIncludes"))
                if "ceterms:CredentialAlignmentObject" not in domain:
                    problems.append(f"{inner} is not a property of CredentialAlignmentObject")
    return problems


# --- schema.org 30.0: types, properties, domains, ranges ---------------------------

SCHEMA = "schema:"
TEXTUAL = {"Text", "URL", "Date", "DateTime", "Time", "Duration", "DataType"}
NUMERIC = {"Number", "Integer", "Float"}


@functools.cache
def _schema_org() -> tuple[dict[str, dict], dict[str, set[str]]]:
    graph = _load("schemaorg/schemaorg-current-https.jsonld")["@graph"]
    nodes = {n["@id"].removeprefix(SCHEMA): n for n in graph}
    parents = {
        name: {p.removeprefix(SCHEMA) for p in _ids(node.get("rdfs:subClassOf"))}
        for name, node in nodes.items()
    }
    return nodes, parents


def _ancestors(name: str) -> set[str]:
    _, parents = _schema_org()
    seen, todo = {name}, [name]
    while todo:
        for parent in parents.get(todo.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def _is_class(name: str) -> bool:
    nodes, _ = _schema_org()
    node = nodes.get(name)
    return node is not None and "rdfs:Class" in _as_list(node.get("@type"))


def _value_fits(value: Any, ranges: set[str]) -> bool:
    """Plausibly in range: a typed node of a range class (or a subclass), a string for a
    textual range (a URL range alone wants an absolute URL), a number for a numeric one."""
    if isinstance(value, dict):
        if "@type" not in value:
            return "@id" in value or bool(ranges - TEXTUAL - NUMERIC - {"Boolean"})
        return bool(_ancestors(value["@type"]) & ranges)
    if isinstance(value, bool):
        return "Boolean" in ranges
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            return bool(ranges & {"Number", "Float"})
        return bool(ranges & NUMERIC)
    if isinstance(value, str):
        if ranges & (TEXTUAL - {"URL"}) or ranges & NUMERIC:
            return True
        if "URL" in ranges:
            return bool(re.match(r"https?://", value))
        return False  # a bare string for a range of classes only
    return False


def schema_org_problems(node: Any, path: str = "$") -> list[str]:
    """Every type and property exists in schema.org 30.0, each property's domain covers
    its node's type (counting superclasses), and each value is plausibly in its range."""
    nodes, _ = _schema_org()
    problems: list[str] = []
    if isinstance(node, list):
        for index, item in enumerate(node):
            problems += schema_org_problems(item, f"{path}[{index}]")
        return problems
    if not isinstance(node, dict):
        return problems
    kind = node.get("@type")
    if kind is None:
        return problems
    if not _is_class(kind):
        return [f"{path}: {kind!r} is not a schema.org type"]
    lineage = _ancestors(kind)
    for key, value in node.items():
        if key.startswith("@"):
            continue
        prop = nodes.get(key)
        if prop is None or "rdf:Property" not in _as_list(prop.get("@type")):
            problems.append(f"{path}.{key}: not a schema.org property")
            continue
        domain = {d.removeprefix(SCHEMA) for d in _ids(prop.get("schema:domainIncludes"))}
        if not domain & lineage:
            problems.append(f"{path}.{key}: not a property of {kind} (domain {sorted(domain)})")
        ranges: set[str] = set()
        for r in _ids(prop.get("schema:rangeIncludes")):
            ranges |= {r.removeprefix(SCHEMA)} | _descendants(r.removeprefix(SCHEMA))
        for item in _as_list(value):
            if not _value_fits(item, ranges):
                problems.append(f"{path}.{key}: {item!r} is not in range {sorted(ranges)[:8]}")
        problems += schema_org_problems(value, f"{path}.{key}")
    return problems


@functools.cache
def _descendants(name: str) -> frozenset[str]:
    _, parents = _schema_org()
    return frozenset(child for child in parents if child != name and name in _ancestors(child))


# --- sitemaps.org 0.9 XSD ----------------------------------------------------------


@functools.cache
def _sitemap_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(HERE / "sitemaps" / "sitemap.xsd")))


def sitemap_problems(xml: bytes) -> list[str]:
    schema = _sitemap_schema()
    try:
        document = etree.fromstring(xml)
    except etree.XMLSyntaxError as error:
        return [f"not XML: {error}"]
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
