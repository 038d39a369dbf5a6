/*
 * Shared test helpers: temp dirs, fixtures, running external tools.
 */
#ifndef IOTX509_TEST_HELPERS_H
#define IOTX509_TEST_HELPERS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <gnutls/x509.h>
#include <iotx509.h>

/* 2026-11-29T12:00:00Z: the fixed time at which the foreign fixtures are valid. */
#define TH_FIXTURE_TIME ((int64_t)1795953600)

/* Absolute path of a file in the foreign fixtures (tests/data/foreign unless
 * configured otherwise; static buffer per call slot); a missing one fails the
 * test with its name. */
const char *th_fixture(const char *rel);
/* The fixture directory REL ("" for the top), after checking that every file
 * of the set under it is there. */
const char *th_fixture_dir(const char *rel);

/* A fresh temporary directory (malloc'd path); removed by th_rmrf(). */
char *th_tmpdir(void);
void th_rmrf(const char *dir);

/* "dir/name" in a malloc'd string. */
char *th_path(const char *dir, const char *name);

/* Run a shell command (printf-style); returns its exit status, or -1.
 * stdout+stderr go to *output (malloc'd, NUL-terminated) when output != NULL. */
int th_run(char **output, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* 1 if an executable is on PATH. */
int th_have(const char *tool);

/* Read a whole file (malloc'd, NUL-terminated); NULL if unreadable. */
char *th_slurp(const char *path, size_t *size);

/* Write bytes to a file (plain fopen; for test inputs only). */
void th_write(const char *path, const void *data, size_t size);

/* Save a certificate / key as PEM under dir (aborting the test on failure). */
char *th_save_cert(const char *dir, const char *name, const iotx509_cert *cert);
char *th_save_key(const char *dir, const char *name, const iotx509_key *key);

/* A root CA + issuer made with P-256 (fast), at time @now (0 = current time). */
void th_make_root(iotx509_key **key, iotx509_cert **cert, iotx509_issuer **issuer, const char *cn, int64_t now);

/* A new certificate list holding @a, @b, @c in that order (NULL ones skipped). */
iotx509_certlist *th_certlist(const iotx509_cert *a, const iotx509_cert *b, const iotx509_cert *c);

/* Crafting with GnuTLS what the issuance API never writes. th_crt_begin:
 * a version 3 certificate with a fresh serial, CN=@cn, valid from @nb to
 * @na, for @key, basicConstraints CA:@ca with the matching keyUsage
 * (keyCertSign and cRLSign, or digitalSignature) and no key identifier; the
 * caller adds what it needs. th_crt_finish: sign it with @signer as
 * @issuer (NULL: self-signed), SHA-256, and return it as a handle (the
 * GnuTLS object stays the caller's). */
void th_crt_begin(gnutls_x509_crt_t *crt, const char *cn, int ca, gnutls_x509_privkey_t key, int64_t nb, int64_t na);
iotx509_cert *th_crt_finish(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer, gnutls_x509_privkey_t signer);

/* The last error message, never NULL (for cr_assert messages). */
const char *th_err(void);

/* A string list holding the NULL-terminated arguments (aborts the test on error). */
iotx509_strlist *th_strlist(const char *first, ...);

/* Options with the given flags, for the calls that take an options struct
 * (tests pass NULL for the defaults). */
#define WRITE_OPTS(f) (&(iotx509_write_options){ IOTX509_WRITE_OPTIONS_VERSION, (f) })
#define CRED_OPTS(f) (&(iotx509_credential_options){ IOTX509_CREDENTIAL_OPTIONS_VERSION, (f), 0 })
#define CRED_P12_OPTS(f, p12f) (&(iotx509_credential_options){ IOTX509_CREDENTIAL_OPTIONS_VERSION, (f), (p12f) })
#define P12_READ_OPTS(f) (&(iotx509_pkcs12_read_options){ IOTX509_PKCS12_READ_OPTIONS_VERSION, (f) })
#define ID_OPTS(p, f) (&(iotx509_id_options){ IOTX509_ID_OPTIONS_VERSION, (p), (f) })

/* iotx509_enrollment_set_cert() / _load(), then iotx509_enrollment_set_verified(). */
int th_enrollment_set_cert(iotx509_enrollment *e, iotx509_enrollment_slot slot, const iotx509_cert *cert, int verified);
int th_enrollment_load(iotx509_enrollment *e, iotx509_enrollment_slot slot, const char *ref, int verified);

/* An options struct as a binding passes it: zeros, then the version. */
#define TH_ZERO_OPTIONS(var, ver)                \
	do {                                     \
		memset(&(var), 0, sizeof(var));  \
		(var).version = (ver);           \
	} while (0)

/* Assert that @rc is the refusal of options version @version: IOTX509_EINVAL
 * with a message naming an options struct, the version and the accepted range. */
void th_version_refused(int rc, unsigned int version);
/* As th_version_refused(), and the message names the struct @what ("write options"). */
void th_version_refused_named(int rc, unsigned int version, const char *what);

/* The _init() function @fn of options @type, at @current, named @what in
 * messages, whose _INIT macro is the last argument: the _INIT value is the
 * zero-filled struct with only the version set (both compared as static or
 * zeroed objects, whose padding is zero); on a zeroed struct _init() gives
 * that struct too; it accepts version 1 and refuses 0 and @current + 1 with
 * a message naming @what. */
#define TH_CHECK_OPTIONS_INIT(type, fn, current, what, ...)                                        \
	do {                                                                                       \
		static const type i_ = __VA_ARGS__;                                                \
		type z_, o_;                                                                       \
		TH_ZERO_OPTIONS(z_, (current));                                                    \
		cr_assert_eq(memcmp(&z_, &i_, sizeof(z_)), 0, "the _INIT of " #type " is the zero-filled struct"); \
		memset(&o_, 0, sizeof(o_));                                                        \
		cr_assert_eq(fn(&o_, (current)), 0, "%s", th_err());                               \
		cr_assert_eq(memcmp(&z_, &o_, sizeof(z_)), 0, #fn "() gives the zero-filled struct"); \
		cr_assert_eq(fn(&o_, 1), 0, "%s", th_err());                                       \
		th_version_refused_named(fn(&o_, 0), 0, (what));                                   \
		th_version_refused_named(fn(&o_, (current) + 1), (current) + 1, (what));           \
		cr_assert_eq(fn(NULL, (current)), IOTX509_EINVAL, #fn "(NULL) is refused");             \
	} while (0)

#endif
