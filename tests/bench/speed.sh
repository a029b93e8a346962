#!/bin/sh
# bench/speed.sh - the rows of issue 12's table, each beside a baseline
# measured in the same run and the ratio, with the load average: the daily
# job at 1,200 and 3,600 slots from a 10-year raw store (features over a
# 300-day warm-up window with --from, slotmap with its state, infer with
# the day before's weights, tm-diff against the day before's portfolio;
# peak memory is the largest stage's maximum RSS), tm-train dpg and
# ppo per epoch, tm-infer one day with -w, tm-cat --import and the
# pass-through.  Medians of BENCH_N whole-process runs (default 5; 3 for
# the long ones).  BENCH_ONLY, a comma list of daily, infer, train,
# passthru and import, runs only those rows (default: all); BENCH_BASE
# (a bin folder) adds a baseline build to the trainer rows.  TM_OLD, the
# path of another tm-cat binary (an older build), puts it beside each
# import row, run for run with this build's, and the ratio.  The real CSV
# is looked for in TM_SHARED_DATA (default ../shared/data).  Called by
# `make bench` through tests/bench/run.sh.
set -eu
. "$(dirname "$0")/common.sh"
bench_setup
N=${BENCH_N:-5}
DATA=${TM_SHARED_DATA:-$TOP/../shared/data}
ONLY=${BENCH_ONLY:-daily,infer,train,passthru,import}

# want ROW: true when BENCH_ONLY names ROW.
want() { case ",$ONLY," in *",$1,"*) return 0 ;; esac; return 1; }

load() { cut -d' ' -f1-3 /proc/loadavg; }
now() { date +%s.%N; }

# one CMD: the wall time and the CPU time (user + system, of CMD and its
# children) of one run of the shell command CMD (output to /dev/null),
# seconds: "WALL CPU".
one() {
	t0=$(now)
	/usr/bin/time -f "%U %S" -o "$W/cpu" sh -c "$1" >/dev/null
	t1=$(now)
	echo "$t0 $t1 $(cat "$W/cpu")" |
	    awk '{ printf "%.4f %.2f\n", $2 - $1, $3 + $4 }'
}

