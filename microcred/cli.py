"""The command line: parse arguments, run a command, turn the outcome into an exit code.

Exit status: 0 clean, 1 problems (errors, or warnings with ``--strict``), 2 usage.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import os
import sys
from pathlib import Path

from microcred.reporting.errors import BuildError, UsageError
from microcred.reporting.github import report_to_github
from microcred.reporting.terminal import TerminalReporter, problem_counts, unread_note

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build and check a public micro-credential catalog.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def content_arg(p):
        p.add_argument(
            "--content",
            type=Path,
            default=Path("content"),
            metavar="DIR",
            help="the content folder (default: content)",
        )

    def site_args(p, output_help="where the site goes (default: _site)"):
        p.add_argument("--output", type=Path, default=None, metavar="DIR", help=output_help)
        p.add_argument(
            "--base-url", metavar="URL", help="publish at this URL instead of site.yml's base_url"
        )
        p.add_argument("--strict", action="store_true", help="treat warnings as errors")
        p.add_argument(
            "--include-proposed",
            action="store_true",
            help="also publish proposed credentials (pull-request previews)",
        )
        p.add_argument("--no-search", action="store_true", help="skip the search index")
        p.add_argument(
            "--check-links",
            action="store_true",
            help="fail the build when a page or badge links to a missing file",
        )
        p.add_argument("--quiet", action="store_true", help="print problems only")

    build = commands.add_parser("build", help="check, then build the site (the default)")
    content_arg(build)
    site_args(build, "where the site goes (default: _site; with --institution, _parts/ID)")
    build.add_argument(
        "--institution",
        dest="institutions",
        action="append",
        default=[],
        metavar="ID",
        help="build only this institution's part (its pages, badges and search shard), for "
        "`assemble` (repeatable)",
    )
    build.add_argument(
        "--spanning",
        action="store_true",
        help="build only the outputs that span institutions, as a part for `assemble`",
    )
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="build everything even when nothing changed since the last build",
    )
    build.add_argument(
        "--update-manifest",
        action="store_true",
        help="add the new URLs of this build to urls.json (the deploy job on main)",
    )

    assemble = commands.add_parser(
        "assemble", help="join institution parts and write what spans institutions"
    )
    content_arg(assemble)
    assemble.add_argument(
        "parts",
        nargs="*",
        type=Path,
        metavar="PART_DIR",
        help="the --output folder of each `build --institution ID` job",
    )
    site_args(assemble)
    assemble.add_argument(
        "--update-manifest",
        action="store_true",
        help="add the new URLs of this build to urls.json (the deploy job on main)",
    )
    assemble.add_argument(
        "--no-cache", action="store_true", help="check every file again (no kept checks)"
    )

    institutions = commands.add_parser(
        "institutions", help="list the institution ids (the jobs of a sharded build)"
    )
    content_arg(institutions)
    institutions.add_argument(
        "--json", action="store_true", help="one JSON array on one line (a CI matrix)"
    )

    check = commands.add_parser("check", help="validate only; writes nothing")
    content_arg(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")

    new = commands.add_parser("new", help="scaffold a proposed micro-credential")
    content_arg(new)
    new.add_argument("title", help='the micro-credential\'s title, such as "Technical Writing"')
    new.add_argument("--institution", metavar="ID", help="the issuing institution's id")
    new.add_argument(
        "--credit-bearing",
        action="store_true",
        help="a credit-bearing micro-credential (default: non-credit)",
    )

    diff = commands.add_parser("diff", help="summarize what changed since a git ref")
    content_arg(diff)
    diff.add_argument("base", metavar="BASE", help="a git ref such as origin/main")

    freeze = commands.add_parser("freeze", help="freeze the criteria before changing them")
    content_arg(freeze)
    freeze.add_argument("slug", metavar="SLUG", help="the credential's file name without .md")
    freeze.add_argument(
        "--from",
        dest="base",
        metavar="REF",
        help="freeze the criteria as they are at git ref REF (for example origin/main)",
    )
    freeze.add_argument(
        "--reason",
        help="why a version the URL manifest does not list should be frozen anyway",
    )

    serve = commands.add_parser("serve", help="build, serve on localhost, rebuild on change")
    content_arg(serve)
    serve.add_argument("--port", type=int, default=8000, help="the port (default: 8000)")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default: 127.0.0.1, this computer only)",
    )
    serve.add_argument("--no-search", action="store_true", help="skip the search index")

    commands.add_parser(
        "docs", help="regenerate docs/fields.md and docs/templates/ from schema/ and the scaffold"
    )
    return parser


COLLECTOR_THRESHOLDS = (50_000, 20, 10)
"""Python's cyclic garbage collector runs after this many new objects (not 700): a build
holds millions of objects that live to its end (the catalog, the kept checks, the ledger),
and with the default a build that changed one credential spent about 3 of its 20 seconds
(2,000 collections, ten of them over the whole heap) finding no garbage. Reference
counting frees the build's garbage; the few cycles wait a little longer."""


def main(argv: list[str] | None = None) -> int:
    """Run one command of ``python build.py``; the exit status (0 clean, 1 problems, 2 usage)."""
    before = gc.get_threshold()
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    try:
        return _main(argv)
    finally:
        gc.set_threshold(*before)


