#!/bin/sh
# Every failure path of the issuing commands: a one-line reason on stderr,
# nothing on stdout, a non-zero exit, and no file written or changed.
. "$top_srcdir/tests/cli/lib.sh"
need openssl

x root my-root --at $AT
[ "$rc" -eq 0 ] || { echo "setup: root failed: $(cat "$T/.err")"; exit 99; }
x root other-root --at $AT
x device sample-device-01 my-root --at $AT
before=$(files_in .)
unchanged() { test "$(files_in .)" = "$before"; }

# Invalid device IDs under each policy.
fail_run "dps policy refuses upper case and '_' at the end (Sample_Device)" 1 "Sample_Device" \
	device Sample_Device my-root --at $AT
check "  ... and writes nothing" unchanged
fail_run "dps policy refuses a space" 1 "dev 1" device "dev 1" my-root --at $AT
fail_run "central policy refuses '.' (dev.1)" 1 "dev\\.1" device dev.1 my-root --id-policy central --at $AT
check "  ... and writes nothing" unchanged
fail_run "central policy refuses '_'" 1 "dev_1" device dev_1 --id-policy central --at $AT
long=$(printf '%065d' 0)
fail_run "any policy refuses a 65-character ID" 1 "64" device "$long" --id-policy any --at $AT
fail_run "any policy refuses a trailing space" 1 "space|character" device "dev1 " --id-policy any --at $AT
check "  ... and nothing was written" unchanged
ok_run "dev.1 is fine under dps" device dev.1 my-root --at $AT
ok_run "Sample_Device1 is fine under any" device Sample_Device1 my-root --id-policy any --at $AT
fail_run "an ID with '/' cannot be a file name" 1 "file name" device "a/b" --id-policy any --at $AT
fail_run "verification refuses a nonce with '-'" 1 "nonce" verification --ca my-root_cert.pem --key my-root_key.pem \
	--nonce 12-34 --at $AT
before=$(files_in .)

# Parents.
fail_run "missing parent files: names the file" 1 "nosuch_cert\\.pem" device d1 nosuch --at $AT
cp my-root_cert.pem half_cert.pem
fail_run "parent without its key: names the key file" 1 "half_key\\.pem" device d1 half --at $AT
rm half_cert.pem
fail_run "missing --ca-cert file" 1 "nosuch\\.pem" device d1 --ca-cert nosuch.pem --ca-key my-root_key.pem --at $AT
fail_run "--ca-cert without --ca-key is a usage error" 2 "ca-key" device d1 --ca-cert my-root_cert.pem --at $AT
fail_run "PARENT and --ca-cert together is a usage error" 2 "not both" \
	device d1 my-root --ca-cert my-root_cert.pem --ca-key my-root_key.pem --at $AT
fail_run "a device certificate is not a CA" 1 "not a CA" device d1 sample-device-01 --at $AT
fail_run "intermediate under a non-CA" 1 "not a CA" intermediate i1 sample-device-01 --at $AT
fail_run "mismatched --ca-key" 1 "does not match" \
	device d1 --ca-cert my-root_cert.pem --ca-key other-root_key.pem --at $AT
cp my-root_cert.pem mixed_cert.pem; cp other-root_key.pem mixed_key.pem
fail_run "mismatched PARENT_key.pem" 1 "mixed_key\\.pem.*does not match" device d1 mixed --at $AT
rm mixed_cert.pem mixed_key.pem
check "  ... nothing was written by the parent failures" unchanged

x root old-root --at 2020-01-01T00:00:00Z --days 1
check "an expired root can be made with --at in the past" test "$rc" -eq 0
fail_run "expired parent" 1 "old-root.*expired" device d1 old-root --at $AT
x root future-root --at 2030-01-01 --days 10
fail_run "parent not valid yet" 1 "not valid before" device d1 future-root --at $AT
ok_run "  ... but valid at its own time" device d-future future-root --at 2030-01-02
x intermediate tight my-root --pathlen 0 --at $AT
fail_run "pathlen 0 parent refuses another CA" 1 "tight.*pathLenConstraint 0" intermediate i2 tight --at $AT
before=$(files_in .)

