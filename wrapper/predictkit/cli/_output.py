"""What the CLI shows, and how it adapts to where it goes.

Results go to stdout; status, progress and errors to stderr, so ``predictkit run ... > out``
captures only the result. On a terminal, stderr gets a live status line (spinner, status,
elapsed time) and progress bars; anywhere else (a pipe, a file, CI) there are no colours and no
spinners, and each step is one stable line of plain text that scripts can rely on.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from rich.console import Console, RenderableType
from rich.live import Live
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

__all__ = ["Output", "to_json"]


def to_json(value: Any) -> str:
    """Stable, indented JSON (keys as the API sent them; dates already strings in to_dict())."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def _elapsed(seconds: float) -> str:
    return f"{seconds:.1f}s" if seconds < 60 else f"{int(seconds // 60)}m{seconds % 60:04.1f}s"


class _StatusLine:
    """A live renderable: spinner, the last status heard and the time since start, computed
    each time rich refreshes the screen (so the clock moves between status changes)."""

    def __init__(self, label: str, started: float) -> None:
        self.label = label
        self.status = "starting"
        self._started = started
        self._spinner = Spinner("dots")

    def __rich__(self) -> RenderableType:
        text = Text.assemble(
            (self.label, "bold"), " ", (self.status, "cyan"), " ",
            (_elapsed(time.monotonic() - self._started), "dim"),
        )  # fmt: skip
        self._spinner.text = text
        return self._spinner


class Output:
    """The two streams of one CLI invocation. Consoles are made per invocation so that they see
    the streams in effect now (a test runner's, a pty's)."""

    def __init__(self) -> None:
        # Colours follow the terminal and NO_COLOR (https://no-color.org), as rich reads them.
        self.out = Console(highlight=False, soft_wrap=True)
        self.err = Console(stderr=True, highlight=False, soft_wrap=True)

    @property
    def live(self) -> bool:
        """Whether stderr is a terminal: live status and progress bars, else plain lines."""
        return self.err.is_terminal

    # results (stdout) ------------------------------------------------------------------------

    def json(self, value: Any) -> None:
        """One JSON document on stdout, never coloured or wrapped."""
        sys.stdout.write(to_json(value) + "\n")
        sys.stdout.flush()

    def value(self, value: Any) -> None:
        """A prediction's output: text as is, anything else as JSON."""
        self.text(value if isinstance(value, str) else to_json(value))

    def text(self, text: str) -> None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()

    def chunk(self, data: Any) -> None:
        """A streamed output chunk, written as soon as it arrives (text without a newline)."""
        sys.stdout.write(data if isinstance(data, str) else to_json(data) + "\n")
        sys.stdout.flush()

    def table(self, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """A table on a terminal; tab-separated lines with a header elsewhere (cut, awk). The
        first column (an id to copy) is never wrapped or elided; the others fold if narrow."""
        cells = [["" if c is None else str(c) for c in row] for row in rows]
        if not self.out.is_terminal:
            for line in [list(columns), *cells]:
                sys.stdout.write("\t".join(c.replace("\t", " ") for c in line) + "\n")
            sys.stdout.flush()
            return
        table = Table(header_style="bold", box=None, pad_edge=False)
        key_width = max([len(columns[0]), *(len(row[0]) for row in cells)])
        table.add_column(columns[0], no_wrap=True, min_width=key_width)
        for column in columns[1:]:
            table.add_column(column, overflow="fold")
        for row in cells:
            table.add_row(*(escape(c) for c in row))
        self.out.print(table)

    # status (stderr) -------------------------------------------------------------------------

    def note(self, message: str) -> None:
        """One line on stderr (plain text off a terminal)."""
        self.err.print(escape(message), style="dim" if self.live else None)

    def error(self, message: str) -> None:
        if self.live:
            self.err.print(Text.assemble(("error: ", "bold red"), message))
        else:
            sys.stderr.write(f"error: {message}\n")
            sys.stderr.flush()

    @contextmanager
    def status(self, label: str, started: float) -> Iterator[Callable[[str], None]]:
        """A live status line while the block runs; yields ``update(status)``. Off a terminal,
        each new status is one line: ``<label> <status>``."""
        line = _StatusLine(label, started)
        seen: list[str] = []

        def update(status: str) -> None:
            line.status = status
            if not self.live and status not in seen[-1:]:
                seen.append(status)
                self.note(f"{label} {status}")

        if not self.live:
            yield update
            return
        with Live(line, console=self.err, refresh_per_second=8, transient=True):
            yield update
        elapsed = _elapsed(time.monotonic() - started)
        self.err.print(Text.assemble((label, "bold"), " ", line.status, " ", (elapsed, "dim")))

    @contextmanager
    def progress(self, label: str) -> Iterator[Callable[[int, int], None]]:
        """A byte progress bar while the block runs; yields ``on_progress(sent, total)``.
        Off a terminal, one line when it is done."""
        if not self.live:
            totals = [0]

            def record(sent: int, total: int) -> None:
                totals[0] = total

            yield record
            self.note(f"{label}: {totals[0]} bytes")
            return
        columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn())
        with Progress(*columns, TransferSpeedColumn(), console=self.err, transient=True) as bar:
            task = bar.add_task(label, total=None)

            def advance(sent: int, total: int) -> None:
                bar.update(task, completed=sent, total=total)

            yield advance
        self.note(f"{label}: done")
