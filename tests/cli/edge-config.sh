#!/bin/sh
# iotx509 edge-config: the IoT Edge [provisioning] section, parsed back
# with Python's tomllib; the refusals; --out and --json.
. "$top_srcdir/tests/cli/lib.sh"
need_fixtures
need openssl python3
python3 -c 'import tomllib' 2>/dev/null || { echo "SKIP: python3 has no tomllib (Python 3.11+ needed)"; exit 77; }

x root my-root --at $AT && x device edge-01 my-root --at $AT && x device edge-02 my-root --at $AT
[ "$rc" -eq 0 ] || { echo "setup failed: $(cat "$T/.err")"; exit 99; }

# toml FILE EXPR: evaluate a Python expression on the parsed TOML (bound to c).
toml() { python3 -c 'import sys, tomllib; c = tomllib.load(open(sys.argv[1], "rb")); print(eval(sys.argv[2]))' "$1" "$2"; }
# uri_path URI: the file path a file:// URI names.
uri_path() { python3 -c 'import sys, urllib.parse as u; p = u.urlparse(sys.argv[1]); assert p.scheme == "file" and not p.netloc; print(u.unquote(p.path))' "$1"; }

ok_run "edge-config with the defaults" edge-config --id-scope 0ne00000A0A --cert edge-01_fullchain.pem --key edge-01_key.pem
cp "$T/.out" config.toml
check "tomllib parses it" toml config.toml "c"
check "only the [provisioning] table" test "$(toml config.toml "sorted(c)")" = "['provisioning']"
check "source dps, the ID scope, the global endpoint" test \
	"$(toml config.toml "(c['provisioning']['source'], c['provisioning']['id_scope'], c['provisioning']['global_endpoint'])")" = \
	"('dps', '0ne00000A0A', 'https://global.azure-devices-provisioning.net')"
check "attestation: x509, registration_id = the certificate's CN" test \
	"$(toml config.toml "(c['provisioning']['attestation']['method'], c['provisioning']['attestation']['registration_id'])")" = \
	"('x509', 'edge-01')"
check "identity_cert: the absolute file:// URI of the full chain" test \
	"$(uri_path "$(toml config.toml "c['provisioning']['attestation']['identity_cert']")")" = "$T/edge-01_fullchain.pem"
check "identity_pk: the absolute file:// URI of the key" test \
	"$(uri_path "$(toml config.toml "c['provisioning']['attestation']['identity_pk']")")" = "$T/edge-01_key.pem"
check "the URIs name files that exist and match" eval 'test "$(openssl pkey -in "$(uri_path "$(toml config.toml "c[\"provisioning\"][\"attestation\"][\"identity_pk\"]")")" -pubout)" = \
	"$(openssl x509 -in edge-01_cert.pem -noout -pubkey)"'

mkdir "dir with space"
cp edge-02_cert.pem edge-02_key.pem "dir with space/"
ok_run "--out FILE, a custom endpoint, paths with a space" edge-config --id-scope 0ne0000FFFF \
	--cert "dir with space/edge-02_cert.pem" --key "./dir with space//edge-02_key.pem" \
	--registration-id edge-02 --global-endpoint https://dps.example.net --out provisioning.toml
check "  says what it wrote" grep -q "^wrote provisioning.toml\$" "$T/.out"
check "  mode 644" test "$(mode_of provisioning.toml)" = 644
check "  the values" test "$(toml provisioning.toml "(c['provisioning']['id_scope'], c['provisioning']['global_endpoint'])")" = \
	"('0ne0000FFFF', 'https://dps.example.net')"
check "  the space is percent-encoded, the path normalised" eval 'grep -q "identity_pk = \"file://$T/dir%20with%20space/edge-02_key.pem\"" provisioning.toml'
check "  and decodes back" test \
	"$(uri_path "$(toml provisioning.toml "c['provisioning']['attestation']['identity_cert']")")" = "$T/dir with space/edge-02_cert.pem"
fail_run "--out an existing file needs --force" 1 "provisioning.toml" edge-config --id-scope 0ne00000A0A \
	--cert edge-01_cert.pem --key edge-01_key.pem --out provisioning.toml
ok_run "  ... --force replaces it" edge-config --id-scope 0ne00000A0A --cert edge-01_cert.pem --key edge-01_key.pem \
	--out provisioning.toml --force
check "  now for edge-01" test "$(toml provisioning.toml "c['provisioning']['attestation']['registration_id']")" = edge-01
ok_run "--json" edge-config --id-scope 0ne00000A0A --cert edge-01_cert.pem --key edge-01_key.pem --json
check "  json: the TOML text parses" eval 'json "j[\"toml\"]" >from-json.toml && test "$(toml from-json.toml "c[\"provisioning\"][\"id_scope\"]")" = 0ne00000A0A'

# ---- refusals ----
fail_run "a key that is not the certificate's" 1 "edge-02_key.pem is not the private key of edge-01_cert.pem \('CN=edge-01'\)" \
	edge-config --id-scope 0ne00000A0A --cert edge-01_cert.pem --key edge-02_key.pem
check "  and nothing on stdout" test ! -s "$T/.out"
fail_run "a registration ID other than the CN" 1 "registration ID 'edge-09' is not the CN 'edge-01'" \
	edge-config --id-scope 0ne00000A0A --cert edge-01_cert.pem --key edge-01_key.pem --registration-id edge-09
fail_run "a CA as identity certificate" 1 "'CN=my-root' is a CA certificate" \
	edge-config --id-scope 0ne00000A0A --cert my-root_cert.pem --key my-root_key.pem
openssl pkey -in edge-01_key.pem -aes256 -passout pass:s3cret -out enc_key.pem 2>/dev/null
fail_run "an encrypted key" 1 "enc_key.pem: the private key is encrypted" \
	edge-config --id-scope 0ne00000A0A --cert edge-01_cert.pem --key enc_key.pem
fail_run "a bad ID scope" 1 "ID scope '0ne 1'" edge-config --id-scope "0ne 1" --cert edge-01_cert.pem --key edge-01_key.pem
fail_run "an http endpoint" 1 "is not an https:// URL" edge-config --id-scope 0ne00000A0A --cert edge-01_cert.pem \
	--key edge-01_key.pem --global-endpoint http://dps.example.net
fail_run "--id-scope, --cert and --key are required" 2 "are required" edge-config --cert edge-01_cert.pem --key edge-01_key.pem

# ---- the foreign fixtures: certGen.sh's device ----
ok_run "certGen.sh device: mydevice2" edge-config --id-scope 0ne00000A0A --cert "$FIX/certgen_sh/new-device.cert.pem" \
	--key "$FIX/certgen_sh/new-device.key.pem" --out fix.toml
check "  registration_id mydevice2" test "$(toml fix.toml "c['provisioning']['attestation']['registration_id']")" = mydevice2
finish
