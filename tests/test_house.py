"""The house rules, checked from the source: small modules, one-way imports, no hidden state.

Each test reads socialscan/ with `ast` (no model, no import of the package), so anyone can run
them in a second or two and a change that breaks a rule says which module and why. The layering
they keep is drawn in docs/architecture.md.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "socialscan"

MAX_LINES = 400

# Libraries `socialscan --help` and `socialscan parse` must never load: each costs seconds.
HEAVY = (
    "torch",
    "transformers",
    "sentence_transformers",
    "bertopic",
    "umap",
    "hdbscan",
    "sklearn",
    "spacy",
)

# Only socialscan modules are nodes of the import graph, so the lazy imports that keep torch,
# BERTopic or spaCy out of `socialscan parse` need no exemption, and there is no allow-list:
# a function-local import of another socialscan module that closes a circle is a circle.


def module_name(path: Path) -> str:
    """socialscan/claims/__init__.py -> socialscan.claims; socialscan/claims/gate.py -> ...gate."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@cache
def tree(name: str) -> ast.Module:
    return ast.parse(modules()[name].read_text(encoding="utf-8"), filename=str(modules()[name]))


def is_package(name: str) -> bool:
    return modules()[name].name == "__init__.py"


def absolute(name: str, node: ast.ImportFrom) -> str:
    """The module a `from ... import` names, with `from .x import y` resolved against `name`."""
    if not node.level:
        return node.module or ""
    base = name.split(".") if is_package(name) else name.split(".")[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def imports(name: str) -> list[tuple[str, list[str], int]]:
    """Every import in a module, at module level or inside a function: (module, names, line).

    Imports under `if TYPE_CHECKING:` count too: a type taken from a module above is a
    dependency on it all the same, and hiding it there is how a circle goes unseen.
    """
    found = []
    for node in ast.walk(tree(name)):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((absolute(name, node), [a.name for a in node.names], node.lineno))
    return found


def imported_modules(name: str) -> set[str]:
    """The socialscan modules a module imports: `from pkg import mod` imports pkg.mod."""
    targets = set()
    for module, names, _ in imports(name):
        for target in [f"{module}.{n}" for n in names] or [module]:
            if target not in modules():
                target = module
            if target in modules() and target != name:
                targets.add(target)
    return targets


def graph() -> dict[str, set[str]]:
    return {name: imported_modules(name) for name in modules()}


def reachable(start: str, edges: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in edges[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def import_circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module, each sorted."""
    reach = {name: reachable(name, edges) for name in edges}
    circles = {
        tuple(sorted({name} | {other for other in reach[name] if name in reach[other]}))
        for name in edges
        if name in reach[name]
    }
    return sorted(list(c) for c in circles if len(c) > 1)


# --- the checker itself, on small made-up graphs ---


@pytest.mark.parametrize(
    ("edges", "circles"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"a"}, "c": {"a"}}, [["a", "b"]]),
        (
            {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"e"}, "e": {"d"}},
            [["a", "b", "c"], ["d", "e"]],
        ),
    ],
)
def test_import_circles_finds_every_strongly_connected_component(edges, circles):
    assert import_circles(edges) == circles


def test_the_import_graph_sees_relative_and_function_level_imports():
    edges = graph()
    # socialscan/__main__.py: `from socialscan.cli import main`
    assert "socialscan.cli" in edges["socialscan.__main__"]
    # a package's own submodules are found through `from . import x` or `from .x import y`
    assert any(e.startswith("socialscan.claims.") for e in edges["socialscan.claims"])


# --- the rules ---


def test_no_module_is_over_400_lines():
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    over = sorted((lines, name) for name, lines in sizes.items() if lines > MAX_LINES)
    assert not over, "split by responsibility: " + ", ".join(f"{n} ({lines})" for lines, n in over)


def test_no_module_is_shadowed_by_a_package_of_its_name():
    # socialscan/cli.py beside socialscan/cli/: Python imports the package, the file is dead
    names = [module_name(p) for p in PACKAGE.rglob("*.py")]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})


def test_no_import_circle_among_socialscan_modules():
    circles = import_circles(graph())
    assert not circles, "import circles: " + "; ".join(" <-> ".join(c) for c in circles)


# The layers, bottom first (docs/architecture.md draws them). A module imports modules of its own
# package and of the layers below, never sideways or up: data flows one way.
LAYERS = (
    ("socialscan", "errors", "deprecation"),  # `socialscan` is the root: __version__, lazy names
    ("records", "progress", "text", "formats"),
    ("embed",),
    ("export",),
    ("segment",),
    ("readers",),
    ("claims", "topics"),
    ("results",),
    ("report",),
    ("api",),
    ("pipeline", "distributed", "evaluation"),
    ("cli",),
    ("__main__",),
)
# Claims and topics read posts, never how the posts were read or split.
NEVER = {"claims": {"readers", "segment"}, "topics": {"readers", "segment"}}


def package_of(name: str) -> str:
    """socialscan.claims.gate -> claims; socialscan.errors -> errors; socialscan -> socialscan."""
    return name.split(".")[1] if "." in name else name


def test_every_package_has_a_layer():
    layered = {p for layer in LAYERS for p in layer}
    missing = sorted({package_of(name) for name in modules()} - layered)
    assert not missing, f"place {missing} in LAYERS (and in docs/architecture.md)"


def test_imports_go_down_the_layers_only():
    layer = {p: i for i, names in enumerate(LAYERS) for p in names}
    wrong = []
    for name, targets in graph().items():
        here = package_of(name)
        for target in sorted(targets):
            there = package_of(target)
            if there != here and (
                layer.get(there, -1) >= layer.get(here, -1) or there in NEVER.get(here, ())
            ):
                wrong.append(f"{name} -> {target}")
    assert not wrong, "imports up or sideways: " + ", ".join(wrong)


def test_no_private_name_is_imported_from_another_module():
    # `from socialscan.x import _y` and `x._y` on an imported socialscan module both reach
    # into x's insides; a name another module needs is public.
    def private(name: str) -> bool:
        return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))

    found = []
    for name in modules():
        aliases = {}
        for module, names, line in imports(name):
            if module in modules() and module != name:
                found += [f"{name}:{line} {module}.{n}" for n in names if private(n)]
            for n in names:
                if f"{module}.{n}" in modules():
                    aliases[n] = f"{module}.{n}"
        for node in ast.walk(tree(name)):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in modules() and alias.asname:
                        aliases[alias.asname] = alias.name
        for node in ast.walk(tree(name)):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and private(node.attr)
            ):
                found.append(f"{name}:{node.lineno} {aliases[node.value.id]}.{node.attr}")
    assert not found, "private names used across modules: " + ", ".join(found)


def environment_writes(source: str) -> list[int]:
    """Lines that change the process environment: os.environ[...] = / setdefault / putenv ..."""

    def is_environ(node: ast.AST) -> bool:
        return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
            isinstance(node, ast.Name) and node.id == "environ"
        )

    lines = []
    for node in ast.walk(ast.parse(source)):
        targets = []
        if isinstance(node, ast.Assign | ast.Delete):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Subscript) and is_environ(t.value) for t in targets):
            lines.append(node.lineno)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method, owner = node.func.attr, node.func.value
            if (is_environ(owner) and method in {"setdefault", "update", "pop", "clear"}) or (
                method in {"putenv", "unsetenv"}
            ):
                lines.append(node.lineno)
    return lines


@pytest.mark.parametrize(
    ("source", "writes"),
    [
        ("import os\nos.environ['HF_HUB_OFFLINE'] = '1'", [2]),
        ("import os\nos.environ.setdefault('TOKENIZERS_PARALLELISM', 'false')", [2]),
        ("import os\nos.putenv('OMP_NUM_THREADS', '1')", [2]),
        ("from os import environ\ndel environ['X']", [2]),
        ("import os\ncache = os.environ.get('SOCIALSCAN_MODEL_DIR')", []),
        ("import os\nenv = {**os.environ, 'X': '1'}\nenv['Y'] = '2'", []),
    ],
)
def test_environment_writes_are_told_from_reads(source, writes):
    assert environment_writes(source) == writes


def test_the_package_never_changes_the_process_environment():
    found = [
        f"{name}:{line}"
        for name, path in modules().items()
        for line in environment_writes(path.read_text(encoding="utf-8"))
    ]
    assert not found, "environment changed at import or call time: " + ", ".join(found)


def test_the_package_never_imports_training_or_bench():
    found = [
        f"{name}:{line} {module}"
        for name in modules()
        for module, _, line in imports(name)
        if module.split(".")[0] in {"training", "bench", "tests"}
    ]
    assert not found, "the package imports code that is not installed: " + ", ".join(found)


IMPORT_TIME = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s+(\S+)", re.M)


@pytest.mark.parametrize(
    "args",
    [["--help"], ["parse", "corpora/seed_dump.txt", "-q", "-o", "{tmp}/posts.jsonl"]],
    ids=["help", "parse"],
)
def test_help_and_parse_never_import_heavy_libraries(args, tmp_path):
    args = [a.format(tmp=tmp_path) for a in args]
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "socialscan", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    loaded = {name.split(".")[0] for name in IMPORT_TIME.findall(proc.stderr)}
    assert "socialscan" in loaded  # the -X importtime lines were read
    assert not loaded & set(HEAVY), f"socialscan {args[0]} imported {sorted(loaded & set(HEAVY))}"


# --- the docs show only what exists ---

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHELL_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.M | re.S)


def cli_commands() -> dict[str, object]:
    """Every socialscan command by its path ("eval segments"), the group itself as ""."""
    from socialscan.cli import main

    found, todo = {}, [("", main)]
    while todo:
        path, cmd = todo.pop()
        found[path] = cmd
        todo += [(f"{path} {n}".strip(), sub) for n, sub in getattr(cmd, "commands", {}).items()]
    return found


def shown_commands() -> list[tuple[str, str]]:
    """(doc, command line) for each `socialscan ...` line of a ```sh block, comment cut off."""
    return [
        (doc.name, line.split("  #")[0].strip())
        for doc in DOCS
        for block in SHELL_BLOCK.findall(doc.read_text(encoding="utf-8"))
        for line in block.splitlines()
        if line.startswith("socialscan ")
    ]


def test_the_docs_show_socialscan_commands():
    assert ("README.md", "socialscan scan dump.txt") in shown_commands()


@pytest.mark.parametrize(("doc", "line"), shown_commands(), ids=lambda v: v[:60])
def test_every_command_line_the_docs_show_exists(doc, line):
    commands = cli_commands()
    words, path = line.split()[1:], ""
    while words and f"{path} {words[0]}".strip() in commands:
        path = f"{path} {words.pop(0)}".strip()
    options = {o for p in commands[path].params for o in [*p.opts, *p.secondary_opts]}
    options |= {o for p in commands[""].params for o in p.opts}  # --debug goes before a command
    unknown = [
        w.split("=")[0] for w in words if w.startswith("-") and w.split("=")[0] not in options
    ]
    assert path and not unknown, f"{doc}: `{line}`: socialscan {path} has no {unknown}"


def test_every_option_the_readme_names_exists_by_its_current_name():
    params = [p for cmd in cli_commands().values() for p in cmd.params]
    longs = [[o for o in p.opts if o.startswith("--")] for p in params]
    names = {ls[0] for ls in longs if ls}
    aliases = {o for ls in longs for o in ls[1:]} - names  # --model, kept for --claim-model
    named = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", (ROOT / "README.md").read_text()))
    options = {o for p in params for o in p.opts}
    assert not named - options, f"README.md names options no command has: {named - options}"
    assert not named & aliases, f"README.md names old aliases: {named & aliases}"


def test_every_make_target_the_readme_names_exists():
    targets = set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(), re.M))
    named = set(re.findall(r"(?:`|^)make ([\w-]+)", (ROOT / "README.md").read_text(), re.M))
    assert {"demo", "test"} <= named and named <= targets, named - targets


TREE_BLOCK = re.compile(r"^```text\n.*?^```", re.M | re.S)


def cited(pattern: str) -> list[tuple[str, str]]:
    """(doc, match) for each match of ``pattern`` in the docs, outside ```text trees."""
    return sorted(
        {
            (doc.name, m)
            for doc in DOCS
            for m in re.findall(pattern, TREE_BLOCK.sub("", doc.read_text(encoding="utf-8")))
        }
    )


@pytest.mark.parametrize(("doc", "path"), cited(r"[\w./-]+\.(?:py|md|yaml)\b"))
def test_every_file_the_docs_cite_exists(doc, path):
    # paths are from the top of the repo, from socialscan/ (docs/architecture.md), or the doc's
    where = [ROOT / path, PACKAGE / path, ROOT / "docs" / path]
    assert any(p.exists() for p in where), f"{doc} cites {path}, which is not there"


def defines(name: str, attr: str) -> bool:
    """Whether module ``name`` binds ``attr`` at top level (def, class, assignment, import), or
    names it in ``__all__`` or its ``_LAZY`` table (names imported on first use)."""
    for node in tree(name).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            bound = {node.name}
        elif isinstance(node, ast.Import | ast.ImportFrom):
            bound = {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            bound = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
            if bound & {"_LAZY", "__all__"} and isinstance(node.value, ast.Dict | ast.List):
                names = node.value.keys if isinstance(node.value, ast.Dict) else node.value.elts
                bound |= {k.value for k in names if isinstance(k, ast.Constant)}
        else:
            bound = set()
        if attr in bound:
            return True
    return False


@pytest.mark.parametrize(("doc", "dotted"), cited(r"\bsocialscan(?:\.[A-Za-z_]\w*)+"))
def test_every_socialscan_name_the_docs_cite_exists(doc, dotted):
    parts = dotted.split(".")
    module = max((".".join(parts[:i]) for i in range(1, len(parts) + 1)), key=len)
    while module not in modules():
        module = module.rsplit(".", 1)[0]
    rest = parts[len(module.split(".")) :]
    assert not rest or defines(module, rest[0]), f"{doc} cites {dotted}: {module} has no {rest[0]}"