def exit_now(code: int | None) -> None:
    """End ``python build.py`` with ``code`` once its work is done: the exit handlers run
    (worker pools joined, temporary folders removed, streams flushed), then the process
    ends without the interpreter freeing each of the build's millions of objects one by
    one, which took 0.2 to 0.3 s after an edit build at 10,000 credentials (issue 18).
    Only the script calls it; ``main`` itself returns, for tests and callers in-process.

    Threads are not joined (the pools of the build are closed by their ``with`` blocks,
    the preview server's thread is a daemon). Output that cannot be flushed because its
    reader has gone (``| head``) is dropped and the exit code stays the command's, where
    the interpreter would have ended with 120; ``None``, as from ``sys.exit()``, is 0."""
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed pipe: nothing more to say
            stream.flush()
    os._exit(0 if code is None else code)


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None:
        args = _parser().parse_args(["build", *(argv or [])])
    try:
        return COMMANDS[args.command](args)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("interrupted; the previous site is unchanged", file=sys.stderr)
        return 130


def _check(args) -> int:
    from microcred.rules.check import check_catalog

    result = check_catalog(args.content)
    reporter = TerminalReporter()
    reporter.problems(result.problems)
    report_to_github(result.problems)
    reporter.summary(f"Checked {result.files} files: {problem_counts(result.problems)}")
    if note := unread_note(result.problems):
        reporter.summary(note)
    return EXIT_PROBLEMS if result.blocks(args.strict) else EXIT_OK


def _options(args, **more):
    from microcred.pipeline import BuildOptions

    return BuildOptions(
        content=args.content,
        output=args.output,
        base_url=args.base_url,
        strict=args.strict,
        include_proposed=args.include_proposed,
        search=not args.no_search,
        check_links=args.check_links,
        update_manifest=args.update_manifest,
        **more,
    )


def _build(args) -> int:
    from microcred.pipeline import build

    reporter = TerminalReporter(quiet=args.quiet)
    part = [*sorted(set(args.institutions)), *(["spanning"] if args.spanning else [])]
    if args.output is None:
        args.output = Path("_parts", "+".join(part)) if part else Path("_site")
    options = _options(
        args,
        cache=not args.no_cache,
        institutions=tuple(args.institutions),
        spanning_part=args.spanning,
    )
    which = f"the part of {', '.join(part)} of " if part else ""
    reporter.progress(f"Building {which}{args.content} into {args.output}")
    return _outcome(build(options, reporter), args, reporter)


def _assemble(args) -> int:
    from microcred.pipeline import assemble

    reporter = TerminalReporter(quiet=args.quiet)
    args.output = args.output or Path("_site")
    reporter.progress(f"Assembling {len(args.parts)} parts of {args.content} into {args.output}")
    options = _options(args, cache=not args.no_cache)
    return _outcome(assemble(options, args.parts, reporter), args, reporter)


def _outcome(result, args, reporter) -> int:
    from microcred.pipeline import summary_line

    reporter.problems(result.check.problems)
    report_to_github(result.check.problems, "Catalog build")
    if not result.built:
        reporter.summary(
            f"Not built: {problem_counts(result.check.problems)}; {args.output} is unchanged"
        )
        if note := unread_note(result.check.problems):
            reporter.summary(note)
        return EXIT_PROBLEMS
    reporter.summary(summary_line(result, args.output))
    if args.update_manifest:
        reporter.summary(f"Added {len(result.new_urls)} new URLs to the URL manifest")
    return EXIT_OK


def _institutions(args) -> int:
    import json

    from microcred.content.load import load_content
    from microcred.reporting.problems import ERROR

    content = load_content(args.content, read_credentials=False)
    errors = [p for p in content.problems if p.severity == ERROR]
    if errors or content.site is None:
        TerminalReporter().problems(errors or content.problems)
        return EXIT_PROBLEMS
    ids = sorted(document.slug for document in content.institutions)
    print(json.dumps(ids) if args.json else "\n".join(ids))
    return EXIT_OK


def _new(args) -> int:
    from microcred.commands.new import scaffold

    path, placeholders = scaffold(args.content, args.title, args.institution, args.credit_bearing)
    print(f"Wrote {path}")
    print("Fill in these placeholders, then run `python build.py check`:")
    for name in placeholders:
        print(f"  - {name}")
    return EXIT_OK


def _diff(args) -> int:
    from microcred.commands.diff import diff_catalog, text_summary, write_step_summary

    result = diff_catalog(args.content, args.base)
    sys.stdout.write(text_summary(result))
    TerminalReporter().problems(result.problems)
    write_step_summary(result)
    if result.problems:
        report_to_github(result.problems, "Criteria versions and removals")
    return EXIT_PROBLEMS if result.errors else EXIT_OK


def _freeze(args) -> int:
    from microcred.commands.freeze import freeze, next_steps

    frozen = freeze(args.content, args.slug, reason=args.reason, base=args.base)
    print(
        f"Froze version {frozen.version - 1} of {frozen.slug} in {frozen.frozen}; "
        f"{frozen.credential} is now version {frozen.version}. Next:"
    )
    for number, step in enumerate(next_steps(frozen), start=1):
        print(f"  {number}. {step}")
    return EXIT_OK


def _serve(args) -> int:
    from microcred.commands.serve import serve

    return serve(args.content, args.host, args.port, search=not args.no_search)


def _docs(args) -> int:
    from microcred.commands.docs import write_docs

    changed = write_docs(Path("content"))
    for path in changed:
        print(f"Wrote {path}")
    if not changed:
        print("Unchanged: docs/fields.md and docs/templates/")
    return EXIT_OK


COMMANDS = {
    "build": _build,
    "assemble": _assemble,
    "institutions": _institutions,
    "check": _check,
    "new": _new,
    "diff": _diff,
    "freeze": _freeze,
    "serve": _serve,
    "docs": _docs,
}
