#!/bin/sh
# iotx509 edge-config: every form (DPS, manual; with and without [edge_ca]
# and trust_bundle_cert) parsed back with Python's tomllib and compared with
# the whole expected document; paths on the device; --copy-to; the refusals;
# --out and --json.
. "$top_srcdir/tests/cli/lib.sh"
need_fixtures
need openssl python3
python3 -c 'import tomllib' 2>/dev/null || { echo "SKIP: python3 has no tomllib (Python 3.11+ needed)"; exit 77; }

x root my-root --at $AT && x intermediate my-inter my-root --at $AT && x device edge-01 my-inter --at $AT &&
	x device edge-02 my-root --at $AT && x edge-ca my-edge-ca my-root --at $AT
[ "$rc" -eq 0 ] || { echo "setup failed: $(cat "$T/.err")"; exit 99; }

# toml FILE EXPR: evaluate a Python expression on the parsed TOML (bound to c).
toml() { python3 -c 'import sys, tomllib; c = tomllib.load(open(sys.argv[1], "rb")); print(eval(sys.argv[2]))' "$1" "$2"; }
# toml_is FILE JSON: the parsed TOML equals the JSON document, every table and key.
toml_is() {
	python3 -c 'import json, sys, tomllib
c = tomllib.load(open(sys.argv[1], "rb")); w = json.loads(sys.argv[2])
if c != w: print("got ", c, "\nwant", w, file=sys.stderr); sys.exit(1)' "$1" "$2"
}
# uri_path URI: the file path a file:// URI names.
uri_path() { python3 -c 'import sys, urllib.parse as u; p = u.urlparse(sys.argv[1]); assert p.scheme == "file" and not p.netloc; print(u.unquote(p.path))' "$1"; }

EP=https://global.azure-devices-provisioning.net
IDC='"identity_cert": "file:///var/aziot/certs/edge-01_fullchain.pem", "identity_pk": "file:///var/aziot/secrets/edge-01_key.pem"'
DPS='"source": "dps", "global_endpoint": "'$EP'", "id_scope": "0ne00000A0A"'
MAN='"source": "manual", "iothub_hostname": "myhub.azure-devices.net", "device_id": "edge-01"'
ECA='"edge_ca": {"cert": "file:///var/aziot/certs/my-edge-ca_fullchain.pem", "pk": "file:///var/aziot/secrets/my-edge-ca_key.pem"}'
TB='"trust_bundle_cert": "file:///var/aziot/certs/my-root_cert.pem"'

# ---- the four DPS and the four manual forms ----
ok_run "DPS, the defaults" edge-config --id-scope 0ne00000A0A --cert edge-01_fullchain.pem --key edge-01_key.pem
cp "$T/.out" dps.toml
check "  parses: [provisioning] dps and [provisioning.attestation] x509, files at their device paths" toml_is dps.toml \
	'{"provisioning": {'"$DPS"', "attestation": {"method": "x509", "registration_id": "edge-01", '"$IDC"'}}}'
check "  no path of this machine in a value" eval '! grep -q "= \"file://$T" dps.toml'
check "  the comments say which file goes where" eval 'grep -qx "#   edge-01_fullchain.pem -> /var/aziot/certs/edge-01_fullchain.pem" dps.toml &&
	grep -qx "#   edge-01_key.pem -> /var/aziot/secrets/edge-01_key.pem" dps.toml'
ok_run "DPS, --edge-ca NAME" edge-config --id-scope 0ne00000A0A --cert edge-01_fullchain.pem --key edge-01_key.pem \
	--edge-ca my-edge-ca
cp "$T/.out" dps-ca.toml
check "  adds [edge_ca] cert (the edge CA's full chain) and pk" toml_is dps-ca.toml \
	'{"provisioning": {'"$DPS"', "attestation": {"method": "x509", "registration_id": "edge-01", '"$IDC"'}}, '"$ECA"'}'
