#!/bin/sh
# The documented group-enrollment flow through the CLI: a root, an
# intermediate under it, a device under each, and a verification
# certificate; every output checked with openssl.
. "$top_srcdir/tests/cli/lib.sh"
need openssl python3

ok_run "root my-root" root my-root --at $AT
check_credential my-root my-root CN=my-root
check "root: says on stderr that the .pfx has the default password 1234" grep -q "default password '1234'" "$T/.err"
check "root: openssl verifies it -x509_strict as its own anchor" \
	openssl verify -x509_strict -attime $ATS -CAfile my-root_cert.pem my-root_cert.pem
check "root: CA:TRUE, keyCertSign" eval 'openssl x509 -in my-root_cert.pem -noout -text | grep -q "CA:TRUE" &&
	openssl x509 -in my-root_cert.pem -noout -text | grep -q "Certificate Sign"'

ok_run "intermediate my-intermediate my-root" intermediate my-intermediate my-root --pathlen 1 --at $AT
check_credential my-intermediate my-intermediate CN=my-intermediate CN=my-root
check "intermediate: openssl verifies it -x509_strict under the root" \
	openssl verify -x509_strict -attime $ATS -CAfile my-root_cert.pem my-intermediate_cert.pem
check "intermediate: pathlen 1 as asked" eval 'openssl x509 -in my-intermediate_cert.pem -noout -text | grep -q "pathlen:1"'

ok_run "device sample-device-01 my-root" device sample-device-01 my-root --at $AT
check_credential sample-device-01 sample-device-01 CN=sample-device-01 CN=my-root
check "device under root: openssl verify -x509_strict -purpose sslclient" \
	openssl verify -x509_strict -purpose sslclient -attime $ATS -CAfile my-root_cert.pem sample-device-01_cert.pem
check "device under root: file names keep the dashes (no camel-casing)" test ! -e sampleDevice01_cert.pem

ok_run "device sample-device-02 my-intermediate" device sample-device-02 my-intermediate --at $AT
check_credential sample-device-02 sample-device-02 CN=sample-device-02 CN=my-intermediate CN=my-root
check "device under intermediate: openssl verify -x509_strict -purpose sslclient -untrusted fullchain" \
	openssl verify -x509_strict -purpose sslclient -attime $ATS -CAfile my-root_cert.pem \
	-untrusted sample-device-02_fullchain.pem sample-device-02_cert.pem
ok_run "iotx509 verify --device accepts the device's fullchain" \
	verify sample-device-02_fullchain.pem --trust my-root_cert.pem --device --at @$ATS
check "iotx509 verify says OK" grep -q '^OK: ' "$T/.out"
ok_run "iotx509 verify accepts the device's fullchain under the root" \
	verify sample-device-01_fullchain.pem --trust my-root_cert.pem --device --at $AT

ok_run "verification --nonce 1234ABCD" verification --ca my-root_cert.pem --key my-root_key.pem --nonce 1234ABCD --at $AT
check_credential verification 1234ABCD CN=1234ABCD CN=my-root
check "verification: openssl verify -x509_strict -purpose sslclient" \
	openssl verify -x509_strict -purpose sslclient -attime $ATS -CAfile my-root_cert.pem verification_cert.pem
check "verification: not a CA" eval 'openssl x509 -in verification_cert.pem -noout -text | grep -q "CA:FALSE"'
ok_run "iotx509 verify --nonce accepts the proof of possession" \
	verify verification_cert.pem --ca my-root_cert.pem --nonce 1234ABCD --at $AT
fail_run "iotx509 verify --nonce refuses another nonce" 1 "CN|nonce" \
	verify verification_cert.pem --ca my-root_cert.pem --nonce 1234ABCE --at $AT
fail_run "iotx509 verify --nonce refuses another CA" 1 "issued by|sign" \
	verify verification_cert.pem --ca my-intermediate_cert.pem --nonce 1234ABCD --at $AT

ok_run "verification --out names the files; --ca NAME_fullchain.pem gives the chain" \
	verification --ca my-intermediate_fullchain.pem --key my-intermediate_key.pem \
	--nonce 5678EF --out int-pop --at $AT
check_credential int-pop 5678EF CN=5678EF CN=my-intermediate CN=my-root

# The same flow with --json: one JSON object whose values match openssl's.
ok_run "device --json" device sample-device-03 my-intermediate --json --at $AT
check "json: one object for command device" test "$(json "j['command']")" = device
# (in the order they are moved into place: the full chain last)
check "json: lists the four files" test "$(json "' '.join(j['files'])")" = \
	"sample-device-03_cert.pem sample-device-03_key.pem sample-device-03.pfx sample-device-03_fullchain.pem"
