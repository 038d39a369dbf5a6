#!/bin/sh
# Chains and CAs that used to cost unbounded work or give wrong answers:
# the depth limit shared by chain and verify, chains that do not start with
# their leaf, verify --json on every verification failure, pools of
# look-alike CAs in chain/tree/check, and issuance under CAs whose
# certificate makes every child fail verification.
. "$top_srcdir/tests/cli/lib.sh"
need openssl python3

# no_files PATTERN: nothing in the directory matches PATTERN.
no_files() { ! ls $1 >/dev/null 2>&1; }

# ---- the depth limit: 16 certificates, in chain and in verify ----
x root l0 --at $AT
for i in $(seq 1 15); do x intermediate l$i l$((i - 1)) --at $AT; done
[ "$rc" -eq 0 ] && [ "$(grep -c BEGIN l15_fullchain.pem)" -eq 16 ] || { echo "setup failed: $(cat "$T/.err")"; exit 99; }
fail_run "device under a CA 15 levels below the root: its chain would be 17 long" 1 \
	"longer than 16 certificates \(IOTX509_CHAIN_MAX_DEPTH\)" device deep-dev l15 --at $AT
check "  ... and writes nothing" no_files 'deep-dev*'
# The same device made by openssl: its full chain has 17 certificates.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout deep_key.pem -subj /CN=deep-dev \
	-out deep.csr 2>/dev/null
printf 'basicConstraints=critical,CA:FALSE\nextendedKeyUsage=clientAuth\n' >leaf.ext
openssl x509 -req -in deep.csr -CA l15_cert.pem -CAkey l15_key.pem -set_serial 7 -days 30 -extfile leaf.ext \
	-out deep_cert.pem 2>/dev/null
cat deep_cert.pem l15_fullchain.pem >deep17.pem
cat deep_cert.pem l15_fullchain.pem | awk '/BEGIN/ { n++ } n <= 16' >deep16.pem
check "the 17-certificate chain: openssl reads 17, the 16 one 16" test \
	"$(grep -c BEGIN deep17.pem) $(grep -c BEGIN deep16.pem)" = "17 16"
fail_run "verify refuses 17 certificates, naming the limit" 1 \
	"has 17 certificates: at most 16 can be verified \(IOTX509_CHAIN_MAX_DEPTH\)" verify deep17.pem --trust l0_cert.pem
x verify deep17.pem --trust l0_cert.pem --json
check "verify --json on too long a chain: exit 1 and the JSON" test "$rc" -eq 1 -a -s "$T/.out"
check "  ... valid false, status chain-too-long, the reason" test \
	"$(json "(j['valid'], j['status'], 'IOTX509_CHAIN_MAX_DEPTH' in j['reason'], len(j['chain']))")" = \
	"(False, 'chain-too-long', True, 17)"
ok_run "verify accepts 16 certificates (the root as the trust anchor)" verify deep16.pem --trust l0_cert.pem --device
fail_run "chain stops at the same limit" 1 "IOTX509_CHAIN_MAX_DEPTH" chain deep_cert.pem .
fail_run "  ... also without the root" 1 "IOTX509_CHAIN_MAX_DEPTH" chain deep_cert.pem . --no-root

# ---- the leaf comes first ----
x root r --at $AT && x intermediate i r --at $AT && x device d i --at $AT
[ "$rc" -eq 0 ] || { echo "setup failed: $(cat "$T/.err")"; exit 99; }
cat i_cert.pem d_cert.pem >leaf-last.pem
fail_run "verify refuses a chain whose leaf is not first" 1 \
	"does not start with its leaf: its first certificate 'CN=i' issued certificate 2, 'CN=d'" \
	verify leaf-last.pem --trust r_cert.pem --at $AT
x verify leaf-last.pem --trust r_cert.pem --at $AT --json
check "  ... with --json: status not-leaf-first" test "$rc $(json "j['status']")" = "1 not-leaf-first"
cat r_cert.pem i_cert.pem d_cert.pem >root-first.pem
fail_run "  ... nor a chain in root-first order" 1 "'CN=r' issued certificate 2, 'CN=i'" \
	verify root-first.pem --trust r_cert.pem --at $AT
ok_run "chain puts it in order" chain d_cert.pem leaf-last.pem r_cert.pem --out ordered.pem
ok_run "  ... and the ordered chain verifies" verify ordered.pem --trust r_cert.pem --at $AT --device
x verify d_fullchain.pem --trust r_cert.pem --at 2100-01-01 --json
check "verify --json on an expired chain prints the JSON too" test \
	"$rc $(json "(j['valid'], j['status'])")" = "1 (False, 'expired')"

# ---- look-alike CAs: same name, no key identifiers ----
# 40 CAs named like the CA that signed them all (which is not given), each
# with its own key: every one is a name match for every other.
printf '[req]\ndistinguished_name=dn\nx509_extensions=ext\n[dn]\n[ext]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\nsubjectKeyIdentifier=none\nauthorityKeyIdentifier=none\n' >la.cnf
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\nsubjectKeyIdentifier=none\nauthorityKeyIdentifier=none\n' >la-ca.ext
printf 'basicConstraints=critical,CA:FALSE\nextendedKeyUsage=clientAuth\nsubjectKeyIdentifier=none\nauthorityKeyIdentifier=none\n' >la-leaf.ext
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout la-out_key.pem \
	-subj "/CN=Look-alike CA" -days 3650 -config la.cnf -out la-out_cert.pem 2>/dev/null
