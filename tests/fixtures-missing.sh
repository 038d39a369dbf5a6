#!/bin/sh
# A packager who strips a foreign fixture gets failures that name the file:
# a Criterion program fails (not crashes) on it, and so does a CLI script.
: "${top_builddir:?run through make check}" "${top_srcdir:?run through make check}" "${IOTX509_FIXTURES:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/iotx509-fixmiss.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
fails=0 n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }

cp -r "$IOTX509_FIXTURES" "$T/fix" && chmod -R u+w "$T/fix" && rm "$T/fix/certgen_sh/new-device.cert.pem" || exit 99

IOTX509_FIXTURES="$T/fix" "$top_builddir/tests/test_cert" > "$T/cert.log" 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q "fixture $T/fix/certgen_sh/new-device.cert.pem is missing" "$T/cert.log" &&
	grep -q 'Crashing: 0' "$T/cert.log" && ! grep -q 'Failing: 0' "$T/cert.log"; then
	ok "test_cert fails, without a crash, naming the stripped file"
else
	not_ok "test_cert with a stripped fixture (exit $rc)"; sed 's/^/#   /' "$T/cert.log" | tail -n 15
fi

IOTX509_FIXTURES="$T/fix" "$top_builddir/tests/test_expiry" --filter 'expiry/foreign*' > "$T/expiry.log" 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q "fixture $T/fix/certgen_sh/new-device.cert.pem is missing" "$T/expiry.log"; then
	ok "a directory scan names the stripped file instead of miscounting"
else
	not_ok "test_expiry with a stripped fixture (exit $rc)"; sed 's/^/#   /' "$T/expiry.log" | tail -n 15
fi

IOTX509_FIXTURES="$T/fix" sh "$top_srcdir/tests/cli/foreign.sh" > "$T/cli.log" 2>&1
rc=$?
if [ $rc -eq 99 ] && grep -q "fixture $T/fix/certgen_sh/new-device.cert.pem is missing" "$T/cli.log"; then
	ok "a CLI script stops with a hard error naming the stripped file"
else
	not_ok "foreign.sh with a stripped fixture (exit $rc)"; sed 's/^/#   /' "$T/cli.log" | tail -n 15
fi
echo "1..$n"
[ $fails -eq 0 ]
