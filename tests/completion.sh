#!/bin/sh
# The bash completion (completion/iotx509) offers every command of the
# tool's command table (src/main.c) and, for several commands, exactly the
# long options of the command's getopt table (src/cmd-*.c, macros expanded
# by the preprocessor), and file names where a file goes.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}"
: "${CC:=cc}"
command -v bash >/dev/null 2>&1 || { echo "SKIP: bash not installed"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
status=0

# offered WORD...: what the completion offers for the command line WORD...
# (the cursor at the end of the last word), one per line, sorted.
cat > "$tmp/complete.bash" <<'EOS'
. "$top_srcdir/completion/iotx509"
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
compopt() { :; }
_iotx509
((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}" | sort
EOS
offered() { (cd "$tmp/work" && PATH="$top_builddir/src:$PATH" top_srcdir=$top_srcdir bash "$tmp/complete.bash" "$@"); }
mkdir "$tmp/work"

sed -n 's/^[[:space:]]*{ "\([a-z0-9-]*\)", cmd_[a-z0-9_]*,.*/\1/p' "$top_srcdir/src/main.c" | sort > "$tmp/commands"
[ -s "$tmp/commands" ] || { echo "FAIL: no command table found in src/main.c"; exit 1; }
offered iotx509 '' | grep -v '^-' > "$tmp/offered"
if diff -u "$tmp/commands" "$tmp/offered"; then
	echo "ok: commands: $(wc -l < "$tmp/commands") offered, as src/main.c's table"
else
	echo "FAIL: the completion's commands differ from src/main.c's table"; status=1
fi

# The long options of the first getopt table in FILE, macros expanded.
options_of() {
	$CC -E -P -DHAVE_CONFIG_H -I"$top_builddir" -I"$top_builddir/include" -I"$top_srcdir/include" \
		-I"$top_srcdir/src" $(pkg-config --cflags gnutls 2>/dev/null) "$top_srcdir/src/$1" |
		awk '/const struct option [a-z_]*opts\[\] *= *\{/ { on = 1 } on { print } on && /;/ { exit }' |
		grep -o '{ *"[a-z0-9-]*"' | sed 's/{ *"/--/; s/"$//' | sort -u
}
for pair in verify:cmd-verify.c chain:cmd-chain.c lint:cmd-lint.c csr:cmd-csr.c \
	batch:cmd-batch.c check:cmd-check.c tree:cmd-tree.c expiry:cmd-expiry.c renew:cmd-renew.c; do
	cmd=${pair%%:*} file=${pair#*:}
	options_of "$file" > "$tmp/table"
	[ -s "$tmp/table" ] || { echo "FAIL: no option table in src/$file"; status=1; continue; }
	offered iotx509 "$cmd" -- > "$tmp/offered"
	if diff -u "$tmp/table" "$tmp/offered"; then
		echo "ok: $cmd: $(wc -l < "$tmp/table") options offered, as src/$file's table"
	else
		echo "FAIL: iotx509 $cmd --<TAB> differs from src/$file's option table"; status=1
	fi
done

# File names where files go, directories for a DIR, nothing for a number.
touch "$tmp/work/root_cert.pem" "$tmp/work/root_key.pem"
mkdir "$tmp/work/rootdir"
check() {
	got=$(offered "$@" | tr '\n' ' ')
	if [ "$got" = "$want" ]; then echo "ok: $*<TAB>: $got"
	else echo "FAIL: $*<TAB> offered '$got', expected '$want'"; status=1; fi
}
want='root_cert.pem ' check iotx509 verify --trust root_c
want='root_cert.pem root_key.pem rootdir ' check iotx509 device mydev --ca-key root
want='rootdir ' check iotx509 device mydev --out-dir ro
want='' check iotx509 device mydev --days 3
want='export import ' check iotx509 p12 ''
want='--edge-ca-cert --edge-ca-key ' check iotx509 edge-config --edge-ca-
exit $status
