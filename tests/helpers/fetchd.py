#!/usr/bin/env python3
"""fetchd.py - the loopback market-data server tm-fetch's tests run against.

Python 3 standard library only.  It answers in the recorded layouts of
/work/shared/api-formats.md: Yahoo chart v8, Stooq CSV, Alpha Vantage
TIME_SERIES_DAILY_ADJUSTED (JSON and CSV), Polygon aggregates and grouped
daily, with deterministic synthetic bars for any ticker and dates.

  fetchd.py serve --port N [--log FILE] [--delay-ms N] [--fixtures DIR]
  fetchd.py ctl PORT SCENARIO.json     load a scenario, reset counters and log
  fetchd.py expect FROM TO TICKER...   the synthetic bars as dump prints them
  fetchd.py dump [--meta] FILE...      a TMT stream as long CSV ("-" = stdin)

A scenario is JSON: {"rules": [{"match": REGEX, "seq": [ACTION, ...]}],
"market": [TICKER, ...]}.  The first rule whose REGEX matches the path and
query serves the request; its n-th hit takes seq[n] (the last one repeats).
ACTION keys: "normal" (the synthetic answer), "status", "headers", "body",
"file" (a fixture), "delay" (seconds, then the rest), "truncate" (promise
more bytes than sent, then close), "malformed" (the body cut in half),
"html" (an HTML error page with 200), "close" (hang up without a word),
"av_note" / "av_info" (Alpha Vantage throttle / daily-cap bodies).
Tickers containing NOPE are unknown to every source.
"""
import datetime as dt
import json
import math
import os
import re
import socket
import struct
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

try:
    from zoneinfo import ZoneInfo
    NY = ZoneInfo("America/New_York")
except Exception:  # no tz database: fall back to the US rule since 2007
    NY = None

# NYSE full-day closures, 2020..2026 (weekends aside).
HOLIDAYS = {
    "2020-01-01", "2020-01-20", "2020-02-17", "2020-04-10", "2020-05-25",
    "2020-07-03", "2020-09-07", "2020-11-26", "2020-12-25",
    "2021-01-01", "2021-01-18", "2021-02-15", "2021-04-02", "2021-05-31",
    "2021-06-18", "2021-07-05", "2021-09-06", "2021-11-25", "2021-12-24",
    "2022-01-17", "2022-02-21", "2022-04-15", "2022-05-30", "2022-06-20",
    "2022-07-04", "2022-09-05", "2022-11-24", "2022-12-26",
    "2023-01-02", "2023-01-16", "2023-02-20", "2023-04-07", "2023-05-29",
    "2023-06-19", "2023-07-04", "2023-09-04", "2023-11-23", "2023-12-25",
    "2024-01-01", "2024-01-15", "2024-02-19", "2024-03-29", "2024-05-27",
    "2024-06-19", "2024-07-04", "2024-09-02", "2024-11-28", "2024-12-25",
    "2025-01-01", "2025-01-09", "2025-01-20", "2025-02-17", "2025-04-18",
    "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01", "2025-11-27",
    "2025-12-25",
    "2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25",
    "2026-06-19", "2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25",
}


def trading(d):
    return d.weekday() < 5 and d.isoformat() not in HOLIDAYS


def days(a, b):
    d = a
    while d <= b:
        if trading(d):
            yield d
        d += dt.timedelta(days=1)


def ny_epoch(d, hour, minute):
    """UTC epoch seconds of a New York wall-clock time on day d."""
    if NY is not None:
        t = dt.datetime(d.year, d.month, d.day, hour, minute, tzinfo=NY)
        return int(t.timestamp())
    # Second Sunday of March to first Sunday of November: UTC-4.
    def nth_sunday(y, m, n):
        first = dt.date(y, m, 1)
        return first + dt.timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))
    off = 4 if nth_sunday(d.year, 3, 2) <= d < nth_sunday(d.year, 11, 1) else 5
    base = dt.datetime(d.year, d.month, d.day, hour, minute, tzinfo=dt.timezone.utc)
    return int(base.timestamp()) + off * 3600


