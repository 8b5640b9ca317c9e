"""Phone numbers compared as numbers: ``+7 914 027-07-77``, ``89140270777`` and
``79140270777`` are one Russian number."""

from __future__ import annotations

import re
from functools import lru_cache

_NOT_DIGITS = re.compile(r"\D")


@lru_cache(maxsize=1 << 18)
def number_key(value: str | None) -> str | None:
    """The comparable form of a number: its digits, Russian numbers as 7XXXXXXXXXX.

    A leading ``8`` of an 11-digit number is the Russian trunk prefix (→ ``7``);
    a 10-digit number starting with ``9`` is a Russian mobile without the country
    code. Short numbers (extensions) and foreign numbers keep their digits.
    """
    if value is None:
        return None
    digits = _NOT_DIGITS.sub("", value)
    if not digits:
        return value.strip() or None
    if len(digits) == 11 and digits[0] == "8":
        return "7" + digits[1:]
    if len(digits) == 10 and digits[0] == "9":
        return "7" + digits
    return digits
