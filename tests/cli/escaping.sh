#!/bin/sh
# Output injection: certificates (made by openssl, valid from now on: the
# commands run at the current time) whose CN holds a newline and a forged
# "SHA-1:" line, ANSI escape sequences (clear the screen, set the window
# title), a C1 control and a right-to-left override; a .pfx friendlyName
# and file names just as hostile. In text mode no control byte reaches
# stdout or stderr and the forged line never stands on its own: every
# string is shown in the escaped form of iotx509(1) (\n, \xHH, \\).
# JSON keeps the exact text.
. "$top_srcdir/tests/cli/lib.sh"
need openssl python3

# EVIL: newline, "SHA-1: FORGED", ESC [2J, ESC ]0;...BEL, U+009B (C1 CSI), U+202E (RLO).
EVIL=$(printf 'evil\nSHA-1: FORGED\033[2J\033]0;pwned\007\302\233\342\200\256x')
EVIL_SHOWN='evil\nSHA-1: FORGED\x1b[2J\x1b]0;pwned\x07\xc2\x9b\xe2\x80\xaex'
# In a DN (RFC 4514) the ';' is "\;", and its backslash is shown doubled.
EVIL_DN_SHOWN='evil\nSHA-1: FORGED\x1b[2J\x1b]0\\;pwned\x07\xc2\x9b\xe2\x80\xaex'
export EVIL

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout er_key.pem -out er_cert.pem \
	-days 3650 -subj "/CN=${EVIL} root" -utf8 -addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" -set_serial 1 2>/dev/null &&
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ed_key.pem -out ed.csr \
		-subj "/CN=${EVIL}" -utf8 2>/dev/null &&
	printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' >ext.cnf &&
	openssl x509 -req -in ed.csr -CA er_cert.pem -CAkey er_key.pem -set_serial 2 -days 365 -extfile ext.cnf \
		-out ed_cert.pem 2>/dev/null &&
	cat ed_cert.pem er_cert.pem >ed_fullchain.pem &&
	openssl pkcs12 -export -in ed_cert.pem -inkey ed_key.pem -name "$EVIL" -passout pass:pw -out ed.pfx \
		-keypbe AES-256-CBC -certpbe AES-256-CBC -macalg sha256 2>/dev/null &&
	mkdir tree && cp ed_fullchain.pem "tree/$(printf 'file\nSHA-1: FORGED\033[2J').pem"
[ $? -eq 0 ] || { echo "setup failed: openssl could not make the certificates"; exit 99; }
x root other

# clean WHAT: stdout and stderr of the last command hold no control byte
# (newline ends a line, tab only in a format's own layout), no C1 or bidirectional control,
# only valid UTF-8, and no line that is the forged one.
clean() {
	if python3 - "$T/.out" "$T/.err" <<'EOF'
import re, sys
for f in sys.argv[1:]:
    b = open(f, 'rb').read()
    if re.search(rb'[\x00-\x08\x0b-\x1f\x7f]', b):
        sys.exit('%s: a raw control byte' % f)
    t = b.decode('utf-8')  # raises on invalid UTF-8
    if re.search('[\x80-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]', t):
        sys.exit('%s: a raw C1 or bidirectional control' % f)
    if re.search(r'(?m)^\s*SHA-1:\s*FORGED', t):
        sys.exit('%s: the forged line stands on its own' % f)
EOF
	then ok "$1"; else not_ok "$1"; fi
}
# shows WHAT: the escaped CN or DN appears in the output (stdout or stderr).
shows() { check "$1" eval 'grep -qF -e "$EVIL_SHOWN" -e "$EVIL_DN_SHOWN" "$T/.out" "$T/.err"'; }
# json_is WHAT EXPR EXPECTED-PYTHON-EXPR: a value of the JSON output, exactly.
json_is() {
	check "$1" python3 -c 'import json, os, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
evil = os.environ["EVIL"]
sys.exit(0 if eval(sys.argv[2]) == eval(sys.argv[3]) else "%r != %r" % (eval(sys.argv[2]), eval(sys.argv[3])))' \
		"$T/.out" "$2" "$3"
}

ok_run "thumbprint" thumbprint ed_cert.pem
clean "thumbprint: no control byte, no forged SHA-1 line"
shows "thumbprint: the subject in the escaped form"
check "thumbprint: three lines, the real SHA-1 on its own" eval \
	'[ "$(wc -l <"$T/.out")" -eq 3 ] && grep -q "^  SHA-1:   $(fingerprint sha1 ed_cert.pem)\$" "$T/.out"'
