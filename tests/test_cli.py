"""The parse CLI: output formats, one-line errors with exit 2, atomic writes."""

from __future__ import annotations

import csv
import json

import click
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


# A reply, then a numbered thread of three posts (lines 2-6), the second and third with a link.
THREAD = """@maria_k Thanks, that helped a lot with my setup!
We just shipped offline topic modelling in socialscan. Here is what changed 🧵 1/3
https://t.co/a1b2c3d4e5
Parsing now streams, so a 1 GB dump stays in flat memory. 2/3
https://t.co/f6g7h8i9j0
Next up: a Dask engine for the really big archives. 3/3
"""


def test_eval_segments_can_score_a_thread_as_one_unit(runner, tmp_path):
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


# --- Silent wrong answers of the parse path (issue 20) ---

FORCED_JSONL = {
    "parse": ["parse"],
    "tag": ["tag"],
    "topics": ["topics"],
    "scan": ["scan", "--no-claims", "--no-topics"],
    "report": ["report", "--no-claims", "--no-topics", "-o", "{tmp}/r.html"],
}


@pytest.mark.parametrize("command", list(FORCED_JSONL))
def test_a_forced_format_that_fits_nothing_is_an_error_in_every_command(
    runner, tmp_path, seed_path, command
):
    args = [a.format(tmp=tmp_path) for a in FORCED_JSONL[command]]
    result = runner.invoke(main, [*args, str(seed_path), "--format", "jsonl"])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        f"Error: {seed_path}: nothing in it parses as jsonl (42 of 42 lines skipped: invalid "
        "JSON); it looks like a raw dump: drop --format or use --format dump"
    ]
    assert list(tmp_path.iterdir()) == []


