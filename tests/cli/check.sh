#!/bin/sh
# iotx509 check: would DPS accept the device? Every accept and reject
# reason through the tool, its text and --json output, and usage errors.
. "$top_srcdir/tests/cli/lib.sh"
need_fixtures
need openssl python3 certtool

x root my-root --at $AT && x intermediate my-int my-root --at $AT && x device dev-01 my-int --at $AT &&
	x device dev-02 my-root --at $AT && x device ss-dev --out ss-primary --at $AT &&
	x device ss-dev --out ss-secondary --at $AT && x root other-root --at $AT
[ "$rc" -eq 0 ] || { echo "setup failed: $(cat "$T/.err")"; exit 99; }

# ---- accepted ----
ok_run "group root, verified: device under the intermediate is accepted" \
	check dev-01_fullchain.pem --group my-root_cert.pem:verified --at $AT
check "  says ACCEPTED, names the device, the group and the slot" \
	grep -q "^ACCEPTED: device 'CN=dev-01' is accepted through the primary certificate 'CN=my-root' of enrollment group #1 (verified)" "$T/.out"
check "  prints the enrollment and the path" eval 'grep -q "^enrollment: *group #1, primary" "$T/.out" &&
	grep -q "^chain (3)" "$T/.out"'
ok_run "leaf + bundle instead of a full chain" check dev-01_cert.pem my-int_cert.pem --group my-root_cert.pem:verified --at $AT
ok_run "the secondary slot" check dev-02_cert.pem --group other-root_cert.pem:verified \
	--group-secondary my-root_cert.pem:verified --at $AT
check "  reports the secondary slot" grep -q "^enrollment: *group #1, secondary" "$T/.out"
ok_run "the intermediate's group is tried before the root's" check dev-01_fullchain.pem \
	--group my-root_cert.pem:verified --group my-int_cert.pem:verified --at $AT
check "  group #2 matched" grep -q "^enrollment: *group #2, primary" "$T/.out"
ok_run "an unverified intermediate under a --verified root" check dev-01_fullchain.pem \
	--group my-int_cert.pem --verified my-root_cert.pem --at $AT
check "  says so" grep -q "verified through 'CN=my-root' above it" "$T/.out"
ok_run "individual enrollment: primary certificate" check ss-primary_fullchain.pem \
	--individual ss-primary_cert.pem --individual-secondary ss-secondary_cert.pem --at $AT
ok_run "individual enrollment: secondary by SHA-1 thumbprint, as openssl prints it" check ss-secondary_cert.pem \
	--individual ss-primary_cert.pem \
	--individual-secondary "$(openssl x509 -in ss-secondary_cert.pem -noout -fingerprint -sha1 | sed 's/.*=//' | tr A-F a-f)" --at $AT
check "  reports the secondary slot" grep -q "^enrollment: *individual #1, secondary" "$T/.out"
ok_run "individual enrollment: SHA-256 thumbprint" check ss-primary_cert.pem \
	--individual "$(fingerprint sha256 ss-primary_cert.pem)" --at $AT
ok_run "--json when accepted" check dev-01_fullchain.pem --group my-root_cert.pem:verified --at $AT --json
check "  json: accepted, reason, enrollment" test \
	"$(json "(j['accepted'], j['reason'], j['enrollment']['type'], j['enrollment']['index'], j['enrollment']['slot'], j['registration_id'])")" = \
	"(True, 'accepted', 'group', 0, 'primary', 'dev-01')"
check "  json: the path, leaf first, with openssl's SHA-1" test "$(json "[c['sha1'] for c in j['path']][0]")" = \
	"$(fingerprint sha1 dev-01_cert.pem)"

# ---- every reject reason: exit 1, one line on stderr naming the reason and the certificate ----
fail_run "ca-not-verified" 1 "rejected \(ca-not-verified\): certificate 'CN=my-root' of enrollment group #1 \(primary\) is not verified" \
	check dev-01_fullchain.pem --group my-root_cert.pem --at $AT
fail_run "not-enrolled: the device does not send its intermediate" 1 \
	"rejected \(not-enrolled\): .*ends at 'CN=dev-01', whose issuer 'CN=my-int' is neither presented" \
	check dev-01_cert.pem --group my-root_cert.pem:verified --at $AT
fail_run "not-enrolled: another root" 1 "rejected \(not-enrolled\): no enrollment group holds .*'CN=my-root'" \
	check dev-01_fullchain.pem --group other-root_cert.pem:verified --at $AT
fail_run "not-enrolled: no enrollment at all" 1 "rejected \(not-enrolled\): no enrollment for registration ID 'dev-01'" \
	check dev-01_fullchain.pem --at $AT
fail_run "cn-mismatch" 1 "rejected \(cn-mismatch\): the CN 'dev-01' of device certificate 'CN=dev-01' is not the registration ID 'dev-99'" \
	check dev-01_fullchain.pem --group my-root_cert.pem:verified --registration-id dev-99 --at $AT
x device Dev-Upper my-root --id-policy any --at $AT
fail_run "registration-id-invalid (upper case is not a DPS ID)" 1 "rejected \(registration-id-invalid\): registration ID 'Dev-Upper'" \
	check Dev-Upper_fullchain.pem --group my-root_cert.pem:verified --at $AT
