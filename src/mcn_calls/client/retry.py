"""The one retry policy: what is worth another try, and how long to wait first.

Retried: 408, 409, 429 and 5xx answers; connection errors (refused, reset, a body
cut off mid-stream); timeouts; answers that are not the promised JSON (a body
mangled in transit). Waits grow exponentially with jitter; a ``Retry-After``
from the server is honoured. After the last try the error is raised: a page is
never skipped.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..errors import APIConnectionError, APIError, APIResponseParseError, APIStatusError

RETRY_STATUSES = frozenset({408, 409, 429})


@dataclass(frozen=True)
class RetryPolicy:
    """``max_retries`` more tries after the first; waits of ``backoff`` × 2ⁿ (+ jitter),
    at most ``max_backoff``; a server's ``Retry-After`` up to ``max_retry_after``."""

    max_retries: int = 5
    backoff: float = 0.5
    max_backoff: float = 20.0
    jitter: float = 0.25
    max_retry_after: float = 120.0
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def retryable(self, error: APIError) -> bool:
        if isinstance(error, APIStatusError):
            return error.status_code in RETRY_STATUSES or error.status_code >= 500
        return isinstance(error, APIConnectionError | APIResponseParseError)

    def should_retry(self, error: APIError, attempt: int) -> bool:
        """``attempt`` counts the tries made so far (1 after the first)."""
        return attempt <= self.max_retries and self.retryable(error)

    def delay(self, error: APIError, attempt: int) -> float:
        """Seconds to wait before try ``attempt + 1``."""
        if isinstance(error, APIStatusError) and error.retry_after is not None:
            return min(max(error.retry_after, 0.0), self.max_retry_after)
        base = min(self.backoff * 2 ** (attempt - 1), self.max_backoff)
        return float(base * (1 + self.jitter * self.rng.random()))
