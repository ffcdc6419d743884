"""The report's review queue and the label editor's data, as the written file carries them.

The posts are real ones of the labelled corpus (``corpora/claims.jsonl``; none of them is kept
for blind evaluation), read by pointer from ``../shared/data`` and never copied here.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import orjson
import pytest
from click.testing import CliRunner
from test_report import explorer_data

import socialscan
from socialscan.claims.corpus import resolve_pointers, text_key
from socialscan.claims.tagging import get_tagger
from socialscan.cli import main
from socialscan.report import render_report, review
from socialscan.report.review import candidate_rows, review_queue

ROOT = Path(__file__).resolve().parents[1]
POSTS = 400


def corpus_texts(shared_data: Path, n: int) -> list[str]:
    """The first ``n`` posts of the labelled corpus, read where its pointers point."""
    rows = [orjson.loads(line) for line in (ROOT / "corpora" / "claims.jsonl").open("rb")]
    pointers = [r["pointer"] for r in rows if isinstance(r.get("pointer"), str)][:n]
    found = resolve_pointers(pointers, shared_data)
    return [found[p] for p in pointers]


def write_csv(path: Path, texts: list[str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["text"])
        w.writerows([t] for t in texts)
    return path


@pytest.fixture(scope="module")
def posts_csv(shared_data, tmp_path_factory) -> Path:
    texts = corpus_texts(shared_data, POSTS)
    # a copy with another link, and a bare link line: neither may be queued twice / at all
    texts += [texts[3] + "  https://t.co/Zq81xLm", "https://t.co/abc123"]
    return write_csv(tmp_path_factory.mktemp("q") / "posts.csv", texts)


@pytest.fixture(scope="module")
def tagged(posts_csv):
    return socialscan.scan(posts_csv, topics=False).frame


@pytest.fixture(scope="module")
def queue(tagged):
    return review_queue(tagged, 60)


def test_the_queue_is_uncertain_posts_then_disagreements_then_a_random_sample(tagged, queue):
    assert len(queue) == 60
    assert queue.counts == {"uncertain": 30, "disagree": 18, "random": 12}
    order = [name for name, _ in review.SHARES]
    assert [order.index(p) for p in queue.parts] == sorted(order.index(p) for p in queue.parts)
    assert len(set(queue.rows)) == 60
    assert all(tagged["kind"].iat[i] != "link" for i in queue.rows)
    keys = [text_key(tagged["text"].iat[i]) for i in queue.rows]
    assert len(set(keys)) == 60, "a repeated text is queued once"
    assert queue.candidates == len(candidate_rows(tagged)) == POSTS


def test_uncertain_posts_are_those_nearest_even_odds(tagged, queue):
    tagger = get_tagger()
    cand = candidate_rows(tagged)
    p = tagger.post_probabilities([tagged["text"].iat[i] for i in cand])
    distance = dict(zip(cand, np.abs(p - 0.5).min(axis=1).tolist(), strict=True))
    picked = [i for i, part in zip(queue.rows, queue.parts, strict=True) if part == "uncertain"]
    rest = [i for i in cand if i not in set(picked)]
    assert max(distance[i] for i in picked) <= min(distance[i] for i in rest) + 1e-6
    assert [distance[i] for i in picked] == sorted(distance[i] for i in picked)
    for i, why in zip(queue.rows, queue.why, strict=True):
        if i in picked:
            label, score = why.rsplit(" ", 2)[-2:]
            assert label in tagger.model.labels
            assert abs(float(score) - p[cand.index(i), tagger.model.labels.index(label)]) < 0.006


def test_disagreements_are_labels_the_two_scorers_decide_differently(tagged, queue):
    tagger = get_tagger()
    rows = [i for i, part in zip(queue.rows, queue.parts, strict=True) if part == "disagree"]
    texts = [tagged["text"].iat[i] for i in rows]
    p, z = tagger.post_probabilities(texts), tagger.zero_shot_post_scores(texts)
    names = tagger.model.labels
    for k, i in enumerate(rows):
        why = queue.why[queue.rows.index(i)]
        label = next(n for n in names if f" {n} (" in why)
        j, li = names.index(label), tagger.labels.index(label)
        model_yes = p[k, j] >= tagger.model.thresholds[j]
        assert model_yes != (z[k, li] >= tagger.threshold), why
        assert why.startswith("the model says" if model_yes else "the zero-shot scorer says")


def test_the_random_part_is_the_same_every_run_and_moves_with_the_seed(tagged, queue):
    again = review_queue(tagged, 60)
    assert again.rows == queue.rows
    other = review_queue(tagged, 60, seed=7)
    random_rows = {i for i, p in zip(queue.rows, queue.parts, strict=True) if p == "random"}
    other_random = {i for i, p in zip(other.rows, other.parts, strict=True) if p == "random"}
    assert random_rows != other_random
    assert other.rows[:30] == queue.rows[:30], "the seed moves only the sample"


def test_a_large_input_is_scored_on_a_sample_and_says_so(tagged, monkeypatch):
    monkeypatch.setattr(review, "SCORED_MAX", 150)
    monkeypatch.setattr(review, "ZERO_SHOT_MAX", 40)
    q = review_queue(tagged, 30)
    assert len(q) == 30 and q.scored == 150 and q.zero_shot <= 40
    assert q.notes[0] == f"The queue was drawn from a random sample of 150 of {POSTS:,} posts."


def test_without_a_trained_model_the_queue_has_no_disagreements(tagged):
    q = review_queue(tagged, 20, model=None)
    assert len(q) == 20 and q.counts["disagree"] == 0 and q.counts["uncertain"] == 10
    assert "no trained model" in " ".join(q.notes)


def test_the_page_says_what_the_queue_holds_and_why_each_post_is_in_it(tagged, tmp_path):
    html = render_report(tagged, tmp_path / "r.html", review=40).read_text(encoding="utf-8")
    d = explorer_data(html)
    assert len(d["review"]["rows"]) == 40 and len(d["review"]["why"]) == 40
    assert [p["n"] for p in d["review"]["parts"]] == [20, 12, 8]
    assert "<b>20</b> (50%) with scores nearest 0.5" in html
    assert "<b>12</b> (30%) where the zero-shot scorer and the trained model disagree" in html
    assert "<b>8</b> (20%) picked at random" in html
    assert '<option value="review">review queue (40)</option>' in html
    # the editor starts from the queue's scores: every label of a queued post has one
    first = str(d["review"]["rows"][0])
    assert all(isinstance(s, float) for s in d["sc"][first])


def test_the_editor_data_exports_what_training_reads(tagged, tmp_path, shared_data):
    d = explorer_data(render_report(tagged, tmp_path / "r.html", review=5).read_text("utf-8"))
    assert len(set(d["id"])) == len(d["id"]) == len(tagged)
    assert d["id"] == tagged["id"].tolist()
    # the full text of each record: the shown one, or the one kept beside it where cut
    full = [d["full"].get(str(i), t) for i, t in enumerate(d["t"])]
    assert full == tagged["text"].tolist()
    assert d["src"] == [str(tagged["source"].iat[0])]
    # a report written again from the same input finds the same labels: the same id
    again = explorer_data(render_report(tagged, tmp_path / "r2.html", review=0).read_text("utf-8"))
    assert again["rid"] == d["rid"] and again["review"] is None
    changed = tagged.copy()
    changed.loc[0, "id"] = "another"
    other = explorer_data(render_report(changed, tmp_path / "r3.html", review=0).read_text("utf-8"))
    assert other["rid"] != d["rid"]


def test_a_copied_post_exports_its_whole_text(tmp_path):
    source = ROOT / "tests" / "data" / "x_timeline_copy.txt"
    result = socialscan.scan(source, topics=False)
    d = explorer_data(render_report(result, tmp_path / "x.html").read_text("utf-8"))
    cut = [i for i, t in enumerate(d["t"]) if t != result.frame["text"].iat[i]]
    assert cut, "the explorer shows a copied post's own lines"
    assert all(d["full"][str(i)] == result.frame["text"].iat[i] for i in cut)


def test_no_queue_without_claims(tmp_path, seed_path):
    result = socialscan.scan(seed_path, claims=False, topics=False)
    html = render_report(result, tmp_path / "plain.html").read_text("utf-8")
    assert explorer_data(html)["review"] is None
    assert "Review queue" not in html and 'value="review"' not in html


def test_report_review_option_sets_the_queue_size(posts_csv, tmp_path):
    out = tmp_path / "r.html"
    args = ["report", str(posts_csv), "-o", str(out), "--no-topics", "-q"]
    result = CliRunner().invoke(main, [*args, "--review", "7"])
    assert result.exit_code == 0, result.output
    assert len(explorer_data(out.read_text("utf-8"))["review"]["rows"]) == 7
    result = CliRunner().invoke(main, [*args, "--review", "0"])
    assert result.exit_code == 0 and explorer_data(out.read_text("utf-8"))["review"] is None
    bad = CliRunner().invoke(main, [*args, "--review", "-3"])
    assert bad.exit_code == 2 and "Error: Invalid value for '--review'" in bad.output
