"""The ``mcn-calls`` command: a thin layer over the public Python API.

Heavy modules are imported inside the commands, so ``--help`` stays fast.
A user error prints one sentence on stderr and exits non-zero, never a traceback.
"""

from __future__ import annotations

import sys

import typer

from ..errors import MCNError
from .emulator import emulator_app

app = typer.Typer(
    name="mcn-calls",
    help="Call statistics out of MCN Telecom's cloud PBX (VATS).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,  # never print locals: they may hold a token
)
app.add_typer(emulator_app, name="emulator")


@app.callback()
def _root() -> None:
    """Call statistics out of MCN Telecom's cloud PBX (VATS)."""


def main() -> None:
    """Entry point of the console script."""
    try:
        app()
    except MCNError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        sys.exit(130)
