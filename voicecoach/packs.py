"""Load and strictly validate a content pack: pack.toml, rubric.toml, cases/*.toml and *.md templates."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from voicecoach.content import Case, Dimension, HiddenFact, Pack
from voicecoach.errors import PackError
from voicecoach.model import DIMENSIONS
from voicecoach.pack_file import KEBAB, PLACEHOLDER, PackFile
from voicecoach.pack_keys import KEY_DIMENSIONS, answer_key

LEVELS = ("1", "3", "5")

# Each table's keys: name -> (expected type, required).
PACK_KEYS: dict[str, tuple[type, bool]] = {"title": (str, True), "description": (str, True), "cases": (list, False)}
RUBRIC_KEYS: dict[str, tuple[type, bool]] = {"dimensions": (list, True)}
DIMENSION_KEYS: dict[str, tuple[type, bool]] = {
    "id": (str, True),
    "name": (str, True),
    "question": (str, True),
    "descriptors": (dict, True),
}
CASE_KEYS: dict[str, tuple[type, bool]] = {
    "id": (str, True),
    "title": (str, True),
    "category": (str, True),
    "question": (str, True),
    "hidden_facts": (list, True),
    "probes": (dict, True),
    "strong_answer": (list, True),
    "no_data_answer": (str, False),
    "answer_key": (list, True),
    "barely_tests": (list, False),
}
BARELY_MAX = 2  # a case that barely tests more of the rubric than this is a bad case
FACT_KEYS: dict[str, tuple[type, bool]] = {"topic": (str, True), "keywords": (list, True), "answer": (str, True)}


def packs_root() -> Path:
    """The installed voicecoach/prompts folder (wheel) if present, else the repo's top-level prompts/."""
    here = Path(__file__).resolve().parent
    installed = here / "prompts"
    return installed if installed.is_dir() else here.parent / "prompts"


def _dimension(f: PackFile, raw: dict[str, Any], n: int) -> Dimension:
    """One [[dimensions]] entry of rubric.toml."""
    where = f"[[dimensions]] #{n} ({raw.get('id', 'no id')})"
    f.check_keys(raw, DIMENSION_KEYS, where)
    desc: dict[str, Any] = raw["descriptors"]
    if sorted(desc) != sorted(LEVELS):
        raise f.error(
            f"{where} [descriptors]",
            f"descriptors have keys {', '.join(sorted(desc)) or 'none'}; they must be exactly 1, 3 and 5",
            'write 1 = "...", 3 = "..." and 5 = "..." and nothing else',
            "descriptors",
        )
    return Dimension(
        id=f.text_value(raw["id"], where, "id"),
        name=f.text_value(raw["name"], where, "name"),
        question=f.text_value(raw["question"], where, "question"),
        descriptors={int(k): f.text_value(desc[k], f"{where} [descriptors]", k) for k in LEVELS},
    )


def _rubric(path: Path) -> tuple[Dimension, ...]:
    """The seven dimensions of rubric.toml, in the order of voicecoach.model.DIMENSIONS."""
    f = PackFile(path)
    f.check_keys(f.data, RUBRIC_KEYS, "top level")
    dims = [_dimension(f, raw, n) for n, raw in enumerate(f.tables(f.data["dimensions"], "top level", "dimensions"), 1)]
    ids = [d.id for d in dims]
    if sorted(ids) != sorted(DIMENSIONS):
        raise f.error(
            "[[dimensions]]",
            f"dimension ids are {', '.join(ids)}; they must be exactly {', '.join(DIMENSIONS)}, each once",
            "add the missing ids, remove extra or repeated ones",
        )
    return tuple(sorted(dims, key=lambda d: DIMENSIONS.index(d.id)))


def _fact(f: PackFile, raw: dict[str, Any], where: str) -> HiddenFact:
    """One [[hidden_facts]] entry of a case."""
    f.check_keys(raw, FACT_KEYS, where)
    return HiddenFact(
        topic=f.text_value(raw["topic"], where, "topic"),
        keywords=f.text_list(raw["keywords"], where, "keywords"),
        answer=f.text_value(raw["answer"], where, "answer"),
    )


def _probes(f: PackFile, raw: dict[str, Any], where: str) -> dict[str, tuple[str, ...]]:
    """Follow-up phrasings for every dimension; each needs one phrasing that reads well without a quote."""
    where = f"{where} [probes]"
    f.check_keys(raw, {d: (list, True) for d in DIMENSIONS}, where)
    probes = {d: f.text_list(raw[d], where, d, quote_ok=True) for d in DIMENSIONS}
    for d, phrasings in probes.items():
        if all(PLACEHOLDER in p for p in phrasings):
            raise f.error(
                where, f"every {d!r} probe uses {PLACEHOLDER}", "add one phrasing that reads well without a quote", d
            )
    return probes


