"""Content files in, typed records out: loading, the record model, Markdown, and every URL.

``load`` reads ``content/`` (YAML front matter with the line of every field) and
``yaml_words`` says its syntax errors in an author's words, ``records`` turns documents
into the frozen dataclasses of ``model`` (even broken ones, so every rule can run),
``markdown`` renders descriptions and guides safely, ``urls`` spells every address the
site publishes, and ``history`` tells which of two files came later. Nothing here
imports another layer but ``reporting``.
"""
