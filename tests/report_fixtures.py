"""Hand-made enriched frames in the shape the claims and topics stages promise, for report tests.

Not a test module (no ``test_`` prefix): the report tests import from it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import socialscan

XSS_POSTS = (
    "Totally safe post <script>window.__xss = 1; alert(1)</script> nothing to see",
    'Look at this <img src=x onerror="window.__xss = 2; alert(2)"> picture',
    "Closing tags in data </script><!-- <script>window.__xss = 3</script> &amp; more",
)

LABELS = ("advice", "cost_claim", "privacy_statement", "product_plug", "self_promotion")


def seed_frame(seed_path, extra: tuple[str, ...] = XSS_POSTS) -> pd.DataFrame:
    """The seed corpus parsed one post a line, plus hostile posts at the end."""
    text = seed_path.read_text(encoding="utf-8").rstrip("\n") + "\n" + "\n".join(extra)
    df = socialscan.to_frame(socialscan.parse(text, format="lines"))
    df["source"] = "seed_dump.txt"
    return df


def _claim(label: str, text: str, score: float, **attributes) -> dict:
    return {
        "label": label,
        "score": score,
        "text": text,
        "start": 0,
        "end": len(text),
        "evidence": {
            "cues": [text.split()[0].lower()],
            "example": "an example",
            "similarity": score,
        },
        "attributes": attributes,
    }


def add_claims(df: pd.DataFrame) -> pd.DataFrame:
    """Tag by keywords, in the claims stage's output shape."""
    df = df.copy()
    claims = []
    for text in df["text"]:
        low = text.lower()
        found = []
        if "fine tuning" in low or "prompt" in low:
            found.append(_claim("advice", text, 0.6 + 0.01 * len(text) % 0.3))
        if "cost" in low:
            found.append(_claim("cost_claim", text, 0.8))
        if "openai never trains" in low:
            found.append(_claim("privacy_statement", text, 0.95, actor="OpenAI", polarity="denies"))
        if "cloudsurfer" in low or "give it a try" in low:
            found.append(
                _claim(
                    "product_plug",
                    text,
                    0.9,
                    products=["Gen CloudSurfer"] if "cloud" in low else [],
                )
            )
        if "youtube" in low or "<script>" in low:
            found.append(_claim("self_promotion", text, 0.7))
        claims.append(found)
    df["claims"] = claims
    df["labels"] = [sorted({c["label"] for c in cs}) for cs in claims]
    for lab in LABELS:
        df[f"score_{lab}"] = [
            max([c["score"] for c in cs if c["label"] == lab], default=0.0) for cs in claims
        ]
    return df


def add_topics(
    df: pd.DataFrame, n_topics: int = 4, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Assign topics round-robin-ish with 2-D coordinates; returns (frame, topic table)."""
    rng = np.random.default_rng(seed)
    df = df.copy()
    topics = np.array([(-1 if i % 9 == 8 else i % n_topics) for i in range(len(df))])
    centres = rng.normal(0, 5, size=(n_topics + 1, 2))
    xy = centres[topics + 1] + rng.normal(0, 1, size=(len(df), 2))
    df["topic"] = topics
    df["topic_label"] = [f"{t}_llm_tuning_prompt" if t >= 0 else "-1_the_a" for t in topics]
    df["x"], df["y"] = xy[:, 0], xy[:, 1]
    terms = [
        ["llm", "tuning", "prompt"],
        ["running", "shoes", "cloud"],
        ["cost", "model", "tasks"],
        ["founders", "markets", "kid"],
    ]
    table = pd.DataFrame(
        {
            "topic": [-1, *range(n_topics)],
            "size": [int((topics == t).sum()) for t in [-1, *range(n_topics)]],
            "label": ["-1_the_a", *[f"{t}_" + "_".join(terms[t % 4]) for t in range(n_topics)]],
            "terms": [["the", "a"], *[terms[t % 4] for t in range(n_topics)]],
            "representative": [
                [],
                *[[df.loc[topics == t, "text"].iloc[0]] for t in range(n_topics)],
            ],
        }
    )
    return df, table


def enriched(seed_path, n_topics: int = 4) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Seed + hostile posts, with claims and topics."""
    return add_topics(add_claims(seed_frame(seed_path)), n_topics=n_topics)
