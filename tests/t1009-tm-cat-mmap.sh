#!/bin/sh
# tm-cat's pass-through of a regular file reads it through mmap(2) (issue
# 12): frames are checked where the file's pages lie and written from the
# mapping, runs of them in one write(2).  None of that may change a byte
# or a verdict: every damaged version of a stream (cut at each offset, each
# byte flipped, flips behind recomputed CRCs) gives the same output, the
# same message and the same exit status mapped (TM_CAT_MMAP=1: any size)
# as read (TM_CAT_MMAP=0), and so do the cases of several files, segments,
# re-encoded frames, --from, --last and stdin.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || test_skip_all 'needs /usr/bin/python3'
step=1
[ "${TM_SAN:-}" = 1 ] && step=17

# same.sh ARGS...: tm-cat ARGS read and mapped: the same stdout, stderr
# and exit status (then 0).
cat >"$TRASH/same.sh" <<'EOF'
#!/bin/sh
rc0=0; TM_CAT_MMAP=0 tm-cat "$@" >read.out 2>read.err || rc0=$?
rc1=0; TM_CAT_MMAP=1 tm-cat "$@" >map.out 2>map.err || rc1=$?
cmp read.out map.out && cmp read.err map.err && [ "$rc0" = "$rc1" ] ||
    { echo "tm-cat $*: read $rc0, mapped $rc1" >&2; cat read.err map.err >&2; exit 1; }
[ "$rc1" -lt 100 ] && [ "$rc1" != 99 ] ||
    { echo "tm-cat $*: status $rc1" >&2; exit 1; }
EOF
chmod +x "$TRASH/same.sh"

# drive.py MODE STEP FILE: each damaged version of FILE (as t0200 makes
# them) written to a file and passed through both ways: same bytes,
# message and status.
cat >"$TRASH/drive.py" <<'PYEOF'
import concurrent.futures as cf, os, subprocess, sys, tempfile
import tmt_damage
mode, step, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
data = open(path, "rb").read()
bounds = tmt_damage.frame_bounds(data)

def recrc(b, i):
    return tmt_damage.recrc(b, bounds, i)