def bar(sym, d):
    """Deterministic synthetic bar: prices with 2 decimals, whole volume."""
    seed = zlib.crc32(sym.upper().encode())
    i = d.toordinal()
    base = 20 + seed % 200
    o = round(base * (1 + 0.1 * math.sin(i / 7 + seed % 13)), 2)
    c = round(o * (1 + 0.02 * math.sin(i * 1.3 + seed % 7)), 2)
    h = round(max(o, c) + 0.25 + (i % 5) * 0.1, 2)
    lo = round(min(o, c) - 0.25 - (i % 3) * 0.1, 2)
    v = float(100000 + (seed + i * 7919) % 900000)
    return {"open": o, "high": h, "low": lo, "close": c, "adjclose": c,
            "volume": v, "split": 1.0, "dividend": 0.0}


FIELDS = ["open", "high", "low", "close", "adjclose", "volume", "split", "dividend"]


def num(x):
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else repr(float(x))


def canon(sym):
    s = sym.strip()
    if s.lower().endswith(".us"):
        s = s[:-3]
    return s.upper().replace(".", "-").replace("/", "-")


# ------------------------------------------------------------------ state

STATE = {"scenario": {"rules": []}, "hits": {}, "lock": threading.Lock(),
         "log": None, "delay": 0.0, "fixtures": None}


def pick_action(target):
    with STATE["lock"]:
        for k, rule in enumerate(STATE["scenario"].get("rules", [])):
            if re.search(rule["match"], target):
                n = STATE["hits"].get(k, 0)
                STATE["hits"][k] = n + 1
                seq = rule.get("seq", [{"normal": True}])
                return seq[min(n, len(seq) - 1)]
    return {"normal": True}


# ----------------------------------------------------------- the layouts

def today():
    return dt.datetime.now(NY).date() if NY else dt.date.today()


def yahoo(path, q):
    sym = path.rsplit("/", 1)[-1]
    if "NOPE" in sym.upper():
        return 404, "application/json", json.dumps({"chart": {"result": None, "error": {
            "code": "Not Found", "description": "No data found, symbol may be delisted"}}})
    p1 = int(q.get("period1", ["0"])[0])
    p2 = int(q.get("period2", ["0"])[0])
    a = dt.datetime.fromtimestamp(p1, dt.timezone.utc).date()
    b = dt.datetime.fromtimestamp(p2, dt.timezone.utc).date()
    ds = [d for d in days(a, b) if p1 <= ny_epoch(d, 9, 30) <= p2]
    # Yahoo may append the latest bar past period2: do it, clients clip.
    nxt = b + dt.timedelta(days=1)
    while not trading(nxt):
        nxt += dt.timedelta(days=1)
    ds.append(nxt)
    bars = [bar(canon(sym), d) for d in ds]
    ts = [ny_epoch(d, 9, 30) for d in ds]
    body = {"chart": {"result": [{
        "meta": {"currency": "USD", "symbol": sym, "exchangeName": "NMS",
                 "instrumentType": "EQUITY", "gmtoffset": -14400,
                 "exchangeTimezoneName": "America/New_York",
                 "regularMarketPrice": bars[-1]["close"], "priceHint": 2,
                 "dataGranularity": "1d"},
        "timestamp": ts,
        "indicators": {"quote": [{k: [x[k] if k != "volume" else int(x[k]) for x in bars]
                                  for k in ("open", "high", "low", "close", "volume")}],
                       "adjclose": [{"adjclose": [x["adjclose"] for x in bars]}]}}],
        "error": None}}
    return 200, "application/json", json.dumps(body)


def ymd(s):
    return dt.date(int(s[:4]), int(s[4:6]), int(s[6:8]))


def stooq(path, q):
    sym = q.get("s", [""])[0]
    if "NOPE" in sym.upper():
        return 200, "text/plain", "No data"
    a, b = ymd(q["d1"][0]), ymd(q["d2"][0])
    lines = ["Date,Open,High,Low,Close,Volume"]
    for d in days(a, b):
        x = bar(canon(sym), d)
        lines.append("%s,%s,%s,%s,%s,%d" % (d.isoformat(), x["open"], x["high"],
                                            x["low"], x["close"], x["volume"]))
    return 200, "text/csv", "\r\n".join(lines) + "\r\n"


