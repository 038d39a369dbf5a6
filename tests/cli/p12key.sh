#!/bin/sh
# Hostile and unusual .pfx files and keys through inspect and p12 import
# (issue 13): iteration counts refused at once, empty passwords, files
# without a MAC, the real reason for what cannot be read, and inspect going
# on after a file fails.
. "$top_srcdir/tests/cli/lib.sh"
need_fixtures
need openssl python3

H="$top_srcdir/tests/data/p12key"
PFX="$FIX/create_test_cert/sampleDevice01.pfx"

# ms COMMAND...: run the tool like x, and set $ms to the milliseconds it took.
ms() { t0=$(date +%s%N); x "$@"; ms=$(( ($(date +%s%N) - t0) / 1000000 )); }

# ---- iteration counts: refused before any key derivation ----
for f in pfx-mac-iterations-2147483647 pfx-certs-pbkdf2-2147483647 pfx-key-pbkdf2-2147483647 \
	pfx-key-pkcs12-3des-2147483647; do
	ms inspect "$H/$f.pfx" --password 1234
	check "inspect $f: exit 1 within a second (${ms} ms)" test "$rc" = 1 -a "$ms" -lt 1000
	check "  ... names the count and the limit" grep -q \
		"2147483647 iterations exceed the limit of 2000000 (IOTX509_PKCS12_MAX_ITERATIONS)" .err
	ms p12 import "$H/$f.pfx" --password 1234 --out dev
	check "p12 import $f: exit 1 within a second (${ms} ms), nothing written" \
		test "$rc" = 1 -a "$ms" -lt 1000 -a ! -e dev_key.pem
done
ms inspect "$H/pfx-mac-iterations-2147483647.pfx"
check "inspect with the default password: refused as fast (${ms} ms)" test "$rc" = 1 -a "$ms" -lt 1000
ms inspect "$H/pfx-five-contents-1900000-each.pfx" --password 1234
check "inspect: the sum of a file's counts is bounded too (${ms} ms)" eval \
	'test "$rc" = 1 -a "$ms" -lt 1000 && grep -q "IOTX509_PKCS12_MAX_TOTAL_ITERATIONS" .err'
for k in key-pbkdf2-2147483647.pem key-pbkdf2-2147483647.der key-pkcs12-3des-2147483647.pem; do
	ms inspect "$H/$k" --password 1234
	check "inspect $k: exit 1 within a second (${ms} ms), naming the limit" eval \
		'test "$rc" = 1 -a "$ms" -lt 1000 && grep -q "exceed the limit of 2000000 (IOTX509_KEY_MAX_ITERATIONS)" .err'
done
fail_run "p12 export --iterations above the limit" 2 "from 0 to 2000000" p12 export --iterations 2000001 x
cp "$H/key-pbkdf2-2147483647.pem" ca.key
ms device d1 --ca-cert "$FIX/certgen_sh/azure-iot-test-only.root.ca.cert.pem" --ca-key ca.key --ca-key-password 1234 --at $AT
check "device with a hostile CA key: exit 1 within a second (${ms} ms)" eval \
	'test "$rc" = 1 -a "$ms" -lt 1000 && grep -q "IOTX509_KEY_MAX_ITERATIONS" .err'

# ---- empty passwords ----
fail_run "p12 import of an empty-password .pfx with the default password" 1 \
	"tried the default password 1234.*wrong password" p12 import "$H/pfx-empty-password.pfx" --out e0
ok_run "p12 import --password ''" p12 import "$H/pfx-empty-password.pfx" --password '' --out e1
check "  ... writes the key and the certificate" test -s e1_key.pem -a -s e1_cert.pem
: >empty.txt
ok_run "p12 import --password-file of an empty file" p12 import "$H/pfx-empty-password.pfx" \
	--password-file empty.txt --out e2
printf '\n' >newline.txt
ok_run "p12 import --password-file whose first line is empty" p12 import "$H/pfx-empty-password.pfx" \
	--password-file newline.txt --out e3
ok_run "inspect --password ''" inspect "$H/pfx-empty-password.pfx" --password '' --json
check "  ... shows the .pfx's certificate" test "$(json "j['inputs'][0]['pkcs12']['certificate']['cn']")" = \
	sample-device-01
x p12 export e1 --password ''
check "p12 export still refuses an empty password" eval 'test "$rc" = 2 && grep -q "password is empty" .err'

# ---- no MAC ----
fail_run "p12 import refuses a .pfx without a MAC" 1 "has no MAC.*--allow-no-mac" \
	p12 import "$H/pfx-no-mac-no-encryption.pfx" --out n1
