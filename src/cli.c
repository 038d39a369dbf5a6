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
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void cli_init(struct cli *c, const char *name, const char *help)
{
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->help = help;
	c->key_type = IOTX509_KEY_P256;
	c->id_policy = IOTX509_ID_POLICY_DPS;
	c->pfx_profile = IOTX509_PKCS12_MODERN;
	c->ca_opt = "--ca-cert";
	c->ca_key_opt = "--ca-key";
	/* getopt state: each command parses its own argv from the start. */
	optind = 0;
	opterr = 0;
}

/* "NAME: MESSAGE" with MESSAGE escaped (it may quote file names or a DN). */
static void vmessage(const struct cli *c, const char *fmt, va_list ap)
{
	char *msg = NULL;

	fprintf(stderr, "%s: ", c->name);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	fputs(out_esc(msg ? msg : "(out of memory)"), stderr);
	free(msg);
}

int cli_usage(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	out_discard();
	va_start(ap, fmt);
	vmessage(c, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see '%s --help')\n", c->name);
	return EXIT_USAGE;
}

/* "iotx509 CMD: [CONTEXT: ]MESSAGE[; HINT]" on stderr; EXIT_FAIL. */
static int fail_text(const struct cli *c, const char *context, const char *msg, const char *hint)
{
	out_discard();
	/* Library messages quote certificate fields and file names as they are. */
	fprintf(stderr, "%s: %s%s%s%s%s\n", c->name, context ? out_esc(context) : "", context ? ": " : "", out_esc(msg),
		hint ? "; " : "", hint ? hint : "");
	return EXIT_FAIL;
}

int cli_fail(const struct cli *c, const char *context)
{
	const char *msg = iotx509_error_last();
	int code = iotx509_error_last_code();

	return fail_text(c, context, msg ? msg : iotx509_strerror(code),
			 code == IOTX509_EEXISTS ? "use --force to replace the files" : NULL);
}

iotx509_error_code cli_strlist(iotx509_strlist **out, const char *const *v, size_t n)
{
	size_t i;
	int ret;

	*out = NULL;
	if (n == 0)
		return 0;
	if ((ret = iotx509_strlist_new(out)) < 0)
		return ret;
	for (i = 0; i < n; i++) {
		if ((ret = iotx509_strlist_add(*out, v[i])) < 0) {
			iotx509_strlist_free(*out);
			*out = NULL;
			return ret;
		}
	}
	return 0;
}

