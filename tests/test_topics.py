"""Topics: real themes on small corpora, stable for a seed, saved without pickle, and a CLI."""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
import threading

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import socialscan
from socialscan.cli import main
from socialscan.errors import InvalidOption, TooFewPosts
from socialscan.topics import TopicResult, fit_topics

THEMES = {
    "shoes": [
        "My new running shoes have great cushioning",
        "Running shoes with light cushioning for road running",
        "Best cushioning in running shoes this year",
        "These running shoes feel light on long runs",
        "Road running needs shoes with cushioning",
        "Trying new running shoes for interval training",
    ],
    "privacy": [
        "OpenAI never trains on data submitted to the API",
        "Your API data is never used to train models",
        "Privacy: data sent to the API is not used for training",
        "They never train models on API data, privacy first",
        "API privacy policy: submitted data never trains models",
        "Clarity on privacy: no training on API data",
    ],
    "founders": [
        "Arrogant founders can smash incumbent markets",
        "Founders who smash markets pave the way for innovation",
        "Entitled founders sometimes disrupt incumbent markets",
        "Innovation often comes from arrogant founders",
        "Incumbent markets get smashed by bold founders",
        "Founders, markets and innovation: the arrogant ones win",
    ],
}
PLANTED = [t for texts in THEMES.values() for t in texts]


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SOCIALSCAN_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def planted() -> TopicResult:
    return fit_topics(PLANTED, embedder="hashing", nr_topics=3, cache=False)


def test_planted_themes_come_back_as_topics_with_their_words(planted):
    by_theme = [{planted.topics[PLANTED.index(t)] for t in texts} for texts in THEMES.values()]
    assert all(len(s) == 1 for s in by_theme)
    assert len(set.union(*by_theme)) == 3
    labels = " ".join(planted.table["label"])
    for word in ("running", "api", "founders"):
        assert word in labels


def test_the_table_has_the_documented_columns_and_sizes(planted):
    t = planted.table
    assert list(t.columns) == ["topic", "size", "label", "terms", "representative"]
    assert t["topic"].tolist() == sorted(t["topic"])
    assert t["size"].sum() == len(PLANTED)
    assert all(set(r) <= set(PLANTED) and r for r in t["representative"])
    assert planted.coords.shape == (len(PLANTED), 2)
    assert planted.labels[0] == t.set_index("topic").loc[planted.topics[0], "label"]


def test_the_records_of_one_thread_are_one_document():
    import pandas as pd

    # a running post cut into two records (one thread), its second half about APIs' words
    texts = [*PLANTED, "Long runs in new running shoes", "and the API docs I read on the way"]
    df = pd.DataFrame({"text": texts, "thread_id": [None] * len(PLANTED) + ["t1", "t1"]})
    r = fit_topics(df, embedder="hashing", nr_topics=3, cache=False)
    assert len(r.topics) == len(df) and r.topics[-1] == r.topics[-2]
    assert (r.coords[-1] == r.coords[-2]).all()
    assert r.table["size"].sum() == len(df)  # sizes count records
    # without thread ids each record is its own document
    alone = fit_topics(texts, embedder="hashing", nr_topics=3, cache=False)
    assert len(alone.topics) == len(texts) and (alone.coords[-1] != alone.coords[-2]).any()


def test_the_seed_gets_several_themes_and_clean_terms(seed_path):
    posts = socialscan.parse(seed_path, format="lines")
    result = fit_topics(posts)
    assert len(result.table) >= 4
    assert any("fine tuning" in label for label in result.table["label"])
    for terms in result.table["terms"]:
        for term in terms:
            assert not re.search(r"\d|http|@|\bco\b", term), term
            assert term.split()[0] not in {"the", "to", "and", "of", "is"}, term


def test_by_default_a_small_corpus_is_embedded_by_int8_minilm(tmp_path):
    result = fit_topics(PLANTED, nr_topics=3)
    assert result.embedder_name == "minilm-onnx"
    by_theme = [{result.topics[PLANTED.index(t)] for t in texts} for texts in THEMES.values()]
    assert all(len(s) == 1 for s in by_theme) and len(set.union(*by_theme)) == 3
    saved = result.save(tmp_path / "model")
    again = TopicResult.load(saved)
    assert again.embedder_name == "minilm-onnx"
    assert again.transform(["Trail running shoes with soft cushioning"])[0] == [
        result.topics[PLANTED.index(THEMES["shoes"][0])]
    ]


