"""Shared fixtures: emulators on real sockets, with fixed data and tokens."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import httpx
import pytest

from mcn_calls.emulator import EmulatorConfig, Running, running

TODAY = date(2026, 11, 26)
ACCOUNTS = {100001: "t0k", 100002: "t1k"}
ADMIN = "adm1n"


def config(**overrides: object) -> EmulatorConfig:
    """The test emulator's settings: two accounts, fixed 'today', 30 days."""
    settings: dict[str, object] = {
        "accounts": dict(ACCOUNTS),
        "vpbx": 2,
        "days": 30,
        "calls_per_day": 40,
        "seed": 7,
        "today": TODAY,
        "admin_token": ADMIN,
    }
    settings.update(overrides)
    return EmulatorConfig(**settings)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def emulator() -> Iterator[Running]:
    """A fault-free emulator shared by read-only tests."""
    with running(config()) as live:
        yield live


@pytest.fixture
def fresh_emulator() -> Iterator[Running]:
    """An emulator of the test's own, for tests that change its calls."""
    with running(config()) as live:
        yield live


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as client:
        yield client
