#!/bin/sh
# tm-cat --import writes the bytes it wrote before its fast paths (the
# unquoted line split, the decimal fast path, the date cache, the reused
# row labels, the header text built by hand): the checksums below are those
# of the builds before them (ef6264c, fb5117b) on the same input, a
# synthetic CSV of quoted labels and odd numbers, and the real CSVs of
# ../shared/data when they are there.  The slow paths (every line through
# libcsv, every header through a jansson tree) give the same bytes.
. "$(dirname "$0")/lib.sh"

# gen [F32]: 7 tickers x up to 400 days, sorted by ticker; labels with a
# comma, UTF-8, quotes, a blank; values plain, quoted, missing, and ones
# the fast path leaves to strtod (exponents, 16+ digits, a subnormal).
gen() {
	awk -v f32="${1:-0}" 'BEGIN { srand(7);
	    print "date,ticker,open,high,low,close,adjclose,volume";
	    nl = split("AAPL|BRK-B|\"Q,R\"|\"Z\303\274rich\"|\"X \"\"Y\"\"\"|T9|\"spa ce\"", lab, "|");
	    no = split("0|1e5|-0|+5|.5|5.|0.1234567890123456789|123456789012345678|4.9e-324|NA|nan|null||-12.5|3.14159265358979|0.30000000000000004|99999999999999.9|1.7976931348623157e308", odd, "|");
	    if (f32) no--;
	    for (t = 1; t <= nl; t++)
		for (k = 0; k < 400; k++) {
			if (rand() < 0.1) continue;
			m = 1 + int(k / 28) % 12; d = 1 + k % 28; y = 2010 + int(k / 336);
			printf "%04d-%02d-%02d,%s", y, m, d, lab[t];
			for (f = 0; f < 5; f++) {
				r = rand();
				if (r < 0.15) v = odd[1 + int(rand() * no)];
				else if (r < 0.2) v = "\"" int(rand() * 1000) / 8 "\"";
				else v = sprintf("%.*f", int(rand() * 5), rand() * 500);
				printf ",%s", v
			}
			printf ",%d\n", int(rand() * 1e7)
		} }'
}

# sum WANT CMD...: the checksum and length of CMD's output are WANT.
sum() {
	want=$1; shift
	got=$("$@" | cksum)
	[ "$got" = "$want" ] || { echo "$*: $got, want $want"; return 1; }
}

# slow FILE ARGS...: the slow paths give the fast paths' bytes.
slow() {
	f=$1; shift
	tm-cat --import "$@" "$f" >fast.tmt &&
	TM_CSVIMP_LIBCSV=1 TM_TMT_JANSSON=1 tm-cat --import "$@" "$f" >slow.tmt &&
	cmp fast.tmt slow.tmt
}

test_expect_success 'the synthetic CSV: the bytes of the build before' '
	gen >s.csv && test "$(wc -l <s.csv)" = 2568 &&
	sum "361432849 266752" tm-cat --import s.csv &&
	slow s.csv &&
	gen 1 >s32.csv &&
	sum "596107671 201984" tm-cat --import --dtype F32 s32.csv &&
	slow s32.csv --dtype F32
'

test_expect_success 'sorted by date instead: the same frames' '
	{ head -n 1 s.csv; tail -n +2 s.csv | sort -s -t, -k1,1; } >d.csv &&
	! cmp -s s.csv d.csv &&
	sum "361432849 266752" tm-cat --import d.csv && slow d.csv
'

test_expect_success '--last, -r and -o csv over an import' '
	sum "20671319 3520" tm-cat --import --last 5 s.csv &&
	sum "108586089 149312" tm-cat --import -r AAPL,T9 s.csv &&
	sum "3876988057 153525" tm-cat --import -o csv s.csv
'

us=$SHARED_DATA/prices/us_stocks_daily_2010_2017.csv.gz
sp=$SHARED_DATA/prices/sp500_all_stocks_5yr.csv.gz
if [ -n "$SHARED_DATA" ] && [ -r "$us" ] && [ -r "$sp" ]; then
	test_expect_success 'the real CSVs: the bytes of the build before' '
		sum "444141213 128825088" tm-cat --import "$us" &&
		sum "2989680017 28900480" tm-cat --import --row Name "$sp" &&
		sum "3358347934 16514496" tm-cat --import --row Name \
		    --dtype F32 "$sp"
	'
else
	test_skip 'the real CSVs: the bytes of the build before' \
	    'no ../shared/data/prices'
fi

test_done
