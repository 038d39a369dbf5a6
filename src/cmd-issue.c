/*
 * The issuing commands: root, intermediate, device, verification, edge-ca,
 * server, and sign (a device certificate from a CSR).
 *
 * Each writes NAME_cert.pem, NAME_key.pem, NAME_fullchain.pem and NAME.pfx
 * (sign: NAME_cert.pem and NAME_fullchain.pem) as one file set.
 */
#include <config.h>

#include "cli.h"
#include "hints.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_SECONDARY = 0x1300 };

#define MAX_SANS 64

/* What one issuing command was asked to do, after parsing. */
struct request {
	struct cli c;
	iotx509_profile profile;
	const char *name;   /* file name stem */
	const char *cn;     /* subject CN (device ID, nonce) */
	const char *parent; /* PARENT name, or NULL */
	int pathlen;
	const char *dns[MAX_SANS], *ip[MAX_SANS];
	size_t dns_count, ip_count;
	char secondary_name[256]; /* --secondary: DEVICE_ID-secondary */
	struct names names; /* --names */
};

/* Print what an issuing command wrote: the files, the certificate, the chain. */
static void report(const char *command, int json, const iotx509_fileset *set, const iotx509_credential *cred,
		   int default_password, const char *key_url)
{
	out_start(command, json);
	out_files(set);
	if (key_url != NULL)
		out_str("key_url", "key (in token)", key_url);
	out_cert("certificate", iotx509_credential_get_cert(cred), iotx509_fileset_get_path(set, 0));
	out_chain("chain", iotx509_credential_get_chain(cred));
	hints_report(command, set, cred);
	if (default_password)
		out_bool("pfx_default_password", NULL, 1);
	out_finish();
}

/* The issuance itself: one library call, the files staged into @set. */
static int issue(iotx509_credential **out, const struct request *r, const iotx509_issuer *ca, iotx509_fileset *set,
		 const char *password, const iotx509_key_open_options *token)
{
	const struct cli *c = &r->c;
	iotx509_issue_options io = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_issue_credential_options o = IOTX509_ISSUE_CREDENTIAL_OPTIONS_INIT;
	iotx509_credential_save_options so = IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT;
	iotx509_pkcs12_options p12 = IOTX509_PKCS12_OPTIONS_INIT;
	iotx509_strlist *dns = NULL, *ip = NULL;
	int ret;

	io.days = c->days;
	io.at = c->at;
	io.id_policy = c->id_policy;
	io.has_pathlen = r->pathlen >= 0;
	io.pathlen = r->pathlen >= 0 ? r->pathlen : 0;
	if ((ret = cli_strlist(&dns, r->dns, r->dns_count)) < 0 || (ret = cli_strlist(&ip, r->ip, r->ip_count)) < 0)
		goto out;
	io.dns_names = dns;
	io.ip_addresses = ip;
	p12.profile = c->pfx_profile;
	so.pfx_password = password;
	so.pkcs12 = &p12;
	o.issue = &io;
	o.key_type = c->key_type;
	/* Generated inside the token, labelled NAME; it never leaves it. */
	o.token_url = c->key_in;
	o.token = token;
	o.dir = c->out_dir;
	o.name = r->name;
	o.save = &so;
	o.stage = set;
	ret = iotx509_issue_credential(out, r->profile, ca, r->cn, &o);
out:
	iotx509_strlist_free(dns);
	iotx509_strlist_free(ip);
	return ret;
}

