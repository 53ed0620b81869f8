"""Content files in, typed records out: loading, the record model, Markdown, and every URL.

``load`` reads ``content/`` (YAML front matter with the line of every field),
``records`` turns valid documents into the frozen dataclasses of ``model``,
``markdown`` renders descriptions safely, and ``urls`` spells every address the
site publishes. Nothing here imports another layer but ``reporting``.
"""
