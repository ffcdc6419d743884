"""Pure functions over a post's text, shared by every stage.

``patterns`` holds every shared pattern once (links, handles, tags, months, thread numbering);
``entities`` reads links, mentions, tags and emojis; ``chrome`` and ``headers`` the lines a
copied timeline carries, ``body`` a post's own words (``mask``, ``body_text``); ``stamps``,
``stamped`` and ``times`` what a scraper writes at each post; ``stems`` word stems and their
weights. ``readers``, ``segment``, ``claims``, ``topics`` and ``report`` read text through this
package and never reach into each other for it.
"""
