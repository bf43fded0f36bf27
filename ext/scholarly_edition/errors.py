"""Errors that name a file and a line, the way a compiler does.

Editors and contributors fix what they are pointed at: every problem in the edition's
input is reported as ``path:line:column: error: message`` followed by a hint saying what
to do.  One class carries that shape everywhere (converter, validator, Sphinx build).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file."""

    path: str
    line: int | None
    message: str
    hint: str = ""
    column: int | None = None
    severity: str = "error"

    def format(self) -> str:
        """Render as ``path:line:column: severity: message`` plus an indented hint."""
        location = self.path
        if self.line is not None:
            location += f":{self.line}"
            if self.column is not None:
                location += f":{self.column}"
        text = f"{location}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def __str__(self) -> str:
        return self.format()


class EditionError(Exception):
    """One or more problems that stop a command: nothing is written when this is raised."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems: list[Problem] = problems if isinstance(problems, list) else [problems]
        super().__init__("\n".join(p.format() for p in self.problems))


@dataclass
class ProblemCollector:
    """Gathers every problem of a run so that one run reports them all."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, path: str | Path, line: int | None, message: str, hint: str = "", column: int | None = None) -> None:
        self.problems.append(Problem(str(path), line, message, hint, column, "error"))

    def warning(self, path: str | Path, line: int | None, message: str, hint: str = "", column: int | None = None) -> None:
        self.problems.append(Problem(str(path), line, message, hint, column, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise EditionError(self.errors)
