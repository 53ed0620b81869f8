#!/usr/bin/env python3
"""Build the micro-credential catalog: ``python build.py [build|check|new] ...``.

See README.md; the pipeline lives in the ``microcred`` package.
"""

import sys

from microcred.cli import exit_now, main

if __name__ == "__main__":
    exit_now(main(sys.argv[1:]))