def test_cli_takes_the_int8_embedder_by_name(tmp_path):
    src = tmp_path / "posts.txt"
    src.write_text("\n".join(PLANTED) + "\n", encoding="utf-8")
    out = tmp_path / "topics.jsonl"
    args = ["topics", str(src), "--format", "lines", "--topic-embedder", "minilm-q8"]
    args += ["--nr-topics", "3"]
    r = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "minilm-q8" in r.output
    assert len(out.read_text().splitlines()) == len(PLANTED)


@pytest.mark.parametrize("n", [3, 4, 5])
def test_tiny_corpora_do_not_crash(n):
    result = fit_topics(PLANTED[:n], embedder="hashing", cache=False)
    assert len(result.topics) == len(result.labels) == n
    assert result.coords.shape == (n, 2)
    assert result.table["size"].sum() == n
    assert len(set(result.topics)) <= 2


@pytest.mark.parametrize(
    ("data", "documents"),
    [
        ([], 0),
        (["Fine tuning beats prompting"], 1),
        (["Fine tuning beats prompting", "My new running shoes"], 2),
        # four records, two threads (a long post cut in two, a 1/2 2/2 thread): two documents
        (
            pd.DataFrame(
                {
                    "text": [
                        "Fine tuning is for tasks",
                        "not for knowledge",
                        "1/2 Shoes",
                        "2/2 run",
                    ],
                    "thread_id": ["a", "a", "b", "b"],
                }
            ),
            2,
        ),
    ],
)
def test_fewer_than_three_documents_are_not_modelled(data, documents):
    with pytest.raises(TooFewPosts) as e:
        fit_topics(data, embedder="hashing", cache=False)
    assert str(e.value) == f"too few posts for topics: {documents} (topics need at least 3)"


def test_posts_with_no_words_end_as_outliers_or_one_topic():
    result = fit_topics(["", "   ", "\t"], embedder="hashing", cache=False)
    assert len(result.topics) == 3


def test_the_same_seed_gives_the_same_topics():
    texts = PLANTED * 3
    a = fit_topics(texts, embedder="static", seed=7, cache=False)
    b = fit_topics(texts, embedder="static", seed=7, cache=False)
    assert a.topics == b.topics
    pd.testing.assert_frame_equal(a.table, b.table)


class PlantedVectors:
    """Vectors with one tight cluster per theme word (the text's first word): a fake model."""

    name, dim = "planted", 32

    def __init__(self, contextual: bool):
        self.contextual = contextual

    def embed(self, texts):
        words = sorted({t.split()[0] for t in texts})
        centres = np.eye(self.dim, dtype=np.float32)
        rng = np.random.default_rng(0)
        X = np.stack([centres[words.index(t.split()[0])] for t in texts])
        return X + rng.normal(0, 0.05, X.shape).astype(np.float32)


SEVEN = ["shoes", "privacy", "founders", "pasta", "guitar", "tennis", "bitcoin"]
SEVEN_POSTS = [
    f"{w} post {' '.join(SEVEN[(i + j) % 7] for j in range(i % 3))}"
    for w in SEVEN
    for i in range(90)
]


@pytest.mark.parametrize(("contextual", "expected"), [(True, 7), (False, 10)])
def test_transformer_vectors_get_the_topic_count_silhouette_sees(contextual, expected):
    # 630 posts: the size rule caps k at 10; transformer vectors pick by silhouette in 5..10
    result = fit_topics(SEVEN_POSTS, embedder=PlantedVectors(contextual), cache=False)
    assert len(set(result.topics) - {-1}) == expected
    if contextual:  # each theme is exactly one topic
        by_theme = [
            {result.topics[i] for i, p in enumerate(SEVEN_POSTS) if p.startswith(w)} for w in SEVEN
        ]
        assert all(len(s) == 1 for s in by_theme)


def test_bad_options_are_refused():
    with pytest.raises(InvalidOption):
        fit_topics(PLANTED, embedder="hashing", nr_topics=0)
    with pytest.raises(InvalidOption):
        fit_topics(PLANTED, embedder="hashing", nr_topics="many")
    with pytest.raises(InvalidOption):
        fit_topics(PLANTED, embedder="nope")


def test_save_and_load_without_pickle_then_transform(planted, tmp_path):
    planted.save(tmp_path / "model")
    assert not list((tmp_path / "model").glob("*.pkl")) and not list(
        (tmp_path / "model").glob("*.bin")
    )
    loaded = TopicResult.load(tmp_path / "model")
    assert loaded.topics == planted.topics
    pd.testing.assert_frame_equal(loaded.table, planted.table)
    new, _ = loaded.transform(["Cushioning matters in running shoes", "API data and privacy"])
    assert new == [planted.topics[0], planted.topics[6]]


