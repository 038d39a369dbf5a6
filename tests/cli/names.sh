#!/bin/sh
# --names create-test-cert, and the README's "From create_test_cert.js /
# certGen.sh" tables kept honest: every iotx509 command in them is run and
# must write exactly the files the table lists (for create_test_cert.js, the
# same names the script wrote into tests/data/foreign/create_test_cert).
. "$top_srcdir/tests/cli/lib.sh"
need_fixtures
need openssl python3

# The rows of the tables under "## From create_test_cert.js / certGen.sh":
# "TABLE" before each table, then "command<TAB>script files<TAB>iotx509 files"
# (file lists space-separated, without the backticks and remarks).
python3 - "$top_srcdir/README.md" >rows.txt <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
sec = text.split("## From create_test_cert.js / certGen.sh", 1)[1].split("\n## ", 1)[0]
in_table = False
for line in sec.splitlines():
    if not line.startswith("|"):
        in_table = False
        continue
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if cells[0].startswith("---"):
        continue
    if not in_table:
        in_table = True
        print("TABLE")
        continue
    code = lambda c: re.findall(r"`([^`]*)`", c)
    cmd = code(cells[1])
    if len(cmd) != 1 or not cmd[0].startswith("iotx509 "):
        sys.exit("row without one iotx509 command: " + line)
    print("\t".join([cmd[0][len("iotx509 "):], " ".join(code(cells[2])), " ".join(code(cells[3]))]))
EOF
check "the README has both tables" test "$(grep -c '^TABLE$' rows.txt)" -eq 2
check "  with 11 rows" test "$(grep -vc '^TABLE$' rows.txt)" -eq 11

table=0
tab=$(printf '\t')
while IFS="$tab" read -r cmd script_files files; do
	if [ "$cmd" = TABLE ]; then
		table=$((table + 1))
		mkdir "table$table"
		continue
	fi
	(cd "table$table" && ls -A | sort) >before.txt
	(cd "table$table" && eval "set -- $cmd" && "$IOTX509" "$@" >"$T/.out" 2>"$T/.err")
	rc=$?
	check "table $table: iotx509 $cmd" test "$rc" -eq 0
	(cd "table$table" && ls -A | sort) >after.txt
	written=$(comm -13 before.txt after.txt | tr '\n' ' ' | sed 's/ $//')
	listed=$(printf '%s\n' $files | sort | tr '\n' ' ' | sed 's/ $//')
	check "  writes exactly $listed" test "$written" = "$listed"
	if [ "$table" -eq 1 ]; then
		check "  the names create_test_cert.js writes" test "$files" = "$script_files"
		missing=""
		for f in $script_files; do [ -f "$FIX/create_test_cert/$f" ] || missing="$missing $f"; done
		check "  which are the files in the script's own output (tests/data/foreign)${missing:+, missing:$missing}" \
			test -z "$missing"
	fi
done <rows.txt

# The certGen.sh equivalents make the CNs the script makes.
cn_of() { openssl x509 -in "$1" -noout -subject -nameopt RFC2253; }
check "certGen.sh table: the root's CN is the script's" test "$(cn_of table2/my-root_cert.pem)" = \
	"$(cn_of "$FIX/certgen_sh/azure-iot-test-only.root.ca.cert.pem")"
check "  the intermediate's" test "$(cn_of table2/my-inter_cert.pem)" = \
	"$(cn_of "$FIX/certgen_sh/azure-iot-test-only.intermediate.cert.pem")"
check "  the edge CA's (NAME.ca)" test "$(cn_of table2/myEdgeDevice_cert.pem)" = "$(cn_of "$FIX/certgen_sh/new-edge-device.cert.pem")"

cd table1 || exit 99
check "camel-cased file names, the CN stays the device ID" test \
	"$(openssl x509 -in sampleDevice01_cert.pem -noout -subject -nameopt RFC2253)" = "subject=CN=sample-device-01"
check "  and the full chain is leaf, root" test "$(subjects sampleDevice01_fullchain.pem | tr '\n' ,)" = \
	"CN=sample-device-01,CN=mytestrootcert,"
