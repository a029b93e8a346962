#!/bin/sh
# tm-model under kill -9: 100 trials, each killing an add (with pruning),
# a promote or a rollback at a random instant.  Every time the registry
# must read back valid and equal to the one before or the one after; the
# next run must journal any lost line and remove orphan files.
. "$(dirname "$0")/lib.sh"
[ "${TM_SAN:-}" = 1 ] && test_skip_all '100 kill trials test atomic replacement, not memory: plain build only (t6300 runs tm-model under the sanitizers)'

PY=/usr/bin/python3
[ -x "$PY" ] || test_skip_all 'needs /usr/bin/python3'

test_expect_success 'setup: a registry with a live model and history' '
	tmt-slots -n 10 -d 60 -s 1 >slots.tmt &&
	for s in 1 2 3 4; do
		tm-train -q --algo dpg --seed "$s" --epochs 1 --valid 15 \
		    -o "m$s.tmt" <slots.tmt || exit 1
	done &&
	for s in 1 2 3; do tm-model -d base add "m$s.tmt" || exit 1; done &&
	tm-model -d base list | awk "NR > 1 { print \$1 }" >vers &&
	tm-model -d base promote "$(sed -n 1p vers)" &&
	tm-model -d base promote "$(sed -n 2p vers)"
'

test_expect_success '100 kill -9 trials leave the old or the new registry' '
	"$PY" - "$(sed -n 3p vers)" <<-\PYEOF
	import json, os, random, shutil, signal, subprocess, sys, time
	v3 = sys.argv[1]
	ops = [["--keep", "3", "add", "m4.tmt"], ["promote", v3], ["rollback"]]

	def proj(d):
	    r = subprocess.run(["tm-model", "-d", d, "list", "--json"],
	                       capture_output=True, text=True)
	    assert r.returncode == 0, (d, r.returncode, r.stderr)
	    j = json.loads(r.stdout)
	    return (j["seq"], tuple((e["version"], e["status"])
	            for e in j["versions"]), tuple(j["live_history"]))

	def run(d, op):
	    subprocess.run(["tm-model", "-d", d] + op, check=True)

	old = proj("base")
	new, dur = [], []
	for op in ops:
	    shutil.rmtree("n", ignore_errors=True)
	    shutil.copytree("base", "n")
	    t0 = time.monotonic()
	    run("n", op)
	    dur.append(time.monotonic() - t0)
	    new.append(proj("n"))
	    assert new[-1] != old
	rng = random.Random(6301)
	seen = {"old": 0, "new": 0, "lost": 0, "orphan": 0}
	for trial in range(100):
	    k = trial % len(ops)
	    shutil.rmtree("t", ignore_errors=True)
	    shutil.copytree("base", "t")
	    p = subprocess.Popen(["tm-model", "-d", "t"] + ops[k])
	    time.sleep(rng.uniform(0, dur[k] * 1.2))
	    p.send_signal(signal.SIGKILL)
	    p.wait()
	    got = proj("t")
	    assert got in (old, new[k]), (trial, got)
	    seen["old" if got == old else "new"] += 1
	    # What the kill left for the next run to clean up.
	    reg = json.load(open("t/registry.json"))
	    jl = [json.loads(l)["seq"] for l in open("t/journal.jsonl")]
	    seen["lost"] += jl[-1] < reg["seq"]
	    named = {e["file"] for e in reg["versions"]}
	    seen["orphan"] += any(f.startswith(".") and f != ".tm-model.lock"
	                          or f.endswith(".tmt") and f not in named
	                          for f in os.listdir("t"))
	    # The next change recovers: journal complete, no orphan files.
	    run("t", ["approve", v3])
	    seqs = [json.loads(l)["seq"] for l in open("t/journal.jsonl")]
	    assert seqs == list(range(1, len(seqs) + 1)), (trial, seqs)
	    reg = json.load(open("t/registry.json"))
	    files = sorted(e["file"] for e in reg["versions"])
	    onfile = sorted(f for f in os.listdir("t") if f.endswith(".tmt"))
	    assert files == onfile, (trial, files, onfile)
	    assert not [f for f in os.listdir("t") if f.startswith(".registry")]
	open("outcomes", "w").write("# kill -9 outcomes: %(old)d old, %(new)d "
	    "new; %(lost)d lost journal lines and %(orphan)d with orphan "
	    "files recovered\n" % seen)
	assert seen["old"] and seen["new"], seen
	PYEOF
'
[ -f "$TRASH/outcomes" ] && cat "$TRASH/outcomes"

test_done
