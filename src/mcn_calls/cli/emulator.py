"""``mcn-calls emulator``: the local MCN API emulator."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path

import typer

from ..errors import UsageError

emulator_app = typer.Typer(
    help="A local emulator of the MCN virtual-PBX API.", no_args_is_help=True
)

_FAULTS = "Faults"


@emulator_app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8765, min=0, max=65535, help="Port (0 picks a free one)."),
    account: list[int] = typer.Option(
        [], "--account", help="Account id; repeat, pairing each with a --token."
    ),
    token: list[str] = typer.Option([], "--token", help="API token of the --account before it."),
    vpbx: int = typer.Option(2, min=1, max=50, help="Virtual PBXs per account."),
    days: int = typer.Option(30, min=0, max=3660, help="Whole days of history before today."),
    calls_per_day: int = typer.Option(
        200, min=0, max=1_000_000, help="Average calls per PBX on a weekday."
    ),
    seed: int = typer.Option(1, help="Same seed, same calls, byte for byte."),
    today: str | None = typer.Option(
        None, help="Pin 'today' (YYYY-MM-DD) instead of the current Moscow date."
    ),
    data: Path | None = typer.Option(
        None, help="Keep the generated calls in this SQLite file and reuse it on restart."
    ),
    admin_token: str | None = typer.Option(
        None, help="Token for the /admin endpoints (default: a random one, printed)."
    ),
    default_limit: int = typer.Option(1000, min=1, help="Page size when limit is not given."),
    max_limit: int = typer.Option(5000, min=1, help="Hard cap on limit (larger asks are cut)."),
    cache_mb: int = typer.Option(
        64, min=0, help="Memory for rendered pages asked again (emptied by any change)."
    ),
    fail_rate: float = typer.Option(
        0.0,
        min=0.0,
        max=1.0,
        help="Share of API requests answered 500/502/503.",
        rich_help_panel=_FAULTS,
    ),
    rate_limit: float = typer.Option(
        0.0,
        min=0.0,
        help="Requests per second over which the API answers 429 (0: off).",
        rich_help_panel=_FAULTS,
    ),
    latency_ms: int = typer.Option(
        0, min=0, max=60_000, help="Delay added to each API request.", rich_help_panel=_FAULTS
    ),
    truncate_rate: float = typer.Option(
        0.0, min=0.0, max=1.0, help="Share of answers cut off mid-body.", rich_help_panel=_FAULTS
    ),
) -> None:
    """Serve the MCN API locally, filled with realistic, deterministic calls."""
    from ..emulator import DEFAULT_ACCOUNT, EmulatorConfig, Faults
    from ..emulator import serve as run

    if len(account) != len(token):
        raise UsageError(
            f"Give one --token for each --account (got {len(account)} accounts and "
            f"{len(token)} tokens)."
        )
    if len(set(account)) != len(account):
        raise UsageError("Each --account may be given only once.")
    pinned = None
    if today is not None:
        try:
            pinned = date.fromisoformat(today)
        except ValueError:
            raise UsageError(f"--today {today!r} is not a date: use YYYY-MM-DD.") from None
    if default_limit > max_limit:
        raise UsageError("--default-limit cannot exceed --max-limit.")
    accounts = dict(zip(account, token, strict=True)) or {DEFAULT_ACCOUNT: "demo-token"}
    config = EmulatorConfig(
        accounts=accounts,
        vpbx=vpbx,
        days=days,
        calls_per_day=calls_per_day,
        seed=seed,
        today=pinned,
        default_limit=default_limit,
        max_limit=max_limit,
        data=data,
        cache_mb=cache_mb,
        admin_token=admin_token or secrets.token_urlsafe(12),
        faults=Faults(
            fail_rate=fail_rate,
            rate_limit=rate_limit,
            latency_ms=latency_ms,
            truncate_rate=truncate_rate,
        ),
    )
    run(config, host=host, port=port)
