#!/bin/sh
# The ABI gate (doc/abi.md says the rules it enforces).
#
#   scripts/abi.sh baseline [LIB]   write abi/libiotx509.abi and abi/options-versions
#                                   from the built library (at a release, or after
#                                   an agreed break before 0.1 is tagged)
#   scripts/abi.sh check [LIB]      compare the built library with the baseline; fail
#                                   on anything but additions in a newer version node
#
# `make abi-baseline` and `make abi-check` call it with the build directory's
# library. LIB defaults to $top_builddir/lib/.libs/libiotx509.so; it must be
# built with -g (the default CFLAGS are "-g -O2"). Environment:
#   top_srcdir, top_builddir  source and build trees (default: this repository, ./build)
#   ABI_BASELINE              the baseline directory (default $top_srcdir/abi); the
#                             gate's own test points it at a scratch baseline
set -eu
usage() { echo "usage: $0 baseline|check [LIB]" >&2; exit 2; }
[ $# -ge 1 ] || usage
mode=$1
here=$(cd "$(dirname "$0")/.." && pwd)
: "${top_srcdir:=$here}"
: "${top_builddir:=$here/build}"
: "${ABI_BASELINE:=$top_srcdir/abi}"
lib=${2:-$top_builddir/lib/.libs/libiotx509.so}
base_abi=$ABI_BASELINE/libiotx509.abi
base_opts=$ABI_BASELINE/options-versions

for tool in abidw abidiff; do
	command -v $tool >/dev/null 2>&1 ||
		{ echo "abi.sh: $tool not found: install abigail-tools (scripts/install-deps.sh)" >&2; exit 1; }
done
[ -f "$lib" ] || { echo "abi.sh: $lib not found: build the library first" >&2; exit 1; }
if ! LC_ALL=C readelf -S "$lib" | grep -q '\.debug_info'; then
	echo "abi.sh: $lib has no debug information: configure with CFLAGS containing -g" >&2
	exit 1
fi

# The public headers: the installed ones from the source tree plus the
# generated version.h. Types declared only in lib/ are private and dropped,
# so the opaque handles' layout is not part of the ABI. No paths, locations
# or undefined (GnuTLS) symbols: the file is the same from any build directory.
dump() {
	hd="--headers-dir $top_srcdir/include/iotx509"
	[ -d "$top_builddir/include/iotx509" ] && hd="$hd --headers-dir $top_builddir/include/iotx509"
	# shellcheck disable=SC2086
	abidw $hd --header-file "$top_srcdir/include/iotx509.h" --drop-private-types \
		--no-corpus-path --no-show-locs --no-comp-dir-path --drop-undefined-syms \
		--type-id-style hash --out-file "$1" "$lib"
}

# The options structs' version constants, "IOTX509_X_OPTIONS_VERSION N" a line.
options_versions() {
	cat "$top_srcdir"/include/iotx509/*.h |
		sed -n 's/^#define \(IOTX509_[A-Z0-9_]*_OPTIONS_VERSION\) \([0-9][0-9]*\).*/\1 \2/p' | sort
}

# "name size-in-bits member,member,..." of every public iotx509_*_options
# struct in an ABI file (a member appended into padding keeps the size).
options_layout() {
	awk -v q="'" '
	function attr(line, key,    p) { p = index(line, key "=" q); if (!p) return ""
		line = substr(line, p + length(key) + 2); return substr(line, 1, index(line, q) - 1) }
	/<class-decl name=.iotx509_[a-z0-9_]*_options. size-in-bits=/ {
		name = attr($0, "name"); size = attr($0, "size-in-bits"); members = ""; inside = 1; next }
	inside && /<var-decl / { members = members attr($0, "name") "," }
	inside && /<\/class-decl>/ { print name, size, members; inside = 0 }
	' "$1" | sort -u
}

# The newest IOTX509_x.y node an ABI file's symbols use.
newest_node() {
	grep -o "version='IOTX509_[0-9.]*'" "$1" | sed "s/version='//; s/'//" | sort -u -V | tail -n 1
}

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

case $mode in
baseline)
	mkdir -p "$ABI_BASELINE"
	dump "$tmp/new.abi"
	mv "$tmp/new.abi" "$base_abi"
	options_versions > "$base_opts"
	echo "abi.sh: wrote $base_abi ($(grep -c '<elf-symbol ' "$base_abi") symbols, newest node $(newest_node "$base_abi")) and $base_opts"
	;;
