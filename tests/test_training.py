"""training/ builds the shipped models from the checkout: its examples hold, every script answers
``python -m training.<name> --help``, and none of it is installed with the package."""

from __future__ import annotations

import csv
import doctest
import importlib
import random
import re
import runpy
import sys
import tomllib
from pathlib import Path

import pytest
from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[1]
TRAINING = ROOT / "training"
FILES = {
    ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
    for p in sorted(TRAINING.rglob("*.py"))
}
MODULES = sorted(FILES)
SCRIPTS = [m for m in MODULES if 'if __name__ == "__main__":' in FILES[m].read_text("utf-8")]


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_in_its_docstrings_hold(name):
    result = doctest.testmod(importlib.import_module(name), report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed"


def test_the_scripts_are_the_ones_the_readme_documents():
    readme = (TRAINING / "README.md").read_text(encoding="utf-8")
    assert SCRIPTS, "no script found under training/"
    for name in SCRIPTS:
        assert f"python -m {name}" in readme, f"training/README.md does not show {name}"


@pytest.mark.parametrize("name", SCRIPTS)
@pytest.mark.filterwarnings("ignore:.*found in sys.modules:RuntimeWarning")  # doctests import it
def test_every_script_answers_help_under_its_documented_name(name, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", [name, "--help"])
    with pytest.raises(SystemExit) as exit_:
        runpy.run_module(name, run_name="__main__", alter_sys=False)
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: python -m {name}")


def test_fitting_the_boundary_model_asks_where_to_write_it(monkeypatch, capsys):
    from training.segments import train

    with pytest.raises(SystemExit) as exit_:
        train.main(["--model", "fast"])
    assert exit_.value.code == 2
    assert "the following arguments are required: --out" in capsys.readouterr().err


def test_the_wheel_holds_the_package_only():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found = find_packages(str(ROOT), **config["tool"]["setuptools"]["packages"]["find"])
    assert "socialscan.segment" in found
    assert not [p for p in found if not p.startswith("socialscan")]
    segment = ROOT / "socialscan" / "segment"
    assert not {"synth.py", "train.py"} & {p.name for p in segment.iterdir()}


def _reserved_texts(shared_data: Path) -> dict[str, list[str]]:
    """Each reserved post's text, read by its position the way RESERVED.tsv counts: 0-based data
    rows as csv.reader yields them (header excluded), 1-based lines as the .txt file has them."""
    wanted: dict[str, set[int]] = {}
    for line in (shared_data / "RESERVED.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            source, position = line.split("\t")
            wanted.setdefault(source, set()).add(int(position))
    texts: dict[str, list[str]] = {}
    for source, positions in wanted.items():
        path = shared_data / source
        with path.open(newline="", encoding="utf-8") as fh:
            if source.endswith(".csv"):
                rows = csv.reader(fh)
                column = next(rows).index("Tweet")
                found = [row[column] for n, row in enumerate(rows) if n in positions]
            else:
                found = [t for n, t in enumerate(fh.read().split("\n"), 1) if n in positions]
        assert len(found) == len(positions), f"{source}: a reserved position past its end"
        texts[source] = found
    return texts


def _as_posted(text: str) -> str:
    """A text as the pools compare: stripped, any mention read as TweetEval's masked @user (the
    pools give masked handles made-up names)."""
    return re.sub(r"@\w+", "@user", text.strip())


def test_no_pool_holds_a_reserved_post_and_every_source_still_gives_posts(shared_data):
    from training.segments.sources import copy_key, pools, stance_groups

    reserved = _reserved_texts(shared_data)
    assert any(s.endswith(".csv") for s in reserved) and any(s.endswith(".txt") for s in reserved)
    banned = {_as_posted(t) for texts in reserved.values() for t in texts} - {""}
    P = pools(shared_data, seed=13)
    groups = {
        split: [t for g in stance_groups(shared_data, split) for t in g]
        for split in ("train", "test")
    }
    pooled = {
        f"{part} {name}": {_as_posted(t) for t in texts}
        for part, by_name in P.items()
        for name, texts in by_name.items()
    } | {f"stance {split}": {_as_posted(t) for t in g} for split, g in groups.items()}
    for name, texts in pooled.items():
        assert not texts & banned, f"{name} holds {len(texts & banned)} reserved posts"
    # every file the pools read still gives them posts (the reserved ones only are gone)
    cg, te = shared_data / "chatgpt-tweets", shared_data / "tweeteval"
    every = pooled["train chatgpt"] | pooled["heldout chatgpt"]
    for path in sorted(cg.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            posts = {_as_posted(row["Tweet"]) for row in csv.DictReader(fh)}
        assert len((posts - banned) & every) > 0.5 * len(posts - banned), path.name
    every = pooled["train tweeteval"] | pooled["heldout tweeteval"]
    for path in sorted(te.rglob("t*_text.txt")):
        posts = {_as_posted(t) for t in path.read_text(encoding="utf-8").splitlines()} - {""}
        assert (posts - banned) & every, path.relative_to(te)
    # the twarc samples are cut in halves by text: no copy of a held-out post is trained on
    train_twarc, held_twarc = (P[part]["twarc"] for part in ("train", "heldout"))
    assert len(train_twarc) > 200 and len(held_twarc) > 200
    assert not {copy_key(t) for t in train_twarc} & {copy_key(t) for t in held_twarc}


def test_dev_posts_are_a_tenth_of_each_training_pool_and_never_fitted_on(shared_data):
    from training.segments.sources import copy_key, dev_split, pools

    train = pools(shared_data, seed=13)["train"]
    dev, fit = dev_split(train)
    for name, posts in train.items():
        assert 0.05 < len(dev[name]) / len(posts) < 0.15, name
        assert len(dev[name]) + len(fit[name]) == len(posts)
        assert not {copy_key(t) for t in dev[name]} & {copy_key(t) for t in fit[name]}, name


def test_reserved_rows_are_counted_as_the_reserved_list_counts_them(tmp_path):
    """A CSV row whose quoted field spans lines is one row; a .txt position counts blank lines;
    another row with a reserved post's text is left out as a copy."""
    from training.segments.sources import chatgpt_posts, line_posts

    (tmp_path / "c").mkdir()
    rows = [
        ["Date", "Tweet"],
        ["d", "first post\nsecond line of it"],
        ["d", "kept post one"],
        ["d", "reserved post,\nwith a comma"],
        ["d", "kept post two"],
        ["d", "reserved post,\nwith a comma"],  # a copy of row 2
    ]
    with (tmp_path / "c" / "x.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    (tmp_path / "c" / "t.txt").write_text("one\n\nthree\nfour\n", encoding="utf-8")
    (tmp_path / "RESERVED.tsv").write_text(
        "# source\tposition\nc/x.csv\t2\nc/x.csv\t0\nc/t.txt\t3\n", encoding="utf-8"
    )
    assert chatgpt_posts([tmp_path / "c" / "x.csv"]) == ["kept post one", "kept post two"]
    assert line_posts([tmp_path / "c" / "t.txt"], random.Random(0)) == ["one", "four"]