def test_loading_a_saved_model_stays_offline_and_torch_free(planted, tmp_path):
    # BERTopic's loader tries SentenceTransformer(<saved name>) first: online, that retries the
    # hub for ~70 s; socialscan hides sentence-transformers while it loads
    planted.save(tmp_path / "model")
    code = (
        "import sys\n"
        "from socialscan.topics import TopicResult\n"
        f"r = TopicResult.load({str(tmp_path / 'model')!r})\n"
        "print(len(r.topics), sorted(m for m in ('sentence_transformers', 'torch') if m in sys.modules))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "HF_HUB_OFFLINE"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        timeout=60,
    )
    assert out.stdout.split("\n")[0] == f"{len(PLANTED)} []"


def test_topics_fit_save_and_load_offline_without_hf_hub_offline(tmp_path):
    # the machine has no network: a hub lookup would fail or retry for a minute. The topics stage
    # hands BERTopic an embedder object and the vectors, so nothing resolves a hub name, and
    # it leaves the process environment as it found it
    code = (
        "import os\n"
        "from socialscan.topics import TopicResult, fit_topics\n"
        f"posts = {PLANTED!r}\n"
        "r = fit_topics(posts, embedder='minilm-onnx', nr_topics=3, cache=False)\n"
        f"r.save({str(tmp_path / 'model')!r})\n"
        f"back = TopicResult.load({str(tmp_path / 'model')!r})\n"
        "print(back.topics == r.topics, back.transform(posts[:2])[0] == r.topics[:2], "
        "'HF_HUB_OFFLINE' in os.environ)\n"
    )
    env = {
        k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    }
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=240
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split("\n")[0] == "True True False"


def test_modules_hidden_from_bertopic_stay_importable_on_other_threads(monkeypatch):
    # BERTopic imports in the background (torch etc. hidden) while the embedder runs, and an
    # embedder may import what it needs at that moment
    from socialscan.topics.engine import _hiding

    monkeypatch.delitem(sys.modules, "colorsys", raising=False)
    other: dict = {}
    with _hiding(["colorsys"]) as hidden:
        assert hidden == ["colorsys"]
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module("colorsys")
        t = threading.Thread(target=lambda: other.update(m=importlib.import_module("colorsys")))
        t.start()
        t.join()
    assert other["m"].__name__ == "colorsys"
    assert importlib.import_module("colorsys") is other["m"]


def test_frame_over_time_and_per_class(planted):
    df = pd.DataFrame(
        {
            "text": PLANTED,
            "kind": ["post", "reply"] * 9,
            "created_at": ["2023-01-01T10:00:00Z", "2023-01-02T10:00:00Z", None] * 6,
            "labels": [["product_plug"], [], ["privacy_statement", "self_promotion"]] * 6,
        }
    )
    f = planted.frame(df)
    assert {"topic", "topic_label", "x", "y"} <= set(f.columns) and "topic" not in df.columns
    ot = planted.over_time(df)
    assert list(ot.columns) == ["time", "topic", "label", "count"] and ot["count"].sum() == 12
    assert planted.over_time(df.drop(columns="created_at")) is None
    assert planted.per_class(df, "kind")["count"].sum() == 18
    by_label = planted.per_class(df, "labels")
    assert by_label["count"].sum() == 18 and set(by_label["labels"]) == {
        "product_plug",
        "privacy_statement",
        "self_promotion",
    }
    with pytest.raises(InvalidOption):
        planted.frame(df.head(3))


def test_cli_adds_topic_columns_and_writes_the_table(tmp_path):
    src = tmp_path / "posts.txt"
    src.write_text("\n".join(PLANTED) + "\n", encoding="utf-8")
    out, table = tmp_path / "topics.csv", tmp_path / "topics.json"
    r = CliRunner().invoke(
        main,
        [
            "topics",
            str(src),
            "--format",
            "lines",
            "--nr-topics",
            "3",
            "-o",
            str(out),
            "--topics-out",
            str(table),
        ],
    )
    assert r.exit_code == 0, r.output
    df = pd.read_csv(out)
    assert df.columns[-2:].tolist() == ["topic", "topic_label"] and len(df) == len(PLANTED)
    rows = json.loads(table.read_text())
    assert [row["topic"] for row in rows] == sorted(set(df["topic"]))
    assert sum(row["size"] for row in rows) == len(PLANTED)