def alphavantage(path, q):
    if not q.get("apikey", [""])[0]:
        return 200, "application/json", json.dumps({"Error Message":
            "the parameter apikey is invalid or missing. Please claim your free API key on "
            "(https://www.alphavantage.co/support/#api-key). It should take less than 20 seconds."})
    sym = q.get("symbol", [""])[0]
    fn = q.get("function", [""])[0]
    if fn == "OVERVIEW":
        if "NOPE" in sym.upper():
            return 200, "application/json", "{}"
        seed = zlib.crc32(canon(sym).encode())
        return 200, "application/json", json.dumps({
            "Symbol": sym, "AssetType": "Common Stock", "Name": sym + " Inc",
            "Exchange": "NYSE", "Currency": "USD", "Sector": "TECHNOLOGY",
            "LatestQuarter": "2024-03-31", "EPS": "%.2f" % (1 + seed % 900 / 100),
            "BookValue": "%.2f" % (5 + seed % 500 / 10), "RevenuePerShareTTM": "%.2f" % (10 + seed % 77),
            "DividendPerShare": "None", "ReturnOnEquityTTM": "%.3f" % (seed % 300 / 1000),
            "ProfitMargin": "%.3f" % (seed % 250 / 1000), "SharesOutstanding": "%d" % (1000000 + seed % 9000000)},
            indent=4)
    if "NOPE" in sym.upper() or fn != "TIME_SERIES_DAILY_ADJUSTED":
        return 200, "application/json", json.dumps({"Error Message":
            "Invalid API call. Please retry or visit the documentation "
            "(https://www.alphavantage.co/documentation/) for TIME_SERIES_DAILY_ADJUSTED."})
    end = today()
    ds = list(days(dt.date(2020, 1, 1), end))[::-1]
    if q.get("outputsize", ["compact"])[0] == "compact":
        ds = ds[:100]
    if q.get("datatype", ["json"])[0] == "csv":
        lines = ["timestamp,open,high,low,close,adjusted_close,volume,dividend_amount,split_coefficient"]
        for d in ds:
            x = bar(canon(sym), d)
            lines.append("%s,%.4f,%.4f,%.4f,%.4f,%.4f,%d,0.0000,1.0" % (
                d.isoformat(), x["open"], x["high"], x["low"], x["close"], x["adjclose"], x["volume"]))
        return 200, "application/x-download", "\r\n".join(lines) + "\r\n"
    ts = {}
    for d in ds:
        x = bar(canon(sym), d)
        ts[d.isoformat()] = {"1. open": "%.4f" % x["open"], "2. high": "%.4f" % x["high"],
                             "3. low": "%.4f" % x["low"], "4. close": "%.4f" % x["close"],
                             "5. adjusted close": "%.4f" % x["adjclose"],
                             "6. volume": "%d" % x["volume"], "7. dividend amount": "0.0000",
                             "8. split coefficient": "1.0"}
    meta = {"1. Information": "Daily Time Series with Splits and Dividend Events",
            "2. Symbol": sym, "3. Last Refreshed": ds[0].isoformat() if ds else "",
            "4. Output Size": "Full size", "5. Time Zone": "US/Eastern"}
    return 200, "application/json", json.dumps({"Meta Data": meta, "Time Series (Daily)": ts}, indent=4)


