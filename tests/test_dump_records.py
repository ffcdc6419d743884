"""The record side of a raw dump's parse takes shortcuts; each gives the full answer.

Held-out posts (no reserved one) pasted as dumps, as the segmenter splits them: for every
neighbouring pair of records the thread linker's answer is the full model's, though it rules
most pairs out before reading their habits of hand.
"""

from __future__ import annotations

import pytest

from socialscan.embed.static import StaticEmbedder
from socialscan.segment.linker import link_features
from socialscan.segment.model import default_model
from socialscan.segment.segmenter import iter_segments


@pytest.fixture(scope="module")
def segments(shared_data):
    """The fast segmenter's records of held-out dumps: pasted, copied, stamped, threaded."""
    from training.segments.dumps import make_dumps
    from training.segments.pages import copied_timeline, stamped_export
    from training.segments.sources import pools

    held = pools(shared_data)["heldout"]
    posts = held["chatgpt"] + held["twarc"] + held["tweeteval"][:300]
    made = list(make_dumps(posts, 6, 31, "r", size=(20, 50), extra={"threads": (0.3,)}))
    dumps = [d.lines for d in made[:4]]
    dumps += [copied_timeline(made[4], 1).lines, stamped_export(made[5], 2).lines]
    model, emb = default_model(), StaticEmbedder.default()
    return [list(iter_segments(enumerate(lines, 1), embedder=emb, model=model)) for lines in dumps]


def test_the_linker_links_exactly_the_pairs_its_full_model_links(segments):
    linker = default_model().linker
    pairs = linked = 0
    for segs in segments:
        for prev, nxt in zip(segs, segs[1:], strict=False):
            full = linker.proba(link_features(prev, nxt)) >= linker.threshold
            assert linker.links(prev, nxt) == full, (prev.lines, nxt.lines)
            pairs += 1
            linked += full
    assert pairs > 150 and 0 < linked < pairs  # both answers were given


def test_the_linker_never_rules_out_a_pair_it_would_link(segments):
    """The cheap test's room for the habits is the most they can add: a linker whose habit
    weights all push up still links what its full model links."""
    import numpy as np

    from socialscan.segment.linker import Linker

    base = default_model().linker
    coef = base.coef.copy()
    coef[6:] = [0.8, 0.9, 1.2]  # every habit feature lifts the odds
    lifted = Linker(np.asarray(coef), base.intercept, base.threshold)
    n = 0
    for segs in segments:
        for prev, nxt in zip(segs, segs[1:], strict=False):
            full = lifted.proba(link_features(prev, nxt)) >= lifted.threshold
            assert lifted.links(prev, nxt) == full
            n += full
    assert n > 0
