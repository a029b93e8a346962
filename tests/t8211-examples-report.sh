#!/bin/sh
# tm-report(1): every EXAMPLES block runs as printed over a month of a
# paper portfolio that tm-diff kept in data/state (TM_HOME unset, so the
# folders under .), the last day's recommendations in recs.tmt: the text
# report's value, BUY and SELL counts are the state's and the stream's,
# within 100 columns; the mail is one RFC 5322 message Python's email
# package reads, to the address given; the dashboard is one file with a
# slot map and no script.
. "$(dirname "$0")/lib.sh"
command -v mandoc >/dev/null || test_skip_all 'mandoc is not installed'
command -v jq >/dev/null || test_skip_all 'jq is not installed'
unset TM_HOME

test_expect_success 'setup: three blocks; a month of tm-diff in data/state' '
	test "$(man_examples "$TOP/man/tm-report.1")" = 3 &&
	tm-synth -n 40 -y 1 --seed 5 -o mkt &&
	tm-features mkt/prices.tmt 2>/dev/null |
	    tm-slotmap -l 50,10,10 --members mkt/membership.csv >slots.tmt &&
	tm-train -q --algo dpg --seed 1 --epochs 1 --valid 20 -o m.tmt <slots.tmt &&
	tm-infer -m m.tmt <slots.tmt | tm-cat --from 2015-12-01 >w.tmt &&
	mkdir -p data/state &&
	for d in $(tm-cat --info w.tmt | sed "s/.*\"date\":\"\([0-9-]*\)\".*/\1/"); do
		tm-cat --from "$d" --to "$d" w.tmt >day.tmt &&
		tm-diff -s data/state --threshold 0.002 --slots slots.tmt \
		    day.tmt >recs.tmt || return 1
	done &&
	mv recs.tmt data/state/recs.tmt &&
	tm-cat -o csv data/state/recs.tmt >recs.csv &&
	test "$(awk -F, "\$3 == 1" recs.csv | wc -l)" -gt 0 &&
	test "$(awk -F, "\$3 == -1" recs.csv | wc -l)" -gt 0
'

test_expect_success 'the text report: the state value, the BUYs and SELLs of the day' '
	sh -eu ex.1.sh >out &&
	awk "length > 100 { print; bad = 1 } END { exit bad }" out &&
	grep -q "^TMagikarp daily report 2015-12-31 " out &&
	v=$(jq .value data/state/portfolio.json | awk "{ printf \"%.2f\", \$1 }") &&
	grep "^  value " out | tr -d , | grep -q " $v " &&
	grep -qx "BUY: $(awk -F, "\$3 == 1" recs.csv | wc -l)" out &&
	grep -qx "SELL: $(awk -F, "\$3 == -1" recs.csv | wc -l)" out
'

test_expect_success 'the mail: one message, to ops@example.org, text and HTML' '
	sh -eu ex.2.sh &&
	python3 - <<-\PYEOF
	import email, email.policy
	m = email.message_from_binary_file(open("day.eml", "rb"), policy=email.policy.default)
	assert m["To"] == "ops@example.org", m["To"]
	assert m["From"] == "tmagikarp@localhost", m["From"]
	assert m.get_content_type() == "multipart/alternative", m.get_content_type()
	assert m["X-TM-Severity"] in ("critical", "warning", "info")
	assert not m.defects, m.defects
	text = m.get_body(("plain",)).get_content()
	assert "TMagikarp daily report 2015-12-31" in text, text[:200]
	html = m.get_body(("html",)).get_content()
	assert "<html" in html.lower()
	imgs = [p for p in m.walk() if p.get_content_type() == "image/png"]
	assert len(imgs) >= 3 and all(p["Content-ID"] for p in imgs), len(imgs)
	PYEOF
'

test_expect_success 'the dashboard: www/index.html, self-contained, with the slot map' '
	sh -eu ex.3.sh &&
	test -s www/index.html &&
	! grep -qi "<script\|src=\"http\|href=\"http" www/index.html &&
	grep -o "<svg class=\"slots\".*</svg>" www/index.html |
	    grep -o "<title>[0-9]* " >slots &&
	test "$(wc -l <slots)" = 70 &&
	for t in $(awk -F, "\$3 == 1 { print \$2 }" recs.csv); do
		grep -q ">$t<" www/index.html || { echo "no $t"; return 1; }
	done &&
	test "$(ls -A www)" = index.html
'

test_done
