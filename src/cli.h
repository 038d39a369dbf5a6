/*
 * Shared declarations of the iotx509 tool: the commands, the options
 * several commands accept, and error reporting.
 *
 * The tool only parses arguments, calls libiotx509 and prints; anything
 * else belongs in the library.
 */
#ifndef IOTX509_CLI_H
#define IOTX509_CLI_H

#include <getopt.h>
#include <stdint.h>

#include <iotx509.h>

#include "output.h"

#define PROGRAM "iotx509"
/* The .pfx password of the documented flow (create_test_cert.js, certGen.sh). */
#define DEFAULT_PFX_PASSWORD "1234"

/* Where secrets come from when no option gives them (see cli_pfx_password()). */
#define ENV_PFX_PASSWORD "IOTX509_PFX_PASSWORD"
#define ENV_KEY_PASSWORD "IOTX509_KEY_PASSWORD"
#define ENV_CA_KEY_PASSWORD "IOTX509_CA_KEY_PASSWORD"
#define ENV_CA_PASSWORD "IOTX509_CA_PASSWORD"

/* Exit statuses. */
#define EXIT_OK 0
#define EXIT_FAIL 1  /* the operation failed, or a verification said no */
#define EXIT_USAGE 2 /* bad command line */

/* Returned by cli_option() when it handled the option and parsing goes on. */
#define CLI_CONTINUE (-1)

/* Long option codes (all long-only, except -h). */
enum {
	OPT_HELP = 'h',
	OPT_JSON = 256,
	OPT_FORCE,
	OPT_OUT_DIR,
	OPT_KEY_TYPE,
	OPT_DAYS,
	OPT_AT,
	OPT_PASSWORD,
	OPT_PASSWORD_FILE,
	OPT_PFX_PROFILE,
	OPT_ID_POLICY,
	OPT_CA_CERT,
	OPT_CA_KEY,
	OPT_CA_KEY_PASSWORD,
	OPT_CN,
	OPT_PATHLEN,
	OPT_DNS,
	OPT_IP,
	OPT_OUT,
	OPT_CA,
	OPT_KEY,
	OPT_KEY_PASSWORD,
	OPT_NONCE,
	OPT_DER_BASE64,
	OPT_NO_ROOT,
	OPT_TRUST,
	OPT_DEVICE,
	OPT_SHA1,
	OPT_SHA256,
	OPT_CERT,
	OPT_CHAIN,
	OPT_FRIENDLY_NAME,
	OPT_ITERATIONS,
	OPT_PIN_FILE,
	OPT_PKCS11_MODULE,
	OPT_KEY_IN,
	OPT_CA_KEY_PASSWORD_FILE,
	OPT_CA_PASSWORD,
	OPT_CA_PASSWORD_FILE,
	OPT_KEY_PASSWORD_FILE,
	OPT_WITHIN,
	OPT_AT_PERCENT
};

/* struct option entries for the shared options. */
#define O_HELP { "help", no_argument, NULL, OPT_HELP }
#define O_JSON { "json", no_argument, NULL, OPT_JSON }
#define O_FORCE { "force", no_argument, NULL, OPT_FORCE }
#define O_OUT_DIR { "out-dir", required_argument, NULL, OPT_OUT_DIR }
#define O_KEY_TYPE { "key-type", required_argument, NULL, OPT_KEY_TYPE }
#define O_DAYS { "days", required_argument, NULL, OPT_DAYS }
#define O_AT { "at", required_argument, NULL, OPT_AT }
/* --within DAYS | --at-percent P, the renewal rule of expiry and tree (see cli_expiry_rule()). */
#define O_EXPIRY_RULE { "within", required_argument, NULL, OPT_WITHIN }, \
	{ "at-percent", required_argument, NULL, OPT_AT_PERCENT }
