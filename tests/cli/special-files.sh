#!/bin/sh
# Every input file of every reading command, given a FIFO (no program
# writes to it), a directory, /dev/zero or an empty file: the command must
# fail at once (under a 10 s timeout), with a non-zero exit and exactly one
# line on stderr, and never hang (a plain open() of a FIFO waits for a
# writer forever) or crash.
. "$top_srcdir/tests/cli/lib.sh"
need timeout openssl

x root r --at $AT && x device d r --at $AT && x csr c --cn c-dev && x p12 export d --password pw --force
[ "$rc" -eq 0 ] || { echo "setup failed: $(cat "$T/.err")"; exit 99; }
printf 'pw\n' >pw.txt
printf 'b-1\n' >ids.txt
mkdir batch-out && cp r_cert.pem r_key.pem batch-out/

mkfifo fifo
mkdir dir
: >empty

# prompt SPECIAL DESCRIPTION ARGS...: the tool fails promptly with one line;
# for a FIFO or /dev/zero the line says what the file is.
prompt() {
	sp=$1; d="$sp: $2"; shift 2
	case $sp in
	fifo) re='FIFO' ;;
	/dev/zero) re='character device' ;;
	*) re='.' ;;
	esac
	timeout 10 "$IOTX509" "$@" </dev/null >"$T/.out" 2>"$T/.err"
	rc=$?
	if [ "$rc" -eq 124 ]; then not_ok "$d: hangs (killed after 10 s)"
	elif [ "$rc" -eq 0 ]; then not_ok "$d: exit 0"
	elif [ "$rc" -gt 2 ]; then not_ok "$d: exit $rc (a crash?)"
	elif [ "$(wc -l <"$T/.err")" -ne 1 ]; then not_ok "$d: stderr is not one line"
	elif ! grep -q -- "$re" "$T/.err"; then not_ok "$d: stderr lacks /$re/: $(cat "$T/.err")"
	else ok "$d"; fi
}

