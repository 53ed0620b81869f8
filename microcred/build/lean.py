"""What the build lets go of once no later stage needs it (issue 18, item 5: the build
never holds more than one stage's working set).

The Markdown bodies of credentials, their frozen earlier versions and pathways are shown
on their pages and written into ``/catalog.json`` and the data package, and nowhere else:
the data and pages stages are the last to read them. On the long shape (a 9 KB body each)
they are about 90 MB of the parent's memory at 10,000 credentials, which the badge, CTDL
and search stages, Pagefind's processes beside them and the ledger's writing would
otherwise carry to the end of the build. ``without_bodies`` gives the catalog those later
stages see.
"""

from __future__ import annotations

import hashlib

from microcred.build import slotted
from microcred.content import load
from microcred.content.model import Catalog, Credential
from microcred.reporting.errors import BuildError

BODY_READERS = ("data", "pages")
"""The output stages that read the bodies (``pipeline._output_stages``); every stage after
the last of them gets ``without_bodies(catalog)``."""

HELD_FROM = "pages"
"""The stage from which the current credentials' bodies are held out of memory
(``held_out``): the data stage before it has written them into ``/catalog.json``."""


def with_body(record, body: str):
    """``dataclasses.replace(record, body=body)`` for a record, at about 60 % of its cost
    (``slotted.with_field``). An edit build remakes 10,000 records twice this way."""
    return slotted.with_field(record, "body", body)


def without_bodies(catalog: Catalog, memo: dict[int, object] | None = None) -> Catalog:
    """``catalog`` with every credential's, earlier version's and pathway's ``body`` empty,
    everything else (records, order, look-ups, policies) as it was.

    ``memo`` maps the ``id`` of a record already emptied to the record and its empty copy:
    pass the same dict for two catalogs that share records (the checked and the published
    one) and they share the copies too; let it go with the catalogs.
    """
    memo = {} if memo is None else memo

    def emptied(record):
        if not record.body:
            return record
        found = memo.get(id(record))
        if found is None:
            found = memo[id(record)] = (record, with_body(record, ""))
        return found[1]

    earlier = [emptied(v) for versions in catalog.earlier_versions.values() for v in versions]
    return Catalog.of(
        catalog.site,
        catalog.institutions,
        [emptied(c) for c in catalog.credentials],
        [emptied(p) for p in catalog.pathways],
        earlier,
        catalog.policies,
    )


# The credential bodies held out of memory during the pages stage (issue 18, item 5).
#
# On the long shape the parent's catalog carried 9 KB of Markdown a credential into the
# pages stage, and every forked render worker shared it (and copied what it touched). From
# the pages stage on, a current credential's ``body`` is a ``HeldBody``: an empty string that
# carries the digest of the body the check read. The worker rendering the credential's page
# reads the body again from its file (``restored``) and renders it only if it is the one
# that was checked; otherwise the build stops with ``changed_during_build``'s message, and the
# last good site stays (the build writes into a staging folder).

BODY_CHANGED = "changed-during-build"
"""The rule id of the message a held body's file changed or gone gives."""


class HeldBody(str):
    """A credential's ``body`` held out of memory: equal to ``""`` (nothing shows it by
    mistake, and it sorts and compares as the emptied body ``without_bodies`` leaves), with
    ``digest``, the BLAKE2b of the Markdown the check read from the record's ``source``."""

    digest: bytes

    def __new__(cls, digest: bytes) -> HeldBody:
        """An empty string standing for the body whose digest is ``digest``."""
        held = super().__new__(cls, "")
        held.digest = digest
        return held

    def __reduce__(self):
        return (HeldBody, (self.digest,))

    def __repr__(self) -> str:  # a record's key by ``repr`` (``reuse.Keys``) sees the body
        return f"HeldBody({self.digest.hex()})"


def body_digest(body: str) -> bytes:
    """The digest a held body is checked against when it is read back."""
    return hashlib.blake2b(body.encode(), digest_size=16).digest()


def held_out(catalog: Catalog, memo: dict[int, object] | None = None) -> Catalog:
    """``catalog`` for the pages stage: every current credential's body a ``HeldBody`` (a
    record answered from the kept checks has one already, and is not copied), every
    earlier version's body empty (no page shows it), pathways as they are (their pages are
    few, and rendered in this process). ``memo`` as for ``without_bodies``."""
    memo = {} if memo is None else memo

    def replaced(record, body):
        found = memo.get(id(record))
        if found is None:
            found = memo[id(record)] = (record, with_body(record, body))
        return found[1]

    def held(record):
        if not record.body or isinstance(record.body, HeldBody):
            return record
        return replaced(record, HeldBody(body_digest(record.body)))

    def emptied(record):
        return replaced(record, "") if record.body else record

    earlier = [emptied(v) for versions in catalog.earlier_versions.values() for v in versions]
    return Catalog.of(
        catalog.site,
        catalog.institutions,
        [held(c) for c in catalog.credentials],
        list(catalog.pathways),
        earlier,
        catalog.policies,
    )


def restored(credential: Credential) -> Credential:
    """``credential`` with its held body read back from its file (``held_out``); as it is
    when its body is not held. Raises ``BuildError`` (``changed_during_build``) when the
    file no longer holds the body that was checked."""
    if not isinstance(credential.body, HeldBody):
        return credential
    return with_body(credential, body_of(credential))


def body_of(credential: Credential) -> str:
    """``credential``'s Markdown body: read back from its file when it is held (as kept
    checks hold it, ``checked._KeptPickler``, and the pages stage, ``held_out``). Raises
    ``BuildError`` (``changed_during_build``) when the file no longer holds the body that
    was checked."""
    held = credential.body
    if not isinstance(held, HeldBody):
        return held
    body = _body_in_file(credential.source)
    if body is None or body_digest(body) != held.digest:
        raise BuildError(changed_during_build(credential.source, body is None))
    return body


def _body_in_file(path: str) -> str | None:
    """The Markdown body of the credential file at ``path`` as the check reads it
    (``content/load.py``), or None when it cannot be read or has no front matter now."""
    try:
        with open(path, "rb") as handle:
            return load.body_of(handle.read())
    except OSError:
        return None


def changed_during_build(path: str, gone: bool) -> str:
    """The one-line message for a credential file that changed (or went, or became
    unreadable: ``gone``) after the check read it and before its page was rendered."""
    what = "can no longer be read" if gone else "changed"
    return (
        f"{path}:1:1: error [{BODY_CHANGED}] the file {what} while the site was being built, "
        "after the check had read it, so its page would not show what was checked. Build "
        "again once the file is saved; nothing was published, the last site is unchanged. "
        "(build)"
    )