ok_run "DPS, --trust-bundle FILE" edge-config --id-scope 0ne00000A0A --cert edge-01_fullchain.pem --key edge-01_key.pem \
	--trust-bundle my-root_cert.pem
cp "$T/.out" dps-tb.toml
check "  adds the top-level trust_bundle_cert" toml_is dps-tb.toml \
	'{'"$TB"', "provisioning": {'"$DPS"', "attestation": {"method": "x509", "registration_id": "edge-01", '"$IDC"'}}}'
check "  above the first table" test "$(grep -n '^trust_bundle_cert' dps-tb.toml | cut -d: -f1)" -lt \
	"$(grep -n '^\[' dps-tb.toml | head -1 | cut -d: -f1)"
ok_run "DPS, edge CA and trust bundle" edge-config --id-scope 0ne00000A0A --cert edge-01_fullchain.pem \
	--key edge-01_key.pem --edge-ca my-edge-ca --trust-bundle my-root_cert.pem
cp "$T/.out" dps-all.toml
check "  all of them" toml_is dps-all.toml \
	'{'"$TB"', "provisioning": {'"$DPS"', "attestation": {"method": "x509", "registration_id": "edge-01", '"$IDC"'}}, '"$ECA"'}'

ok_run "manual, the defaults" edge-config --iothub myhub.azure-devices.net --cert edge-01_fullchain.pem --key edge-01_key.pem
cp "$T/.out" man.toml
check "  parses: [provisioning] manual, iothub_hostname, device_id; [provisioning.authentication] x509" toml_is man.toml \
	'{"provisioning": {'"$MAN"', "authentication": {"method": "x509", '"$IDC"'}}}'
ok_run "manual, --edge-ca NAME" edge-config --iothub myhub.azure-devices.net --cert edge-01_fullchain.pem \
	--key edge-01_key.pem --edge-ca my-edge-ca --device-id edge-01
cp "$T/.out" man-ca.toml
check "  adds [edge_ca]" toml_is man-ca.toml '{"provisioning": {'"$MAN"', "authentication": {"method": "x509", '"$IDC"'}}, '"$ECA"'}'
ok_run "manual, --trust-bundle FILE" edge-config --iothub myhub.azure-devices.net --cert edge-01_fullchain.pem \
	--key edge-01_key.pem --trust-bundle my-root_cert.pem
cp "$T/.out" man-tb.toml
check "  adds trust_bundle_cert" toml_is man-tb.toml '{'"$TB"', "provisioning": {'"$MAN"', "authentication": {"method": "x509", '"$IDC"'}}}'
ok_run "manual, edge CA and trust bundle, --device-dir" edge-config --iothub myhub.azure-devices.net \
	--cert edge-01_fullchain.pem --key edge-01_key.pem --edge-ca-cert my-edge-ca_fullchain.pem \
	--edge-ca-key my-edge-ca_key.pem --trust-bundle my-root_cert.pem --device-dir /etc/edge/
cp "$T/.out" man-all.toml
check "  every file in the one device directory" toml_is man-all.toml \
	'{"trust_bundle_cert": "file:///etc/edge/my-root_cert.pem", "provisioning": {'"$MAN"', "authentication":
	{"method": "x509", "identity_cert": "file:///etc/edge/edge-01_fullchain.pem", "identity_pk": "file:///etc/edge/edge-01_key.pem"}},
	"edge_ca": {"cert": "file:///etc/edge/my-edge-ca_fullchain.pem", "pk": "file:///etc/edge/my-edge-ca_key.pem"}}'
ok_run "--device-cert-dir and --device-key-dir" edge-config --id-scope 0ne00000A0A --cert edge-01_fullchain.pem \
	--key edge-01_key.pem --device-cert-dir /srv/c --device-key-dir /srv/k
check "  each kind in its directory" eval 'grep -qx "identity_cert = \"file:///srv/c/edge-01_fullchain.pem\"" "$T/.out" &&
	grep -qx "identity_pk = \"file:///srv/k/edge-01_key.pem\"" "$T/.out"'

