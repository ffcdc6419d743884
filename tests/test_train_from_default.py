"""``socialscan train claims LABELS --from default``: start from the shipped model, learn a
person's corrections and a new label, and use the model in ``tag``, ``scan`` and ``report``.

The fixture ``tests/data/labels_giveaway.jsonl`` is a report's export (``labels.jsonl``): 14
giveaway posts and 24 others a person read, one post whose ``product_plug`` they turned off,
one line the model decided, and 10 held-out posts (``split: test``). Training on it takes
seconds.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from socialscan.claims import ClaimModel, tag_texts
from socialscan.cli import main
from socialscan.report.colors import label_colors

LABELS = Path(__file__).parent / "data" / "labels_giveaway.jsonl"
FLIPPED = "Check out our new CRM for small teams, sign up today and get 30% off!"
UNSEEN_GIVEAWAYS = [
    "GIVEAWAY: we're giving away a free tent 🏕️ Follow us and retweet to enter, ends Friday!",
    "Win a signed jersey! Like this post and tag a friend to enter our giveaway.",
    "Enter to win a year of free pizza 🍕 RT and follow to enter, winner picked Monday.",
]
UNSEEN_OTHERS = [
    "The bus was late again, third time this week.",
    "Great talk today on how cities plan their parks.",
    "Who do you think will win the final on Sunday?",
]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("m") / "my-model"
    r = CliRunner().invoke(
        main, ["train", "claims", str(LABELS), "--from", "default", "-o", str(out), "-q"]
    )
    assert r.exit_code == 0, r.output
    assert "| giveaway | new |" in r.output  # the before / after table
    assert "| product_plug | refit |" in r.output
    assert "shipped ordinary posts were weak negatives of the new labels" in r.output
    return out


def test_from_default_keeps_the_default_labels_as_shipped(model_dir):
    m, shipped = ClaimModel.load(model_dir), ClaimModel.default()
    assert m.labels == [*shipped.labels, "giveaway"]
    for lab in ("finetuning_advice", "privacy_statement", "self_promotion"):  # not corrected
        j = shipped.labels.index(lab)
        assert np.array_equal(m.w_sparse[j], shipped.w_sparse[j])
        assert np.array_equal(m.w_dense[j], shipped.w_dense[j])
        assert m.thresholds[j] == shipped.thresholds[j]
    texts = [
        "Here are 5 hacks I use to grow my followers 🧵",
        "We never sell your data. Chats are deleted after 30 days.",
        "Give it a few examples in the prompt and it does much better.",
    ]
    mine = [set(x["labels"]) - {"giveaway"} for x in _tag(model_dir, texts)]
    assert mine == [set(x["labels"]) for x in _tag("default", texts)]


def test_the_new_label_tags_unseen_posts_of_it(model_dir):
    got = _tag(model_dir, UNSEEN_GIVEAWAYS + UNSEEN_OTHERS)
    assert ["giveaway" in x["labels"] for x in got] == [True] * 3 + [False] * 3


def test_a_rejected_label_no_longer_holds_on_that_post_or_its_copies(model_dir):
    assert [c.label for c in tag_texts([FLIPPED])[0]] == ["product_plug"]  # shipped
    copy = FLIPPED.upper() + " https://t.co/abc"
    for x in _tag(model_dir, [FLIPPED, copy]):
        assert "product_plug" not in x["labels"]
    # other product plugs still are
    assert (
        "product_plug"
        in _tag(model_dir, ["Sign up now and get 20% off your first box!"])[0]["labels"]
    )


def test_the_model_dir_works_with_scan_and_the_report_shows_the_new_label(model_dir, tmp_path):
    dump = tmp_path / "feed.txt"
    dump.write_text("\n\n".join(UNSEEN_GIVEAWAYS + UNSEEN_OTHERS + [FLIPPED]) + "\n")
    html = tmp_path / "out.html"
    r = CliRunner().invoke(
        main,
        ["scan", str(dump), "--format", "lines", "--model", str(model_dir)]
        + ["--no-topics", "--report", str(html), "--json", "-q"],
    )
    assert r.exit_code == 0, r.output
    summary = json.loads(r.output)
    assert "giveaway" in json.dumps(summary)
    page = html.read_text()
    colors = label_colors([*ClaimModel.default().labels, "giveaway"])
    assert "giveaway" in page and colors["giveaway"] in page
    assert colors["giveaway"] not in label_colors(ClaimModel.default().labels).values()


def test_eval_claims_reads_the_export(model_dir):
    r = CliRunner().invoke(
        main, ["eval", "claims", str(LABELS), "--split", "test", "--model", str(model_dir)]
    )
    assert r.exit_code == 0, r.output
    assert "| giveaway |" in r.output


@pytest.mark.parametrize(
    "line, message",
    [
        ("not json", "not JSON"),
        ('{"text": "hi", "labels": "giveaway"}', 'expected {"text": "...", "labels": [...]}'),
        ('{"text": "hi", "labels": [""]}', "'labels' must be a list of label names"),
        ('{"text": "hi", "labels": [], "rejected": [3]}', "'rejected' must be a list"),
        (
            '{"text": "hi", "labels": ["giveaway"], "rejected": ["giveaway"]}',
            "'giveaway' is both in labels and rejected",
        ),
        ('{"text": "hi", "labels": [], "decided_by": "robot"}', "decided_by must be"),
    ],
)
def test_malformed_lines_are_one_line_errors_with_exit_2(tmp_path, line, message):
    bad = tmp_path / "labels.jsonl"
    good = LABELS.read_text().splitlines()[0]
    bad.write_text(good + "\n" + line + "\n")
    for args in (["train", "claims", str(bad), "--from", "default", "-o", str(tmp_path / "m")],):
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 2
        assert r.output.startswith("Error: ") and message in r.output
        assert len(r.output.strip().splitlines()) == 1
    assert not (tmp_path / "m").exists()  # no partial model


def test_from_a_directory_that_is_no_model_is_an_error(tmp_path):
    r = CliRunner().invoke(
        main, ["train", "claims", str(LABELS), "--from", str(tmp_path), "-o", str(tmp_path / "m")]
    )
    assert r.exit_code == 2 and r.output.startswith("Error: ")


def _tag(model, texts):
    return [
        {"labels": sorted({c.label for c in cs})}
        for cs in tag_texts(texts, model=str(model) if model != "default" else "default")
    ]


# -- the shipped background sample of ordinary posts ----------------------------------------------

SHARED = Path(__file__).parents[1].parent / "shared" / "data"


def test_the_background_sample_is_small_licensed_and_holds_no_evaluation_post():
    from socialscan.claims.background import BACKGROUND_FILE, background_rows
    from socialscan.claims.corpus import read_corpus, text_key
    from training.claims.sources import reserved_keys, twarc_posts, tweeteval_posts

    assert BACKGROUND_FILE.stat().st_size < 2_000_000
    rows = background_rows()
    assert len(rows) == 8000
    # TweetEval and the twarc-csv captures may be shipped; chatgpt-tweets may not
    assert {src.split("/", 1)[0] for _, src in rows} == {"tweeteval", "twarc-jsonl"}
    keys = {text_key(t) for t, _ in rows}
    assert len(keys) == len(rows)  # distinct posts
    assert not keys & reserved_keys(list(twarc_posts()) + list(tweeteval_posts()))
    for corpus in ("claims.jsonl", "giveaway.jsonl"):
        held = read_corpus(Path(__file__).parents[1] / "corpora" / corpus, SHARED)
        assert not keys & {text_key(t) for t in held.texts}, corpus


@pytest.fixture(scope="module")
def without_background(tmp_path_factory) -> Path:
    from socialscan.claims.from_default import train_from

    out = tmp_path_factory.mktemp("m0") / "no-background"
    train_from(LABELS, out, "default", background_weight=0)
    return out


def test_the_background_makes_the_new_label_fire_on_fewer_ordinary_posts(
    model_dir, without_background
):
    from socialscan.claims.background import background_posts
    from socialscan.claims.corpus import text_key
    from training.claims.sources import reserved_keys, tweeteval_posts

    # real ordinary posts outside the shipped sample (reserved ones left out)
    posts = list(tweeteval_posts())
    skip = {text_key(t) for t in background_posts()} | reserved_keys(posts)
    unseen = [p.text for p in posts[::17] if p.key not in skip][:3000]
    fires = {}
    for name, d in (("with", model_dir), ("without", without_background)):
        m = ClaimModel.load(d)
        fires[name] = int(m.decide(m.predict(unseen))[:, m.labels.index("giveaway")].sum())
    assert fires["with"] <= fires["without"] / 2, fires
    # and it still finds unseen giveaways
    got = _tag(model_dir, UNSEEN_GIVEAWAYS)
    assert all("giveaway" in x["labels"] for x in got)


def test_the_model_says_how_many_ordinary_posts_it_learned_from_and_how_often_it_fires(
    model_dir,
):
    lines = [json.loads(x) for x in LABELS.read_text().splitlines()]
    taught = [x for x in lines if x["split"] != "test" and x["decided_by"] == "person"]
    info = ClaimModel.load(model_dir).info["background"]
    assert info["posts"] == 20 * len(taught)  # 20 ordinary posts per post a person decided
    assert 0.0 <= info["fires_out_of_fold"]["giveaway"] <= 0.05


def test_a_copy_of_a_files_post_is_never_a_background_negative(tmp_path):
    from socialscan.claims.from_default import train_from

    lines = [json.loads(x) for x in LABELS.read_text().splitlines()]
    test_giveaway = next(x for x in lines if x["split"] == "test" and "giveaway" in x["labels"])
    background = [(test_giveaway["text"].upper() + " https://t.co/x", "tweeteval/x.txt#line=1")]
    background += [("Rain again all day, the bus was late.", "twarc-jsonl/y.jsonl#id=1")]
    r = train_from(LABELS, tmp_path / "m", "default", background=background)
    assert r.background == 1  # the copy of a test line is left out


# -- posts a person decided ----------------------------------------------------------------------


def test_a_remembered_post_says_a_person_decided_it_and_keeps_the_models_own_score(
    model_dir, tmp_path
):
    from socialscan.claims.memory import post_key

    # a person gave giveaway to a post the head does not find it in (a memory of the model)
    text = "Who do you think will win the final on Sunday?"
    m = ClaimModel.load(model_dir)
    own = float(m.predict([text], remembered=False)[0, m.labels.index("giveaway")])
    assert own < m.thresholds[m.labels.index("giveaway")]
    m.memory[post_key(text)] = {"giveaway": True}
    m.save(tmp_path / "m")
    claims = tag_texts(
        [
            text,
            "WHO do you think will win the final on Sunday? https://t.co/x",
            UNSEEN_GIVEAWAYS[0],
        ],
        model=str(tmp_path / "m"),
    )
    for cs in claims[:2]:  # the post and a copy of it
        mine = [c for c in cs if c.label == "giveaway"]
        assert len(mine) == 1 and mine[0].score == 1.0  # the person's decision
        assert mine[0].evidence["decided_by"] == "person"
        assert mine[0].evidence["model_score"] == pytest.approx(own, abs=1e-4)
        assert mine[0].evidence["sentence_score"] < 1.0  # the head's, not the memory's
    # a post nobody decided is the model's: no such marks
    theirs = [c for c in claims[2] if c.label == "giveaway"]
    assert theirs and all("decided_by" not in c.evidence for c in theirs)


def test_test_lines_that_copy_training_lines_are_left_out_of_the_scores(tmp_path):
    from socialscan.claims.from_default import train_from

    lines = LABELS.read_text().splitlines()
    first = json.loads(lines[0])
    first.update(split="test", text=first["text"] + " https://t.co/copy")
    f = tmp_path / "labels.jsonl"
    f.write_text("\n".join([*lines, json.dumps(first)]) + "\n")
    r = train_from(f, tmp_path / "m", "default", background_weight=0)
    held_out = [x for x in map(json.loads, lines) if x["split"] == "test"]
    assert r.after["giveaway"].judged == len(held_out)  # not the copy
    assert any("1 test lines are copies of training lines" in w for w in r.warnings)
