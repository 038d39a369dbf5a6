# Documentation and the install layout beyond the library and the tool:
# the Markdown docs in $(docdir), the bash completion, the consumer test.

dist_doc_DATA = README.md \
	doc/abi.md doc/pkcs11.md doc/performance.md doc/performance.png \
	doc/rolling.md doc/security.md doc/threads.md

# bash completion for the tool, where bash-completion looks for it
# (configure: --with-bash-completion-dir).
bashcompletiondir = $(BASH_COMPLETION_DIR)
dist_bashcompletion_DATA = completion/iotx509

# make check: install into a DESTDIR, check the layout, build and run a
# consumer through pkg-config (tests/install.sh); the completion offers
# every command and option the tool's help lists (tests/completion.sh).
TESTS += tests/install.sh tests/completion.sh
EXTRA_DIST += tests/install.sh tests/completion.sh tests/consumer.c

# The configured install directories, for tests/install.sh.
print-install-dirs:
	@echo "bindir='$(bindir)' libdir='$(libdir)' includedir='$(includedir)' mandir='$(mandir)'"
	@echo "docdir='$(docdir)' pkgconfigdir='$(pkgconfigdir)' bashcompletiondir='$(bashcompletiondir)'"
.PHONY: print-install-dirs
