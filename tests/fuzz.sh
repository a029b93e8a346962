#!/bin/sh
# fuzz.sh - build the libFuzzer targets (tests/fuzz/) against the sources
# of libcommon, tm-fetch and tm-slotmap, and run them.
#
#   sh tests/fuzz.sh               build, then run every target in parallel
#   sh tests/fuzz.sh --build       build only
#   sh tests/fuzz.sh --list        the names of the targets
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
    -Itools/tm-cat -Itools/tm-fetch -Itools/tm-slotmap
    $(pkg-config --cflags libcurl jansson zlib openblas 2>/dev/null) $SAN"
LIBS_FUZZ="$(pkg-config --libs libcurl jansson zlib openblas 2>/dev/null)
    -lcsv -lisal -lm"
ALL="fuzz_frame fuzz_csv fuzz_reply fuzz_state fuzz_members fuzz_model"

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
	# libcommon, and the tools whose readers are fuzzed, as archives of
	# objects (a tool's main.c left out); a target links what it uses.
	archive libcommon libcommon/*.c
	archive tm-cat tools/tm-cat/csvimport.c
	archive tm-fetch tools/tm-fetch/*.c
	archive tm-slotmap tools/tm-slotmap/*.c
	for t in $ALL; do
		# shellcheck disable=SC2086
		$CC_FUZZ $CFLAGS_FUZZ -fsanitize=fuzzer -o "$B/$t" \
		    "tests/fuzz/$t.c" "$B/tm-cat-fuzz.a" "$B/tm-fetch-fuzz.a" \
		    "$B/tm-slotmap-fuzz.a" "$B/libcommon-fuzz.a" $LIBS_FUZZ
	done
}

# archive NAME FILE...: build-fuzz/NAME-fuzz.a of the objects of FILEs,
# each rebuilt when it or a header of libcommon or its folder is newer.
archive() {
	a=$B/$1-fuzz.a
	shift
	objs=
	for c in "$@"; do
		case $c in tools/*/main.c) continue ;; esac
		d=$(dirname "$c")
		o=$B/obj/$(echo "$d" | tr / _)_$(basename "$c" .c).o
		if [ ! -f "$o" ] ||
		    [ -n "$(find "$c" libcommon/*.h "$d"/*.h -newer "$o" 2>/dev/null)" ]; then
			# shellcheck disable=SC2086
			$CC_FUZZ $CFLAGS_FUZZ -I"$d" -c -o "$o" "$c" ||
			    { echo "fuzz.sh: $c does not build with $CC_FUZZ" >&2; exit 1; }
		fi
		objs="$objs $o"
	done
	rm -f "$a"
	# shellcheck disable=SC2086
	ar rcs "$a" $objs
}