check)
	[ -f "$base_abi" ] || { echo "abi.sh: no baseline $base_abi (scripts/abi.sh baseline makes it)" >&2; exit 1; }
	dump "$tmp/cur.abi"
	rc=0
	abidiff --no-show-locs --suppressions "$top_srcdir/abi/options.suppr" \
		"$base_abi" "$tmp/cur.abi" > "$tmp/report" 2>&1 || rc=$?
	status=0
	if [ $((rc & 3)) -ne 0 ]; then
		cat "$tmp/report"; echo "FAIL: abidiff could not compare (exit $rc)"; exit 1
	fi
	[ $((rc & 8)) -ne 0 ] && { echo "FAIL: abidiff reports an incompatible ABI change (exit bit 8)"; status=1; }
	if [ $((rc & 4)) -ne 0 ]; then
		# An ABI change (exit bit 4) is accepted only if it is nothing but
		# added functions or variables: every summary line must say
		# "0 Removed" and "0 Changed", and nothing outside them may be listed.
		sed -n '/summary:/p' "$tmp/report" > "$tmp/summary"
		if grep -Ev '^ *(Functions|Variables|Function symbols|Variable symbols) changes summary: 0 Removed(, 0 Changed( \([0-9]+ filtered out\))?)?(, [0-9]+ Added [a-z ]+)?$' "$tmp/summary" |
			grep -E 'summary'; then
			echo "FAIL: the summary above is not additions only (removed or changed interfaces break the ABI)"
			status=1
		fi
		if ! grep -q 'summary:' "$tmp/report"; then
			echo "FAIL: abidiff reported a change but no summary to check it against"
			status=1
		fi
		# Each addition must sit in a version node newer than the baseline's.
		old=$(newest_node "$base_abi")
		grep -o '{iotx509_[a-z0-9_]*@@*IOTX509_[0-9.]*}' "$tmp/report" | tr -d '{}' | sed 's/@@*/ /' > "$tmp/added" || true
		while read -r name node; do
			newer=$(printf '%s\n%s\n' "$old" "$node" | sort -V | tail -n 1)
			if [ "$node" = "$old" ] || [ "$newer" != "$node" ]; then
				echo "FAIL: $name was added to $node; additions go into a new node after $old (lib/libiotx509.map)"
				status=1
			fi
		done < "$tmp/added"
		if grep -q 'Added ' "$tmp/summary" && grep -q '\[A\]' "$tmp/report" &&
			[ "$(grep -c '\[A\]' "$tmp/report")" -ne "$(wc -l < "$tmp/added")" ]; then
			echo "FAIL: an added interface has no IOTX509_x.y symbol version"
			status=1
		fi
	fi
	# An options struct may grow only at its end (abi/options.suppr lets
	# abidiff accept exactly that) and only with its _VERSION constant raised,
	# so that the library can tell an old caller's shorter struct apart.
	[ -f "$base_opts" ] || { echo "FAIL: no $base_opts (scripts/abi.sh baseline makes it)"; status=1; }
	options_layout "$base_abi" > "$tmp/layout.old"
	options_layout "$tmp/cur.abi" > "$tmp/layout.cur"
	options_versions > "$tmp/versions.cur"
	while read -r name bits members; do
		cur=$(awk -v n="$name" '$1 == n { print $2, $3 }' "$tmp/layout.cur")
		[ -n "$cur" ] && [ "$cur" != "$bits $members" ] || continue
		macro=$(echo "$name" | tr '[:lower:]' '[:upper:]')_VERSION
		v_old=$(awk -v m="$macro" '$1 == m { print $2 }' "$base_opts" 2>/dev/null)
		v_cur=$(awk -v m="$macro" '$1 == m { print $2 }' "$tmp/versions.cur")
		if [ -z "$v_old" ] || [ -z "$v_cur" ] || [ "$v_cur" -le "$v_old" ]; then
			echo "FAIL: struct $name changed ($bits bits: $members -> $cur) but $macro stayed ${v_cur:-undefined} (was ${v_old:-undefined})"
			status=1
		else
			echo "abi.sh: struct $name grew to $cur with $macro raised to $v_cur"
		fi
	done < "$tmp/layout.old"
	if [ $status -ne 0 ]; then
		echo "---- abidiff $base_abi <built library> (exit $rc) ----"
		cat "$tmp/report"
		exit 1
	fi
	if [ $rc -eq 0 ]; then
		echo "abi.sh: ABI unchanged ($(grep -c '<elf-symbol ' "$base_abi") symbols, newest node $(newest_node "$base_abi"))"
	else
		echo "abi.sh: compatible additions only:"
		sed -n '/summary:/p; /\[A\]/p' "$tmp/report"
	fi
	;;
*) usage ;;
esac
