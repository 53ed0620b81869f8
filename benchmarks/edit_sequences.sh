#!/bin/bash
# Two edit sequences of two checkouts side by side: docs/performance.md, "The kept folder
# caught up with the last build (issue 18, item 4, thirteenth session)".
#
#   benchmarks/edit_sequences.sh after-full OLD_CHECKOUT OLD_DIR NEW_CHECKOUT NEW_DIR SHAPE
#   benchmarks/edit_sequences.sh alternate OLD_CHECKOUT OLD_DIR NEW_CHECKOUT NEW_DIR SHAPE [RUNS]
#
# As for edit_side_by_side.sh, OLD_DIR and NEW_DIR each hold their own copy of a catalog
# in DIR/SHAPE, already built at least once by their checkout. after-full: for each side,
# a comment added to the first institution file (every unit's key changes) and built,
# then the first credential's summary edited and built, then the second's. alternate: old and new in
# turn, RUNS times each (default 6), each run editing the summary of the second or third
# credential by turns, so that every build follows an edit of another credential.
# Each build prints its summary line and its wall and processor seconds.
set -euo pipefail
mode=$1; old=$(realpath "$2"); old_dir=$(realpath "$3"); new=$(realpath "$4")
new_dir=$(realpath "$5"); shape=$6; runs=${7:-6}
python=${PYTHON:-python}
toggle='import sys
from pathlib import Path
file = sorted(Path(sys.argv[1], "credentials").glob("*.md"))[int(sys.argv[2])]
text = file.read_text(encoding="utf-8")
mark = "\nsummary: Edited. "
text = text.replace(mark, "\nsummary: ", 1) if mark in text else text.replace("\nsummary: ", mark, 1)
file.write_text(text, encoding="utf-8")'
build() { # checkout dir label
  (cd "$2" && /usr/bin/time -f "$3 $shape wall %e s cpu %U+%S" \
    "$python" "$1/build.py" build --content "$shape" --output "site-$shape" --no-search 2>&1 \
    | grep -E "^Built|^Unchanged| s cpu ")
}
case $mode in
  after-full)
    for side in "old $old $old_dir" "new $new $new_dir"; do
      set -- $side
      institution=$(find "$3/$shape/institutions" -type f | sort | head -1)
      echo "# touched $(date +%s%N)" >> "$institution"
      build "$2" "$3" "$1 everything"
      (cd "$3" && "$python" -c "$toggle" "$shape" 0)
      build "$2" "$3" "$1 first-edit-after"
      (cd "$3" && "$python" -c "$toggle" "$shape" 1)  # another credential: no undo
      build "$2" "$3" "$1 next-edit"
    done ;;
  alternate)
    for run in $(seq 1 "$runs"); do
      for side in "old $old $old_dir" "new $new $new_dir"; do
        set -- $side
        (cd "$3" && "$python" -c "$toggle" "$shape" $((run % 2 + 1)))
        build "$2" "$3" "$1"
      done
    done ;;
  *) echo "mode: after-full or alternate" >&2; exit 2 ;;
esac