# Seeds: a few valid streams and CSVs, made fresh each run.
seed() {
	s=$B/corpus/$1-seed
	rm -rf "$s" "$B/$1.dict"
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
	fuzz_reply)
		# The first byte: ticker << 5 | status << 3 | parser (see
		# fuzz_reply.c), in octal.
		fx=tests/data/fetch
		while read -r b f; do
			{ printf '%b' "\\0$b"; cat "$fx/$f"; } >"$s/$b-$f"
		done <<-EOF
		340 yahoo-fixy.json
		100 yahoo-fixb.json
		010 yahoo-nope.json
		301 stooq-fixs.csv
		241 stooq-fixpl.csv
		001 stooq-nodata.txt
		042 av-fixa.json
		142 av-fixc.csv
		002 av-note.json
		007 av-information.json
		243 polygon-fixp.json
		033 polygon-401.json
		004 polygon-grouped.json
		045 av-news.json
		105 av-news.json
		206 av-overview-fixo.json
		006 av-note.json
		EOF
		# Timestamps no day can hold, once a UBSan abort (t0403).
		{ printf '\340'; printf '%s' '{"chart":{"result":[{"timestamp":' \
		    '[1e300,1717425000],"indicators":{"quote":[{"close":[1,2]}]},' \
		    '"events":{"splits":{"x":{"date":-1e300}}}}]}}'; } \
		    >"$s/yahoo-1e300"
		{ printf '\004'; printf '%s' '{"status":"OK","results":' \
		    '[{"T":"FIXP","c":1,"t":1e300}]}'; } >"$s/polygon-1e300"
		# The keys and words of the replies, for the mutator.
		printf '"%s"\n' chart result error timestamp indicators quote \
		    adjclose events dividends splits numerator denominator \
		    'Time Series (Daily)' '4. close' Note Information \
		    'Error Message' feed ticker_sentiment time_published \
		    relevance_score ticker_sentiment_score results status OK \
		    DELAYED Symbol LatestQuarter 'No data' Date Close >"$B/$1.dict"
		;;
	fuzz_state)
		# A state of the reconstitution fixture, and one by hand.
		sm=tests/data/slotmap
		[ -x "$TOP/bin/tm-slotmap" ] || return 0
		"$TOP/bin/tmt-mkframes" <"$sm/recon.frames" >"$B/recon.tmt"
		rm -f "$B/state.json"
		"$TOP/bin/tm-slotmap" -l 4,2,1 --members "$sm/recon.csv" \
		    -s "$B/state.json" "$B/recon.tmt" >/dev/null 2>&1
		cp "$B/state.json" "$s/recon"
		printf '%s\n' '{"version":1,"layout":{"name":"1,1,0","active":1,' \
		    '"archive":1,"padding":0},"last":null,"slots":[{"slot":0,' \
		    '"ticker":"A","added":"2020-01-02","archived":null,' \
		    '"seeded":true},{"slot":1,"ticker":"B","added":' \
		    '"2019-01-02","archived":"2020-01-02"}]}' >"$s/hand"
		# A layout name of 32 two-byte characters, once cut in half
		# a character and a 70 at the save (t5020).
		e=$(printf '\303\251\303\251\303\251\303\251')
		{ printf '{"version":1,"layout":{"name":"%s",' "$e$e$e$e$e$e$e$e"
		  printf '"active":1,"archive":0,"padding":0},"last":null,'
		  printf '"slots":[]}\n'; } >"$s/longname"
		printf '"%s"\n' version layout name active archive padding last \
		    slots slot ticker added archived seeded null true \
		    2020-01-02 >"$B/$1.dict"
		;;
	fuzz_members)
		cp tests/data/slotmap/recon.csv "$s/changes"
		printf '\357\273\277Ticker,Name\r\nAAA,"A, Inc."\r\nBBB,B\r\nAAA,A\r\n' \
		    >"$s/snapshot"
		printf 'action,date,ticker\nremove,2020-01-02,AAA\nadd,2020-01-02," BBB "\n' \
		    >"$s/columns"
		printf '"%s"\n' date ticker action add remove 2020-01-02 \
		    '\xEF\xBB\xBF' >"$B/$1.dict"
		;;
	fuzz_model)
		# Three small models: shared, flat, other hidden sizes.
		[ -x "$TOP/bin/tm-train" ] || return 0
		"$TOP/bin/tmt-slots" -n 6 -a 2 -p 1 -d 30 -k 0.3 -s 3 >"$B/slots.tmt"
		for a in "--arch shared" "--arch flat" "--hidden 3,2"; do
			# shellcheck disable=SC2086
			"$TOP/bin/tm-train" -q --algo dpg --seed 1 --epochs 2 \
			    --valid 10 $a -o "$B/model.tmt" <"$B/slots.tmt"
			n=$(echo "$a" | tr -cd 'a-z0-9')
			for m in 0 1; do
				{ printf '%b' "\\00$m"; cat "$B/model.tmt"; } >"$s/$n-$m"
			done
		done
		# Mode 2: metadata lines over fuzz_model.c's own small model.
		printf '\002arch=flat\nflat_slots=7\nnfeat=2\n' >"$s/meta-flat"
		printf '\002hidden=3,2\nlearn_tau=0\n1:kind=tm-model-norm\n' \
		    >"$s/meta-same"
		# Sizes that once overflowed the scorer's width (UBSan) and
		# asked for terabytes (t0401): each run checks them again.
		printf '\002arch=flat\nflat_slots=1000000\nnfeat=100000\n' \
		    >"$s/meta-wide"
		printf '\002nfeat=100000\nhidden=4096,4096\n' >"$s/meta-huge"
		# The words and bounds of the policy frame, for the mutator.
		printf '"%s"\n' flat shared 100000 1000000 4096 flat_slots= \
		    nfeat= hidden= learn_tau= slots= arch= kind= tm-model-norm \
		    tm-model-metrics 1: >"$B/$1.dict"
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
	dict=
	[ ! -f "$B/$t.dict" ] || dict=-dict=$B/$t.dict
	# shellcheck disable=SC2086
	"$B/$t" $dict -max_total_time="$FUZZ_SECONDS" -max_len=16384 \
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
--list)
	echo "$ALL"
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