mkdir pool
for i in $(seq 1 40); do
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout la.key -subj "/CN=Look-alike CA" \
		-out la.csr 2>/dev/null &&
		openssl x509 -req -in la.csr -CA la-out_cert.pem -CAkey la-out_key.pem -set_serial $((1000 + i)) -days 365 \
			-extfile la-ca.ext -out pool/ca$i.pem 2>/dev/null || { echo "setup failed"; exit 99; }
done
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout la.key -subj /CN=look-alike-device \
	-out la.csr 2>/dev/null
openssl x509 -req -in la.csr -CA la-out_cert.pem -CAkey la-out_key.pem -set_serial 999 -days 30 -extfile la-leaf.ext \
	-out la-dev_cert.pem 2>/dev/null
check "40 look-alikes without key identifiers" test \
	"$(cat pool/*.pem | grep -c BEGIN) $(openssl x509 -in pool/ca7.pem -noout -text | grep -c 'Key Identifier')" = "40 0"
fail_run "chain over the look-alikes stops at the signature-check budget" 1 \
	"needs more than 1024 signature checks \(IOTX509_CHAIN_MAX_SIGNATURE_CHECKS\): [0-9]+ certificates named 'CN=Look-alike CA'" \
	chain la-dev_cert.pem pool
ok_run "tree over the look-alikes finishes" tree pool la-dev_cert.pem
check "  ... with every certificate" test "$(wc -l <"$T/.out")" -eq 41
ok_run "check with the CA that signed them enrolled: accepted (the enrolled CA is tried first)" \
	check la-dev_cert.pem pool --group la-out_cert.pem:verified
fail_run "check with a look-alike enrolled finishes, naming the limit" 1 "IOTX509_CHAIN_MAX_SIGNATURE_CHECKS" \
	check la-dev_cert.pem pool --group pool/ca1.pem

# ---- issuance under CAs whose certificate fails every child ----
printf '[req]\ndistinguished_name=dn\n[dn]\n[dir_sect]\nO=Contoso\n' >req.cnf
# make_ca NAME EXTENSIONS...: a self-signed P-256 CA with these extensions.
make_ca() {
	name=$1; shift
	set -- -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" "$@"
	openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "${name}_key.pem" \
		-subj "/CN=$name" -days 3650 -config req.cnf "$@" -out "${name}_cert.pem" 2>/dev/null ||
		{ echo "setup failed: $name"; exit 99; }
	cp "${name}_cert.pem" "${name}_fullchain.pem"
}
# openssl_child CA NAME EXT: what openssl issues under CA, for verify.
openssl_child() {
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$2.key" -subj "/CN=$2" \
		-out "$2.csr" 2>/dev/null &&
		printf "$3" >"$2.ext" &&
		openssl x509 -req -in "$2.csr" -CA "$1_cert.pem" -CAkey "$1_key.pem" -set_serial 42 -days 30 -extfile "$2.ext" \
			-out "$2.pem" 2>/dev/null || { echo "setup failed: $2"; exit 99; }
}
make_ca crit -addext "1.3.6.1.4.1.55555.1=critical,ASN1:NULL"
make_ca exdn -addext "nameConstraints=critical,excluded;dirName:dir_sect"
make_ca dnsnc -addext "nameConstraints=critical,permitted;DNS:example.com"

fail_run "device under a CA with an unknown critical extension is refused" 1 \
	"issuer 'CN=crit' has a critical extension GnuTLS does not support \(its critical extensions: .*1\.3\.6\.1\.4\.1\.55555\.1" \
	device d1 crit
check "  ... and writes nothing" no_files 'd1*'
fail_run "batch under it is refused before any device" 1 "1\.3\.6\.1\.4\.1\.55555\.1" \
	batch crit --pattern 'b-{1..3}' --out-dir .
check "  ... and issues nothing" no_files 'b-*'
openssl_child crit crit-child 'basicConstraints=critical,CA:FALSE\nextendedKeyUsage=clientAuth\n'
x verify crit-child.pem --trust crit_cert.pem --json
check "what openssl issues under it, verify rejects, naming the CA" test \
	"$rc $(json "(j['status'], j['reason'].startswith(\"certificate 'CN=crit' has a critical extension\"))")" = \
	"1 ('unknown-critical-extension', True)"

fail_run "device under a CA whose nameConstraints exclude its name is refused" 1 \
	"nameConstraints of issuer 'CN=exdn' exclude the subject name of the device certificate 'd2' \(excluded directoryName: O ?= ?Contoso\)" \
	device d2 exdn
check "  ... and writes nothing" no_files 'd2*'
openssl_child exdn exdn-child 'basicConstraints=critical,CA:FALSE\nextendedKeyUsage=clientAuth\n'
x verify exdn-child.pem --trust exdn_cert.pem --json
check "what openssl issues under it, verify rejects (constraints)" test "$rc $(json "j['status']")" = "1 constraints"

fail_run "server outside the permitted DNS names is refused" 1 \
	"exclude the DNS names of the server certificate 's1' \(permitted DNS: example.com\)" \
	server s1 dnsnc --dns www.example.org
check "  ... and writes nothing" no_files 's1*'
openssl_child dnsnc dns-child 'basicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:www.example.org\n'
x verify dns-child.pem --trust dnsnc_cert.pem --json
check "what openssl issues so, verify rejects (constraints)" test "$rc $(json "j['status']")" = "1 constraints"
ok_run "a server inside them is issued" server s2 dnsnc --dns www.example.com
ok_run "  ... and verifies" verify s2_fullchain.pem --trust dnsnc_cert.pem
ok_run "a device under that CA is issued (GnuTLS takes no client's CN for a DNS name)" device d3 dnsnc
ok_run "  ... and verifies as a device" verify d3_fullchain.pem --trust dnsnc_cert.pem --device

finish
