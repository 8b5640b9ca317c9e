"""What every command shares: global options, profiles, logging, progress, output.

Settings come from, in order: the command line, the environment
(``MCN_API_URL``, ``MCN_API_TOKEN``, ``MCN_ACCOUNT_ID``, ``MCN_TZ``, ``MCN_DB``),
the chosen profile of the config file, then defaults. The config file is
``$MCN_CONFIG`` or ``config.toml`` in the user's config dir
(``~/.config/mcn-calls/`` on Linux)::

    default_profile = "office"

    [profiles.office]
    account_id = 100001
    token = "..."
    tz = "Europe/Moscow"
"""

from __future__ import annotations

import logging
import os
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO

import typer

from ..errors import UsageError

if TYPE_CHECKING:
    from ..client import Client


def config_path() -> Path:
    explicit = os.environ.get("MCN_CONFIG")
    if explicit:
        return Path(explicit)
    return Path(typer.get_app_dir("mcn-calls")) / "config.toml"


def load_profile(name: str | None) -> dict[str, Any]:
    """The chosen profile's settings ({} when there is no config file and none was named)."""
    path = config_path()
    if not path.exists():
        if name:
            raise UsageError(f"Profile {name!r} is asked for, but there is no config file {path}.")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"Cannot read the config file {path} ({exc}); fix or remove it.") from None
    profiles = data.get("profiles", {})
    chosen = name or data.get("default_profile")
    if chosen is None:
        return {}
    if not isinstance(profiles, dict) or not isinstance(profiles.get(chosen), dict):
        known = ", ".join(sorted(profiles)) if isinstance(profiles, dict) and profiles else "none"
        raise UsageError(f"No profile {chosen!r} in {path} (profiles: {known}).")
    return dict(profiles[chosen])


class _Redact(logging.Filter):
    """Masks secrets in every log line, whatever logged them."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for secret in self.secrets:
            message = message.replace(secret, "***")
        record.msg, record.args = message, None
        return True


@dataclass
class State:
    """The global options of one invocation."""

    base_url: str | None = None
    token: str | None = field(default=None, repr=False)
    account: str | None = None
    tz: str | None = None
    profile: str | None = None
    verbose: bool = False
    timeout: float = 60.0
    max_retries: int = 5
    _profile_data: dict[str, Any] | None = field(default=None, repr=False)

    def setting(self, key: str, given: Any) -> Any:
        if given is not None:
            return given
        if self._profile_data is None:
            self._profile_data = load_profile(self.profile)
        return self._profile_data.get(key)

    def setup_logging(self) -> None:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        token = self.setting("token", self.token)
        handler.addFilter(_Redact([str(token)] if token else []))
        level = logging.DEBUG if self.verbose else logging.WARNING
        for name in ("mcn_calls", "httpx"):
            logger = logging.getLogger(name)
            logger.handlers[:] = [handler]
            logger.setLevel(level if name == "mcn_calls" else max(level, logging.INFO))
            logger.propagate = False

    def client(self) -> Client:
        from ..client import Client

        return Client(
            base_url=self.setting("base_url", self.base_url),
            token=self.setting("token", self.token),
            account_id=self.setting("account_id", self.account),
            tz=self.setting("tz", self.tz),
            timeout=self.timeout,
            max_retries=self.max_retries,
        )


def parse_when(option: str, value: str) -> date | datetime:
    """``YYYY-MM-DD`` (a whole day) or ``YYYY-MM-DD HH:MM[:SS]``."""
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"{option} {value!r} is not a date: use YYYY-MM-DD or 'YYYY-MM-DD HH:MM:SS'."
        ) from None


def date_range(date_from: str, date_to: str | None) -> tuple[date | datetime, date | datetime]:
    start = parse_when("--from", date_from)
    stop = parse_when("--to", date_to) if date_to else start
    first = start if isinstance(start, datetime) else datetime.combine(start, datetime.min.time())
    last = stop if isinstance(stop, datetime) else datetime.combine(stop, datetime.max.time())
    if first.replace(tzinfo=None) > last.replace(tzinfo=None):
        raise UsageError(f"--from {date_from} is after --to {date_to}; swap them.")
    return start, stop


@contextmanager
def output(path: Path | None) -> Iterator[BinaryIO]:
    """stdout, or a file that appears whole or not at all (written aside, then renamed)."""
    if path is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    path = path.expanduser()
    if path.parent and not path.parent.exists():
        raise UsageError(f"The folder {path.parent} does not exist; create it first.")
    partial = path.with_name(f".{path.name}.partial")
    try:
        with open(partial, "wb") as out:
            yield out
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


class Progress:
    """A rich progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, enabled: bool | None = None, stream: IO[str] | None = None) -> None:
        stream = stream or sys.stderr
        self.enabled = stream.isatty() if enabled is None else enabled
        self._bar: Any = None
        self._stream = stream

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[calls]} calls"),
                TimeRemainingColumn(),
                console=Console(file=self._stream),
                transient=False,
            )
            self._bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)

    def task(self, description: str, total: int) -> Any:
        if self._bar is None:
            return None
        return self._bar.add_task(description, total=total, calls=0)

    def update(self, task: Any, *, advance: int = 0, calls: int = 0) -> None:
        if self._bar is not None and task is not None:
            self._bar.update(task, advance=advance, calls=calls)


#: ``--db`` of every command that reads or writes the synced database.
DB_OPTION: Any = typer.Option(
    None,
    "--db",
    envvar="MCN_DB",
    show_default=False,
    help="Database URL or SQLite file \\[default: sqlite:///mcn-calls.db].",
)
