#!/bin/sh
# fuzz.sh - build the libFuzzer targets against the libcommon sources and
# run them.
#
#   sh tests/fuzz.sh               build, then run both targets in parallel
#   sh tests/fuzz.sh --build       build only
#   sh tests/fuzz.sh fuzz_csv ...  run the named targets (built if missing)
#
# Each target runs FUZZ_SECONDS (default 30) over a seed corpus written at
# run time into build-fuzz/corpus.  A crash leaves build-fuzz/crash-* and
# makes the script exit non-zero.  Exit 77 when clang cannot build a
# libFuzzer binary.
set -eu
cd "$(dirname "$0")/.."
TOP=$(pwd)
B=$TOP/build-fuzz
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
CC_FUZZ=${CC_FUZZ:-clang}
SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
CFLAGS_FUZZ="-g -O1 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Ilibcommon
    $(pkg-config --cflags jansson zlib 2>/dev/null) $SAN"
LIBS_FUZZ="$(pkg-config --libs jansson zlib 2>/dev/null) -lcsv -lisal -lm"
ALL="fuzz_frame fuzz_csv"

have_fuzzer() {
	command -v "$CC_FUZZ" >/dev/null 2>&1 || return 1
	mkdir -p "$B"
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
	    '{ (void)d; (void)n; return 0; }' >"$B/probe.c"
	"$CC_FUZZ" -fsanitize=fuzzer,address -o "$B/probe" "$B/probe.c" \
	    >/dev/null 2>&1
}

build() {
	if ! have_fuzzer; then
		echo "fuzz.sh: $CC_FUZZ cannot build libFuzzer targets" >&2
		exit 77
	fi
	mkdir -p "$B/obj"
	# The library as objects; only what the targets use gets linked.
	objs=
	for c in libcommon/*.c; do
		o=$B/obj/$(basename "$c" .c).o
		if [ ! -f "$o" ] || [ -n "$(find "$c" libcommon/tm.h -newer "$o")" ]; then
			# shellcheck disable=SC2086
			$CC_FUZZ $CFLAGS_FUZZ -c -o "$o" "$c" ||
			    { echo "fuzz.sh: $c does not build with $CC_FUZZ" >&2; exit 1; }
		fi
		objs="$objs $o"
	done
	rm -f "$B/libcommon-fuzz.a"
	# shellcheck disable=SC2086
	ar rcs "$B/libcommon-fuzz.a" $objs
	for t in $ALL; do
		# shellcheck disable=SC2086
		$CC_FUZZ $CFLAGS_FUZZ -fsanitize=fuzzer -o "$B/$t" \
		    "tests/fuzz/$t.c" "$B/libcommon-fuzz.a" $LIBS_FUZZ
	done
}

# Seeds: a few valid streams and CSVs, made fresh each run.
seed() {
	s=$B/corpus/$1-seed
	rm -rf "$s"
	mkdir -p "$s" "$B/corpus/$1"
	csv=tests/data/cat/prices.csv
	case $1 in
	fuzz_csv)
		for m in 0 1 2 3; do
			{ printf '%b' "\\00$m"; cat "$csv"; } >"$s/prices-$m"
		done
		printf '\0slot,date,w\r\n0,2024-01-02,0.5\r\n1,2024-01-02,"NA"\r\n' >"$s/slot"
		printf '\0date,ticker,v\n2024-01-03,"A\nB",1e-310\n2024-01-02,C,\n' >"$s/quote"
		;;
	fuzz_frame)
		tmcat=$TOP/bin/tm-cat
		[ -x "$tmcat" ] || return 0
		"$tmcat" --import "$csv" >"$B/p.tmt"
		"$tmcat" -z "$B/p.tmt" >"$B/pz.tmt"
		"$tmcat" --import --dtype F32 -r MSFT "$csv" >"$B/p32.tmt"
		for m in 0 1 3; do
			for f in p pz p32; do
				{ printf '%b' "\\00$m"; cat "$B/$f.tmt"; } >"$s/$f-$m"
			done
		done
		;;
	esac
}

run() {
	# build first: its loop sets t too
	[ -x "$B/$1" ] || build
	t=$1
	seed "$t"
	rm -f "$B"/crash-"$t"-*
	log=$B/$t.log
	rc=0
	"$B/$t" -max_total_time="$FUZZ_SECONDS" -max_len=16384 \
	    -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
	    -artifact_prefix="$B/crash-$t-" \
	    "$B/corpus/$t" "$B/corpus/$t-seed" >"$log" 2>&1 || rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ "$rc" != 0 ] || ls "$B"/crash-"$t"-* >/dev/null 2>&1; then
		echo "$t: FAILED (exit $rc) after ${runs:-?} runs; see $log" >&2
		grep -m 20 -e ERROR -e 'SUMMARY' -e 'runtime error' "$log" >&2 || true
		return 1
	fi
	echo "$t: ok, ${runs:-?} runs in ${FUZZ_SECONDS}s, no crash"
}

case ${1:-} in
--build)
	build
	;;
'')
	build
	pids=
	for t in $ALL; do
		run "$t" & pids="$pids $!"
	done
	fail=0
	for p in $pids; do wait "$p" || fail=1; done
	exit $fail
	;;
*)
	fail=0
	for t in "$@"; do run "$t" || fail=1; done
	exit $fail
	;;
esac
