#!/bin/sh
# bench/run.sh - run every other tests/bench/NAME.sh (`make bench`), each
# under its own heading with its wall time; exit 1 when any of them failed,
# after all ran.  BENCH=name (e.g. BENCH=cat) runs only tests/bench/name.sh.
set -eu
. "$(dirname "$0")/common.sh"
cd "$TOP"
failed=
ran=0
pat=${BENCH:-*}
# shellcheck disable=SC2086 # $pat is a glob on purpose
for b in tests/bench/$pat.sh; do
	[ -f "$b" ] || continue
	n=$(basename "$b" .sh)
	case $n in run | common) continue ;; esac	# this runner, the setup
	n=bench/$n
	printf '\n=== %s\n' "$n"
	t0=$(date +%s)
	rc=0
	sh "$b" || rc=$?
	t1=$(date +%s)
	ran=$((ran + 1))
	if [ "$rc" = 0 ]; then
		printf '=== %s: ok, %d s\n' "$n" $((t1 - t0))
	else
		printf '=== %s: FAILED (exit %d), %d s\n' "$n" "$rc" $((t1 - t0))
		failed="$failed $n"
	fi
done
if [ "$ran" = 0 ]; then
	echo "bench: no tests/bench/$pat.sh found" >&2
	exit 1
fi
if [ -n "$failed" ]; then
	echo "bench: failed:$failed" >&2
	exit 1
fi
echo "bench: $ran ok"
