/*
 * Argument parsing and error reporting shared by the iotx509 commands.
 */
#include <config.h>

#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void cli_init(struct cli *c, const char *name, const char *help)
{
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->help = help;
	c->key_type = IOTX509_KEY_P256;
	c->id_policy = IOTX509_ID_POLICY_DPS;
	c->pfx_profile = IOTX509_PKCS12_MODERN;
	/* getopt state: each command parses its own argv from the start. */
	optind = 0;
	opterr = 0;
}

int cli_usage(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	out_discard();
	fprintf(stderr, "%s: ", c->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see '%s --help')\n", c->name);
	return EXIT_USAGE;
}

int cli_fail(const struct cli *c, const char *context)
{
	const char *msg = iotx509_error_last();
	int code = iotx509_error_last_code();

	out_discard();
	fprintf(stderr, "%s: %s%s%s", c->name, context ? context : "", context ? ": " : "",
		msg ? msg : iotx509_strerror(code));
	if (code == IOTX509_EEXISTS)
		fputs("; use --force to replace the files", stderr);
	fputc('\n', stderr);
	return EXIT_FAIL;
}

void cli_note(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", c->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_parse_uint(const struct cli *c, const char *opt, const char *arg, unsigned int max, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || *end != '\0' || errno != 0 || v > max)
		return cli_usage(c, "%s: '%s' is not a number from 0 to %u", opt, arg, max);
	*out = (unsigned int)v;
	return 0;
}

