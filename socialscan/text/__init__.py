"""Pure functions over a post's text, shared by every stage.

Entities (links, handles, tags, cashtags, HTML entities), the page chrome a copied timeline carries
and the stamps a scraper writes at a post. ``readers``, ``segment``, ``claims``, ``topics`` and
``report`` read text through this package and never reach into each other for it.
"""
