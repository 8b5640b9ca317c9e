"""The HTML report in headless Chromium: it renders offline and its charts draw."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from mcn_calls.emulator import Running

from ..support import api_env, run_cli

ARTIFACTS = Path(os.environ.get("MCN_ARTIFACTS", Path(__file__).parents[2] / "build" / "artifacts"))


def chromium(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    assert binary, "Chromium is needed: scripts/system-deps installs it"
    return subprocess.run(
        [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp / 'chromium'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of RGBA/RGB pixels of a (non-interlaced, 8-bit) PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, data, width = 8, b"", 0
    while pos < len(png):
        size, kind = struct.unpack(">I4s", png[pos : pos + 8])
        chunk = png[pos + 8 : pos + 8 + size]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and colour in (2, 6)
            bpp = 4 if colour == 6 else 3
        elif kind == b"IDAT":
            data += chunk
        pos += 12 + size
    raw, rows, prev = zlib.decompress(data), [], bytes(width * bpp)
    stride = width * bpp
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = bytes(line)
    return width, height, [bytes(r[i : i + 3]) for r in rows for i in range(0, stride, bpp)]


@pytest.fixture(scope="module")
def report_html(emulator: Running, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("html")
    url = f"sqlite:///{folder}/calls.db"
    done = run_cli(
        "sync", "--db", url, "--from", "2026-10-27", "--to", "2026-11-25", env=api_env(emulator)
    )
    assert done.returncode == 0, done.stderr
    page = folder / "report.html"
    done = run_cli(
        "report",
        "--db",
        url,
        "--from",
        "2026-10-27",
        "--to",
        "2026-11-25",
        "--format",
        "html",
        "-o",
        str(page),
    )
    assert done.returncode == 0, done.stderr
    return page


def test_the_page_is_self_contained(report_html: Path) -> None:
    text = report_html.read_text("utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)  # nothing fetched from outside
    assert "<script" not in text
    for section in ("per-day", "heat", "waits", "sl-line", "operators", "dids", "open-cases"):
        assert f'id="{section}"' in text, section


def test_chromium_renders_every_chart(report_html: Path, tmp_path: Path) -> None:
    dom = chromium("--dump-dom", report_html.as_uri(), tmp=tmp_path)
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout

    def bars(svg_id: str) -> int:
        match = re.search(rf'<svg id="{svg_id}".*?</svg>', html, re.S)
        assert match, svg_id
        return len(re.findall(r'<rect class="(?:bar|heat)"', match.group(0)))

    assert bars("per-day") >= 30  # 30 days, stacked by status
    assert bars("heat") == 7 * 24
    assert bars("waits") == 31
    assert bars("operators") > 3 and bars("dids") == 6
    assert html.count("<tr>") > 5  # open missed cases

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report.png"
    done = chromium(
        "--window-size=1280,2400",
        "--hide-scrollbars",
        f"--screenshot={shot}",
        report_html.as_uri(),
        tmp=tmp_path,
    )
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    width, height, colours = pixels(shot.read_bytes())
    assert (width, height) == (1280, 2400)
    seen = set(colours)
    for name, rgb in {
        "answered": (0x2E, 0x7D, 0x32),
        "lost": (0xC6, 0x28, 0x28),
        "waits": (0x00, 0x83, 0x8F),
        "dids": (0x15, 0x65, 0xC0),
    }.items():
        assert bytes(rgb) in seen, f"no {name} pixels: that chart did not draw"
