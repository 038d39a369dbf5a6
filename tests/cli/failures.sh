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
fail_run "missing --out-dir" 1 "nodir/r2.*No such file" root r2 --out-dir nodir --at $AT
check "  ... creates nothing" test ! -e nodir
mkdir sub && x root r4 --out-dir sub --at $AT && x device d-sub r4 --out-dir sub --at $AT
check "--out-dir: PARENT is looked up there and the files go there" test -f sub/d-sub_fullchain.pem -a ! -e d-sub_cert.pem

# Usage errors: exit 2, one line.
fail_run "unknown option" 2 "unknown option '--frobnicate'" device d1 my-root --frobnicate --at $AT
fail_run "option without its value" 2 "needs a value" device d1 my-root --at $AT --days
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
