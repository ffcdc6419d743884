"""A second draw for the rare labels: posts nearest in meaning to sentences written for them.

    python -m training.claims.draw_semantic DRAWN.jsonl OUT.jsonl

The keyword pools found too few privacy statements and fine-tuning advice (most are worded
without the obvious words). These pools rank every remaining post by its MiniLM similarity to a
few sentences written from the guide's definitions and take the nearest ones not drawn yet:
again they only choose which posts are read; readers decide the labels.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np

from . import sources as cs

#: Posts a pool ranks: a data word and a handling verb (privacy), or a model-use word (advice).
FILTERS = {
    "sem-privacy": re.compile(
        r"(?=.*\b(?:data|information|info|personal|privacy|private|confidential|sensitive|secrets?|"
        r"stor(?:e|es|ed|ing)|saves?|security|secure|leak|chats? history|conversations?|prompts?|"
        r"inputs?|email|phone|number|login|account)\b)(?=.*\b(?:collect|use[sd]?|using|train|shar|"
        r"sell|sold|access|read|see|own|protect|keep|kept|log|record|monitor|track|delete|retain|"
        r"review|giv|hand|enter|paste|type|upload|put|feed|submit))",
        re.IGNORECASE | re.DOTALL,
    ),
    "sem-finetuning": re.compile(
        r"prompt|fine[- ]?tun|train|dataset|example|context|retriev|embedding|specific|act as|"
        r"role|step|instruct|tips?\b|trick|better (results|answers|output)|api|model",
        re.IGNORECASE,
    ),
}

PROTOTYPES = {
    "sem-privacy": (
        450,
        [
            "ChatGPT stores everything you type and uses your conversations to train the model.",
            "Don't paste confidential company code or client data into ChatGPT, they use it for training.",
            "OpenAI employees can read your chats, so never share personal information.",
            "This app collects your personal data and shares it with third parties.",
            "We never sell your data and your chats are deleted after 30 days.",
            "Signing up for ChatGPT requires your phone number and email address.",
            "How to stop OpenAI from using your data and content to train its models.",
            "Your prompts are logged, retained and reviewed by the company.",
            "Be careful what you share with AI chatbots, the data is not private.",
            "The chatbot was trained on personal data scraped from the web without consent.",
            "Regulators say the company unlawfully collected users' personal data.",
            "Companies warn employees not to enter sensitive data into ChatGPT.",
        ],
    ),
    "sem-finetuning": (
        270,
        [
            "Give ChatGPT a few examples of the output you want and it will follow the pattern.",
            "Tell ChatGPT to act as an expert before you ask, and you get much better answers.",
            "Use this prompt to get better results from ChatGPT.",
            "Fine-tuning GPT-3 on your own data beats prompting for specialised tasks.",
            "Put your own documents into the prompt as context with embeddings and retrieval.",
            "The more specific your prompt, the better: give context, a role and the format you want.",
            "A prompt engineering guide with the techniques that work.",
            "Ask the model to think step by step and break the task into parts.",
            "Train a small model on your own dataset instead of paying for GPT-4.",
            "Evaluate the model on held-out test data so you know it is not overfitting.",
        ],
    ),
}


def main(drawn_path: str, out_path: str) -> None:
    from socialscan.embed.minilm_onnx import OnnxMiniLMEmbedder

    drawn = {
        json.loads(x)["pointer"] for x in Path(drawn_path).read_text(encoding="utf-8").splitlines()
    }
    posts = [p for p in cs.chatgpt_posts()] + list(cs.twarc_posts())
    banned = cs.reserved_keys(list(cs.all_posts()))
    drawn_keys = {p.key for p in posts if p.pointer in drawn}
    seen = set(banned) | drawn_keys
    cands = []
    for p in posts:
        if len(p.key) > 15 and p.key not in seen:
            seen.add(p.key)
            cands.append(p)
    emb = OnnxMiniLMEmbedder.default()
    x = emb.embed([p.text for p in cands])
    # every post here is about ChatGPT: take out what they share, so that the nearest posts
    # are near in what they say about it
    mean = x.mean(axis=0)
    x = x - mean
    x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-9
    taken: set[str] = set()
    with open(out_path, "w", encoding="utf-8") as fh:
        for name, (n, protos) in PROTOTYPES.items():
            q = emb.embed(protos) - mean
            q /= np.linalg.norm(q, axis=1, keepdims=True) + 1e-9
            s = (x @ q.T).max(axis=1)
            s[[not FILTERS[name].search(p.text) for p in cands]] = -1.0
            order = np.argsort(-s)
            k = 0
            for i in order:
                p = cands[int(i)]
                if p.pointer in taken:
                    continue
                taken.add(p.pointer)
                fh.write(
                    json.dumps({"pointer": p.pointer, "date": p.date, "selection": name}) + "\n"
                )
                k += 1
                if k >= n:
                    break
            print(name, k, "lowest similarity taken", float(s[order[k - 1]]), file=sys.stderr)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(
        prog="python -m training.claims.draw_semantic",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("drawn")
    ap.add_argument("out", help="the draw, one JSON line a post")
    args = ap.parse_args()
    main(args.drawn, args.out)
