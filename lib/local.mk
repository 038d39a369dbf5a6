# The library.
#
# libtool -version-info CURRENT:REVISION:AGE, updated before each release:
#  - only the implementation changed:           REVISION++
#  - interfaces added (ABI stays compatible):   CURRENT++, REVISION=0, AGE++
#  - interfaces removed or changed (ABI break): CURRENT++, REVISION=0, AGE=0
# The soname is libiotx509.so.(CURRENT-AGE): libiotx509.so.0 until an ABI break.
IOTX509_LT_VERSION = 0:0:0

lib_LTLIBRARIES += lib/libiotx509.la

lib_libiotx509_la_SOURCES = \
	lib/internal.h \
	lib/errors.c \
	lib/common.c \
	lib/file-internal.h lib/file.c \
	lib/pem-internal.h lib/pem.c \
	lib/names-internal.h lib/names.c \
	lib/key-internal.h lib/key.c \
	lib/cert-internal.h lib/cert.c \
	lib/csr-internal.h lib/csr.c \
	lib/id.c \
	lib/certlist-internal.h lib/certlist.c \
	lib/chain-internal.h lib/chain.c \
	lib/verify-internal.h lib/verify.c \
	lib/pop.c \
	lib/pkcs12-internal.h lib/pkcs12.c \
	lib/credential-internal.h lib/credential.c \
	lib/batch-internal.h lib/batch.c lib/batch-ids.c lib/batch-record.c \
	lib/batch-device.c lib/batch-manifest.c \
	lib/issue-internal.h lib/issue.c lib/issue-credential.c \
	lib/lint.c \
	lib/pkcs11-internal.h lib/pkcs11.c \
	lib/strbuf-internal.h lib/strbuf.c \
	lib/scan-internal.h lib/scan.c \
	lib/expiry-internal.h lib/expiry.c \
	lib/tree.c \
	lib/enrollment.c \
	lib/renew.c \
	lib/edge.c

# The ASN.1 modules, compiled by asn1Parser (libtasn1-bin) into libtasn1
# tables in the build directory (never committed), one naming scheme for
# all: lib/NAME.asn gives lib/NAME-asn1-table.c, which defines
# iox_NAME_asn1_tab. pkix.asn is the linter's module; pkcs12.asn holds the
# PKCS#8/PKCS#12 structures the key and PKCS#12 code read and write.
ASN1_TABLES = lib/pkix-asn1-table.c lib/pkcs12-asn1-table.c
nodist_lib_libiotx509_la_SOURCES = $(ASN1_TABLES)
CLEANFILES += $(ASN1_TABLES)
EXTRA_DIST += lib/pkix.asn lib/pkcs12.asn
# Each table is made the same way: $(ASN1_TABLE) the table's name, the module.
ASN1_TABLE = $(AM_V_GEN)$(MKDIR_P) lib && $(ASN1PARSER) -o $@.tmp -n
lib/pkix-asn1-table.c: lib/pkix.asn
	$(ASN1_TABLE) iox_pkix_asn1_tab $(srcdir)/lib/pkix.asn >/dev/null && mv -f $@.tmp $@
lib/pkcs12-asn1-table.c: lib/pkcs12.asn
	$(ASN1_TABLE) iox_pkcs12_asn1_tab $(srcdir)/lib/pkcs12.asn >/dev/null && mv -f $@.tmp $@

lib_libiotx509_la_CPPFLAGS = $(AM_CPPFLAGS) -DIOTX509_BUILDING
lib_libiotx509_la_CFLAGS = $(AM_CFLAGS) $(VISIBILITY_CFLAGS) $(GNUTLS_CFLAGS) $(TASN1_CFLAGS)
lib_libiotx509_la_LIBADD = $(GNUTLS_LIBS) $(TASN1_LIBS)
lib_libiotx509_la_LDFLAGS = -version-info $(IOTX509_LT_VERSION) -no-undefined
if HAVE_LD_VERSION_SCRIPT
lib_libiotx509_la_LDFLAGS += -Wl,--version-script=$(srcdir)/lib/libiotx509.map
endif
EXTRA_lib_libiotx509_la_DEPENDENCIES = lib/libiotx509.map
EXTRA_DIST += lib/libiotx509.map


include_HEADERS = include/iotx509.h
iotx509includedir = $(includedir)/iotx509
iotx509include_HEADERS = \
	include/iotx509/common.h \
	include/iotx509/errors.h \
	include/iotx509/file.h \
	include/iotx509/key.h \
	include/iotx509/cert.h \
	include/iotx509/csr.h \
	include/iotx509/id.h \
	include/iotx509/certlist.h \
	include/iotx509/chain.h \
	include/iotx509/verify.h \
	include/iotx509/pop.h \
	include/iotx509/pkcs12.h \
	include/iotx509/credential.h \
	include/iotx509/batch.h \
	include/iotx509/lint.h \
	include/iotx509/issue.h \
	include/iotx509/pkcs11.h \
	include/iotx509/enrollment.h \
	include/iotx509/renew.h \
	include/iotx509/expiry.h \
	include/iotx509/edge.h \
	include/iotx509/tree.h
nodist_iotx509include_HEADERS = include/iotx509/version.h