def test_cli_refuses_a_bad_topic_count(tmp_path):
    src = tmp_path / "posts.txt"
    src.write_text("one\ntwo\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["topics", str(src), "--format", "lines", "--nr-topics", "lots"])
    assert r.exit_code == 2 and "nr_topics" in r.output


def test_cli_start_up_stays_light():
    code = "import sys, socialscan.cli, socialscan.topics; print(sorted(m for m in ('torch', 'bertopic', 'umap') if m in sys.modules))"
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip()
        == "[]"
    )


def test_a_model_fitted_on_a_thousand_real_posts_saves_and_loads(tmp_path, shared_data):
    """Pruned vocabularies (min_df on 1,000+ posts) hold numpy ints that JSON rejects."""
    from socialscan.topics import fit_topics
    from socialscan.topics.result import TopicResult

    lines = (shared_data / "tweeteval" / "hate" / "train_text.txt").read_text().splitlines()
    result = fit_topics([ln for ln in lines[:1500] if ln.strip()], embedder="static", seed=1)
    loaded = TopicResult.load(result.save(tmp_path / "model"))
    assert loaded.table["topic"].tolist() == result.table["topic"].tolist()
    topics, _ = loaded.transform(lines[1500:1510])
    assert len(topics) == 10


def test_topic_terms_stay_inside_one_post_and_skip_stop_words():
    # BERTopic joins a topic's posts before counting: "comfy running" would be a bigram no one
    # wrote, as would "begs question" from "begs the question".
    posts = [
        "My shoes are comfy",
        "Running daily begs the question",
        "I’ve said trail shoes can't lose",
    ] * 3
    result = fit_topics(posts, embedder="hashing", nr_topics=1, cache=False)
    terms = set(result.model.vectorizer_model.get_feature_names_out())  # every candidate term
    assert {"shoes", "comfy", "running", "trail shoes"} <= terms
    assert set(result.table["terms"][0]) <= terms
    assert not terms & {
        "comfy running",
        "question ve",
        "begs question",
        "ve",
        "can't",
        "lose shoes",
    }


@pytest.mark.parametrize("posts", [["only one post"], ["one post", "and a reply"]])
def test_cli_writes_the_records_without_topics_when_there_are_too_few(tmp_path, posts):
    src = tmp_path / "posts.txt"
    src.write_text("\n".join(posts) + "\n", encoding="utf-8")
    out, table = tmp_path / "topics.jsonl", tmp_path / "topics.json"
    args = ["topics", str(src), "--format", "lines", "-o", str(out), "--topics-out", str(table)]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert r.stderr.strip() == f"too few posts for topics: {len(posts)} (topics need at least 3)"
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [row["text"] for row in rows] == posts
    assert all(row["topic"] is None and row["topic_label"] is None for row in rows)
    assert json.loads(table.read_text()) == []


def test_cli_summary_counts_in_words(tmp_path):
    src = tmp_path / "posts.txt"
    src.write_text("\n".join(THEMES["shoes"][:3]) + "\n", encoding="utf-8")
    r = CliRunner().invoke(
        main,
        ["topics", str(src), "--format", "lines", "--nr-topics", "1", "-o", str(tmp_path / "o")],
    )
    assert r.exit_code == 0, r.output
    assert r.stderr.strip().startswith("3 posts, 1 topic, 0 outliers (")


@pytest.mark.parametrize(
    ("tag", "words"),
    [
        ("FineTuning", "Fine Tuning"),
        ("ChatGPT", "Chat GPT"),
        ("ChatGPTs", "Chat GPTs"),  # not "Chat GP Ts": the source of a term "chat gp"
        ("LLMs", "LLMs"),
        ("OpenLLMsRock", "Open LLMs Rock"),
        ("GPTModel", "GPT Model"),
        ("AI", "AI"),
        ("web3", "web 3"),
    ],
)
def test_hashtags_split_into_the_words_people_read(tag, words):
    from socialscan.topics.text import split_hashtag

    assert split_hashtag(tag) == words


@pytest.mark.parametrize(
    ("post", "absent", "present"),
    [
        ("#ChatGPT #OpenAI", {"gpt open"}, {"chat gpt", "open ai"}),
        ("Try it now #ai #chatbots #googlebard", {"ai chatbots", "chatbots googlebard"}, {"ai"}),
        ("I love #ChatGPT today", set(), {"love chat", "gpt today"}),  # a hashtag inside a phrase
    ],
)
def test_a_list_of_hashtags_is_not_a_phrase(post, absent, present):
    from socialscan.topics.text import TermAnalyzer, english_stop_words

    terms = set(TermAnalyzer(english_stop_words())(post))
    assert not terms & absent and present <= terms