int cli_parse_time(const struct cli *c, const char *opt, const char *arg, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, s = 0, n = -1;
	struct tm tm, check;
	time_t t;

	if (arg[0] == '@') {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(arg + 1, &end, 10);
		if (arg[1] == '\0' || *end != '\0' || errno != 0 || v <= 0)
			return cli_usage(c, "%s: '%s' is not a time", opt, arg);
		*out = v;
		return 0;
	}
	if (sscanf(arg, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 && arg[n] == '\0') {
		/* a date alone means midnight UTC */
	} else if (n = -1, sscanf(arg, "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &n) == 6 &&
		   (strcmp(arg + n, "Z") == 0 || arg[n] == '\0')) {
		/* a date and time in UTC */
	} else
		return cli_usage(c, "%s: '%s' is not a time (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or @EPOCH)", opt, arg);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	t = timegm(&tm);
	/* timegm normalises 2026-02-30 to March: refuse such dates. */
	if (t <= 0 || gmtime_r(&t, &check) == NULL || check.tm_mday != d || check.tm_mon != mo - 1 ||
	    check.tm_hour != h || check.tm_min != mi || check.tm_sec != s)
		return cli_usage(c, "%s: '%s' is not a valid time", opt, arg);
	*out = (int64_t)t;
	return 0;
}

int cli_option(struct cli *c, int ch, const char *arg, char **argv)
{
	unsigned int u;
	int err;

	switch (ch) {
	case OPT_HELP:
		fputs(c->help, stdout);
		return EXIT_OK;
	case OPT_JSON:
		c->json = 1;
		break;
	case OPT_FORCE:
		c->force = 1;
		break;
	case OPT_OUT_DIR:
		c->out_dir = arg;
		break;
	case OPT_KEY_TYPE:
		if (iotx509_key_type_from_name(&c->key_type, arg) < 0)
			return cli_usage(c, "--key-type: unknown key type '%s' (rsa2048, rsa3072, rsa4096, p256, p384, ed25519)",
					 arg);
		break;
	case OPT_DAYS:
		if ((err = cli_parse_uint(c, "--days", arg, 36500, &u)) != 0)
			return err;
		if (u == 0)
			return cli_usage(c, "--days: the validity must be at least 1 day");
		c->days = u;
		break;
	case OPT_AT:
		if ((err = cli_parse_time(c, "--at", arg, &c->at)) != 0)
			return err;
		break;
	case OPT_PASSWORD:
		c->password = arg;
		break;
	case OPT_PASSWORD_FILE:
		c->password_file = arg;
		break;
	case OPT_PFX_PROFILE:
		if (iotx509_pkcs12_profile_from_name(&c->pfx_profile, arg) < 0)
			return cli_usage(c, "--pfx-profile: unknown profile '%s' (modern, compat)", arg);
		break;
	case OPT_ID_POLICY:
		if (iotx509_id_policy_from_name(&c->id_policy, arg) < 0)
			return cli_usage(c, "--id-policy: unknown policy '%s' (dps, central, any)", arg);
		break;
	case OPT_CA_CERT:
		c->ca_cert = arg;
		break;
	case OPT_CA_KEY:
		c->ca_key = arg;
		break;
	case OPT_CA_KEY_PASSWORD:
		c->ca_key_password = arg;
		break;
	case OPT_KEY_IN:
		if (strncmp(arg, "pkcs11:", 7) != 0)
			return cli_usage(c, "--key-in: '%s' is not a pkcs11: URL", arg);
		c->key_in = arg;
		break;
	case OPT_PIN_FILE:
		c->pin_file = arg;
		break;
	case OPT_PKCS11_MODULE:
		c->pkcs11_module = arg;
		break;
	case ':':
		return cli_usage(c, "option '%s' needs a value", argv[optind - 1]);
	case '?':
		if (optopt != 0 && optopt < 256)
			return cli_usage(c, "unknown option '-%c'", optopt);
		return cli_usage(c, "unknown option '%s'", argv[optind - 1]);
	default:
		return cli_usage(c, "option '%s' does not apply here", argv[optind - 1]);
	}
	return CLI_CONTINUE;
}

void cli_free_secret(char *s)
{
	if (s == NULL)
		return;
	/* volatile so the wipe is not optimised away */
	for (volatile char *p = s; *p; p++)
		*p = 0;
	free(s);
}

/* The first line of @path, as a malloc'd secret (release with cli_free_secret());
 * an empty one only with @allow_empty. */
static int read_secret_line(const struct cli *c, const char *path, const char *opt, char **out, int allow_empty)
{
	iotx509_buf buf = IOTX509_BUF_INIT;

	if (iotx509_file_read(&buf, path) < 0)
		return cli_fail(c, opt);
	*out = strndup((const char *)buf.data, strcspn((const char *)buf.data, "\r\n"));
	iotx509_buf_dispose(&buf);
	if (*out == NULL) {
		fprintf(stderr, "%s: out of memory\n", c->name);
		return EXIT_FAIL;
	}
	if (**out == '\0' && !allow_empty) {
		cli_free_secret(*out);
		*out = NULL;
		return cli_usage(c, "%s: the first line of %s is empty", opt, path);
	}
	return 0;
}

int cli_key_options(const struct cli *c, iotx509_key_open_options *o, const char *explicit_pin)
{
	char *pin = NULL;
	int rc;

	iotx509_key_open_options_init(o, IOTX509_KEY_OPEN_OPTIONS_VERSION);
	o->module_path = c->pkcs11_module;
	if (explicit_pin != NULL)
		pin = strdup(explicit_pin);
	else if (c->pin_file != NULL && (rc = read_secret_line(c, c->pin_file, "--pin-file", &pin, 0)) != 0)
		return rc;
	o->pin = pin;
	return 0;
}

void cli_key_options_free(iotx509_key_open_options *o)
{
	cli_free_secret((char *)o->pin);
	o->pin = NULL;
}

static int pfx_password(const struct cli *c, char **out, int *is_default, int allow_empty)
{
	*out = NULL;
	*is_default = 0;
	if (c->password != NULL && c->password_file != NULL)
		return cli_usage(c, "give --password or --password-file, not both");
	if (c->password != NULL) {
		*out = strdup(c->password);
	} else if (c->password_file != NULL) {
		return read_secret_line(c, c->password_file, "--password-file", out, allow_empty);
	} else {
		*out = strdup(DEFAULT_PFX_PASSWORD);
		*is_default = 1;
	}
	if (*out == NULL) {
		fprintf(stderr, "%s: out of memory\n", c->name);
		return EXIT_FAIL;
	}
	if (**out == '\0' && !allow_empty) {
		cli_free_secret(*out);
		*out = NULL;
		return cli_usage(c, "the .pfx password is empty");
	}
	return 0;
}

int cli_pfx_password(const struct cli *c, char **out, int *is_default)
{
	return pfx_password(c, out, is_default, 0);
}

int cli_pfx_password_to_read(const struct cli *c, char **out, int *is_default)
{
	return pfx_password(c, out, is_default, 1);
}

void cli_note_default_password(const struct cli *c, const char *pfx)
{
	cli_note(c, "note: %s is protected with the default password '%s' (choose one with --password or "
		    "--password-file)",
		 pfx, DEFAULT_PFX_PASSWORD);
}

int cli_load_parent(const struct cli *c, const char *parent, iotx509_credential **out)
{
	char ctx[512];

	*out = NULL;
	if (parent != NULL && (c->ca_cert != NULL || c->ca_key != NULL))
		return cli_usage(c, "give PARENT or --ca-cert/--ca-key, not both");
	if (parent == NULL && (c->ca_cert == NULL || c->ca_key == NULL))
		return cli_usage(c, "the issuing CA is missing: give PARENT, or --ca-cert FILE and --ca-key FILE");
	if (parent != NULL) {
		snprintf(ctx, sizeof(ctx), "parent '%s'", parent);
		if (iotx509_credential_load(out, c->out_dir, parent, c->ca_key_password,
					    IOTX509_CREDENTIAL_PARTIAL_CHAIN) < 0)
			return cli_fail(c, ctx);
	} else if (strncmp(c->ca_key, "pkcs11:", 7) == 0) {
		/* The CA key is in a token: the certificate (and its chain) from
		 * --ca-cert, the key by URL, with the PIN and module options. */
		iotx509_credential *certs = NULL;
		iotx509_key_open_options o;
		iotx509_key *key = NULL;
		int rc, err;

		if ((rc = cli_key_options(c, &o, c->ca_key_password)) != 0)
			return rc;
		err = iotx509_credential_load_files(&certs, c->ca_cert, NULL, NULL, IOTX509_CREDENTIAL_PARTIAL_CHAIN);
		if (err == 0)
			err = iotx509_key_open(&key, c->ca_key, &o);
		if (err == 0)
			err = iotx509_credential_new(out, iotx509_credential_get_cert(certs), key,
						     iotx509_credential_get_chain(certs), IOTX509_CREDENTIAL_PARTIAL_CHAIN);
		cli_key_options_free(&o);
		iotx509_key_free(key);
		iotx509_credential_free(certs);
		if (err < 0)
			return cli_fail(c, "CA");
	} else if (iotx509_credential_load_files(out, c->ca_cert, c->ca_key, c->ca_key_password,
						 IOTX509_CREDENTIAL_PARTIAL_CHAIN) < 0) {
		return cli_fail(c, "CA");
	}
	cli_warn_partial(c, iotx509_credential_get_chain(*out),
			 "put the CA's chain after it in --ca-cert, or in PARENT_fullchain.pem");
	return 0;
}

void cli_warn_partial(const struct cli *c, const iotx509_certlist *chain, const char *hint)
{
	const iotx509_cert *last = iotx509_certlist_get(chain, iotx509_certlist_count(chain) - 1);

	if (last != NULL && !iotx509_cert_is_self_signed(last))
		cli_note(c, "warning: the chain ends at '%s': its issuer '%s' was not found, so the full chain "
			    "written lacks it (%s)",
			 iotx509_cert_get_subject_dn(last), iotx509_cert_get_issuer_dn(last), hint);
}

int cli_commit(const struct cli *c, iotx509_fileset *set)
{
	if (iotx509_fileset_commit(set, c->force ? IOTX509_WRITE_OVERWRITE : 0) < 0)
		return cli_fail(c, NULL);
	return 0;
}

int cli_expiry_rule(const struct cli *c, int percent, const char *arg, iotx509_expiry_rule *rule,
		    unsigned int *threshold, int *given)
{
	unsigned int u;
	int rc;

	if ((rc = cli_parse_uint(c, percent ? "--at-percent" : "--within", arg, percent ? 100 : 36500, &u)) != 0)
		return rc;
	if (percent && u == 0)
		return cli_usage(c, "--at-percent: give a percentage from 1 to 100");
	*rule = percent ? IOTX509_EXPIRY_PERCENT : IOTX509_EXPIRY_DAYS;
	*threshold = u;
	(*given)++;
	return 0;
}
