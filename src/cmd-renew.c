/*
 * renew: re-issue NAME's certificate (same CN and profile, new serial and
 * validity, same or new key, same or new issuer) and, for a CA, print the
 * steps of rolling it in an enrollment group.
 */
#include <config.h>

#include "cli.h"
#include "hints.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_NEW_KEY = 0x1100 };

static const char help_renew[] =
	"Usage: iotx509 renew NAME [PARENT] [--new-key] [OPTION]...\n"
	"Renew NAME's certificate (NAME_cert.pem, NAME_key.pem in the out dir): the same CN and\n"
	"profile, a new serial number and validity, the same key or a new one, issued by PARENT\n"
	"(the same CA or a new one). Without PARENT and --ca-cert, a self-signed certificate (a\n"
	"root, or a device of an individual enrollment) is renewed self-signed.\n"
	"NAME's four files are replaced as one set, or written as --out NEWNAME. For a CA the\n"
	"steps of rolling it in an enrollment group are printed too.\n"
	"\n"
	"  --new-key            generate a new key (of --key-type; default: the old key's type)\n"
	"  --key-type TYPE      with --new-key: rsa2048, rsa3072, rsa4096, p256, p384, ed25519\n"
	"  --days N             validity in days (default: the old certificate's lifetime)\n"
	"  --at TIME            issue as of TIME instead of now (YYYY-MM-DD[THH:MM:SSZ] or @EPOCH)\n"
	"  --out NEWNAME        write the renewed credential as NEWNAME, keeping NAME's files\n"
	"  --key-password PW    password of an encrypted NAME_key.pem (the new key file keeps it)\n"
	"  --key-password-file FILE\n"
	"                       the same, from the first line of FILE (else $" ENV_KEY_PASSWORD ")\n"
	"  --out-dir DIR        where NAME's files are and the new ones are written (default .)\n"
	"  --password PW        password of the new .pfx (else --password-file, else $" ENV_PFX_PASSWORD ",\n"
	"                       else " DEFAULT_PFX_PASSWORD "; refused when NAME.pfx has another password: give it)\n"
	"  --password-file FILE read the .pfx password from the first line of FILE\n"
	"  --pfx-profile P      modern (default: AES-256, SHA-256) or compat (3DES, SHA-1)\n"
	"  --id-policy P        device ID rules: dps (default), central, any\n"
	"  --pin-file FILE      PKCS#11 PIN of a PARENT whose key is in a token, from the first line\n"
	"                       of FILE (else the URL's pin-value or pin-source, else $IOTX509_PKCS11_PIN)\n"
	"  --pkcs11-module PATH load this PKCS#11 module (default: the p11-kit configuration)\n"
	"  --force              with --out: replace NEWNAME's files; a CA with --new-key: replace\n"
	"                       NAME's files although devices chain to the old certificate\n"
	"  --json               print the result as one JSON object\n"
	"  -h, --help           show this help\n" HELP_PARENT;