# medf FILE: the median of each of the two columns of FILE: "WALL CPU".
medf() {
	w=$(cut -d' ' -f1 "$1" | sort -n |
	    awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	c=$(cut -d' ' -f2 "$1" | sort -n |
	    awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	echo "$w $c"
}

# med K CMD: the median wall time and the median CPU time of K runs of
# CMD: "WALL CPU".  On a shared machine CPU is the steadier.
med() {
	k=$1; shift
	i=0
	: >"$W/med"
	while [ "$i" -lt "$k" ]; do
		one "$1" >>"$W/med"
		i=$((i + 1))
	done
	medf "$W/med"
}

# pair K CMD1 CMD2: K rounds of CMD1 then CMD2, back to back, so that the
# two see the same load: "WALL1 CPU1 WALL2 CPU2", medians.
pair() {
	k=$1
	i=0
	: >"$W/p1"
	: >"$W/p2"
	while [ "$i" -lt "$k" ]; do
		one "$2" >>"$W/p1"
		one "$3" >>"$W/p2"
		i=$((i + 1))
	done
	echo "$(medf "$W/p1") $(medf "$W/p2")"
}

# row NAME "WALL CPU" BASENAME "WALL CPU": one table line, wall and CPU,
# and the ratios figure/base.
row() {
	echo "$1|$2|$3|$4|$(load)" | awk -F'|' '{ split($2, a, " ");
	    split($4, b, " "); printf "%-40s %7.3f s (CPU %5.2f)  %-28s %7.3f s (CPU %5.2f)  ratio %5.2fx (CPU %5.2fx)  load %s\n", $1, a[1], a[2], $3, b[1], b[2], a[1] / b[1], (b[2] > 0 ? a[2] / b[2] : 0), $5 }'
}

# daily NAME TICKERS LAYOUT MEMBERS: a 10-year tm-synth store split into a raw
# tree, a model trained on a year of it, the state and weights of the day
# before the last, then the last day's job against the stateless one
# (all 300 days through features and slotmap, the last day kept).
daily() {
	name=$1 n=$2 lay=$3 members=$4 d=$W/$2
	mkdir -p "$d"
	"$BIN/tm-synth" -n "$n" -y 10 --seed 1 -o "$d/syn" >/dev/null
	"$BIN/tmt-split" "$d/raw" <"$d/syn/prices.tmt"
	"$BIN/tm-cat" --info "$d/syn/prices.tmt" |
	    sed 's/.*"date":"\([0-9-]*\)".*/\1/' >"$d/days"
	day=$(tail -n 1 "$d/days")
	prev=$(tail -n 2 "$d/days" | head -n 1)
	ws=$(tail -n 300 "$d/days" | head -n 1)
	wprev=$(tail -n 301 "$d/days" | head -n 1)
	# a snapshot of the first members of the universe, as bench-slotmap
	head -n "$((members + 1))" "$d/syn/universe.csv" | cut -d, -f1 \
	    >"$d/members.csv"
	mem=$d/members.csv
	"$BIN/tm-cat" --to "$(sed -n 252p "$d/days")" "$d/raw" |
	    "$BIN/tm-features" 2>/dev/null | "$BIN/tm-slotmap" -l "$lay" --members "$mem" \
	    >"$d/train.tmt"
	"$BIN/tm-train" -q --algo dpg --seed 1 --epochs 1 -o "$d/model.tmt" \
	    <"$d/train.tmt"
	"$BIN/tm-cat" --from "$wprev" --to "$prev" "$d/raw" |
	    "$BIN/tm-features" 2>/dev/null | "$BIN/tm-slotmap" -l "$lay" --members "$mem" \
	    -s "$d/state.json" >"$d/prev-slots.tmt"
	"$BIN/tm-infer" --last -m "$d/model.tmt" <"$d/prev-slots.tmt" >"$d/w.tmt"
	"$BIN/tm-cat" --last 1 "$d/prev-slots.tmt" >"$d/prev-slot.tmt"
	"$BIN/tm-diff" -s "$d/pf" --slots "$d/prev-slot.tmt" "$d/w.tmt" >/dev/null
	rm -f "$d/prev-slots.tmt"
	steady="cp '$d/state.json' '$d/st.json' && rm -rf '$d/pf2' &&
	    cp -r '$d/pf' '$d/pf2' &&
	    '$BIN/tm-cat' --from $ws '$d/raw' |
	    '$BIN/tm-features' --from $day 2>/dev/null |
	    '$BIN/tm-slotmap' -l $lay --members '$mem' -s '$d/st.json' >'$d/sl.tmt' &&
	    '$BIN/tm-infer' -w '$d/w.tmt' -m '$d/model.tmt' <'$d/sl.tmt' |
	    '$BIN/tm-diff' -s '$d/pf2' --slots '$d/sl.tmt'"
	stateless="'$BIN/tm-cat' --from $ws '$d/raw' | '$BIN/tm-features' 2>/dev/null |
	    '$BIN/tm-slotmap' -l $lay --members '$mem' | '$BIN/tm-cat' --last 1 |
	    '$BIN/tm-infer' -w '$d/w.tmt' -m '$d/model.tmt'"
	sh -c "$steady" >"$d/a.tmt"
	"$BIN/tm-cat" --info "$d/a.tmt" | grep -q "\"date\":\"$day\""
	/usr/bin/time -f %M -o "$W/rss" sh -c "$steady" >/dev/null
	row "daily job $name, with tm-diff" "$(med "$N" "$steady")" \
	    "stateless, 300 days, no diff" "$(med "$N" "$stateless")"
	echo "  peak memory of the daily job $name: $(($(cat "$W/rss") / 1024)) MB (largest stage)"
	win=$(med "$N" "'$BIN/tm-cat' --from $ws '$d/raw'")
	find "$d/raw" -name '*.tmt' | sort | tail -n 300 >"$d/files"
	row "  of which reading the window" "$win" "cat of its files" \
	    "$(med "$N" "xargs cat <'$d/files'")"
	if [ "$n" = 1100 ]; then
		cp "$d/syn/prices.tmt" "$W/prices.tmt"
		"$BIN/tm-cat" --last 1 "$W/$n/train.tmt" >/dev/null
	fi
	rm -rf "$d/raw" "$d/syn"
}

echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)"
if want daily; then
	daily "1,200 slots" 1100 r1000 1000
	daily "3,600 slots" 3300 r3000 3000
