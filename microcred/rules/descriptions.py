"""Checks of a file's Markdown description: links and images that would not work.

The renderer already drops unsafe links and the page's security policy blocks
images from elsewhere; these checks tell the author at ``check`` time, with the line.
"""

from __future__ import annotations

from microcred.content.load import Document
from microcred.content.markdown import html_in, is_external, is_safe_url, links_in
from microcred.reporting.problems import ERROR, WARNING, Problem

MARKDOWN_FOR = {
    "b": "**bold**",
    "strong": "**bold**",
    "i": "*italic*",
    "em": "*italic*",
    "a": "[the words](https://…)",
    "br": "a blank line between paragraphs",
    "p": "a blank line between paragraphs",
    "ul": "lines starting with `- `",
    "li": "lines starting with `- `",
    "h2": "a line starting with `## `",
    "h3": "a line starting with `### `",
}
"""The Markdown that writes what an HTML tag an author typed was for."""


def check_description(document: Document) -> list[Problem]:
    """Unsafe links and images in the Markdown body, each at its line."""
    found = []
    for kind, url, line in links_in(document.body):
        where = (document.body_line + line, 1)
        if not is_safe_url(url):
            found.append(
                Problem(
                    ERROR,
                    "unsafe-link",
                    document.path,
                    *where,
                    "description",
                    f"the {kind} `{url[:60]}` uses a scheme that is not allowed; it would be "
                    "dropped from the page",
                    "Link with https://, mailto: or a path on this site",
                )
            )
        elif kind == "image":
            where_from = "another site" if is_external(url) else "a file the build does not copy"
            found.append(
                Problem(
                    ERROR,
                    "description-image",
                    document.path,
                    *where,
                    "description",
                    f"the image `{url[:60]}` comes from {where_from}; the catalog's pages show "
                    "only their own files",
                    "Remove the image; a credential's picture goes in `badge.image`",
                )
            )
    for tag, line in html_in(document.body):
        if tag.startswith("</"):  # its opening tag says it already
            continue
        name = tag.strip("</>").split()[0].split("/")[0].casefold() if tag.strip("</>") else ""
        instead = MARKDOWN_FOR.get(name, "Markdown: **bold**, *italic*, [a link](https://…)")
        found.append(
            Problem(
                WARNING,
                "raw-html",
                document.path,
                document.body_line + line,
                1,
                "description",
                f"the HTML `{tag[:40]}` is shown as text on the page: the catalog publishes "
                "no HTML from content files",
                f"Write {instead} instead",
            )
        )
    return found
