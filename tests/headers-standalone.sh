#!/bin/sh
# Each public header compiles on its own as strict C99 and as C++.
set -eu
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
: "${CC:=cc}"
n=0
for h in "$top_srcdir"/include/iotx509.h "$top_srcdir"/include/iotx509/*.h; do
	rel=${h#"$top_srcdir"/include/}
	printf '#include <%s>\nint iotx509_header_test_dummy;\n' "$rel" > "$tmp/t.c"
	$CC -std=c99 -Wall -Wextra -pedantic -Werror -I"$top_builddir/include" -I"$top_srcdir/include" \
		-c "$tmp/t.c" -o "$tmp/t.o" || { echo "FAIL: $rel does not compile alone as C99"; exit 1; }
	if command -v c++ >/dev/null 2>&1; then
		cp "$tmp/t.c" "$tmp/t.cc"
		c++ -Wall -Wextra -pedantic -Werror -I"$top_builddir/include" -I"$top_srcdir/include" \
			-c "$tmp/t.cc" -o "$tmp/t.o" || { echo "FAIL: $rel does not compile as C++"; exit 1; }
	fi
	if grep -Eq '#include <(gnutls|libtasn1)' "$h"; then
		echo "FAIL: $rel exposes GnuTLS or libtasn1"; exit 1
	fi
	n=$((n + 1))
done
echo "PASS: $n public headers compile alone (C99 -pedantic -Werror, C++)"