fi

if want infer; then
# tm-infer, one day at 3,600 slots with -w, against tm-cat of the input.
"$BIN/tmt-slots" -n 3000 -a 300 -p 300 -f 29 -d 3 -k 0.1 -s 2 >"$W/s2.tmt"
"$BIN/tm-cat" --last 1 "$W/s2.tmt" >"$W/s1.tmt"
"$BIN/tmt-slots" -n 1000 -a 100 -p 100 -f 29 -d 40 -k 0.1 -s 1 >"$W/m.tmt"
"$BIN/tm-train" -q --algo dpg --seed 1 --epochs 1 --valid 10 \
    -o "$W/model.tmt" <"$W/m.tmt"
"$BIN/tm-infer" --last -m "$W/model.tmt" <"$W/s2.tmt" >"$W/w.tmt"
row "tm-infer, one day, 3,600 slots, -w" \
    "$(med "$N" "'$BIN/tm-infer' -w '$W/w.tmt' -m '$W/model.tmt' <'$W/s1.tmt'")" \
    "tm-cat of the same input" "$(med "$N" "'$BIN/tm-cat' '$W/s1.tmt'")"
fi

# tm-train, 1,200 slots x 1,260 days x 32 features: 2 epochs less 1, per
# epoch (loading and the first epoch's set-up cancel out).  BENCH_BASE, a
# bin folder of another build (the one before a change), is measured the
# same way right after each of this build's, and the ratio printed.
if want train; then
"$BIN/tmt-slots" -n 1000 -a 100 -p 100 -f 29 -d 1260 -k 0.1 -s 1 >"$W/r1000.tmt"
# epoch BIN ALGO TN: "WALL CPU" per epoch, then the two runs' figures
epoch() {
	e1=$(med "$3" "'$1/tm-train' -q --algo $2 --seed 1 --epochs 1 -o '$W/t.tmt' <'$W/r1000.tmt'")
	e2=$(med "$3" "'$1/tm-train' -q --algo $2 --seed 1 --epochs 2 -o '$W/t.tmt' <'$W/r1000.tmt'")
	echo "$e1|$e2" | awk -F'|' '{ split($1, a, " "); split($2, b, " ");
	    printf "%.3f %.2f %.3f %.2f %.3f %.2f\n", b[1] - a[1], b[2] - a[2],
	    b[1], b[2], a[1], a[2] }'
}
for a in dpg ppo; do
	TN=3
	[ "$a" = ppo ] && TN=1	# 30 s of CPU a run
	f=$(epoch "$BIN" $a $TN)
	echo "$a|$f|$(load)" | awk -F'|' '{ split($2, a, " ");
	    printf "%-40s %7.3f s (CPU %5.2f) = 2 epochs %.3f s (CPU %.2f) - 1 epoch %.3f s (CPU %.2f)  load %s\n", "tm-train " $1 ", 1,200x1,260x32, per epoch", a[1], a[2], a[3], a[4], a[5], a[6], $3 }'
	if [ -n "${BENCH_BASE:-}" ]; then
		g=$(epoch "$BENCH_BASE" $a $TN)
		echo "$f|$g|$(load)" | awk -F'|' '{ split($1, a, " ");
		    split($2, b, " "); printf "  %-38s %7.3f s (CPU %5.2f) = 2 epochs %.3f s (CPU %.2f) - 1 epoch %.3f s (CPU %.2f)  ratio %.2fx (CPU %.2fx)  load %s\n", "baseline (BENCH_BASE)", b[1], b[2], b[3], b[4], b[5], b[6], a[1] / b[1], (b[2] > 0 ? a[2] / b[2] : 0), $3 }'
	fi
