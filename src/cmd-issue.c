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

typedef enum { P_ROOT, P_INTERMEDIATE, P_DEVICE, P_VERIFICATION, P_EDGE_CA, P_SERVER } profile_t;

enum { OPT_SECONDARY = 0x1300 };

#define MAX_SANS 64

/* What one issuing command was asked to do, after parsing. */
struct request {
	struct cli c;
	profile_t profile;
	const char *name;   /* file name stem */
	const char *cn;     /* subject CN (device ID, nonce) */
	const char *parent; /* PARENT name, or NULL */
	int pathlen;
	const char *dns[MAX_SANS], *ip[MAX_SANS];
	size_t dns_count, ip_count;
	char secondary_name[256]; /* --secondary: DEVICE_ID-secondary */
	struct names names; /* --names */
};

static int issue_profile(iotx509_cert **out, const struct request *r, const iotx509_issuer *ca,
			 const iotx509_key *key, const iotx509_issue_options *opts);

static int issue_cert(iotx509_cert **out, const struct request *r, const iotx509_issuer *ca, const iotx509_key *key)
{
	iotx509_issue_options opts = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_strlist *dns = NULL, *ip = NULL;
	int ret;

	opts.days = r->c.days;
	opts.now = r->c.at;
	opts.id_policy = r->c.id_policy;
	opts.has_pathlen = r->pathlen >= 0;
	opts.pathlen = r->pathlen >= 0 ? r->pathlen : 0;
	if (r->profile != P_SERVER)
		return issue_profile(out, r, ca, key, &opts);
	if ((ret = cli_strlist(&dns, r->dns, r->dns_count)) == 0 &&
	    (ret = cli_strlist(&ip, r->ip, r->ip_count)) == 0) {
		opts.dns_names = dns;
		opts.ip_addresses = ip;
		ret = issue_profile(out, r, ca, key, &opts);
	}
	iotx509_strlist_free(dns);
	iotx509_strlist_free(ip);
	return ret;
}

static int issue_profile(iotx509_cert **out, const struct request *r, const iotx509_issuer *ca,
			 const iotx509_key *key, const iotx509_issue_options *opts)
{
	switch (r->profile) {
	case P_ROOT:
		return iotx509_issue_root(out, key, r->cn, opts);
	case P_INTERMEDIATE:
		return iotx509_issue_intermediate(out, ca, key, r->cn, opts);
	case P_DEVICE:
		return ca ? iotx509_issue_device(out, ca, key, r->cn, opts)
			  : iotx509_issue_device_self_signed(out, key, r->cn, opts);
	case P_VERIFICATION:
		return iotx509_issue_verification(out, ca, key, r->cn, opts);
	case P_EDGE_CA:
		return iotx509_issue_edge_ca(out, ca, key, r->cn, opts);
	case P_SERVER:
		return iotx509_issue_server(out, ca, key, r->cn, opts);
	}
	return IOTX509_EINVAL;
}

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

