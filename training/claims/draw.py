"""Draw the posts of the claims corpus: half uniformly at random, half from pools built to find
positives. Run once; the draw is recorded per post in ``selection`` and is reproducible.

    python -m training.claims.draw OUT.jsonl

Pools are keyword searches: they decide which posts are read, never their labels (every post is
labelled by reading it). Reserved posts (../shared/data/RESERVED.tsv) and any copy of their text
are left out, as are copies of a post already drawn.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys

from . import sources as cs

SEED = 19

RANDOM = {"chatgpt-tweets": 1350, "twarc-jsonl": 250, "tweeteval": 500}

# Broad searches, several families each, so that positives of many shapes are read.
POOLS = {
    "kw-finetuning": (
        650,
        ("chatgpt-tweets", "twarc-jsonl"),
        r"fine[- ]?tun|prompt(s|ing|ed)?\b|few[- ]shot|zero[- ]shot|\bRAG\b|retriev|embedding|"
        r"vector (db|database|store)|training data|train(ed|ing)? (it|on|a|your)|dataset|overfit|"
        r"act as\b|pretend (you|to)|chain[- ]of[- ]thought|step[- ]by[- ]step|system prompt|"
        r"context (window|length)|langchain|llama ?index|gpt[- ]?index|evaluat|benchmark|"
        r"(smaller|cheaper) model|give it (some )?(examples|context)|your own (data|documents|docs)|"
        r"instruct|rlhf|hallucinat|temperature|token limit|\bapi\b.*(cost|cheap)|davinci|ada\b|"
        r"be specific|more specific|ask it to|tell it to|role[- ]?play",
    ),
    "kw-privacy": (
        550,
        ("chatgpt-tweets", "twarc-jsonl"),
        r"privacy|private|personal (data|information|info|details)|(your|my|user|users'?|customer) "
        r"data|data (collection|collected|retention|protection|breach|leak)|gdpr|confidential|"
        r"sensitive|stor(e|es|ed|ing) (your|all|every|the|user)|keeps? (everything|your|all)|"
        r"\blog(s|ged|ging)? (your|all|every)|train(s|ed|ing)? on (your|user|our|my|what)|opt[- ]out|"
        r"delete (your|my)|phone number|surveillance|track(s|ing)? (you|users)|sell(s|ing)? "
        r"(your )?data|leak|samsung|garante|robots\.txt|gptbot|chat history|terms of (use|service)|"
        r"proprietary|trade secret|don'?t (paste|share|put|enter)|never (share|paste)|anonymi",
    ),
    "kw-privacy-broad": (
        450,
        ("chatgpt-tweets", "twarc-jsonl"),
        r"\bdata\b|information|\binfo\b|personal|secur|safe(ty|ly)?\b|track|monitor|\bstor(e|ed|es|age)\b|"
        r"\bsave[sd]?\b|employees?|\bban(s|ned)?\b|regulat|\blaw\b|compliance|consent|cookie|"
        r"\bread(s|ing)? (your|my|our)|can see|who (sees|owns)|ownership|copyright|scrap(e|ed|ing)|"
        r"crawl|spy|hack|phishing|account|login|email address|\bid\b|verification",
    ),
    "kw-plug": (
        350,
        ("chatgpt-tweets", "twarc-jsonl", "tweeteval"),
        r"check (it |this |us )?out|try (it|this|now|our|out)|sign ?up|download|waitlist|use code|"
        r"promo|discount|% off|free trial|link in (bio|comments)|\bbuy\b|launch(ed|ing)?|"
        r"introducing|chrome extension|plugin|available (now|on)|get (it|yours|started)|"
        r"\$[A-Z]{2,6}\b|airdrop|presale|bullish|\bgem\b|affiliate|sponsored|#ad\b|"
        r"highly recommend|recommend|best (app|tool)|app store|play store|visit",
    ),
    "kw-self": (
        350,
        ("chatgpt-tweets", "twarc-jsonl", "tweeteval"),
        r"my (new |latest )?(blog|video|podcast|newsletter|course|book|ebook|channel|article|"
        r"post|thread|youtube|substack|webinar|talk|stream)|new video|subscribe|follow (me|us|for)|"
        r"\bdm (me|us)\b|join (my|our|us)|followers|subscribers|🧵|\bthread\b|i wrote|i made|"
        r"i built|we (built|launched|made)|hacks|tips|free (guide|ebook|course)|read more|"
        r"👇|👉|live now|watch (now|here)|episode|my (community|discord|telegram)",
    ),
}


def main(out_path: str) -> None:
    rng = random.Random(SEED)
    posts = list(cs.all_posts())
    banned = cs.reserved_keys(posts)
    seen: set[str] = set(banned)
    # One candidate per text: the first copy in file order stands for the rest.
    candidates = []
    for p in posts:
        if len(p.key) > 15 and p.key not in seen:
            seen.add(p.key)
            candidates.append(p)
    drawn: dict[str, tuple[cs.Source, str]] = {}

    # The 400 posts of the earlier dev set join the corpus (relabelled by the guide): the file
    # as it was before the corpus replaced it (git show 1b376ce:corpora/claims_dev.jsonl).
    by_key = {p.key: p for p in candidates}
    dev400 = subprocess.run(
        ["git", "show", "1b376ce:corpora/claims_dev.jsonl"],
        cwd=cs.ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for line in dev400.splitlines():
        rec = json.loads(line)
        p = by_key.get(cs.text_key(rec["text"]))
        if p is not None and p.key not in drawn:
            drawn[p.key] = (p, f"dev400-{rec['selection']}")

    for dataset, n in RANDOM.items():
        pool = [p for p in candidates if p.dataset == dataset and p.key not in drawn]
        for p in rng.sample(pool, n):
            drawn[p.key] = (p, f"random-{dataset.split('-')[0]}")

    for name, (n, datasets, pattern) in POOLS.items():
        rx = re.compile(pattern, re.IGNORECASE)
        pool = [
            p
            for p in candidates
            if p.dataset in datasets and p.key not in drawn and rx.search(p.text)
        ]
        print(name, "matches", len(pool), file=sys.stderr)
        for p in rng.sample(pool, min(n, len(pool))):
            drawn[p.key] = (p, name)

    with open(out_path, "w", encoding="utf-8") as fh:
        for p, selection in drawn.values():
            fh.write(
                json.dumps({"pointer": p.pointer, "date": p.date, "selection": selection}) + "\n"
            )
    print(len(drawn), "posts", file=sys.stderr)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(
        prog="python -m training.claims.draw",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("out", help="the draw, one JSON line a post")
    main(ap.parse_args().out)
