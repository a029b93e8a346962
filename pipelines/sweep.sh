#!/bin/sh
# sweep.sh - a tm-backtest grid fanned out over GNU parallel job slots
# (local cores, or hosts with -S) and merged: the same lines as one
# `tm-backtest --grid` run, and the best set with its Deflated Sharpe
# Ratio computed over all of them (tm-backtest --dsr).
#
# usage: sweep.sh [-j jobs] [-S sshlogin] [-c cost] [-m summary.json]
#                 -t ticker -g grid slots.tmt
#
# The grid's first range on each line (fast=2:100 ...) is cut into one
# line per value, and the lines are dealt round-robin to the jobs.  Each
# job writes its own file; they are merged in job order, so the output is
# the same set of lines whatever the number of jobs (sort it to compare).
# With -S the slot file and each part go to the hosts (--basefile,
# --transferfile); tm-backtest must be on their PATH.
set -eu
jobs=2 ssh='' cost='' summary='' ticker='' grid=''
usage() {
	echo "usage: sweep.sh [-j jobs] [-S sshlogin] [-c cost] [-m summary.json]" >&2
	echo "                -t ticker -g grid slots.tmt" >&2
	exit 64
}
while getopts j:S:c:m:t:g: o; do
	case $o in
	j) jobs=$OPTARG ;;
	S) ssh=$OPTARG ;;
	c) cost=$OPTARG ;;
	m) summary=$OPTARG ;;
	t) ticker=$OPTARG ;;
	g) grid=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
if [ $# != 1 ] || [ -z "$ticker" ] || [ -z "$grid" ]; then usage; fi
slots=$1
case $jobs in '' | *[!0-9]* | 0) echo "sweep.sh: -j $jobs: not a count" >&2; exit 64 ;; esac
[ -r "$slots" ] || { echo "sweep.sh: $slots: cannot read" >&2; exit 66; }
[ -r "$grid" ] || { echo "sweep.sh: $grid: cannot read" >&2; exit 66; }
command -v parallel >/dev/null || { echo "sweep.sh: GNU parallel is not installed" >&2; exit 69; }

work=$(mktemp -d "${TMPDIR:-/tmp}/sweep.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# One line per value of each line's first range.
awk '
{ sub(/#.*/, "") }
NF == 0 { next }
{
	done = 0
	for (i = 1; i <= NF && !done; i++) {
		n = split($i, kv, "=")
		if (n != 2) continue
		m = split(kv[2], r, ":")
		if (m < 2 || r[1] !~ /^[0-9]+$/ || r[2] !~ /^[0-9]+$/) continue
		step = m > 2 ? r[3] + 0 : 1
		if (step < 1) step = 1
		for (v = r[1] + 0; v <= r[2] + 0; v += step) {
			line = ""
			for (j = 1; j <= NF; j++)
				line = line (j > 1 ? " " : "") (j == i ? kv[1] "=" v : $j)
			print line
		}
		done = 1
	}
	if (!done) print
}' "$grid" >"$work/lines"

# Deal the lines to the jobs.
awk -v n="$jobs" -v d="$work" '{ print > (d "/part." sprintf("%04d", (NR - 1) % n)) }' \
    "$work/lines"

set -- -q --grid {} -t "$ticker"
[ -n "$cost" ] && set -- "$@" -c "$cost"
abs=$(cd "$(dirname "$slots")" && pwd)/$(basename "$slots")
if [ -n "$ssh" ]; then
	parallel --halt now,fail=1 -j "$jobs" --sshlogin "$ssh" \
	    --basefile "$abs" --transferfile {} --return {}.out --cleanup \
	    tm-backtest "$@" "$abs" '>' {}.out ::: "$work"/part.*
else
	parallel --halt now,fail=1 -j "$jobs" \
	    tm-backtest "$@" "$abs" '>' {}.out ::: "$work"/part.*
fi
cat "$work"/part.*.out >"$work/merged"
if [ -n "$summary" ]; then
	tm-backtest --dsr "$work/merged" >"$work/summary"
	mv "$work/summary" "$summary"
fi
cat "$work/merged"