# Wrong --ca-key-password (the certGen.sh root key is encrypted with 1234).
need_fixtures
fail_run "wrong --ca-key-password" 1 "password" device d1 \
	--ca-cert "$FIX/certgen_sh/azure-iot-test-only.root.ca.cert.pem" \
	--ca-key "$FIX/certgen_sh/azure-iot-test-only.root.ca.key.pem" --ca-key-password wrong --at $AT
fail_run "encrypted CA key without --ca-key-password" 1 "password" device d1 \
	--ca-cert "$FIX/certgen_sh/azure-iot-test-only.root.ca.cert.pem" \
	--ca-key "$FIX/certgen_sh/azure-iot-test-only.root.ca.key.pem" --at $AT
check "  ... nothing was written" unchanged

# Existing files are never overwritten without --force, and then as a whole set.
sums() { md5sum sample-device-01_cert.pem sample-device-01_key.pem sample-device-01_fullchain.pem sample-device-01.pfx; }
old=$(sums)
fail_run "existing output without --force" 1 "sample-device-01_cert\\.pem.*exists.*--force" \
	device sample-device-01 my-root --at $AT
check "  ... the existing files are untouched" test "$(sums)" = "$old"
check "  ... and no temporary file is left" unchanged
touch lonely.pfx
fail_run "one existing file of the set (lonely.pfx) refuses the whole set" 1 "lonely\\.pfx" device lonely my-root --at $AT
check "  ... lonely.pfx is still empty and no other lonely file exists" eval \
	'test ! -s lonely.pfx && test "$(ls lonely* | tr "\n" " ")" = "lonely.pfx "'
rm lonely.pfx
ok_run "--force replaces the set" device sample-device-01 my-root --force --at $AT
new=$(sums)
changed=0
for f in sample-device-01_cert.pem sample-device-01_key.pem sample-device-01_fullchain.pem sample-device-01.pfx; do
	echo "$old" | grep -q "$(md5sum $f)" || changed=$((changed + 1))
done
check "  ... all four files are new" test "$changed" -eq 4
check "  ... the new key matches the new certificate" test \
	"$(openssl pkey -in sample-device-01_key.pem -pubout)" = "$(openssl x509 -in sample-device-01_cert.pem -noout -pubkey)"
old=$(sums)
# A set that fails half-way with --force is rolled back: make the .pfx
# target a directory, so the last rename fails after the others.
mv sample-device-01.pfx keep.pfx && mkdir sample-device-01.pfx && touch sample-device-01.pfx/x
fail_run "--force failing on the last file" 1 "sample-device-01\\.pfx" device sample-device-01 my-root --force --at $AT
rm -r sample-device-01.pfx && mv keep.pfx sample-device-01.pfx
check "  ... leaves the previous files as they were (not half replaced)" test "$(sums)" = "$old"
check "  ... and no temporary or backup file" unchanged

# Unwritable and missing --out-dir.
mkdir ro && chmod 555 ro
if [ "$(id -u)" -eq 0 ]; then
	# root ignores permission bits: run the tool as nobody (the dir stays root's).
	need setpriv
	chmod 755 "$T"
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	NOBODY_TOOL=$IOTX509
	if ! as_nobody test -x "$IOTX509"; then
		# A clone under /root (mode 700), as on a fresh machine: nobody cannot
		# reach the build, so give it a copy of the program and the library.
		mkdir "$T/nobody-bin"
		cp "$top_builddir/src/.libs/iotx509" "$top_builddir"/lib/.libs/libiotx509.so* "$T/nobody-bin/" 2>/dev/null ||
			cp "$top_builddir/src/iotx509" "$T/nobody-bin/"
		chmod -R a+rX "$T/nobody-bin"
		NOBODY_TOOL="env LD_LIBRARY_PATH=$T/nobody-bin $T/nobody-bin/iotx509"
	fi
else
	as_nobody() { "$@"; }
	NOBODY_TOOL=$IOTX509
fi
# shellcheck disable=SC2086 # NOBODY_TOOL may be "env VAR=... tool"
as_nobody $NOBODY_TOOL root r1 --out-dir ro --at $AT >"$T/.out" 2>"$T/.err"; rc=$?
check "unwritable --out-dir fails" test "$rc" -eq 1
check "  ... with one line naming the file and the reason" eval \
	'test "$(wc -l <"$T/.err")" -eq 1 && grep -q "ro/r1.*Permission denied" "$T/.err"'
