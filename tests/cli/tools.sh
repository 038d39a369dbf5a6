#!/bin/sh
# The tools around the issuing commands: csr, sign, chain, verify, inspect,
# thumbprint, p12 export/import; and --json with strings that need escaping.
. "$top_srcdir/tests/cli/lib.sh"
need_fixtures
need openssl python3

x root my-root --at $AT && x intermediate my-int my-root --at $AT && x device dev1 my-int --at $AT
[ "$rc" -eq 0 ] || { echo "setup failed: $(cat "$T/.err")"; exit 99; }

# ---- csr and sign: the production flow ----
ok_run "csr with a new key" csr dev7 --cn dev7
check "csr: writes dev7_csr.pem (644) and dev7_key.pem (600)" test \
	"$(mode_of dev7_csr.pem) $(mode_of dev7_key.pem)" = "644 600"
check "csr: ends with a newline" ends_with_newline dev7_csr.pem
check "csr: openssl verifies its signature" openssl req -in dev7_csr.pem -noout -verify
check "csr: subject CN=dev7" test "$(openssl req -in dev7_csr.pem -noout -subject -nameopt RFC2253)" = "subject=CN=dev7"
x csr dev8 --cn dev8 --key dev7_key.pem --der-base64
check "csr --der-base64: stdout is exactly the base64 of the DER" test \
	"$(cat "$T/.out")" = "$(openssl req -in dev8_csr.pem -outform DER | base64 -w0)"
check "csr --key: no new key file, and the request is for that key" eval 'test ! -e dev8_key.pem &&
	test "$(openssl req -in dev8_csr.pem -noout -pubkey)" = "$(openssl pkey -in dev7_key.pem -pubout)"'
fail_run "csr refuses an invalid device ID" 1 "Dev_9" csr dev9 --cn Dev_9
check "  ... and writes nothing" test ! -e dev9_csr.pem -a ! -e dev9_key.pem
fail_run "csr needs --cn" 2 "--cn" csr dev9
ok_run "sign the CSR under the intermediate" sign dev7_csr.pem my-int --at $AT
check "sign: writes dev7_cert.pem and dev7_fullchain.pem only" eval \
	'test "$(ls dev7* | tr "\n" " ")" = "dev7_cert.pem dev7_csr.pem dev7_fullchain.pem dev7_key.pem "'
check "sign: the certificate is for the device's key" test \
	"$(openssl x509 -in dev7_cert.pem -noout -pubkey)" = "$(openssl pkey -in dev7_key.pem -pubout)"
check "sign: openssl verify -x509_strict -purpose sslclient" \
	openssl verify -x509_strict -purpose sslclient -attime $ATS -CAfile my-root_cert.pem -untrusted dev7_fullchain.pem dev7_cert.pem
check "sign: chain order" test "$(subjects dev7_fullchain.pem | tr '\n' ' ')" = "CN=dev7 CN=my-int CN=my-root "
check "sign: printed SHA-1 is openssl's" test "$(field SHA-1:)" = "$(fingerprint sha1 dev7_cert.pem)"
ok_run "sign a base64 DER request with --out" sign dev8_csr.pem my-int --out dev8-signed --at $AT
check "  ... CN dev8" test "$(openssl x509 -in dev8-signed_cert.pem -noout -subject -nameopt RFC2253)" = "subject=CN=dev8"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout bad.key -subj /CN=Bad_Device -out bad.csr 2>/dev/null
fail_run "sign refuses a CSR whose CN is not a device ID" 1 "Bad_Device" sign bad.csr my-int --at $AT
# The CN changed after signing (dev7 -> dev9): the signature no longer verifies.
openssl req -in dev7_csr.pem -outform DER |
	python3 -c 'import sys; sys.stdout.buffer.write(sys.stdin.buffer.read().replace(b"dev7", b"dev9", 1))' > tampered.der
fail_run "sign refuses a request whose signature does not verify" 1 "signature" sign tampered.der my-int --out t --at $AT

# ---- chain ----
x chain dev1_cert.pem my-root_cert.pem my-int_cert.pem
check "chain: shuffled bundles give leaf, intermediate, root on stdout" \
	test "$(cat "$T/.out" > c.pem; subjects c.pem | tr '\n' ' ')" = "CN=dev1 CN=my-int CN=my-root "
