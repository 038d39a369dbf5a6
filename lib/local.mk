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
	lib/file.c \
	lib/pem-internal.h lib/pem.c \
	lib/names-internal.h lib/names.c \
	lib/key-internal.h lib/key.c \
	lib/cert-internal.h lib/cert.c \
	lib/csr-internal.h lib/csr.c \
	lib/id.c \
	lib/issue.c

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
	include/iotx509/issue.h
nodist_iotx509include_HEADERS = include/iotx509/version.h
