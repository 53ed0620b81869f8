"""The checks: every rule a catalog must pass before anything is written.

``schema`` checks each document against its JSON Schema in ``schema/``; ``policy``
holds the rules about one credential, one function each; ``profile`` loads the rule
sets (``rules/profiles/*.yml`` and a catalog's ``content/policies/``) that say which
rules apply, how severe each is and what it cites; ``crossfile`` holds the rules across
files (references, unique titles); ``yaml_values`` catches values YAML reads as another
type; ``descriptions`` and ``svg`` the safety of Markdown links and badge images;
``check`` runs them all and collects every problem. A new rule goes in ``policy`` (one
credential) or ``crossfile`` (several files), and in the profiles that use it.
"""
