"""The baseline: the loop users write today. requests + json + sqlite3, one row at a
time with an upsert, one transaction per day. It stores the spec's fields as they
come (no typing) and the record's JSON.

    python -m benchmarks.baseline_sync DB DATE_FROM DATE_TO   (MCN_* in the environment)
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from datetime import date, timedelta

import requests

FIELDS = (
    "callid",
    "date",
    "type",
    "src_num",
    "src_name",
    "src_type",
    "dst_num",
    "dst_name",
    "dst_type",
    "did",
    "waittime",
    "talktime",
    "billsec",
    "status",
    "has_record",
)


def main(db_path: str, date_from: str, date_to: str) -> int:
    base, account = os.environ["MCN_API_URL"], os.environ["MCN_ACCOUNT_ID"]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {os.environ['MCN_API_TOKEN']}"
    db = sqlite3.connect(db_path)
    db.execute(
        "CREATE TABLE IF NOT EXISTS calls (vpbx_id INTEGER, "
        + ", ".join(f"{f} TEXT" for f in FIELDS)
        + ", raw TEXT, PRIMARY KEY (vpbx_id, callid))"
    )
    columns = ", ".join(FIELDS)
    marks = ", ".join("?" * (len(FIELDS) + 2))
    sql = (
        f"INSERT INTO calls (vpbx_id, {columns}, raw) VALUES ({marks}) "
        f"ON CONFLICT (vpbx_id, callid) DO UPDATE SET "
        + ", ".join(f"{f} = excluded.{f}" for f in FIELDS[1:])
        + ", raw = excluded.raw"
    )
    total = 0
    pbxs = session.get(f"{base}/account/{account}/vpbx").json()["items"]
    for pbx in pbxs:
        day, last = date.fromisoformat(date_from), date.fromisoformat(date_to)
        while day <= last:
            offset = 0
            while True:
                answer = session.get(
                    f"{base}/account/{account}/vpbx/{pbx['vpbx_id']}/call_log",
                    params={
                        "date_from": day.isoformat(),
                        "date_to": day.isoformat(),
                        "limit": 2000,
                        "offset": offset,
                    },
                )
                items = json.loads(answer.content)["items"]
                for call in items:
                    db.execute(
                        sql,
                        (
                            pbx["vpbx_id"],
                            *[call.get(f) for f in FIELDS],
                            json.dumps(call, ensure_ascii=False),
                        ),
                    )
                total += len(items)
                offset += len(items)
                if len(items) < 2000:
                    break
            db.commit()
            day += timedelta(days=1)
    print(total)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