check "  the .pfx as the guide imports it (password 1234)" \
	openssl pkcs12 -in sampleDevice01.pfx -passin pass:1234 -noout
fail_run "a second ID with the same camel-cased stem is refused" 1 \
	"sampleDevice01_cert.pem belongs to 'sample-device-01': 'sample_device_01' gives the same create_test_cert.js name 'sampleDevice01'" \
	device sample_device_01 mytestrootcert --names create-test-cert
fail_run "  ... even with --force" 1 "belongs to 'sample-device-01'" \
	device sample_device_01 mytestrootcert --names create-test-cert --force
check "  the first device's files are untouched" test \
	"$(openssl x509 -in sampleDevice01_cert.pem -noout -subject -nameopt RFC2253)" = "subject=CN=sample-device-01"
ok_run "the same ID again with --force replaces its own files" device sample-device-01 mytestrootcert \
	--names create-test-cert --force
check "  device presents sampleDevice01_cert.pem (issued by the root)" grep -q '^device presents sampleDevice01_cert.pem ' "$T/.out"
ok_run "--out NAME is kept verbatim" device sample-device-02 mytestrootcert --names create-test-cert --out my-Stem_01
check "  my-Stem_01_cert.pem" test -f my-Stem_01_cert.pem
ok_run "a CA with a dash in its name" root my-test-root --names create-test-cert
check "  myTestRoot_cert.pem, CN my-test-root" test \
	"$(openssl x509 -in myTestRoot_cert.pem -noout -subject -nameopt RFC2253)" = "subject=CN=my-test-root"
check "  says to upload myTestRoot_cert.pem" grep -q '^upload myTestRoot_cert.pem to the service' "$T/.out"
ok_run "PARENT is camel-cased as the script reads it" device dev-x my-test-root --names create-test-cert
check "  devX_cert.pem issued by my-test-root" test "$(openssl x509 -in devX_cert.pem -noout -issuer -nameopt RFC2253)" = \
	"issuer=CN=my-test-root"
ok_run "without --names, PARENT is taken verbatim" device dev-y myTestRoot
check "  dev-y_cert.pem" test -f dev-y_cert.pem
fail_run "an unknown style" 2 "--names: unknown style 'camel' \(verbatim, create-test-cert\)" \
	device dev-z mytestrootcert --names camel
fail_run "a name that leaves no stem" 1 "'__' gives the file name stem ''" root __ --names create-test-cert
fail_run "a non-ASCII name" 1 "ASCII names only" root "gerät-root" --names create-test-cert --id-policy any
ok_run "--names verbatim is the default" device Dev-Q mytestrootcert --names verbatim --id-policy any
check "  Dev-Q_cert.pem" test -f Dev-Q_cert.pem
cd .. || exit 99

# ---- batch: the same names, and IDs that collide ----
printf 'sample-device-01\ndev-a\nsample_device_01\ndev.b\n' >ids.txt
mkdir batch
x batch --ca-cert table1/mytestrootcert_cert.pem --ca-key table1/mytestrootcert_key.pem --ids ids.txt \
	--out-dir batch --names create-test-cert --jobs 2
check "batch --names: exit 1 for the colliding ID" test "$rc" -eq 1
check "  one line naming both IDs" eval 'test "$(wc -l <"$T/.err")" -eq 1 &&
	grep -q "line 3: device ID .sample_device_01. gets the file name stem .sampleDevice01. of .sample-device-01. (line 1)" "$T/.err"'
check "  the others have camel-cased files" test "$(files_in batch)" = \
	".iotx509-batch devA_cert.pem devA_fullchain.pem devA_key.pem devB_cert.pem devB_fullchain.pem devB_key.pem manifest.csv manifest.jsonl sampleDevice01_cert.pem sampleDevice01_fullchain.pem sampleDevice01_key.pem"
check "  the manifest keeps the IDs and names the files" eval 'grep -q "^dev.b,.*,batch/devB_cert.pem,batch/devB_key.pem,batch/devB_fullchain.pem," batch/manifest.csv'
check "  each device presents its ID_cert.pem (issued by the root)" grep -q '; each device presents its ID_cert.pem (issued by the root the service holds)$' "$T/.out"
finish
