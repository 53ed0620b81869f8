"""The checks: every rule a catalog must pass before anything is written.

``schema`` checks each document against its JSON Schema in ``schema/``; ``policy``
holds the procedure's rules, one function each; ``crossfile`` the rules across
files (references, unique titles); ``descriptions`` and ``svg`` the safety of
Markdown links and badge images; ``check`` runs them all and collects every problem.
A new rule goes in ``policy`` (one credential) or ``crossfile`` (several files).
"""
