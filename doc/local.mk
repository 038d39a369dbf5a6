# Documentation and the install layout beyond the library and the tool:
# the Markdown docs in $(docdir), the bash completion, the consumer test.

dist_doc_DATA = README.md NEWS \
	doc/abi.md doc/guide.md doc/pkcs11.md doc/performance.md doc/performance.png \
	doc/rolling.md doc/security.md doc/threads.md doc/bindings.md

# bash completion for the tool, where bash-completion looks for it
# (configure: --with-bash-completion-dir).
bashcompletiondir = $(BASH_COMPLETION_DIR)
dist_bashcompletion_DATA = completion/iotx509

# make check: install into a DESTDIR, check the layout, build and run a
# consumer through pkg-config (tests/install.sh); the completion offers
# every command and option the tool's help lists (tests/completion.sh);
# doc/guide.md's commands and C programs run and print what it shows
# (tests/guide.sh).
TESTS += tests/install.sh tests/completion.sh tests/guide.sh
EXTRA_DIST += tests/install.sh tests/completion.sh tests/consumer.c tests/guide.sh tests/guide.py

# The configured install directories, for tests/install.sh.
print-install-dirs:
	@echo "bindir='$(bindir)' libdir='$(libdir)' includedir='$(includedir)' mandir='$(mandir)'"
	@echo "docdir='$(docdir)' pkgconfigdir='$(pkgconfigdir)' bashcompletiondir='$(bashcompletiondir)'"
	@echo "pythondir='$(iotx509pydir)' javajardir='$(javajardir)' jnidir='$(jnidir)' nodedir='$(node_installdir)'"
	@echo "python='$(PYTHON)' node='$(NODE)'"
.PHONY: print-install-dirs

# The API reference: Doxygen over the installed headers (doc/Doxyfile.in),
# HTML in doc/api/html and the section 3 man pages, both from the same
# comments. Any Doxygen warning (an undocumented type, function, struct
# member, macro, parameter or result) fails, and so does an undocumented
# enum value (doc/enum-values.sh: Doxygen 1.9.4 does not check those).
# Built with the library when doxygen is installed (configure requires it
# in a git checkout); a release
# tarball ships the man pages (dist-hook), so it builds without doxygen.
# Every parameter has its @param and every result its @return
# (WARN_NO_PARAMDOC); `make docs DOXYGEN_PARAMDOC=NO` relaxes that while a
# change is under way.
DOXYGEN_PARAMDOC = YES
IOTX509_API_HEADERS_LIST = $(include_HEADERS) $(iotx509include_HEADERS)
EXTRA_DIST += doc/Doxyfile.in doc/man3.sh doc/enum-values.sh
dist_man_MANS += doc/libiotx509.3
doc/api.stamp: $(IOTX509_API_HEADERS_LIST) include/iotx509/version.h doc/Doxyfile $(srcdir)/doc/man3.sh $(srcdir)/doc/enum-values.sh
	@test -n "$(DOXYGEN)" || { echo "doxygen not found: install it (scripts/install-deps.sh)" >&2; exit 1; }
	$(AM_V_GEN)$(SHELL) $(srcdir)/doc/enum-values.sh $(IOTX509_API_HEADERS_LIST:%=$(srcdir)/%) && \
	rm -rf doc/api && $(MKDIR_P) doc/api && \
	{ IOTX509_DOXYGEN_PARAMDOC=$(DOXYGEN_PARAMDOC) $(DOXYGEN) doc/Doxyfile || { cat doc/api/warnings.log >&2; echo "make docs: Doxygen warnings above (doc comments in include/)" >&2; exit 1; }; } && \
	$(SHELL) $(srcdir)/doc/man3.sh doc/api/man/man3 doc/man3 $(PACKAGE_VERSION) >/dev/null && touch $@
docs: doc/api.stamp
	@echo "API reference: $(abs_builddir)/doc/api/html/index.html; man pages: doc/man3 ($$(ls doc/man3 | wc -l) pages)"
.PHONY: docs
if HAVE_DOXYGEN
all-local: doc/api.stamp
endif

# Generated pages: the build's own, else the tarball's.
MAN3_PAGES_DIR = `if test -d doc/man3; then echo doc/man3; else echo $(srcdir)/doc/man3; fi`
install-data-local:
	@d=$(MAN3_PAGES_DIR); ls $$d/*.3 >/dev/null 2>&1 || { echo "no section 3 pages in $$d: install doxygen and rebuild" >&2; exit 1; }; \
	$(MKDIR_P) '$(DESTDIR)$(man3dir)' && $(INSTALL_DATA) $$d/*.3 '$(DESTDIR)$(man3dir)'
uninstall-local:
	@d=$(MAN3_PAGES_DIR); for p in $$d/*.3; do rm -f '$(DESTDIR)$(man3dir)/'`basename $$p`; done
dist-hook:
	@d=$(MAN3_PAGES_DIR); $(MKDIR_P) $(distdir)/doc/man3 && cp -p $$d/*.3 $(distdir)/doc/man3/
distclean-local:
	rm -rf doc/api doc/api.stamp
	test '$(srcdir)' = . || rm -rf doc/man3
