#!/bin/sh
# The shared library exports exactly the functions the public headers
# declare, each with a version node, and nothing else.
set -eu
lib="$top_builddir/lib/.libs/libiotx509.so"
[ -f "$lib" ] || { echo "SKIP: no shared library built"; exit 77; }
: "${OBJDUMP:=objdump}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$OBJDUMP" -T "$lib" | awk '$2 == "g" && $4 != "*UND*" { print $(NF-1), $NF }' | sort > "$tmp/exported"
grep -ho '^IOTX509_EXTERN[^(]*(' "$top_srcdir"/include/iotx509/*.h |
	sed -E 's/.*[ *](iotx509_[a-z0-9_]+)\($/\1/' | sort -u > "$tmp/declared"
awk '{ print $2 }' "$tmp/exported" | grep -v '^IOTX509_' | sort -u > "$tmp/names"
status=0
if ! diff -u "$tmp/declared" "$tmp/names"; then
	echo "FAIL: exported symbols differ from the functions declared IOTX509_EXTERN in include/"
	status=1
fi
# The version script lists exactly the declared functions: a stray or
# stale entry there is an error too.
sed -n '/^global:/,/^local:/p' "$top_srcdir/lib/libiotx509.map" | grep -v -e '^global:' -e '^local:' |
	tr -d ' \t;' | grep . | sort -u > "$tmp/map"
if ! diff -u "$tmp/declared" "$tmp/map"; then
	echo "FAIL: lib/libiotx509.map differs from the functions declared IOTX509_EXTERN in include/"
	status=1
fi
if awk '$1 !~ /^IOTX509_[0-9]+\.[0-9]+$/ && $2 !~ /^IOTX509_/' "$tmp/exported" | grep .; then
	echo "FAIL: the symbols above have no IOTX509_x.y version node"
	status=1
fi
soname=$("$OBJDUMP" -p "$lib" | awk '$1 == "SONAME" { print $2 }')
if [ "$soname" != "libiotx509.so.0" ]; then
	echo "FAIL: soname is '$soname', expected libiotx509.so.0"
	status=1
fi
[ $status -eq 0 ] && echo "PASS: $(wc -l < "$tmp/names") symbols, all versioned, soname $soname"
exit $status
