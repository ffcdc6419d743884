"""The two dump segmenters: ``fast`` (layout and static vectors) and ``minilm`` (MiniLM's
contextual vectors too), and how ``auto`` picks between them."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

import socialscan
from socialscan.cli import main
from socialscan.embed.static import StaticEmbedder
from socialscan.errors import InvalidOption, ModelNotReady
from socialscan.evaluation.segments import thread_units
from socialscan.readers.stats import ParseStats
from socialscan.segment import choice, rules, segmenter
from socialscan.segment.cohesion import SEMANTIC_FEATURES, lexical, semantic
from socialscan.segment.features import PASS1_FEATURES, line_info
from socialscan.segment.items import LineItem
from socialscan.segment.model import default_model, semantic_model
from socialscan.segment.segmenter import segment_lines
from socialscan.text.stems import idf_table
from training.segments.heldout import evaluate, heldout_dumps
from training.segments.sources import pools


@pytest.mark.parametrize("segmenter", ["fast", "minilm"])
def test_either_segmenter_keeps_every_seed_line_and_the_replies_apart(seed_path, segmenter):
    lines = seed_path.read_text(encoding="utf-8").splitlines()
    posts = socialscan.parse(seed_path, segmenter=segmenter)
    assert [n for p in posts for n in range(p.line_start, p.line_end + 1)] == list(range(1, 43))
    assert all(p.text == "\n".join(lines[p.line_start - 1 : p.line_end]) for p in posts)
    spans = {(p.line_start, p.line_end) for p in posts}
    assert {(33, 33), (34, 35), (36, 38), (39, 39)} <= spans


def test_auto_splits_a_small_file_with_minilm_once_prepared(seed_path):
    assert choice.minilm_ready(), "run `socialscan models --prepare` (make install does)"
    stats = ParseStats()
    socialscan.parse(seed_path, stats=stats)
    assert stats.segmenters == {"minilm"}
    assert stats.summary().endswith("; dump split by the minilm segmenter")


def test_auto_takes_the_fast_model_for_stdin_big_files_or_no_export(monkeypatch):
    monkeypatch.setattr(choice, "minilm_ready", lambda: True)
    assert choice.choose_segmenter("auto", size=None) is None  # stdin: size unknown
    assert choice.choose_segmenter("auto", size=choice.AUTO_MAX_BYTES + 1) is None
    monkeypatch.setattr(choice, "minilm_ready", lambda: False)
    assert choice.choose_segmenter("auto", size=100) is None
    with pytest.raises(ModelNotReady, match="socialscan models --prepare"):
        choice.choose_segmenter("minilm", size=100)


def test_an_unknown_segmenter_is_an_option_error():
    with pytest.raises(InvalidOption, match="unknown segmenter 'best'"):
        socialscan.parse("one\ntwo", segmenter="best")


def test_minilm_before_the_export_is_one_line_and_exit_2(tmp_path, seed_path):
    result = CliRunner().invoke(
        main,
        ["parse", str(seed_path), "--segmenter", "minilm"],
        env={"SOCIALSCAN_MODEL_DIR": str(tmp_path)},  # no export here
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: the minilm segmenter needs MiniLM's one-time")
    assert result.stdout == ""


def test_the_fast_segmenter_says_so_in_the_summary(seed_path):
    result = CliRunner().invoke(main, ["parse", str(seed_path), "--segmenter", "fast"])
    assert result.exit_code == 0, result.output
    assert "dump split by the fast segmenter" in result.stderr


def test_contextual_features_see_where_the_theme_changes():
    vectors = np.eye(8, dtype=np.float32)[[0, 0, 0, 5, 5, 5]]  # three lines on each of 2 themes
    x = semantic(vectors)
    assert x.shape == (6, len(SEMANTIC_FEATURES))
    col = {name: i for i, name in enumerate(SEMANTIC_FEATURES)}
    across, inside = x[3], x[1]
    assert across[col["sem_cos3"]] == pytest.approx(0.0)
    assert inside[col["sem_prev_next"]] == pytest.approx(1.0)
    assert across[col["sem_coh_back3"]] == pytest.approx(1.0)  # each side agrees with itself
    assert not x[0].any()  # no gap before the first line


def test_lexical_cohesion_hears_a_post_repeat_its_own_words():
    lines = [
        "Fine tuning teaches an LLM a behaviour.",
        "Fine tuning is not for new knowledge.",
        "Prompting beats fine tuning for most tasks.",
        "I used to be shy and had no confidence.",
        "Now I am confident on camera.",
    ]
    x = lexical(lines)
    first = PASS1_FEATURES.index("lex_cos1")
    col = {name: i for i, name in enumerate(PASS1_FEATURES[first : first + 5])}
    inside, across = x[1], x[3]  # the gaps before lines 2 and 4
    assert inside[col["lex_cos1"]] > 0.3 and across[col["lex_cos1"]] == 0.0
    assert across[col["lex_cos3"]] == 0.0 < x[2, col["lex_cos3"]]
    # "I used to be shy... confidence" shares nothing above and "confident" below: it leans
    # forward, as the line after the gap (4) and as the line before the next gap (5)
    assert across[col["lex_next_lean"]] < 0 and x[4, col["lex_prev_lean"]] < 0


def test_rare_words_weigh_more_than_common_ones():
    docs = ["the model is great", "the model is slow", "the cat is great", "a tokenizer bug"] * 3
    table = idf_table(docs, min_df=3)
    idf = table["idf"]
    assert idf["the"] < idf["model"] < idf["tokeni"] < table["default"]


def test_the_accurate_model_needs_contextual_vectors():
    lines = iter(enumerate(["first post here", "second one"], 1))
    with pytest.raises(ValueError, match="minilm-onnx vectors"):
        list(segment_lines(lines, model=semantic_model()))


SEED_UNITS = [(1, 27), (28, 30), (31, 32), (33, 33), (34, 35), (36, 38), (39, 39), (40, 42)]


@pytest.mark.parametrize("segmenter", ["fast", "minilm"])
def test_the_seed_fine_tuning_post_stays_within_its_27_lines_in_a_few_threads(seed_path, segmenter):
    # A person reads lines 1-27 as one post. It is longer than any post of the training dumps,
    # and the models fitted without reserved posts (session 14) split it where its argument
    # turns and link most of the pieces; a model that linked it whole had reserved posts among
    # its training data. What must hold: nothing of the next post joins it, it starts at line
    # 1, and it comes out as one record or a few threads, not as its lines.
    posts = socialscan.parse(seed_path, segmenter=segmenter)
    units = thread_units(posts)
    head = [u for u in units if u[0] <= 27]
    assert head[0][0] == 1 and head[-1][1] == 27
    assert len(head) <= 3
    assert max(b - a + 1 for a, b in head) >= 12  # at least one piece of most of its lines


@pytest.mark.parametrize("segmenter", ["fast", "minilm"])
def test_the_seed_comes_out_as_the_units_a_person_sees_after_its_first_post(seed_path, segmenter):
    # "I used to be shy & have no confidence." and the rest, each on its own: the issue's
    # reading of the seed
    posts = socialscan.parse(seed_path, segmenter=segmenter)
    assert [u for u in thread_units(posts) if u[0] > 27] == SEED_UNITS[1:]


@pytest.mark.parametrize("segmenter", ["fast", "minilm"])
def test_short_replies_one_after_another_stay_apart(segmenter):
    text = "@anna hello there\n@bob another reply\n@carl third reply here\n"
    posts = socialscan.parse(text, segmenter=segmenter)
    assert [(p.kind, p.line_start) for p in posts] == [("reply", 1), ("reply", 2), ("reply", 3)]


@pytest.mark.parametrize(
    ("line", "handles_only"),
    [
        ("@OpenAI @sama", True),  # a tag line inside a post
        ("@Apple @elonmusk @tim_cook ?", True),
        ("@anna hello there", False),  # a reply
        ("Thanks @anna", False),
    ],
)
def test_a_line_of_handles_alone_is_told_from_a_reply(line, handles_only):
    from socialscan.segment.features import LINE_FEATURES, line_info

    assert line_info(line).row[LINE_FEATURES.index("handles_only")] == float(handles_only)


def _segment(vector, p, lines):
    from socialscan.segment.items import Segment

    return Segment([(i, t) for i, t in enumerate(lines, 1)], p, np.asarray(vector, np.float32))


def test_the_linker_joins_alike_records_split_hesitantly_and_not_strangers():
    linker = default_model().linker
    body = ["Fine tuning teaches a model a behaviour.", "Retrieval gives it knowledge."]
    prev = _segment([1, 0, 0], 1.0, body * 2)
    assert linker.links(prev, _segment([0.9, 0.1, 0], 0.6, body))
    assert not linker.links(prev, _segment([0, 0, 1], 0.95, ["Our cat opened the fridge."]))


@pytest.mark.parametrize(
    "other_hand",
    [
        [
            "fine tuning teaches a model a behaviour.",
            "retrieval gives it knowledge.",
        ],  # no capitals
        ["Fine tuning teaches a model a behaviour.", "Retrieval won’t give it knowledge."],
    ],
)
def test_the_linker_weighs_each_records_habits_of_hand(other_hand):
    from socialscan.segment.linker import link_features

    linker = default_model().linker
    prev = _segment([1, 0, 0], 1.0, ["Fine tuning isn't for knowledge.", "It teaches behaviour."])
    same_hand = ["Fine tuning teaches a model a behaviour.", "Retrieval won't give it knowledge."]
    a = linker.proba(link_features(prev, _segment([0.9, 0.1, 0], 0.45, same_hand)))
    b = linker.proba(link_features(prev, _segment([0.9, 0.1, 0], 0.45, other_hand)))
    odds = a / (1 - a) / (b / (1 - b))
    assert odds > 3  # the same words in another hand: a third of the odds of a link, or less


def test_a_clash_of_apostrophes_splits_once_between_the_two_lines():
    # "can't" over "I’ve": two hands, where the trees hear one post written a sentence a line
    text = ["Make sure you can't do it with prompts.", "I used to be shy.", "Now I’ve a channel."]
    posts = [[n for n, _ in post] for post, _ in segmenter.segment_lines(iter(enumerate(text, 1)))]
    assert len(posts) == 2 and posts[0][0] == 1 and posts[-1][-1] == 3


def test_a_retweet_line_starts_a_post():
    text = (
        "Fine tuning is for behaviour, not knowledge.\nUse retrieval for knowledge.\n"
        "RT @rachel_l_woods: prompts first, always\n"
    )
    posts = socialscan.parse(text, segmenter="fast")
    assert [(p.line_start, p.line_end) for p in posts] == [(1, 2), (3, 3)]
    manual = "RT @janedev17 the old manual retweet, a sentence of its own"
    assert not rules.retweet_start(LineItem(2, manual, [], line_info(manual)))


def test_posts_copied_as_text_split_far_better_than_one_post_a_line(shared_data):
    # the seed's kind of dump: multi-line posts, link cards and hashtags gone, no blank lines
    rows = heldout_dumps(pools(shared_data)["heldout"], 10)
    dumps = rows["copied as text, multi-line posts (chatgpt, twarc)"]
    assert all(len(d.spans) >= 8 for d in dumps)
    baseline = evaluate(dumps, StaticEmbedder.default(), None)
    fast = evaluate(dumps, StaticEmbedder.default(), default_model())
    assert fast["f1"] >= 0.70 and fast["f1"] >= baseline["f1"] + 0.12


THREAD = """How we cut our LLM bill by 70% 🧵
1/ Route easy requests to a small model.
80% of our traffic was classification.
A fine-tuned 7B model handles it for pennies.
2/ Cache everything.
Same prompt + same context = same answer.
3/ Measure before you optimise.
Without evals you're guessing.
@jxnlco this is gold, bookmarking
"""


@pytest.mark.parametrize("segmenter", ["fast", "minilm"])
def test_a_numbered_thread_of_multi_line_tweets_splits_at_each_number(segmenter):
    posts = socialscan.parse(THREAD, segmenter=segmenter)
    starts = {p.line_start: p for p in posts}
    assert {2, 5, 7, 9} <= set(starts)
    numbered = [starts[n] for n in (2, 5, 7)]
    assert numbered[0].thread_id and {p.thread_id for p in numbered} == {numbered[0].thread_id}
    assert starts[9].kind == "reply" and starts[9].thread_id is None
