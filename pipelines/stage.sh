# stage.sh - stage NAME CMD...: run CMD, print its wall time and peak
# memory (GNU time into $W/time.NAME, W a scratch folder the caller
# made).  Sourced (POSIX sh) by pipelines/realdata.sh and
# tests/bench/realdata.sh, which print their stages alike.
stage() {
	n=$1
	shift
	/usr/bin/time -f "%e %M" -o "$W/time.$n" "$@"
	read -r s kb <"$W/time.$n"
	printf '%-22s %7.1f s  %5d MB\n' "$n" "$s" $((kb / 1024))
}
