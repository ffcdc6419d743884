"""Claim tagging: the seed's units, offsets and evidence, taxonomies, frames, the API and the CLI."""

from __future__ import annotations

from pathlib import Path

import orjson
import pandas as pd
import pytest
from click.testing import CliRunner

import socialscan
from socialscan.claims import Claim, load_taxonomy, tag_frame, tag_texts
from socialscan.cli import main
from socialscan.errors import InvalidTaxonomy

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpora" / "seed_dump.txt"
GOLD = Path(__file__).parent / "data" / "claims_gold.jsonl"
LABELS = ["finetuning_advice", "product_plug", "privacy_statement", "self_promotion"]

# The seed's units as a person sees them, and the labels each must get.
# Unit 39 (a reply praising someone's AI community and "first cohort course") is left open by
# the spec: it compliments a person rather than recommending a product to others, so the
# tagger gives it nothing; the test only checks that it is not mistaken for advice or privacy.
SEED_UNITS = [
    pytest.param(
        (1, 27),
        ["finetuning_advice"],
        marks=pytest.mark.xfail(
            strict=True,
            reason="known miss: the shipped model also reads 'store your data in an outside "
            "database' (retrieval advice) as a privacy statement",
        ),
    ),
    ((28, 30), ["self_promotion"]),
    ((31, 32), ["privacy_statement"]),
    ((33, 33), []),
    ((34, 35), ["product_plug"]),
    ((36, 38), ["product_plug"]),
    ((40, 42), []),
]


def seed_unit(start: int, end: int) -> str:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    return "\n".join(lines[start - 1 : end])


@pytest.mark.parametrize(("span", "labels"), SEED_UNITS)
def test_seed_units_get_their_labels(span, labels):
    claims = tag_texts([seed_unit(*span)])[0]
    assert sorted({c.label for c in claims}) == labels


def test_the_seeds_fine_tuning_post_is_fine_tuning_advice_first():
    claims = tag_texts([seed_unit(1, 27)])[0]
    advice = [c for c in claims if c.label == "finetuning_advice"]
    assert len(advice) >= 3 and max(c.score for c in advice) > max(
        c.score for c in claims if c.label != "finetuning_advice"
    )


def test_seed_unit_39_is_neither_advice_nor_privacy():
    labels = {c.label for c in tag_texts([seed_unit(39, 39)])[0]}
    assert not labels & {"finetuning_advice", "privacy_statement"}


def test_claims_point_at_their_sentence_with_evidence():
    text = seed_unit(31, 32)
    (claim,) = tag_texts([text])[0]
    assert text[claim.start : claim.end] == claim.text
    assert claim.text.startswith("openai never trains on anything")
    assert "trains on" in claim.evidence["cues"]
    assert isinstance(claim.evidence["example"], str) and 0 < claim.evidence["similarity"] <= 1
    assert claim.attributes == {"actor": "openai", "polarity": "assurance"}
    threshold = socialscan.claims.ClaimModel.default().thresholds[LABELS.index("privacy_statement")]
    assert threshold <= claim.score <= 1.0


def test_a_plug_names_its_products():
    claims = tag_texts([seed_unit(34, 35)])[0]
    products = {p for c in claims for p in c.attributes["products"]}
    assert {"On Running", "Gen CloudSurfer"} <= products


@pytest.mark.parametrize(
    ("text", "polarity"),
    [
        ("We never sell your personal data to anyone.", "assurance"),
        ("We share your personal data with our advertising partners.", "disclosure"),
        ("Don't paste confidential data into the chatbot.", "warning"),
    ],
)
def test_privacy_polarity(text, polarity):
    claims = [c for c in tag_texts([text])[0] if c.label == "privacy_statement"]
    assert claims and claims[0].attributes["polarity"] == polarity


def test_every_text_gets_a_list_even_empty_ones():
    out = tag_texts(["", "   ", "https://t.co/abc", "Give it a try!"])
    assert [len(x) for x in out[:3]] == [0, 0, 0] and out[3][0].label == "product_plug"


def test_claim_to_dict_has_the_contract_keys():
    d = Claim("product_plug", 0.9, "Give it a try", 0, 13, {"cues": []}, {}).to_dict()
    assert list(d) == ["label", "score", "text", "start", "end", "evidence", "attributes"]


