#!/usr/bin/python3
"""smtpsink.py - the loopback SMTP server tm-mail's tests run against.

Debian's python3-aiosmtpd (run it with /usr/bin/python3).

  smtpsink.py --dir DIR [--port N] [--tls CERT KEY] [--auth USER:PASS]

Listens on 127.0.0.1:N (0: any free port) and, once it accepts, writes the
port to DIR/ready (renamed into place, so a reader never sees half of it).
Each accepted message n (1, 2, ...) is saved as DIR/msg.n.eml (the exact
bytes received after DATA, dot-unstuffed), DIR/msg.n.rcpt (the envelope
recipients, one a line), DIR/msg.n.from (the envelope sender) and
DIR/msg.n.tls ("yes" when the session was encrypted); each
AUTH attempt appends "USER:PASS ok|bad" to DIR/auth.log.

DIR/mode, read at every DATA command, picks the answer (default ok):
  ok         250, message saved
  tempfail   451 after the data (nothing saved)
  permfail   554 after the data (nothing saved)
  drop-data  354, read one line of the data, then hang up
With --tls the server offers STARTTLS and requires it before MAIL; with
--auth it offers AUTH (also in the clear: the tests run on loopback) and
requires it.
"""
import argparse
import asyncio
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def put(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, path)


def mode(d):
    try:
        with open(os.path.join(d, "mode")) as f:
            return f.read().strip() or "ok"
    except FileNotFoundError:
        return "ok"


class Handler:
    def __init__(self, d):
        self.dir = d
        self.n = 0

    async def handle_DATA(self, server, session, envelope):
        m = mode(self.dir)
        if m == "tempfail":
            return "451 4.3.0 try again later"
        if m == "permfail":
            return "554 5.7.1 message refused"
        self.n += 1
        base = os.path.join(self.dir, "msg.%d" % self.n)
        put(base + ".rcpt", "".join(r + "\n" for r in envelope.rcpt_tos)
            .encode())
        put(base + ".from", (envelope.mail_from + "\n").encode())
        put(base + ".tls", b"yes\n" if session.ssl else b"no\n")
        put(base + ".eml", envelope.original_content)
        return "250 2.0.0 OK queued as %d" % self.n


class Server(SMTP):
    async def smtp_DATA(self, arg):
        if mode(self.event_handler.dir) == "drop-data" and \
                self.envelope.rcpt_tos:
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            try:
                await self._reader.readuntil(b"\r\n")
            finally:
                self.transport.close()
            return
        return await super().smtp_DATA(arg)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--auth")
    a = ap.parse_args()
    h = Handler(a.dir)
    kw = {"hostname": "localhost"}
    if a.tls:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.tls[0], a.tls[1])
        kw["tls_context"] = ctx
        kw["require_starttls"] = True
    if a.auth:
        user, pw = a.auth.split(":", 1)
        log = os.path.join(a.dir, "auth.log")

        def check(server, session, envelope, mech, data):
            ok = isinstance(data, LoginPassword) and \
                data.login.decode() == user and data.password.decode() == pw
            with open(log, "a") as f:
                f.write("%s:%s %s\n" % (data.login.decode(),
                                        data.password.decode(),
                                        "ok" if ok else "bad"))
            return AuthResult(success=ok, handled=False)
        kw["authenticator"] = check
        kw["auth_required"] = True
        kw["auth_require_tls"] = bool(a.tls)
    loop = asyncio.new_event_loop()
    srv = loop.run_until_complete(loop.create_server(
        lambda: Server(h, **kw), "127.0.0.1", a.port))
    port = srv.sockets[0].getsockname()[1]
    put(os.path.join(a.dir, "ready"), ("%d\n" % port).encode())
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.add_signal_handler(signal.SIGINT, loop.stop)
    loop.run_forever()
    srv.close()


if __name__ == "__main__":
    sys.exit(main())
