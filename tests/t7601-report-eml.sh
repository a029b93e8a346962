#!/bin/sh
# tm-report -o eml: a complete MIME message that Python's email package
# parses (multipart/alternative: text/plain + multipart/related of
# text/html and PNG charts); the PNGs decode (tests/helpers/report_mime.py:
# zlib and struct); headers are RFC 2047 encoded and cannot be injected.
. "$(dirname "$0")/lib.sh"

test_need_numpy
FIX=$TOP/tests/helpers/report_fixture.py
MIME=$TOP/tests/helpers/report_mime.py
export PY FIX MIME

rep() {
	d=$1; shift
	tm-report --recs "$d/recs.tmt" -s "$d/state" -L "$d/log" -M "$d/models" "$@"
}

test_expect_success 'the fixtures are written' '
	"$PY" "$FIX" --days 120 f &&
	"$PY" "$FIX" --inject --critical "$(printf "halt\r\nBcc: evil@example.org")" g
'

test_expect_success 'daily mail: structure, text part, four PNG charts' '
	rep f -o eml --from "TM <tm@example.org>" --to "a@example.org, b@example.org" >m.eml &&
	rep f -o text >m.txt &&
	"$PY" "$MIME" m.eml m.txt 4 >out &&
	grep "^png month 600x180" out && grep "^png start 600x180" out &&
	grep "^png pnl 600x180" out && grep "^png drawdown 600x180" out
'

test_expect_success 'daily mail: headers, severity and recipients' '
	"$PY" - <<-\PYEOF
	import email, email.policy, json
	m = email.message_from_binary_file(open("m.eml", "rb"),
	                                   policy=email.policy.default)
	t = json.load(open("f/truth.json"))
	want = "[WARNING] TMagikarp %s: %d BUY, %d SELL" % (t["date"], t["nbuy"],
	                                                   t["nsell"])
	assert str(m["Subject"]) == want, (str(m["Subject"]), want)
	assert m["X-TM-Severity"] == "warning"
	assert [a.addr_spec for a in m["To"].addresses] == ["a@example.org",
	                                                    "b@example.org"]
	assert m["From"].addresses[0].addr_spec == "tm@example.org"
	assert m["Message-ID"].startswith("<") and "@" in m["Message-ID"]
	PYEOF
'

test_expect_success 'injected header text stays inside an encoded Subject' '
	rep g -o eml >g.eml &&
	rep g -o text >g.txt &&
	"$PY" "$MIME" g.eml g.txt 4 >out &&
	! grep -i "^bcc:" g.eml &&
	"$PY" - <<-\PYEOF
	import email, email.policy
	m = email.message_from_binary_file(open("g.eml", "rb"),
	                                   policy=email.policy.default)
	assert m["Bcc"] is None
	s = str(m["Subject"])
	assert s.startswith("[CRITICAL] "), s
	assert "halt  Bcc: evil@example.org" in s, s
	assert m["X-TM-Severity"] == "critical"
	PYEOF
'

test_expect_success 'the HTML part escapes what comes from outside' '
	"$PY" - <<-\PYEOF
	import email, email.policy
	m = email.message_from_binary_file(open("g.eml", "rb"),
	                                   policy=email.policy.default)
	html = m.get_payload()[1].get_payload()[0].get_content()
	assert "<script" not in html
	assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
	assert "&lt;b&gt;bold&lt;/b&gt;" in html
	PYEOF
'

test_expect_success 'a From or To with CR or LF is refused (exit 64)' '
	test_must_fail --status 64 rep f -o eml --to "$(printf "a@b\r\nBcc: c@d")" &&
	test_must_fail --status 64 rep f -o eml --from "$(printf "a@b\nX: y")" &&
	test_must_fail --status 64 rep f -o eml --to "nobody"
'

test_expect_success 'monthly mail: three charts of the month, all models' '
	rep f -o eml --monthly >mm.eml &&
	rep f -o text --monthly >mm.txt &&
	"$PY" "$MIME" mm.eml mm.txt 3 >out &&
	grep "^subject .*TMagikarp monthly report 2026-11\$" out &&
	grep "this month: return" mm.txt &&
	grep "retired" mm.txt &&
	"$PY" - <<-\PYEOF
	import email, email.policy
	m = email.message_from_binary_file(open("mm.eml", "rb"),
	                                   policy=email.policy.default)
	html = m.get_payload()[1].get_payload()[0].get_content()
	for w in ("This month", "Since start", "retired", "bench_sharpe"):
	    assert w in html, w
	PYEOF
'

test_expect_success 'no journal yet: a mail without charts, still valid' '
	mkdir -p e &&
	tm-report -o eml --recs f/recs.tmt -s e/state -L e/log -M e/models >e.eml &&
	tm-report -o text --recs f/recs.tmt -s e/state -L e/log -M e/models >e.txt &&
	"$PY" "$MIME" e.eml e.txt 0 &&
	grep "none yet" e.txt
'

test_expect_success 'PNG checker rejects a corrupt chart (it can fail)' '
	"$PY" - <<-\PYEOF
	raw = open("m.eml", "rb").read()
	import email, email.policy, base64
	m = email.message_from_bytes(raw, policy=email.policy.default)
	png = m.get_payload()[1].get_payload()[1].get_payload(decode=True)
	bad = bytearray(png); bad[40] ^= 0xff
	old = base64.encodebytes(png).replace(b"\n", b"\r\n")
	new = base64.encodebytes(bytes(bad)).replace(b"\n", b"\r\n")
	assert old in raw
	open("bad.eml", "wb").write(raw.replace(old, new))
	PYEOF
	test_must_fail "$PY" "$MIME" bad.eml m.txt 4 2>err &&
	grep "bad CRC\|inflate\|Error" err
'

test_done
