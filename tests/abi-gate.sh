#!/bin/sh
# The ABI gate can fail: build the library from a scratch copy of lib/ and
# include/, make a baseline from the unchanged copy, then change the copy the
# ways that break callers (a public struct member retyped, a function removed,
# an enum value changed, an options struct grown without its version raised,
# a function added to the released node) and check that `scripts/abi.sh
# check` fails for each, and passes for the compatible changes (a function
# added in a new node, an options struct grown at its end with its version
# raised). Only the library is built, at -O0, straight with $CC.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}"
: "${CC:=cc}"
for tool in abidw abidiff pkg-config; do
	command -v $tool >/dev/null 2>&1 || { echo "SKIP: $tool not installed (scripts/install-deps.sh installs it)"; exit 77; }
done
for f in config.h lib/pkix-asn1-table.c lib/pkcs12-asn1-table.c include/iotx509/version.h; do
	[ -f "$top_builddir/$f" ] || { echo "FAIL: $top_builddir/$f missing: build first"; exit 1; }
done
start=$(date +%s)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
deps=$(pkg-config --cflags --libs gnutls libtasn1)
# The gate under test: the real scripts/abi.sh, run on the scratch tree.
abi_sh=$top_srcdir/scripts/abi.sh

# $tmp/src is the changed tree; $tmp/obj/NAME.o its objects.
cp -R "$top_srcdir/include" "$top_srcdir/lib" "$tmp/" && mkdir -p "$tmp/src" "$tmp/obj"
mv "$tmp/include" "$tmp/lib" "$tmp/src/"
cp "$top_builddir/include/iotx509/version.h" "$tmp/src/include/iotx509/"
cp "$top_builddir"/lib/*-asn1-table.c "$tmp/src/lib/"
cp "$top_builddir/config.h" "$tmp/src/"

compile() {
	ls "$tmp"/src/lib/*.c | xargs -P 2 -I{} sh -c \
		'f={}; b=$(basename "$f" .c); '"$CC"' -c -g -O0 -fPIC -fvisibility=hidden -DIOTX509_BUILDING -DHAVE_CONFIG_H \
		-I'"$tmp/src"' -I'"$tmp/src/include"' '"$deps"' -o '"$tmp/obj"'/$b.o "$f"'
}
link() {
	set -e
	rm -f "$tmp/libiotx509.so"
	# shellcheck disable=SC2086
	$CC -shared -o "$tmp/libiotx509.so" "$tmp"/obj/*.o -Wl,-soname,libiotx509.so.0 \
		-Wl,--version-script="$tmp/src/lib/libiotx509.map" $deps
}
# check NAME EXPECT: run the gate on the copy; EXPECT is pass or fail.
status=0
check() {
	rc=0
	top_srcdir="$tmp/src" top_builddir="$tmp/none" ABI_BASELINE="$tmp/base" \
		"$abi_sh" check "$tmp/libiotx509.so" > "$tmp/out" 2>&1 || rc=$?
	if { [ "$2" = pass ] && [ $rc -eq 0 ]; } || { [ "$2" = fail ] && [ $rc -ne 0 ]; }; then
		echo "ok: $1: abi-check ${2}ed ($(grep -m1 -E '^(FAIL|abi.sh)' "$tmp/out" || true))"
	else
		echo "FAIL: $1: abi-check should $2 (exit $rc):"; cat "$tmp/out"; status=1
	fi
}
# edit FILE SED-EXPR: change the copy, failing if the expression matched nothing.
edit() {
	cp "$tmp/src/$1" "$tmp/before"
	sed -i "$2" "$tmp/src/$1"
	! cmp -s "$tmp/before" "$tmp/src/$1" || { echo "FAIL: '$2' changed nothing in $1 (test out of date)"; exit 1; }
}
snapshot() { rm -rf "$tmp/orig"; cp -R "$tmp/src" "$tmp/orig"; }
restore() { rm -rf "$tmp/src"; cp -R "$tmp/orig" "$tmp/src"; }

compile || exit 1; link
top_srcdir="$tmp/src" top_builddir="$tmp/none" ABI_BASELINE="$tmp/base" \
	"$abi_sh" baseline "$tmp/libiotx509.so" >/dev/null
cp "$top_srcdir/abi/options.suppr" "$tmp/base/" 2>/dev/null || true
mkdir -p "$tmp/src/abi" && cp "$top_srcdir/abi/options.suppr" "$tmp/src/abi/"
snapshot
check "unchanged library" pass

# A function removed (from the map: it is no longer exported).
edit lib/libiotx509.map '/^\tiotx509_cert_dup;$/d'
link; check "iotx509_cert_dup removed" fail
restore

# A function added in a new version node: compatible.
cat > "$tmp/src/lib/zz-added.c" <<'EOF'
#include "iotx509/common.h"
IOTX509_EXTERN int iotx509_abi_gate_probe(int x);
int iotx509_abi_gate_probe(int x) { return x + 1; }
EOF
echo 'IOTX509_0.2 { global: iotx509_abi_gate_probe; } IOTX509_0.1;' >> "$tmp/src/lib/libiotx509.map"
$CC -c -g -O0 -fPIC -fvisibility=hidden -DIOTX509_BUILDING -I"$tmp/src/include" -o "$tmp/obj/zz-added.o" "$tmp/src/lib/zz-added.c"
link; check "function added in new node IOTX509_0.2" pass
# The same function added to the released node: refused.
restore
edit lib/libiotx509.map 's/^\tiotx509_cert_dup;$/&\n\tiotx509_abi_gate_probe;/'
link; check "function added to the released node IOTX509_0.1" fail
rm -f "$tmp/obj/zz-added.o"
restore

# A public struct member retyped (every member after it moves).
edit include/iotx509/verify.h 's/^\tint64_t at;  *\(.*iotx509_verify_options\)\{0,1\}/\tint32_t at; /'
compile || exit 1; link; check "iotx509_verify_options.at retyped int64_t -> int32_t" fail
restore

# An enum value changed.
edit include/iotx509/pkcs12.h 's/IOTX509_PKCS12_COMPAT = 1 /IOTX509_PKCS12_COMPAT = 2 /'
compile || exit 1; link; check "IOTX509_PKCS12_COMPAT changed 1 -> 2" fail
restore

# An options struct grown at its end: only with its version raised.
edit include/iotx509/verify.h 's/^\tunsigned int flags;.*iotx509_verify_flags.*$/&\n\tunsigned int appended; \/**< test *\//'
compile || exit 1; link; check "iotx509_verify_options grown, version not raised" fail
edit include/iotx509/verify.h 's/^#define IOTX509_VERIFY_OPTIONS_VERSION 1$/#define IOTX509_VERIFY_OPTIONS_VERSION 2/'
# The library's table gains the new version's size (lib/internal.h IOX_OPTS_TYPE).
edit lib/verify.c 's/IOTX509_VERIFY_OPTIONS_VERSION, sizeof(iotx509_verify_options));/IOTX509_VERIFY_OPTIONS_VERSION,\n\toffsetof(iotx509_verify_options, appended), sizeof(iotx509_verify_options));/'
compile || exit 1; link; check "iotx509_verify_options grown at its end, version raised to 2" pass
restore
# A member inserted before the end is a break even with the version raised.
edit include/iotx509/verify.h 's/^\tunsigned int flags;.*iotx509_verify_flags.*$/\tint64_t inserted; \/**< test *\/\n&/'
edit include/iotx509/verify.h 's/^#define IOTX509_VERIFY_OPTIONS_VERSION 1$/#define IOTX509_VERIFY_OPTIONS_VERSION 2/'
edit lib/verify.c 's/IOTX509_VERIFY_OPTIONS_VERSION, sizeof(iotx509_verify_options));/IOTX509_VERIFY_OPTIONS_VERSION,\n\tsizeof(iotx509_verify_options), sizeof(iotx509_verify_options));/'
compile || exit 1; link; check "member inserted in the middle of iotx509_verify_options, version raised" fail
restore

echo "abi-gate: $(($(date +%s) - start)) s"
exit $status
