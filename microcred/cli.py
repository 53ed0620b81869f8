"""The command line: parse arguments, run a command, turn the outcome into an exit code.

Exit status: 0 clean, 1 problems (errors, or warnings with ``--strict``), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import BuildError
from .report import TerminalReporter, problem_counts, report_to_github

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build and check a public micro-credential catalog.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def content_arg(p):
        p.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                       help="the content folder (default: content)")

    build = commands.add_parser("build", help="check, then build the site (the default)")
    content_arg(build)
    build.add_argument("--output", type=Path, default=Path("_site"), metavar="DIR",
                       help="where the site goes (default: _site)")
    build.add_argument("--base-url", metavar="URL",
                       help="publish at this URL instead of site.yml's base_url")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--include-proposed", action="store_true",
                       help="also publish proposed credentials (pull-request previews)")
    build.add_argument("--no-search", action="store_true", help="skip the search index")
    build.add_argument("--check-links", action="store_true",
                       help="fail the build when a page or badge links to a missing file")
    build.add_argument("--quiet", action="store_true", help="print problems only")

    check = commands.add_parser("check", help="validate only; writes nothing")
    content_arg(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")

    new = commands.add_parser("new", help="scaffold a proposed micro-credential")
    content_arg(new)
    new.add_argument("title", help="the micro-credential's title, such as \"Technical Writing\"")
    new.add_argument("--institution", metavar="ID", help="the issuing institution's id")
    new.add_argument("--credit-bearing", action="store_true",
                     help="a credit-bearing micro-credential (default: non-credit)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None:
        args = _parser().parse_args(["build", *(argv or [])])
    try:
        return COMMANDS[args.command](args)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("interrupted; the previous site is unchanged", file=sys.stderr)
        return 130


def _check(args) -> int:
    from .check import check_catalog
    result = check_catalog(args.content)
    reporter = TerminalReporter()
    reporter.problems(result.problems)
    report_to_github(result.problems)
    reporter.summary(f"Checked {result.files} files: {problem_counts(result.problems)}")
    return EXIT_PROBLEMS if result.blocks(args.strict) else EXIT_OK


def _build(args) -> int:
    from .pipeline import BuildOptions, build, summary_line

    reporter = TerminalReporter(quiet=args.quiet)
    options = BuildOptions(
        content=args.content,
        output=args.output,
        base_url=args.base_url,
        strict=args.strict,
        include_proposed=args.include_proposed,
        search=not args.no_search,
        check_links=args.check_links,
    )
    reporter.progress(f"Building {args.content} into {args.output}")
    result = build(options, reporter)
    reporter.problems(result.check.problems)
    report_to_github(result.check.problems, "Catalog build")
    if not result.built:
        reporter.summary(f"Not built: {problem_counts(result.check.problems)}; "
                         f"{args.output} is unchanged")
        return EXIT_PROBLEMS
    reporter.summary(summary_line(result, args.output))
    return EXIT_OK


def _new(args) -> int:
    from .scaffold import scaffold

    path, placeholders = scaffold(args.content, args.title, args.institution,
                                  args.credit_bearing)
    print(f"Wrote {path}")
    print("Fill in these placeholders, then run `python build.py check`:")
    for name in placeholders:
        print(f"  - {name}")
    return EXIT_OK


COMMANDS = {"build": _build, "check": _check, "new": _new}
