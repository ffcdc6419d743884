"""Any input that parses also scans, tags, topic-models and reports: odd inputs a new user tries."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from socialscan.cli import main


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SOCIALSCAN_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.parametrize("text", ["hello\n", "a" * 1000 + "\n", "hello\nhello\nhello\n"])
@pytest.mark.parametrize("command", ["scan", "topics", "report"])
def test_a_one_word_vocabulary_scans_topic_models_and_reports(tmp_path, text, command):
    path = tmp_path / "x.txt"
    path.write_text(text)
    args = [command, str(path)] + (["-o", str(tmp_path / "x.html")] if command == "report" else [])
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert "internal error" not in r.output