def polygon(path, q, headers):
    if not headers.get("Authorization", "").startswith("Bearer ") and "apiKey" not in q:
        return 401, "application/json", json.dumps({"status": "ERROR", "request_id": "x1",
                                                    "error": "Unknown API Key"})
    m = re.match(r"/v2/aggs/ticker/([^/]+)/range/1/day/([0-9-]+)/([0-9-]+)$", path)
    if m:
        sym = m.group(1)
        a = dt.date.fromisoformat(m.group(2))
        b = dt.date.fromisoformat(m.group(3))
        res = []
        if "NOPE" not in sym.upper():
            for d in days(a, b):
                x = bar(canon(sym), d)
                res.append({"v": x["volume"], "vw": x["close"], "o": x["open"], "c": x["close"],
                            "h": x["high"], "l": x["low"], "t": ny_epoch(d, 0, 0) * 1000, "n": 1000})
        body = {"ticker": sym, "queryCount": len(res), "resultsCount": len(res), "adjusted": True,
                "status": "OK", "request_id": "r1", "count": len(res)}
        if res:
            body["results"] = res
        return 200, "application/json", json.dumps(body)
    m = re.match(r"/v2/aggs/grouped/locale/us/market/stocks/([0-9-]+)$", path)
    if m:
        d = dt.date.fromisoformat(m.group(1))
        res = []
        if trading(d):
            for sym in STATE["scenario"].get("market", ["AAPL", "MSFT", "BRK.B", "IBM"]):
                x = bar(canon(sym), d)
                res.append({"T": sym, "v": x["volume"], "vw": x["close"], "o": x["open"],
                            "c": x["close"], "h": x["high"], "l": x["low"],
                            "t": ny_epoch(d, 16, 0) * 1000, "n": 1000})
        body = {"queryCount": len(res), "resultsCount": len(res), "adjusted": True,
                "status": "OK", "request_id": "r2", "count": len(res)}
        if res:
            body["results"] = res
        return 200, "application/json", json.dumps(body)
    return 404, "application/json", json.dumps({"status": "NOT_FOUND", "request_id": "r3",
                                                "message": "Data not found."})


def route(path, q, headers):
    if path.startswith("/v8/finance/chart/"):
        return yahoo(path, q)
    if path.startswith("/q/d/l"):
        return stooq(path, q)
    if path == "/query":
        return alphavantage(path, q)
    if path.startswith("/v2/aggs/"):
        return polygon(path, q, headers)
    return 404, "text/plain", "not found"


