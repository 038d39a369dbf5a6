#!/bin/sh
# iotx509 renew and a CA roll end to end through the tool: renew a device
# (same key, new key, new issuer), roll a root in the primary/secondary
# pattern and watch iotx509 check at every step. Fixed times throughout.
. "$top_srcdir/tests/cli/lib.sh"
need openssl python3

T1=2027-06-01T00:00:00Z
T1S=$(date -u -d 2027-06-01T00:00:00Z +%s)

x root my-root --at $AT && x intermediate my-int my-root --at $AT && x device dev-01 my-int --at $AT &&
	x device dev-02 my-root --at $AT && x device ss-dev --at $AT --days 30
[ "$rc" -eq 0 ] || { echo "setup failed: $(cat "$T/.err")"; exit 99; }
old_serial=$(openssl x509 -in dev-01_cert.pem -noout -serial)
old_pub=$(openssl x509 -in dev-01_cert.pem -noout -pubkey)
old_sha1=$(fingerprint sha1 dev-01_cert.pem)

# ---- renewing a device ----
ok_run "renew dev-01 my-int (same key)" renew dev-01 my-int --at $T1
check_credential dev-01 dev-01 CN=dev-01 CN=my-int CN=my-root
check "same CN, new serial" eval 'test "$(openssl x509 -in dev-01_cert.pem -noout -serial)" != "$old_serial" &&
	test "$(openssl x509 -in dev-01_cert.pem -noout -subject -nameopt RFC2253)" = "subject=CN=dev-01"'
check "same key" test "$(openssl x509 -in dev-01_cert.pem -noout -pubkey)" = "$old_pub"
check "new validity: from the renewal time, as long as before (365 days)" test \
	"$(date -u -d "$(openssl x509 -in dev-01_cert.pem -noout -enddate | sed 's/notAfter=//')" +%s)" = $((T1S + 365 * 86400))
check "prints the old SHA-1" grep -q "^old SHA-1: *$old_sha1\$" "$T/.out"
check "openssl verify -x509_strict -purpose sslclient at the new time" openssl verify -x509_strict -purpose sslclient \
	-attime $((T1S + 86400)) -CAfile my-root_cert.pem -untrusted dev-01_fullchain.pem dev-01_cert.pem
check "no steps for a device" eval '! grep -q "Rolling" "$T/.out"'

ok_run "renew dev-01 my-int --new-key --key-type rsa2048" renew dev-01 my-int --new-key --key-type rsa2048 --at $T1 --json
check "json: a new key" test "$(json "j['new_key']")" = True
check "the key changed and matches the certificate" eval \
	'test "$(openssl x509 -in dev-01_cert.pem -noout -pubkey)" != "$old_pub" &&
	test "$(openssl pkey -in dev-01_key.pem -pubout)" = "$(openssl x509 -in dev-01_cert.pem -noout -pubkey)"'
check "RSA 2048 as asked" eval 'openssl x509 -in dev-01_cert.pem -noout -text | grep -q "Public-Key: (2048 bit)"'
ok_run "renew ss-dev (self-signed, 30 days)" renew ss-dev --at $T1
check "still self-signed, 30 days" eval 'test "$(openssl x509 -in ss-dev_cert.pem -noout -issuer -nameopt RFC2253)" = "issuer=CN=ss-dev" &&
	test "$(date -u -d "$(openssl x509 -in ss-dev_cert.pem -noout -enddate | sed "s/notAfter=//")" +%s)" = $((T1S + 30 * 86400))'
ok_run "renew --out keeps the old files" renew dev-02 my-root --out dev-02-next --at $T1
check "  both sets exist, different serials" eval 'test -f dev-02_cert.pem -a -f dev-02-next_cert.pem -a -f dev-02-next.pfx &&
	test "$(openssl x509 -in dev-02_cert.pem -noout -serial)" != "$(openssl x509 -in dev-02-next_cert.pem -noout -serial)"'
fail_run "renew --out an existing set needs --force" 1 "already exists|--force" renew dev-02 my-root --out dev-02-next --at $T1
fail_run "a CA-issued device needs PARENT" 1 "is issued by 'CN=my-root': renewing it needs an issuer" renew dev-02 --at $T1
fail_run "--key-type without --new-key" 2 "--key-type applies only with --new-key" renew dev-02 my-root --key-type p384
fail_run "renew takes no token options (it reads the old key from files)" 2 "unknown option .--key-in" renew dev-02 my-root --key-in "pkcs11:token=x"
fail_run "an unknown NAME" 1 "nope_cert.pem" renew nope
fail_run "the issuer must be valid then" 1 "expired" renew dev-02 my-int --at 2040-01-01

# ---- rolling the root ----
check "before: devices under my-root are accepted" sh -c \
	"'$IOTX509' check dev-02_fullchain.pem --group my-root_cert.pem:verified --at $T1 >/dev/null"
fail_run "renewing a CA in place with a new key needs --out or --force" 1 "write the new CA with --out NEWNAME" \
	renew my-root --new-key --at $T1
ok_run "1. the new root: renew my-root --new-key --out my-root-2" renew my-root --new-key --out my-root-2 --at $T1
check_credential my-root-2 my-root CN=my-root
check "  a new key, the same name" eval 'test "$(openssl x509 -in my-root-2_cert.pem -noout -pubkey)" != \
	"$(openssl x509 -in my-root_cert.pem -noout -pubkey)"'