static int run(struct request *r)
{
	struct cli *c = &r->c;
	iotx509_credential *cred = NULL;
	iotx509_issuer *ca = NULL;
	iotx509_fileset *set = NULL;
	iotx509_key_open_options token;
	iotx509_buf pfx = IOTX509_BUF_INIT;
	const char *key_url;
	char *password = NULL;
	int default_password = 0, have_token = 0;
	/* Only a root and a device named without any parent are self-signed. */
	int self_signed = r->profile == IOTX509_PROFILE_ROOT ||
			  (r->profile == IOTX509_PROFILE_DEVICE && r->parent == NULL && c->ca_cert == NULL && c->ca_key == NULL);
	int rc = EXIT_FAIL;

	/* An unusable name fails before anything is asked for; the ID is the
	 * library's first check, before any key is made. */
	if (iotx509_credential_path(&pfx, c->out_dir, r->name, IOTX509_CREDENTIAL_PFX) < 0)
		return cli_fail(c, NULL);
	if ((rc = cli_pfx_password(c, &password, &default_password)) != 0)
		goto out;
	if (!self_signed && (rc = cli_load_issuer(c, r->parent, &ca)) != 0)
		goto out;
	if (c->key_in != NULL) {
		if ((rc = cli_key_options(c, &token, NULL)) != 0)
			goto out;
		have_token = 1;
	}
	rc = EXIT_FAIL;
	if (iotx509_fileset_new(&set) < 0 ||
	    issue(&cred, r, ca, set, c->key_in ? NULL : password, have_token ? &token : NULL) < 0) {
		rc = cli_fail(c, NULL);
		goto out;
	}
	if ((rc = cli_commit(c, set)) != 0)
		goto out;
	key_url = c->key_in ? iotx509_key_get_url(iotx509_credential_get_key(cred)) : NULL;
	report(c->name + strlen(PROGRAM) + 1, c->json, set, cred, default_password && c->key_in == NULL, key_url);
	if (c->key_in != NULL)
		cli_note(c, "note: the private key stays in the token (%s): no %s_key.pem or %s.pfx was written",
			 key_url, r->name, r->name);
	else if (default_password)
		cli_note_default_password(c, (const char *)pfx.data);
	cli_note_clamp(c, iotx509_credential_get_cert(cred));
	if (r->profile == IOTX509_PROFILE_DEVICE && ca == NULL)
		cli_warn_secondary(c, r->name, r->cn);
	rc = EXIT_OK;
out:
	if (have_token)
		cli_key_options_free(&token);
	cli_free_secret(password);
	iotx509_buf_dispose(&pfx);
	iotx509_fileset_free(set);
	iotx509_credential_free(cred);
	iotx509_issuer_free(ca);
	return rc;
}

static const char help_root[] =
	"Usage: iotx509 root NAME [--cn CN] [OPTION]...\n"
	"Create a self-signed root CA: NAME_cert.pem, NAME_key.pem, NAME_fullchain.pem, NAME.pfx.\n"
	"\n"
	"  --cn CN              subject common name (default NAME)\n"
	"  --out NAME           file name stem instead of NAME\n" HELP_NAMES HELP_COMMON;

static const char help_intermediate[] =
	"Usage: iotx509 intermediate NAME PARENT [--pathlen N] [OPTION]...\n"
	"Create an intermediate CA under PARENT.\n"
	"\n"
	"  --cn CN              subject common name (default NAME)\n"
	"  --pathlen N          at most N further CA levels below this one\n"
	"  --out NAME           file name stem instead of NAME\n" HELP_NAMES HELP_COMMON HELP_PARENT;

static const char help_device[] =
	"Usage: iotx509 device DEVICE_ID [PARENT] [OPTION]...\n"
	"Create a device certificate whose CN is DEVICE_ID, under PARENT; without PARENT (and\n"
	"without --ca-cert) a self-signed one, for individual enrollments (primary, secondary).\n"
	"Files are named after DEVICE_ID verbatim (see --names for create_test_cert.js's names).\n"
	"\n"
	"  --secondary          the secondary certificate of an individual enrollment: CN DEVICE_ID,\n"
	"                       files DEVICE_ID-secondary_* (the primary is DEVICE_ID's)\n"
	"  --out NAME           file name stem instead of DEVICE_ID (e.g. DEVICE_ID-secondary)\n" HELP_NAMES
		HELP_COMMON HELP_PARENT;