static int run(struct request *r)
{
	struct cli *c = &r->c;
	iotx509_credential *parent = NULL, *cred = NULL;
	iotx509_issuer *ca = NULL;
	iotx509_key *key = NULL;
	iotx509_cert *cert = NULL;
	iotx509_fileset *set = NULL;
	iotx509_credential_save_options so = IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT;
	iotx509_pkcs12_options p12 = IOTX509_PKCS12_OPTIONS_INIT;
	iotx509_buf pfx = IOTX509_BUF_INIT;
	char *password = NULL;
	int default_password = 0;
	int rc = EXIT_FAIL, need_parent = r->profile != P_ROOT && !(r->profile == P_DEVICE && r->parent == NULL &&
								    c->ca_cert == NULL && c->ca_key == NULL);

	/* Cheap checks first: a bad ID or an unusable name fails before any key is made. */
	if (r->profile == P_DEVICE && cli_check_device_id(c, r->cn) < 0)
		return cli_fail(c, NULL);
	if (r->profile == P_VERIFICATION && iotx509_id_validate_nonce(r->cn) < 0)
		return cli_fail(c, NULL);
	if (iotx509_credential_path(&pfx, c->out_dir, r->name, IOTX509_CREDENTIAL_PFX) < 0)
		return cli_fail(c, NULL);
	if ((rc = cli_pfx_password(c, &password, &default_password)) != 0)
		goto out;
	rc = EXIT_FAIL;
	if (need_parent) {
		if ((rc = cli_load_parent(c, r->parent, &parent)) != 0)
			goto out;
		rc = EXIT_FAIL;
		if (iotx509_issuer_new(&ca, iotx509_credential_get_cert(parent), iotx509_credential_get_key(parent)) < 0) {
			rc = cli_fail(c, r->parent ? r->parent : c->ca_cert);
			goto out;
		}
	}
	if (c->key_in != NULL) {
		/* Generate inside the token, labelled NAME; it never leaves it. */
		iotx509_key_open_options o;

		if ((rc = cli_key_options(c, &o, NULL)) != 0)
			goto out;
		rc = EXIT_FAIL;
		if (iotx509_pkcs11_generate_key(&key, c->key_in, c->key_type, r->name, &o) < 0) {
			cli_key_options_free(&o);
			rc = cli_fail(c, "--key-in");
			goto out;
		}
		cli_key_options_free(&o);
	} else if (iotx509_key_generate(&key, c->key_type) < 0) {
		rc = cli_fail(c, NULL);
		goto out;
	}
	if (issue_cert(&cert, r, ca, key) < 0 ||
	    iotx509_credential_new(&cred, cert, key, parent ? iotx509_credential_get_chain(parent) : NULL,
				   &cli_partial_chain) < 0) {
		rc = cli_fail(c, NULL);
		goto out;
	}
	if (c->key_in != NULL) {
		/* Keep the certificate next to its key, where the device's TLS stack finds it. */
		iotx509_key_open_options o;

		if ((rc = cli_key_options(c, &o, NULL)) != 0)
			goto out;
		rc = EXIT_FAIL;
		if (iotx509_pkcs11_store_cert(c->key_in, cert, r->name, &o) < 0) {
			cli_key_options_free(&o);
			rc = cli_fail(c, "--key-in");
			goto out;
		}
		cli_key_options_free(&o);
	}
	p12.profile = c->pfx_profile;
	so.pfx_password = c->key_in ? NULL : password;
	so.pkcs12 = &p12;
	if (iotx509_fileset_new(&set) < 0 || iotx509_credential_stage(set, cred, c->out_dir, r->name, &so) < 0) {
		rc = cli_fail(c, NULL);
		goto out;
	}
	if ((rc = cli_commit(c, set)) != 0)
		goto out;
	report(c->name + strlen(PROGRAM) + 1, c->json, set, cred, default_password && c->key_in == NULL,
	       c->key_in ? iotx509_key_get_url(key) : NULL);
	if (c->key_in != NULL)
		cli_note(c, "note: the private key stays in the token (%s): no %s_key.pem or %s.pfx was written",
			 iotx509_key_get_url(key), r->name, r->name);
	else if (default_password)
		cli_note_default_password(c, (const char *)pfx.data);
	cli_note_clamp(c, cert);
	if (r->profile == P_DEVICE && ca == NULL)
		cli_warn_secondary(c, r->name, r->cn);
	rc = EXIT_OK;
out:
	cli_free_secret(password);
	iotx509_buf_dispose(&pfx);
	iotx509_fileset_free(set);
	iotx509_credential_free(cred);
	iotx509_credential_free(parent);
	iotx509_issuer_free(ca);
	iotx509_cert_free(cert);
	iotx509_key_free(key);
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
static int takes(profile_t p, int opt)
{
	switch (opt) {
	case OPT_CN:
		return p != P_DEVICE && p != P_VERIFICATION;
	case OPT_PATHLEN:
		return p == P_INTERMEDIATE;
	case OPT_DNS:
	case OPT_IP:
		return p == P_SERVER;
	case OPT_CA:
	case OPT_KEY:
	case OPT_NONCE:
		return p == P_VERIFICATION;
	case OPT_CA_CERT:
	case OPT_CA_KEY:
		return p != P_ROOT && p != P_VERIFICATION;
	case OPT_CA_KEY_PASSWORD:
	case OPT_CA_KEY_PASSWORD_FILE:
	case OPT_CA_PASSWORD:
	case OPT_CA_PASSWORD_FILE:
		return p != P_ROOT;
	case OPT_SECONDARY:
		return p == P_DEVICE;
	default:
		return 1;
	}
}

static int parse(struct request *r, profile_t profile, const char *name, const char *help, int argc, char **argv)
{
	struct cli *c = &r->c;
	const char *out = NULL;
	unsigned int u;
	int ch, rc, npos, min_pos, max_pos, secondary = 0;

	memset(r, 0, sizeof(*r));
	cli_init(c, name, help);
	r->profile = profile;
	r->pathlen = -1;
	if (profile == P_VERIFICATION) {
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
	min_pos = profile == P_ROOT || profile == P_DEVICE ? 1 : profile == P_VERIFICATION ? 0 : 2;
	max_pos = profile == P_ROOT ? 1 : profile == P_VERIFICATION ? 0 : 2;
	if (npos < min_pos)
		return cli_usage(c, "missing %s", npos == 0 ? (profile == P_DEVICE ? "DEVICE_ID" : "NAME") : "PARENT");
	if (npos > max_pos)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + max_pos]);
	if (profile == P_VERIFICATION) {
		/* --key may be left out when --ca is a .pfx (cli_load_parent() tells). */
		if (c->ca_cert == NULL || r->cn == NULL)
			return cli_usage(c, "--ca CERT, --key KEY and --nonce CODE are required");
		r->name = out ? out : "verification";
		return CLI_CONTINUE;
	}
	if (profile == P_SERVER && r->dns_count + r->ip_count == 0)
		return cli_usage(c, "a server certificate needs at least one --dns NAME or --ip ADDR");
	if (profile == P_DEVICE)
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

ISSUE_COMMAND(cmd_root, P_ROOT, "root", help_root)
ISSUE_COMMAND(cmd_intermediate, P_INTERMEDIATE, "intermediate", help_intermediate)
ISSUE_COMMAND(cmd_device, P_DEVICE, "device", help_device)
ISSUE_COMMAND(cmd_verification, P_VERIFICATION, "verification", help_verification)
ISSUE_COMMAND(cmd_edge_ca, P_EDGE_CA, "edge-ca", help_edge_ca)
ISSUE_COMMAND(cmd_server, P_SERVER, "server", help_server)

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
	iotx509_credential_save_options so = IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT;
	iotx509_credential *parent = NULL, *cred = NULL;
	iotx509_issuer *ca = NULL;
	iotx509_csr *csr = NULL;
	iotx509_cert *cert = NULL;
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
	if ((rc = cli_load_parent(&c, argv[optind + 1], &parent)) != 0)
		goto done;
	rc = EXIT_FAIL;
	io.days = c.days;
	io.now = c.at;
	io.id_policy = c.id_policy;
	so.files = IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_CERT) |
		   IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_FULLCHAIN);
	if (iotx509_issuer_new(&ca, iotx509_credential_get_cert(parent), iotx509_credential_get_key(parent)) < 0 ||
	    iotx509_issue_device_from_csr(&cert, ca, csr, &io) < 0 ||
	    iotx509_credential_new(&cred, cert, NULL, iotx509_credential_get_chain(parent),
				   &cli_partial_chain) < 0 ||
	    iotx509_fileset_new(&set) < 0 || iotx509_credential_stage(set, cred, c.out_dir, name, &so) < 0) {
		rc = cli_fail(&c, NULL);
		goto done;
	}
	if ((rc = cli_commit(&c, set)) != 0)
		goto done;
	report("sign", c.json, set, cred, 0, NULL);
	cli_note_clamp(&c, cert);
	rc = EXIT_OK;
done:
	iotx509_fileset_free(set);
	iotx509_credential_free(cred);
	iotx509_credential_free(parent);
	iotx509_issuer_free(ca);
	iotx509_cert_free(cert);
	iotx509_csr_free(csr);
	return rc;
}
