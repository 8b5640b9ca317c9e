"""The baseline: how a hand-written script (and today's production client) fetches
calls. Every page of every day goes into one list, which is written at the end."""

from __future__ import annotations

import json
import os
import sys
from datetime import date, timedelta

import httpx


def main(date_from: str, date_to: str, out: str) -> None:
    base = os.environ["MCN_API_URL"]
    account = os.environ["MCN_ACCOUNT_ID"]
    headers = {"Authorization": f"Bearer {os.environ['MCN_API_TOKEN']}"}
    everything = []
    with httpx.Client(headers=headers, timeout=120) as http:
        pbxs = http.get(f"{base}/account/{account}/vpbx").json()["items"]
        for pbx in pbxs:
            day = date.fromisoformat(date_from)
            while day <= date.fromisoformat(date_to):
                offset = 0
                while True:
                    page = http.get(
                        f"{base}/account/{account}/vpbx/{pbx['vpbx_id']}/call_log",
                        params={
                            "date_from": day.isoformat(),
                            "date_to": day.isoformat(),
                            "limit": 2000,
                            "offset": offset,
                        },
                    ).json()["items"]
                    everything += page
                    offset += len(page)
                    if len(page) < 2000:
                        break
                day += timedelta(days=1)
    with open(out, "w", encoding="utf-8") as f:
        for call in everything:
            f.write(json.dumps(call, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
