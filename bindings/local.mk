# Bindings (doc/bindings.md): bindings/iotx509.i run through SWIG per
# language. The wrappers SWIG writes are build products (never in git, never
# in the tarball); the sources ship as a list of files.
BINDINGS_SWIG_DEPS = $(srcdir)/bindings/iotx509.i $(include_HEADERS) $(iotx509include_HEADERS)
BINDINGS_SWIG = $(SWIG) -I$(top_builddir)/include -I$(top_srcdir)/include -I$(srcdir)/bindings
# SWIG's generated C trips the project's warnings; it gets plain flags.
BINDINGS_CFLAGS = -fno-strict-aliasing -Wno-unused-parameter
EXTRA_DIST += bindings/iotx509.i

# --- Python: _iotx509.so + iotx509.py into the interpreter's site directory.
EXTRA_DIST += bindings/python/typemaps.i bindings/python/idiom.py bindings/python/test_iotx509.py \
	bindings/python/samples/device_flow.py bindings/python/valgrind-python.supp
if ENABLE_PYTHON
iotx509pydir = $(PYTHON_SITEDIR)
iotx509py_LTLIBRARIES = bindings/python/_iotx509.la
nodist_iotx509py_DATA = bindings/python/iotx509.py
nodist_bindings_python__iotx509_la_SOURCES = bindings/python/iotx509_wrap.c
bindings_python__iotx509_la_CPPFLAGS = $(AM_CPPFLAGS) $(PYTHON_CPPFLAGS)
bindings_python__iotx509_la_CFLAGS = $(BINDINGS_CFLAGS)
bindings_python__iotx509_la_LDFLAGS = -module -avoid-version -shared
bindings_python__iotx509_la_LIBADD = lib/libiotx509.la
BUILT_SOURCES_PY = bindings/python/iotx509_wrap.c bindings/python/iotx509.py
CLEANFILES += $(BUILT_SOURCES_PY)
bindings/python/iotx509.py: bindings/python/iotx509_wrap.c
bindings/python/iotx509_wrap.c: $(BINDINGS_SWIG_DEPS) $(srcdir)/bindings/python/typemaps.i $(srcdir)/bindings/python/idiom.py
	$(AM_V_GEN)$(MKDIR_P) bindings/python && \
	$(BINDINGS_SWIG) -python -outdir bindings/python -o $@ $(srcdir)/bindings/iotx509.i
TESTS += bindings/python/test_iotx509.py bindings/python/samples/device_flow.py
# The module from the build tree, the library from lib/.libs.
PY_LOG_COMPILER = env PYTHONPATH='$(abs_top_builddir)/bindings/python:$(abs_top_builddir)/bindings/python/.libs' \
	LD_LIBRARY_PATH='$(abs_top_builddir)/lib/.libs' IOTX509_TOP_SRCDIR='$(abs_top_srcdir)' $(PY_SANITIZER_ENV) $(PYTHON)
if ENABLE_SANITIZERS
# An ASan build's module needs the runtime loaded first; CPython's own
# allocations at exit are not ours (leaks off), quarantine small for the RSS test.
PY_SANITIZER_ENV = LD_PRELOAD="`$(CC) -print-file-name=libasan.so`" \
	ASAN_OPTIONS='halt_on_error=1:abort_on_error=1:detect_leaks=0:quarantine_size_mb=4' PYTHONMALLOC=malloc
endif

# make check-python-valgrind: the Python tests under memcheck (.ci/run).
check-python-valgrind: all
	env PYTHONPATH='$(abs_top_builddir)/bindings/python:$(abs_top_builddir)/bindings/python/.libs' \
		LD_LIBRARY_PATH='$(abs_top_builddir)/lib/.libs' PYTHONMALLOC=malloc IOTX509_TEST_QUICK=1 \
		$(VALGRIND) --error-exitcode=1 --errors-for-leak-kinds=definite --leak-check=full \
		--suppressions=$(srcdir)/bindings/python/valgrind-python.supp \
		$(PYTHON) $(srcdir)/bindings/python/test_iotx509.py
