#!/bin/sh
# iotx509 batch: a run checked with openssl, kill -9 in the middle and a
# resume, an invalid ID in the list, shards that add up to the whole run,
# the progress bar on a terminal, and the command-line errors.
. "$top_srcdir/tests/cli/lib.sh"
need openssl python3

ok_run "root" root my-root --at $AT
ok_run "intermediate" intermediate my-int my-root --at $AT

# pem_complete DIR: every PEM file of the device sets in DIR is whole (no
# half-written file under a final name); prints the bad ones.
pem_complete() {
	python3 - "$1" <<'EOF'
import base64, os, re, sys
d = sys.argv[1]
bad = []
for n in os.listdir(d):
    if not re.search(r'_(cert|key|fullchain)\.pem$', n):
        continue
    t = open(os.path.join(d, n)).read()
    blocks = re.findall(r'-----BEGIN ([A-Z ]+)-----\n([A-Za-z0-9+/=\n]+)-----END \1-----\n', t)
    if not blocks or not t.endswith('-----\n') or sum(len(b[0]) + len(b[1]) for b in blocks) == 0:
        bad.append(n)
        continue
    for _, body in blocks:
        base64.b64decode(body.replace('\n', ''), validate=True)
print(' '.join(bad))
EOF
}
# ids_of MANIFEST...: the device IDs of CSV manifests, header lines dropped.
ids_of() { for m in "$@"; do tail -n +2 "$m"; done | cut -d, -f1; }
temp_files() { find "$1" -name '*.tmp.*' -o -name '*.old.*' | wc -l; }

# ---- a run, and its manifest checked with openssl ----
mkdir run
ok_run "batch of 120 from a pattern, 2 jobs" batch --pattern 'sensor-{001..120}' --jobs 2 --out-dir run \
	--ca-cert my-int_fullchain.pem --ca-key my-int_key.pem --at $AT
check "one summary line on stdout" test "$(wc -l <"$T/.out")" -eq 1
check "summary: 120 devices, 120 issued, 0 failed" grep -q '^120 devices: 120 issued, 0 skipped (done before), 0 failed in ' "$T/.out"
check "nothing on stderr when it is not a terminal" test ! -s "$T/.err"
check "the files of 120 devices" test "$(ls run/*_cert.pem | wc -l) $(ls run/*_key.pem | wc -l) $(ls run/*_fullchain.pem | wc -l)" = "120 120 120"
check "no .pfx without --pfx" test "$(ls run | grep -c '\.pfx$')" -eq 0
check "CSV manifest: a header and 120 records" test "$(wc -l <run/manifest.csv)" -eq 121
check "CSV header" test "$(head -1 run/manifest.csv)" = \
	"device_id,serial,sha1_thumbprint,sha256_thumbprint,not_after,cert_path,key_path,fullchain_path,pfx_path"
check "records in ID order, each once" test "$(ids_of run/manifest.csv | tr '\n' ' ')" = \
	"$(for i in $(seq 1 120); do printf 'sensor-%03d ' "$i"; done)"
check "JSON lines manifest: 120 objects with the same records as the CSV" python3 -c '
import csv, json, sys
rows = list(csv.DictReader(open("run/manifest.csv")))
objs = [json.loads(l) for l in open("run/manifest.jsonl")]
assert len(objs) == 120 == len(rows)
for r, o in zip(rows, objs):
    assert o["pfx_path"] is None and r["pfx_path"] == ""
    del o["pfx_path"], r["pfx_path"]
    assert o == r, (o, r)