check "  prints the five steps with both thumbprints" eval 'grep -q "^1\. Add my-root-2_cert.pem" "$T/.out" &&
	grep -q "^5\. Retire my-root_cert.pem" "$T/.out" && grep -q "$(fingerprint sha1 my-root_cert.pem)" "$T/.out" &&
	grep -q "$(fingerprint sha1 my-root-2_cert.pem)" "$T/.out"'
x device dev-03 my-root-2 --at $T1
fail_run "2. enrolled as secondary, not verified yet: refused" 1 "rejected \(ca-not-verified\).*\(secondary\)" \
	check dev-03_fullchain.pem --group my-root_cert.pem:verified --group-secondary my-root-2_cert.pem --at $T1
ok_run "   proof of possession for the new root" verification --ca my-root-2_cert.pem --key my-root-2_key.pem \
	--nonce 5EC0ADA7A --out my-root-2-pop --at $T1
ok_run "   it verifies against the new root" verify my-root-2-pop_cert.pem --ca my-root-2_cert.pem --nonce 5EC0ADA7A --at $T1
fail_run "   and not against the old one" 1 "sign|issued" verify my-root-2-pop_cert.pem --ca my-root_cert.pem \
	--nonce 5EC0ADA7A --at $T1
ok_run "3. move dev-02 to the new root" renew dev-02 my-root-2 --at $T1
check_credential dev-02 dev-02 CN=dev-02 CN=my-root
check "   issued by the new root's key" openssl verify -attime $((T1S + 60)) -CAfile my-root-2_cert.pem dev-02_cert.pem
both="--group my-root_cert.pem:verified --group-secondary my-root-2_cert.pem:verified --at $T1"
ok_run "   both enrolled: the moved device is accepted (secondary)" check dev-02_fullchain.pem $both
check "   through the secondary" grep -q "^enrollment: *group #1, secondary" "$T/.out"
ok_run "   both enrolled: a device still under the old root is accepted (primary)" check dev-01_fullchain.pem $both
check "   through the primary" grep -q "^enrollment: *group #1, primary" "$T/.out"
ok_run "4. promoted: the new root is primary" check dev-02_fullchain.pem \
	--group my-root-2_cert.pem:verified --group-secondary my-root_cert.pem:verified --at $T1
check "   through the primary" grep -q "^enrollment: *group #1, primary" "$T/.out"
ok_run "5. retired: the moved device is accepted" check dev-02_fullchain.pem --group my-root-2_cert.pem:verified --at $T1
fail_run "5. retired: the device under the old root is refused" 1 "rejected \(not-enrolled\)" \
	check dev-01_fullchain.pem --group my-root-2_cert.pem:verified --at $T1
x tree . --at $T1
check "tree: dev-01 still hangs under the old root's intermediate" grep -q "^    \`-- dev-01 " "$T/.out"

# ---- renew and the .pfx password ----
x device dev-pw my-root-2 --password s3cret-pw --at $T1
sums() { md5sum dev-pw_cert.pem dev-pw_key.pem dev-pw_fullchain.pem dev-pw.pfx; }
old=$(sums)
fail_run "renew without the custom .pfx password: refused, naming the fix" 1 \
	"dev-pw.pfx is not protected with the default password 1234: give its password \\(or a new one\\) with --password-file FILE, \\\$IOTX509_PFX_PASSWORD or --password" \
	renew dev-pw my-root-2 --at $T1
check "  ... dev-pw's files are untouched" test "$(sums)" = "$old"
fail_run "  ... with --out NEWNAME too" 1 "dev-pw.pfx is not protected with the default password" \
	renew dev-pw my-root-2 --out dev-pw-next --at $T1
printf 's3cret-pw\n' >pw.txt
ok_run "renew --password-file keeps the password" renew dev-pw my-root-2 --password-file pw.txt --at $T1
check "  ... the new .pfx opens with it" openssl pkcs12 -info -noout -in dev-pw.pfx -passin pass:s3cret-pw
check "  ... no note about the default" eval '! grep -q "default password" "$T/.err"'
export IOTX509_PFX_PASSWORD=s3cret-pw
ok_run "renew with \$IOTX509_PFX_PASSWORD" renew dev-pw my-root-2 --at $T1
unset IOTX509_PFX_PASSWORD
check "  ... the new .pfx opens with it" openssl pkcs12 -info -noout -in dev-pw.pfx -passin pass:s3cret-pw
ok_run "renew --password NEW changes it on purpose" renew dev-pw my-root-2 --password other-pw --at $T1
check "  ... the new .pfx opens with the new one" openssl pkcs12 -info -noout -in dev-pw.pfx -passin pass:other-pw
ok_run "a .pfx with the default password renews with it, and says so" renew dev-03 my-root-2 --at $T1
check "  ... the note" grep -q "dev-03.pfx is protected with the default password '1234'" "$T/.err"
check "  ... openssl opens it with 1234" openssl pkcs12 -info -noout -in dev-03.pfx -passin pass:1234

# ---- renew and the issuer's validity ----
x root short-root --days 30 --at $T1 && x device dev-s short-root --days 10 --at $T1
ok_run "renew --days 365 under a root with 30 days" renew dev-s short-root --days 365 --at $T1
check "  ... warns with both dates" grep -q "^iotx509 renew: warning: notAfter is 2027-07-01T00:00:00Z, not the requested 2028-05-31T00:00:00Z" "$T/.err"
ok_run "renew with the old lifetime (10 days) fits: no warning" renew dev-s short-root --at $T1
check "  ... none" eval '! grep -q warning "$T/.err"'
finish
