#!/bin/sh
# Foreign parents: CAs made by create_test_cert.js and certGen.sh (the
# fixtures) issue devices through the CLI, as PARENT files and through
# --ca-cert/--ca-key, and openssl verifies the results at the fixtures' time.
. "$top_srcdir/tests/cli/lib.sh"
need openssl
CT="$FIX/create_test_cert"
CG="$FIX/certgen_sh"
need_fixtures

# create_test_cert.js: RSA PKCS#1 keys; its CAs have no keyUsage, so
# openssl's -x509_strict refuses chains through them (see the fixtures'
# README); plain openssl verify must accept them.
ok_run "device under the create_test_cert root via --ca-cert/--ca-key" \
	device d1 --ca-cert "$CT/mytestrootcert_cert.pem" --ca-key "$CT/mytestrootcert_key.pem" --at $AT
check_credential d1 d1 CN=d1 CN=mytestrootcert
check "d1: openssl verify -purpose sslclient at the fixed time" \
	openssl verify -purpose sslclient -attime $ATS -CAfile "$CT/mytestrootcert_cert.pem" d1_cert.pem
check "d1: notAfter is cut to the 1-day root's" test \
	"$(openssl x509 -in d1_cert.pem -noout -enddate)" = "$(openssl x509 -in "$CT/mytestrootcert_cert.pem" -noout -enddate)"
ok_run "iotx509 verify --device accepts d1's fullchain at the fixed time" \
	verify d1_fullchain.pem --trust "$CT/mytestrootcert_cert.pem" --device --at $AT
fail_run "... and says it is expired a week later" 1 "expired" \
	verify d1_fullchain.pem --trust "$CT/mytestrootcert_cert.pem" --device --at 2026-12-06

# The same CA as PARENT: its files copied under the names the tool uses; the
# fullchain written by the script (no final newline, a stray "null" line) is read.
cp "$CT/myintermediate_cert.pem" ctint_cert.pem
cp "$CT/myintermediate_key.pem" ctint_key.pem
cp "$CT/myintermediate_fullchain.pem" ctint_fullchain.pem
chmod 600 ctint_key.pem
ok_run "device under the create_test_cert intermediate as PARENT" device d2 ctint --at $AT
check_credential d2 d2 CN=d2 CN=myintermediate CN=mytestrootcert
check "d2: openssl verify -purpose sslclient with the fullchain as untrusted" \
	openssl verify -purpose sslclient -attime $ATS -CAfile "$CT/mytestrootcert_cert.pem" -untrusted d2_fullchain.pem d2_cert.pem
ok_run "verification certificate for the create_test_cert root" \
	verification --ca "$CT/mytestrootcert_cert.pem" --key "$CT/mytestrootcert_key.pem" --nonce 1234ABCD --at $AT
check "verification: openssl verify -purpose sslclient" \
	openssl verify -purpose sslclient -attime $ATS -CAfile "$CT/mytestrootcert_cert.pem" verification_cert.pem
ok_run "iotx509 verify --nonce accepts the script's own verification certificate" \
	verify "$CT/verification_cert.pem" --ca "$CT/mytestrootcert_cert.pem" --nonce 1234ABCD --at $AT

# certGen.sh: RSA 4096, the root key is encrypted PKCS#8 (password 1234);
# its CAs have keyUsage, so -x509_strict applies.
ok_run "device under the certGen.sh root with --ca-key-password 1234" device d3 \
	--ca-cert "$CG/azure-iot-test-only.root.ca.cert.pem" --ca-key "$CG/azure-iot-test-only.root.ca.key.pem" \
	--ca-key-password 1234 --at $AT
check_credential d3 d3 CN=d3 "CN=Azure IoT Hub CA Cert Test Only"
check "d3: openssl verify -x509_strict -purpose sslclient at the fixed time" \
	openssl verify -x509_strict -purpose sslclient -attime $ATS -CAfile "$CG/azure-iot-test-only.root.ca.cert.pem" d3_cert.pem
ok_run "iotx509 verify --device accepts d3's fullchain" \
	verify d3_fullchain.pem --trust "$CG/azure-iot-test-only.root.ca.cert.pem" --device --at $AT
ok_run "p384 device under the RSA 4096 root" device d4 --key-type p384 \
	--ca-cert "$CG/azure-iot-test-only.root.ca.cert.pem" --ca-key "$CG/azure-iot-test-only.root.ca.key.pem" \
	--ca-key-password 1234 --at $AT
check "d4: openssl verify -x509_strict -purpose sslclient" \
	openssl verify -x509_strict -purpose sslclient -attime $ATS -CAfile "$CG/azure-iot-test-only.root.ca.cert.pem" d4_cert.pem

# The fixtures' .pfx files come in through p12 import.
ok_run "p12 import of the create_test_cert device .pfx (password 1234, leaf only)" \
	p12 import "$CT/sampleDevice01.pfx" --password 1234
check "  ... writes sampleDevice01_cert.pem equal to the script's certificate" test \
	"$(openssl x509 -in sampleDevice01_cert.pem -outform DER | od -An -tx1)" = \
	"$(openssl x509 -in "$CT/sampleDevice01_cert.pem" -outform DER | od -An -tx1)"
check "  ... and the key, mode 600, matching it" eval 'test "$(mode_of sampleDevice01_key.pem)" = 600 &&
	test "$(openssl pkey -in sampleDevice01_key.pem -pubout)" = "$(openssl x509 -in sampleDevice01_cert.pem -noout -pubkey)"'
check "  ... and warns that the chain stops at the leaf" grep -q "warning: the chain ends at 'CN=sample-device-01'" "$T/.err"
ok_run "p12 import of the certGen.sh device .pfx" p12 import "$CG/new-device.cert.pfx" --password 1234 --out mydevice2
check "  ... CN mydevice2" test "$(openssl x509 -in mydevice2_cert.pem -noout -subject -nameopt RFC2253)" = "subject=CN=mydevice2"
finish