endif
# The .la is libtool's; Python only needs _iotx509.so beside iotx509.py.
install-data-hook: install-data-hook-python
install-data-hook-python:
	if test -n "$(iotx509pydir)"; then rm -f "$(DESTDIR)$(iotx509pydir)/_iotx509.la"; fi
	if test -n "$(jnidir)"; then rm -f "$(DESTDIR)$(jnidir)/libiotx509jni.la"; fi
uninstall-hook: uninstall-hook-python
uninstall-hook-python:
	if test -n "$(iotx509pydir)"; then rm -f "$(DESTDIR)$(iotx509pydir)/_iotx509.so"; fi
	if test -n "$(jnidir)"; then rm -f "$(DESTDIR)$(jnidir)/libiotx509jni.so"; fi
TEST_EXTENSIONS = .py .mjs .java
.PHONY: check-python-valgrind install-data-hook-python uninstall-hook-python

# --- Node: SWIG -javascript -node (C++), compiled directly against the
# headers of the node that runs it (no node-gyp or npm needed; doc/bindings.md).
EXTRA_DIST += bindings/node/typemaps.i bindings/node/fix-args.js bindings/node/package.json \
	bindings/node/test_iotx509.mjs bindings/node/samples/device_flow.mjs
if ENABLE_NODE
NODE_ADDON = bindings/node/iotx509.node
# tests/install.sh: where the enabled addon goes
node_installdir = $(NODE_MODULEDIR)
all-local: $(NODE_ADDON)
CLEANFILES += bindings/node/iotx509_wrap.cxx $(NODE_ADDON)
bindings/node/iotx509_wrap.cxx: $(BINDINGS_SWIG_DEPS) $(srcdir)/bindings/node/typemaps.i $(srcdir)/bindings/node/fix-args.js
	$(AM_V_GEN)$(MKDIR_P) bindings/node && \
	$(BINDINGS_SWIG) -javascript -node -c++ -o $@ $(srcdir)/bindings/iotx509.i && \
	$(NODE) $(srcdir)/bindings/node/fix-args.js $@
$(NODE_ADDON): bindings/node/iotx509_wrap.cxx lib/libiotx509.la
	$(AM_V_GEN)$(NODE_CXX) -O2 -g -fPIC -shared -fvisibility=hidden -DBUILDING_NODE_EXTENSION \
		-DNODE_GYP_MODULE_NAME=iotx509 $(NODE_CPPFLAGS) $(AM_CPPFLAGS) -o $@ bindings/node/iotx509_wrap.cxx \
		-L$(top_builddir)/lib/.libs -liotx509 -Wl,-rpath,$(libdir)
install-node: $(NODE_ADDON)
	$(MKDIR_P) "$(DESTDIR)$(NODE_MODULEDIR)/iotx509"
	$(INSTALL_PROGRAM) $(NODE_ADDON) "$(DESTDIR)$(NODE_MODULEDIR)/iotx509/iotx509.node"
	$(INSTALL_DATA) $(srcdir)/bindings/node/package.json "$(DESTDIR)$(NODE_MODULEDIR)/iotx509/package.json"
uninstall-node:
	rm -f "$(DESTDIR)$(NODE_MODULEDIR)/iotx509/iotx509.node" "$(DESTDIR)$(NODE_MODULEDIR)/iotx509/package.json"
	-rmdir "$(DESTDIR)$(NODE_MODULEDIR)/iotx509"

TESTS += bindings/node/test_iotx509.mjs bindings/node/samples/device_flow.mjs
MJS_LOG_COMPILER = env IOTX509_NODE_ADDON='$(abs_top_builddir)/$(NODE_ADDON)' \
	LD_LIBRARY_PATH='$(abs_top_builddir)/lib/.libs' IOTX509_TOP_SRCDIR='$(abs_top_srcdir)' \
	IOTX509_TOP_BUILDDIR='$(abs_top_builddir)' $(NODE_SANITIZER_ENV) $(NODE) --expose-gc --test
