#!/bin/sh
# iotx509 expiry and iotx509 tree on a generated three-level hierarchy and
# on the foreign fixtures, at fixed times; the DOT output rendered by
# Graphviz.
. "$top_srcdir/tests/cli/lib.sh"
need_fixtures
need openssl python3 dot

mkdir -p pki/ca pki/devices/line-1 pki/.trash
x root my-root --out-dir pki/ca --at $AT && x intermediate my-int my-root --out-dir pki/ca --at $AT &&
	x device dev-01 --ca-cert pki/ca/my-int_fullchain.pem --ca-key pki/ca/my-int_key.pem --out-dir pki/devices/line-1 --at $AT &&
	x device dev-02 --ca-cert pki/ca/my-int_fullchain.pem --ca-key pki/ca/my-int_key.pem --out-dir pki/devices/line-1 --days 40 --at $AT &&
	x device dev-03 --ca-cert pki/ca/my-root_cert.pem --ca-key pki/ca/my-root_key.pem --out-dir pki/devices --days 10 --at $AT &&
	x device ss-dev --out-dir pki/devices --at $AT
[ "$rc" -eq 0 ] || { echo "setup failed: $(cat "$T/.err")"; exit 99; }
# A hidden directory is skipped, and a link back up is not followed.
x root hidden-root --out-dir pki/.trash --at $AT
ln -s .. pki/devices/line-1/up

# ---- expiry ----
ok_run "expiry at issuance: nothing due (80 percent rule)" expiry pki --at $AT
check "  six certificates, each once" test "$(grep -c -E '^(ok|RENEW|EXPIRED|NOT-YET) ' "$T/.out")" = 6
check "  the summary line" grep -q "^6 certificates, 0 need renewal (80% of the lifetime passed) at 2026-11-29T12:00:00Z" "$T/.out"
check "  dev-03 has 10 days left" grep -Eq "^ok +10  2026-12-09T12:00:00Z  dev-03 +my-root " "$T/.out"

x expiry pki --at 2026-12-07T12:00:00Z
check "after 8 of 10 days: dev-03 is due; exit 1" test "$rc" -eq 1
check "  its line says RENEW with 2 days left" grep -Eq "^RENEW +2  2026-12-09T12:00:00Z  dev-03 " "$T/.out"
check "  stderr counts it" grep -q "1 of 6 certificates needs renewal" "$T/.err"
ok_run "  with 2 days left, --within 1 finds nothing due" expiry pki --within 1 --at 2026-12-07T12:00:00Z
x expiry pki --within 35 --at 2026-12-07T12:00:00Z
check "--within 35: dev-02 (32 days left) and dev-03 are due" test "$rc" -eq 1 -a \
	"$(grep -c '^RENEW ' "$T/.out")" = 2
x expiry pki --within 30 --at 2027-01-01 --json
check "--json: one object; dev-03 expired, days left negative" test \
	"$(json "[(c['cn'], c['state'], c['days_left'] < 0, c['needs_renewal']) for c in j['certificates'] if c['cn'] == 'dev-03'][0]")" = \
	"('dev-03', 'expired', True, True)"
check "--json: counts and the rule" test "$(json "(j['count'], j['due'], j['rule'], j['threshold'])")" = "(6, 2, 'days', 30)"
check "--json: notAfter as openssl prints it" test \
	"$(json "[c['not_after'] for c in j['certificates'] if c['cn'] == 'my-root'][0]")" = \
	"$(date -u -d "$(openssl x509 -in pki/ca/my-root_cert.pem -noout -enddate | sed 's/notAfter=//')" +%Y-%m-%dT%H:%M:%SZ)"
x expiry pki --at-percent 50 --at 2027-06-01
check "--at-percent 50 half a year on: the devices are due, the CAs are not" test "$rc" -eq 1 -a \
	"$(grep -c '^RENEW \|^EXPIRED ' "$T/.out")" = 4
ok_run "expiry of one file" expiry pki/ca/my-root_cert.pem --at $AT
fail_run "expiry: a path that does not exist" 1 "nope: No such file" expiry nope
fail_run "expiry: --within and --at-percent together" 2 "give --within or --at-percent, once" expiry pki --within 3 --at-percent 50
fail_run "expiry: --at-percent 0" 2 "from 1 to 100" expiry pki --at-percent 0
mkdir empty
fail_run "expiry: an empty directory" 1 "empty: no certificate in this directory or below" expiry empty

