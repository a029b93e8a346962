#!/usr/bin/python3
"""report_fixture.py - the inputs of tm-report, written from the layouts in
CONVENTIONS.md (Recommendation stream, Portfolio state, Model registry, the
run log of libcommon/runlog.c, the slot stream), for its tests and bench.
tm-diff and tm-model write the real ones; this helper shares no code with
them or with tm-report.  Run with /usr/bin/python3 (numpy, for tmt_np).

    report_fixture.py [options] DIR

writes DIR/recs.tmt, DIR/slots.tmt, DIR/state/{portfolio.json,journal.jsonl},
DIR/log/YYYY-MM.jsonl and DIR/models/registry.json, and DIR/truth.json: the
figures a test compares tm-report's output with.

    --days N      journal days (trading days, weekdays, ending --end)
    --tickers N   rows of the recommendation frame
    --slots N     slots of the slot frame (5/6 active, 1/12 archive, rest padding)
    --slot-days N frames of the slot stream (freshness)
    --inject      a ticker, reason, warning and tool named like HTML/script
    --seed S
    --critical L  meta.critical (any text: header-injection tests)
"""
import argparse
import datetime
import json
import math
import os
import random

import numpy as np
import tmt_np

EVIL = "<script>alert(1)</script>"


def trading_days(end, n):
    d, out = end, []
    while len(out) < n:
        if d.weekday() < 5:
            out.append(d)
        d -= datetime.timedelta(days=1)
    return out[::-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--tickers", type=int, default=40)
    ap.add_argument("--slots", type=int, default=120)
    ap.add_argument("--slot-days", type=int, default=3)
    ap.add_argument("--end", default="2026-11-30")
    ap.add_argument("--inject", action="store_true")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--critical", default="",
                    help="meta.critical of the recommendation frame")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    end = datetime.date.fromisoformat(a.end)
    days = trading_days(end, a.days)
    for sub in ("state", "log", "models"):
        os.makedirs(os.path.join(a.dir, sub), exist_ok=True)

    tickers = ["T%04d" % i for i in range(a.tickers)]
    if a.inject:
        tickers[0] = EVIL
    reasons = ["policy", "max_weight", "stop_loss", "min_cash"]
    if a.inject:
        reasons.append("<b>bold</b>")

    # the journal: a random walk of value and benchmark, trades every day
    value, bench = 1_000_000.0, 400.0
    last_px = {}
    lines = [json.dumps({"date": days[0].isoformat(), "reset": "new model"})]
    vals, bens = [], []
    for d in days:
        before = value
        value *= 1 + rnd.gauss(0.0004, 0.01)
        bench *= 1 + rnd.gauss(0.0003, 0.009)
        trades = []
        for _ in range(rnd.randint(0, 4)):
            t = rnd.choice(tickers)
            px = last_px.get(t, 100.0) * (1 + rnd.gauss(0, 0.02))
            last_px[t] = px
            act = rnd.choice(["BUY", "SELL"])
            trades.append({"ticker": t, "action": 1 if act == "BUY" else -1,
                           "shares": rnd.randint(1, 500) * (1 if act == "BUY" else -1),
                           "price": round(px, 4), "target": 0.02,
                           "current": 0.01, "reason": "policy",
                           "confidence": 0.7})
        lines.append(json.dumps({
            "date": d.isoformat(), "model": "v1", "inputs": {},
            "value_before": before, "value_after": value, "cash": 0.1,
            "bench": bench, "trades": trades, "fired": "", "warnings": "",
            "critical": ""}))
        vals.append(value)
        bens.append(bench)
    with open(os.path.join(a.dir, "state", "journal.jsonl"), "w") as f:
        f.write("\n".join(lines) + "\n")

    # the day's recommendations
    rows, nbuy, nsell = [], 0, 0
    for i, t in enumerate(tickers):
        act = [1, 0, -1][i % 3]
        cur = rnd.uniform(0, 0.03) if act <= 0 else rnd.uniform(0, 0.01)
        delta = (rnd.uniform(0.021, 0.05) * act) if act else 0.0
        tgt = max(cur + delta, 0.0)
        px = last_px.get(t, 100.0)
        rows.append([act, tgt, cur, tgt - cur, round((tgt - cur) * value / px),
                     px, rnd.random(), i % len(reasons)])
        nbuy += act == 1
        nsell += act == -1
    warnings = ("turbulence," + EVIL) if a.inject else "turbulence"
    meta = {"model": "v1", "reasons": ",".join(reasons),
            "fired": "max_weight:2,min_cash:1", "warnings": warnings,
            "critical": a.critical}
    coords = {"date": days[-1].isoformat(), "value": value, "cash": 0.1,
              "hwm": max(vals), "pnl": vals[-1] - vals[-2] if len(vals) > 1 else 0}
    with open(os.path.join(a.dir, "recs.tmt"), "wb") as f:
        w = tmt_np.Writer(f)
        w.frame(np.array(rows, dtype="<f8"), ["ticker", "field"],
                labels={"ticker": tickers,
                        "field": ["action", "target", "current", "delta",
                                  "shares", "price", "confidence", "reason"]},
                coords=coords, meta=meta)
        w.end()

    held = [t for t in tickers[:10]]
    with open(os.path.join(a.dir, "state", "portfolio.json"), "w") as f:
        json.dump({"date": days[-1].isoformat(), "model": "v1",
                   "value": value, "cash": value * 0.1, "hwm": max(vals),
                   "positions": [{"ticker": t, "shares": 10 + i,
                                  "price": last_px.get(t, 100.0),
                                  "weight": 0.09}
                                 for i, t in enumerate(held)]}, f)

    # the run log: three tools a day, every 7th fetch fails
    tools = ["tm-fetch", "tm-features", "tm-diff"]
    if a.inject:
        tools.append(EVIL)
    logs, fetch_ok, fetch_all = {}, 0, 0
    cut30 = (end - datetime.timedelta(days=30)).isoformat()
    for k, d in enumerate(days):
        for j, t in enumerate(tools):
            ex = 75 if (t == "tm-fetch" and k % 7 == 3) else 0
            start = "%sT21:%02d:00Z" % (d.isoformat(), 10 + j)
            if t == "tm-fetch" and start >= cut30:
                fetch_all += 1
                fetch_ok += ex == 0
            logs.setdefault(d.strftime("%Y-%m"), []).append(json.dumps({
                "tool": t, "args": ["-x", EVIL if a.inject else "y"],
                "start": start, "end": start, "seconds": 0.25 + j,
                "exit": ex, "rows_in": 10, "rows_out": 10, "pid": 100 + k}))
    for m, ls in logs.items():
        with open(os.path.join(a.dir, "log", m + ".jsonl"), "w") as f:
            f.write("\n".join(ls) + "\n")

    versions = [
        {"version": "v0", "file": "v0.tmt", "algo": "ppo", "seed": 1,
         "from": "2015-01-02", "to": "2024-12-31", "status": "retired",
         "added": "2025-01-05", "metrics": {"valid_sharpe": 0.8},
         "gate": {"passed": True}},
        {"version": "v1", "file": "v1.tmt", "algo": "ppo", "seed": 2,
         "from": "2015-01-02", "to": "2025-12-31", "status": "live",
         "added": "2026-01-05", "metrics": {"valid_sharpe": 1.1},
         "gate": {"passed": True, "sharpe": 1.1, "bench_sharpe": 0.7}},
        {"version": EVIL if a.inject else "v2", "file": "v2.tmt",
         "algo": "sac", "seed": 3, "from": "2015-01-02",
         "to": "2026-10-31", "status": "shadow", "added": "2026-11-03",
         "metrics": {"valid_sharpe": 1.2},
         "gate": {"passed": True, "sharpe": 1.2, "bench_sharpe": 0.7}},
    ]
    with open(os.path.join(a.dir, "models", "registry.json"), "w") as f:
        json.dump({"versions": versions}, f)

    # the slot stream: the last slot-days days
    n = a.slots
    nact, narch = n * 5 // 6, n // 12
    region = [0] * nact + [1] * narch + [2] * (n - nact - narch)
    labels = [(tickers[i] if i < len(tickers) else "S%05d" % i)
              if region[i] < 2 else "" for i in range(n)]
    stale = 0
    with open(os.path.join(a.dir, "slots.tmt"), "wb") as f:
        w = tmt_np.Writer(f)
        for k, d in enumerate(days[-a.slot_days:]):
            arr = np.zeros((n, 3), dtype="<f4")
            for i in range(n):
                arr[i, 0] = 100 if labels[i] and (i % 17 or k == 0) else math.nan
                arr[i, 1] = 0.001
                arr[i, 2] = region[i]
            w.frame(arr, ["slot", "feature"],
                    labels={"slot": labels,
                            "feature": ["close", "ret", "region"]},
                    coords={"date": d.isoformat(), "turbulence": 0},
                    meta={"layout": "test"})
        w.end()
    stale = sum(1 for i in range(n) if labels[i] and i % 17 == 0) \
        if a.slot_days > 1 else 0

    rets = [vals[i] / vals[i - 1] - 1 for i in range(1, len(vals))]
    m = sum(rets) / len(rets)
    sd = math.sqrt(sum((x - m) ** 2 for x in rets) / (len(rets) - 1))
    json.dump({"date": days[-1].isoformat(), "nbuy": nbuy, "nsell": nsell,
               "value": value, "ret": vals[-1] / vals[0] - 1,
               "sharpe": m / sd * math.sqrt(252), "fetch_ok": fetch_ok,
               "fetch_all": fetch_all, "slots": [nact, narch, n - nact - narch],
               "stale": stale, "tickers": tickers},
              open(os.path.join(a.dir, "truth.json"), "w"))


main()
