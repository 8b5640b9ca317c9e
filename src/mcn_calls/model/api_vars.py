"""A tolerant parser for the ``api_vars`` string of call events.

MCN sends ``api_vars`` as a JSON-like string that is not JSON: keys and values
are unquoted, objects nest, and values may be empty::

    {account_id:133429,num_c:null,scenario_client_variables_1:{short_num_found:false},
     dest_link_name:,n8n_success:true}

:func:`parse_api_vars` turns that into a plain ``dict``. It never raises: what
cannot be read is kept as text, and the original string stays in the raw record.

Scalars: ``null``/empty → ``None``, ``true``/``false`` → ``bool``, a whole
number without a leading zero → ``int``; anything else stays a string (so ids
like ``116-1741694432.6016962`` and ``0123`` survive unchanged). A comma ends a
value only when what follows it looks like the next ``key:`` (or a closing
brace), so ``message:Hello, world`` keeps its comma. Quoted strings, as in real
JSON, are understood too.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["parse_api_vars"]

_MAX_DEPTH = 32
_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,30})")
_NEXT_KEY = re.compile(r"\s*(?:\"[^\"]*\"|[^\s,:{}\[\]\"]+)\s*:")
_WS = " \t\r\n"


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def skip_ws(self) -> None:
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos] in _WS:
            pos += 1
        self.pos = pos

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def value(self, depth: int, in_object: bool) -> Any:
        self.skip_ws()
        char = self.peek()
        if depth < _MAX_DEPTH:
            if char == "{":
                self.pos += 1
                return self.object(depth + 1)
            if char == "[":
                self.pos += 1
                return self.array(depth + 1)
        if char == '"':
            return self.quoted()
        return _scalar(self.scalar_text(in_object))

    def object(self, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while True:
            self.skip_ws()
            char = self.peek()
            if char == "":
                return result
            if char == "}":
                self.pos += 1
                return result
            if char == ",":
                self.pos += 1
                continue
            key = self.key()
            self.skip_ws()
            if self.peek() == ":":
                self.pos += 1
                result[key] = self.value(depth, in_object=True)
            elif key:
                result[key] = None
            elif self.peek() not in ("}", ","):
                self.pos += 1  # a stray character: step over it

    def array(self, depth: int) -> list[Any]:
        result: list[Any] = []
        while True:
            self.skip_ws()
            char = self.peek()
            if char == "":
                return result
            if char == "]":
                self.pos += 1
                return result
            if char == ",":
                self.pos += 1
                continue
            start = self.pos
            result.append(self.value(depth, in_object=False))
            if self.pos == start:
                self.pos += 1  # nothing was read (a stray '}'): step over it

    def key(self) -> str:
        if self.peek() == '"':
            return str(self.quoted() or "")
        text, start = self.text, self.pos
        pos = start
        while pos < len(text) and text[pos] not in ":,}{[]":
            pos += 1
        self.pos = pos
        return text[start:pos].strip()

    def quoted(self) -> str | None:
        text, start = self.text, self.pos
        pos = start + 1
        while pos < len(text):
            if text[pos] == "\\":
                pos += 2
                continue
            if text[pos] == '"':
                break
            pos += 1
        self.pos = min(pos + 1, len(text))
        body = text[start : pos + 1]
        try:
            decoded = json.loads(body)
        except ValueError:
            return body.strip('"') or None
        return decoded if isinstance(decoded, str) else str(decoded)

    def scalar_text(self, in_object: bool) -> str:
        text, start = self.text, self.pos
        pos = start
        closer = "}" if in_object else "]"
        while pos < len(text):
            char = text[pos]
            if char == closer or char == "}":
                break
            if char == ",":
                if not in_object:
                    break
                after = pos + 1
                if after >= len(text) or text[after] == "}" or _NEXT_KEY.match(text, after):
                    break
            pos += 1
        self.pos = pos
        return text[start:pos].strip()


def _scalar(text: str) -> Any:
    if text == "" or text == "null" or text == "None":
        return None
    lowered = text.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    if _INT.fullmatch(text):
        return int(text)
    return text


def parse_api_vars(text: str | None) -> dict[str, Any]:
    """Parse an ``api_vars`` string into a dict; never raises.

    ``None`` and empty text give ``{}``. Text that is not an object at its top
    level is returned under the key ``"value"``.
    """
    if not text:
        return {}
    reader = _Reader(text)
    reader.skip_ws()
    if reader.peek() == "{":
        reader.pos += 1
        return reader.object(1)
    if reader.peek() == "[":
        reader.pos += 1
        return {"value": reader.array(1)}
    if _NEXT_KEY.match(text):
        return reader.object(1)
    return {"value": _scalar(text.strip())}