def _barely_tests(f: PackFile, raw: list[Any], where: str) -> tuple[str, ...]:
    """A case's barely_tests: at most BARELY_MAX distinct dimension ids, never follow_up."""
    line = f.line_of("barely_tests")
    if not raw:
        raise f.error(where, "'barely_tests' is an empty list", "name a dimension or delete the line", line=line)
    dims: list[str] = []
    for value in raw:
        dim = f.text_value(value, where, "barely_tests", line=line)
        if dim == "follow_up":
            raise f.error(
                where,
                "'barely_tests' lists follow_up, which every case tests (it is judged from the probes)",
                "remove follow_up from barely_tests",
                line=line,
            )
        if dim not in KEY_DIMENSIONS:
            raise f.error(
                where,
                f"'barely_tests' lists {dim!r}, which is not a dimension id",
                f"use one of {', '.join(KEY_DIMENSIONS)}",
                line=line,
            )
        if dim in dims:
            raise f.error(where, f"'barely_tests' lists {dim!r} twice", "list each dimension once", line=line)
        dims.append(dim)
    if len(dims) > BARELY_MAX:
        raise f.error(
            where,
            f"'barely_tests' lists {len(dims)} dimensions; at most {BARELY_MAX} may be barely tested "
            "(a case that barely tests more is a bad case)",
            f"keep the {BARELY_MAX} the question turns on least, or rewrite the case so it tests the others",
            line=line,
        )
    return tuple(dims)


def _case(path: Path) -> Case:
    """One case file: a single case at the top level."""
    f = PackFile(path)
    where = f"case {f.data.get('id', path.stem)!r}"
    f.check_keys(f.data, CASE_KEYS, where)
    d = f.data
    case_id = f.text_value(d["id"], where, "id")
    category = f.text_value(d["category"], where, "category")
    for key, value in (("id", case_id), ("category", category)):
        if not KEBAB.match(value):
            raise f.error(where, f"{key} {value!r} is not kebab-case", "use lowercase words joined by -", key)
    facts = f.tables(d["hidden_facts"], where, "hidden_facts")
    extra: dict[str, str] = {}
    if "no_data_answer" in d:
        extra["no_data_answer"] = f.text_value(d["no_data_answer"], where, "no_data_answer")
    barely = _barely_tests(f, d["barely_tests"], where) if "barely_tests" in d else ()
    return Case(
        id=case_id,
        title=f.text_value(d["title"], where, "title"),
        category=category,
        question=f.text_value(d["question"], where, "question"),
        hidden_facts=tuple(_fact(f, raw, f"{where} [[hidden_facts]] #{n}") for n, raw in enumerate(facts, 1)),
        probes=_probes(f, d["probes"], where),
        strong_answer=f.text_list(d["strong_answer"], where, "strong_answer"),
        answer_key=answer_key(f, d["answer_key"], where),
        barely_tests=barely,
        **extra,
    )


def _cases(root: Path, meta: PackFile) -> tuple[Case, ...]:
    """Every cases/*.toml, unique by id, in the order pack.toml's `cases` gives (else by file name)."""
    files = sorted((root / "cases").glob("*.toml"))
    if not files:
        raise meta.error("cases", f"no case files in {root / 'cases'}", "add one cases/<case-id>.toml per case")
    by_id: dict[str, tuple[Case, Path]] = {}
    for path in files:
        case = _case(path)
        if case.id in by_id:
            raise PackError(
                f"{path}: case {case.id!r}: duplicate case id (also in {by_id[case.id][1]}). "
                "Fix: give each case a unique id."
            )
        by_id[case.id] = (case, path)
    if "cases" not in meta.data:
        return tuple(c for c, _ in by_id.values())
    order = meta.text_list(meta.data["cases"], "top level", "cases")
    if len(set(order)) != len(order) or set(order) != set(by_id):
        raise meta.error(
            "top level",
            f"'cases' lists {', '.join(order)} but the case files define {', '.join(by_id)}",
            "list every case id exactly once, matching the ids in cases/*.toml",
            "cases",
        )
    return tuple(by_id[i][0] for i in order)


def _available(root: Path) -> list[str]:
    """Folder names under root that hold a pack.toml."""
    return sorted(p.parent.name for p in root.glob("*/pack.toml")) if root.is_dir() else []


def _resolve(name_or_path: str, root: Path) -> Path:
    """The pack folder for a pack id under root, or for a folder path."""
    folder = root / name_or_path
    if re.fullmatch(r"[\w.-]+", name_or_path) and (folder / "pack.toml").is_file():
        return folder
    as_path = Path(name_or_path).expanduser()
    if as_path.is_dir() or any(sep in name_or_path for sep in "/\\"):
        if not (as_path / "pack.toml").is_file():
            raise PackError(f"{as_path}: no pack.toml there. Fix: point at a pack folder holding pack.toml.")
        return as_path
    names = ", ".join(_available(root)) or "none"
    raise PackError(
        f"unknown pack {name_or_path!r} (available in {root}: {names}). "
        "Fix: use one of those ids or give the path of a pack folder."
    )


def load_pack(name_or_path: str, root: Path | None = None) -> Pack:
    """Load and validate a pack by id (a folder under packs_root()) or by folder path."""
    folder = _resolve(name_or_path, root or packs_root()).resolve()
    meta = PackFile(folder / "pack.toml")
    meta.check_keys(meta.data, PACK_KEYS, "top level")
    rubric = folder / "rubric.toml"
    if not rubric.is_file():
        raise PackError(f"{rubric}: missing. Fix: add rubric.toml with the seven [[dimensions]].")
    return Pack(
        id=folder.name,
        title=meta.text_value(meta.data["title"], "top level", "title"),
        description=meta.text_value(meta.data["description"], "top level", "description"),
        dimensions=_rubric(rubric),
        cases=_cases(folder, meta),
        templates={p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))},
        root=folder,
    )


def list_packs(root: Path | None = None) -> list[tuple[str, str, int]]:
    """(id, title, number of cases) of every pack under root (default packs_root()); a broken pack raises."""
    base = root or packs_root()
    return [(p.id, p.title, len(p.cases)) for p in (load_pack(name, base) for name in _available(base))]
