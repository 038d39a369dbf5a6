#!/bin/sh
# Individual enrollment: two self-signed device certificates for one
# device, primary and secondary, each checked with openssl.
. "$top_srcdir/tests/cli/lib.sh"
need openssl

for role in primary secondary; do
	ok_run "device my-device --out my-device-$role (self-signed)" device my-device --out "my-device-$role" --at $AT
	check_credential "my-device-$role" my-device CN=my-device
	check "$role: self-signed (issuer = subject)" test \
		"$(openssl x509 -in "my-device-${role}_cert.pem" -noout -issuer -nameopt RFC2253 | sed 's/issuer=//')" = CN=my-device
	check "$role: CA:FALSE and clientAuth" eval 'openssl x509 -in "my-device-${role}_cert.pem" -noout -text |
		grep -q "CA:FALSE" && openssl x509 -in "my-device-${role}_cert.pem" -noout -text | grep -q "TLS Web Client Authentication"'
	check "$role: openssl verify -x509_strict -purpose sslclient with itself as the anchor" \
		openssl verify -x509_strict -purpose sslclient -attime $ATS -CAfile "my-device-${role}_cert.pem" \
		"my-device-${role}_cert.pem"
	ok_run "$role: iotx509 verify --device with itself as the anchor" \
		verify "my-device-${role}_fullchain.pem" --trust "my-device-${role}_cert.pem" --device --at $AT
done
check "primary and secondary have different keys and thumbprints" test \
	"$(fingerprint sha1 my-device-primary_cert.pem)" != "$(fingerprint sha1 my-device-secondary_cert.pem)"
x thumbprint --sha1 my-device-primary_cert.pem my-device-secondary_cert.pem
check "thumbprint --sha1 prints both, as openssl computes them" test "$(cat "$T/.out")" = \
	"$(fingerprint sha1 my-device-primary_cert.pem; fingerprint sha1 my-device-secondary_cert.pem)"
ok_run "a self-signed device named after its ID" device sample-device-01 --at $AT
check_credential sample-device-01 sample-device-01 CN=sample-device-01
finish