check "  ... and leaves no partial file behind" test -z "$(files_in ro)"
ok_run "a missing --out-dir is created" root r2 --out-dir nodir/deeper --at $AT
check "  ... mode 755, with the files" test "$(mode_of nodir) $(mode_of nodir/deeper)" = "755 755" -a -f nodir/deeper/r2_cert.pem
fail_run "a failing command creates no --out-dir" 1 "Sample_Device" device Sample_Device my-root --out-dir nodir2 --at $AT
check "  ... nodir2 does not exist" test ! -e nodir2
touch plainfile
fail_run "an --out-dir that is a file" 1 "plainfile.*not a directory" root r3 --out-dir plainfile/sub --at $AT
mkdir sub && x root r4 --out-dir sub --at $AT && x device d-sub r4 --out-dir sub --at $AT
check "--out-dir: a bare PARENT not in the current directory is found there, the files go there" \
	test -f sub/d-sub_fullchain.pem -a ! -e d-sub_cert.pem
ok_run "PARENT in the current directory with --out-dir elsewhere (the guide's 'device d1 myroot --out-dir devices/')" \
	device d1 my-root --out-dir devices/ --at $AT
check "  ... devices/ was created and holds d1's set, chained to my-root" eval 'test -f devices/d1_key.pem &&
	openssl verify -attime $ATS -CAfile my-root_cert.pem devices/d1_cert.pem >/dev/null'
ok_run "PARENT as a path stem (sub/r4)" intermediate i-sub sub/r4 --at $AT
check "  ... issued by sub/r4" test "$(openssl x509 -in i-sub_cert.pem -noout -issuer -nameopt RFC2253)" = "issuer=CN=r4"
ok_run "PARENT as an absolute path stem" device d-abs "$T/sub/r4" --out-dir devices --at $AT
rm -f i-sub* devices/d-abs*
before=$(files_in .)

# PARENT given as a file: one line naming the fix.
fail_run "PARENT my-root_cert.pem: give the stem" 2 "PARENT 'my-root_cert.pem' is a file: give the CA's name stem 'my-root' \\(for my-root_cert.pem and my-root_key.pem\\), or its files with --ca-cert and --ca-key" \
	device d1 my-root_cert.pem --at $AT
fail_run "PARENT sub/r4_fullchain.pem: give the stem" 2 "name stem 'sub/r4'" device d1 sub/r4_fullchain.pem --at $AT
fail_run "PARENT my-root.pfx: give it as --ca-cert" 2 "give a .pfx CA as --ca-cert my-root.pfx" device d1 my-root.pfx --at $AT
echo notes >notes.txt
fail_run "PARENT another file: give --ca-cert and --ca-key" 2 "not a name stem: give the CA's files with --ca-cert notes.txt --ca-key KEY" \
	device d1 notes.txt --at $AT
fail_run "PARENT a directory with a slash" 2 "ends with '/'" device d1 sub/ --at $AT
fail_run "PARENT that does not exist still names the file" 1 "sub/nosuch_cert\\.pem" device d1 sub/nosuch --at $AT
rm notes.txt
check "  ... nothing was written" unchanged

# A .pfx as the CA: accepted with its password, or one line saying how.
ok_run "--ca-cert my-root.pfx alone (default password)" device d-pfx --ca-cert my-root.pfx --at $AT
check "  ... chains to my-root" openssl verify -attime $ATS -CAfile my-root_cert.pem d-pfx_cert.pem
check "  ... no chain warning (the .pfx holds the chain)" eval '! grep -q "chain ends" "$T/.err"'
x root pw-root --password s3cret-pw --at $AT
fail_run "a .pfx CA with another password" 1 "pw-root.pfx.*password.*not the default 1234: give the .pfx password with --ca-password-file FILE, \\\$IOTX509_CA_PASSWORD or --ca-password" \
	device d-pw --ca-cert pw-root.pfx --at $AT
