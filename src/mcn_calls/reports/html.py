"""The HTML report: one self-contained file that works offline (no CDN, no script).

KPI cards, then calls per day stacked by status, an hour × weekday heat map of
inbound calls, the wait-time distribution with the service-level line, calls
per operator, answer rate per DID, and the open missed-call cases. Charts are
inline SVG drawn here, so the file shows the same anywhere.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from html import escape
from typing import Any

from ..store import Database
from .facts import load
from .kpis import KpiCounter
from .missed import Case, CaseTracker, callback_summary
from .report import Period, _look_ahead

STATUSES = ("ANSWERED", "LOST", "NO ANSWER", "BUSY", "FAILED")
COLOURS = {
    "ANSWERED": "#2e7d32",
    "LOST": "#c62828",
    "NO ANSWER": "#ef6c00",
    "BUSY": "#6a1b9a",
    "FAILED": "#546e7a",
    "other": "#9e9e9e",
}
WEEKDAYS = ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс")
WAIT_BIN = 10
WAIT_BINS = 31  # 0-9 s ... 290-299 s, then 300 s and more


@dataclass
class Figures:
    """Everything the page shows, gathered in one pass over the calls."""

    kpis: dict[str, Any] = field(default_factory=dict)
    per_day: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    heat: Counter[tuple[int, int]] = field(default_factory=Counter)
    waits: Counter[int] = field(default_factory=Counter)
    operators: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    dids: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    open_cases: list[Case] = field(default_factory=list)


def gather(
    db: Database, period: Period, sl_seconds: int, short_abandon_seconds: int, window: timedelta
) -> Figures:
    figures = Figures()
    totals = KpiCounter(sl_seconds, short_abandon_seconds)
    tracker = CaseTracker(window, until=period.end)
    for call in load(db, period.first, _look_ahead(period, window), period.tz, period.vpbx_ids):
        tracker.add(call)
        if call.when >= period.end:
            continue
        totals.add(call)
        status = call.status if call.status in STATUSES else "other"
        figures.per_day[call.when.date().isoformat()][status] += 1
        if call.type == "inb":
            figures.heat[(call.when.weekday(), call.when.hour)] += 1
            if call.waittime > 0:
                figures.waits[min(call.waittime // WAIT_BIN, WAIT_BINS - 1)] += 1
            did = figures.dids[call.did or "—"]
            did[0] += 1
            did[1] += call.status == "ANSWERED"
        if call.status == "ANSWERED" and call.dst_name and call.type != "out":
            operator = figures.operators[call.dst_name]
            operator[0] += 1
            operator[1] += call.talktime
    found = tracker.result()
    figures.kpis = totals.result() | callback_summary(found)
    figures.open_cases = [c for c in found if c.state == "open"]
    return figures


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _num(value: Any) -> str:
    return "—" if value is None else f"{value:,}".replace(",", " ")


def _cards(k: dict[str, Any]) -> str:
    cards = [
        (
            "Всего звонков",
            _num(k["total"]),
            f"вход {_num(k['inbound'])} · исх {_num(k['outbound'])}",
        ),
        (
            "Отвечено",
            _pct(k["answer_rate"]),
            f"{_num(k['answered'])} из {_num(k['inbound'])} входящих",
        ),
        (
            "Потеряно",
            _pct(k["abandon_rate"]),
            f"{_num(k['lost'])} LOST, коротких {_num(k['short_abandons'])}",
        ),
        ("Уровень сервиса", _pct(k["service_level"]), "ответ в пределах порога"),
        ("Среднее ожидание", f"{_num(k['asa_seconds'])} с", f"p90 {_num(k['wait_p90_seconds'])} с"),
        (
            "Перезвонили",
            _pct(k["callback_rate"]),
            f"медиана {_num(k['median_time_to_callback_seconds'])} с",
        ),
        (
            "Уникальных абонентов",
            _num(k["unique_callers"]),
            f"повторных {_num(k['repeat_callers'])}",
        ),
    ]
    return "".join(
        f'<div class="card"><div class="label">{escape(a)}</div><div class="value">{escape(b)}'
        f'</div><div class="sub">{escape(c)}</div></div>'
        for a, b, c in cards
    )


def _per_day(per_day: dict[str, Counter[str]]) -> str:
    days = sorted(per_day)
    if not days:
        return '<p class="empty">Нет звонков за период.</p>'
    width, height, pad = 900, 260, 30
    top = max(sum(c.values()) for c in per_day.values()) or 1
    step = (width - pad) / len(days)
    bars = []
    for i, day in enumerate(days):
        y: float = height - pad
        for status in (*STATUSES, "other"):
            n = per_day[day][status]
            if not n:
                continue
            h = n / top * (height - 2 * pad)
            y -= h
            bars.append(
                f'<rect class="bar" x="{pad + i * step + 1:.1f}" y="{y:.1f}" '
                f'width="{max(step - 2, 1):.1f}" height="{h:.1f}" fill="{COLOURS[status]}">'
                f"<title>{day} {status}: {n}</title></rect>"
            )
        if i % max(1, round(len(days) / 12)) == 0:
            bars.append(
                f'<text x="{pad + (i + 0.5) * step:.1f}" y="{height - 12}" '
                f'text-anchor="middle" font-size="10">{day[5:]}</text>'
            )
    legend = "".join(f'<span><i style="background:{COLOURS[s]}"></i>{s}</span>' for s in STATUSES)
    return (
        f'<svg id="per-day" viewBox="0 0 {width} {height}" role="img">'
        f'<text x="{pad}" y="14" font-size="11">макс. {top} в день</text>{"".join(bars)}</svg>'
        f'<div class="legend">{legend}</div>'
    )


def _heat(heat: Counter[tuple[int, int]]) -> str:
    cell, left, top_pad = 34, 30, 18
    top = max(heat.values(), default=0) or 1
    cells = []
    for hour in range(24):
        cells.append(
            f'<text x="{left + hour * cell + cell / 2}" y="12" font-size="10" '
            f'text-anchor="middle">{hour}</text>'
        )
    for day in range(7):
        cells.append(
            f'<text x="0" y="{top_pad + day * cell + cell / 2 + 4}" font-size="11">'
            f"{WEEKDAYS[day]}</text>"
        )
        for hour in range(24):
            n = heat[(day, hour)]
            shade = 0.06 + 0.94 * n / top
            cells.append(
                f'<rect class="heat" x="{left + hour * cell}" y="{top_pad + day * cell}" '
                f'width="{cell - 2}" height="{cell - 2}" fill="#1565c0" '
                f'fill-opacity="{shade:.2f}"><title>{WEEKDAYS[day]} {hour}:00 — {n}'
                "</title></rect>"
            )
    width, height = left + 24 * cell, top_pad + 7 * cell
    return f'<svg id="heat" viewBox="0 0 {width} {height}" role="img">{"".join(cells)}</svg>'


def _waits(waits: Counter[int], sl_seconds: int) -> str:
    width, height, pad = 900, 220, 30
    top = max(waits.values(), default=0) or 1
    step = (width - pad) / WAIT_BINS
    parts = []
    for b in range(WAIT_BINS):
        n = waits[b]
        h = n / top * (height - 2 * pad)
        label = f"{b * WAIT_BIN}-{b * WAIT_BIN + WAIT_BIN - 1} с" if b < WAIT_BINS - 1 else "300+ с"
        parts.append(
            f'<rect class="bar" x="{pad + b * step + 1:.1f}" y="{height - pad - h:.1f}" '
            f'width="{step - 2:.1f}" height="{h:.1f}" fill="#00838f"><title>{label}: {n}'
            "</title></rect>"
        )
        if b % 3 == 0:
            parts.append(
                f'<text x="{pad + b * step:.1f}" y="{height - 12}" font-size="10">'
                f"{b * WAIT_BIN}</text>"
            )
    x = pad + sl_seconds / WAIT_BIN * step
    parts.append(
        f'<line id="sl-line" x1="{x:.1f}" x2="{x:.1f}" y1="10" y2="{height - pad}" '
        f'stroke="#c62828" stroke-width="2" stroke-dasharray="5 3"/>'
        f'<text x="{x + 4:.1f}" y="20" font-size="11" fill="#c62828">SL {sl_seconds} с</text>'
    )
    return f'<svg id="waits" viewBox="0 0 {width} {height}" role="img">{"".join(parts)}</svg>'


def _hbars(svg_id: str, rows: Sequence[tuple[str, float, str]], colour: str, scale: float) -> str:
    if not rows:
        return '<p class="empty">Нет данных.</p>'
    width, row_h, left = 560, 22, 170
    parts = []
    for i, (label, value, text) in enumerate(rows):
        w = (width - left - 150) * (value / scale if scale else 0)
        y = i * row_h
        parts.append(
            f'<text x="0" y="{y + 16}" font-size="12">{escape(label[:32])}</text>'
            f'<rect class="bar" x="{left}" y="{y + 4}" width="{max(w, 1):.1f}" '
            f'height="{row_h - 8}" fill="{colour}"><title>{escape(text)}</title></rect>'
            f'<text x="{left + w + 6:.1f}" y="{y + 16}" font-size="11">{escape(text)}</text>'
        )
    return (
        f'<svg id="{svg_id}" viewBox="0 0 {width} {len(rows) * row_h}" role="img">'
        f"{''.join(parts)}</svg>"
    )


def _cases(found: list[Case]) -> str:
    if not found:
        return '<p class="empty">Открытых пропущенных нет.</p>'
    rows = "".join(
        f"<tr><td>{c.vpbx_id}</td><td>{escape(c.number)}</td>"
        f"<td>{c.first_missed_at:%Y-%m-%d %H:%M}</td><td>{c.attempts}</td></tr>"
        for c in found[:500]
    )
    more = f'<p class="sub">и ещё {len(found) - 500}</p>' if len(found) > 500 else ""
    return (
        '<table id="open-cases"><thead><tr><th>ВАТС</th><th>Номер</th><th>Первый пропуск</th>'
        f"<th>Попыток</th></tr></thead><tbody>{rows}</tbody></table>{more}"
    )


STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f5f6f8;color:#1d232b}
main{max-width:1200px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
.period{color:#5b6573;margin-bottom:16px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px}
.card{background:#fff;border-radius:8px;padding:12px 14px;box-shadow:0 1px 2px #0002}
.card .label{font-size:12px;color:#5b6573}.card .value{font-size:24px;font-weight:600;margin:4px 0}
.card .sub{font-size:12px;color:#5b6573}
section{background:#fff;border-radius:8px;padding:12px 16px;box-shadow:0 1px 2px #0002;margin-top:16px}
svg{width:100%;height:auto;display:block}
.legend span{margin-right:14px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{border-bottom:1px solid #e3e6ea;padding:4px 8px;text-align:left}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:16px}.empty{color:#5b6573}
"""


