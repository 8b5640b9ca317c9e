"""The ``mcn-calls`` command: a thin layer over the public Python API.

Heavy modules are imported inside the commands, so ``--help`` stays fast.
A user error prints one sentence on stderr and exits non-zero (2 for wrong
input or settings, 1 for everything else), never a traceback.
"""

from __future__ import annotations

import gc
import sys

import typer

from ..errors import MCNError, UsageError
from .api import calls_app, vpbx_app
from .context import State
from .emulator import emulator_app
from .export import export
from .reports import missed, report
from .sync import demo, sync

app = typer.Typer(
    name="mcn-calls",
    help="Call statistics out of MCN Telecom's cloud PBX (VATS).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,  # never print locals: they may hold a token
)
app.add_typer(vpbx_app, name="vpbx")
app.add_typer(calls_app, name="calls")
app.add_typer(emulator_app, name="emulator")
app.command("sync")(sync)
app.command("demo")(demo)
app.command("report")(report)
app.command("missed")(missed)
app.command("export")(export)


@app.callback()
def _root(
    ctx: typer.Context,
    base_url: str | None = typer.Option(
        None,
        "--base-url",
        envvar="MCN_API_URL",
        show_default=False,
        help="API base URL \\[default: https://api.mcn.ru/v2/rest].",
    ),
    token: str | None = typer.Option(
        None,
        "--token",
        envvar="MCN_API_TOKEN",
        show_default=False,
        show_envvar=True,
        help="API token from the MCN cabinet (prefer the environment variable).",
    ),
    account: str | None = typer.Option(
        None, "--account", envvar="MCN_ACCOUNT_ID", help="Account number (лицевой счёт)."
    ),
    tz: str | None = typer.Option(
        None, "--tz", envvar="MCN_TZ", help="PBX time zone \\[default: Europe/Moscow]."
    ),
    profile: str | None = typer.Option(
        None, "--profile", envvar="MCN_PROFILE", help="Profile of the config file to use."
    ),
    timeout: float = typer.Option(
        60.0, "--timeout", min=1.0, help="Seconds to wait for an answer."
    ),
    max_retries: int = typer.Option(5, "--max-retries", min=0, help="Retries of a failed request."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log requests to stderr."),
) -> None:
    """Call statistics out of MCN Telecom's cloud PBX (VATS)."""
    state = State(
        base_url=base_url,
        token=token,
        account=account,
        tz=tz,
        profile=profile,
        verbose=verbose,
        timeout=timeout,
        max_retries=max_retries,
    )
    ctx.obj = state
    if ctx.invoked_subcommand not in (None, "emulator", "demo"):
        state.setup_logging()


def main() -> None:
    """Entry point of the console script."""
    # A sync or a report makes millions of short-lived tuples; the default
    # collector thresholds would scan them again and again (10-15% of a sync).
    gc.set_threshold(50_000, 20, 20)
    try:
        app()
    except UsageError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        sys.exit(2)
    except MCNError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        sys.exit(130)
