#!/bin/sh
# tm-report -o html: a self-contained dashboard.  Static checks (no
# script, no external reference), then Debian's headless Chromium opens
# it from a loopback server at desktop and phone widths with every other
# host unresolvable: the screenshots are not blank, the console is quiet,
# the net log shows no request the page made beyond its own file, and an
# HTML-injection ticker is text in the DOM.
. "$(dirname "$0")/lib.sh"
[ "${TM_SAN:-}" = 1 ] && test_skip_all 'the dashboard in Chromium: plain build only (t7600/t7601 run tm-report under the sanitizers)'

test_need_numpy
FIX=$TOP/tests/helpers/report_fixture.py
PNG=$TOP/tests/helpers/report_png.py
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export PY FIX PNG CHROMIUM

test_expect_success 'the dashboard is written, atomically, as one file' '
	"$PY" "$FIX" --inject --days 100 --tickers 60 --slots 240 --slot-days 4 f &&
	tm-report -o html --recs f/recs.tmt -s f/state -L f/log -M f/models \
	    -S f/slots.tmt dash &&
	ls -A dash >names && echo index.html >expect && test_cmp expect names
'

test_expect_success 'no script, no external reference, no CSS import' '
	! grep -i "<script" dash/index.html &&
	! grep -Ei "(src|href|action|srcset|xlink:href)=\"?[a-z]*:?//" dash/index.html &&
	! grep -Ei "https?:" dash/index.html &&
	! grep -Ei "url\(|@import" dash/index.html
'

test_expect_success 'every panel of the issue is there' '
	for h in "System health" "Today.s recommendations" "Last 30 days" \
	    Portfolio Performance Models "Universe slots"; do
		grep -q "<h2>$h" dash/index.html || { echo "no $h"; exit 1; }
	done &&
	grep -c "<svg class=\"chart\"" dash/index.html >n &&
	echo 3 >expect && test_cmp expect n &&
	grep -o "<rect x=[^>]*><title>" dash/index.html | wc -l >n &&
	echo 240 >expect && test_cmp expect n
'

test_expect_success 'slot counts and stale slots as the fixture says' '
	"$PY" - <<-\PYEOF
	import json, re
	t = json.load(open("f/truth.json"))
	h = open("dash/index.html").read()
	a, r, p = t["slots"]
	want = "%d active, %d archive, %d padding; %d with no close" % (
	    a, r, p, t["stale"])
	assert want in h, want
	PYEOF
'

test_expect_success 'missing inputs: the dashboard still renders, none yet' '
	mkdir e &&
	tm-report -o html -s e/state -L e/log -M e/models edash &&
	test $(grep -c "none yet" edash/index.html) -ge 6
'

test_expect_success 'a folder that cannot be made: exit 73' '
	echo x >file &&
	test_must_fail --status 73 tm-report -o html -s e/state file/sub
'

[ -x "$CHROMIUM" ] || { test_skip 'headless Chromium' "no $CHROMIUM (tests/deps.sh installs it)"; test_done; exit; }

PORT=$(test_free_port)
# the access log is the server's stderr
(cd "$TRASH" && exec python3 -m http.server --bind 127.0.0.1 "$PORT") \
    >"$TRASH/http.out" 2>"$TRASH/http.log" &
test_register_pid $!
test_wait_port "$PORT" || test_skip_all 'the loopback server did not start'
export PORT

# chrome ARGS...: headless Chromium with no network but the loopback server.
chrome() {
	u=$(mktemp -d "$TRASH/chrome.XXXXXX")
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync --user-data-dir="$u" \
	    --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" \
	    --enable-logging=stderr --v=0 "$@"
}

# netcheck NETLOG PAGE: every request the page made (an initiator that is
# an origin; the browser's own have "not an origin") is PAGE itself.
cat >"$TRASH/netcheck.py" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
names = {v: k for k, v in d["constants"]["logEventTypes"].items()}
bad = set()
for e in d["events"]:
    p = e.get("params") or {}
    if names.get(e["type"]) != "URL_REQUEST_START_JOB" or "url" not in p:
        continue
    if p.get("initiator") == "not an origin" and p["url"] != sys.argv[2]:
        continue
    if p["url"] != sys.argv[2]:
        bad.add(p["url"])
for u in sorted(bad):
    print("external request: " + u)
sys.exit(1 if bad else 0)
PYEOF

URL=http://127.0.0.1:$PORT/dash/index.html
export URL

for size in 1280,900 390,844; do
	test_expect_success "Chromium at $size: a screenshot that is not blank" "
		chrome --window-size=$size --screenshot=\"\$TRASH/shot-$size.png\" \
		    --log-net-log=\"\$TRASH/net-$size.json\" \"\$URL\" \
		    2>\"\$TRASH/log-$size\" &&
		\"\$PY\" \"\$PNG\" \"\$TRASH/shot-$size.png\" >dim &&
		read w h n <dim &&
		test \"\$w,\$h\" = $size && test \"\$n\" -gt 20
	"
	test_expect_success "Chromium at $size: no console message, no external request" "
		! grep CONSOLE \"\$TRASH/log-$size\" &&
		\"\$PY\" \"\$TRASH/netcheck.py\" \"\$TRASH/net-$size.json\" \"\$URL\"
	"
done

test_expect_success 'Chromium: the server saw only the dashboard itself' '
	grep "\"GET " http.log | sed "s/.*\"GET \([^ ]*\) .*/\1/" | sort -u >got &&
	echo /dash/index.html >expect &&
	test_cmp expect got
'

test_expect_success 'Chromium: the injected ticker is text in the DOM' '
	chrome --dump-dom "$URL" >dom.html 2>dom.log &&
	grep -q "Universe slots" dom.html &&
	grep -q "&lt;script&gt;alert(1)&lt;/script&gt;" dom.html &&
	grep -q "&lt;b&gt;bold&lt;/b&gt;" dom.html &&
	! grep -qi "<script" dom.html &&
	! grep -q "<b>bold" dom.html
'

test_expect_success 'the checks catch a page that fetches and logs (self-test)' '
	mkdir -p evil &&
	sed "s|</body>|<img src=\"http://example.invalid/x.png\"><script>console.log(\"hi\")</script></body>|" \
	    dash/index.html >evil/index.html &&
	chrome --screenshot=evil/shot.png --window-size=390,844 \
	    --log-net-log=evil/net.json "http://127.0.0.1:$PORT/evil/index.html" \
	    2>evil/log &&
	grep -q CONSOLE evil/log &&
	test_must_fail "$PY" netcheck.py evil/net.json \
	    "http://127.0.0.1:$PORT/evil/index.html" >evil/out &&
	grep "external request: http://example.invalid/x.png" evil/out
'

test_done