/* The steps of a CA roll, as text lines (and a JSON array of lines). */
static int report_plan(const struct cli *c, const iotx509_cert *old, const iotx509_cert *renewed,
		       const char *old_name, const char *new_name)
{
	iotx509_buf plan = IOTX509_BUF_INIT;
	char *line, *save = NULL;

	if (iotx509_renew_plan(&plan, old, renewed, old_name, new_name) < 0)
		return cli_fail(c, NULL);
	out_begin_array("steps");
	for (line = strtok_r((char *)plan.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		out_array_str(NULL, line);
	out_end();
	iotx509_buf_dispose(&plan);
	return 0;
}

/*
 * No .pfx password was given: the default is fine unless NAME.pfx exists
 * with another one, which the user chose and would lose without a word.
 */
static int keeps_custom_password(const struct cli *c, const char *name)
{
	iotx509_buf path = IOTX509_BUF_INIT;
	iotx509_pkcs12 *p12 = NULL;
	int err;

	if (iotx509_credential_path(&path, c->out_dir, name, IOTX509_CREDENTIAL_PFX) < 0)
		return cli_fail(c, NULL);
	err = access((const char *)path.data, F_OK) == 0
		      ? iotx509_pkcs12_load(&p12, (const char *)path.data, DEFAULT_PFX_PASSWORD, NULL)
		      : 0;
	iotx509_pkcs12_free(p12);
	if (err == IOTX509_EPASSWORD) {
		out_discard();
		fprintf(stderr,
			"%s: %s is not protected with the default password " DEFAULT_PFX_PASSWORD ": give its password "
			"(or a new one) with --password-file FILE, $" ENV_PFX_PASSWORD " or --password\n",
			c->name, (const char *)path.data);
	}
	iotx509_buf_dispose(&path);
	return err == IOTX509_EPASSWORD ? EXIT_FAIL : 0;
}

int cmd_renew(int argc, char **argv)
{
	iotx509_write_options wo;
	/* The issuing options less --key-in: renew reads the old key from files
	 * and writes the new one beside it (a PARENT's key may be in a token). */
	static const struct option opts[] = {
		O_HELP, O_JSON, O_FORCE, O_OUT_DIR, O_KEY_TYPE, O_DAYS, O_AT, O_PASSWORD,
		O_PASSWORD_FILE, O_PFX_PROFILE, O_ID_POLICY, O_PIN_FILE, O_PKCS11_MODULE,
		O_PARENT,
		{ "new-key", no_argument, NULL, OPT_NEW_KEY },
		{ "out", required_argument, NULL, OPT_OUT },
		O_KEY_PASSWORD,
		O_KEY_PASSWORD_FILE,
		O_END,
	};
	struct cli c;
	iotx509_renew_options ro = IOTX509_RENEW_OPTIONS_INIT;
	iotx509_credential_save_options so = IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT;
	iotx509_pkcs12_options p12 = IOTX509_PKCS12_OPTIONS_INIT;
	iotx509_credential *old = NULL, *parent = NULL, *renewed = NULL;
	iotx509_fileset *set = NULL;
	iotx509_buf pfx = IOTX509_BUF_INIT;
	const char *name, *out = NULL, *parent_name;
	const iotx509_cert *old_cert;
	char *password = NULL, *key_password = NULL;
	int ch, rc, new_key = 0, key_type_given = 0, default_password = 0, in_place, is_ca;
	char ctx[512];

	cli_init(&c, PROGRAM " renew", help_renew);
	while ((ch = cli_getopt(&c, argc, argv, opts)) != -1) {
		switch (ch) {
		case OPT_NEW_KEY:
			new_key = 1;
			break;
		case OPT_OUT:
			out = optarg;
			break;
		default:
			if (ch == OPT_KEY_TYPE)
				key_type_given = 1;
			if ((rc = cli_option(&c, ch, optarg, argv)) != CLI_CONTINUE)
				return rc;
		}
	}
	if (argc - optind < 1)
		return cli_usage(&c, "missing NAME");
	if (argc - optind > 2)
		return cli_usage(&c, "unexpected argument '%s'", argv[optind + 2]);
	if (key_type_given && !new_key)
		return cli_usage(&c, "--key-type applies only with --new-key (the key is kept otherwise)");
	name = argv[optind];
	parent_name = argc - optind > 1 ? argv[optind + 1] : NULL;
	in_place = out == NULL || strcmp(out, name) == 0;

	snprintf(ctx, sizeof(ctx), "'%s'", name);
	if ((rc = cli_key_password(&c, &key_password)) != 0)
		return rc;
	if (iotx509_credential_load(&old, c.out_dir, name, key_password, &cli_partial_chain) < 0) {
		cli_free_secret(key_password);
		return cli_fail(&c, ctx);
	}
	old_cert = iotx509_credential_get_cert(old);
	is_ca = iotx509_cert_is_ca(old_cert);
	rc = EXIT_FAIL;
	if (in_place && is_ca && new_key && !c.force) {
		fprintf(stderr,
			"%s: '%s' is a CA: with a new key, what it issued no longer chains to %s_cert.pem; write the "
			"new CA with --out NEWNAME (a CA roll), or replace it with --force\n",
			c.name, out_esc(iotx509_cert_get_subject_dn(old_cert)), out_esc(name));
		goto done;
	}
	if (iotx509_credential_path(&pfx, c.out_dir, in_place ? name : out, IOTX509_CREDENTIAL_PFX) < 0) {
		rc = cli_fail(&c, NULL);
		goto done;
	}
	if ((rc = cli_pfx_password(&c, &password, &default_password)) != 0 ||
	    (default_password && (rc = keeps_custom_password(&c, name)) != 0))
		goto done;
	if (parent_name != NULL || c.ca_cert != NULL || c.ca_key != NULL) {
		if ((rc = cli_load_parent(&c, parent_name, &parent)) != 0)
			goto done;
	}
	rc = EXIT_FAIL;
	ro.days = c.days;
	ro.at = c.at;
	ro.id_policy = c.id_policy;
	if (new_key) {
		ro.flags |= IOTX509_RENEW_NEW_KEY;
		if (key_type_given)
			ro.key_type = c.key_type;
	}
	if (iotx509_renew_credential(&renewed, old, parent, &ro, &cli_partial_chain) < 0) {
		rc = cli_fail(&c, ctx);
		goto done;
	}
	p12.profile = c.pfx_profile;
	so.pfx_password = password;
	so.pkcs12 = &p12;
	so.key_password = key_password;
	if (iotx509_fileset_new(&set) < 0 ||
	    iotx509_credential_stage(set, renewed, c.out_dir, in_place ? name : out, &so) < 0) {
		rc = cli_fail(&c, NULL);
		goto done;
	}
	/* Renewing in place replaces NAME's set: that is the point of it. */
	if (iotx509_fileset_commit(set, cli_write_options(&wo, in_place || c.force ? IOTX509_WRITE_OVERWRITE : 0)) < 0) {
		rc = cli_fail(&c, NULL);
		goto done;
	}
	out_start("renew", c.json);
	out_files(set);
	out_cert("certificate", iotx509_credential_get_cert(renewed), iotx509_fileset_get_path(set, 0));
	out_chain("chain", iotx509_credential_get_chain(renewed));
	out_str("previous_sha1", "old SHA-1:", iotx509_cert_get_thumbprint_sha1(old_cert));
	out_str("previous_serial", "old serial:", iotx509_cert_get_serial_hex(old_cert));
	out_bool("new_key", "new key:", new_key);
	hints_report("renew", set, renewed);
	if (default_password)
		out_bool("pfx_default_password", NULL, 1);
	if (is_ca && (rc = report_plan(&c, old_cert, iotx509_credential_get_cert(renewed), in_place ? NULL : name,
				       in_place ? name : out)) != 0)
		goto done;
	out_finish();
	if (default_password)
		cli_note_default_password(&c, (const char *)pfx.data);
	cli_note_clamp(&c, iotx509_credential_get_cert(renewed));
	rc = EXIT_OK;
done:
	cli_free_secret(password);
	cli_free_secret(key_password);
	iotx509_buf_dispose(&pfx);
	iotx509_fileset_free(set);
	iotx509_credential_free(renewed);
	iotx509_credential_free(parent);
	iotx509_credential_free(old);
	return rc;
}