check "  ... and writes nothing" test ! -e n1_key.pem -a ! -e n1_cert.pem
x p12 import "$H/pfx-no-mac-no-encryption.pfx" --out n1 --allow-no-mac
check "p12 import --allow-no-mac reads it, with a warning" eval \
	'test "$rc" = 0 -a -s n1_key.pem && grep -q "warning: .*has no MAC.*not encrypted" .err'
ok_run "inspect reads a .pfx without a MAC" inspect "$H/pfx-no-mac.pfx" --password 1234
check "  ... and says so" eval 'grep -q "protection: *no MAC, key encrypted" .out && grep -q "warning: no MAC" .out'
ok_run "inspect --json of it" inspect "$H/pfx-no-mac.pfx" --password 1234 --json
check "  ... mac false, key_encrypted true" test \
	"$(json "(j['inputs'][0]['pkcs12']['mac'], j['inputs'][0]['pkcs12']['key_encrypted'])")" = "(False, True)"
ok_run "inspect of a .pfx with a MAC" inspect "$PFX" --json
check "  ... mac true" test "$(json "j['inputs'][0]['pkcs12']['mac']")" = True
fail_run "p12 export --allow-no-mac is refused" 2 "for import" p12 export x --allow-no-mac

# ---- the real reason, per file; the good files' results stay ----
openssl genpkey -algorithm X448 -out x448.pem 2>/dev/null
openssl genpkey -algorithm X25519 -out x25519.pem 2>/dev/null
openssl genpkey -algorithm ED448 -out ed448.pem 2>/dev/null
openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:1024 -out rsapss.pem 2>/dev/null
openssl dsaparam -genkey -out dsa.pem 1024 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:brainpoolP256r1 -out brainpool.pem 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out k1.pem 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:explicit -out explicit.pem 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout s.key -subj /CN=serial -days 1 \
	-set_serial 0x7f$(printf 'ab%.0s' $(seq 64)) -out serial65.pem 2>/dev/null
cp "$FIX/create_test_cert/sampleDevice01_cert.pem" good.pem
x inspect good.pem x448.pem x25519.pem ed448.pem rsapss.pem dsa.pem brainpool.pem k1.pem explicit.pem \
	"$H/pfx-md5-mac.pfx" "$H/key-scrypt.pem" serial65.pem "$PFX"
check "inspect: exit 1 when some files fail" test "$rc" = 1
check "  ... the good files' results are printed" eval \
	'grep -q "^good.pem" .out && grep -q "CN: *sample-device-01" .out && grep -q "PKCS#12" .out'
check "  ... one line on stderr per failing file (11)" test "$(wc -l <.err)" = 11
for want in "x448.pem: unsupported key algorithm ECDH (X448)" "x25519.pem: unsupported key algorithm ECDH (X25519)" \
	"ed448.pem: unsupported key algorithm EdDSA (Ed448)" "rsapss.pem: unsupported key algorithm RSA-PSS" \
	"dsa.pem: unsupported key algorithm DSA" "brainpool.pem: unsupported private key: elliptic curve brainpoolP256r1" \
	"k1.pem: unsupported private key: elliptic curve secp256k1" \
	"explicit.pem: unsupported private key: explicit elliptic-curve parameters" \
	"pfx-md5-mac.pfx: unsupported PKCS#12 MAC digest MD5" \
	"key-scrypt.pem: encrypted private key: unsupported key encryption: scrypt" \
	"serial65.pem: certificate #1: certificate: the serial number is 65 octets long"; do
	check "  ... says '$want'" grep -qF "$want" .err
done
check "  ... no raw parser text" eval '! grep -Eq "Generic parsing error|memory buffer is too short|ASN1 parser|no certificate, private key" .err'
x inspect good.pem x448.pem nonexistent.pem "$PFX" --json
check "inspect --json: exit 1, and the output is one JSON object with all four inputs" eval \
	'test "$rc" = 1 && test "$(json "len(j[\"inputs\"])")" = 4'
check "  ... the failing ones with their error" test \
	"$(json "[i.get('error', '-')[:40] for i in j['inputs']]")" = \
	"['-', 'x448.pem: unsupported key algorithm ECDH', 'nonexistent.pem: cannot open: No such fi', '-']"
check "  ... the good ones in full" test "$(json "j['inputs'][3]['pkcs12']['certificate']['cn']")" = sample-device-01
cat good.pem dsa.pem >bundle.pem
ok_run "inspect of certificates with a DSA key beside them" inspect bundle.pem
check "  ... shows the certificate and names the key it cannot use" eval \
	'grep -q "CN: *sample-device-01" .out && grep -q "unsupported: *unsupported key algorithm DSA" .out'

finish
