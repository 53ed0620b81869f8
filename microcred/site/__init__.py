"""The outputs: one module per family of files the site publishes.

Output stages: ``pages`` (HTML, feed, sitemap), ``guides``, ``open_badges`` (badge
images, Open Badges 2.0 and 3.0, bulk-issue CSV), ``ctdl``, ``catalog_data``
(``catalog.json``, data package) and ``search`` (Pagefind, which it runs through
``pagefind_program``, light enough for the interpreter beside the build). Shared by them and
never importing one of them: ``templates`` (Jinja2 and the page writer), ``labels``
(words shown to people), ``schema_org`` (JSON-LD in pages), ``enrolment`` (the build's
date and upcoming offerings), ``badge_images``, ``diagrams`` and ``svg``. A new output
is a new module here and a line in ``pipeline._output_stages``.
"""
