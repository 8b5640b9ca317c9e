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


PG_BASE = "postgresql+psycopg://root@127.0.0.1:5432/test"


def _pg_schema_url(schema: str) -> str:
    return f"{PG_BASE}?options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[str]:
    """An empty database of each kind: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/calls.db"
        return
    yield from pg_schema()


def pg_schema() -> Iterator[str]:
    import uuid

    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect("host=127.0.0.1 port=5432 user=root dbname=test", autocommit=True) as c:
        c.execute(f"CREATE SCHEMA {schema}")
    try:
        yield _pg_schema_url(schema)
    finally:
        with psycopg.connect(
            "host=127.0.0.1 port=5432 user=root dbname=test", autocommit=True
        ) as c:
            c.execute(f"DROP SCHEMA {schema} CASCADE")