def render(figures: Figures, period: Period, sl_seconds: int) -> str:
    k = figures.kpis
    operators = sorted(figures.operators.items(), key=lambda kv: -kv[1][0])[:20]
    op_rows = [(name, n, f"{n} звонков, {talk // 60} мин") for name, (n, talk) in operators]
    dids = sorted(figures.dids.items(), key=lambda kv: -kv[1][0])[:20]
    did_rows = [
        (did, answered / n if n else 0, f"{answered}/{n} = {answered / n * 100:.0f}%")
        for did, (n, answered) in dids
    ]
    scope = ", ".join(str(v) for v in period.vpbx_ids) or "все ВАТС"
    return f"""<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Звонки {period.first} — {period.last}</title><style>{STYLE}</style></head>
<body><main>
<h1>Статистика звонков</h1>
<div class="period">{period.first:%d.%m.%Y} — {period.last:%d.%m.%Y} · {escape(scope)} · {escape(str(period.tz))}</div>
<div class="cards">{_cards(k)}</div>
<section><h2>Звонки по дням и статусам</h2>{_per_day(figures.per_day)}</section>
<section><h2>Входящие по часам и дням недели</h2>{_heat(figures.heat)}</section>
<section><h2>Время ожидания входящих</h2>{_waits(figures.waits, sl_seconds)}</section>
<div class="grid2">
<section><h2>Операторы: принятые звонки</h2>{_hbars("operators", op_rows, "#2e7d32", max((r[1] for r in op_rows), default=0))}</section>
<section><h2>Доля отвеченных по номерам (DID)</h2>{_hbars("dids", did_rows, "#1565c0", 1.0)}</section>
</div>
<section><h2>Открытые пропущенные ({len(figures.open_cases)})</h2>{_cases(figures.open_cases)}</section>
</main></body></html>
"""