def test_tag_frame_adds_claims_labels_and_a_score_per_label():
    posts = socialscan.parse(
        seed_unit(28, 30) + "\nhttps://t.co/x\n@bo Nice weather today.", format="lines"
    )
    df = tag_frame(socialscan.to_frame(posts))
    assert {"claims", "labels", *(f"score_{x}" for x in LABELS)} <= set(df.columns)
    assert df["labels"].tolist()[-1] == []
    assert "self_promotion" in {lab for labs in df["labels"] for lab in labs}
    threshold = socialscan.claims.ClaimModel.default().thresholds[LABELS.index("self_promotion")]
    assert df["score_self_promotion"].max() >= threshold
    assert df["score_product_plug"].iloc[-1] == 0.0


def test_top_level_tag_on_text_and_on_posts():
    assert [c.label for c in socialscan.tag("Sign up now and get 30% off!")] == ["product_plug"]
    posts = socialscan.parse("Sign up now and get 30% off!\nGood morning all", format="lines")
    records = socialscan.tag(posts)
    assert [r["labels"] for r in records] == [["product_plug"], []]
    assert records[0]["id"] == posts[0].id and records[0]["claims"][0]["label"] == "product_plug"


def test_default_taxonomy_labels_have_descriptions_cues_and_examples():
    tax = load_taxonomy()
    assert tax.labels == LABELS
    for label in tax:
        assert label.description and label.cues and len(label.examples) >= 5


def test_a_user_taxonomy_adds_a_label(tmp_path):
    path = tmp_path / "tax.yaml"
    path.write_text(
        "labels:\n"
        "  giveaway:\n"
        "    description: Contests and giveaways.\n"
        "    cues:\n"
        "      phrases: [{phrase: giveaway, weight: 3}, retweet to win]\n"
        "    examples: [Retweet to win a free phone!]\n",
        encoding="utf-8",
    )
    tax = load_taxonomy(path)
    assert tax.labels == [*LABELS, "giveaway"]
    claims = tag_texts(["Huge giveaway this week: retweet to win!"], path)[0]
    assert "giveaway" in {c.label for c in claims}


def test_replace_true_keeps_only_the_users_labels(tmp_path):
    path = tmp_path / "tax.json"
    path.write_bytes(
        orjson.dumps(
            {
                "replace": True,
                "labels": {
                    "weather": {"description": "Talk about weather.", "cues": {"phrases": ["rain"]}}
                },
            }
        )
    )
    assert load_taxonomy(path).labels == ["weather"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("labels: [a, b]\n", "expected a mapping"),
        ("labels:\n  x: {cues: {phrases: [a]}}\n", "needs a description"),
        ("labels:\n  x: {description: d}\n", "needs cues or examples"),
        (
            "labels: {x: {description: d, cues: {patterns: [{pattern: [{LOWER: {IN: 3}}]}]}}}\n",
            "bad pattern",
        ),
    ],
)
def test_bad_taxonomies_are_explained(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidTaxonomy, match=message):
        tag_texts(["hello"], path)


def test_cli_tag_writes_records_with_claims(tmp_path):
    out = tmp_path / "tagged.jsonl"
    r = CliRunner().invoke(main, ["tag", str(SEED), "--format", "lines", "-o", str(out), "--quiet"])
    assert r.exit_code == 0, r.output
    recs = [orjson.loads(x) for x in out.read_bytes().splitlines()]
    assert len(recs) > 10 and all("claims" in x and "labels" in x for x in recs)
    by_line = {x["line_start"]: x["labels"] for x in recs}
    assert by_line[32] == ["privacy_statement"] and by_line[33] == []


def test_cli_tag_csv_keeps_claims_as_text(tmp_path):
    out = tmp_path / "tagged.csv"
    r = CliRunner().invoke(main, ["tag", str(SEED), "--format", "lines", "-o", str(out), "-q"])
    assert r.exit_code == 0, r.output
    df = pd.read_csv(out)
    assert {"claims", "labels"} <= set(df.columns)


def test_cli_tag_bad_taxonomy_is_a_one_line_error(tmp_path):
    r = CliRunner().invoke(
        main, ["tag", str(SEED), "--taxonomy", str(tmp_path / "missing.yaml"), "-q"]
    )
    assert r.exit_code == 2
    assert "no such taxonomy file" in r.output