printf 's3cret-pw\n' >pw.txt
ok_run "  ... --ca-password-file" device d-pw --ca-cert pw-root.pfx --ca-password-file pw.txt --at $AT
export IOTX509_CA_PASSWORD=s3cret-pw
ok_run "  ... \$IOTX509_CA_PASSWORD" device d-pw2 --ca-cert pw-root.pfx --at $AT
unset IOTX509_CA_PASSWORD
rc=0; IOTX509_CA_PASSWORD=wrong "$IOTX509" device d-pw3 --ca-cert pw-root.pfx --ca-password s3cret-pw --at $AT \
	>"$T/.out" 2>"$T/.err" || rc=$?
check "  ... --ca-password before \$IOTX509_CA_PASSWORD" test "$rc" -eq 0
fail_run "  ... --ca-password and --ca-password-file" 2 "give --ca-password or --ca-password-file, not both" \
	device d-pw4 --ca-cert pw-root.pfx --ca-password a --ca-password-file pw.txt --at $AT
fail_run "  ... not --ca-key-password" 2 "goes in --ca-password-file" \
	device d-pw4 --ca-cert pw-root.pfx --ca-key-password s3cret-pw --at $AT
fail_run "a .pfx CA with --ca-key" 2 "'my-root.pfx' is a .pfx that holds the CA's key: leave out --ca-key" \
	device d1 --ca-cert my-root.pfx --ca-key my-root_key.pem --at $AT
cp my-root.pfx my-root.bin
fail_run "a .pfx under another name with --ca-key (was: ASN1 parser: Error in TAG)" 2 "'my-root.bin' is a .pfx that holds the CA's key: give it alone" \
	device d1 --ca-cert my-root.bin --ca-key my-root_key.pem --at $AT
ok_run "  ... alone it is taken as a .pfx" device d-bin --ca-cert my-root.bin --at $AT
fail_run "a .pfx as --ca-key" 2 "--ca-key 'my-root.pfx' is a .pfx: give it as --ca-cert my-root.pfx" \
	device d1 --ca-cert my-root_cert.pem --ca-key my-root.pfx --at $AT
ok_run "verification --ca my-root.pfx without --key" verification --ca my-root.pfx --nonce 1234ABCD --out pop-pfx --at $AT
ok_run "  ... proves my-root" verify pop-pfx_cert.pem --ca my-root_cert.pem --nonce 1234ABCD --at $AT
fail_run "verification --ca CERT without --key names --key" 2 "give --key FILE with --ca" \
	verification --ca my-root_cert.pem --nonce 1234ABCD --at $AT
rm -f my-root.bin d-pfx* d-pw* d-bin* pop-pfx* pw-root* pw.txt
before=$(files_in .)

# A certificate that is no CA: only that error, no warning about its chain first.
fail_run "a leaf as --ca-cert: one line, 'not a CA'" 1 "sample-device-01_cert.pem: issuer 'CN=sample-device-01' is not a CA" \
	device d1 --ca-cert sample-device-01_cert.pem --ca-key sample-device-01_key.pem --at $AT

# The validity cut to the issuer's is said, with both dates.
x root short-root --days 25 --at $AT
ok_run "device --days 365 under a root with 25 days left" device d-cut short-root --days 365 --at $AT
check "  ... a warning with the actual and the requested notAfter" grep -q \
	"^iotx509 device: warning: notAfter is 2026-12-24T12:00:00Z, not the requested 2027-11-29T12:00:00Z: a certificate cannot outlive its issuer 'CN=short-root'" "$T/.err"
check "  ... which is the certificate's" test "$(field notAfter:)" = 2026-12-24T12:00:00Z
ok_run "device with the default validity under it" device d-cut2 short-root --at $AT
check "  ... is cut too, and says so" grep -q "warning: notAfter is 2026-12-24T12:00:00Z, not the requested 2027-11-29" "$T/.err"
printf 'b-cut-1\nb-cut-2\n' > cut-ids.txt
ok_run "batch --days 365 under it" batch --ids cut-ids.txt short-root --days 365 --out-dir cut-batch --at $AT
check "  ... one warning for the batch, with both dates" test "$(grep -c \
	"^iotx509 batch: warning: notAfter is 2026-12-24T12:00:00Z, not the requested 2027-11-29T12:00:00Z: a certificate cannot outlive its issuer 'CN=short-root'" "$T/.err")" -eq 1