# ---- tree ----
ok_run "tree at 2026-12-01" tree pki --at 2026-12-01
r=$(date -u -d "$(openssl x509 -in pki/ca/my-root_cert.pem -noout -enddate | sed 's/notAfter=//')" +%Y-%m-%dT%H:%M:%SZ)
i=$(date -u -d "$(openssl x509 -in pki/ca/my-int_cert.pem -noout -enddate | sed 's/notAfter=//')" +%Y-%m-%dT%H:%M:%SZ)
cat >expected.txt <<EOF
my-root  notAfter $r  [CA]
|-- dev-03  notAfter 2026-12-09T12:00:00Z  [expiring soon]
\`-- my-int  notAfter $i  [CA]
    |-- dev-01  notAfter 2027-11-29T12:00:00Z
    \`-- dev-02  notAfter 2027-01-08T12:00:00Z
ss-dev  notAfter 2027-11-29T12:00:00Z
EOF
check "the indented tree, three levels, with its marks" cmp -s expected.txt "$T/.out"
x tree pki --at 2026-12-20
check "later: dev-03 is expired, dev-02 expiring soon" eval 'grep -q "dev-03  notAfter 2026-12-09T12:00:00Z  \[expired\]" "$T/.out" &&
	grep -q "dev-02  notAfter 2027-01-08T12:00:00Z  \[expiring soon\]" "$T/.out"'
x tree pki/devices/line-1/dev-01_cert.pem --at 2026-12-01
check "without the CAs: the issuer is not found" grep -q "^dev-01  notAfter 2027-11-29T12:00:00Z  \[issuer not found: CN=my-int\]" "$T/.out"
ok_run "tree --json" tree pki --at 2026-12-01 --json
check "json: six nodes; dev-01's parent is my-int, at depth 2" test \
	"$(json "(len(j['nodes']), [(j['nodes'][n['parent']]['cn'], n['depth']) for n in j['nodes'] if n['cn'] == 'dev-01'][0])")" = \
	"(6, ('my-int', 2))"
check "json: marks" test "$(json "[n['marks'] for n in j['nodes'] if n['cn'] == 'my-root'][0]")" = "['ca', 'self-signed']"

ok_run "tree --dot" tree pki --dot --at 2026-12-01
check "  a digraph" grep -q "^digraph iotx509 {" "$T/.out"
cp "$T/.out" pki.dot
check "  dot -Tsvg renders it without a warning" eval 'dot -Tsvg -o pki.svg pki.dot 2>dot.err && test ! -s dot.err &&
	grep -q "<svg" pki.svg'
check "  the SVG has every CN" eval 'for cn in my-root my-int dev-01 dev-02 dev-03 ss-dev; do
	grep -q ">$(echo $cn | sed "s/-/\&#45;/g")<" pki.svg || exit 1; done'
ok_run "tree --dot --out FILE" tree pki --dot --out out.dot --at 2026-12-01
check "  the file is what stdout was" cmp -s out.dot pki.dot
fail_run "tree --out an existing file needs --force" 1 "out.dot" tree pki --dot --out out.dot
ok_run "  ... --force replaces it" tree pki --out out.dot --force --at 2026-12-01
check "  now with the text" cmp -s out.dot expected.txt

ok_run "tree of the foreign fixtures" tree "$FIX" --at $AT
check "  Node SDK: sample-device-01 under mytestrootcert" grep -q "^[|\`]-- sample-device-01  notAfter" "$T/.out"
check "  certGen.sh: the edge CA is a CA under the intermediate" grep -q "myEdgeDevice.ca  notAfter .*\[CA\]" "$T/.out"
ok_run "tree --dot of the fixtures" tree "$FIX" --dot --at $AT
cp "$T/.out" fix.dot
check "  dot -Tsvg renders it" eval 'dot -Tsvg -o fix.svg fix.dot 2>dot.err && test ! -s dot.err'
ok_run "expiry of the foreign fixtures at their time" expiry "$FIX" --within 0 --at $AT
check "  nine certificates; create_test_cert.js's 1-day verification certificate left out" eval \
	'grep -q "^9 certificates, 0 need renewal" "$T/.out" && grep -q "^1 verification certificate left out (--all lists it)" "$T/.out"'
x expiry "$FIX" --at 2026-12-31 --all
check "  --all: a month later all ten have expired" test "$rc" -eq 1 -a "$(grep -c '^EXPIRED ' "$T/.out")" = 10

# ---- verification certificates: left out unless asked ----
x verification --ca pki/ca/my-root_cert.pem --key pki/ca/my-root_key.pem --nonce 5EC0ADA7A --out pop --out-dir pki/ca --at $AT
[ "$rc" -eq 0 ] || { echo "setup failed: $(cat "$T/.err")"; exit 99; }
ok_run "a 2-day verification certificate expired 3 days later: exit 0" expiry pki --at 2026-12-02T12:00:00Z
check "  it is not listed, and the summary says it was left out" eval '! grep -q 5EC0ADA7A "$T/.out" &&
	grep -q "^6 certificates, 0 need renewal" "$T/.out" && grep -q "^1 verification certificate left out (--all lists it)" "$T/.out"'
check "  nothing on stderr" test ! -s "$T/.err"
x expiry pki --at 2026-12-02T12:00:00Z --json
check "  --json: counts it as skipped" test "$(json "(j['count'], j['due'], j['verification_skipped'])")" = "(6, 0, 1)"
x expiry pki --at 2026-12-02T12:00:00Z --all
check "  --all lists it as EXPIRED: exit 1" eval 'test "$rc" -eq 1 && grep -Eq "^EXPIRED +-1  2026-12-01T12:00:00Z  5EC0ADA7A +my-root " "$T/.out" &&
	grep -q "1 of 7 certificates needs renewal" "$T/.err"'
rm pki/ca/pop*
fail_run "tree: --dot and --json" 2 "--dot or --json" tree pki --dot --json
finish
