#!/bin/sh
# Every input in fuzz/regressions/<harness>/ through its harness, built
# without libFuzzer against this build's library (tests/replay_fuzz_*, from
# tests/fuzz-replay.c): these inputs once crashed, leaked or hung a
# harness. In the --enable-sanitizers build any sanitizer report fails.
# 'make fuzz-smoke' replays them too, but it needs clang and is not part
# of 'make check'.
set -u
: "${top_srcdir:?run through make check}" "${top_builddir:?run through make check}"

n=0
fails=0
for src in "$top_srcdir"/fuzz/fuzz_*.c; do
	h=$(basename "$src" .c)
	dir=$top_srcdir/fuzz/regressions/${h#fuzz_}
	prog=$top_builddir/tests/replay_$h
	n=$((n + 1))
	if [ ! -x "$prog" ]; then
		fails=$((fails + 1))
		echo "not ok $n - $h: no tests/replay_$h (add it to FUZZ_REPLAY in tests/local.mk)"
		continue
	fi
	if [ ! -d "$dir" ]; then
		echo "ok $n - $h: no regression inputs"
		continue
	fi
	if out=$("$prog" "$dir" 2>&1); then
		echo "ok $n - $h: $(echo "$out" | tail -n 1 | sed 's/^# //')"
		echo "$out" | grep ' took ' || true
	else
		fails=$((fails + 1))
		echo "not ok $n - $h: an input of fuzz/regressions/${h#fuzz_} failed"
		echo "$out" | sed 's/^/#   /' | head -n 40
	fi
done
echo "1..$n"
[ "$fails" -eq 0 ]
