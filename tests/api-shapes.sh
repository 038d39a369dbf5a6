#!/bin/sh
# The shapes a binding relies on, checked on the public headers by rule:
# - a function returning plain int is a predicate (_is_, _has_, _needs_):
#   every fallible function returns iotx509_error_code, so a binding maps a
#   negative result to an exception by the return type alone;
# - no 'long' (its size differs between platforms and languages);
# - no 'const char *const *' (an array plus a count a binding cannot fill
#   safely): a list of strings is an iotx509_strlist;
# - the naming rules, and an @return listing the error codes of every
#   fallible function.
# - no parameter named *flags: choices a function takes are fields of a
#   versioned options struct, which can grow without an ABI break (flags
#   inside an options struct are fields, not parameters, and are fine).
: "${top_srcdir:?run through make check}"
fails=0
for h in "$top_srcdir"/include/iotx509/*.h; do
	bad=$(grep -o 'IOTX509_EXTERN int iotx509_[a-z0-9_]*' "$h" | awk '{print $3}' | grep -v '_is_\|_has_\|_needs_\|_has$')
	for f in $bad; do
		echo "not ok - $(basename "$h"): $f returns int but is not a predicate: make it return iotx509_error_code"
		fails=$((fails + 1))
	done
	if grep -n '\blong\b' "$h" | grep -v '^\s*[0-9]*:\s*\*\|/\*\*<\|//' >/dev/null; then
		echo "not ok - $(basename "$h"): uses long: $(grep -n '\blong\b' "$h" | head -1)"
		fails=$((fails + 1))
	fi
	if grep -n 'char[[:space:]]*\*[[:space:]]*const[[:space:]]*\*' "$h" >/dev/null; then
		echo "not ok - $(basename "$h"): array of C strings, use iotx509_strlist: $(grep -n 'char[[:space:]]*\*[[:space:]]*const[[:space:]]*\*' "$h" | head -1)"
		fails=$((fails + 1))
	fi
	# Each declaration from IOTX509_EXTERN to its ';' on one line, then its parameters.
	bad=$(awk '/IOTX509_EXTERN/ { d = ""; on = 1 } on { d = d " " $0 } on && /;/ { print d; on = 0 }' "$h" |
		grep -o 'iotx509_[a-z0-9_]*(.*' | sed -n 's/^\(iotx509_[a-z0-9_]*\)(\(.*[^a-z0-9_]\)\{0,1\}\([a-z0-9_]*flags\)[[:space:]]*[,)].*/\1 \3/p')
	if [ -n "$bad" ]; then
		echo "$bad" | while read -r f p; do
			echo "not ok - $(basename "$h"): $f takes a bare '$p': put it in a versioned options struct"
		done
		fails=$((fails + $(echo "$bad" | wc -l)))
	fi
done
# Names (the "Names" section of include/iotx509/common.h), on every
# declaration joined onto one line.
decls=$(awk '/^IOTX509_EXTERN/ { d = "" } /^IOTX509_EXTERN/, /;/ { d = d " " $0; if ($0 ~ /;/) print d }' \
	"$top_srcdir"/include/iotx509/*.h | tr -s ' \t' '  ')
names_bad() {
	found=$(printf '%s\n' "$decls" | grep -E "$1" | grep -oE 'iotx509_[a-z0-9_]+ ?\(' | tr -d ' (' | head -3 | tr '\n' ' ')
	[ -z "$found" ] && return 0
	echo "not ok - $2: $found"
	fails=$((fails + 1))
}
names_bad 'iotx509_[a-z0-9_]*_get_[a-z0-9_]*_count ?\(' 'a count is <object>_<items>_count, not _get_<items>_count'
names_bad 'iotx509_[a-z0-9_]*_count_[a-z0-9_]+ ?\(' 'a count is <object>_<items>_count, not _count_<items>'
names_bad 'iotx509_[a-z0-9_]*_str ?\(' 'an enum has _name (stable token) and _description (human text), not _str'
names_bad 'iotx509_[a-z0-9_]*_create ?\(' 'objects are created by _new, _generate or _issue_*, not _create'
names_bad 'iotx509_[a-z0-9_]*_save ?\( ?const char ?\*' 'a _save takes the objects first and the path after them'
# Every fallible function documents its error codes in @return.
nodoc=$(awk '
	/\/\*\*/ { doc = ""; incom = 1 }
	incom { doc = doc $0 "\n"; if ($0 ~ /\*\//) incom = 0; next }
	/^IOTX509_EXTERN iotx509_error_code/ {
		fn = $0; sub(/\(.*/, "", fn); sub(/.* /, "", fn)
		r = doc; if (sub(/.*@return/, "", r) == 0 || r !~ /IOTX509_E[A-Z]/) print fn
	}
	/;/ || /^}/ { doc = "" }' "$top_srcdir"/include/iotx509/*.h | head -5 | tr '\n' ' ')
if [ -n "$nodoc" ]; then
	echo "not ok - fallible functions without their error codes in @return: $nodoc"
	fails=$((fails + 1))
fi
n=$(grep -ho 'IOTX509_EXTERN iotx509_error_code' "$top_srcdir"/include/iotx509/*.h | wc -l)
[ "$n" -gt 100 ] || { echo "not ok - only $n functions return iotx509_error_code"; fails=$((fails + 1)); }
echo "# $n fallible functions declared iotx509_error_code"
[ $fails -eq 0 ] && echo "ok - public headers keep the binding shapes"
[ $fails -eq 0 ]
