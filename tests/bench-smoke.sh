#!/bin/sh
# A small run of the benchmark (bench/bench.py) so that `make bench` keeps
# working: every row is produced and the plot is drawn. Nothing about the
# timing is checked (benchmarks are not tests).
set -u
: "${top_builddir:?run through make check}" "${top_srcdir:?run through make check}"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is not installed"; exit 77; }
out=$(mktemp -d /tmp/iotx509-bench-smoke.XXXXXX) || exit 99
trap 'rm -rf "$out"' EXIT
fails=0
plot=""
command -v gnuplot >/dev/null 2>&1 && plot="--plot $out/p.png"
if ! python3 "$top_srcdir/bench/bench.py" --builddir "$top_builddir" --out "$out" --n 3 --batch-n 3 --reps 1 --loop 2 --keys p256 \
	$plot >"$out/log" 2>&1; then
	cat "$out/log"
	echo "not ok - bench.py failed"
	exit 1
fi
rows="p256:crypto p256:floor p256:capi p256:batch-j1 p256:batch-j2 p256:files-t1 p256:files-t2 p256:device"
rows="$rows verify:floor verify:capi pkcs12:capi"
[ -d /dev/shm ] && [ -w /dev/shm ] && rows="$rows p256:batch-j1-ram p256:batch-j2-ram p256:files-t1-ram"
command -v openssl >/dev/null 2>&1 && rows="$rows p256:openssl pkcs12:openssl"
command -v certtool >/dev/null 2>&1 && rows="$rows p256:certtool"
if ! grep -q -- --enable-sanitizers "$top_builddir/config.status"; then
	[ -f "$top_builddir/bindings/python/iotx509.py" ] && rows="$rows p256:bind-python"
	[ -f "$top_builddir/bindings/java/iotx509.jar" ] && rows="$rows p256:bind-java"
	[ -f "$top_builddir/bindings/node/iotx509.node" ] && rows="$rows p256:bind-node"
fi
for r in $rows; do
	if awk -F'\t' -v k="${r%%:*}" -v t="${r#*:}" '$1 == k && $2 == t && $3 > 0 { f = 1 } END { exit !f }' "$out/bench.tsv"; then
		echo "ok - row $r"
	else
		echo "not ok - row $r missing from bench.tsv"
		fails=$((fails + 1))
	fi
done
if grep -q '^p256: (b)/(a) = ' "$out/log" && grep -q '^p256: batch --jobs 2 is .* on the disk' "$out/log" &&
	grep -q '^p256:   the file sets alone on the disk: 2 threads write them ' "$out/log"; then
	echo "ok - the summary states the ratios"
else
	echo "not ok - the summary lacks the ratios"
	fails=$((fails + 1))
fi
if [ -n "$plot" ]; then
	if [ "$(od -An -c -N4 "$out/p.png" | tr -d ' ')" = "211PNG" ]; then echo "ok - PNG plot"; else
		echo "not ok - no PNG plot"; fails=$((fails + 1)); fi
else
	echo "# gnuplot not installed: the plot is not drawn"
fi
if python3 "$top_srcdir/bench/bench.py" --builddir "$top_builddir" --out "$out" --rss 20,40 >"$out/rss.log" 2>&1 &&
	grep -q '^peak RSS of 40 devices is ' "$out/rss.log"; then
	echo "ok - the RSS comparison runs"
else
	cat "$out/rss.log"
	echo "not ok - the RSS comparison"
	fails=$((fails + 1))
fi
[ $fails -eq 0 ] || exit 1