static const char help_verification[] =
	"Usage: iotx509 verification --ca CERT --key KEY --nonce CODE [--out NAME] [OPTION]...\n"
	"Create the proof-of-possession certificate for a CA: CN = CODE, the verification code\n"
	"the portal shows, signed by the CA's key.\n"
	"\n"
	"  --ca CERT            the CA certificate being proven (its NAME_fullchain.pem also\n"
	"                       gives the chain of the files written), or its .pfx (then no --key)\n"
	"  --key KEY            its private key\n"
	"  --ca-key-password PW password of an encrypted KEY\n"
	"  --ca-key-password-file FILE\n"
	"                       the same, from the first line of FILE (else $" ENV_CA_KEY_PASSWORD ")\n"
	"  --ca-password PW     password of a .pfx given as --ca (default " DEFAULT_PFX_PASSWORD ")\n"
	"  --ca-password-file FILE\n"
	"                       the same, from the first line of FILE (else $" ENV_CA_PASSWORD ")\n"
	"  --nonce CODE         the verification code, used exactly as given\n"
	"  --out NAME           file name stem (default verification)\n"
	"  --names STYLE        accepted for the other commands' sake: create_test_cert.js names\n"
	"                       these files verification_* too\n" HELP_COMMON;

static const char help_edge_ca[] =
	"Usage: iotx509 edge-ca NAME PARENT [OPTION]...\n"
	"Create an IoT Edge device CA certificate (a CA with pathlen 0) under PARENT.\n"
	"\n"
	"  --cn CN              subject common name (default NAME)\n"
	"  --out NAME           file name stem instead of NAME\n" HELP_NAMES HELP_COMMON HELP_PARENT;

static const char help_server[] =
	"Usage: iotx509 server NAME PARENT --dns NAME... --ip ADDR... [OPTION]...\n"
	"Create a TLS server certificate (a gateway or broker devices connect to) under PARENT.\n"
	"\n"
	"  --dns NAME           a DNS subjectAltName (repeat for more)\n"
	"  --ip ADDR            an IPv4 or IPv6 subjectAltName (repeat for more)\n"
	"  --cn CN              subject common name (default NAME)\n"
	"  --out NAME           file name stem instead of NAME\n" HELP_NAMES HELP_COMMON HELP_PARENT;

static const struct option issue_options[] = {
	O_ISSUING,
	O_PARENT,
	{ "cn", required_argument, NULL, OPT_CN },
	{ "pathlen", required_argument, NULL, OPT_PATHLEN },
	{ "dns", required_argument, NULL, OPT_DNS },
	{ "ip", required_argument, NULL, OPT_IP },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "ca", required_argument, NULL, OPT_CA },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "nonce", required_argument, NULL, OPT_NONCE },
	{ "secondary", no_argument, NULL, OPT_SECONDARY },
	O_NAMES,
	O_END,
};

/* Which of the non-shared options each profile takes. */
static int takes(iotx509_profile p, int opt)
{
	switch (opt) {
	case OPT_CN:
		return p != IOTX509_PROFILE_DEVICE && p != IOTX509_PROFILE_VERIFICATION;
	case OPT_PATHLEN:
		return p == IOTX509_PROFILE_INTERMEDIATE;
	case OPT_DNS:
	case OPT_IP:
		return p == IOTX509_PROFILE_SERVER;
	case OPT_CA:
	case OPT_KEY:
	case OPT_NONCE:
		return p == IOTX509_PROFILE_VERIFICATION;
	case OPT_CA_CERT:
	case OPT_CA_KEY:
		return p != IOTX509_PROFILE_ROOT && p != IOTX509_PROFILE_VERIFICATION;
	case OPT_CA_KEY_PASSWORD:
	case OPT_CA_KEY_PASSWORD_FILE:
	case OPT_CA_PASSWORD:
	case OPT_CA_PASSWORD_FILE:
		return p != IOTX509_PROFILE_ROOT;
	case OPT_SECONDARY:
		return p == IOTX509_PROFILE_DEVICE;
	default:
		return 1;
	}
}