'
for dn in 001 047 120; do
	id=sensor-$dn
	rec=$(grep "^$id," run/manifest.csv)
	f=run/${id}_cert.pem
	check "$id: manifest serial is openssl's" test "$(echo "$rec" | cut -d, -f2)" = \
		"$(openssl x509 -in $f -noout -serial | sed 's/serial=//')"
	check "$id: manifest SHA-1 thumbprint is openssl's" test "$(echo "$rec" | cut -d, -f3)" = "$(fingerprint sha1 $f)"
	check "$id: manifest SHA-256 thumbprint is openssl's" test "$(echo "$rec" | cut -d, -f4)" = "$(fingerprint sha256 $f)"
	check "$id: manifest notAfter is openssl's" test "$(echo "$rec" | cut -d, -f5)" = \
		"$(date -u -d "$(openssl x509 -in $f -noout -enddate | sed 's/notAfter=//')" +%Y-%m-%dT%H:%M:%SZ)"
	check "$id: manifest paths" test "$(echo "$rec" | cut -d, -f6-9)" = \
		"run/${id}_cert.pem,run/${id}_key.pem,run/${id}_fullchain.pem,"
	check "$id: CN is the ID" test "$(openssl x509 -in $f -noout -subject -nameopt RFC2253 | sed 's/subject=//')" = "CN=$id"
	check "$id: openssl verify -x509_strict -purpose sslclient with its full chain" \
		openssl verify -x509_strict -purpose sslclient -attime $ATS -CAfile my-root_cert.pem \
		-untrusted run/${id}_fullchain.pem $f
	check "$id: the key belongs to the certificate" test \
		"$(openssl pkey -in run/${id}_key.pem -pubout)" = "$(openssl x509 -in $f -noout -pubkey)"
	check "$id: modes 644 cert, 600 key, 644 full chain" test \
		"$(mode_of $f) $(mode_of run/${id}_key.pem) $(mode_of run/${id}_fullchain.pem)" = "644 600 644"
done
check "serial numbers all differ" test "$(tail -n +2 run/manifest.csv | cut -d, -f2 | sort | uniq -d | wc -l)" -eq 0

ok_run "a second run of the finished batch" batch --pattern 'sensor-{001..120}' --out-dir run \
	--ca-cert my-int_fullchain.pem --ca-key my-int_key.pem --at $AT
check "second run: all 120 skipped, none issued" grep -q '^120 devices: 0 issued, 120 skipped' "$T/.out"
cp run/manifest.csv first.csv
check "second run: the same manifest" cmp -s first.csv run/manifest.csv

ok_run "--json summary" batch --pattern 'sensor-{001..120}' --out-dir run --json \
	--ca-cert my-int_fullchain.pem --ca-key my-int_key.pem --at $AT
check "--json: counts and manifests" test "$(json "(j['command'], j['total'], j['issued'], j['skipped'], j['failed'], j['manifest_csv'])")" = \
	"('batch', 120, 0, 120, 0, 'run/manifest.csv')"

# ---- kill -9 in the middle, then resume ----
mkdir kill
"$IOTX509" batch --pattern 'k-{0001..4000}' --jobs 2 --out-dir kill --ca-cert my-int_fullchain.pem \
	--ca-key my-int_key.pem --at $AT >/dev/null 2>&1 &
