"""The input and output formats, named once: the readers, the writers and the CLI's choices
read these (a module of its own so that ``socialscan --help`` lists them without importing the
readers or the writers)."""

#: What ``--format`` / ``format=`` accepts: ``auto`` detects; the rest force one reader.
INPUT_FORMATS = ("auto", "dump", "lines", "jsonl", "archive", "csv")

#: What ``--to`` / ``to=`` accepts (and the output extensions' formats).
OUTPUT_FORMATS = ("jsonl", "csv", "parquet")
