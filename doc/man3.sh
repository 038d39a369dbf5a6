#!/bin/sh
# Turn Doxygen's man output (GENERATE_MAN) into the installed section 3
# pages: a page per module, iotx509-MODULE(3) from iotx509/MODULE.h, a page
# per options struct and per public struct, iotx509-options(3); dated by
# the version, not the build day, so the pages are reproducible. Doxygen
# leaves backslashes in @code blocks as they are ("%s\n" would be a roff
# escape; a block with a doubled backslash is a @verbatim block, which Doxygen
# escapes itself), and a line starting with ' would be a roff request.
#   doc/man3.sh DOXYGEN_MAN3_DIR OUT_DIR VERSION
set -eu
in=$1 out=$2 version=$3
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
fix() { # SRC DEST NAME
	sed -e "1s/^\.TH \"[^\"]*\" 3 \"[^\"]*\" \"[^\"]*\" \"[^\"]*\"/.TH \"$3\" 3 \"\" \"libiotx509 $version\" \"libiotx509 API\"/" \
		-e 's/^'"'"'/\\\&'"'"'/' \
		-e '/^\.SH "Author"$/,$d' "$1" |
		perl -ne 'if (/^\.nf$/ .. /^\.fi$/) { $b .= $_; if (/^\.fi$/) { $b =~ s/\\(?![&f])/\\e/g unless $b =~ /\\\\/; print $b; $b = "" } } else { print }' > "$2"
	printf '.SH "SEE ALSO"\n.BR libiotx509 (3),\n.BR iotx509 (1)\n' >> "$2"
}
n=0
for page in "$in"/*.3; do
	base=$(basename "$page" .3)
	case $base in
	iotx509.h) continue ;;               # the top header only includes the others
	*.h) name=iotx509-${base%.h} ;;
	options) name=iotx509-options ;;
	names) name=iotx509-names ;;       # the naming rules (@page names in iotx509.h)
	iotx509_*) name=$base ;;
	*) echo "man3.sh: unexpected page $base (extend doc/man3.sh)" >&2; exit 1 ;;
	esac
	fix "$page" "$out.tmp/$name.3" "$name"
	n=$((n + 1))
done
[ $n -gt 0 ] || { echo "man3.sh: no pages in $in" >&2; exit 1; }
rm -rf "$out" && mv "$out.tmp" "$out"
echo "man3.sh: $n pages in $out"