if ENABLE_SANITIZERS
NODE_SANITIZER_ENV = LD_PRELOAD="`$(CC) -print-file-name=libasan.so`" \
	ASAN_OPTIONS='halt_on_error=1:abort_on_error=1:detect_leaks=0:quarantine_size_mb=4'
endif
else
install-node:
uninstall-node:
endif
# doc/local.mk has the recipes of these two: automake takes one per target.
install-data-local: install-node
uninstall-local: uninstall-node
.PHONY: install-node uninstall-node

# --- Java: package org.iotx509 (class Iotx509, enums as int constants in
# Iotx509Constants) in DATADIR/java/iotx509.jar, JNI library in LIBDIR/jni.
EXTRA_DIST += bindings/java/typemaps.i bindings/java/Iotx509Exception.java bindings/java/TestIotx509.java \
	bindings/java/samples/DeviceFlow.java
if ENABLE_JAVA
jnidir = $(libdir)/jni
jni_LTLIBRARIES = bindings/java/libiotx509jni.la
nodist_bindings_java_libiotx509jni_la_SOURCES = bindings/java/iotx509_wrap.c
bindings_java_libiotx509jni_la_CPPFLAGS = $(AM_CPPFLAGS) $(JNI_CPPFLAGS)
bindings_java_libiotx509jni_la_CFLAGS = $(BINDINGS_CFLAGS)
bindings_java_libiotx509jni_la_LDFLAGS = -module -avoid-version -shared
bindings_java_libiotx509jni_la_LIBADD = lib/libiotx509.la
javajardir = $(datadir)/java
nodist_javajar_DATA = bindings/java/iotx509.jar
CLEANFILES += bindings/java/iotx509_wrap.c bindings/java/iotx509.jar
bindings/java/iotx509_wrap.c: $(BINDINGS_SWIG_DEPS) $(srcdir)/bindings/java/typemaps.i
	$(AM_V_GEN)rm -rf bindings/java/src && $(MKDIR_P) bindings/java/src/org/iotx509 && \
	$(BINDINGS_SWIG) -java -package org.iotx509 -module Iotx509 -outdir bindings/java/src/org/iotx509 \
		-o $@ $(srcdir)/bindings/iotx509.i
# -parameters keeps the parameter names (the test maps arguments by name).
bindings/java/iotx509.jar: bindings/java/iotx509_wrap.c $(srcdir)/bindings/java/Iotx509Exception.java
	$(AM_V_GEN)rm -rf bindings/java/classes && $(MKDIR_P) bindings/java/classes && \
	$(JAVAC) -nowarn -parameters -d bindings/java/classes bindings/java/src/org/iotx509/*.java \
		$(srcdir)/bindings/java/Iotx509Exception.java && \
	$(JAR) cf $@ -C bindings/java/classes .
if !ENABLE_SANITIZERS
# A JVM does not run with an ASan library loaded into it; the Python tests
# cover the binding layer under ASan.
TESTS += bindings/java/TestIotx509.java bindings/java/samples/DeviceFlow.java
endif
JAVA_LOG_COMPILER = env LD_LIBRARY_PATH='$(abs_top_builddir)/lib/.libs' IOTX509_TOP_SRCDIR='$(abs_top_srcdir)' \
	$(JAVA) -Djava.library.path='$(abs_top_builddir)/bindings/java/.libs' \
	-cp '$(abs_top_builddir)/bindings/java/iotx509.jar'
endif
clean-local: clean-bindings
clean-bindings:
	rm -rf bindings/java/src bindings/java/classes bindings/python/__pycache__
.PHONY: clean-bindings
