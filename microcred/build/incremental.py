"""The build machinery's memory between builds, behind one small interface.

``Incremental`` is all the pipeline sees of the cache (``cache.py``: skip a build
whose inputs are unchanged) and of reuse (``reuse.py``: re-render only the units
whose inputs changed, starting from the site kept from the build before last):

- ``last_build()``: the record of the last build when nothing has changed since,
  so nothing needs writing;
- ``output()``: a block to write the site in. It yields an ``Output`` (the folder
  to write into and the ``Reuse`` that says which units can stay); when the block
  succeeds the folder is swapped into place (``publish.py``) and what it holds is
  kept for the next build; when it fails the published site is untouched.

With the cache off, both do the plain thing: no record, a fresh staging folder.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from microcred.build import cache, checked, validators
from microcred.build.publish import staging
from microcred.build.reuse import KeptSite, Keys, Ledger, Reuse


@dataclass
class Output:
    """The folder one build writes into, and what it has written there so far."""

    folder: Path
    reuse: Reuse
    written: list[str] = field(default_factory=list)
    """The files the stages wrote, relative to ``folder``: strings, not the stages' paths,
    which took more than twice the memory (a cold build writes 111,772 files at 10,000,
    held until the search stage; docs/performance.md, *Every target at 10,000
    re-measured; the files written held as strings*)."""
    ledger: Ledger | None = None
    """Every file of the finished site, by unit; set by ``sweep``."""

    def add(self, files: Iterable[Path | str]) -> int:
        """Note files a stage wrote; how many."""
        before = len(self.written)
        self.written.extend(map(self.reuse.relative, files))
        return len(self.written) - before

    def sweep(self) -> None:
        """Remove the files the kept site held that this build did not produce (before the
        search index reads the pages); files added after this are noted too."""
        self.ledger = self.reuse.finish(self.written)
        self.written = []

    @property
    def files(self) -> frozenset[str]:
        """The site's files, relative to its folder (after ``sweep``)."""
        return self.finished().files

    def finished(self) -> Ledger:
        """The ledger of the site as it stands: ``sweep``'s, with the files noted since."""
        assert self.ledger is not None, "sweep() first"
        if self.written:
            outside = tuple(dict.fromkeys((*self.ledger.outside, *self.written)))
            self.ledger = dataclasses.replace(self.ledger, outside=outside)
            self.written = []
        return self.ledger


class Incremental:
    """What one build into ``output`` may reuse from earlier builds of ``content``."""

    def __init__(
        self,
        content: Path,
        output: Path,
        settings: dict,
        extra_files: tuple[Path, ...] = (),
        enabled: bool = True,
        checks: bool | None = None,
        said: dict | None = None,
    ):
        """``enabled`` turns on all of it; ``checks`` (default: as ``enabled``) only the
        kept checks of credential files (``checked.py``), as the parts of a sharded build
        use them with no site to reuse. ``settings`` shape the output; ``said`` only what
        the build says (``cache.fingerprints``)."""
        self.content = Path(content)
        self.output_folder = Path(output)
        self.enabled = enabled
        self.checks = enabled if checks is None else checks
        self.store = cache.cache_dir(self.content)
        self._inputs = (extra_files, settings)
        self._said = said
        self._prints: cache.Fingerprints | None = None
        self.stamps: tuple = ()
        self.look: cache.Look | None = None
        if self.enabled or self.checks:  # the stamps first, then the hashes (``cache.stamps``)
            self.look = cache.Look(self.content)
            self.stamps = self.look.stamps
            self._prints = self.prints
        self._summary: tuple | None = None

    @property
    def prints(self) -> cache.Fingerprints:
        """The hashes of the build's inputs (``cache.fingerprints``). A build that keeps
        nothing (``--no-cache``) never reads them, so it does not read and hash every
        content and code file for them (issue 18: about 0.3 s at 10,000 credentials of a
        cold build's check stage); a sharded part's digest reads them when it needs them."""
        if self._prints is None:
            # With the cache in use, files whose stat signature is unchanged are not read
            # again to be hashed (``cache.Hashes``); without it, every file is.
            using = (self.enabled or self.checks) and self.store is not None
            known = cache.hashes_for(self.store, self.content) if using else None
            self._prints = cache.fingerprints(
                self.content, *self._inputs, known, self.look, said=self._said
            )
            if known is not None:
                known.save()
        return self._prints

    @property
    def has_kept_site(self) -> bool:
        """Whether an earlier build left a site to reuse (``reuse.KeptSite``): this build
        is likely an edit's, which renders little and holds little memory."""
        if not self.enabled:
            return False
        place = KeptSite.for_output(self.store, self.output_folder, create=False)
        return place is not None and place.has_site()

    def last_build(self) -> cache.Record | None:
        """The last build's record when its inputs and output are exactly as it left them;
        otherwise None, and that record is dropped (this build replaces its output)."""
        previous = None
        if self.enabled:
            previous = cache.previous_build(self.store, self.output_folder, self.prints.whole)
        if previous is None:
            cache.forget_build(self.store, self.output_folder)
        return previous

    def checked_files(self) -> checked.CheckedFiles | None:
        """The kept results of checking each credential file (``checked.py``), or None
        when the cache is off."""
        if not (self.checks and self.store is not None and checked.enabled()):
            validators.keep_in(None)
            return None
        validators.keep_in(self.store / "validators")  # compiled schemas too (validators.py)
        return checked.CheckedFiles(
            self.store, self.content, self.prints.credentials, self.prints.code
        )

    def keep_checked(self, files: checked.CheckedFiles | None) -> None:
        """Keep this build's checked files, unless content was saved while they were read;
        then let go of them."""
        if files is not None and self._unchanged():
            files.save()
        if files is not None:
            files.release()

    def _unchanged(self) -> bool:
        """Whether no content file was saved, added or removed since the first look."""
        if self.look is None:
            return cache.stamps(self.content) == self.stamps
        return self.look.unchanged()

    def remember(self, problems: tuple, files_read: int, credentials: int, files: dict) -> None:
        """What the summary of a later, unchanged build repeats (see ``last_build``)."""
        self._summary = (tuple(problems), files_read, credentials, dict(files))

    @contextmanager
    def output(self) -> Iterator[Output]:
        """A folder to write the site in, published when the block succeeds."""
        with KeptSite.claim(self.store, self.output_folder, create=self.enabled) as place:
            kept = place if self.enabled else None
            ledger = kept.take() if kept else None
            into = kept.folder if kept else None
            note = kept.note_output if kept else None
            with staging(self.output_folder, into=into, before_swap=note) as folder:
                keys = Keys(self.prints.shared, self.prints.credentials) if kept else None
                out = Output(folder, Reuse(folder, keys, ledger))
                yield out
            # Content saved while the build ran may not be what it read: keep nothing then.
            keep = self.enabled and self._unchanged()
            if place is not None:
                if keep and out.ledger is not None:
                    place.published(out.finished())
                else:  # a build from scratch, or content saved while it ran
                    place.forget()
        if keep and self._summary is not None:
            problems, files_read, credentials, files = self._summary
            record = cache.Record(self.prints.whole, None, problems, files_read, credentials, files)
            cache.record_build(self.store, self.output_folder, record)