# ---- --local-paths: this machine's paths, as before ----
mkdir "dir with space"
cp edge-02_cert.pem edge-02_key.pem "dir with space/"
ok_run "--local-paths, --out FILE, a custom endpoint, paths with a space" edge-config --id-scope 0ne0000FFFF \
	--cert "dir with space/edge-02_cert.pem" --key "./dir with space//edge-02_key.pem" --local-paths \
	--registration-id edge-02 --global-endpoint https://dps.example.net --out provisioning.toml
check "  says what it wrote" grep -q "^wrote provisioning.toml\$" "$T/.out"
check "  mode 644" test "$(mode_of provisioning.toml)" = 644
check "  the values" test "$(toml provisioning.toml "(c['provisioning']['id_scope'], c['provisioning']['global_endpoint'])")" = \
	"('0ne0000FFFF', 'https://dps.example.net')"
check "  the space is percent-encoded, the path normalised" eval 'grep -q "identity_pk = \"file://$T/dir%20with%20space/edge-02_key.pem\"" provisioning.toml'
check "  and decodes back" test \
	"$(uri_path "$(toml provisioning.toml "c['provisioning']['attestation']['identity_cert']")")" = "$T/dir with space/edge-02_cert.pem"
check "  the URIs name files that exist and match" eval 'test "$(openssl pkey -in "$(uri_path "$(toml provisioning.toml "c[\"provisioning\"][\"attestation\"][\"identity_pk\"]")")" -pubout)" = \
	"$(openssl x509 -in edge-02_cert.pem -noout -pubkey)"'
fail_run "--out an existing file needs --force" 1 "provisioning.toml" edge-config --id-scope 0ne00000A0A \
	--cert edge-01_cert.pem --key edge-01_key.pem --out provisioning.toml
ok_run "  ... --force replaces it" edge-config --id-scope 0ne00000A0A --cert edge-01_cert.pem --key edge-01_key.pem \
	--out provisioning.toml --force
check "  now for edge-01" test "$(toml provisioning.toml "c['provisioning']['attestation']['registration_id']")" = edge-01

# ---- --copy-to DIR: exactly the device's files, laid out as on the device ----
ok_run "--copy-to DIR with an edge CA and a trust bundle" edge-config --id-scope 0ne00000A0A \
	--cert edge-01_fullchain.pem --key edge-01_key.pem --edge-ca my-edge-ca --trust-bundle my-root_cert.pem \
	--copy-to to-device
check "  stdout is the TOML" toml_is "$T/.out" \
	'{'"$TB"', "provisioning": {'"$DPS"', "attestation": {"method": "x509", "registration_id": "edge-01", '"$IDC"'}}, '"$ECA"'}'
check "  stderr names the five files written" test "$(grep -c '^iotx509 edge-config: wrote to-device/var/aziot/' "$T/.err")" = 5
check "  exactly the five files" test "$(cd to-device && find . -type f | sort | tr '\n' ' ')" = \
	"./var/aziot/certs/edge-01_fullchain.pem ./var/aziot/certs/my-edge-ca_fullchain.pem ./var/aziot/certs/my-root_cert.pem ./var/aziot/secrets/edge-01_key.pem ./var/aziot/secrets/my-edge-ca_key.pem "
check "  keys 0600, certificates 0644" test "$(mode_of to-device/var/aziot/secrets/edge-01_key.pem) $(mode_of to-device/var/aziot/secrets/my-edge-ca_key.pem) $(mode_of to-device/var/aziot/certs/edge-01_fullchain.pem) $(mode_of to-device/var/aziot/certs/my-root_cert.pem)" = "600 600 644 644"
check "  byte for byte the local files" eval 'cmp -s edge-01_fullchain.pem to-device/var/aziot/certs/edge-01_fullchain.pem &&
	cmp -s edge-01_key.pem to-device/var/aziot/secrets/edge-01_key.pem && cmp -s my-edge-ca_key.pem to-device/var/aziot/secrets/my-edge-ca_key.pem &&
	cmp -s my-edge-ca_fullchain.pem to-device/var/aziot/certs/my-edge-ca_fullchain.pem && cmp -s my-root_cert.pem to-device/var/aziot/certs/my-root_cert.pem'