check "chain: ends with a newline" ends_with_newline c.pem
x chain dev1_cert.pem . --no-root
check "chain --no-root from a directory: leaf and intermediate" \
	test "$(cat "$T/.out" > c2.pem; subjects c2.pem | tr '\n' ' ')" = "CN=dev1 CN=my-int "
ok_run "chain --out" chain dev1_cert.pem my-root_cert.pem my-int_cert.pem --out chain-out.pem
check "  ... writes the file" test "$(subjects chain-out.pem | wc -l)" -eq 3
fail_run "chain --out does not overwrite" 1 "exists" chain dev1_cert.pem my-int_cert.pem my-root_cert.pem --out chain-out.pem
fail_run "chain names the missing intermediate" 1 "CN=my-int" chain dev1_cert.pem my-root_cert.pem
x chain "$FIX/create_test_cert/sampleDevice01_cert.pem" "$FIX/create_test_cert/mytestrootcert_fullchain.pem"
check "chain reads the script's fullchain with its 'null' line" \
	test "$(cat "$T/.out" > c3.pem; subjects c3.pem | tr '\n' ' ')" = "CN=sample-device-01 CN=mytestrootcert "
check "  ... and writes no 'null'" eval '! grep -qx null c3.pem'

# ---- verify ----
fail_run "verify: wrong trust anchor" 1 "issuer|trust" verify dev1_fullchain.pem --trust "$FIX/certgen_sh/azure-iot-test-only.root.ca.cert.pem" --at $AT
fail_run "verify: expired in 2040" 1 "expired" verify dev1_fullchain.pem --trust my-root_cert.pem --at 2040-01-01
fail_run "verify: not yet valid in 2020" 1 "not (yet )?valid" verify dev1_fullchain.pem --trust my-root_cert.pem --at 2020-01-01
x server srv my-int --dns srv.example --at $AT
fail_run "verify --device: a server certificate lacks clientAuth" 1 "clientAuth|client" \
	verify srv_fullchain.pem --trust my-root_cert.pem --device --at $AT
ok_run "verify without --device accepts the server chain" verify srv_fullchain.pem --trust my-root_cert.pem --at $AT
fail_run "verify: --trust is required" 2 "--trust" verify dev1_fullchain.pem
x verify dev1_fullchain.pem --trust my-root_cert.pem --at 2040-01-01 --json
check "verify --json on failure: exit 1, valid false, status expired" test \
	"$rc $(json "(j['valid'], j['status'])")" = "1 (False, 'expired')"

# ---- inspect ----
ok_run "inspect a certificate, a key, a CSR, a fullchain and a .pfx" \
	inspect dev1_cert.pem dev1_key.pem dev7_csr.pem dev1_fullchain.pem dev1.pfx --json
check "inspect: five inputs" test "$(json "len(j['inputs'])")" = 5
check "inspect: the certificate's SHA-1" test "$(json "j['inputs'][0]['certificates'][0]['sha1']")" = \
	"$(fingerprint sha1 dev1_cert.pem)"
check "inspect: the key is ECDSA P-256, and no key material is printed" eval \
	'test "$(json "j[\"inputs\"][1][\"key\"][\"type\"]")" = "ECDSA P-256" && ! grep -q "PRIVATE" "$T/.out"'
check "inspect: the CSR's CN" test "$(json "j['inputs'][2]['csr']['cn']")" = dev7
check "inspect: three certificates in the fullchain" test "$(json "len(j['inputs'][3]['certificates'])")" = 3
check "inspect: the .pfx (default password) holds dev1 and two chain certificates" test \
	"$(json "(j['inputs'][4]['pkcs12']['certificate']['cn'], len(j['inputs'][4]['pkcs12']['chain']))")" = "('dev1', 2)"
fail_run "inspect: wrong .pfx password" 1 "password" inspect dev1.pfx --password nope
printf 'just text\n' > notes.txt
fail_run "inspect: a file with nothing in it" 1 "notes.txt" inspect notes.txt
ok_run "inspect text output" inspect dev1_cert.pem
check "  ... shows CN and thumbprints" eval 'grep -q "CN: *dev1" "$T/.out" && grep -q "SHA-256:" "$T/.out"'

