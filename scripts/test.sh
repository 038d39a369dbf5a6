#!/bin/sh
# Run the whole test suite (unit, interop, CLI, ABI checks) and print each
# Criterion summary line plus a total; exit non-zero if anything failed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# Make the command work on a machine that has not run the first one yet.
if ! command -v autoreconf >/dev/null 2>&1 || ! command -v cc >/dev/null 2>&1 || ! command -v swig >/dev/null 2>&1 ||
	! pkg-config --exists criterion gnutls 2>/dev/null ||
	! command -v doxygen >/dev/null 2>&1 || ! command -v abidiff >/dev/null 2>&1; then
	"$top/scripts/install-deps.sh" || exit 1
fi
"$top/scripts/build.sh" || exit 1

cd build
make -j"$(nproc)" --no-print-directory check
status=$?

echo
echo "== Criterion summaries (from tests/*.log) =="
passed=0 failed=0 skipped=0
for log in tests/*.log; do
	[ -f "$log" ] || continue
	line=$(grep -h 'Synthesis:' "$log" | tail -n 1)
	if [ -n "$line" ]; then
		echo "$(basename "$log" .log):"
		echo "$line"
		p=$(echo "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
		f=$(echo "$line" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
		c=$(echo "$line" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
		s=$(echo "$line" | sed -n 's/.*Skipped: \([0-9]*\).*/\1/p')
		passed=$((passed + ${p:-0}))
		failed=$((failed + ${f:-0} + ${c:-0}))
		skipped=$((skipped + ${s:-0}))
	fi
done
# Script tests (ABI, headers, CLI) report through automake's .trs files.
for trs in tests/*.trs tests/*/*.trs bindings/*/*.trs bindings/*/samples/*.trs; do
	[ -f "$trs" ] || continue
	base=${trs%.trs}
	grep -q 'Synthesis:' "$base.log" 2>/dev/null && continue
	r=$(sed -n 's/^:test-result: //p' "$trs")
	echo "$(echo "$base" | sed 's|^tests/||'): $r"
	case "$r" in
	PASS) passed=$((passed + 1)) ;;
	SKIP) skipped=$((skipped + 1)) ;;
	*) failed=$((failed + 1)) ;;
	esac
done
echo "total: $passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