check "  every file the TOML names is there under DIR" eval 'for u in $(grep -o "file://[^\"]*" "$T/.out"); do test -f "to-device$(uri_path "$u")" || exit 1; done'
fail_run "--copy-to again refuses to overwrite" 1 "exists.*--force" edge-config --id-scope 0ne00000A0A \
	--cert edge-01_fullchain.pem --key edge-01_key.pem --copy-to to-device --out second.toml
check "  and writes nothing, not even --out" test ! -e second.toml
ok_run "  ... --force replaces the files; with --out both are written" edge-config --id-scope 0ne00000A0A \
	--cert edge-01_fullchain.pem --key edge-01_key.pem --copy-to to-device --out second.toml --force
check "  stdout lists the TOML file and the copies" eval 'grep -qx "wrote second.toml" "$T/.out" &&
	grep -qx "wrote to-device/var/aziot/secrets/edge-01_key.pem" "$T/.out" && test "$(grep -c ^wrote "$T/.out")" = 3'

# ---- --json ----
ok_run "--json" edge-config --iothub myhub.azure-devices.net --cert edge-01_fullchain.pem --key edge-01_key.pem \
	--edge-ca my-edge-ca --json
check "  json: the TOML text parses" eval 'json "j[\"toml\"]" >from-json.toml && toml_is from-json.toml \
	"{\"provisioning\": {$MAN, \"authentication\": {\"method\": \"x509\", $IDC}}, $ECA}"'
check "  json: provisioning manual, the hub" test "$(json "(j['provisioning'], j['iothub_hostname'])")" = \
	"('manual', 'myhub.azure-devices.net')"
check "  json: the device files, their roles and device paths" test \
	"$(json "[(f['role'], f['source'], f['device_path'], f['private']) for f in j['device_files']]")" = \
	"[('identity_cert', 'edge-01_fullchain.pem', '/var/aziot/certs/edge-01_fullchain.pem', False), ('identity_pk', 'edge-01_key.pem', '/var/aziot/secrets/edge-01_key.pem', True), ('edge_ca_cert', 'my-edge-ca_fullchain.pem', '/var/aziot/certs/my-edge-ca_fullchain.pem', False), ('edge_ca_pk', 'my-edge-ca_key.pem', '/var/aziot/secrets/my-edge-ca_key.pem', True)]"

# ---- refusals ----
fail_run "a key that is not the certificate's" 1 "edge-02_key.pem is not the private key of edge-01_cert.pem \('CN=edge-01'\)" \
	edge-config --id-scope 0ne00000A0A --cert edge-01_cert.pem --key edge-02_key.pem
check "  and nothing on stdout" test ! -s "$T/.out"
fail_run "a registration ID other than the CN" 1 "registration ID 'edge-09' is not the CN 'edge-01'" \
	edge-config --id-scope 0ne00000A0A --cert edge-01_cert.pem --key edge-01_key.pem --registration-id edge-09
fail_run "a device ID other than the CN" 1 "device ID 'edge-09' is not the CN 'edge-01'.*IoT Hub refuses" \
	edge-config --iothub myhub.azure-devices.net --cert edge-01_cert.pem --key edge-01_key.pem --device-id edge-09
fail_run "a URL as IoT hub" 1 "give the host name only" \
	edge-config --iothub https://myhub.azure-devices.net --cert edge-01_cert.pem --key edge-01_key.pem
fail_run "a CA as identity certificate" 1 "'CN=my-root' is a CA certificate" \
	edge-config --id-scope 0ne00000A0A --cert my-root_cert.pem --key my-root_key.pem
fail_run "a device as edge CA" 1 "'CN=edge-02' is not a CA certificate.*iotx509 edge-ca" \
	edge-config --id-scope 0ne00000A0A --cert edge-01_cert.pem --key edge-01_key.pem --edge-ca edge-02