ok_run "  ... but IoT Central's rules allow it" check Dev-Upper_fullchain.pem --group my-root_cert.pem:verified \
	--id-policy central --at $AT
fail_run "expired: names the certificate" 1 "rejected \(expired\): certificate 'CN=dev-01' expired at" \
	check dev-01_fullchain.pem --group my-root_cert.pem:verified --at 2028-01-01
fail_run "not-yet-valid: names the certificate" 1 "rejected \(not-yet-valid\): certificate 'CN=dev-01' is not valid before" \
	check dev-01_fullchain.pem --group my-root_cert.pem:verified --at 2026-11-01
fail_run "thumbprint-mismatch" 1 "rejected \(thumbprint-mismatch\): device certificate 'CN=ss-dev' .* is neither the primary .* nor the secondary \(empty\) of individual enrollment 'ss-dev'" \
	check ss-secondary_cert.pem --individual ss-primary_cert.pem --at $AT
# An individual enrollment given by thumbprint applies to the ID checked.
fail_run "individual enrollments decide before groups" 1 "rejected \(thumbprint-mismatch\)" \
	check dev-01_fullchain.pem --group my-root_cert.pem:verified --individual "$(fingerprint sha1 ss-primary_cert.pem)" \
	--at $AT
ok_run "  one for another device (by certificate) does not get in the way" check dev-01_fullchain.pem \
	--group my-root_cert.pem:verified --individual ss-primary_cert.pem --at $AT
x server gateway my-root --dns gw.example.com --at $AT
fail_run "client-auth-missing (a server certificate)" 1 "rejected \(client-auth-missing\): .*'CN=gateway'" \
	check gateway_fullchain.pem --group my-root_cert.pem:verified --at $AT
# The root re-issued by certtool with its own key and pathlen 0: the
# intermediate below it breaks the constraint, whatever root the device sends.
cat >strict.tmpl <<EOF
cn = "my-root"
ca
path_len = 0
cert_signing_key
crl_signing_key
activation_date = "2026-11-28 12:00:00"
expiration_date = "2030-11-28 12:00:00"
EOF
certtool --generate-self-signed --load-privkey my-root_key.pem --template strict.tmpl --outfile strict-root.pem 2>/dev/null
check "certtool made a root with the same key identifier" test \
	"$(openssl x509 -in strict-root.pem -noout -ext subjectKeyIdentifier | tail -1)" = \
	"$(openssl x509 -in my-root_cert.pem -noout -ext subjectKeyIdentifier | tail -1)"
fail_run "pathlen-exceeded: names the CA" 1 "rejected \(pathlen-exceeded\): CA 'CN=my-root' allows 0 intermediate" \
	check dev-01_fullchain.pem --group strict-root.pem:verified --at $AT
# A signature broken by one bit.
openssl x509 -in dev-02_cert.pem -outform DER >dev-02.der
python3 -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[-3] ^= 1; open(sys.argv[2], "wb").write(d)' dev-02.der forged.der
fail_run "chain-invalid: a bad signature" 1 "rejected \(chain-invalid\): the signature of certificate 'CN=dev-02' does not verify" \
	check forged.der --group my-root_cert.pem:verified --at $AT
x check dev-01_fullchain.pem --group my-root_cert.pem --at $AT --json
st=$rc
check "--json when refused: exit 1, and the line on stderr" eval 'test "$st" -eq 1 && grep -q "ca-not-verified" "$T/.err"'
check "  the object is printed all the same" test "$(json "(j['accepted'], j['reason'])")" = "(False, 'ca-not-verified')"

# ---- the foreign fixtures, at the time they are valid ----
ok_run "create_test_cert.js: sample-device-01 under mytestrootcert" check \
	"$FIX/create_test_cert/sampleDevice01_fullchain.pem" \
	--group "$FIX/create_test_cert/mytestrootcert_cert.pem:verified" --at $AT
ok_run "certGen.sh: mydevice2 with the chain file" check "$FIX/certgen_sh/new-device.cert.pem" \
	"$FIX/certgen_sh/azure-iot-test-only.chain.ca.cert.pem" \
	--group "$FIX/certgen_sh/azure-iot-test-only.root.ca.cert.pem:verified" --at $AT

# ---- usage errors ----
fail_run "--group-secondary needs a --group" 2 "--group-secondary needs a --group before it" \
	check dev-01_fullchain.pem --group-secondary my-root_cert.pem
fail_run "--individual-secondary twice" 2 "given twice" check ss-primary_cert.pem --individual ss-primary_cert.pem \
	--individual-secondary ss-secondary_cert.pem --individual-secondary ss-secondary_cert.pem
fail_run "a missing enrolled file is named" 1 "--group: nope_cert.pem: no such file" \
	check dev-01_fullchain.pem --group nope_cert.pem:verified
fail_run "neither a file nor a thumbprint" 1 "not a SHA-1 or SHA-256 thumbprint" \
	check dev-01_fullchain.pem --individual ABCDEF
fail_run "missing CHAIN" 2 "missing CHAIN" check --group my-root_cert.pem
finish
