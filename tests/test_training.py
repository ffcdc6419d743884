"""training/ builds the shipped models from the checkout: its examples hold, every script answers
``python -m training.<name> --help``, and none of it is installed with the package."""

from __future__ import annotations

import doctest
import importlib
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