#define O_PASSWORD { "password", required_argument, NULL, OPT_PASSWORD }
#define O_PASSWORD_FILE { "password-file", required_argument, NULL, OPT_PASSWORD_FILE }
#define O_PFX_PROFILE { "pfx-profile", required_argument, NULL, OPT_PFX_PROFILE }
#define O_ID_POLICY { "id-policy", required_argument, NULL, OPT_ID_POLICY }
#define O_CA_CERT { "ca-cert", required_argument, NULL, OPT_CA_CERT }
#define O_CA_KEY { "ca-key", required_argument, NULL, OPT_CA_KEY }
#define O_CA_KEY_PASSWORD { "ca-key-password", required_argument, NULL, OPT_CA_KEY_PASSWORD }
#define O_CA_KEY_PASSWORD_FILE { "ca-key-password-file", required_argument, NULL, OPT_CA_KEY_PASSWORD_FILE }
#define O_CA_PASSWORD { "ca-password", required_argument, NULL, OPT_CA_PASSWORD }
#define O_CA_PASSWORD_FILE { "ca-password-file", required_argument, NULL, OPT_CA_PASSWORD_FILE }
#define O_KEY_PASSWORD { "key-password", required_argument, NULL, OPT_KEY_PASSWORD }
#define O_KEY_PASSWORD_FILE { "key-password-file", required_argument, NULL, OPT_KEY_PASSWORD_FILE }
#define O_PIN_FILE { "pin-file", required_argument, NULL, OPT_PIN_FILE }
#define O_PKCS11_MODULE { "pkcs11-module", required_argument, NULL, OPT_PKCS11_MODULE }
#define O_KEY_IN { "key-in", required_argument, NULL, OPT_KEY_IN }
#define O_END { NULL, 0, NULL, 0 }

/* The options every issuing command takes. */
#define O_ISSUING O_HELP, O_JSON, O_FORCE, O_OUT_DIR, O_KEY_TYPE, O_DAYS, O_AT, O_PASSWORD, \
	O_PASSWORD_FILE, O_PFX_PROFILE, O_ID_POLICY, O_KEY_IN, O_PIN_FILE, O_PKCS11_MODULE
/* How an issuing command names its CA. */
#define O_PARENT O_CA_CERT, O_CA_KEY, O_CA_KEY_PASSWORD, O_CA_KEY_PASSWORD_FILE, O_CA_PASSWORD, O_CA_PASSWORD_FILE

/* Help text for the shared options, for the commands' --help. */
#define HELP_COMMON \
	"  --key-type TYPE      rsa2048, rsa3072, rsa4096, p256 (default), p384, ed25519\n" \
	"  --days N             validity in days (default: the profile's)\n" \
	"  --at TIME            issue as of TIME instead of now (YYYY-MM-DD[THH:MM:SSZ] or @EPOCH)\n" \
	"  --out-dir DIR        where files are written (default .; created when missing)\n" \
	"  --password PW        password of the .pfx (default: --password-file, else $" ENV_PFX_PASSWORD ",\n" \
	"                       else " DEFAULT_PFX_PASSWORD ", and the tool says so)\n" \
	"  --password-file FILE read the .pfx password from the first line of FILE\n" \
	"  --pfx-profile P      modern (default: AES-256, SHA-256) or compat (3DES, SHA-1)\n" \
	"  --id-policy P        device ID rules: dps (default), central, any\n" \
	"  --key-in URL         generate the key inside the PKCS#11 token URL names (labelled NAME);\n" \
	"                       it never leaves the token: no NAME_key.pem or NAME.pfx is written\n" \
	"  --pin-file FILE      PKCS#11 PIN from the first line of FILE (else the URL's pin-value or\n" \
	"                       pin-source, else $IOTX509_PKCS11_PIN)\n" \
	"  --pkcs11-module PATH load this PKCS#11 module (default: the p11-kit configuration)\n" \
	"  --force              replace existing files (the whole set, never half of it)\n" \
	"  --json               print the result as one JSON object\n" \
	"  -h, --help           show this help\n"
