#!/bin/bash
# Edit builds of two checkouts side by side: docs/performance.md, "Fast edit build, check
# included (issue 18, item 4)".
#
#   benchmarks/edit_side_by_side.sh OLD_CHECKOUT OLD_DIR NEW_CHECKOUT NEW_DIR SHAPE [RUNS]
#
# OLD_DIR and NEW_DIR each hold their own copy of a catalog in OLD_DIR/SHAPE (a copy of
# /work/staging/catalogs/<shape>-10000, say); each is built twice (cold, then unchanged)
# and edited once with its checkout, then the first credential's summary is edited and
# built again, old and new alternating, RUNS times each (default 3). Each run prints the
# build's stage line and its wall seconds, processor seconds (user + system, the build
# and every process it waited for) and the largest process's maxrss. Checkouts must be
# at fixed commits that nobody edits meanwhile (code is an input of every cache key).
set -euo pipefail
old=$(realpath "$1"); old_dir=$(realpath "$2"); new=$(realpath "$3"); new_dir=$(realpath "$4")
shape=$5; runs=${6:-3}
here=$(dirname "$(realpath "$0")")
python=${PYTHON:-python}
edit="import sys; sys.path.insert(0, '$here'); from pathlib import Path; \
from edit_stages import edit_first_summary; edit_first_summary(Path(sys.argv[1]))"

build() { # checkout dir label
  (cd "$2" && /usr/bin/time -f "$3 $shape wall %e s cpu %U+%S maxrss %M KB" \
    "$python" "$1/build.py" build --content "$shape" --output "site-$shape" --no-search 2>&1 \
    | grep -E "^Built|^Unchanged| KB$")
}
edited() { # checkout dir label
  (cd "$2" && "$python" -c "$edit" "$shape")
  build "$@"
}
# Both packages compiled first, as a user's Python does on a first run: this project's
# machines set PYTHONDONTWRITEBYTECODE, and a fresh worktree then compiled all of
# microcred again in every build (bench.compiled).
"$python" -m compileall -q "$old/microcred" "$new/microcred" >/dev/null
for side in "$old $old_dir" "$new $new_dir"; do
  set -- $side
  build "$1" "$2" cold
  build "$1" "$2" unchanged
  edited "$1" "$2" warm-up
done
for _ in $(seq "$runs"); do
  edited "$old" "$old_dir" old
  edited "$new" "$new_dir" new
done
