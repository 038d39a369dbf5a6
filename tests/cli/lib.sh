# Shared helpers of the iotx509 CLI tests (sourced, not run).
# Each test script runs the built tool in a fresh temp dir and prints one
# "ok N - what" / "not ok N - what" line per check; it exits 0 when every
# check passed, 1 otherwise, 77 (skip) only when a required tool is missing.
set -u

: "${top_builddir:?run through make check}" "${top_srcdir:?run through make check}"
IOTX509="$top_builddir/src/iotx509"
FIX="${IOTX509_FIXTURES:-$top_srcdir/tests/data/foreign}"
# 2026-11-29T12:00:00Z: the foreign fixtures are valid then; our own tests
# issue and verify at that time too, so nothing depends on the wall clock.
AT=2026-11-29T12:00:00Z
ATS=1795953600
export LC_ALL=C

need() {
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool is not installed"; exit 77; }
	done
}

T=$(mktemp -d "${TMPDIR:-/tmp}/iotx509-cli.XXXXXX") || exit 99
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
cd "$T" || exit 99

n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() {
	n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"
	[ -s "$T/.err" ] && sed 's/^/#   stderr: /' "$T/.err" | head -5
	return 0
}
# check DESCRIPTION COMMAND...: one check that passes when COMMAND succeeds.
check() { d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
finish() { echo "1..$n"; [ "$fails" -eq 0 ] || { echo "$fails of $n checks failed"; exit 1; }; exit 0; }

# x ARGS...: run the tool; stdout in $T/.out, stderr in $T/.err, status in $rc.
x() { "$IOTX509" "$@" >"$T/.out" 2>"$T/.err"; rc=$?; }

# ok_run DESCRIPTION ARGS...: the command succeeds.
ok_run() { d=$1; shift; x "$@"; if [ "$rc" -eq 0 ]; then ok "$d"; else not_ok "$d (exit $rc)"; fi; }

# fail_run DESCRIPTION STATUS REGEX ARGS...: the command exits with STATUS,
# prints nothing on stdout and exactly one line on stderr matching REGEX.
fail_run() {
	d=$1; st=$2; re=$3; shift 3
	x "$@"
	if [ "$rc" -ne "$st" ]; then not_ok "$d: exit $rc, expected $st"
	elif [ -s "$T/.out" ]; then not_ok "$d: something on stdout"
	elif [ "$(wc -l <"$T/.err")" -ne 1 ]; then not_ok "$d: stderr is not one line"
	elif ! grep -Eq -- "$re" "$T/.err"; then not_ok "$d: stderr lacks /$re/: $(cat "$T/.err")"
	else ok "$d"; fi
}

# need_fixtures: every foreign fixture is readable, or the script stops
# (hard error) naming the first missing file.
need_fixtures() {
	for f in certgen_sh/azure-iot-test-only.chain.ca.cert.pem certgen_sh/azure-iot-test-only.intermediate.cert.pem \
		certgen_sh/azure-iot-test-only.root.ca.cert.pem certgen_sh/azure-iot-test-only.root.ca.key.pem \
		certgen_sh/new-device.cert.pem certgen_sh/new-device.cert.pfx certgen_sh/new-device.key.pem \
		certgen_sh/new-edge-device.cert.pem certgen_sh/verification-code.cert.pem \
		create_test_cert/myintermediate.pfx create_test_cert/myintermediate_cert.pem \
		create_test_cert/myintermediate_fullchain.pem create_test_cert/myintermediate_key.pem \
		create_test_cert/mytestrootcert.pfx create_test_cert/mytestrootcert_cert.pem \
		create_test_cert/mytestrootcert_fullchain.pem create_test_cert/mytestrootcert_key.pem \
		create_test_cert/mytestselfcertprimary.pfx create_test_cert/mytestselfcertprimary_cert.pem \
		create_test_cert/mytestselfcertprimary_fullchain.pem create_test_cert/mytestselfcertprimary_key.pem \
		create_test_cert/sampleDevice01.pfx create_test_cert/sampleDevice01_cert.pem \
		create_test_cert/sampleDevice01_fullchain.pem create_test_cert/sampleDevice01_key.pem \
		create_test_cert/verification.pfx create_test_cert/verification_cert.pem \
		create_test_cert/verification_fullchain.pem create_test_cert/verification_key.pem; do
		[ -r "$FIX/$f" ] || { echo "fixture $FIX/$f is missing (configure --with-fixtures=DIR)"; exit 99; }
	done
}

mode_of() { stat -c %a "$1"; }
# ends_with_newline FILE
ends_with_newline() { [ -s "$1" ] && [ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ]; }
# fingerprint ALG FILE: openssl's fingerprint without colons.
fingerprint() { openssl x509 -in "$2" -noout -fingerprint "-$1" | sed 's/.*=//; s/://g'; }
# field LABEL: the value after "LABEL" in the last command's text output.
field() { awk -v l="$1" '$1 == l { print $2; exit }' "$T/.out"; }
# subjects FILE: the subject of every certificate in a PEM bundle, in order.
subjects() {
	awk -v dir="$T/.split" 'BEGIN { system("rm -rf " dir "; mkdir " dir) }
		/-----BEGIN CERTIFICATE-----/ { i++; f = dir "/" i ".pem" } f { print > f } /-----END/ { f = "" }' "$1"
	for f in $(ls "$T/.split" | sort -n); do openssl x509 -in "$T/.split/$f" -noout -subject -nameopt RFC2253 | sed 's/^subject=//'; done
}
# json EXPR: evaluate a Python expression on the JSON in $T/.out (bound to j); prints the result.
json() { python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$T/.out" "$1"; }
# files_in DIR: the names in DIR, sorted, on one line.
files_in() { (cd "$1" && ls -A | sort | tr '\n' ' ' | sed 's/ $//'); }

# check_credential NAME CN SUBJECT...: right after the command that issued
# NAME, check its four files and its output. SUBJECTs: the expected
# subjects of NAME_fullchain.pem, leaf first.
check_credential() {
	name=$1; cn=$2; shift 2
	check "$name: exactly its four files" test -f "${name}_cert.pem" -a -f "${name}_key.pem" \
		-a -f "${name}_fullchain.pem" -a -f "${name}.pfx"
	check "$name: modes 644 cert, 600 key, 644 fullchain, 600 pfx" test \
		"$(mode_of "${name}_cert.pem") $(mode_of "${name}_key.pem") $(mode_of "${name}_fullchain.pem") $(mode_of "${name}.pfx")" \
		= "644 600 644 600"
	check "$name: every PEM file ends with a newline" eval 'ends_with_newline "${name}_cert.pem" &&
		ends_with_newline "${name}_key.pem" && ends_with_newline "${name}_fullchain.pem"'
	check "$name: the key is unencrypted PKCS#8" grep -q -- '-----BEGIN PRIVATE KEY-----' "${name}_key.pem"
	check "$name: the key belongs to the certificate" test \
		"$(openssl pkey -in "${name}_key.pem" -pubout 2>/dev/null)" = "$(openssl x509 -in "${name}_cert.pem" -noout -pubkey)"
	check "$name: no stray 'null' line in the full chain" eval '! grep -qx null "${name}_fullchain.pem"'
	expected=$(printf '%s\n' "$@")
	got=$(subjects "${name}_fullchain.pem")
	check "$name: full chain order is $(echo $expected | tr ' ' ,)" test "$got" = "$expected"
	check "$name: full chain starts with the certificate" \
		test "$(openssl x509 -in "${name}_fullchain.pem" -outform DER | od -An -tx1)" = \
		"$(openssl x509 -in "${name}_cert.pem" -outform DER | od -An -tx1)"
	check "$name: printed CN is $cn" test "$(field CN:)" = "$cn"
	check "$name: printed SHA-1 equals openssl's fingerprint" \
		test "$(field SHA-1:)" = "$(fingerprint sha1 "${name}_cert.pem")"
	check "$name: printed SHA-256 equals openssl's fingerprint" \
		test "$(field SHA-256:)" = "$(fingerprint sha256 "${name}_cert.pem")"
	na=$(openssl x509 -in "${name}_cert.pem" -noout -enddate | sed 's/notAfter=//')
	check "$name: printed notAfter equals openssl's" \
		test "$(field notAfter:)" = "$(date -u -d "$na" +%Y-%m-%dT%H:%M:%SZ)"
	for f in _cert.pem _key.pem _fullchain.pem .pfx; do
		check "$name: output names ${name}$f" grep -q "^wrote .*${name}$f\$" "$T/.out"
	done
	check "$name: .pfx opens with openssl pkcs12 -info without -legacy (modern profile)" \
		openssl pkcs12 -info -noout -in "${name}.pfx" -passin pass:1234
	check "$name: .pfx holds the key" eval \
		'openssl pkcs12 -in "${name}.pfx" -passin pass:1234 -nocerts -nodes 2>/dev/null | grep -q "BEGIN PRIVATE KEY"'
	check "$name: .pfx holds the leaf and the chain ($# certificates)" test \
		"$(openssl pkcs12 -in "${name}.pfx" -passin pass:1234 -nokeys 2>/dev/null | grep -c 'BEGIN CERTIFICATE')" = "$#"
	check "$name: .pfx MAC is SHA-256 with 2048 iterations" eval \
		'openssl pkcs12 -info -noout -in "${name}.pfx" -passin pass:1234 2>&1 | grep -q "MAC: sha256, Iteration 2048"'
}