for S in fifo dir /dev/zero empty; do
	# PARENT and NAME given by name: NAME_cert.pem is the special file.
	rm -rf sp && mkdir sp && cp r_key.pem sp/p_key.pem && cp d_key.pem sp/n_key.pem
	case $S in
	fifo) mkfifo sp/p_cert.pem sp/n_cert.pem ;;
	dir) mkdir sp/p_cert.pem sp/n_cert.pem ;;
	empty) : >sp/p_cert.pem && : >sp/n_cert.pem ;;
	*) ln -s "$S" sp/p_cert.pem && ln -s "$S" sp/n_cert.pem ;;
	esac

	prompt $S "inspect FILE" inspect $S
	prompt $S "inspect --password-file" inspect d.pfx --password-file $S
	prompt $S "thumbprint FILE" thumbprint $S
	prompt $S "lint FILE" lint $S
	prompt $S "expiry PATH" expiry $S --at $AT
	prompt $S "tree PATH" tree $S --at $AT
	prompt $S "chain LEAF" chain $S
	prompt $S "chain LEAF BUNDLE" chain d_cert.pem $S --trust r_cert.pem
	prompt $S "chain --trust" chain d_cert.pem r_cert.pem --trust $S
	prompt $S "verify CHAIN" verify $S --trust r_cert.pem --at $AT
	prompt $S "verify --trust" verify d_fullchain.pem --trust $S --at $AT
	prompt $S "verify --ca (proof of possession)" verify d_cert.pem --ca $S --nonce 1234 --at $AT
	prompt $S "check CHAIN" check $S --group r_cert.pem:verified --at $AT
	prompt $S "check BUNDLE" check d_cert.pem $S --group r_cert.pem:verified --at $AT
	prompt $S "check --group" check d_fullchain.pem --group $S --at $AT
	prompt $S "check --individual" check d_fullchain.pem --individual $S --at $AT
	prompt $S "p12 import FILE" p12 import $S --out imp --password pw
	prompt $S "p12 import --password-file" p12 import d.pfx --out imp --password-file $S
	prompt $S "p12 export --cert" p12 export --cert $S --key d_key.pem --out exp --password pw
	prompt $S "p12 export --key" p12 export --cert d_cert.pem --key $S --out exp --password pw
	prompt $S "p12 export --chain" p12 export --cert d_cert.pem --key d_key.pem --chain $S --out exp --password pw
	prompt $S "p12 export NAME" p12 export n --out-dir sp --password pw
	prompt $S "csr --key" csr c2 --cn c2 --key $S
	prompt $S "sign CSR" sign $S r --at $AT
	prompt $S "sign --ca-cert" sign c_csr.pem --ca-cert $S --ca-key r_key.pem --at $AT
	prompt $S "sign --ca-key" sign c_csr.pem --ca-cert r_cert.pem --ca-key $S --at $AT
	prompt $S "sign PARENT" sign c_csr.pem p --out-dir sp --at $AT
	prompt $S "root --password-file" root r2 --password-file $S --at $AT
	prompt $S "device PARENT" device n2 p --out-dir sp --at $AT
	prompt $S "device --ca-cert" device n2 --ca-cert $S --ca-key r_key.pem --at $AT
	prompt $S "device --ca-key" device n2 --ca-cert r_cert.pem --ca-key $S --at $AT
	prompt $S "device --password-file" device n2 r --password-file $S --at $AT
	prompt $S "device --pin-file" device n2 --ca-cert r_cert.pem --ca-key 'pkcs11:token=none' --pin-file $S --at $AT
	prompt $S "intermediate PARENT" intermediate i2 p --out-dir sp --at $AT
	prompt $S "edge-ca PARENT" edge-ca e2 p --out-dir sp --at $AT
	prompt $S "server PARENT" server s2 p --out-dir sp --dns gw.example --at $AT
	prompt $S "verification --ca" verification --ca $S --key r_key.pem --nonce 1234 --at $AT
	prompt $S "verification --key" verification --ca r_cert.pem --key $S --nonce 1234 --at $AT
	prompt $S "renew NAME" renew n --out-dir sp --at $AT
	prompt $S "renew --ca-cert" renew d --out d2 --ca-cert $S --ca-key r_key.pem --password pw --at $AT
	prompt $S "batch --ids" batch --ids $S r --out-dir batch-out --at $AT
	prompt $S "batch --ca-cert" batch --ids ids.txt --ca-cert $S --ca-key r_key.pem --out-dir batch-out --at $AT
	prompt $S "batch --password-file" batch --ids ids.txt --pfx --password-file $S r --out-dir batch-out --at $AT
	prompt $S "edge-config --cert" edge-config --id-scope 0ne00000001 --cert $S --key d_key.pem
	prompt $S "edge-config --key" edge-config --id-scope 0ne00000001 --cert d_cert.pem --key $S
done

# --ids - reads the standard input, a pipe or a file, but not what never ends.
for S in dir /dev/zero empty; do
	timeout 10 "$IOTX509" batch --ids - r --out-dir batch-out --at $AT <$S >"$T/.out" 2>"$T/.err"
	rc=$?
	check "$S as the standard input of batch --ids -: exit 1 at once, one line" \
		test "$rc" -eq 1 -a "$(wc -l <"$T/.err")" -eq 1
done
timeout 10 "$IOTX509" batch --ids - r --out-dir batch-out --at $AT </dev/zero >"$T/.out" 2>"$T/.err"
check "  the message says what the standard input is" grep -q "standard input: is a character device" "$T/.err"
check "no device was issued by any of these" test ! -e batch-out/b-1_cert.pem

# A FIFO a program writes to is a pipe like any other: batch reads it once.
# The writer holds it open (read-write: that open does not wait) until the
# batch has read it, and says when it has written.
(exec 3<>fifo; printf 'f-1\nf-2\n' >&3; : >written; sleep 2) &
i=0; while [ ! -e written ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
ok_run "a FIFO a program writes to: batch --ids FIFO issues every ID" batch --ids fifo r --out-dir batch-out --at $AT
wait
check "  both devices" test -s batch-out/f-1_cert.pem -a -s batch-out/f-2_cert.pem
finish