static int parse(struct request *r, iotx509_profile profile, const char *name, const char *help, int argc, char **argv)
{
	struct cli *c = &r->c;
	const char *out = NULL;
	unsigned int u;
	int ch, rc, npos, min_pos, max_pos, secondary = 0;

	memset(r, 0, sizeof(*r));
	cli_init(c, name, help);
	r->profile = profile;
	r->pathlen = -1;
	if (profile == IOTX509_PROFILE_VERIFICATION) {
		c->ca_opt = "--ca";
		c->ca_key_opt = "--key";
	}
	while ((ch = cli_getopt(c, argc, argv, issue_options)) != -1) {
		if (ch >= 256 && !takes(profile, ch))
			return cli_usage(c, "option '%s' does not apply to this command", argv[optind - 1]);
		switch (ch) {
		case OPT_CN:
			r->cn = optarg;
			break;
		case OPT_PATHLEN:
			if ((rc = cli_parse_uint(c, "--pathlen", optarg, 32, &u)) != 0)
				return rc;
			r->pathlen = (int)u;
			break;
		case OPT_DNS:
		case OPT_IP:
			if (r->dns_count + r->ip_count >= MAX_SANS)
				return cli_usage(c, "at most %d subjectAltNames", MAX_SANS);
			if (ch == OPT_DNS)
				r->dns[r->dns_count++] = optarg;
			else
				r->ip[r->ip_count++] = optarg;
			break;
		case OPT_OUT:
			out = optarg;
			break;
		case OPT_CA:
			c->ca_cert = optarg;
			break;
		case OPT_KEY:
			c->ca_key = optarg;
			break;
		case OPT_NONCE:
			r->cn = optarg;
			break;
		case OPT_SECONDARY:
			secondary = 1;
			break;
		case OPT_NAMES:
			if ((rc = names_parse(c, optarg, &r->names)) != 0)
				return rc;
			break;
		default:
			if ((rc = cli_option(c, ch, optarg, argv)) != CLI_CONTINUE)
				return rc;
		}
	}
	npos = argc - optind;
	min_pos = profile == IOTX509_PROFILE_ROOT || profile == IOTX509_PROFILE_DEVICE ? 1 : profile == IOTX509_PROFILE_VERIFICATION ? 0 : 2;
	max_pos = profile == IOTX509_PROFILE_ROOT ? 1 : profile == IOTX509_PROFILE_VERIFICATION ? 0 : 2;
	if (npos < min_pos)
		return cli_usage(c, "missing %s", npos == 0 ? (profile == IOTX509_PROFILE_DEVICE ? "DEVICE_ID" : "NAME") : "PARENT");
	if (npos > max_pos)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + max_pos]);
	if (profile == IOTX509_PROFILE_VERIFICATION) {
		/* --key may be left out when --ca is a .pfx (cli_load_parent() tells). */
		if (c->ca_cert == NULL || r->cn == NULL)
			return cli_usage(c, "--ca CERT, --key KEY and --nonce CODE are required");
		r->name = out ? out : "verification";
		return CLI_CONTINUE;
	}
	if (profile == IOTX509_PROFILE_SERVER && r->dns_count + r->ip_count == 0)
		return cli_usage(c, "a server certificate needs at least one --dns NAME or --ip ADDR");
	if (profile == IOTX509_PROFILE_DEVICE)
		r->cn = argv[optind];
	else if (r->cn == NULL)
		r->cn = argv[optind];
	r->name = out ? out : argv[optind];
	if (secondary) {
		/* The guide's "device mytestselfcertsecondary" gets another CN: keep the ID's. */
		if (out != NULL)
			return cli_usage(c, "give --secondary or --out, not both");
		if (snprintf(r->secondary_name, sizeof(r->secondary_name), "%s-secondary", r->cn) >=
		    (int)sizeof(r->secondary_name))
			return cli_usage(c, "--secondary: the device ID is too long for a file name");
		r->name = r->secondary_name;
	}
	r->parent = npos > 1 ? argv[optind + 1] : NULL;
	return names_apply(c, &r->names, out != NULL, r->cn, &r->name, &r->parent);
}

#define ISSUE_COMMAND(fn, profile, cmdname, help)                                  \
	int fn(int argc, char **argv)                                              \
	{                                                                          \
		struct request r;                                                  \
		int rc = parse(&r, profile, PROGRAM " " cmdname, help, argc, argv); \
		if (rc == CLI_CONTINUE)                                            \
			rc = run(&r);                                              \
		names_free(&r.names);                                              \
		return rc;                                                         \
	}