ok_run "thumbprint --json" thumbprint ed_cert.pem --json
json_is "thumbprint --json: the exact subject" "j['certificates'][0]['subject']" "'CN=' + evil.replace(';', '\\\\;')"
check "thumbprint --json: C1 and bidirectional controls as \\u escapes" grep -qF '\u009b\u202ex' "$T/.out"

ok_run "inspect a certificate" inspect ed_cert.pem
clean "inspect: clean"
check "inspect: the CN line in the escaped form" grep -qxF "    CN:           $EVIL_SHOWN" "$T/.out"
ok_run "inspect --json" inspect ed_cert.pem --json
json_is "inspect --json: the exact CN" "j['inputs'][0]['certificates'][0]['cn']" "evil"
ok_run "inspect a .pfx with a hostile friendlyName" inspect ed.pfx --password pw
clean "inspect .pfx: clean"
check "inspect .pfx: friendlyName in the escaped form" grep -qF "friendlyName: $EVIL_SHOWN" "$T/.out"
ok_run "inspect .pfx --json" inspect ed.pfx --password pw --json
json_is "inspect .pfx --json: the exact friendlyName" "j['inputs'][0]['pkcs12']['friendly_name']" "evil"

ok_run "verify" verify ed_fullchain.pem --trust er_cert.pem
clean "verify: clean"
shows "verify: the chain in the escaped form"
ok_run "verify --json" verify ed_fullchain.pem --trust er_cert.pem --json
json_is "verify --json: the exact subject" "j['chain'][1]['subject']" "'CN=' + evil.replace(';', '\\\\;') + ' root'"
x verify ed_fullchain.pem --trust other_cert.pem
check "verify against another root: exit 1, one line on stderr" test "$rc" -eq 1 -a "$(wc -l <"$T/.err")" -eq 1
clean "verify failure: the message quoting the issuer is clean"
shows "verify failure: the issuer in the escaped form"

ok_run "chain" chain ed_cert.pem er_cert.pem
clean "chain: clean"
ok_run "chain --json" chain ed_cert.pem er_cert.pem --json
json_is "chain --json: the exact CN" "j['certificates'][0]['cn']" "evil"

ok_run "tree of a file" tree ed_fullchain.pem
clean "tree: clean"
check "tree: the device line in the escaped form" grep -qF "\`-- $EVIL_SHOWN  notAfter" "$T/.out"
ok_run "tree --dot" tree ed_fullchain.pem --dot
clean "tree --dot: clean"
ok_run "tree of a directory with a hostile file name" tree tree --json
json_is "tree --json: the exact CN and file name" "(j['nodes'][1]['cn'], j['nodes'][1]['file'])" \
	"(evil, 'tree/file\\nSHA-1: FORGED\\x1b[2J.pem')"

ok_run "expiry of a directory with a hostile file name" expiry tree
clean "expiry: clean (CN, issuer and file name)"
check "expiry: the file name in the escaped form" grep -qF 'tree/file\nSHA-1: FORGED\x1b[2J.pem' "$T/.out"
ok_run "expiry --json" expiry tree --json
json_is "expiry --json: the exact CN" "j['certificates'][0]['cn']" "evil"

x check ed_fullchain.pem --group er_cert.pem:verified
check "check: rejected (the CN is no registration ID), one line on stderr" \
	test "$rc" -eq 1 -a "$(wc -l <"$T/.err")" -eq 1
clean "check: the rejection message is clean"
shows "check: the registration ID in the escaped form"
x check ed_fullchain.pem --group er_cert.pem:verified --json
json_is "check --json: the exact registration ID" "j['registration_id']" "evil"

x lint ed_cert.pem
clean "lint: clean"
shows "lint: the subject in the escaped form"
x lint ed_cert.pem --json
json_is "lint --json: the exact subject" "j['files'][0]['certificates'][0]['subject']" "'CN=' + evil.replace(';', '\\\\;')"

x inspect "$(printf 'no\033[2Jsuch\nfile.pem')"
check "a missing file with a hostile name: exit 1, one line" test "$rc" -eq 1 -a "$(wc -l <"$T/.err")" -eq 1
clean "  the message naming it is clean"
check "  and names it in the escaped form" grep -qF 'no\x1b[2Jsuch\nfile.pem' "$T/.err"
x thumbprint ed_cert.pem 'back\slash.pem'
check "a backslash in a name is doubled, so the form reads back" grep -qF 'back\\slash.pem' "$T/.err"
finish