def _repeating(terms):
    from socialscan.topics.terms import repeats

    return [(a, b) for i, a in enumerate(terms) for b in terms[:i] if repeats(a, b)]


@pytest.mark.parametrize(
    "source", ["seed", "chatgpt-tweets/Oceania.csv", "chatgpt-tweets/South America.csv"]
)
def test_no_term_repeats_a_higher_ranked_one_and_terms_follow_their_weight(
    source, seed_path, shared_data
):
    path = seed_path if source == "seed" else shared_data / source
    result = fit_topics(socialscan.parse(path), embedder="static", seed=3)
    for row in result.table.itertuples():
        assert not _repeating(row.terms), (row.topic, row.terms)
        scored = result.model.get_topic(row.topic)
        assert [w for w, _ in scored] == row.terms
        weights = [w for _, w in scored]
        assert weights == sorted(weights, reverse=True)
        if row.topic != -1:
            assert row.label == ", ".join(row.terms[:3])


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("fine tuning", "tuning"),
        ("llm", "llms"),
        ("chat gpt", "chatgpt"),
        ("los angeles", "angeles california"),
        ("feminist", "feminists"),
        ("open ai", "openai"),
    ],
)
def test_a_repeat_never_reaches_the_label(first, then):
    from socialscan.topics.table import label_for

    assert label_for(0, [first, then, "prompt", "data"]) == f"{first}, prompt, data"


def test_one_topic_has_one_label_in_every_output(seed_path, tmp_path):
    from html import unescape

    from socialscan.pipeline import scan
    from socialscan.report.terminal import format_plain
    from socialscan.results import summarize

    report = tmp_path / "report.html"
    r = scan(seed_path, claims=False, topic_embedder="hashing", report=report)
    labels = dict(zip(r.topic_table["topic"], r.topic_table["label"], strict=True))
    assert dict(zip(r.frame["topic"], r.frame["topic_label"], strict=False)) == labels
    plain = format_plain(summarize(r.frame, stats=r.stats, topic_table=r.topic_table), width=200)
    html = unescape(report.read_text(encoding="utf-8"))
    for topic, label in labels.items():
        if topic == -1:
            continue
        assert re.search(rf"^ +{topic} +\d+  {re.escape(label)}(,|$)", plain, re.M), plain
        assert f"{topic} · {label}" in html
    # the topics command labels the same posts the same way
    out = CliRunner().invoke(
        main,
        ["topics", str(seed_path), "--topic-embedder", "static", "-o", str(tmp_path / "t.jsonl")],
    )
    assert out.exit_code == 0, out.output
    fitted = fit_topics(socialscan.parse(seed_path), embedder="static")
    rows = [json.loads(x) for x in (tmp_path / "t.jsonl").read_text().splitlines()]
    assert [row["topic_label"] for row in rows] == fitted.labels


def test_a_saved_model_assigns_posts_as_the_fit_did(tmp_path, shared_data):
    """After a safetensors load BERTopic compares posts with mean topic vectors, not with the
    k-means centroids of the fit: 3.5% of 30,000 chatgpt-tweets posts moved topic that way."""
    lines = (shared_data / "tweeteval" / "hate" / "train_text.txt").read_text().splitlines()
    texts = [ln for ln in lines[:1500] if ln.strip()]
    result = fit_topics(texts, embedder="static", seed=1)
    loaded = TopicResult.load(result.save(tmp_path / "model"))
    kept = [i for i, t in enumerate(result.topics) if t != -1]
    again = loaded.transform([texts[i] for i in kept])[0]
    assert again == [result.topics[i] for i in kept]


def test_a_large_corpus_is_clustered_on_its_sample(monkeypatch):
    import socialscan.topics.sample as sample

    texts = PLANTED * 30  # 540 posts; the sample stands at 200 for the test
    whole = fit_topics(texts, embedder="hashing", nr_topics=3, cache=False)
    monkeypatch.setattr(sample, "FIT_SAMPLE", 200)
    drawn = sample.sampled_rows(texts, len(texts))
    assert len(drawn) == 200 and drawn == sorted(drawn)
    part = fit_topics(texts, embedder="hashing", nr_topics=3, cache=False)
    assert len(part.topics) == len(texts) and -1 not in part.topics
    # the planted themes come back from the sample as from the whole
    theme = [THEMES_OF[t] for t in texts]
    for r in (whole, part):
        assert all(
            len({tp for tp, th in zip(r.topics, theme, strict=True) if th == k}) == 1
            for k in THEMES
        )


THEMES_OF = {t: name for name, ts in THEMES.items() for t in ts}
