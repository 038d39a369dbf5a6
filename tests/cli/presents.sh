#!/bin/sh
# Every issuing command says which file the device presents (or what to
# upload, for a CA) and, for a device, prints the environment the IoT Central
# / DPS samples read with this device's paths; text and --json.
. "$top_srcdir/tests/cli/lib.sh"
need openssl python3

x root r --at $AT && x intermediate i r --at $AT
[ "$rc" -eq 0 ] || { echo "setup failed: $(cat "$T/.err")"; exit 99; }

# env_of: the export lines of the last output, run in a shell (ID scope
# placeholder included), then the variables printed one per line.
env_of() {
	sh -c "$(grep '^  export ' "$T/.out")"'
		printf "%s\n" "$IOTHUB_DEVICE_SECURITY_TYPE" "$IOTHUB_DEVICE_DPS_ENDPOINT" "$IOTHUB_DEVICE_DPS_DEVICE_ID" \
			"$IOTHUB_DEVICE_X509_CERT" "$IOTHUB_DEVICE_X509_KEY"'
}
# key_matches CERT KEY
key_matches() { test "$(openssl pkey -in "$2" -pubout 2>/dev/null)" = "$(openssl x509 -in "$1" -noout -pubkey)"; }

# ---- a device under an intermediate: the full chain ----
ok_run "device under an intermediate" device d-int i --at $AT
check "  device presents d-int_fullchain.pem, and says why" grep -q \
	"^device presents d-int_fullchain.pem: the certificate and its intermediate CA certificates (issued by 'CN=i', the certificate alone does not chain" "$T/.out"
check "  (the leaf alone does not verify against the root)" eval '! openssl verify -attime $ATS -CAfile r_cert.pem d-int_cert.pem >/dev/null 2>&1'
check "  (what it presents does)" openssl verify -attime $ATS -CAfile r_cert.pem -untrusted d-int_fullchain.pem d-int_cert.pem
check "  the samples' environment, one export per line" eval 'grep -qx "environment of the IoT Central / DPS device samples (Node.js, Python, Java):" "$T/.out" &&
	grep -qx "  export IOTHUB_DEVICE_SECURITY_TYPE='"'"'DPS'"'"'" "$T/.out" &&
	grep -qx "  export IOTHUB_DEVICE_DPS_ENDPOINT='"'"'global.azure-devices-provisioning.net'"'"'" "$T/.out" &&
	grep -qx "  export IOTHUB_DEVICE_DPS_ID_SCOPE='"'"'<the ID scope of your DPS or IoT Central application>'"'"'" "$T/.out" &&
	grep -qx "  export IOTHUB_DEVICE_DPS_DEVICE_ID='"'"'d-int'"'"'" "$T/.out" &&
	grep -qx "  export IOTHUB_DEVICE_X509_CERT='"'"'$T/d-int_fullchain.pem'"'"'" "$T/.out" &&
	grep -qx "  export IOTHUB_DEVICE_X509_KEY='"'"'$T/d-int_key.pem'"'"'" "$T/.out"'
check "  and the C# sample's .pfx" grep -qx "  C# sample: IOTHUB_DEVICE_X509_CERT='$T/d-int.pfx' and IOTHUB_DEVICE_X509_PASSWORD=<the .pfx password>" "$T/.out"
check "  the exports run in a shell and name this device's files" test "$(env_of | tr '\n' ' ')" = \
	"DPS global.azure-devices-provisioning.net d-int $T/d-int_fullchain.pem $T/d-int_key.pem "
check "  whose key is the certificate's" key_matches "$T/d-int_fullchain.pem" "$T/d-int_key.pem"
check "  the .pfx password is never printed" eval '! grep -q "PASSWORD=1234" "$T/.out"'
ok_run "  --json" device d-int2 i --at $AT --json
check "  json: presents, env, env_csharp" test "$(json "(j['presents'], j['env'], j['env_csharp'])")" = \
	"('d-int2_fullchain.pem', {'IOTHUB_DEVICE_SECURITY_TYPE': 'DPS', 'IOTHUB_DEVICE_DPS_ENDPOINT': 'global.azure-devices-provisioning.net', 'IOTHUB_DEVICE_DPS_DEVICE_ID': 'd-int2', 'IOTHUB_DEVICE_X509_CERT': '$T/d-int2_fullchain.pem', 'IOTHUB_DEVICE_X509_KEY': '$T/d-int2_key.pem'}, {'IOTHUB_DEVICE_X509_CERT': '$T/d-int2.pfx'})"