def test_most_lines_skipped_is_a_warning_on_stderr_and_exit_0(runner, tmp_path, shared_data):
    tweets = (shared_data / "twarc-jsonl" / "flat.jsonl").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "mixed.jsonl"  # 5 tweets, and 6 lines of a table pasted under them
    rows = (shared_data / "chatgpt-tweets" / "Oceania.csv").read_text(encoding="utf-8")
    path.write_text("\n".join(tweets[:5] + rows.splitlines()[:6]) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["parse", str(path), "-q"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 5
    assert result.stderr == (
        f"Warning: {path}: most lines do not parse as jsonl (6 of 11 skipped: invalid JSON)\n"
    )


BAD_OUTPUTS = [
    (["parse", "-o", "out.xlsx"], "out.xlsx: no output format writes .xlsx files"),
    (["parse", "-o", "out.json"], "out.json: no output format writes .json files"),
    (["parse", "-o", "out.jsonl.gz"], "out.jsonl.gz: no output format writes .gz files"),
    (["tag", "-o", "tagged.txt"], "tagged.txt: no output format writes .txt files"),
    (["topics", "-o", "t.tsv"], "t.tsv: no output format writes .tsv files"),
    (["topics", "--topics-out", "t.csv"], "t.csv: the topic table is written as .json"),
    (["report", "-o", "r.pdf"], "r.pdf: the report is written as .html or .htm, not .pdf"),
    (["scan", "--report", "r.docx"], "r.docx: the report is written as .html or .htm"),
]


@pytest.mark.parametrize(("args", "message"), BAD_OUTPUTS)
def test_an_output_named_for_no_format_we_write_is_refused_before_any_work(
    runner, tmp_path, seed_path, monkeypatch, args, message
):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, [*args, str(seed_path)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: {message}") and len(result.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_the_known_extensions_are_listed_and_to_overrides_them(runner, tmp_path, seed_path):
    out = tmp_path / "posts.xlsx"
    result = runner.invoke(main, ["parse", str(seed_path), "-o", str(out)])
    assert "(known: .jsonl, .ndjson, .csv, .parquet, .pq)" in result.stderr
    fast = ["--segmenter", "fast", "-q"]
    result = runner.invoke(main, ["parse", str(seed_path), "-o", str(out), "--to", "csv", *fast])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[0]["text"].startswith("There's a resurgence")
    for name, kind in [
        ("P.CSV", "csv"),
        ("p.ndjson", "jsonl"),
        ("p.pq", "parquet"),
        ("p", "jsonl"),
    ]:
        result = runner.invoke(main, ["parse", str(seed_path), "-o", str(tmp_path / name), *fast])
        assert result.exit_code == 0, result.output
        head = (tmp_path / name).read_bytes()[:4]
        assert {"csv": head == b"id,k", "jsonl": head == b'{"id', "parquet": head == b"PAR1"}[kind]


@pytest.fixture
def blank_input(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text("\n  \n\t\n", encoding="utf-8")
    return path


def test_an_empty_input_says_0_records(runner, tmp_path, blank_input):
    for path in (blank_input, tmp_path / "zero.txt"):
        path.touch()
        result = runner.invoke(main, ["parse", str(path)])
        assert result.exit_code == 0 and result.stdout == ""
        assert "lines read: 0 records" in result.stderr and "segmenter" not in result.stderr


def test_every_command_succeeds_on_an_empty_input(runner, tmp_path, blank_input):
    result = runner.invoke(main, ["scan", str(blank_input), "--no-claims"])
    assert result.exit_code == 0, result.output
    assert "0 records" in result.stdout.splitlines()[0]
    result = runner.invoke(main, ["tag", str(blank_input), "-o", str(tmp_path / "t.jsonl")])
    assert result.exit_code == 0 and (tmp_path / "t.jsonl").read_text() == ""
    result = runner.invoke(main, ["topics", str(blank_input), "-o", str(tmp_path / "p.jsonl")])
    assert result.exit_code == 0 and (tmp_path / "p.jsonl").read_text() == ""
    out = tmp_path / "r.html"
    result = runner.invoke(main, ["report", str(blank_input), "--no-claims", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "0 records" in out.read_text(encoding="utf-8")


def test_one_post_a_line_text_is_read_as_lines_unless_dump_is_forced(runner, shared_data):
    path = shared_data / "tweeteval" / "emotion" / "val_text.txt"
    result = runner.invoke(main, ["parse", str(path)])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 374
    assert result.stderr.rstrip().endswith("read as one post a line (--format dump to override)")
    result = runner.invoke(main, ["parse", str(path), "--format", "dump", "--segmenter", "fast"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) < 374
    assert "one post a line" not in result.stderr


# --- Each command is one call to a Python twin of the same shape (issue 21) ---

PLANTED = [
    "fine tuning a small model on support tickets",
    "fine tuning beats prompting for our support bot",
    "new running shoes for the marathon",
    "my running shoes wore out after the marathon",
    "fine tuning data needs cleaning first",
    "marathon training in new running shoes",
]


@pytest.fixture
def planted(tmp_path):
    path = tmp_path / "planted.txt"
    path.write_text("\n".join(PLANTED) + "\n", encoding="utf-8")
    return path


def test_tag_writes_what_tag_to_writes(runner, tmp_path, seed_path):
    from socialscan import tag_to

    out = tmp_path / "cli.jsonl"
    result = runner.invoke(
        main, ["tag", str(seed_path), "-o", str(out), "--claim-model", "default"]
    )
    assert result.exit_code == 0, result.output
    run = tag_to(seed_path, tmp_path / "api.jsonl")
    assert out.read_bytes() == (tmp_path / "api.jsonl").read_bytes()
    assert run.rows == len(out.read_text().splitlines()) and result.stderr == run.summary() + "\n"
    assert any(json.loads(line)["labels"] for line in out.open())


def test_topics_writes_what_fit_topics_to_writes(runner, tmp_path, planted):
    from socialscan import fit_topics_to

    args = ["topics", str(planted), "--format", "lines", "--topic-embedder", "hashing"]
    result = runner.invoke(main, [*args, "--nr-topics", "2", "-o", str(tmp_path / "cli.csv")])
    assert result.exit_code == 0, result.output
    run = fit_topics_to(
        planted,
        tmp_path / "api.csv",
        format="lines",
        topics_out=tmp_path / "table.json",
        topic_embedder="hashing",
        nr_topics=2,
    )
    assert (tmp_path / "cli.csv").read_bytes() == (tmp_path / "api.csv").read_bytes()
    assert result.stderr == run.summary() + "\n" and "(hashing)" in run.summary()
    rows = list(csv.DictReader((tmp_path / "api.csv").open(encoding="utf-8")))
    assert [int(r["topic"]) for r in rows] == run.topics.topics and run.rows == len(PLANTED)
    table = json.loads((tmp_path / "table.json").read_text())
    assert sum(t["size"] for t in table) == len(PLANTED)


def test_too_few_posts_for_topics_writes_the_records_and_says_why(tmp_path):
    from socialscan import fit_topics_to

    src = tmp_path / "two.txt"
    src.write_text("one post\nanother post\n", encoding="utf-8")
    run = fit_topics_to(src, tmp_path / "t.jsonl", format="lines", topics_out=tmp_path / "t.json")
    assert run.topics is None and run.summary().startswith("too few posts for topics: 2")
    rows = [json.loads(line) for line in (tmp_path / "t.jsonl").open()]
    assert [(r["topic"], r["topic_label"]) for r in rows] == [(None, None)] * 2
    assert json.loads((tmp_path / "t.json").read_text()) == []


# --- One name per meaning: --topic-embedder, --claim-embedder, --claim-model (issue 21) ---


def options(command: str) -> dict[str, click.Option]:
    cmd = main.commands[command] if " " not in command else main.commands["eval"].commands["claims"]
    return {name: p for p in cmd.params for name in p.opts}


@pytest.mark.parametrize(
    ("command", "names"),
    [
        ("scan", ["--topic-embedder", "--claim-model"]),
        ("report", ["--topic-embedder", "--claim-model"]),
        ("topics", ["--topic-embedder"]),
        ("tag", ["--claim-embedder", "--claim-model"]),
        ("eval claims", ["--claim-embedder", "--claim-model"]),
    ],
)
def test_an_option_is_named_for_the_stage_it_sets_and_embedder_is_hidden(command, names):
    opts = options(command)
    for name in names:
        assert opts[name].name == name[2:].replace("-", "_")  # the Python keyword's name
    assert opts["--embedder"].hidden
    if "--claim-model" in names:  # --model DIR stays, as the short name of --claim-model
        assert opts["--model"] is opts["--claim-model"]


def test_the_topic_embedder_option_is_one_definition_with_the_python_default():
    import inspect

    from socialscan import run_dask, scan
    from socialscan.api import fit_topics_to

    choices = {tuple(options(c)["--topic-embedder"].type.choices) for c in ("scan", "topics")}
    assert len(choices) == 1
    for fn in (scan, fit_topics_to, run_dask):
        assert inspect.signature(fn).parameters["topic_embedder"].default == "auto"
    assert options("topics")["--topic-embedder"].default == "auto"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (["topics", "--embedder", "hashing"], ["topics", "--topic-embedder", "hashing"]),
        (["tag", "--embedder", "static"], ["tag", "--claim-embedder", "static"]),
    ],
)
def test_the_old_embedder_option_keeps_its_meaning_with_a_warning(runner, planted, old, new):
    args = [str(planted), "--format", "lines", "-q"]
    before = runner.invoke(main, [*old, *args])
    after = runner.invoke(main, [*new, *args])
    assert before.exit_code == after.exit_code == 0, before.output
    assert before.stdout == after.stdout and after.stderr == ""
    assert before.stderr == f"Warning: --embedder is deprecated: use {new[1]}\n"


def test_model_is_the_claim_model_under_its_short_name(runner, tmp_path, planted):
    zero = [str(planted), "--format", "lines", "-q"]
    a = runner.invoke(main, ["tag", *zero, "--model", "zero-shot"])
    b = runner.invoke(main, ["tag", *zero, "--claim-model", "zero-shot"])
    c = runner.invoke(main, ["tag", *zero])
    assert a.exit_code == b.exit_code == 0 and a.stdout == b.stdout and a.stderr == ""
    assert a.stdout != c.stdout  # zero-shot is not the shipped model


def test_the_old_python_keywords_still_work_with_a_deprecation_warning(tmp_path, planted):
    import warnings

    from socialscan import scan, tag_to

    new = scan(planted, format="lines", claims=False, topic_embedder="hashing")
    with pytest.warns(DeprecationWarning, match=r"scan\(embedder=\) is deprecated"):
        old = scan(planted, format="lines", claims=False, embedder="hashing")
    assert old.frame["topic"].tolist() == new.frame["topic"].tolist()
    with pytest.warns(DeprecationWarning, match="use claim_model="):
        tag_to(planted, tmp_path / "old.jsonl", format="lines", model=None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tag_to(planted, tmp_path / "new.jsonl", format="lines", claim_model=None)
    assert (tmp_path / "old.jsonl").read_bytes() == (tmp_path / "new.jsonl").read_bytes()
    with pytest.raises(TypeError, match="both embedder= and topic_embedder="):
        scan(planted, embedder="static", topic_embedder="static")


# --- Formats are defined once, by the layer that reads or writes them (issue 21) ---


def test_the_format_choices_are_the_readers_and_the_writers_lists():
    from socialscan.export import FORMATS as OUTPUT_FORMATS
    from socialscan.readers import FORMATS as INPUT_FORMATS

    for command in ("parse", "tag", "topics", "scan", "report"):
        assert tuple(options(command)["--format"].type.choices) == INPUT_FORMATS
    for command in ("parse", "tag", "topics"):
        assert tuple(options(command)["--to"].type.choices) == OUTPUT_FORMATS
