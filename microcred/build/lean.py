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

import dataclasses

from microcred.content.model import Catalog

BODY_READERS = ("data", "pages")
"""The output stages that read the bodies (``pipeline._output_stages``); every stage after
the last of them gets ``without_bodies(catalog)``."""


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
            found = memo[id(record)] = (record, dataclasses.replace(record, body=""))
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
