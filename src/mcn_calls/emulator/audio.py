"""A small but valid MP3 for every recording: MPEG-1 Layer III frames of silence.

Each frame is a 4-byte header (32 kbit/s, 32 kHz, mono, no CRC) followed by
all-zero side information and main data, which decoders play as silence.
A frame is 144 bytes and lasts 36 ms.
"""

from __future__ import annotations

_HEADER = bytes((0xFF, 0xFB, 0x18, 0xC0))
FRAME = _HEADER + bytes(140)
FRAME_SECONDS = 1152 / 32000


def silent_mp3(seconds: float) -> bytes:
    """``seconds`` of silence (at least one frame)."""
    return FRAME * max(1, round(seconds / FRAME_SECONDS))
