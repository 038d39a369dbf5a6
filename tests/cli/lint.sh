#!/bin/sh
# iotx509 lint: what the tool issues lints clean, the fixtures' known
# problems are reported in text and JSON, and the exit status says whether
# any certificate has an error.
. "$top_srcdir/tests/cli/lib.sh"
CT="$FIX/create_test_cert"
CG="$FIX/certgen_sh"
need_fixtures

ok_run "root CA" root r --at $AT
ok_run "device under it" device dev-1 r --at $AT
ok_run "server under it" server gw r --dns gw.example --at $AT
ok_run "everything the tool issued lints clean" lint r_cert.pem dev-1_fullchain.pem gw_cert.pem
check "... and says so" grep -q '^4 certificates: 0 errors, 0 warnings, 0 info$' "$T/.out"
ok_run "the device is clean as a device" lint --profile device dev-1_cert.pem
x lint --profile ca dev-1_cert.pem
check "--profile ca on a device: exit 1" test "$rc" -eq 1
check "... naming profile-not-ca" grep -q 'error profile-not-ca: ' "$T/.out"

x lint "$CT/sampleDevice01_fullchain.pem"
check "create_test_cert fullchain: exit 1 (its root has no keyUsage)" test "$rc" -eq 1
check "... the root's finding under certificate 2" \
	sh -c "grep -A1 '^  certificate 2: CN=mytestrootcert' '$T/.out' | grep -q 'error ca-missing-key-usage: '"
check "... the device's warning under certificate 1" \
	sh -c "grep -A3 '^  certificate 1: CN=sample-device-01' '$T/.out' | grep -q 'warning ee-missing-key-usage: '"
x lint "$CT/sampleDevice01_cert.pem"
check "a warning alone does not fail" test "$rc" -eq 0

if command -v python3 >/dev/null 2>&1; then
	x lint --json "$CT/myintermediate_cert.pem" "$CG/new-device.cert.pem"
	check "--json: exit 1" test "$rc" -eq 1
	check "--json: the intermediate's error" \
		test "$(json '[f["id"] for f in j["files"][0]["certificates"][0]["findings"] if f["severity"] == "error"]')" = "['ca-missing-key-usage']"
	check "--json: certGen's device only has an info" \
		test "$(json '[(f["severity"], f["id"]) for f in j["files"][1]["certificates"][0]["findings"]]')" = "[('info', 'serial-low-entropy')]"
	check "--json: totals" test "$(json '(j["errors"], j["warnings"], j["infos"])')" = "(1, 0, 2)"
fi

fail_run "malformed DER" 1 "not an X.509 certificate: the DER does not decode" \
	lint "$top_srcdir/tests/data/malformed/der-truncated-half.der"
fail_run "a file without certificates" 1 "no PEM block labelled CERTIFICATE found" lint "$CT/mytestrootcert_key.pem"
fail_run "a missing file" 1 "nothere.pem" lint nothere.pem
fail_run "an unknown profile" 2 "unknown lint profile 'edge'" lint --profile edge r_cert.pem
fail_run "no file" 2 "missing FILE" lint
finish