fail_run "an edge CA whose files are missing" 1 "nope_fullchain.pem" \
	edge-config --id-scope 0ne00000A0A --cert edge-01_cert.pem --key edge-01_key.pem --edge-ca nope
fail_run "a device certificate as trust bundle" 1 "'CN=edge-02' is not a CA certificate; the trust bundle" \
	edge-config --id-scope 0ne00000A0A --cert edge-01_cert.pem --key edge-01_key.pem --trust-bundle edge-02_cert.pem
openssl x509 -in edge-01_cert.pem -outform DER -out edge-01_cert.der
fail_run "a DER certificate (aziot reads PEM)" 1 "edge-01_cert.der: the identity certificate is not PEM" \
	edge-config --id-scope 0ne00000A0A --cert edge-01_cert.der --key edge-01_key.pem
openssl pkey -in edge-01_key.pem -aes256 -passout pass:s3cret -out enc_key.pem 2>/dev/null
fail_run "an encrypted key" 1 "enc_key.pem: the private key is encrypted" \
	edge-config --id-scope 0ne00000A0A --cert edge-01_cert.pem --key enc_key.pem
fail_run "a bad ID scope" 1 "ID scope '0ne 1'" edge-config --id-scope "0ne 1" --cert edge-01_cert.pem --key edge-01_key.pem
fail_run "an http endpoint" 1 "is not an https:// URL" edge-config --id-scope 0ne00000A0A --cert edge-01_cert.pem \
	--key edge-01_key.pem --global-endpoint http://dps.example.net
fail_run "a relative device directory" 1 "is not an absolute path" edge-config --id-scope 0ne00000A0A \
	--cert edge-01_cert.pem --key edge-01_key.pem --device-dir var/aziot
fail_run "--id-scope or --iothub is required" 2 "give --id-scope SCOPE \(DPS\) or --iothub HOST" \
	edge-config --cert edge-01_cert.pem --key edge-01_key.pem
fail_run "  ... not both" 2 "give --id-scope SCOPE \(DPS\) or --iothub HOST" \
	edge-config --id-scope 0ne00000A0A --iothub myhub.azure-devices.net --cert edge-01_cert.pem --key edge-01_key.pem
fail_run "--cert and --key are required" 2 "are required" edge-config --id-scope 0ne00000A0A --cert edge-01_cert.pem
fail_run "--edge-ca and --edge-ca-cert exclude each other" 2 "not both" edge-config --id-scope 0ne00000A0A \
	--cert edge-01_cert.pem --key edge-01_key.pem --edge-ca my-edge-ca --edge-ca-cert my-edge-ca_cert.pem
fail_run "--edge-ca-cert without --edge-ca-key" 2 "go together" edge-config --id-scope 0ne00000A0A \
	--cert edge-01_cert.pem --key edge-01_key.pem --edge-ca-cert my-edge-ca_cert.pem
fail_run "--local-paths with a device directory" 2 "exclude each other" edge-config --id-scope 0ne00000A0A \
	--cert edge-01_cert.pem --key edge-01_key.pem --local-paths --device-dir /x

# ---- the foreign fixtures: certGen.sh's device ----
ok_run "certGen.sh device: mydevice2" edge-config --id-scope 0ne00000A0A --cert "$FIX/certgen_sh/new-device.cert.pem" \
	--key "$FIX/certgen_sh/new-device.key.pem" --out fix.toml
check "  registration_id mydevice2, the certGen.sh file names on the device" toml_is fix.toml \
	'{"provisioning": {'"$DPS"', "attestation": {"method": "x509", "registration_id": "mydevice2",
	"identity_cert": "file:///var/aziot/certs/new-device.cert.pem", "identity_pk": "file:///var/aziot/secrets/new-device.key.pem"}}}'
fail_run "--id-scope without its value does not swallow --cert" 2 "option '--id-scope' needs a value, not the option '--cert'" \
	edge-config --id-scope --cert x.pem
finish
