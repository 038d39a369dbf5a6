#!/bin/sh
# Every value of every public enum has a doc comment (/**< ... */ after it,
# or /** ... */ before it). Doxygen 1.9.4 does not warn about undocumented
# enum values (WARN_IF_UNDOC_ENUM_VAL came in 1.9.7), so make docs runs this.
#   doc/enum-values.sh HEADER...
awk '
FNR == 1 { inside = 0; incomment = 0; prev = "" }
# The continuation lines of a comment are not enum values.
incomment { if (/\*\//) incomment = 0; prev = $0; next }
/^[ \t]*(typedef[ \t]+)?enum[ \t]+[a-z0-9_]*[ \t]*\{/ { inside = 1; prev = $0; next }
inside && /^[ \t]*\}/ { inside = 0 }
inside && /^[ \t]*IOTX509_[A-Z0-9_]+/ && !/\/\*\*</ && prev !~ /\*\/[ \t]*$/ {
	name = $1; sub(/[ \t=,].*/, "", name)
	printf "%s:%d: enum value %s is not documented\n", FILENAME, FNR, name; bad = 1
}
/\/\*/ && !/\*\// { incomment = 1 }
/[^ \t]/ { prev = $0 }
END { exit bad }
' "$@"