def run(fn, mm):
    env = dict(os.environ, TM_CAT_MMAP=mm)
    p = subprocess.run(["timeout", "5", "tm-cat", fn], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout, p.stderr

def case(i):
    if mode == "truncate":
        b = data[:i]
    else:
        b = bytearray(data); b[i] ^= 0xff
        if mode == "recrc":
            b = recrc(b, i)
        b = bytes(b)
    with tempfile.NamedTemporaryFile(dir=".", suffix=".tmt") as t:
        t.write(b); t.flush()
        r, m = run(t.name, "0"), run(t.name, "1")
    if r != m:
        return "%d: read %d, mapped %d: %r / %r" % (i, r[0], m[0],
            r[2][:200], m[2][:200])
    if m[0] not in (0, 65) or (mode != "recrc" and m[0] == 0 and i < len(data)):
        return "%d: exit %d: %r" % (i, m[0], m[2][:200])
    return None

offs = range(0, len(data), step)
with cf.ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as ex:
    bad = [r for r in ex.map(case, offs) if r]
print("%s: %d runs over %d bytes, %d bad" % (mode, len(offs), len(data), len(bad)))
for r in bad[:10]:
    print("  " + r)
sys.exit(1 if bad else 0)
PYEOF

test_expect_success 'setup: the fixture stream, a price stream, its -z form' '
	tmt-fixture >s.tmt &&
	tm-synth -n 40 -y 1 --seed 5 -o m &&
	tm-cat --to 2015-03-31 m/prices.tmt >p.tmt &&
	tm-cat -z p.tmt >z.tmt &&
	cat p.tmt p.tmt >pp.tmt &&
	tm-cat --from 2099-01-01 p.tmt >end.tmt &&
	test $(tm-cat --info end.tmt | wc -l) = 0
'

for mode in truncate flip recrc; do
	test_expect_success "fixture, $mode at every offset (step $step): read and mapped agree" "
		\"\$PY\" drive.py $mode $step s.tmt
	"
done

test_expect_success "price stream, cut and flipped every 613th byte: read and mapped agree" '
	"$PY" drive.py truncate $((step * 613)) p.tmt &&
	"$PY" drive.py flip $((step * 613)) p.tmt &&
	"$PY" drive.py recrc $((step * 613)) p.tmt
'

test_expect_success 'a mapped pass-through is its input byte for byte' '
	TM_CAT_MMAP=1 tm-cat p.tmt >out.tmt &&
	cmp p.tmt out.tmt &&
	TM_CAT_MMAP=1 tm-cat z.tmt | cmp - p.tmt
'

# Frames a later file renumbers, a second segment, frames re-encoded (a
# deflate input to raw output: decoded from the mapping), a file of only
# an end frame between two others, windows and --last.
n=0
while read -r args; do
	n=$((n + 1))
	test_expect_success "same bytes, message and status read and mapped ($n): tm-cat $args" "
		./same.sh $args
	"
done <<'EOF'
p.tmt p.tmt
pp.tmt
p.tmt end.tmt p.tmt
end.tmt p.tmt
s.tmt p.tmt s.tmt
z.tmt p.tmt z.tmt
--from 2015-02-01 --to 2015-02-28 p.tmt
--from 2015-02-01 pp.tmt
--last 7 pp.tmt
--last 500 p.tmt z.tmt
-z p.tmt
-o csv p.tmt
--info p.tmt
- p.tmt
EOF

test_expect_success 'stdin is read, not mapped: the same bytes' '
	TM_CAT_MMAP=1 tm-cat <p.tmt | cmp - p.tmt &&
	TM_CAT_MMAP=1 tm-cat - <pp.tmt >a.tmt &&
	TM_CAT_MMAP=0 tm-cat pp.tmt | cmp - a.tmt
'

# A good file, then one cut short: the good file's frames come out (as
# they did before the mapping: written before the bad frame is read),
# then 65 and the message naming the cut file.
test_expect_success 'the frames before a bad one come out, then 65' '
	head -c 100000 p.tmt >cut.tmt &&
	./same.sh p.tmt cut.tmt &&
	test_must_fail --status 65 env TM_CAT_MMAP=1 tm-cat p.tmt cut.tmt \
	    >out.tmt 2>err &&
	grep -q "cut.tmt: byte 100000: truncated" err &&
	test $(wc -c <out.tmt) -gt $(($(wc -c <p.tmt) - 128))
'

# The path is taken: the file is mapped, and its frames go out in a few
# large writes rather than one or more a frame.
if command -v strace >/dev/null 2>&1 && [ "${TM_SAN:-}" != 1 ] &&
    strace -o /dev/null true 2>/dev/null; then
	test_expect_success 'the file is mapped and written in a few writes' '
		frames=$(tm-cat --info p.tmt | wc -l) &&
		TM_CAT_MMAP=1 strace -o tr -e trace=mmap,read,write tm-cat p.tmt \
		    >out.tmt &&
		cmp p.tmt out.tmt &&
		size=$(wc -c <p.tmt) &&
		grep -q "mmap(NULL, $size, PROT_READ, MAP_PRIVATE, 3, 0)" tr &&
		w=$(grep -c "^write(1," tr) &&
		echo "$frames frames, $w writes" &&
		test "$w" -lt 5 &&
		TM_CAT_MMAP=0 strace -o tr0 -e trace=mmap,read,write tm-cat p.tmt \
		    >/dev/null &&
		! grep -q "mmap(NULL, $size, PROT_READ, MAP_PRIVATE, 3, 0)" tr0 &&
		test $(grep -c "^write(1," tr0) -gt "$frames"
	'
else
	test_skip 'the file is mapped and written in a few writes' 'needs strace'
fi

test_done
