#!/bin/sh
# PKCS#11 through the CLI: a root CA whose key lives in a SoftHSM2 token
# issues devices; a device key generated in a token; inspect of token URLs;
# the specific errors for a wrong PIN, a missing object, token and module.
. "$top_srcdir/tests/cli/lib.sh"
need openssl softhsm2-util
MODULE=/usr/lib/softhsm/libsofthsm2.so
[ -r "$MODULE" ] || { echo "SKIP: $MODULE is missing"; exit 77; }

mkdir tokens
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$T" > softhsm2.conf
export SOFTHSM2_CONF="$T/softhsm2.conf"
unset IOTX509_PKCS11_PIN
softhsm2-util --init-token --free --label factory --pin pin-4711 --so-pin 99887766 >/dev/null || exit 99
echo pin-4711 > pin
echo 0000 > wrong-pin
P11="--pkcs11-module $MODULE --pin-file pin"

ok_run "root with its key generated in the token" root hsmroot --key-in pkcs11:token=factory $P11 --at $AT
check "root: certificate and full chain written" test -f hsmroot_cert.pem -a -f hsmroot_fullchain.pem
check "root: no key file and no .pfx (the key never leaves the token)" test ! -e hsmroot_key.pem -a ! -e hsmroot.pfx
check "root: says where the key is" grep -q "stays in the token (pkcs11:token=factory;object=hsmroot;type=private)" .err
check "root: the output names the key URL" grep -q "pkcs11:token=factory;object=hsmroot;type=private" .out
check "root: the PIN appears nowhere in the output" eval '! grep -q pin-4711 .out .err'

ok_run "device issued by the token CA (--ca-key URL, PIN file)" device dev-1 \
	--ca-cert hsmroot_cert.pem --ca-key "pkcs11:token=factory;object=hsmroot;type=private" $P11 --at $AT
check "dev-1: openssl verify -x509_strict -purpose sslclient" \
	openssl verify -attime $ATS -x509_strict -purpose sslclient -CAfile hsmroot_cert.pem dev-1_cert.pem
check "dev-1: software device key written 0600" test "$(mode_of dev-1_key.pem)" = 600

ok_run "device issued by the token CA with --ca-key-password as the PIN" device dev-2 \
	--ca-cert hsmroot_cert.pem --ca-key "pkcs11:token=factory;object=hsmroot;type=private" \
	--ca-key-password pin-4711 --pkcs11-module $MODULE --at $AT
check "dev-2: openssl verify" openssl verify -attime $ATS -purpose sslclient -CAfile hsmroot_cert.pem dev-2_cert.pem

export IOTX509_PKCS11_PIN=pin-4711
ok_run "device key generated in the token under the token CA, PIN from \$IOTX509_PKCS11_PIN" device dev-3 \
	--ca-cert hsmroot_cert.pem --ca-key "pkcs11:token=factory;object=hsmroot;type=private" \
	--key-in pkcs11:token=factory --pkcs11-module $MODULE --at $AT
check "dev-3: cert and full chain only" test -f dev-3_cert.pem -a -f dev-3_fullchain.pem -a ! -e dev-3_key.pem -a ! -e dev-3.pfx
check "dev-3: presents its certificate; no key file or .pfx for the samples' environment" eval \
	'grep -q "^device presents dev-3_cert.pem" "$T/.out" && grep -q "(the private key is not in a file here" "$T/.out" &&
	! grep -q "IOTHUB_DEVICE_X509_KEY=\|C# sample" "$T/.out"'
check "dev-3: openssl verify" openssl verify -attime $ATS -purpose sslclient -CAfile hsmroot_cert.pem dev-3_cert.pem
unset IOTX509_PKCS11_PIN
check "dev-3: full chain is device, root" test "$(subjects dev-3_fullchain.pem | tr '\n' ' ')" = "CN=dev-3 CN=hsmroot "

ok_run "verification certificate signed by the token CA key" verification --ca hsmroot_cert.pem \
	--key "pkcs11:token=factory;object=hsmroot;type=private" --nonce 1234ABCD --out ver $P11 --at $AT
check "verification: iotx509 verify accepts the proof of possession" eval \
	'"$IOTX509" verify ver_cert.pem --ca hsmroot_cert.pem --nonce 1234ABCD --at $AT >/dev/null'
ok_run "renew dev-1 under the token CA" renew dev-1 --ca-cert hsmroot_cert.pem \
	--ca-key "pkcs11:token=factory;object=hsmroot;type=private" $P11 --at $AT
check "renewed dev-1: openssl verify" \
	openssl verify -attime $ATS -purpose sslclient -CAfile hsmroot_cert.pem dev-1_cert.pem

ok_run "inspect lists the token's objects with the PIN" inspect pkcs11:token=factory $P11 --json
check "inspect: dev-3 private key, public key and certificate listed" test \
	"$(json "sorted(o['type'] for o in j['inputs'][0]['objects'] if o['label'] == 'dev-3')")" = \
	"['certificate', 'private key', 'public key']"
check "inspect: key and certificate of dev-3 share one ID" test \
	"$(json "len(set(o['id'] for o in j['inputs'][0]['objects'] if o['label'] == 'dev-3'))")" = 1
check "inspect: no URL carries a PIN" eval '! grep -q pin-value .out'
ok_run "inspect without a PIN" inspect "pkcs11:token=factory;type=private" --pkcs11-module $MODULE --json
check "inspect: without a PIN no private object is visible" test "$(json "len(j['inputs'][0]['objects'])")" = 0

fail_run "wrong PIN is refused with the PIN error" 1 "wrong PIN" device dev-4 --ca-cert hsmroot_cert.pem \
	--ca-key "pkcs11:token=factory;object=hsmroot;type=private" --pkcs11-module $MODULE --pin-file wrong-pin
check "wrong PIN: the PIN is not in the message" eval '! grep -q 0000 .err'
check "wrong PIN: nothing written" test ! -e dev-4_cert.pem
fail_run "missing object" 1 "no object matches" device dev-4 --ca-cert hsmroot_cert.pem \
	--ca-key "pkcs11:token=factory;object=nothing;type=private" $P11
fail_run "missing token" 1 "no PKCS#11 token matches" device dev-4 --ca-cert hsmroot_cert.pem \
	--ca-key "pkcs11:token=elsewhere;object=hsmroot;type=private" $P11
fail_run "missing module" 1 "cannot load PKCS#11 module '/nonexistent/p11.so'" device dev-4 --ca-cert hsmroot_cert.pem \
	--ca-key "pkcs11:token=factory;object=hsmroot;type=private" --pkcs11-module /nonexistent/p11.so --pin-file pin
fail_run "Ed25519 in SoftHSM is unsupported" 1 "does not support" device dev-5 --ca-cert hsmroot_cert.pem \
	--ca-key "pkcs11:token=factory;object=hsmroot;type=private" --key-in pkcs11:token=factory --key-type ed25519 $P11
fail_run "--key-in takes only pkcs11: URLs" 2 "not a pkcs11: URL" device dev-6 --key-in /tmp/key.pem
finish
