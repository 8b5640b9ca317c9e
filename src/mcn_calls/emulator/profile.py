"""The make-up of an emulated virtual PBX: its DIDs, queues and operators.

Everything is derived from the seed, the account id and the PBX's index, so the
same arguments always give the same PBX.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

_FIRST = (
    "Анна",
    "Мария",
    "Елена",
    "Ольга",
    "Татьяна",
    "Наталья",
    "Ирина",
    "Светлана",
    "Иван",
    "Алексей",
    "Дмитрий",
    "Сергей",
    "Андрей",
    "Михаил",
    "Павел",
    "Николай",
)
_LAST_F = ("Смирнова", "Иванова", "Кузнецова", "Попова", "Соколова", "Лебедева", "Козлова")
_LAST_M = ("Смирнов", "Иванов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов")
_QUEUES = ("Отдел продаж", "Техподдержка", "Бухгалтерия", "Доставка")
_PBX_NAMES = ("Главный офис", "Филиал СПб", "Склад", "Колл-центр", "Интернет-магазин")
_DID_PREFIXES = (7495_000_0000, 7800_000_0000, 7812_000_0000)


@dataclass(frozen=True, slots=True)
class Operator:
    ext: str
    name: str


@dataclass(frozen=True, slots=True)
class Queue:
    num: str
    name: str
    operators: tuple[Operator, ...]


@dataclass(frozen=True, slots=True)
class Pbx:
    """One emulated virtual PBX.

    ``queue_dids`` route inbound calls to ``queues`` (the i-th DID to the i-th
    queue, wrapping); ``direct_did`` rings an operator's extension directly.
    """

    account_id: int
    vpbx_id: int
    index: int
    name: str
    node: int
    queue_dids: tuple[int, ...]
    direct_did: int
    queues: tuple[Queue, ...]
    operators: tuple[Operator, ...]
    customer_salt: int

    @property
    def dids(self) -> tuple[int, ...]:
        return (*self.queue_dids, self.direct_did)

    def queue_for(self, did: int) -> Queue | None:
        """The queue a DID routes to, or None for the direct line."""
        if did == self.direct_did:
            return None
        return self.queues[self.queue_dids.index(did) % len(self.queues)]

    def customer(self, k: int) -> str:
        """The k-th customer's mobile number (a stable pool: k repeats → repeat caller)."""
        return str(79_000_000_000 + (k * 2_654_435_761 + self.customer_salt) % 1_000_000_000)

    def describe(self) -> dict[str, object]:
        """The vpbx list item for this PBX."""
        return {
            "vpbx_id": self.vpbx_id,
            "name": self.name,
            "status": "active",
            "dids": [str(d) for d in self.dids],
            "operators": len(self.operators),
        }


def build_pbx(seed: int, account_id: int, index: int, taken: set[int]) -> Pbx:
    """The ``index``-th PBX of an account; its id avoids the ids in ``taken``."""
    rng = random.Random(f"pbx/{seed}/{account_id}/{index}")
    vpbx_id = rng.randrange(10_000, 99_000)
    while vpbx_id in taken:
        vpbx_id += 1
    taken.add(vpbx_id)
    n_ops = rng.randint(6, 10)
    operators = []
    names_used: set[str] = set()
    for i in range(n_ops):
        while True:
            first = rng.choice(_FIRST)
            female = _FIRST.index(first) < 8
            name = f"{first} {rng.choice(_LAST_F if female else _LAST_M)}"
            if name not in names_used:
                break
        names_used.add(name)
        operators.append(Operator(ext=str(101 + i), name=name))
    n_queues = rng.randint(1, 2)
    queue_names = rng.sample(_QUEUES, n_queues)
    queues = []
    for q, qname in enumerate(queue_names):
        members = tuple(op for i, op in enumerate(operators) if i % n_queues == q)
        queues.append(Queue(num=str(500 + q), name=qname, operators=members))
    dids = [prefix + rng.randrange(1_000_000, 9_999_999) for prefix in _DID_PREFIXES]
    return Pbx(
        account_id=account_id,
        vpbx_id=vpbx_id,
        index=index,
        name=_PBX_NAMES[(index + account_id) % len(_PBX_NAMES)],
        node=rng.choice((114, 115, 116, 117)),
        queue_dids=(dids[0], dids[1]),
        direct_did=dids[2],
        queues=tuple(queues),
        operators=tuple(operators),
        customer_salt=rng.randrange(1_000_000_000),
    )
