"""One parsed TOML file of a content pack, with the helpers that build error messages naming it."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from voicecoach.errors import PackError

PLACEHOLDER = "{quote}"
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TABLE_HEADER = re.compile(r"^\s*\[\[?\s*[\w.\"-]+\s*\]\]?\s*(#.*)?$")  # [table] or [[table]], not an array row

TYPE_NAMES: dict[type, str] = {str: "a string", list: "a list", dict: "a table"}


class PackFile:
    """One parsed TOML file of a pack, with helpers that build error messages naming it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise PackError(f"{path}: cannot read it ({e}). Fix: make it a readable UTF-8 text file.") from e
        try:
            self.data: dict[str, Any] = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as e:
            raise PackError(f"{path}: invalid TOML: {e}. Fix the syntax on that line (format: https://toml.io).") from e

    def line_of(self, key: str) -> int | None:
        """The line where key is set or opened as a table, if it appears exactly once."""
        pat = re.compile(rf"^\s*(?:\[+\s*[\w.\"-]*\b{re.escape(key)}\"?\s*\]+|\"?{re.escape(key)}\"?\s*=)")
        hits = [n for n, line in enumerate(self.text.splitlines(), 1) if pat.match(line)]
        return hits[0] if len(hits) == 1 else None

    def line_in(self, header: str, n: int, key: str | None = None) -> int | None:
        """The line of key inside the n-th [[header]] table (its header line if key is not set there)."""
        lines = self.text.splitlines()
        starts = [i for i, line in enumerate(lines) if re.match(rf"^\s*\[\[\s*{re.escape(header)}\s*\]\]", line)]
        if len(starts) < n:
            return None
        if key is not None:
            pat = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
            for i in range(starts[n - 1] + 1, len(lines)):
                if _TABLE_HEADER.match(lines[i]):
                    break
                if pat.match(lines[i]):
                    return i + 1
        return starts[n - 1] + 1

    def error(self, where: str, problem: str, fix: str, key: str | None = None, line: int | None = None) -> PackError:
        """A PackError naming the file (and line where known), the table, the problem and the fix."""
        line = line or (self.line_of(key) if key else None)
        loc = f"{self.path}:{line}" if line else str(self.path)
        return PackError(f"{loc}: {where}: {problem}. Fix: {fix}.")

    def check_keys(
        self,
        table: dict[str, Any],
        schema: dict[str, tuple[type, bool]],
        where: str,
        locate: Callable[[str | None], int | None] | None = None,
    ) -> None:
        """Reject unknown keys, missing required keys and values of the wrong type (locate finds a key's line)."""
        at = locate or (lambda key: self.line_of(key) if key else None)
        valid = ", ".join(schema)
        for key in table:
            if key not in schema:
                raise self.error(
                    where,
                    f"unknown key {key!r} (valid keys: {valid})",
                    "rename it to a valid key or delete it",
                    line=at(key),
                )
        for key, (typ, required) in schema.items():
            if key not in table:
                if required:
                    fix = f"add {key} = ... ({TYPE_NAMES[typ]})"
                    raise self.error(where, f"missing required key {key!r}", fix, line=at(None))
            elif not isinstance(table[key], typ):
                raise self.error(
                    where,
                    f"{key!r} must be {TYPE_NAMES[typ]}, not {type(table[key]).__name__}",
                    f"write {key} as {TYPE_NAMES[typ]}",
                    line=at(key),
                )

    def text_value(self, value: object, where: str, key: str, quote_ok: bool = False, line: int | None = None) -> str:
        """A non-empty string with no placeholder except {quote} (and that only where allowed)."""
        if not isinstance(value, str):
            raise self.error(
                where, f"{key!r} must hold strings, not {type(value).__name__}", "quote the text", key, line
            )
        if not value.strip():
            raise self.error(where, f"{key!r} is empty", "write the text or delete the entry", key, line)
        rest = value.replace(PLACEHOLDER, "") if quote_ok else value
        if "{" in rest or "}" in rest:
            found = re.findall(r"\{[^{}]*\}", rest) or ["a stray brace"]
            allowed = "only {quote}, and only in probes" if quote_ok else "none here ({quote} is only for probes)"
            raise self.error(
                where,
                f"{key!r} has placeholder {found[0]}; placeholders allowed: {allowed}",
                "remove the braces or use {quote}",
                key,
                line,
            )
        return value.strip()

    def text_list(self, value: list[Any], where: str, key: str, quote_ok: bool = False) -> tuple[str, ...]:
        """A non-empty list of non-empty strings."""
        if not value:
            raise self.error(where, f"{key!r} is an empty list", "add at least one entry", key)
        return tuple(self.text_value(v, where, key, quote_ok) for v in value)

    def tables(self, value: list[Any], where: str, key: str) -> list[dict[str, Any]]:
        """A non-empty list of tables ([[key]] entries)."""
        if not value or not all(isinstance(v, dict) for v in value):
            raise self.error(where, f"{key!r} must be one or more [[{key}]] tables", f"write [[{key}]] entries", key)
        return value
