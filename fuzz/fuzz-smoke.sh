#!/bin/sh
# Build the libFuzzer harnesses in fuzz/ with clang (ASan + UBSan) straight
# from the library sources, then run each one for a bounded time. Fails on
# any crash, sanitizer report, leak or timeout. Called by 'make fuzz-smoke'
# (fuzz/local.mk), which passes the paths; nothing of the normal build is
# reconfigured or rebuilt with clang.
#
#   FUZZ_SECONDS  seconds per harness (default 30)
#   FUZZ_TARGETS  harnesses to run (default: all fuzz_*.c)
#   FUZZ_JOBS     harnesses run at the same time (default: number of CPUs)
#   FUZZ_BUILD_ONLY=1  only build (for longer runs by hand)
#   FUZZ_KEEP_CORPUS=1 keep what earlier runs added to fuzz-work/corpus
#                 ('make fuzz-long' sets it; the seeds are added again)
#
# Crashers become regression inputs: put the file in
# fuzz/regressions/<harness>/ (they are replayed before every run) and, when
# a parser has a test, into tests/data/malformed/ with its expectations.
set -u

: "${srcdir:?}" "${builddir:?}" "${CLANG:=clang}" "${FUZZ_SECONDS:=30}" "${FUZZ_JOBS:=$(nproc 2>/dev/null || echo 2)}"
: "${FIXTURES:=}" "${GNUTLS_CFLAGS:=}" "${GNUTLS_LIBS:=-lgnutls}" "${TASN1_CFLAGS:=}" "${TASN1_LIBS:=-ltasn1}"
: "${FUZZ_BUILD_ONLY:=0}" "${FUZZ_KEEP_CORPUS:=0}"
work=$builddir/fuzz-work
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS="-g -O1 $SAN -I$builddir -I$builddir/include -I$srcdir/include -I$srcdir/lib -DHAVE_CONFIG_H $GNUTLS_CFLAGS $TASN1_CFLAGS"
TIMEOUT=10

if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "fuzz-smoke: $CLANG not found (apt-get install clang libclang-rt-14-dev)" >&2
	exit 1
fi
mkdir -p "$work/obj" "$work/bin" "$work/artifacts" "$work/logs"

