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