pid=$!
i=0
# A device is finished when its full chain, the last file of its set, is there.
finished() { ls "$1" 2>/dev/null | grep '_fullchain\.pem$'; }
while [ "$(finished kill | wc -l)" -lt 150 ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
done_before=$(finished kill | wc -l)
check "killed half-way: some devices done ($done_before), not all" test "$done_before" -ge 150 -a "$done_before" -lt 4000
check "killed: no manifest yet" test ! -e kill/manifest.csv
bad=$(pem_complete kill)
check "killed: no half-written file under a final name${bad:+ ($bad)}" test -z "$bad"
# Remember what was finished before the kill: it must not be issued again.
for f in $(finished kill | head -50); do
	id=${f%_fullchain.pem}
	echo "$id $(openssl x509 -in kill/${id}_cert.pem -noout -serial | sed 's/serial=//')"
done >before.txt
ok_run "resume after kill -9" batch --pattern 'k-{0001..4000}' --jobs 2 --out-dir kill \
	--ca-cert my-int_fullchain.pem --ca-key my-int_key.pem --at $AT
check "resume: the finished devices are skipped, the rest issued" \
	grep -q "^4000 devices: $((4000 - done_before)) issued, $done_before skipped (done before), 0 failed" "$T/.out"
check "resume: no temporary or backup files left" test "$(temp_files kill)" -eq 0
bad=$(pem_complete kill)
check "resume: every PEM file whole${bad:+ ($bad)}" test -z "$bad"
check "resume: the manifest has 4000 records" test "$(wc -l <kill/manifest.csv)" -eq 4001
check "resume: no device twice in the manifest" test "$(ids_of kill/manifest.csv | sort | uniq -d | wc -l)" -eq 0
check "resume: every device in the manifest, in order" test "$(ids_of kill/manifest.csv | md5sum)" = \
	"$(for i in $(seq 1 4000); do printf 'k-%04d\n' "$i"; done | md5sum)"
check "resume: the JSON lines manifest has 4000 records" test "$(wc -l <kill/manifest.jsonl)" -eq 4000
changed=0
while read -r id serial; do
	[ "$(openssl x509 -in kill/${id}_cert.pem -noout -serial | sed 's/serial=//')" = "$serial" ] || changed=$((changed + 1))
	grep -q "^$id,$serial," kill/manifest.csv || changed=$((changed + 1))
done <before.txt
check "resume: devices finished before the kill kept their certificate and are in the manifest as such" test $changed -eq 0

# ---- where the completion records are ----
# records DIR: how many full chains carry the attribute, and how many record files there are
records() {
	python3 - "$1" <<'EOF'
import os, sys
d = sys.argv[1]
x = 0
for n in os.listdir(d):
    if n.endswith('_fullchain.pem'):
        try:
            v = os.getxattr(os.path.join(d, n), 'user.iotx509.batch')
            x += v.startswith(b'iotx509-batch 2 ')
        except OSError:
            pass
done = os.path.join(d, '.iotx509-batch', 'done')
print(x, len([n for n in os.listdir(done) if n.endswith('.done')]))
EOF
}
if python3 -c 'import os, sys; open(sys.argv[1], "w").close(); os.setxattr(sys.argv[1], "user.iotx509.probe", b"1")' kill/.probe 2>/dev/null; then
	check "records: an extended attribute on each of the 4000 full chains, no record files" \
		test "$(records kill)" = "4000 0"
else
	check "records: no user extended attributes here, so 4000 record files" test "$(records kill)" = "0 4000"
fi
rm -f kill/.probe
mkdir nox
ok_run "--no-xattr" batch --pattern 'n-{1..30}' --jobs 2 --out-dir nox --no-xattr \
	--ca-cert my-int_fullchain.pem --ca-key my-int_key.pem --at $AT
check "--no-xattr: 30 record files, no attribute" test "$(records nox)" = "0 30"
ok_run "--no-xattr: rerun" batch --pattern 'n-{1..30}' --out-dir nox --no-xattr \
	--ca-cert my-int_fullchain.pem --ca-key my-int_key.pem --at $AT
check "--no-xattr: the rerun skips every device" grep -q '^30 devices: 0 issued, 30 skipped' "$T/.out"

# ---- an invalid ID in the list ----
mkdir bad
printf '# line 1 is a comment\nok-1\nBad_ID\nok-2\n\nok-3\n' >ids.txt
x batch --ids ids.txt --out-dir bad --ca-cert my-int_fullchain.pem --ca-key my-int_key.pem --at $AT
check "invalid ID: exit status 1" test "$rc" -eq 1
check "invalid ID: reported with its line number" grep -q "^iotx509 batch: line 3: device ID 'Bad_ID' has upper-case 'B'" "$T/.err"
check "invalid ID: one line on stderr" test "$(wc -l <"$T/.err")" -eq 1
check "invalid ID: the others are issued" grep -q '^4 devices: 3 issued, 0 skipped (done before), 1 failed' "$T/.out"
check "invalid ID: the manifest has the three others" test "$(ids_of bad/manifest.csv | tr '\n' ' ')" = "ok-1 ok-2 ok-3 "

# ---- a NUL byte in a line: reported as such, by its line; no line is lost ----
mkdir nul
printf 'u-1\nu\000x\nu-2\nu-3\n' >nul.txt
x batch --ids nul.txt --out-dir nul --ca-cert my-int_fullchain.pem --ca-key my-int_key.pem --at $AT
check "NUL byte: exit status 1, one line on stderr" test "$rc" -eq 1 -a "$(wc -l <"$T/.err")" -eq 1
check "NUL byte: reported at line 2 as a NUL byte" \
	grep -qx "iotx509 batch: line 2: the device ID holds a NUL byte (character 2 of the line)" "$T/.err"
check "NUL byte: the line after it is issued" test "$(ids_of nul/manifest.csv | tr '\n' ' ')" = "u-1 u-2 u-3 "

# ---- IDs from a pipe: read once, every ID issued ----
mkdir pipe-dash pipe-dev
printf 'i-1\n# a comment\ni-2\ni-3\n' | "$IOTX509" batch --ids - --out-dir pipe-dash --ca-cert my-int_fullchain.pem \
	--ca-key my-int_key.pem --at $AT >"$T/.out" 2>"$T/.err"
check "--ids - from a pipe: exit 0" test $? -eq 0
check "--ids - from a pipe: 3 issued" grep -q '^3 devices: 3 issued, 0 skipped (done before), 0 failed' "$T/.out"
check "--ids - from a pipe: all three in the manifest" test "$(ids_of pipe-dash/manifest.csv | tr '\n' ' ')" = "i-1 i-2 i-3 "
printf 'j-1\nj-2\n' | "$IOTX509" batch --ids /dev/stdin --out-dir pipe-dev --ca-cert my-int_fullchain.pem \
	--ca-key my-int_key.pem --at $AT >"$T/.out" 2>"$T/.err"
check "--ids /dev/stdin from a pipe: exit 0, 2 issued" grep -q '^2 devices: 2 issued' "$T/.out"
check "--ids /dev/stdin from a pipe: both in the manifest" test "$(ids_of pipe-dev/manifest.csv | tr '\n' ' ')" = "j-1 j-2 "
: | "$IOTX509" batch --ids - --out-dir pipe-dev --ca-cert my-int_fullchain.pem --ca-key my-int_key.pem --at $AT \
	>"$T/.out" 2>"$T/.err"
rc=$?
check "--ids - from an empty pipe: exit 1, one line, nothing on stdout" eval \
	'[ $rc -eq 1 ] && [ "$(wc -l <"$T/.err")" -eq 1 ] && [ ! -s "$T/.out" ] &&
	 grep -q "standard input: no device ID: the input was empty" "$T/.err"'

# ---- shards: the union is the full run, the shards are disjoint ----
mkdir shards
for k in 1 2 3; do
	"$IOTX509" batch --pattern 'sensor-{001..120}' --shard $k/3 --jobs 1 --out-dir shards \
		--ca-cert my-int_fullchain.pem --ca-key my-int_key.pem --at $AT >shard$k.out 2>shard$k.err &
	eval "pid$k=\$!"
done
st=0
for k in 1 2 3; do eval "wait \$pid$k" || st=1; done
check "three shards run side by side in one directory" test $st -eq 0
check "each shard has 40 devices" test "$(cat shard1.out shard2.out shard3.out | grep -c '^40 devices: 40 issued')" -eq 3
check "each shard wrote its own manifest" test -s shards/manifest-1-of-3.csv -a -s shards/manifest-2-of-3.csv \
	-a -s shards/manifest-3-of-3.csv -a -s shards/manifest-3-of-3.jsonl
check "the shards are disjoint" test "$(ids_of shards/manifest-*-of-3.csv | sort | uniq -d | wc -l)" -eq 0
check "the union of the shards is the full run" test "$(ids_of shards/manifest-*-of-3.csv | sort | tr '\n' ' ')" = \
	"$(ids_of run/manifest.csv | sort | tr '\n' ' ')"
check "shard 2/3 holds every third ID from the second" test "$(ids_of shards/manifest-2-of-3.csv | head -3 | tr '\n' ' ')" = \
	"sensor-002 sensor-005 sensor-008 "

# ---- .pfx files ----
mkdir pfx
ok_run "--pfx" batch --pattern 'p-{1..3}' --pfx --out-dir pfx --ca-cert my-int_fullchain.pem \
	--ca-key my-int_key.pem --at $AT
check "--pfx: says on stderr that the .pfx files have the default password" grep -q "default password '1234'" "$T/.err"
check "--pfx: p-2.pfx opens with openssl and holds the key and 3 certificates" eval \
	'test "$(openssl pkcs12 -in pfx/p-2.pfx -passin pass:1234 -nodes 2>/dev/null | grep -c "BEGIN CERTIFICATE")" = 3 &&
	 openssl pkcs12 -in pfx/p-2.pfx -passin pass:1234 -nodes 2>/dev/null | grep -q "BEGIN PRIVATE KEY"'
check "--pfx: the manifest names the .pfx" grep -q '^p-2,.*,pfx/p-2_fullchain.pem,pfx/p-2.pfx$' pfx/manifest.csv

# ---- --pfx on a rerun over devices issued without it: the .pfx files are added ----
mkdir later
ok_run "without --pfx" batch --pattern 'l-{1..6}' --out-dir later --ca-cert my-int_fullchain.pem \
	--ca-key my-int_key.pem --at $AT
sha_before=$(fingerprint sha256 later/l-4_cert.pem)
ok_run "the rerun with --pfx" batch --pattern 'l-{1..6}' --pfx --password pw-later --out-dir later \
	--ca-cert my-int_fullchain.pem --ca-key my-int_key.pem --at $AT
check "the rerun: nothing issued again, six skipped" grep -q '^6 devices: 0 issued, 6 skipped' "$T/.out"
check "the rerun: every device has its .pfx" test "$(ls later/l-*.pfx | wc -l)" -eq 6
check "the rerun: l-4.pfx holds l-4's own certificate, with the password given" test \
	"$(openssl pkcs12 -in later/l-4.pfx -passin pass:pw-later -nokeys -clcerts 2>/dev/null | openssl x509 -noout -fingerprint -sha256 | sed 's/.*=//; s/://g')" = "$sha_before"
check "the rerun: the manifest names all six .pfx files" test "$(grep -c '\.pfx$' later/manifest.csv)" -eq 6

# ---- the progress bar on a terminal ----
if command -v script >/dev/null 2>&1; then
	mkdir tty
	script -qec "'$IOTX509' batch --pattern 't-{1..200}' --jobs 2 --out-dir tty --ca-cert my-int_fullchain.pem --ca-key my-int_key.pem --at $AT" /dev/null >tty.out 2>&1
	check "on a terminal: a progress bar with count, rate and ETA" grep -aq '\[#*\.*\] *[0-9]*% [0-9]*/200  [0-9]*/s  elapsed [0-9:]*  ETA ' tty.out
	check "on a terminal: it ends at 100% and the summary follows" eval \
		'grep -aq "100% 200/200" tty.out && grep -aq "^200 devices: 200 issued" tty.out'
else
	echo "# script (util-linux) not installed: the progress bar is not checked"
fi

# ---- command-line errors ----
fail_run "--ids and --pattern together" 2 "give --ids FILE or --pattern PATTERN" batch --ids ids.txt --pattern 'a{1..2}'
fail_run "neither --ids nor --pattern" 2 "give --ids FILE or --pattern PATTERN" batch my-int
fail_run "--shard 0/3" 2 "--shard: '0/3' is not K/N" batch --pattern 'a{1..2}' --shard 0/3
fail_run "--shard 4/3" 2 "--shard: '4/3' is not K/N" batch --pattern 'a{1..2}' --shard 4/3
fail_run "--shard 2" 2 "--shard: '2' is not K/N" batch --pattern 'a{1..2}' --shard 2
fail_run "--jobs 0" 2 "--jobs: at least 1" batch --pattern 'a{1..2}' --jobs 0
fail_run "--password without --pfx" 2 "need --pfx" batch --pattern 'a{1..2}' --password x
fail_run "a pattern without a range" 1 "pattern 'sensor' has no \{FIRST..LAST\} range" batch --pattern sensor \
	--ca-cert my-int_fullchain.pem --ca-key my-int_key.pem --at $AT
fail_run "a missing ID file" 1 "no-such.txt: cannot open the ID file" batch --ids no-such.txt \
	--ca-cert my-int_fullchain.pem --ca-key my-int_key.pem --at $AT
ok_run "a missing output directory is created" batch \
	--pattern 'a{1..2}' --out-dir no-such-dir/sub --ca-cert my-int_fullchain.pem --ca-key my-int_key.pem --at $AT
check "  ... mode 755, with the two devices" test "$(mode_of no-such-dir/sub) $(ls no-such-dir/sub/*_cert.pem | wc -l)" = "755 2"
# A second batch in a directory where the same shard runs.
mkdir busy
"$IOTX509" batch --pattern 'b-{1..100000}' --jobs 1 --out-dir busy --ca-cert my-int_fullchain.pem \
	--ca-key my-int_key.pem --at $AT >/dev/null 2>&1 &
pid=$!
i=0
while [ ! -e busy/.iotx509-batch/shard-1-of-1.lock ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
sleep 0.2
fail_run "a second batch in the same directory" 1 "another batch is already running in busy" batch \
	--pattern 'b-{1..100000}' --out-dir busy --ca-cert my-int_fullchain.pem --ca-key my-int_key.pem --at $AT
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
finish