# ---- build ----
# The library's sources as lib/local.mk lists them (LIB_SOURCES, from make),
# generated ones from the build directory; every lib/*.c without make.
sources=
for f in ${LIB_SOURCES:-$(cd "$srcdir" && ls lib/*.c)}; do
	case $f in
	*.c) ;;
	*) continue ;;
	esac
	if [ -f "$builddir/$f" ]; then
		sources="$sources $builddir/$f"
	else
		sources="$sources $srcdir/$f"
	fi
done
newest_header=$(ls -t "$srcdir"/lib/*.h "$srcdir"/include/iotx509/*.h "$builddir/config.h" | head -n 1)
objs=
todo=
for src in $sources; do
	obj=$work/obj/$(basename "$src" .c).o
	objs="$objs $obj"
	if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_header" -nt "$obj" ]; then
		todo="$todo $src"
	fi
done
if [ -n "$todo" ]; then
	echo "fuzz-smoke: compiling $(echo $todo | wc -w) library sources with $CLANG"
	# -fsanitize=fuzzer-no-link: coverage instrumentation for the library too.
	if ! printf '%s\n' $todo | xargs -P "$FUZZ_JOBS" -I{} sh -c \
		'"$0" $1 -fsanitize=fuzzer-no-link -c "{}" -o "$2/obj/$(basename "{}" .c).o"' "$CLANG" "$CFLAGS" "$work"; then
		echo "fuzz-smoke: FAIL: the library does not compile with $CLANG" >&2
		exit 1
	fi
fi

targets=${FUZZ_TARGETS:-$(cd "$srcdir/fuzz" && ls fuzz_*.c | sed 's/\.c$//')}
for t in $targets; do
	if [ ! -x "$work/bin/$t" ] || [ "$srcdir/fuzz/$t.c" -nt "$work/bin/$t" ] ||
		[ "$srcdir/fuzz/fuzz-common.h" -nt "$work/bin/$t" ] || [ -n "$todo" ]; then
		# shellcheck disable=SC2086
		"$CLANG" $CFLAGS -fsanitize=fuzzer "$srcdir/fuzz/$t.c" $objs $GNUTLS_LIBS $TASN1_LIBS -lpthread \
			-o "$work/bin/$t" || { echo "fuzz-smoke: FAIL: cannot link $t" >&2; exit 1; }
	fi
done
[ "$FUZZ_BUILD_ONLY" = 1 ] && { echo "fuzz-smoke: harnesses in $work/bin"; exit 0; }

# ---- corpora ----
# Committed seeds and the regression inputs, plus the foreign fixtures and
# the malformed-input corpus. The certificate harnesses share the seeds of
# fuzz/corpus/cert and fuzz/corpus/lint (fuzz/gen-corpus.py: certificates
# with oversized and odd parts). fuzz_certgen reads recipes, not files of
# the other kinds. The key harness reads a password selector byte first:
# 0 none, 1 "1234".
prepare() {
	t=$1
	name=${t#fuzz_}
	dir=$work/corpus/$name
	[ "$FUZZ_KEEP_CORPUS" = 1 ] || rm -rf "$dir"
	mkdir -p "$dir"
	for d in "$srcdir/fuzz/corpus/$name" "$srcdir/fuzz/regressions/$name"; do
		[ -d "$d" ] && cp "$d"/* "$dir"/ 2>/dev/null
	done
	extra=
	case $name in
	id | certgen) return 0 ;;
	key) extra=$(ls "$FIXTURES"/*/*key*.pem "$srcdir"/tests/data/malformed/key-* 2>/dev/null) ;;
	pkcs12) extra=$(ls "$FIXTURES"/*/*.pfx "$srcdir"/tests/data/malformed/pfx-* 2>/dev/null) ;;
	csr) extra=$(ls "$srcdir"/tests/data/malformed/csr-* 2>/dev/null) ;;
	*) extra=$(ls "$FIXTURES"/*/*cert*.pem "$FIXTURES"/*/*fullchain*.pem "$srcdir"/fuzz/corpus/cert/* \
		"$srcdir"/fuzz/corpus/lint/* "$srcdir"/fuzz/regressions/cert/* "$srcdir"/fuzz/regressions/lint/* \
		"$srcdir"/tests/data/malformed/der-* "$srcdir"/tests/data/malformed/pem-* \
		"$srcdir"/tests/data/malformed/bundle-* 2>/dev/null) ;;
	esac
	i=0
	for f in $extra; do
		i=$((i + 1))
		if [ "$name" = key ]; then
			printf '\001' | cat - "$f" > "$dir/x$i-pw"
			printf '\000' | cat - "$f" > "$dir/x$i"
		else
			cp "$f" "$dir/x$i"
		fi
	done
}

# libFuzzer's -dict option for a harness (none for recipes).
dict_for() {
	case $1 in
	fuzz_id) echo "-dict=$srcdir/fuzz/dict/id.dict" ;;
	fuzz_certgen) ;;
	*) echo "-dict=$srcdir/fuzz/dict/x509.dict" ;;
	esac
}

# Run one harness: regressions first, then fuzzing. Writes its status file.
run_one() {
	t=$1
	name=${t#fuzz_}
	log=$work/logs/$name.log
	prepare "$t"
	: > "$log"
	status=0
	if [ -d "$srcdir/fuzz/regressions/$name" ] && [ -n "$(ls "$srcdir/fuzz/regressions/$name")" ]; then
		"$work/bin/$t" -timeout=$TIMEOUT "$srcdir/fuzz/regressions/$name"/* >> "$log" 2>&1 || status=$?
	fi
	if [ $status -eq 0 ]; then
		maxlen=20000
		[ "$name" = id ] && maxlen=256
		[ "$name" = certgen ] && maxlen=4096
		# shellcheck disable=SC2046
		"$work/bin/$t" -max_total_time="$FUZZ_SECONDS" -timeout=$TIMEOUT -rss_limit_mb=2048 -max_len=$maxlen \
			$(dict_for "$t") -artifact_prefix="$work/artifacts/$name-" -print_final_stats=1 \
			"$work/corpus/$name" >> "$log" 2>&1 || status=$?
	fi
	echo "$status" > "$work/logs/$name.status"
}

echo "fuzz-smoke: running $(echo $targets | wc -w) harnesses for ${FUZZ_SECONDS}s each, $FUZZ_JOBS at a time"
rm -f "$work"/logs/*.status
running=0
for t in $targets; do
	run_one "$t" &
	running=$((running + 1))
	if [ $running -ge "$FUZZ_JOBS" ]; then
		wait
		running=0
	fi
done
wait

failed=0
for t in $targets; do
	name=${t#fuzz_}
	st=$(cat "$work/logs/$name.status" 2>/dev/null || echo missing)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/logs/$name.log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$work/logs/$name.log" | tail -n 1)
	if [ "$st" = 0 ]; then
		echo "PASS: $t (${runs:-?} runs, ${cov:-cov: ?})"
	else
		failed=1
		echo "FAIL: $t (exit $st); log: $work/logs/$name.log"
		grep -E 'ERROR: |SUMMARY: |runtime error|ALARM|Test unit written to' "$work/logs/$name.log" | head -n 20
	fi
done
if [ $failed -ne 0 ]; then
	echo "fuzz-smoke: crash inputs are in $work/artifacts; replay with $work/bin/<harness> FILE" >&2
	exit 1
fi
echo "fuzz-smoke: all harnesses clean"