rm -rf cut-batch cut-ids.txt
ok_run "device --days 10 under it" device d-fits short-root --days 10 --at $AT
check "  ... no warning" eval '! grep -q warning "$T/.err"'
x csr d-csr --cn d-csr
ok_run "sign --days 400 under it" sign d-csr_csr.pem short-root --days 400 --at $AT
check "  ... warns too" grep -q "^iotx509 sign: warning: notAfter is 2026-12-24T12:00:00Z, not the requested 2028-01-03T12:00:00Z" "$T/.err"
rm -f short-root* d-cut* d-fits* d-csr*

# Secrets from files and the environment, never only the command line.
printf '1234\n' >ca-pw.txt
cg="--ca-cert $FIX/certgen_sh/azure-iot-test-only.root.ca.cert.pem --ca-key $FIX/certgen_sh/azure-iot-test-only.root.ca.key.pem"
ok_run "--ca-key-password-file" device d-s1 $cg --ca-key-password-file ca-pw.txt --at $AT
export IOTX509_CA_KEY_PASSWORD=1234
ok_run "\$IOTX509_CA_KEY_PASSWORD" device d-s2 $cg --at $AT
export IOTX509_CA_KEY_PASSWORD=wrong
fail_run "a wrong \$IOTX509_CA_KEY_PASSWORD" 1 "password" device d-s3 $cg --at $AT
unset IOTX509_CA_KEY_PASSWORD
rc=0; IOTX509_CA_KEY_PASSWORD=wrong "$IOTX509" device d-s3 $cg --ca-key-password-file ca-pw.txt --at $AT \
	>"$T/.out" 2>"$T/.err" || rc=$?
check "the file before the environment" test "$rc" -eq 0
fail_run "--ca-key-password and --ca-key-password-file" 2 "not both" \
	device d-s4 $cg --ca-key-password 1234 --ca-key-password-file ca-pw.txt --at $AT
cp "$FIX/certgen_sh/azure-iot-test-only.root.ca.cert.pem" cg_cert.pem
cp "$FIX/certgen_sh/azure-iot-test-only.root.ca.key.pem" cg_key.pem
export IOTX509_CA_KEY_PASSWORD=1234
ok_run "PARENT with an encrypted key and \$IOTX509_CA_KEY_PASSWORD" device d-s5 cg --at $AT
unset IOTX509_CA_KEY_PASSWORD
export IOTX509_PFX_PASSWORD=from-env
ok_run "\$IOTX509_PFX_PASSWORD protects the .pfx" device d-s6 my-root --at $AT
check "  ... openssl opens it with that password" openssl pkcs12 -info -noout -in d-s6.pfx -passin pass:from-env
check "  ... and no note about the default" eval '! grep -q "default password" "$T/.err"'
ok_run "--password before \$IOTX509_PFX_PASSWORD" device d-s7 my-root --password from-opt --at $AT
check "  ... openssl opens it with the option's" openssl pkcs12 -info -noout -in d-s7.pfx -passin pass:from-opt
ok_run "inspect a .pfx with \$IOTX509_PFX_PASSWORD" inspect d-s6.pfx
unset IOTX509_PFX_PASSWORD
openssl pkey -in d-s6_key.pem -aes256 -passout pass:kpw -out enc_key.pem 2>/dev/null
printf 'kpw\n' >key-pw.txt
ok_run "csr --key-password-file" csr c1 --cn c1 --key enc_key.pem --key-password-file key-pw.txt
export IOTX509_KEY_PASSWORD=kpw
ok_run "csr \$IOTX509_KEY_PASSWORD" csr c2 --cn c2 --key enc_key.pem
unset IOTX509_KEY_PASSWORD
fail_run "csr without the key password" 1 "password" csr c3 --cn c3 --key enc_key.pem
ok_run "p12 export --key-password-file" p12 export --cert d-s6_cert.pem --key enc_key.pem --key-password-file key-pw.txt \
	--out c1.pfx --password x1
rm -f d-s* cg_* ca-pw.txt key-pw.txt enc_key.pem c1* c2*
before=$(files_in .)

