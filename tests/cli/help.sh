#!/bin/sh
# --help on every command, --version, usage errors, and the man page:
# it renders cleanly and documents every command and every option.
. "$top_srcdir/tests/cli/lib.sh"
MAN="$top_srcdir/doc/iotx509.1"

ok_run "--version" --version
check "--version prints the library version" grep -Eq '^iotx509 \(libiotx509\) [0-9]+\.[0-9]+\.[0-9]+$' "$T/.out"
ok_run "--help" --help
commands=$(awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }' "$T/.out")
check "--help lists every command, in order" test "$(echo $commands)" = \
	"root intermediate device batch verification edge-ca server csr sign renew chain verify check inspect thumbprint expiry tree p12 edge-config lint"
fail_run "no command: exit 2" 2 "missing COMMAND" 
fail_run "unknown command" 2 "unknown command 'bogus'" bogus

for cmd in $commands; do
	ok_run "$cmd --help" $cmd --help
	check "$cmd --help: starts with 'Usage: iotx509 $cmd', nothing on stderr" eval \
		'head -1 "$T/.out" | grep -q "^Usage: iotx509 $cmd" && test ! -s "$T/.err"'
	x $cmd -h
	check "$cmd -h works too" test "$rc" -eq 0 -a -s "$T/.out"
	# Every option the command's help lists is documented in the man page.
	x $cmd --help
	missing=""
	for opt in $(grep -Eo -- '--[a-z0-9][a-z0-9-]*' "$T/.out" | sort -u); do
		manopt=$(printf '%s' "$opt" | sed 's/-/\\-/g')
		grep -qF -- "$manopt" "$MAN" || missing="$missing $opt"
	done
	check "$cmd: every option of its --help is in iotx509.1${missing:+ (missing:$missing)}" test -z "$missing"
	check "$cmd: has its section in iotx509.1" grep -qF ".SS \"$(printf '%s' "$cmd" | sed 's/-/\\-/g')" "$MAN"
	fail_run "$cmd: unknown option gives one line and exit 2" 2 "unknown option '--no-such-option'" $cmd --no-such-option
done
x p12 export --help
check "p12 export --help" test "$rc" -eq 0 -a -s "$T/.out"

if command -v groff >/dev/null 2>&1; then
	groff -man -ww -z "$MAN" 2>"$T/.err"
	check "iotx509.1 renders without groff warnings" test ! -s "$T/.err"
else
	echo "# groff not installed: rendering not checked"
fi
check "iotx509.1 documents the exit statuses and --json" eval 'grep -q "^\.SH EXIT STATUS" "$MAN" && grep -q "json" "$MAN"'
finish
