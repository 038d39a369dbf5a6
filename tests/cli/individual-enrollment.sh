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

# --secondary: the same CN, the file stem ID-secondary.
ok_run "device sample-device-01 --secondary" device sample-device-01 --secondary --at $AT
check_credential sample-device-01-secondary sample-device-01 CN=sample-device-01
check "  ... a key of its own" test "$(fingerprint sha1 sample-device-01_cert.pem)" != \
	"$(fingerprint sha1 sample-device-01-secondary_cert.pem)"
check "  ... no warning (the CNs agree)" eval '! grep -q warning "$T/.err"'
ok_run "  ... iotx509 check accepts both in one individual enrollment" check sample-device-01-secondary_fullchain.pem \
	--individual sample-device-01_cert.pem --individual-secondary sample-device-01-secondary_cert.pem --at $AT
fail_run "--secondary with --out" 2 "give --secondary or --out, not both" device d1 --secondary --out d1-b --at $AT
fail_run "--secondary is for devices" 2 "does not apply" root r1 --secondary --at $AT

# The guide's names: a secondary named after another ID gets another CN, and the tool says so.
ok_run "the guide's primary: device mytestselfcertprimary" device mytestselfcertprimary --at $AT
ok_run "the guide's secondary: device mytestselfcertsecondary (succeeds)" device mytestselfcertsecondary --at $AT
check "  ... one warning naming both CNs and the fix" test "$(grep -c . "$T/.err")" -eq 2 -a \
	"$(grep warning "$T/.err")" = "iotx509 device: warning: the secondary 'mytestselfcertsecondary' has CN 'mytestselfcertsecondary' but the primary mytestselfcertprimary_cert.pem has CN 'mytestselfcertprimary': an individual enrollment needs both with the device ID as CN (make it with 'iotx509 device mytestselfcertprimary --secondary')"
fail_run "  ... which the enrollment check refuses too" 1 "rejected" check mytestselfcertsecondary_fullchain.pem \
	--individual mytestselfcertprimary_cert.pem --individual-secondary mytestselfcertsecondary_cert.pem \
	--registration-id mytestselfcertprimary --at $AT
ok_run "  ... the fix: device mytestselfcertprimary --secondary" device mytestselfcertprimary --secondary --at $AT
check "  ... CN mytestselfcertprimary, no warning" eval 'test "$(field CN:)" = mytestselfcertprimary && ! grep -q warning "$T/.err"'
ok_run "device dev1-secondary next to dev1" device dev1 --at $AT
x device dev1-secondary --at $AT
check "  ... warns: dev1_cert.pem has CN 'dev1'" grep -q "warning: the secondary 'dev1-secondary' has CN 'dev1-secondary' but the primary dev1_cert.pem has CN 'dev1'" "$T/.err"
mkdir ie
x device dev2 --out-dir ie --at $AT && x device dev2_secondary --out-dir ie --at $AT
check "  ... in --out-dir too" grep -q "primary ie/dev2_cert.pem has CN 'dev2'" "$T/.err"
ok_run "a lone *secondary without a primary: no warning" device lone-secondary --at $AT
check "  ... nothing on stderr but the password note" eval '! grep -q warning "$T/.err"'
finish
