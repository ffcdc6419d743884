"""The parse CLI: output formats, one-line errors with exit 2, atomic writes, light imports."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from socialscan.cli import main
from socialscan.records import COLUMNS


@pytest.fixture
def runner():
    return CliRunner()


def test_parse_writes_jsonl_to_stdout_and_a_summary_to_stderr(runner, seed_path):
    result = runner.invoke(main, ["parse", str(seed_path)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert list(records[0]) == list(COLUMNS)
    assert records[-1]["line_end"] == 42
    assert "42 lines read:" in result.stderr and "0 bytes replaced" in result.stderr


def test_parse_to_csv_defuses_formulas(runner, tmp_path):
    src = tmp_path / "d.txt"
    src.write_text('=HYPERLINK("http://evil")\n@bob hi there\n')
    out = tmp_path / "out.csv"
    result = runner.invoke(main, ["parse", str(src), "--format", "lines", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[0]["text"] == '\'=HYPERLINK("http://evil")'
    assert rows[1]["text"] == "'@bob hi there"


def test_parse_to_parquet_keeps_text_verbatim(runner, tmp_path, seed_path):
    out = tmp_path / "posts.parquet"
    result = runner.invoke(main, ["parse", str(seed_path), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.column_names == list(COLUMNS)
    assert table.column("text")[0].as_py().startswith("There's a resurgence")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "is a directory"),
    ],
)
def test_bad_inputs_get_one_line_and_exit_2(runner, tmp_path, make, message):
    result = runner.invoke(main, ["parse", str(make(tmp_path))])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_binary_file_is_refused(runner, tmp_path):
    png = tmp_path / "image.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    result = runner.invoke(main, ["parse", str(png)])
    assert result.exit_code == 2 and "binary" in result.stderr


def test_unwritable_output_leaves_nothing(runner, tmp_path, seed_path):
    result = runner.invoke(
        main, ["parse", str(seed_path), "-o", str(tmp_path / "no" / "dir" / "x.jsonl")]
    )
    assert result.exit_code == 2 and result.stderr.startswith("Error: ")
    assert not (tmp_path / "no").exists()


def test_a_failed_run_leaves_no_partial_output(runner, tmp_path, seed_path):
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        main, ["parse", str(seed_path), str(tmp_path / "missing.txt"), "-o", str(out)]
    )
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


def test_unknown_format_is_a_usage_error(runner, seed_path):
    result = runner.invoke(main, ["parse", str(seed_path), "--format", "xml"])
    assert result.exit_code == 2 and "xml" in result.output


def test_eval_segments_scores_against_gold(runner, tmp_path):
    dump = tmp_path / "d.txt"
    dump.write_text(
        "@ann Totally agree with this take on pricing.\n"
        "@bob_dev I think you are wrong here, the API got cheaper last month.\n"
        "https://t.co/x1Yz9AbCdE\n"
        "@carol Congrats on the launch! Looks great.\n"
    )
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        "\n".join(json.dumps({"line_start": s, "line_end": e}) for s, e in [(1, 1), (2, 3), (4, 4)])
    )
    result = runner.invoke(main, ["eval", "segments", str(dump), str(gold), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["f1"] == 1.0 and scores["window_diff"] == 0.0


def test_every_command_has_help_text():
    def walk(cmd, path):
        yield path, cmd
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, [*path, name])

    for path, cmd in walk(main, []):
        assert (cmd.help or "").strip(), f"socialscan {' '.join(path)} has no help"


@pytest.mark.parametrize("args", [["--help"], ["parse", "corpora/seed_dump.txt", "-q"]])
def test_help_and_parse_never_import_heavy_libraries(args):
    code = (
        f"import sys, runpy; sys.argv = ['socialscan', *{args!r}]\n"
        "try:\n    runpy.run_module('socialscan', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('torch', 'transformers', 'bertopic', 'umap', 'sentence_transformers', 'hdbscan', 'sklearn') if m in sys.modules)\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=str(__import__("pathlib").Path(__file__).parents[1]),
    )
    assert "HEAVY=" in proc.stderr and proc.stderr.rsplit("HEAVY=", 1)[1].strip() == ""


def test_eval_segments_can_score_a_thread_as_one_unit(runner, tmp_path):
    from test_parse import THREAD

    dump = tmp_path / "thread.txt"
    dump.write_text(THREAD)
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        "\n".join(json.dumps({"line_start": s, "line_end": e}) for s, e in [(1, 1), (2, 6)])
    )
    scores = {}
    for flag in ([], ["--join-threads"]):
        result = runner.invoke(main, ["eval", "segments", str(dump), str(gold), "--json", *flag])
        assert result.exit_code == 0, result.output
        scores[bool(flag)] = json.loads(result.stdout)
    assert scores[True]["f1"] == 1.0 and scores[True]["predicted_units"] == 2
    assert scores[False]["predicted_units"] == 4 and scores[False]["precision"] < 0.5