done
fi

# tm-cat pass-through and --import: the 1,100-ticker 10-year stream (made
# here when the daily rows did not run).
if { want passthru || want import; } && [ ! -f "$W/prices.tmt" ]; then
	"$BIN/tm-synth" -n 1100 -y 10 --seed 1 -o "$W/syn" >/dev/null
	mv "$W/syn/prices.tmt" "$W/prices.tmt"
	rm -rf "$W/syn"
fi
if want passthru; then
mb=$(wc -c <"$W/prices.tmt" | awk '{ printf "%.0f", $1 / 1e6 }')
cat "$W/prices.tmt" >/dev/null
tp=$(med "$N" "'$BIN/tm-cat' '$W/prices.tmt'")
tc=$(med "$N" "cat '$W/prices.tmt'")
echo "$mb|$tp|$tc|$(load)" | awk -F'|' '{ split($2, a, " ");
    split($3, b, " "); printf "%-40s %7.3f s (CPU %5.2f)  %-28s %7.3f s (CPU %5.2f)  throughput %.2fx of cat  load %s\n", "tm-cat pass-through, " $1 " MB", a[1], a[2], "cat(1)", b[1], b[2], b[1] / a[1], $4 }'
fi
if want import; then
# imp NAME ROWS CMD: an import row, with the old build's (TM_OLD, CMD with
# its tm-cat) beside it run for run when there is one.
imp() {
	name=$1 rows=$2 cmd=$3
	if [ -n "${TM_OLD:-}" ]; then
		ocmd=$(printf '%s\n' "$cmd" | sed "s|'$BIN/tm-cat'|'$TM_OLD'|")
		t=$(pair "$N" "$cmd" "$ocmd")
	else
		t="$(med "$N" "$cmd") - -"
	fi
	echo "$name|$rows|$t|$(load)" | awk -F'|' '{ split($3, a, " ");
	    printf "%-40s %7.3f s (CPU %5.2f)  %.2f M rows/s (%.2f M per CPU s)", $1 ", " $2 " rows", a[1], a[2], $2 / a[1] / 1e6, $2 / a[2] / 1e6;
	    if (a[3] != "-")
		printf "  old build %7.3f s (CPU %5.2f), ratio %.2fx (CPU %.2fx)", a[3], a[4], a[1] / a[3], (a[4] > 0 ? a[2] / a[4] : 0);
	    printf "  load %s\n", $4 }'
}
"$BIN/tm-cat" -o csv "$W/prices.tmt" >"$W/p.csv"
rows=$(($(wc -l <"$W/p.csv") - 1))
imp "tm-cat --import, synthetic" "$rows" "'$BIN/tm-cat' --import '$W/p.csv'"
med "$N" "cat '$W/p.csv'" | awk '{ printf "  cat of the synthetic CSV: %.3f s (CPU %.2f)\n", $1, $2 }'
gz=$DATA/prices/us_stocks_daily_2010_2017.csv.gz
if [ -r "$gz" ]; then
	zcat "$gz" >"$W/real.csv"
	rows=$(($(wc -l <"$W/real.csv") - 1))
	imp "tm-cat --import, real CSV" "$rows" "'$BIN/tm-cat' --import '$W/real.csv'"
	# the .gz read natively, against zcat piped into tm-cat
	imp "tm-cat --import, real .gz" "$rows" "'$BIN/tm-cat' --import '$gz'"
	imp "zcat .gz into tm-cat --import -" "$rows" "zcat '$gz' | '$BIN/tm-cat' --import -"
	med "$N" "zcat '$gz'" | awk '{ printf "  zcat of the .gz alone: %.3f s (CPU %.2f)\n", $1, $2 }'
else
	echo "tm-cat --import, real CSV: not measured ($gz not there)"
fi
fi
echo "tm-features vs pandas: in tests/bench/features.sh (BENCH_FEATURES=finrl)"
