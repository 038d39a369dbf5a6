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

# Issue 13: several CNs, an oversized keyUsage, a subject of empty RDNs
# (tests/data/lint, made by fuzz/gen-corpus.py).
LD="$top_srcdir/tests/data/lint"
x lint "$LD/device-two-cn.pem"
check "a device with two CNs: exit 1" test "$rc" -eq 1
check "... error subject-cn-multiple" \
	grep -q '^    error subject-cn-multiple: the subject has 2 commonName attributes; readers disagree' "$T/.out"
check "... and nothing else" grep -q '^1 certificate: 1 error, 0 warnings, 0 info$' "$T/.out"
x lint --profile device "$LD/device-ku-40-octets.pem"
check "a 40-octet keyUsage: exit 1" test "$rc" -eq 1
check "... error key-usage-too-long" grep -q '^    error key-usage-too-long: keyUsage is 40 octets long;' "$T/.out"
x lint "$LD/device-empty-rdns.pem"
check "a subject of empty RDNs: exit 1" test "$rc" -eq 1
check "... error subject-empty-rdn" \
	grep -q '^    error subject-empty-rdn: RDN 1 of 3 in the subject name is empty;' "$T/.out"
if command -v python3 >/dev/null 2>&1; then
	x lint --json "$LD/device-two-cn.pem"
	check "--json, two CNs: exit 1" test "$rc" -eq 1
	check "--json: the finding, as an error" \
		test "$(json '[(f["severity"], f["id"]) for f in j["files"][0]["certificates"][0]["findings"]]')" = "[('error', 'subject-cn-multiple')]"
	msg=$(json 'j["files"][0]["certificates"][0]["findings"][0]["message"]')
	check "--json: its message" test "$msg" = "the subject has 2 commonName attributes; readers disagree on which one names the certificate (OpenSSL and GnuTLS take the first, Go the last)"
fi

fail_run "malformed DER" 1 "not an X.509 certificate: the DER does not decode" \
	lint "$top_srcdir/tests/data/malformed/der-truncated-half.der"
fail_run "a file without certificates" 1 "no PEM block labelled CERTIFICATE found" lint "$CT/mytestrootcert_key.pem"
fail_run "a missing file" 1 "nothere.pem" lint nothere.pem
fail_run "an unknown profile" 2 "unknown lint profile 'edge'" lint --profile edge r_cert.pem
fail_run "no file" 2 "missing FILE" lint
fail_run "inspect names a keyUsage longer than RFC 5280's 9 bits" 1 "keyUsage is longer than the 9 bits RFC 5280 defines" \
	inspect "$top_srcdir/tests/data/lint/ku-09-octets.der"
finish