# A batch rerun completes a finished set whose certificate file was deleted.
x batch my-root --pattern 'b-{1..3}' --out-dir bat --at $AT
serial=$(openssl x509 -in bat/b-2_cert.pem -noout -serial)
rm bat/b-2_cert.pem
ok_run "batch rerun after b-2_cert.pem was deleted" batch my-root --pattern 'b-{1..3}' --out-dir bat --at $AT
check "  ... 0 issued, 3 done before" grep -q '^3 devices: 0 issued, 3 skipped (done before), 0 failed' "$T/.out"
check "  ... b-2_cert.pem is back, the same certificate" test "$(openssl x509 -in bat/b-2_cert.pem -noout -serial)" = "$serial"
rm bat/b-3_cert.pem bat/b-3_key.pem
x batch my-root --pattern 'b-{1..3}' --out-dir bat --at $AT
check "  ... with its key gone too: exit 1, one line naming both files" eval 'test "$rc" -eq 1 &&
	test "$(wc -l <"$T/.err")" -eq 1 && grep -q "item 3: bat/b-3_cert.pem and bat/b-3_key.pem are missing from the set this batch wrote for .b-3." "$T/.err" &&
	! grep -q "not written by this batch" "$T/.err"'
rm -r bat
before=$(files_in .)

# Usage errors: exit 2, one line.
fail_run "unknown option" 2 "unknown option '--frobnicate'" device d1 my-root --frobnicate --at $AT
fail_run "option without its value: names the value" 2 "option '--days' needs a value: --days N \\(see" \
	device d1 my-root --at $AT --days
fail_run "--nonce followed by an option does not take it as the nonce" 2 \
	"option '--nonce' needs a value, not the option '--out': --nonce CODE \\(if the value starts with '--', write --nonce=--out\\)" \
	verification --ca my-root_cert.pem --key my-root_key.pem --nonce --out x --at $AT
fail_run "  ... --nonce=--out is a value (an invalid nonce)" 1 "nonce has invalid character" \
	verification --ca my-root_cert.pem --key my-root_key.pem --nonce=--out --at $AT
fail_run "--days followed by an option" 2 "option '--days' needs a value, not the option '--at': --days N" \
	device d1 my-root --days --at $AT
fail_run "--out-dir followed by an option" 2 "option '--out-dir' needs a value, not the option '--force': --out-dir DIR" \
	root r9 --out-dir --force --at $AT
fail_run "an abbreviated option names the full one" 2 "option '--days' needs a value, not the option '--at': --days N" \
	device d1 my-root --day --at $AT
fail_run "other commands too (expiry --within)" 2 "option '--within' needs a value, not the option '--json': --within DAYS" \
	expiry . --within --json
fail_run "other commands too (p12 --key-password-file)" 2 "option '--key-password-file' needs a value: --key-password-file FILE" \
	p12 export x --key-password-file
fail_run "unknown key type" 2 "key type 'rsa1024'" device d1 my-root --key-type rsa1024 --at $AT
fail_run "unknown id policy" 2 "policy 'azure'" device d1 my-root --id-policy azure --at $AT
fail_run "unknown pfx profile" 2 "profile 'legacy'" device d1 my-root --pfx-profile legacy --at $AT
fail_run "bad --days" 2 "days" device d1 my-root --days 12x --at $AT
fail_run "--days 0" 2 "days" device d1 my-root --days 0 --at $AT
fail_run "bad --at" 2 "not a (valid )?time" device d1 my-root --at 2026-02-30
fail_run "missing DEVICE_ID" 2 "missing DEVICE_ID" device
fail_run "missing PARENT for intermediate" 2 "missing PARENT" intermediate i1
fail_run "extra argument" 2 "unexpected argument 'extra'" root r1 extra
fail_run "option of another command" 2 "does not apply" root r1 --pathlen 1
fail_run "server without SANs" 2 "--dns" server s1 my-root
fail_run "verification without --nonce" 2 "nonce" verification --ca my-root_cert.pem --key my-root_key.pem
fail_run "empty password" 2 "empty" device d1 my-root --password "" --at $AT
fail_run "--password and --password-file" 2 "not both" device d1 my-root --password a --password-file b --at $AT
fail_run "missing --password-file" 1 "nopw.txt" device d1 my-root --password-file nopw.txt --at $AT
fail_run "unknown command" 2 "unknown command 'frob'" frob
finish
