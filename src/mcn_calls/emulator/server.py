"""Running the emulator: in the foreground (``mcn-calls emulator serve``) or on a
background thread (tests, ``mcn-calls demo``), always on a real socket."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .config import EmulatorConfig
from .world import Emulator

if TYPE_CHECKING:
    import uvicorn


@dataclass(frozen=True)
class Running:
    """A running emulator: where it listens and what it serves."""

    base_url: str
    emulator: Emulator

    @property
    def admin_url(self) -> str:
        return self.base_url.removesuffix("/v2/rest") + "/admin"

    def banner(self) -> str:
        """The one line printed on start: base URL, accounts, tokens, PBXs."""
        parts = [f"MCN emulator at {self.base_url}"]
        for account, token in sorted(self.emulator.config.accounts.items()):
            ids = ",".join(str(p.vpbx_id) for p in self.emulator.by_account[account])
            parts.append(f"account {account} token {token} vpbx {ids}")
        parts.append(f"admin token {self.emulator.config.admin_token}")
        return " | ".join(parts)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket; port 0 picks a free one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit this: headers and body go out at once, with no
    # 40 ms wait for a delayed ACK between the two writes.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _url(sock: socket.socket, host: str) -> str:
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/v2/rest"


def _server(emulator: Emulator) -> uvicorn.Server:
    import uvicorn

    from .app import create_app

    config = uvicorn.Config(
        create_app(emulator),
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=2,
    )
    return uvicorn.Server(config)


def serve(config: EmulatorConfig, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Serve until interrupted, printing the banner line once listening."""
    emulator = Emulator(config)
    sock = bind(host, port)
    try:
        server = _server(emulator)
        print(Running(_url(sock, host), emulator).banner(), flush=True)
        server.run(sockets=[sock])
    finally:
        sock.close()
        emulator.close()


@contextmanager
def running(config: EmulatorConfig, host: str = "127.0.0.1", port: int = 0) -> Iterator[Running]:
    """Run the emulator on a background thread for the duration of the block."""
    emulator = Emulator(config)
    sock = bind(host, port)
    server = _server(emulator)
    thread = threading.Thread(
        target=server.run,
        kwargs={"sockets": [sock]},
        name="mcn-emulator",
        daemon=True,
    )
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("The emulator failed to start.")
            thread.join(0.01)
        yield Running(_url(sock, host), emulator)
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
        emulator.close()