#define HELP_PARENT \
	"PARENT is a name stem, NAME or DIR/NAME, whose NAME_cert.pem and NAME_key.pem (and\n" \
	"NAME_fullchain.pem if present) are there, relative to the current directory (a bare\n" \
	"NAME not found there is looked up in the out dir); or give the CA's files:\n" \
	"  --ca-cert FILE       CA certificate, may be followed by its chain (e.g. a NAME_fullchain.pem),\n" \
	"                       or a NAME.pfx holding the CA's key and chain (then no --ca-key)\n" \
	"  --ca-key FILE|URL    CA private key (PEM or DER; PKCS#1, SEC1, PKCS#8) or a pkcs11: URL\n" \
	"  --ca-key-password PW password of an encrypted CA key (for a pkcs11: URL, the PIN)\n" \
	"  --ca-key-password-file FILE\n" \
	"                       the same, from the first line of FILE (else $" ENV_CA_KEY_PASSWORD ")\n" \
	"  --ca-password PW     password of a .pfx given as the CA (default " DEFAULT_PFX_PASSWORD ")\n" \
	"  --ca-password-file FILE\n" \
	"                       the same, from the first line of FILE (else $" ENV_CA_PASSWORD ")\n"

/* Options shared by several commands, after parsing. */
struct cli {
	const char *name; /* "iotx509 device", for messages */
	const char *help;
	int json, force;
	const char *out_dir; /* NULL: the current directory */
	iotx509_key_type key_type;
	unsigned int days;
	int64_t at; /* 0: now */
	iotx509_id_policy id_policy;
	const char *password, *password_file;
	iotx509_pkcs12_profile pfx_profile;
	const char *ca_cert, *ca_key, *ca_key_password, *ca_key_password_file;
	const char *ca_password, *ca_password_file;  /* of a .pfx given as the CA */
	const char *ca_opt, *ca_key_opt;             /* their names here: --ca-cert, --ca-key */
	const char *key_password, *key_password_file; /* --key-password: of a key the command reads */
	const char *key_in, *pin_file, *pkcs11_module;
	iotx509_expiry_rule rule; /* --within, --at-percent: rules counts them */
	unsigned int threshold;
	int rules;
	/* Set by cli_getopt() for a ':': the option missing its value, and the
	 * option it would have swallowed (NULL at the end of the line). */
	const char *bad_option, *bad_value;
};

void cli_init(struct cli *c, const char *name, const char *help);

/*
 * getopt_long() with the short options ":h" that also refuses a value that
 * is another option: "--nonce --out x" returns ':' (as for a value missing
 * at the end) instead of taking "--out" as the nonce; "--nonce=--out" is
 * still a value. cli_option() reports the ':' naming the fix.
 */
int cli_getopt(struct cli *c, int argc, char **argv, const struct option *opts);

/*
 * Handle option @ch from getopt_long: a shared option, --help, or a
 * getopt error ('?', ':'). Returns CLI_CONTINUE, or an exit status to
 * return from the command now (EXIT_OK after --help).
 */
int cli_option(struct cli *c, int ch, const char *arg, char **argv);

