"""``mcn-calls sync`` end to end on SQLite and PostgreSQL: emulator over a real socket,
the CLI as a subprocess, the database read back."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import httpx
import pytest
from sqlalchemy import create_engine, select, text

from mcn_calls import parse_call
from mcn_calls.emulator import Faults, Running, running
from mcn_calls.store import Database, calls

from ..conftest import ADMIN, config
from ..support import api_env, run_cli, snapshot, vpbx_ids

FIRST, LAST = "2026-10-27", "2026-11-25"
ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}


def sync(live: Running, db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    done = run_cli("sync", "--db", db_url, *args, env=api_env(live))
    return done


def summary(done: subprocess.CompletedProcess[str]) -> dict[int, tuple[int, int, int]]:
    found = re.findall(r"vpbx (\d+): (\d+) new, (\d+) changed, (\d+) unchanged", done.stdout)
    return {int(v): (int(n), int(c), int(u)) for v, n, c, u in found}


def held(live: Running, first: str, last: str) -> dict[tuple[int, str], dict]:  # type: ignore[type-arg]
    return {
        (v, c["callid"]): c
        for v in vpbx_ids(live)
        for c in live.emulator.store.between(v, f"{first} 00:00:00", f"{last} 23:59:59")
    }


def rows(db_url: str) -> dict[tuple[int, str], dict]:  # type: ignore[type-arg]
    with Database(db_url) as db, db.begin() as conn:
        return {(r.vpbx_id, r.callid): r._asdict() for r in conn.execute(select(calls))}


def test_backfill_stores_every_call_once_with_typed_columns(
    fresh_emulator: Running, db_url: str
) -> None:
    done = sync(fresh_emulator, db_url, "--from", FIRST, "--to", LAST)
    assert done.returncode == 0, done.stderr
    expected = held(fresh_emulator, FIRST, LAST)
    stored = rows(db_url)
    assert set(stored) == set(expected)
    assert {v: n for v, (n, _, _) in summary(done).items()} == {
        v: sum(1 for k in expected if k[0] == v) for v in vpbx_ids(fresh_emulator)
    }
    for key, raw in list(expected.items())[::37]:
        row, call = stored[key], parse_call(raw)
        assert row["account_id"] == 100001
        assert row["date"] == call.date and row["date"].utcoffset() is not None
        assert row["end_date"] == call.end_date and row["answer_date"] == call.answer_date
        assert (row["type"], row["src_type"], row["dst_type"], row["status"]) == (
            call.type,
            call.src_type,
            call.dst_type,
            call.status,
        )
        assert (row["waittime"], row["talktime"], row["billsec"]) == (
            call.waittime,
            call.talktime,
            call.billsec,
        )
        assert row["has_record"] is call.has_record and row["did"] == call.did
        assert row["dst_name"] == call.dst_name and row["events_count"] == call.events_count
        stored_raw = (
            row["raw"] if isinstance(row["raw"], dict) else __import__("json").loads(row["raw"])
        )
        assert stored_raw == raw
        assert row["first_seen_at"] == row["last_changed_at"]


def test_rerun_changes_nothing_and_says_so(fresh_emulator: Running, db_url: str) -> None:
    assert sync(fresh_emulator, db_url, "--from", "2026-11-10", "--to", LAST).returncode == 0
    before = rows(db_url)
    again = sync(fresh_emulator, db_url, "--from", "2026-11-10", "--to", LAST)
    assert again.returncode == 0
    assert all(n == c == 0 and u > 0 for n, c, u in summary(again).values())
    assert again.stdout.count("nothing changed") == 2
    assert rows(db_url) == before  # not one byte rewritten, bookkeeping times included


def test_incremental_sync_continues_and_picks_up_late_and_changed_calls(
    fresh_emulator: Running, db_url: str
) -> None:
    live = fresh_emulator
    vpbx = vpbx_ids(live)[0]
    assert sync(live, db_url, "--from", "2026-11-01", "--to", "2026-11-24").returncode == 0
    first = rows(db_url)
    # Upstream: a call of yesterday arrives late, one inside the lookback changes,
    # and today's calls come in.
    yesterday = next(iter(held(live, "2026-11-23", "2026-11-23").values()))
    late = {**yesterday, "callid": "116-1795500000.9", "date": "2026-11-23 23:00:00"}
    httpx.post(
        f"{live.admin_url}/vpbx/{vpbx}/calls", json=[late], headers=ADMIN_AUTH
    ).raise_for_status()
    lost = next(
        c
        for (v, _), c in held(live, "2026-11-24", "2026-11-24").items()
        if v == vpbx and c["status"] == "LOST"
    )
    httpx.patch(
        f"{live.admin_url}/vpbx/{vpbx}/calls/{lost['callid']}",
        headers=ADMIN_AUTH,
        json={"status": "ANSWERED", "talktime": 42},
    ).raise_for_status()
    added = httpx.post(
        f"{live.admin_url}/tick",
        headers=ADMIN_AUTH,
        params={"calls": 5, "changes": 0, "vpbx_id": vpbx, "at": "2026-11-26 12:00:00"},
    ).json()["added"]
    time.sleep(0.01)
    done = sync(live, db_url, "--to", "2026-11-26")  # no --from: on from the last sync
    assert done.returncode == 0, done.stderr
    assert "(2026-11-22 .. 2026-11-26)" in done.stdout  # last synced 11-24, minus 2 days
    new, changed, _ = summary(done)[vpbx]
    assert (new, changed) == (
        len(added) + 1 + sum(1 for k in held(live, "2026-11-25", "2026-11-25") if k[0] == vpbx),
        1,
    )
    after = rows(db_url)
    assert set(after) == set(held(live, "2026-11-01", "2026-11-26"))
    row = after[(vpbx, lost["callid"])]
    assert row["status"] == "ANSWERED" and row["talktime"] == 42
    old = first[(vpbx, lost["callid"])]
    assert row["first_seen_at"] == old["first_seen_at"]
    assert row["last_changed_at"] > old["last_changed_at"]
    assert (vpbx, late["callid"]) in after
    untouched = next(k for k in first if k[1] != lost["callid"] and k[0] == vpbx)
    assert after[untouched] == first[untouched]


def test_faults_give_the_identical_database(db_url: str, tmp_path: object) -> None:
    clean_url = f"sqlite:///{tmp_path}/clean.db"
    with running(config()) as live:
        assert sync(live, clean_url, "--from", FIRST, "--to", LAST).returncode == 0
    faults = Faults(fail_rate=0.2, truncate_rate=0.05, rate_limit=30)
    with running(config(faults=faults)) as live:
        done = sync(live, db_url, "--from", FIRST, "--to", LAST)
        assert done.returncode == 0, done.stderr
    assert snapshot(db_url) == snapshot(clean_url)


def test_kill_9_mid_sync_then_resume_gives_the_identical_database(
    db_url: str, tmp_path: object
) -> None:
    clean_url = f"sqlite:///{tmp_path}/clean.db"
    with running(config()) as live:
        assert sync(live, clean_url, "--from", FIRST, "--to", LAST).returncode == 0
    with running(config(faults=Faults(latency_ms=60))) as live:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MCN_")}
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mcn_calls",
                "sync",
                "--db",
                db_url,
                "--from",
                FIRST,
                "--to",
                LAST,
            ],
            env={**env, **api_env(live)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        stored = 0
        while time.monotonic() < deadline and proc.poll() is None:
            stored = _count(db_url)
            if stored > 300:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the sync ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert 0 < _count(db_url) < len(held(live, FIRST, LAST))
        resumed = sync(live, db_url, "--from", FIRST, "--to", LAST)
        assert resumed.returncode == 0, resumed.stderr
    assert snapshot(db_url) == snapshot(clean_url)


def _count(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM calls")).scalar() or 0)
    except Exception:
        return 0  # the schema is not there yet
    finally:
        engine.dispose()


def test_a_window_failing_after_retries_is_named_not_marked_and_retried(
    db_url: str, tmp_path: object
) -> None:
    clean_url = f"sqlite:///{tmp_path}/clean.db"
    with running(config()) as live:
        assert sync(live, clean_url, "--from", FIRST, "--to", LAST).returncode == 0
        assert sync(live, db_url, "--from", FIRST, "--to", "2026-11-10").returncode == 0
    with running(config(faults=Faults(fail_rate=1.0))) as live:
        ids = [arg for v in vpbx_ids(live) for arg in ("--vpbx", str(v))]
        failed = run_cli(
            "--max-retries", "1", "sync", "--db", db_url, "--to", LAST, *ids, env=api_env(live)
        )
    assert failed.returncode == 1
    assert "FAILED at 2026-11-08" in failed.stdout  # 11-10 minus the 2-day lookback
    error = failed.stderr.strip().splitlines()
    assert len(error) == 1 and "window 2026-11-08" in error[0] and "run the sync again" in error[0]
    with running(config()) as live:
        again = sync(live, db_url, "--to", LAST)
        assert again.returncode == 0, again.stderr
        assert "(2026-11-08 .. 2026-11-25)" in again.stdout
    assert snapshot(db_url) == snapshot(clean_url)


def test_detailed_sync_stores_events_and_plain_reruns_keep_them(
    fresh_emulator: Running, db_url: str
) -> None:
    live = fresh_emulator
    assert sync(live, db_url, "--from", "2026-11-20", "--to", "2026-11-21").returncode == 0
    enriched = sync(live, db_url, "--from", "2026-11-20", "--to", "2026-11-21", "--detailed")
    assert enriched.returncode == 0
    assert all(n == c == 0 for n, c, _ in summary(enriched).values())  # same calls
    snap = snapshot(db_url)
    expected_events = sum(
        c["events_count"] for c in held(live, "2026-11-20", "2026-11-21").values()
    )
    assert len(snap["events"]) == expected_events > 0
    api = [e for e in snap["events"] if e[4] == "api"]
    assert api and api[0][19]["scenario_client_variables_1"]["short_num_found"] is False
    plain = sync(live, db_url, "--from", "2026-11-20", "--to", "2026-11-21")
    assert all(n == c == 0 for n, c, _ in summary(plain).values())
    assert snapshot(db_url) == snap


def test_sqlite_and_postgresql_hold_the_same(fresh_emulator: Running, tmp_path: object) -> None:
    from ..conftest import pg_schema

    lite = f"sqlite:///{tmp_path}/a.db"
    pg_urls = pg_schema()
    pg = next(pg_urls)
    try:
        for url in (lite, pg):
            done = sync(fresh_emulator, url, "--from", "2026-11-15", "--to", LAST, "--detailed")
            assert done.returncode == 0, done.stderr
        assert snapshot(lite) == snapshot(pg)
    finally:
        next(pg_urls, None)


@pytest.mark.parametrize(
    ("args", "needle", "code"),
    [
        (["--db", "mysql://x/y"], "Unsupported database", 2),
        (["--db", "postgresql://root@127.0.0.1:5432/no_such_db"], "no_such_db", 1),
        (["--db", "/nonexistent/dir/x.db"], "does not exist", 2),
        (["--from", "2026-11-30", "--to", "2026-11-01"], "is after --to", 2),
        (["--from", "yesterday"], "is not a date", 2),
    ],
)
def test_sync_user_errors_are_one_sentence(
    emulator: Running, args: list[str], needle: str, code: int, tmp_path: object
) -> None:
    full = args if "--db" in args else ["--db", f"sqlite:///{tmp_path}/x.db", *args]
    done = run_cli("sync", *full, env=api_env(emulator))
    assert done.returncode == code, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and needle in lines[0], lines
    assert "Traceback" not in done.stderr


def test_demo_runs_twice_safely(tmp_path: object) -> None:
    env = {"HOME": str(tmp_path)}
    first = subprocess.run(
        [sys.executable, "-m", "mcn_calls", "demo", "--days", "7"],
        cwd=str(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )
    assert first.returncode == 0, first.stderr
    db = os.path.join(str(tmp_path), "mcn-calls-demo.db")
    assert os.path.exists(db) and db in first.stdout
    count = _count(f"sqlite:///{db}")
    assert count > 500 and f"{count} calls of 2 PBXs" in first.stdout
    second = subprocess.run(
        [sys.executable, "-m", "mcn_calls", "demo", "--days", "7"],
        cwd=str(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert second.returncode == 0
    assert second.stdout.count("nothing changed") == 2
    assert _count(f"sqlite:///{db}") == count
    # The demo syncs events too, so every report works on it, --by queue included.
    span = re.search(r"syncing (\S+) \.\. (\S+) into", first.stdout)
    assert span
    done = run_cli(
        "report",
        "--db",
        db,
        "--from",
        span[1],
        "--to",
        span[2],
        "--by",
        "queue",
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    queued = sum(g["kpis"]["inbound"] for g in report["groups"])
    assert len(report["groups"]) >= 2 and 0 < queued < report["kpis"]["inbound"]


def test_a_changed_call_drops_or_replaces_its_events(fresh_emulator: Running, db_url: str) -> None:
    live = fresh_emulator
    vpbx = vpbx_ids(live)[0]
    days = ("--from", "2026-11-20", "--to", "2026-11-21")
    target = next(
        c
        for (v, _), c in held(live, "2026-11-21", "2026-11-21").items()
        if v == vpbx and c["events_count"] >= 2
    )

    def events_of() -> tuple[int, int, bool]:
        """(events of the target, all events, the target's has_events)."""
        with Database(db_url) as db, db.begin() as conn:
            mine = conn.execute(
                text("SELECT count(*) FROM events WHERE vpbx_id = :v AND callid = :c"),
                {"v": vpbx, "c": target["callid"]},
            ).scalar_one()
            total = conn.execute(text("SELECT count(*) FROM events")).scalar_one()
            flag = conn.execute(
                text("SELECT has_events FROM calls WHERE vpbx_id = :v AND callid = :c"),
                {"v": vpbx, "c": target["callid"]},
            ).scalar_one()
        return mine, total, bool(flag)

    def patch(**changes: object) -> None:
        httpx.patch(
            f"{live.admin_url}/vpbx/{vpbx}/calls/{target['callid']}",
            headers=ADMIN_AUTH,
            json=changes,
        ).raise_for_status()

    assert sync(live, db_url, *days, "--detailed").returncode == 0
    count = target["events_count"]
    mine, everything, flag = events_of()
    assert mine == count and flag and everything > count
    # Changed upstream, synced plain: the stored events no longer match, so they go.
    patch(talktime=7)
    done = sync(live, db_url, *days)
    assert summary(done)[vpbx][1] == 1
    assert events_of() == (0, everything - count, False)
    # Synced detailed again: the call is unchanged but gets its events back.
    done = sync(live, db_url, *days, "--detailed")
    assert summary(done)[vpbx][:2] == (0, 0)
    assert events_of() == (count, everything, True)
    # Changed again, synced detailed: the events are replaced, not added.
    patch(talktime=8)
    done = sync(live, db_url, *days, "--detailed")
    assert summary(done)[vpbx][1] == 1
    assert events_of() == (count, everything, True)


class _FailingWindow(httpx.HTTPTransport):
    """The real transport, except that one PBX's one day answers 503."""

    def __init__(self, vpbx: int, day: str) -> None:
        super().__init__()
        self.path, self.day = f"/vpbx/{vpbx}/call_log", day

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.path.endswith(self.path) and url.params.get("date_from") == self.day:
            return httpx.Response(503, json={"status": "error", "errors": {"description": "x"}})
        return super().handle_request(request)


def test_one_pbx_failing_leaves_the_others_synced(emulator: Running, db_url: str) -> None:
    from datetime import date, datetime

    from mcn_calls.client import Client
    from mcn_calls.errors import SyncError
    from mcn_calls.sync import Syncer

    from ..conftest import ACCOUNTS

    broken, whole = vpbx_ids(emulator)
    client = Client(
        base_url=emulator.base_url,
        token=ACCOUNTS[100001],
        account_id=100001,
        max_retries=1,
        transport=_FailingWindow(broken, "2026-11-22"),
        sleep=lambda _: None,
    )
    with client, Database(db_url) as db:
        syncer = Syncer(client, db)
        with pytest.raises(SyncError, match=f"vpbx {broken} window 2026-11-22"):
            syncer.run([broken, whole], date(2026, 11, 20), date(2026, 11, 25))
        with db.begin() as conn:
            stored = {
                v: set(
                    conn.execute(text(f"SELECT callid FROM calls WHERE vpbx_id = {v}")).scalars()
                )
                for v in (broken, whole)
            }
            until = conn.execute(
                text(f"SELECT synced_until FROM sync_state WHERE vpbx_id = {broken}")
            ).scalar_one()
    held_calls = held(emulator, "2026-11-20", "2026-11-25")
    before = held(emulator, "2026-11-20", "2026-11-21")
    assert stored[whole] == {c for v, c in held_calls if v == whole}
    assert stored[broken] == {c for v, c in before if v == broken}
    moscow = datetime.fromisoformat("2026-11-21 23:59:59+03:00")
    assert datetime.fromisoformat(str(until)) == moscow  # marked done up to the failure


def test_a_failing_write_stops_the_fetching_thread_cleanly(
    emulator: Running, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fetching thread, a window half staged, is wound down on its own thread:
    nothing is left to fail later in the garbage collector."""
    import gc
    import threading
    from datetime import date

    from mcn_calls.client import Client
    from mcn_calls.errors import DatabaseError
    from mcn_calls.store import Writer
    from mcn_calls.sync import Syncer

    from ..conftest import ACCOUNTS

    def broken(*args: object, **kwargs: object) -> None:
        raise DatabaseError("The disk is full.")

    monkeypatch.setattr(Writer, "write_window", broken)
    unraisable: list[object] = []
    monkeypatch.setattr("sys.unraisablehook", unraisable.append)
    client = Client(base_url=emulator.base_url, token=ACCOUNTS[100001], account_id=100001)
    with client, Database(f"sqlite:///{tmp_path}/calls.db") as db:
        with pytest.raises(DatabaseError, match="disk is full"):
            Syncer(client, db).run(None, date(2026, 11, 1), date(2026, 11, 25))
        gc.collect()
    assert not [t for t in threading.enumerate() if t.name == "mcn-calls-fetch"]
    assert unraisable == []
