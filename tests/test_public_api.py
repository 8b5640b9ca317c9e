"""The public surface is exactly what ``__all__`` says, and the CLI starts fast."""

import os
import subprocess
import sys
import time

import mcn_calls


def test_all_is_the_public_api() -> None:
    public = {name for name in dir(mcn_calls) if not name.startswith("_")}
    modules = {
        "cli",
        "client",
        "emulator",
        "errors",
        "formats",
        "model",
        "reports",
        "store",
        "sync",
    }
    assert set(mcn_calls.__all__) == (public - modules) | {"__version__"}
    for name in mcn_calls.__all__:
        assert getattr(mcn_calls, name) is not None


def test_help_is_fast_and_does_not_import_the_server() -> None:
    code = (
        "import sys, time; t = time.perf_counter();"
        "from mcn_calls.cli import app;"
        "print(time.perf_counter() - t, 'fastapi' in sys.modules, 'sqlalchemy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, fastapi, sqlalchemy = out.stdout.split()
    assert (fastapi, sqlalchemy) == ("False", "False")
    assert float(seconds) < 1.0
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mcn_calls", "--help"], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0 and "emulator" in done.stdout
    assert time.perf_counter() - started < 5


def test_help_shows_the_defaults_the_options_fall_back_to() -> None:
    env = {**os.environ, "COLUMNS": "200", "TERM": "dumb"}
    root = subprocess.run(
        [sys.executable, "-m", "mcn_calls", "--help"],
        capture_output=True,
        text=True,
        timeout=30,
        env=env,
    )
    assert "[default: https://api.mcn.ru/v2/rest]" in root.stdout
    assert "[default: Europe/Moscow]" in root.stdout
    for command in ("sync", "report", "missed", "export"):
        done = subprocess.run(
            [sys.executable, "-m", "mcn_calls", command, "--help"],
            capture_output=True,
            text=True,
            timeout=30,
            env=env,
        )
        assert done.returncode == 0
        assert "[default: sqlite:///mcn-calls.db]" in done.stdout, command