HTML = ("<!DOCTYPE html><html><head><title>Service unavailable</title></head>"
        "<body><h1>We'll be back soon</h1></body></html>")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        # Headers and body go out in two writes: without this, Nagle and
        # the client's delayed ACK add 40 ms to every keep-alive reply.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *a):
        pass

    def send(self, status, ctype, body, extra=None, length=None):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data) if length is None else length))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        u = urlsplit(self.path)
        q = parse_qs(u.query)
        if u.path == "/__reset":
            with STATE["lock"]:
                f = q.get("scenario", [""])[0]
                STATE["scenario"] = json.load(open(f)) if f else {"rules": []}
                STATE["hits"] = {}
                if STATE["log"]:
                    open(STATE["log"], "w").close()
            return self.send(200, "text/plain", "ok\n")
        if STATE["log"]:
            with STATE["lock"]:
                with open(STATE["log"], "a") as lf:
                    lf.write(self.path + "\n")
        act = pick_action(self.path)
        if STATE["delay"]:
            threading.Event().wait(STATE["delay"])
        if act.get("delay"):
            threading.Event().wait(float(act["delay"]))
        if act.get("close"):
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if act.get("html"):
            return self.send(200, "text/html", HTML)
        if act.get("av_note"):
            return self.send(200, "application/json", json.dumps({"Note":
                "Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls "
                "per minute and 500 calls per day."}))
        if act.get("av_info"):
            return self.send(200, "application/json", json.dumps({"Information":
                "We have detected your API key as KEY and our standard API rate limit is 25 "
                "requests per day."}))
        if "status" in act and "body" in act:
            return self.send(act["status"], act.get("type", "text/plain"), act["body"],
                             act.get("headers"))
        if act.get("file"):
            body = open(os.path.join(STATE["fixtures"], act["file"]), "rb").read()
            return self.send(act.get("status", 200), act.get("type", "application/json"), body,
                             act.get("headers"))
        status, ctype, body = route(u.path, q, self.headers)
        data = body.encode()
        if act.get("truncate"):
            self.close_connection = True
            return self.send(status, ctype, data[:len(data) // 2], length=len(data))
        if act.get("malformed"):
            return self.send(status, ctype, data[:len(data) // 2])
        self.send(act.get("status", status), ctype, data, act.get("headers"))


# ------------------------------------------------------------ TMT reading

def frames(f):
    """A numpy-free reader of TMT 1.0 (checks magic, CRCs and sizes)."""
    codes = {"F32": "<f", "F64": "<d", "I32": "<i", "I64": "<q", "U8": "<B"}
    ended = False
    while True:
        lead = f.read(32)
        if not lead and ended:
            return
        if len(lead) < 32:
            raise EOFError("no end frame")
        ended = False
        magic, major, _, flags, hlen, plen, hcrc, bcrc = struct.unpack("<8sBBHIQII", lead)
        if magic != b"\x89TMT\r\n\x1a\n" or major != 1 or flags:
            raise ValueError("not TMT 1")
        pad = -plen % 64
        head, body = f.read(hlen), f.read(plen + pad)
        if len(head) != hlen or len(body) != plen + pad:
            raise EOFError("truncated")
        if zlib.crc32(head, zlib.crc32(lead[:24])) != hcrc or zlib.crc32(body) != bcrc:
            raise ValueError("CRC mismatch")
        h = json.loads(head)
        if h.get("end"):
            ended = True
            continue
        raw = body[:plen] if h["encoding"] == "raw" else zlib.decompress(body[:plen])
        if len(raw) != h["nbytes"]:
            raise ValueError("size mismatch")
        code = codes[h["dtype"]]
        n = h["nbytes"] // struct.calcsize(code)
        yield h, struct.unpack("<%d%s" % (n, code[1]), raw)


def dump(args):
    """Long CSV: date, row label, then the fields of the first frame (the
    price fields in their order for a price stream)."""
    meta = args and args[0] == "--meta"
    if meta:
        args = args[1:]
    cols = None
    for name in args or ["-"]:
        f = sys.stdin.buffer if name == "-" else open(name, "rb")
        for h, vals in frames(f):
            rows = h["labels"][h["axes"][0]]
            fields = h["labels"][h["axes"][1]]
            nf = len(fields)
            if cols is None:
                cols = FIELDS if set(fields) <= set(FIELDS) else fields
                print(",".join(["date", h["axes"][0]] + cols))
            if meta:
                print("#", h["coords"]["date"], json.dumps(h.get("meta", {}), sort_keys=True))
            for r, t in enumerate(rows):
                v = dict(zip(fields, vals[r * nf:(r + 1) * nf]))
                print(",".join([h["coords"]["date"], t] + [num(v.get(k)) for k in cols]))


def expect(args):
    a, b = dt.date.fromisoformat(args[0]), dt.date.fromisoformat(args[1])
    print(",".join(["date", "ticker"] + FIELDS))
    for d in days(a, b):
        for t in args[2:]:
            x = bar(canon(t), d)
            print(",".join([d.isoformat(), canon(t)] + [num(x[k]) for k in FIELDS]))


def serve(args):
    import argparse
    p = argparse.ArgumentParser(prog="fetchd.py serve")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--log")
    p.add_argument("--delay-ms", type=float, default=0)
    # tests/data/fetch, beside this file's tests/helpers/
    p.add_argument("--fixtures", default=os.path.join(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__))), "data", "fetch"))
    p.add_argument("--scenario")
    o = p.parse_args(args)
    STATE["log"] = o.log
    STATE["delay"] = o.delay_ms / 1000
    STATE["fixtures"] = o.fixtures
    if o.scenario:
        STATE["scenario"] = json.load(open(o.scenario))
    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128

        def handle_error(self, request, client_address):
            pass  # a client that hung up (timeouts are the point)
    srv = Server(("127.0.0.1", o.port), Handler)
    srv.serve_forever()


def ctl(args):
    from urllib.request import urlopen
    from urllib.parse import quote
    path = os.path.abspath(args[1]) if len(args) > 1 else ""
    urlopen("http://127.0.0.1:%s/__reset?scenario=%s" % (args[0], quote(path)), timeout=10).read()


if __name__ == "__main__":
    cmd, rest = sys.argv[1], sys.argv[2:]
    {"serve": serve, "dump": dump, "expect": expect, "ctl": ctl}[cmd](rest)
