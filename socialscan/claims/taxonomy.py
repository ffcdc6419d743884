"""The claim taxonomy: labels with descriptions, cue patterns and example sentences (a data file)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from ..errors import InvalidTaxonomy

#: The taxonomy shipped with socialscan.
DEFAULT_TAXONOMY_PATH = Path(str(files("socialscan") / "claims" / "default_taxonomy.yaml"))

#: The logistic mapping used when a file gives none (see default_taxonomy.yaml).
DEFAULT_CALIBRATION = {"bias": -5.242, "cue": 2.445, "similarity": 1.435, "margin": 6.858}


@dataclass
class Cue:
    """One cue: a phrase (PhraseMatcher) or a token pattern (Matcher), with a weight."""

    name: str
    weight: float = 1.0
    phrase: str | None = None
    pattern: list[dict[str, Any]] | None = None


@dataclass
class Label:
    """A claim label: what it means, what signals it, what it looks like."""

    name: str
    description: str
    cues: list[Cue] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    calibration: dict[str, float] = field(default_factory=dict)


@dataclass
class Taxonomy:
    """An ordered set of labels plus background sentences and the score mapping.

    Examples:
        >>> tax = load_taxonomy()
        >>> tax.labels
        ['finetuning_advice', 'product_plug', 'privacy_statement', 'self_promotion']
        >>> tax["privacy_statement"].description.startswith("A statement of how people's data")
        True
    """

    by_name: dict[str, Label]
    background: list[str] = field(default_factory=list)
    calibration: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_CALIBRATION))
    source: str = ""

    @property
    def labels(self) -> list[str]:
        """Label names, in file order."""
        return list(self.by_name)

    def __getitem__(self, name: str) -> Label:
        return self.by_name[name]

    def __iter__(self):
        return iter(self.by_name.values())

    def __len__(self) -> int:
        return len(self.by_name)

    def calibration_for(self, name: str) -> dict[str, float]:
        """The shared mapping with the label's own overrides applied."""
        return {**DEFAULT_CALIBRATION, **self.calibration, **self.by_name[name].calibration}

    def description(self, name: str) -> str:
        """A label's description."""
        return self.by_name[name].description


def _read(path: str | os.PathLike[str]) -> dict[str, Any]:
    p = Path(path)
    if not p.is_file():
        raise InvalidTaxonomy(f"{p}: no such taxonomy file")
    text = p.read_text(encoding="utf-8")
    try:
        if p.suffix.lower() == ".json":
            import orjson

            data = orjson.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except Exception as e:  # yaml.YAMLError, orjson.JSONDecodeError
        raise InvalidTaxonomy(f"{p}: not valid YAML/JSON ({type(e).__name__})") from None
    if not isinstance(data, dict) or not isinstance(data.get("labels"), dict):
        raise InvalidTaxonomy(f"{p}: expected a mapping with a 'labels' mapping")
    return data


def _cue(label: str, i: int, raw: Any, kind: str) -> Cue:
    where = f"label {label!r} cue {i + 1}"
    if kind == "phrases":
        if isinstance(raw, str):
            return Cue(name=raw, phrase=raw)
        if isinstance(raw, dict) and isinstance(raw.get("phrase"), str):
            return Cue(
                name=raw["phrase"], phrase=raw["phrase"], weight=float(raw.get("weight", 1.0))
            )
        raise InvalidTaxonomy(f"{where}: a phrase must be a string or {{phrase: ..., weight: ...}}")
    if isinstance(raw, dict) and isinstance(raw.get("pattern"), list) and raw["pattern"]:
        if not all(isinstance(t, dict) for t in raw["pattern"]):
            raise InvalidTaxonomy(f"{where}: a pattern is a list of token mappings")
        return Cue(
            name=str(raw.get("name", f"pattern{i + 1}")),
            pattern=raw["pattern"],
            weight=float(raw.get("weight", 1.0)),
        )
    raise InvalidTaxonomy(f"{where}: expected {{name: ..., weight: ..., pattern: [...]}}")


def _label(name: str, raw: Any) -> Label:
    if not isinstance(raw, dict):
        raise InvalidTaxonomy(f"label {name!r}: expected a mapping")
    desc = raw.get("description")
    if not isinstance(desc, str) or not desc.strip():
        raise InvalidTaxonomy(f"label {name!r}: needs a description")
    cues_raw = raw.get("cues") or {}
    if not isinstance(cues_raw, dict):
        raise InvalidTaxonomy(f"label {name!r}: cues must map 'phrases'/'patterns' to lists")
    cues = [_cue(name, i, c, "phrases") for i, c in enumerate(cues_raw.get("phrases") or [])]
    cues += [_cue(name, i, c, "patterns") for i, c in enumerate(cues_raw.get("patterns") or [])]
    examples = raw.get("examples") or []
    if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
        raise InvalidTaxonomy(f"label {name!r}: examples must be a list of sentences")
    if not cues and not examples:
        raise InvalidTaxonomy(f"label {name!r}: needs cues or examples")
    cal = raw.get("calibration") or {}
    return Label(
        name, " ".join(desc.split()), cues, list(examples), {k: float(v) for k, v in cal.items()}
    )


def _build(data: dict[str, Any], source: str) -> Taxonomy:
    labels = {str(n): _label(str(n), raw) for n, raw in data["labels"].items()}
    cal = {k: float(v) for k, v in (data.get("calibration") or {}).items()}
    background = [b for b in data.get("background") or [] if isinstance(b, str)]
    return Taxonomy(labels, background, {**DEFAULT_CALIBRATION, **cal}, source)


def load_taxonomy(path: str | os.PathLike[str] | None = None) -> Taxonomy:
    """The default taxonomy, extended or replaced by a user file (YAML or JSON).

    A user file's labels are added to the default ones (a label of the same name replaces the
    default label); with ``replace: true`` at its top only the file's labels are kept. Its
    ``background`` sentences are added; its ``calibration`` overrides the shared mapping.

    Args:
        path: A taxonomy file, or ``None`` for the shipped default.

    Raises:
        InvalidTaxonomy: the file is missing, unreadable, or a label lacks a description or cues.

    Examples:
        >>> load_taxonomy().labels[:2]
        ['finetuning_advice', 'product_plug']
    """
    default = _build(_read(DEFAULT_TAXONOMY_PATH), str(DEFAULT_TAXONOMY_PATH))
    if path is None:
        return default
    data = _read(path)
    user = _build(data, str(path))
    if data.get("replace"):
        if not user.background:
            user.background = default.background
        return user
    merged = dict(default.by_name)
    merged.update(user.by_name)
    cal = {**default.calibration, **(data.get("calibration") or {})}
    return Taxonomy(merged, default.background + user.background, cal, str(path))