# ---- issued directly by the root, self-signed ----
ok_run "device under the root" device d-root r --at $AT
check "  device presents d-root_cert.pem" grep -q "^device presents d-root_cert.pem (issued directly by the root 'CN=r', which the service holds)" "$T/.out"
check "  IOTHUB_DEVICE_X509_CERT is the certificate" grep -qx "  export IOTHUB_DEVICE_X509_CERT='$T/d-root_cert.pem'" "$T/.out"
check "  (which verifies against the root on its own)" openssl verify -attime $ATS -CAfile r_cert.pem d-root_cert.pem
ok_run "self-signed device" device d-self --at $AT
check "  device presents d-self_cert.pem" grep -q "^device presents d-self_cert.pem (self-signed" "$T/.out"
check "  IOTHUB_DEVICE_DPS_DEVICE_ID is its ID" grep -qx "  export IOTHUB_DEVICE_DPS_DEVICE_ID='d-self'" "$T/.out"

# ---- paths: another directory, a name that needs shell quoting ----
mkdir out
ok_run "--out-dir and a file name with a quote" device d-q --ca-cert i_fullchain.pem --ca-key i_key.pem --at $AT \
	--out-dir out --out "it's"
check "  absolute paths, quoted for the shell" test "$(env_of | sed -n 4,5p | tr '\n' ' ')" = \
	"$T/out/it's_fullchain.pem $T/out/it's_key.pem "
check "  the files are there" key_matches "$T/out/it's_fullchain.pem" "$T/out/it's_key.pem"
nl='a
b'
ok_run "a file name with a newline" device d-nl --ca-cert i_fullchain.pem --ca-key i_key.pem --at $AT --out-dir out --out "$nl"
check "  no export line is split: the path is written \$'...' with escapes" test "$(grep -c '^  export ' "$T/.out")" -eq 6
if command -v bash >/dev/null 2>&1; then
	check "  ... which bash reads back to the exact path" test "$(bash -c "$(grep '^  export ' "$T/.out")"'
		printf "%s" "$IOTHUB_DEVICE_X509_KEY"')" = "$T/out/${nl}_key.pem"
fi

# ---- a CSR: the key stays on the device ----
ok_run "csr" csr d7 --cn d7
ok_run "sign under the intermediate" sign d7_csr.pem i --at $AT
check "  device presents d7_fullchain.pem" grep -q '^device presents d7_fullchain.pem:' "$T/.out"
check "  no key file: the environment says so" eval 'grep -q "(the private key is not in a file here" "$T/.out" &&
	! grep -q IOTHUB_DEVICE_X509_KEY= "$T/.out"'

# ---- the CAs: what to upload; the edge CA and a server: what they present ----
ok_run "root" root r2 --at $AT
check "  upload r2_cert.pem" grep -q '^upload r2_cert.pem to the service (enrollment group or CA certificate); devices present their own files$' "$T/.out"
check "  no device environment" eval '! grep -q IOTHUB_ "$T/.out"'
ok_run "  --json" root r3 --at $AT --json
check "  json: upload" test "$(json "(j['upload'], 'presents' in j, 'env' in j)")" = "('r3_cert.pem', False, False)"
ok_run "intermediate" intermediate i2 r --at $AT
check "  upload i2_cert.pem; devices under it present their full chain" grep -q \
	'^upload i2_cert.pem to the service (enrollment group or CA certificate); devices present their own files: NAME_fullchain.pem, which carries this intermediate$' "$T/.out"
ok_run "verification" verification --ca r_cert.pem --key r_key.pem --nonce 1234ABCD --at $AT
check "  upload verification_cert.pem" grep -q "^upload verification_cert.pem to the service to prove possession of the CA's key$" "$T/.out"
ok_run "edge-ca" edge-ca e i --at $AT
check "  IoT Edge presents e_fullchain.pem" grep -q '^IoT Edge presents e_fullchain.pem with the certificates it issues: iotx509 edge-config --edge-ca NAME' "$T/.out"
ok_run "server" server s i --dns gw.example.net --at $AT --json
check "  json: presents s_fullchain.pem, no device environment" test "$(json "(j['presents'], 'env' in j)")" = \
	"('s_fullchain.pem', False)"

# ---- renew: whatever it renewed ----
ok_run "renew a device under the intermediate" renew d-int i --at $AT
check "  device presents d-int_fullchain.pem, with the environment" eval 'grep -q "^device presents d-int_fullchain.pem:" "$T/.out" &&
	grep -qx "  export IOTHUB_DEVICE_X509_CERT='"'"'$T/d-int_fullchain.pem'"'"'" "$T/.out"'
ok_run "renew the intermediate" renew i r --at $AT --out i-next
check "  upload i-next_cert.pem" grep -q '^upload i-next_cert.pem to the service' "$T/.out"
finish
