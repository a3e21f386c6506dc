"""A problem an input rule finds, and the registry of the rules (seeds/validation/ref_input_rules.csv)."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

REGISTRY = Path("validation") / "ref_input_rules.csv"


@dataclass(frozen=True)
class Rule:
    rule_id: str
    severity: str       # error: nothing is loaded; warning: printed, the build goes on
    applies_to: str     # file, row, or set (rows of several files together)
    message: str


def load_rules(seeds_dir: Path) -> dict[str, Rule]:
    with open(seeds_dir / REGISTRY, encoding="utf-8", newline="") as f:
        return {r["rule_id"]: Rule(r["rule_id"], r["severity"], r["applies_to"], r["message"]) for r in csv.DictReader(f)}


@dataclass(frozen=True)
class Problem:
    """One finding: where (a file, and its line for CSV — the header is line 1 — or its row for Parquet, the
    first row being 1; 0 for the file as a whole), the rule, the column and value concerned, and what is wrong
    with this row in particular (`message`, may be empty). Printed as
    `where: [rule] column 'value': <the rule's message from the registry>; <message>`."""
    path: Path
    line: int
    rule: str
    message: str
    column: str | None = None
    value: str | None = None
    severity: str = "error"
    rule_message: str = ""

    @property
    def where(self) -> str:
        if not self.line:
            return str(self.path)
        if str(self.path).endswith(".csv"):
            return f"{self.path}:{self.line}"
        return f"{self.path}:row {self.line}"

    def __str__(self) -> str:
        what = f"{self.column} {self.value!r}: " if self.column and self.value is not None else \
            (f"{self.column}: " if self.column else "")
        said = "; ".join(t for t in (self.rule_message, self.message) if t)
        text = f"{self.where}: [{self.rule}] {what}{said}"
        return text if self.severity == "error" else f"{text} (warning)"


def registered(problems: list[Problem], rules: dict[str, Rule]) -> list[Problem]:
    """The problems with their rule's severity and message; a rule the registry lacks is a bug of the validator."""
    out = []
    for p in problems:
        rule = rules.get(p.rule)
        if rule is None:
            raise KeyError(f"rule {p.rule!r} is not in seeds/{REGISTRY}")
        out.append(Problem(p.path, p.line, p.rule, p.message, p.column, p.value, rule.severity, rule.message))
    return out