# ---- thumbprint ----
ok_run "thumbprint" thumbprint dev1_fullchain.pem
check "thumbprint: SHA-1 of each certificate is openssl's" test \
	"$(grep 'SHA-1:' "$T/.out" | awk '{print $2}' | head -1)" = "$(fingerprint sha1 dev1_cert.pem)"
x thumbprint --sha256 dev1_cert.pem
check "thumbprint --sha256: one line, openssl's" test "$(cat "$T/.out")" = "$(fingerprint sha256 dev1_cert.pem)"
x thumbprint --json dev1_cert.pem
check "thumbprint --json" test "$(json "j['certificates'][0]['sha1']")" = "$(fingerprint sha1 dev1_cert.pem)"
fail_run "thumbprint: --sha1 and --sha256 together" 2 "not both" thumbprint --sha1 --sha256 dev1_cert.pem
fail_run "thumbprint: missing file" 1 "nosuch.pem" thumbprint nosuch.pem

# ---- p12 ----
ok_run "p12 export NAME --pfx-profile compat --force" p12 export dev1 --pfx-profile compat --password s3 --force
check "  ... openssl reads it with -legacy" openssl pkcs12 -legacy -info -noout -in dev1.pfx -passin pass:s3
check "  ... with the key and three certificates" test \
	"$(openssl pkcs12 -legacy -in dev1.pfx -passin pass:s3 -nokeys 2>/dev/null | grep -c 'BEGIN CERTIFICATE')" = 3
check "  ... mode 600" test "$(mode_of dev1.pfx)" = 600
ok_run "p12 export from files, chain in any order" p12 export --cert dev7_cert.pem --key dev7_key.pem \
	--chain my-root_cert.pem --chain my-int_cert.pem --out dev7.pfx --friendly-name "dev 7" --iterations 4096
check "  ... modern profile, 4096 iterations, three certificates" eval \
	'openssl pkcs12 -info -noout -in dev7.pfx -passin pass:1234 2>&1 | grep -q "MAC: sha256, Iteration 4096" &&
	test "$(openssl pkcs12 -in dev7.pfx -passin pass:1234 -nokeys 2>/dev/null | grep -c "BEGIN CERTIFICATE")" = 3'
check "  ... friendlyName" eval 'openssl pkcs12 -in dev7.pfx -passin pass:1234 -nokeys 2>/dev/null | grep -q "friendlyName: dev 7"'
check "  ... notes the default password" grep -q "default password '1234'" "$T/.err"
fail_run "p12 export: existing .pfx without --force" 1 "exists" p12 export dev1 --password s3
mkdir imp
ok_run "p12 import" p12 import dev1.pfx --password s3 --out-dir imp
check "  ... writes dev1_cert.pem, dev1_key.pem, dev1_fullchain.pem" test "$(files_in imp)" = \
	"dev1_cert.pem dev1_fullchain.pem dev1_key.pem"
check "  ... the same certificate and an ordered chain" eval 'cmp -s imp/dev1_cert.pem dev1_cert.pem &&
	test "$(subjects imp/dev1_fullchain.pem | tr "\n" " ")" = "CN=dev1 CN=my-int CN=my-root "'
check "  ... the key matches, mode 600" eval 'test "$(mode_of imp/dev1_key.pem)" = 600 &&
	test "$(openssl pkey -in imp/dev1_key.pem -pubout)" = "$(openssl x509 -in dev1_cert.pem -noout -pubkey)"'
fail_run "p12 import: wrong password" 1 "password" p12 import dev1.pfx --password wrong --out-dir imp --out x
fail_run "p12 import: default password tried" 1 "default password 1234" p12 import dev1.pfx --out x
fail_run "p12: unknown action" 2 "action 'frob'" p12 frob

# ---- --json escaping ----
odd='dir "q" back\slash'
cn="caf$(printf '\303\251') $(printf '\346\227\245')"
mkdir "$odd"
ok_run "root with UTF-8 in its CN, written to a dir with quotes and a backslash" \
	root odd --cn "$cn" --out-dir "$odd" --json --at $AT
check "json: parses and gives the path back exactly" test "$(json "j['files'][0]")" = "$odd/odd_cert.pem"
check "json: parses and gives the UTF-8 CN back exactly" test "$(json "j['certificate']['cn']")" = "$cn"
check "json: one line" test "$(wc -l <"$T/.out")" -eq 1
finish
