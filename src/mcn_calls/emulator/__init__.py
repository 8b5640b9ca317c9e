"""A local emulator of MCN's virtual-PBX call-log API, faithful to real traffic."""

from .config import DEFAULT_ACCOUNT, DEFAULT_LIMIT, MAX_LIMIT, EmulatorConfig, Faults
from .server import Running, running, serve
from .world import Emulator

__all__ = [
    "DEFAULT_ACCOUNT",
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "Emulator",
    "EmulatorConfig",
    "Faults",
    "Running",
    "running",
    "serve",
]