ISSUE_COMMAND(cmd_root, IOTX509_PROFILE_ROOT, "root", help_root)
ISSUE_COMMAND(cmd_intermediate, IOTX509_PROFILE_INTERMEDIATE, "intermediate", help_intermediate)
ISSUE_COMMAND(cmd_device, IOTX509_PROFILE_DEVICE, "device", help_device)
ISSUE_COMMAND(cmd_verification, IOTX509_PROFILE_VERIFICATION, "verification", help_verification)
ISSUE_COMMAND(cmd_edge_ca, IOTX509_PROFILE_EDGE_CA, "edge-ca", help_edge_ca)
ISSUE_COMMAND(cmd_server, IOTX509_PROFILE_SERVER, "server", help_server)

/* ---- sign: a device certificate from a CSR ---- */

static const char help_sign[] =
	"Usage: iotx509 sign CSR PARENT [--out NAME] [OPTION]...\n"
	"Issue a device certificate from a certificate request (PEM, DER or base64 DER) under\n"
	"PARENT: the device keeps its key. Writes NAME_cert.pem and NAME_fullchain.pem.\n"
	"The CSR's CN must be a valid device ID; the device profile always applies.\n"
	"\n"
	"  --out NAME           file name stem (default: the CSR's CN)\n"
	"  --days N             validity in days (default 365)\n"
	"  --at TIME            issue as of TIME instead of now (YYYY-MM-DD[THH:MM:SSZ] or @EPOCH)\n"
	"  --out-dir DIR        where files are written (default .; created when missing)\n"
	"  --id-policy P        device ID rules: dps (default), central, any\n"
	"  --force              replace existing files (the whole set, never half of it)\n"
	"  --json               print the result as one JSON object\n"
	"  -h, --help           show this help\n" HELP_PARENT;

int cmd_sign(int argc, char **argv)
{
	static const struct option opts[] = {
		O_HELP, O_JSON, O_FORCE, O_OUT_DIR, O_DAYS, O_AT, O_ID_POLICY, O_PARENT,
		{ "out", required_argument, NULL, OPT_OUT }, O_END,
	};
	struct cli c;
	iotx509_issue_options io = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_issue_credential_options o = IOTX509_ISSUE_CREDENTIAL_OPTIONS_INIT;
	iotx509_credential_save_options so = IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT;
	iotx509_credential *cred = NULL;
	iotx509_issuer *ca = NULL;
	iotx509_csr *csr = NULL;
	iotx509_fileset *set = NULL;
	const char *out = NULL, *name;
	int ch, rc;

	cli_init(&c, PROGRAM " sign", help_sign);
	while ((ch = cli_getopt(&c, argc, argv, opts)) != -1) {
		if (ch == OPT_OUT)
			out = optarg;
		else if ((rc = cli_option(&c, ch, optarg, argv)) != CLI_CONTINUE)
			return rc;
	}
	if (argc - optind < 1)
		return cli_usage(&c, "missing CSR");
	if (argc - optind > 2)
		return cli_usage(&c, "unexpected argument '%s'", argv[optind + 2]);
	if (iotx509_csr_load(&csr, argv[optind]) < 0)
		return cli_fail(&c, NULL);
	name = out ? out : iotx509_csr_get_subject_cn(csr);
	if ((rc = cli_load_issuer(&c, argv[optind + 1], &ca)) != 0)
		goto done;
	rc = EXIT_FAIL;
	io.days = c.days;
	io.at = c.at;
	io.id_policy = c.id_policy;
	so.files = IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_CERT) |
		   IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_FULLCHAIN);
	o.issue = &io;
	o.csr = csr;
	o.dir = c.out_dir;
	o.name = name;
	o.save = &so;
	if (iotx509_fileset_new(&set) < 0 || (o.stage = set) == NULL ||
	    iotx509_issue_credential(&cred, IOTX509_PROFILE_DEVICE, ca, NULL, &o) < 0) {
		rc = cli_fail(&c, NULL);
		goto done;
	}
	if ((rc = cli_commit(&c, set)) != 0)
		goto done;
	report("sign", c.json, set, cred, 0, NULL);
	cli_note_clamp(&c, iotx509_credential_get_cert(cred));
	rc = EXIT_OK;
done:
	iotx509_fileset_free(set);
	iotx509_credential_free(cred);
	iotx509_issuer_free(ca);
	iotx509_csr_free(csr);
	return rc;
}
