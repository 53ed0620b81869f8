"""The build machinery: writing files, worker processes, reuse between builds, publishing.

``writing`` writes files; ``workers`` runs work on every core; ``cache`` skips an
unchanged build and ``reuse`` re-renders only what changed, both behind
``incremental``; ``publish`` swaps the finished site into place; ``manifest`` keeps
published URLs; ``linkcheck`` finds broken links before publishing. Nothing here
knows what a page or a badge looks like.
"""