/* Print "iotx509 CMD: MESSAGE (see 'iotx509 CMD --help')" on stderr; return EXIT_USAGE. */
int cli_usage(const struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print "iotx509 CMD: [CONTEXT: ]<library message>" on stderr, drop collected
 * output, and return EXIT_FAIL. @context may be NULL. */
int cli_fail(const struct cli *c, const char *context);

/* Copy the @n strings @v (--dns or --ip values) into a new library string
 * list in @out (NULL when @n is 0); the caller frees it. Returns 0 or a
 * library error code. */
iotx509_error_code cli_strlist(iotx509_strlist **out, const char *const *v, size_t n);

/* Print "iotx509 CMD: warning/note: ..." on stderr. */
void cli_note(const struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parse numbers and times from the command line (0 or EXIT_USAGE after a message). */
/* Credential options with IOTX509_CREDENTIAL_PARTIAL_CHAIN: the tool accepts
 * a CA whose root is kept elsewhere. */
extern const iotx509_credential_options cli_partial_chain;
/* iotx509_id_validate_device() of a device ID that becomes a CN, under --id-policy. */
int cli_check_device_id(const struct cli *c, const char *id);
/* @wo set to the defaults with @flags (::iotx509_write_flags); returns @wo. */
const iotx509_write_options *cli_write_options(iotx509_write_options *wo, unsigned int flags);
int cli_parse_uint(const struct cli *c, const char *opt, const char *arg, unsigned int max, unsigned int *out);
int cli_parse_time(const struct cli *c, const char *opt, const char *arg, int64_t *out);

/*
 * The .pfx password: --password, the first line of --password-file, or
 * $IOTX509_PFX_PASSWORD (unset or empty: none), else DEFAULT_PFX_PASSWORD
 * (then *is_default is set: say so with cli_note_default_password() once
 * the command succeeded, so that a failing command prints only its one-line
 * error). Every secret follows that order: option, its -file, environment.
 * *out is malloc'd; release it with cli_free_secret().
 */
int cli_pfx_password(const struct cli *c, char **out, int *is_default);
/* 1 when a .pfx password is given (option, file or environment). */
int cli_pfx_password_given(const struct cli *c);
/* As cli_pfx_password() for reading a .pfx: an explicit empty password
 * (--password '', or an empty first line in --password-file) is allowed. */
int cli_pfx_password_to_read(const struct cli *c, char **out, int *is_default);
void cli_note_default_password(const struct cli *c, const char *pfx);
/* --key-password, --key-password-file or $IOTX509_KEY_PASSWORD; *out NULL when none. */
int cli_key_password(const struct cli *c, char **out);
void cli_free_secret(char *s);

/*
 * Load the issuing CA: PARENT (a name stem, relative to the current
 * directory, else a bare name in the out dir), or --ca-cert with --ca-key,
 * or a .pfx as --ca-cert. A CA that cannot issue (not a CA, no
 * keyCertSign, key mismatch) fails here with that one error; a usable one
 * whose chain does not reach a root gets a warning on stderr.
 */
int cli_load_parent(const struct cli *c, const char *parent, iotx509_credential **out);
/* The same, as the issuer (iotx509_issuer_new_from_credential(): the CA with its chain). */
int cli_load_issuer(const struct cli *c, const char *parent, iotx509_issuer **out);

/*
 * PKCS#11 options for iotx509_key_open(): --pkcs11-module and the PIN
 * (@explicit_pin if not NULL, else the first line of --pin-file). Release
 * with cli_key_options_free().
 */
int cli_key_options(const struct cli *c, iotx509_key_open_options *o, const char *explicit_pin);
void cli_key_options_free(iotx509_key_open_options *o);

/*
 * After parsing: the rule that --within DAYS or --at-percent P gave (handled
 * by cli_option()) into @rule and @threshold, left alone when neither was
 * given; a usage error when more than one was.
 */
int cli_expiry_rule(const struct cli *c, iotx509_expiry_rule *rule, unsigned int *threshold, int *has_threshold);

/* Warn on stderr when @chain does not end with a self-signed root. */
void cli_warn_partial(const struct cli *c, const iotx509_certlist *chain, const char *hint);

/* Commit @set (with --force: overwriting) into the out dir, creating it
 * when missing (mode 0755), and report a failure. */
int cli_commit(const struct cli *c, iotx509_fileset *set);
/* Create the out dir when missing (0 or EXIT_FAIL after a message). */
int cli_make_out_dir(const struct cli *c);

/* When issuance cut @cert's validity to its issuer's, say so with both dates. */
/* The same for a batch: @asked and @got notAfter, the parent's DN. */
void cli_note_clamp_at(const struct cli *c, int64_t asked, int64_t got, const char *issuer_dn);
void cli_note_clamp(const struct cli *c, const iotx509_cert *cert);

/*
 * For a self-signed device @name (a file stem ending in "secondary") with
 * CN @cn: warn when the primary next to it (the same stem with "primary",
 * or without "secondary") has another CN, which an individual enrollment
 * refuses.
 */
void cli_warn_secondary(const struct cli *c, const char *name, const char *cn);

/* The commands. argv[0] is the command name. */
int cmd_root(int argc, char **argv);
int cmd_intermediate(int argc, char **argv);
int cmd_device(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_verification(int argc, char **argv);
int cmd_edge_ca(int argc, char **argv);
int cmd_server(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_csr(int argc, char **argv);
int cmd_chain(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_thumbprint(int argc, char **argv);
int cmd_p12(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_renew(int argc, char **argv);
int cmd_expiry(int argc, char **argv);
int cmd_tree(int argc, char **argv);
int cmd_edge_config(int argc, char **argv);
int cmd_lint(int argc, char **argv);

#endif
