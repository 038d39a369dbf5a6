#!/bin/sh
# LOG_COMPILER of 'make check-valgrind': run one test program under
# valgrind's memcheck and fail on any error or definite leak in any of its
# processes.
#
# Criterion runs every test in a child process that re-executes the test
# program (BoxFort's "boxfort-worker"), so valgrind must follow exec
# (--trace-children=yes); a child's findings do not change the runner's exit
# status, so each process logs to its own file and this script reads them
# all. The tools the interop tests start (sh, openssl, certtool, java, node)
# are installed programs: VALGRIND_SKIP keeps valgrind out of them.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${VALGRIND:=valgrind}" "${LIBTOOL:=$top_builddir/libtool}"
: "${VALGRIND_SKIP:=/bin/*,/sbin/*,/usr/*,/opt/*,/snap/*}"
logs=$(mktemp -d "${TMPDIR:-/tmp}/iotx509-valgrind.XXXXXX") || exit 99
trap 'rm -rf "$logs"' EXIT

$LIBTOOL --mode=execute "$VALGRIND" --quiet --tool=memcheck --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite --error-exitcode=1 \
	--trace-children=yes --trace-children-skip="$VALGRIND_SKIP" --num-callers=30 \
	--suppressions="$top_srcdir/tests/valgrind.supp" \
	--log-file="$logs/vg.%p" "$@"
status=$?

bad=0
for f in "$logs"/vg.*; do
	[ -s "$f" ] || continue
	if grep -Eq 'ERROR SUMMARY: [1-9]|definitely lost in|Invalid (read|write|free)|uninitialised|Mismatched free' "$f"; then
		bad=1
		echo "valgrind: errors in process ${f##*/vg.}:"
		cat "$f"
	fi
done
if [ $bad -ne 0 ]; then
	echo "valgrind: FAIL ($*)"
	exit 1
fi
exit $status