def test_cli_eval_claims_prints_per_label_scores_support_and_confusions():
    r = CliRunner().invoke(main, ["eval", "claims", str(GOLD), "--json"])
    assert r.exit_code == 0, r.output
    s = orjson.loads(r.output)
    assert [x["label"] for x in s["labels"]] == LABELS
    assert [x["support"] for x in s["labels"]] == [2, 2, 2, 2]
    assert s["macro_f1"] >= 0.75
    assert sum(s["confusions"]["none"].values()) == 4  # 4 gold posts with no label
    r = CliRunner().invoke(main, ["eval", "claims", str(GOLD), "--model", "zero-shot"])
    assert r.exit_code == 0 and "| gold \\ predicted |" in r.output and "support" in r.output


USER_LABELS = Path(__file__).parent / "data" / "claims_user_labels.jsonl"


def test_cli_train_claims_compares_zero_shot_and_trained_and_tag_uses_the_model(tmp_path):
    model = tmp_path / "giveaway-model"
    r = CliRunner().invoke(main, ["train", "claims", str(USER_LABELS), "-o", str(model), "-q"])
    assert r.exit_code == 0, r.output
    assert "| giveaway |" in r.output and "zero-shot P / R / F1" in r.output
    assert "learning curve" in r.output and "fewer than 30" in r.output  # 16 training positives
    meta = orjson.loads((model / "model.json").read_bytes())
    assert meta["labels"] == ["giveaway"] and (model / "head.safetensors").is_file()
    posts = tmp_path / "posts.txt"
    posts.write_text(
        "Retweet and follow us to win a free bike, winner picked on Monday!\n"
        "The weather is lovely today, off for a walk.\n"
        "We never sell your personal data to anyone.\n",
        encoding="utf-8",
    )
    out = tmp_path / "t.jsonl"
    args = ["tag", str(posts), "--format", "lines", "--model", str(model), "-o", str(out), "-q"]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    labels = [orjson.loads(x)["labels"] for x in out.read_bytes().splitlines()]
    # the new label from the user's model, the default labels from the shipped one
    assert "giveaway" in labels[0] and labels[1] == [] and labels[2] == ["privacy_statement"]


def test_train_claims_json_report_has_both_scorers_and_the_curve(tmp_path):
    r = CliRunner().invoke(
        main, ["train", "claims", str(USER_LABELS), "-o", str(tmp_path / "m"), "--json", "-q"]
    )
    assert r.exit_code == 0, r.output
    rep = orjson.loads(r.output)
    assert rep["sizes"]["test"] > 0 and rep["trained"]["labels"][0]["label"] == "giveaway"
    assert rep["trained"]["macro_f1"] > rep["zero_shot"]["macro_f1"]
    assert [n for n, _ in rep["curve"]] == sorted(n for n, _ in rep["curve"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"text": "no labels here"}\n', "expected"),
        ('{"text": "a", "labels": []}\n' * 20, "no post carries a label"),
        ('{"pointer": "chatgpt-tweets/Asia.csv#row=1", "labels": ["x"]}\n', "--data DIR"),
    ],
)
def test_train_claims_explains_what_it_cannot_learn_from(tmp_path, content, message):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, encoding="utf-8")
    r = CliRunner().invoke(main, ["train", "claims", str(bad), "-o", str(tmp_path / "h")])
    assert r.exit_code == 2 and message in r.output
    assert not (tmp_path / "h").exists()


def test_large_inputs_tagged_in_worker_processes_match_one_process():
    from socialscan.claims import get_tagger

    texts = [
        "Give it a try, sign up today!",
        "Fine-tuning beats prompting only when the task is hard to describe.",
        "We never sell your personal data to anyone.",
        "Nice weather in Lisbon.",
    ] * 1500
    tagger = get_tagger()
    one = tagger.tag_texts(texts, workers=1)
    two = tagger.tag_texts(texts, workers=2)
    assert [[c.to_dict() for c in cs] for cs in one] == [[c.to_dict() for c in cs] for cs in two]
    assert sum(bool(cs) for cs in two) >= 4000