check "json: CN" test "$(json "j['certificate']['cn']")" = sample-device-03
check "json: SHA-1 equals openssl's fingerprint" test "$(json "j['certificate']['sha1']")" = \
	"$(fingerprint sha1 sample-device-03_cert.pem)"
check "json: SHA-256 equals openssl's fingerprint" test "$(json "j['certificate']['sha256']")" = \
	"$(fingerprint sha256 sample-device-03_cert.pem)"
check "json: notAfter" test "$(json "j['certificate']['not_after']")" = \
	"$(date -u -d "$(openssl x509 -in sample-device-03_cert.pem -noout -enddate | sed 's/notAfter=//')" +%Y-%m-%dT%H:%M:%SZ)"
check "json: chain of three, leaf first" test "$(json "[c['subject'] for c in j['chain']]")" = \
	"['CN=sample-device-03', 'CN=my-intermediate', 'CN=my-root']"
check "json: the default password is flagged" test "$(json "j['pfx_default_password']")" = True
ok_run "verify --json" verify sample-device-03_fullchain.pem --trust my-root_cert.pem --device --at $AT --json
check "verify json: valid, status ok" test "$(json "(j['valid'], j['status'])")" = "(True, 'ok')"

# Other key types and the other issuing profiles.
for kt in rsa2048 p384 ed25519; do
	ok_run "device --key-type $kt" device "dev-$kt" my-intermediate --key-type $kt --at $AT
	check "device --key-type $kt: openssl verify -x509_strict -purpose sslclient" \
		openssl verify -x509_strict -purpose sslclient -attime $ATS -CAfile my-root_cert.pem \
		-untrusted "dev-$kt"_fullchain.pem "dev-$kt"_cert.pem
done
check "rsa2048 key is 2048 bits" eval 'openssl x509 -in dev-rsa2048_cert.pem -noout -text | grep -q "2048 bit"'
ok_run "--days 30" device dev-30 my-root --days 30 --at $AT
check "--days 30: notAfter is 30 days after issuance" test "$(field notAfter:)" = 2026-12-29T12:00:00Z
ok_run "edge-ca" edge-ca my-edge my-intermediate --at $AT
check_credential my-edge my-edge CN=my-edge CN=my-intermediate CN=my-root
ok_run "server --dns --ip" server gw my-root --dns gw.example.com --dns gw --ip 192.0.2.7 --at $AT
check_credential gw gw CN=gw CN=my-root
check "server: openssl verifies it for sslserver with the names" \
	openssl verify -x509_strict -purpose sslserver -verify_hostname gw.example.com -verify_ip 192.0.2.7 \
	-attime $ATS -CAfile my-root_cert.pem gw_cert.pem
ok_run "--password and --pfx-profile compat" device dev-compat my-root --password s3cret --pfx-profile compat --at $AT
check "compat .pfx: opens with -legacy and the given password" \
	openssl pkcs12 -legacy -info -noout -in dev-compat.pfx -passin pass:s3cret
check "compat .pfx: 3DES and a SHA-1 MAC" eval 'openssl pkcs12 -legacy -info -noout -in dev-compat.pfx \
	-passin pass:s3cret 2>&1 | grep -q "MAC: sha1" && openssl pkcs12 -legacy -info -noout -in dev-compat.pfx \
	-passin pass:s3cret 2>&1 | grep -q "3-KeyTripleDES"'
check "--password: no note about the default password" eval '! grep -q default "$T/.err"'
printf 'from-a-file\n' > pw.txt
ok_run "--password-file" device dev-pwfile my-root --password-file pw.txt --at $AT
check "--password-file: the first line is the password" \
	openssl pkcs12 -info -noout -in dev-pwfile.pfx -passin pass:from-a-file

# scripts/demo.sh, the README's first command, runs this flow.
IOTX509="$IOTX509" sh "$top_srcdir/scripts/demo.sh" "$T/demo" >"$T/.out" 2>"$T/.err"; rc=$?
check "scripts/demo.sh runs the flow and exits 0" test "$rc" -eq 0
check "  ... both checks say OK" test "$(grep -c '^OK: ' "$T/.out")" -eq 2
check "  ... and it wrote the twelve files" test "$(ls "$T/demo" | wc -l)" -eq 12
finish