void cli_note(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(c, fmt, ap);
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

int cli_getopt(struct cli *c, int argc, char **argv, const struct option *opts)
{
	int idx = -1, ch, i;

	c->bad_option = c->bad_value = NULL;
	ch = getopt_long(argc, argv, ":h", opts, &idx);
	if (ch == ':') {
		for (i = 0; opts[i].name != NULL; i++)
			if (optopt >= 256 && opts[i].val == optopt)
				c->bad_option = opts[i].name;
	} else if (idx >= 0 && opts[idx].has_arg == required_argument && optarg == argv[optind - 1] &&
		   strncmp(optarg, "--", 2) == 0) {
		/* "--nonce --out x": the value is the next option; "--nonce=--out" is not refused. */
		c->bad_option = opts[idx].name;
		c->bad_value = optarg;
		ch = ':';
	}
	return ch;
}

/* The placeholder the command's help gives the value of --@name ("N", "FILE"), or "VALUE". */
static const char *metavar(const struct cli *c, const char *name, char *buf, size_t size)
{
	size_t n = strlen(name);
	const char *p = c->help;

	while ((p = strstr(p, "--")) != NULL) {
		p += 2;
		if (strncmp(p, name, n) == 0 && p[n] == ' ' && p[n + 1] >= 'A' && p[n + 1] <= 'Z') {
			snprintf(buf, size, "%.*s", (int)strcspn(p + n + 1, " \n"), p + n + 1);
			return buf;
		}
	}
	return "VALUE";
}

/* A ':' from getopt: an option without its value. */
static int missing_value(const struct cli *c, char **argv)
{
	char mv[64];
	const char *o = c->bad_option;

	if (o == NULL)
		return cli_usage(c, "option '%s' needs a value", argv[optind - 1]);
	metavar(c, o, mv, sizeof(mv));
	if (c->bad_value != NULL)
		return cli_usage(c, "option '--%s' needs a value, not the option '%s': --%s %s (if the value starts with "
				    "'--', write --%s=%s)",
				 o, c->bad_value, o, mv, o, c->bad_value);
	return cli_usage(c, "option '--%s' needs a value: --%s %s", o, o, mv);
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
		if ((err = cli_parse_uint(c, "--days", arg, IOTX509_MAX_DAYS, &u)) != 0)
			return err;
		if (u == 0)
			return cli_usage(c, "--days: the validity must be at least 1 day");
		c->days = u;
		break;
	case OPT_AT:
		if ((err = cli_parse_time(c, "--at", arg, &c->at)) != 0)
			return err;
		break;
	case OPT_WITHIN:
	case OPT_AT_PERCENT: {
		int percent = ch == OPT_AT_PERCENT;

		if ((err = cli_parse_uint(c, percent ? "--at-percent" : "--within", arg, percent ? 100 : IOTX509_MAX_DAYS,
					  &c->threshold)) != 0)
			return err;
		if (percent && c->threshold == 0)
			return cli_usage(c, "--at-percent: give a percentage from 1 to 100");
		c->rule = percent ? IOTX509_EXPIRY_PERCENT : IOTX509_EXPIRY_DAYS;
		c->rules++;
		break;
	}
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
	case OPT_CA_KEY_PASSWORD_FILE:
		c->ca_key_password_file = arg;
		break;
	case OPT_CA_PASSWORD:
		c->ca_password = arg;
		break;
	case OPT_CA_PASSWORD_FILE:
		c->ca_password_file = arg;
		break;
	case OPT_KEY_PASSWORD:
		c->key_password = arg;
		break;
	case OPT_KEY_PASSWORD_FILE:
		c->key_password_file = arg;
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
		return missing_value(c, argv);
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

/*
 * The secret of option --@opt: its value, else the first line of the file
 * of --@opt-file, else $@env (unset or empty: none; @env may be NULL).
 * *out is NULL when none is given.
 */
/* @allow_empty: an empty value or first line is the empty password (reading
 * a .pfx); otherwise it is refused. */
static int secret(const struct cli *c, const char *opt, const char *value, const char *file, const char *env,
		  char **out, int allow_empty)
{
	char file_opt[64];
	const char *e;

	*out = NULL;
	snprintf(file_opt, sizeof(file_opt), "--%s-file", opt);
	if (value != NULL && file != NULL)
		return cli_usage(c, "give --%s or %s, not both", opt, file_opt);
	if (file != NULL)
		return read_secret_line(c, file, file_opt, out, allow_empty);
	if (value == NULL && env != NULL && (e = getenv(env)) != NULL && *e != '\0')
		value = e;
	if (value == NULL)
		return 0;
	if (*value == '\0' && !allow_empty)
		return cli_usage(c, "--%s: the password is empty", opt);
	if ((*out = strdup(value)) == NULL) {
		fprintf(stderr, "%s: out of memory\n", c->name);
		return EXIT_FAIL;
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
	int rc = secret(c, "password", c->password, c->password_file, ENV_PFX_PASSWORD, out, allow_empty);

	*is_default = 0;
	if (rc != 0 || *out != NULL)
		return rc;
	if ((*out = strdup(DEFAULT_PFX_PASSWORD)) == NULL) {
		fprintf(stderr, "%s: out of memory\n", c->name);
		return EXIT_FAIL;
	}
	*is_default = 1;
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

int cli_pfx_password_given(const struct cli *c)
{
	const char *e = getenv(ENV_PFX_PASSWORD);

	return c->password != NULL || c->password_file != NULL || (e != NULL && *e != '\0');
}

int cli_key_password(const struct cli *c, char **out)
{
	return secret(c, "key-password", c->key_password, c->key_password_file, ENV_KEY_PASSWORD, out, 0);
}

void cli_note_default_password(const struct cli *c, const char *pfx)
{
	cli_note(c, "note: %s is protected with the default password '%s' (choose one with --password, "
		    "--password-file or $" ENV_PFX_PASSWORD ")",
		 pfx, DEFAULT_PFX_PASSWORD);
}

/* The password of an encrypted CA key; for a key in a token (@pkcs11) the
 * PIN, which then comes from the options only ($IOTX509_PKCS11_PIN is the
 * library's, after --pin-file and the URL). */
static int ca_key_password(const struct cli *c, int pkcs11, char **out)
{
	return secret(c, "ca-key-password", c->ca_key_password, c->ca_key_password_file,
		      pkcs11 ? NULL : ENV_CA_KEY_PASSWORD, out, 0);
}

static int has_pfx_suffix(const char *path)
{
	size_t n = strlen(path);

	return n > 4 && (strcasecmp(path + n - 4, ".pfx") == 0 || strcasecmp(path + n - 4, ".p12") == 0);
}

/* A PARENT that is a file, not a name stem: say what to give instead. */
static int parent_is_file(const struct cli *c, const char *parent)
{
	static const char *const stems[] = { "_cert.pem", "_fullchain.pem", "_key.pem" };
	size_t n = strlen(parent), k, i;

	for (i = 0; i < sizeof(stems) / sizeof(stems[0]); i++) {
		k = strlen(stems[i]);
		if (n > k && strcmp(parent + n - k, stems[i]) == 0)
			return cli_usage(c, "PARENT '%s' is a file: give the CA's name stem '%.*s' (for %.*s_cert.pem and "
					    "%.*s_key.pem), or its files with --ca-cert and --ca-key",
					 parent, (int)(n - k), parent, (int)(n - k), parent, (int)(n - k), parent);
	}
	if (has_pfx_suffix(parent))
		return cli_usage(c, "PARENT '%s' is a file: give a .pfx CA as --ca-cert %s (its password with "
				    "--ca-password-file or $" ENV_CA_PASSWORD ")",
				 parent, parent);
	return cli_usage(c, "PARENT '%s' is a file, not a name stem: give the CA's files with --ca-cert %s --ca-key KEY",
			 parent, parent);
}

static int is_regular_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* 1 if NAME_cert.pem of @dir/@name exists. */
static int stem_exists(const char *dir, const char *name)
{
	iotx509_buf p = IOTX509_BUF_INIT;
	int r = iotx509_credential_path(&p, dir, name, IOTX509_CREDENTIAL_CERT) == 0 && access((char *)p.data, F_OK) == 0;

	iotx509_buf_dispose(&p);
	return r;
}

/* PARENT: NAME or DIR/NAME relative to the current directory; a bare NAME
 * not found there may be in the out dir (where earlier versions looked). */
static int load_parent_stem(const struct cli *c, const char *parent, iotx509_credential **out)
{
	const char *slash = strrchr(parent, '/'), *name = slash ? slash + 1 : parent;
	char *dir = NULL, *password = NULL, ctx[512];
	int rc;

	if (*name == '\0')
		return cli_usage(c, "PARENT '%s' ends with '/': give the CA's name stem, e.g. %sNAME for %sNAME_cert.pem",
				 parent, parent, parent);
	if (slash != NULL && (dir = strndup(parent, slash == parent ? 1 : (size_t)(slash - parent))) == NULL) {
		fprintf(stderr, "%s: out of memory\n", c->name);
		return EXIT_FAIL;
	}
	if (!stem_exists(dir, name)) {
		if (is_regular_file(parent)) {
			free(dir);
			return parent_is_file(c, parent);
		}
		if (slash == NULL && c->out_dir != NULL && stem_exists(c->out_dir, name) &&
		    (dir = strdup(c->out_dir)) == NULL) {
			fprintf(stderr, "%s: out of memory\n", c->name);
			return EXIT_FAIL;
		}
	}
	rc = ca_key_password(c, 0, &password);
	snprintf(ctx, sizeof(ctx), "parent '%s'", parent);
	if (rc == 0 && iotx509_credential_load(out, dir, name, password, &cli_partial_chain) < 0)
		rc = cli_fail(c, ctx);
	cli_free_secret(password);
	free(dir);
	return rc;
}

/* 1 if @path is a PKCS#12 file (whatever its password). */
static int is_pkcs12(const char *path)
{
	iotx509_pkcs12 *p = NULL;
	int err = iotx509_pkcs12_load(&p, path, DEFAULT_PFX_PASSWORD, NULL);

	iotx509_pkcs12_free(p);
	return err == 0 || err == IOTX509_EPASSWORD;
}

/* The CA as a .pfx in --ca-cert: its key, certificate and chain. */
static int load_ca_pfx(const struct cli *c, int named_pfx, iotx509_credential **out)
{
	iotx509_pkcs12 *p12 = NULL;
	char *password = NULL;
	int rc, err;

	if (c->ca_key != NULL)
		return cli_usage(c, "%s '%s' is a .pfx that holds the CA's key: leave out %s", c->ca_opt, c->ca_cert,
				 c->ca_key_opt);
	if ((rc = secret(c, "ca-password", c->ca_password, c->ca_password_file, ENV_CA_PASSWORD, &password, 0)) != 0)
		return rc;
	err = iotx509_pkcs12_load(&p12, c->ca_cert, password ? password : DEFAULT_PFX_PASSWORD, NULL);
	if (err == IOTX509_EPARSE && !named_pfx)
		rc = cli_usage(c, "the issuing CA's key is missing: give %s FILE with %s", c->ca_key_opt, c->ca_opt);
	else if (c->ca_key_password != NULL || c->ca_key_password_file != NULL)
		rc = cli_usage(c, "the password of the .pfx '%s' goes in --ca-password-file, $" ENV_CA_PASSWORD
				  " or --ca-password, not --ca-key-password",
			       c->ca_cert);
	else if (err == IOTX509_EPASSWORD && password == NULL)
		rc = fail_text(c, "CA", iotx509_error_last(),
			       "it is not the default " DEFAULT_PFX_PASSWORD ": give the .pfx password with --ca-password-file "
			       "FILE, $" ENV_CA_PASSWORD " or --ca-password");
	else if (err < 0 || iotx509_credential_new(out, iotx509_pkcs12_get_leaf(p12), iotx509_pkcs12_get_key(p12),
						   iotx509_pkcs12_get_chain(p12), &cli_partial_chain) < 0)
		rc = cli_fail(c, "CA");
	iotx509_pkcs12_free(p12);
	cli_free_secret(password);
	return rc;
}

/* The CA's key in a token: the certificate (and its chain) from --ca-cert,
 * the key by URL, with the PIN and module options. */
static int load_ca_token(const struct cli *c, iotx509_credential **out)
{
	iotx509_credential *certs = NULL;
	iotx509_key_open_options o;
	iotx509_key *key = NULL;
	char *pin = NULL;
	int rc, err;

	if ((rc = ca_key_password(c, 1, &pin)) != 0)
		return rc;
	rc = cli_key_options(c, &o, pin);
	cli_free_secret(pin);
	if (rc != 0)
		return rc;
	err = iotx509_credential_load_files(&certs, c->ca_cert, NULL, NULL, &cli_partial_chain);
	if (err == 0)
		err = iotx509_key_open(&key, c->ca_key, &o);
	if (err == 0)
		err = iotx509_credential_new(out, iotx509_credential_get_cert(certs), key,
					     iotx509_credential_get_chain(certs), &cli_partial_chain);
	cli_key_options_free(&o);
	iotx509_key_free(key);
	iotx509_credential_free(certs);
	return err < 0 ? cli_fail(c, "CA") : 0;
}

/* --ca-cert and --ca-key (or a .pfx in --ca-cert alone). */
static int load_ca_files(const struct cli *c, iotx509_credential **out)
{
	char *password = NULL, msg[1024];
	int rc, err, named_pfx = has_pfx_suffix(c->ca_cert);

	if (named_pfx || c->ca_key == NULL)
		return load_ca_pfx(c, named_pfx, out);
	if (strncmp(c->ca_key, "pkcs11:", 7) == 0)
		return load_ca_token(c, out);
	if ((rc = ca_key_password(c, 0, &password)) != 0)
		return rc;
	err = iotx509_credential_load_files(out, c->ca_cert, c->ca_key, password, &cli_partial_chain);
	cli_free_secret(password);
	if (err == 0)
		return 0;
	if (err != IOTX509_EPARSE && err != IOTX509_EUNSUPPORTED)
		return cli_fail(c, "CA");
	/* A .pfx under another name is not PEM or DER: say how to give it. */
	snprintf(msg, sizeof(msg), "%s", iotx509_error_last() ? iotx509_error_last() : iotx509_strerror(err));
	if (is_pkcs12(c->ca_cert))
		return cli_usage(c, "%s '%s' is a .pfx that holds the CA's key: give it alone (%s %s, its password with "
				    "--ca-password-file or $" ENV_CA_PASSWORD "), without %s",
				 c->ca_opt, c->ca_cert, c->ca_opt, c->ca_cert, c->ca_key_opt);
	if (is_pkcs12(c->ca_key))
		return cli_usage(c, "%s '%s' is a .pfx: give it as %s %s (it holds the certificate and the key), without "
				    "%s",
				 c->ca_key_opt, c->ca_key, c->ca_opt, c->ca_key, c->ca_key_opt);
	return fail_text(c, "CA", msg, NULL);
}

/* The parent as a credential and as its issuer: a CA that cannot issue
 * fails here, before any warning on its chain. */
static int load_parent(const struct cli *c, const char *parent, iotx509_credential **out, iotx509_issuer **issuer)
{
	int rc;

	*out = NULL;
	*issuer = NULL;
	if (parent != NULL && (c->ca_cert != NULL || c->ca_key != NULL))
		return cli_usage(c, "give PARENT or --ca-cert/--ca-key, not both");
	if (parent == NULL && c->ca_cert == NULL)
		return cli_usage(c, "the issuing CA is missing: give PARENT, or %s FILE and %s FILE", c->ca_opt,
				 c->ca_key_opt);
	rc = parent != NULL ? load_parent_stem(c, parent, out) : load_ca_files(c, out);
	if (rc != 0)
		return rc;
	/* The reason a CA cannot issue comes alone, before any warning on its chain. */
	if (iotx509_issuer_new_from_credential(issuer, *out) < 0) {
		iotx509_credential_free(*out);
		*out = NULL;
		return cli_fail(c, parent ? parent : c->ca_cert);
	}
	cli_warn_partial(c, iotx509_credential_get_chain(*out),
			 "put the CA's chain after it in --ca-cert, or in PARENT_fullchain.pem");
	return 0;
}

int cli_load_parent(const struct cli *c, const char *parent, iotx509_credential **out)
{
	iotx509_issuer *issuer = NULL;
	int rc = load_parent(c, parent, out, &issuer);

	iotx509_issuer_free(issuer);
	return rc;
}

int cli_load_issuer(const struct cli *c, const char *parent, iotx509_issuer **out)
{
	iotx509_credential *cred = NULL;
	int rc = load_parent(c, parent, &cred, out);

	iotx509_credential_free(cred);
	return rc;
}

void cli_warn_partial(const struct cli *c, const iotx509_certlist *chain, const char *hint)
{
	const iotx509_cert *last = iotx509_certlist_get(chain, iotx509_certlist_count(chain) - 1);

	if (last != NULL && !iotx509_cert_is_self_signed(last))
		cli_note(c, "warning: the chain ends at '%s': its issuer '%s' was not found, so the full chain "
			    "written lacks it (%s)",
			 iotx509_cert_get_subject_dn(last), iotx509_cert_get_issuer_dn(last), hint);
}

int cli_make_out_dir(const struct cli *c)
{
	if (c->out_dir != NULL && iotx509_file_mkdir(c->out_dir) < 0)
		return cli_fail(c, "--out-dir");
	return 0;
}

const iotx509_credential_options cli_partial_chain = { IOTX509_CREDENTIAL_OPTIONS_VERSION,
							IOTX509_CREDENTIAL_PARTIAL_CHAIN, 0 };

int cli_check_device_id(const struct cli *c, const char *id)
{
	iotx509_id_options o = IOTX509_ID_OPTIONS_INIT;

	o.policy = c->id_policy;
	o.flags = IOTX509_ID_AS_CN;
	return iotx509_id_validate_device(id, &o);
}

const iotx509_write_options *cli_write_options(iotx509_write_options *wo, unsigned int flags)
{
	iotx509_write_options_init(wo, IOTX509_WRITE_OPTIONS_VERSION);
	wo->flags = flags;
	return wo;
}

int cli_commit(const struct cli *c, iotx509_fileset *set)
{
	iotx509_write_options wo;
	int rc;

	if ((rc = cli_make_out_dir(c)) != 0)
		return rc;
	if (iotx509_fileset_commit(set, cli_write_options(&wo, c->force ? IOTX509_WRITE_OVERWRITE : 0)) < 0)
		return cli_fail(c, NULL);
	return 0;
}

void cli_note_clamp_at(const struct cli *c, int64_t asked, int64_t got, const char *issuer_dn)
{
	char g[32], w[32];

	if (asked == 0)
		return;
	cli_note(c, "warning: notAfter is %s, not the requested %s: a certificate cannot outlive its issuer '%s' (ask "
		    "for fewer --days, or renew the issuer first)",
		 out_format_time(g, sizeof(g), got), out_format_time(w, sizeof(w), asked), issuer_dn);
}

void cli_note_clamp(const struct cli *c, const iotx509_cert *cert)
{
	cli_note_clamp_at(c, iotx509_issue_get_requested_not_after(cert), iotx509_cert_get_not_after(cert),
			  iotx509_cert_get_issuer_dn(cert));
}

void cli_warn_secondary(const struct cli *c, const char *name, const char *cn)
{
	static const char tail[] = "secondary";
	size_t n = strlen(name), k = sizeof(tail) - 1, i;
	char cand[2][512];
	int found;

	if (n <= k || strcasecmp(name + n - k, tail) != 0 || n - k + sizeof("primary") > sizeof(cand[0]))
		return;
	/* mytestselfcertsecondary -> mytestselfcertprimary; dev-secondary -> dev-primary, dev */
	snprintf(cand[0], sizeof(cand[0]), "%.*sprimary", (int)(n - k), name);
	snprintf(cand[1], sizeof(cand[1]), "%.*s", (int)(n - k), name);
	i = strlen(cand[1]);
	while (i > 0 && strchr("-_.", cand[1][i - 1]) != NULL)
		cand[1][--i] = '\0';
	for (i = 0, found = 0; i < 2 && !found; i++) {
		iotx509_buf path = IOTX509_BUF_INIT;
		iotx509_cert *primary = NULL;

		if (cand[i][0] == '\0' || iotx509_credential_path(&path, c->out_dir, cand[i], IOTX509_CREDENTIAL_CERT) < 0 ||
		    iotx509_cert_load(&primary, (const char *)path.data) < 0) {
			iotx509_buf_dispose(&path);
			continue;
		}
		found = 1;
		if (strcmp(iotx509_cert_get_subject_cn(primary), cn) != 0)
			cli_note(c, "warning: the secondary '%s' has CN '%s' but the primary %s has CN '%s': an individual "
				    "enrollment needs both with the device ID as CN (make it with 'iotx509 device %s "
				    "--secondary')",
				 name, cn, (const char *)path.data, iotx509_cert_get_subject_cn(primary),
				 iotx509_cert_get_subject_cn(primary));
		iotx509_cert_free(primary);
		iotx509_buf_dispose(&path);
	}
}

int cli_expiry_rule(const struct cli *c, iotx509_expiry_rule *rule, unsigned int *threshold, int *has_threshold)
{
	if (c->rules > 1)
		return cli_usage(c, "give --within or --at-percent, once");
	if (c->rules == 1) {
		*rule = c->rule;
		*threshold = c->threshold;
		*has_threshold = 1; /* --within 0 means 0 days, not the default */
	}
	return 0;
}
