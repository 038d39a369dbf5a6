/*
 * --names (create_test_cert.js's file names) and the lines that tell an
 * issuing command's user which file the device presents, and the
 * environment of the IoT Central / DPS samples (see hints.h).
 */
#include <config.h>

#include "hints.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int names_parse(const struct cli *c, const char *arg, struct names *n)
{
	if (strcmp(arg, "verbatim") == 0)
		n->style = IOTX509_NAMES_VERBATIM;
	else if (strcmp(arg, "create-test-cert") == 0)
		n->style = IOTX509_NAMES_CREATE_TEST_CERT;
	else
		return cli_usage(c, "--names: unknown style '%s' (verbatim, create-test-cert)", arg);
	return 0;
}

/* *@out = the stem of @name; EXIT_FAIL after the library's message. */
static int stem_of(const struct cli *c, const struct names *n, const char *name, char **out)
{
	iotx509_buf b = IOTX509_BUF_INIT;

	if (iotx509_credential_stem(&b, name, n->style) < 0)
		return cli_fail(c, "--names");
	*out = strdup((const char *)b.data);
	iotx509_buf_dispose(&b);
	if (*out == NULL) {
		perror(PROGRAM);
		return EXIT_FAIL;
	}
	return 0;
}

/* A certificate already at @stem in the out dir must be @cn's. */
static int check_collision(const struct cli *c, const char *stem, const char *name, const char *cn)
{
	iotx509_buf path = IOTX509_BUF_INIT;
	iotx509_cert *cert = NULL;
	int rc = 0;

	if (iotx509_credential_path(&path, c->out_dir, stem, IOTX509_CREDENTIAL_CERT) < 0)
		return cli_fail(c, NULL);
	/* A file that is missing or unreadable is left to the usual checks. */
	if (iotx509_cert_load(&cert, (const char *)path.data) == 0 && iotx509_cert_get_subject_cn(cert) != NULL &&
	    strcmp(iotx509_cert_get_subject_cn(cert), cn) != 0) {
		out_discard();
		fprintf(stderr,
			"%s: %s belongs to '%s': '%s' gives the same create_test_cert.js name '%s' (remove those "
			"files, or choose the file names with --out NAME)\n",
			c->name, (const char *)path.data, iotx509_cert_get_subject_cn(cert), name, stem);
		rc = EXIT_FAIL;
	}
	iotx509_cert_free(cert);
	iotx509_buf_dispose(&path);
	return rc;
}

int names_apply(const struct cli *c, struct names *n, int explicit_name, const char *cn, const char **name,
		const char **parent)
{
	int rc;

	if (n->style == IOTX509_NAMES_VERBATIM)
		return CLI_CONTINUE;
	if (!explicit_name) {
		if ((rc = stem_of(c, n, *name, &n->name)) != 0 || (rc = check_collision(c, n->name, *name, cn)) != 0)
			return rc;
		*name = n->name;
	}
	if (*parent != NULL) {
		/* As create_test_cert.js reads its parent: the camel-cased stem (of the last component). */
		const char *slash = strrchr(*parent, '/');
		size_t dirlen = slash ? (size_t)(slash - *parent) + 1 : 0;
		char *stem = NULL;

		if ((rc = stem_of(c, n, *parent + dirlen, &stem)) != 0)
			return rc;
		n->parent = malloc(dirlen + strlen(stem) + 1);
		if (n->parent == NULL) {
			free(stem);
			perror(PROGRAM);
			return EXIT_FAIL;
		}
		memcpy(n->parent, *parent, dirlen);
		strcpy(n->parent + dirlen, stem);
		free(stem);
		*parent = n->parent;
	}
	return CLI_CONTINUE;
}

void names_free(struct names *n)
{
	free(n->name);
	free(n->parent);
	n->name = n->parent = NULL;
}

/* The file of @set whose name ends with @suffix, or NULL. */
static const char *file_with(const iotx509_fileset *set, const char *suffix)
{
	size_t i, n = strlen(suffix);

	for (i = 0; i < iotx509_fileset_count(set); i++) {
		const char *p = iotx509_fileset_get_path(set, i);
		size_t len = strlen(p);

		if (len >= n && strcmp(p + len - n, suffix) == 0)
			return p;
	}
	return NULL;
}

/* @s quoted for a shell, into @buf: in single quotes when it is plain text;
 * when it holds control characters or invalid UTF-8, as $'...' with the
 * escapes of iotx509_text_escape() (which bash, ksh and zsh read back to the
 * exact bytes), so that the line can be printed as it is. */
static const char *shell_quote(char *buf, size_t size, const char *s)
{
	iotx509_buf esc = IOTX509_BUF_INIT;
	const char *from = s;
	size_t o = 0;
	int dollar;

	if (size < 4 || iotx509_text_escape(&esc, s) < 0)
		return "''";
	/* Escaping changes nothing but backslashes in plain text. */
	dollar = 0;
	for (const char *e = (const char *)esc.data, *t = s; *e || *t; e++, t++) {
		if (*e != *t) {
			if (*t == '\\' && e[1] == '\\') {
				e++;
				continue;
			}
			dollar = 1;
			break;
		}
	}
	if (dollar) {
		from = (const char *)esc.data;
		buf[o++] = '$';
	}
	buf[o++] = '\'';
	for (; *from && o + 6 < size; from++) {
		if (*from == '\'') {
			memcpy(buf + o, dollar ? "\\'" : "'\\''", dollar ? 2 : 4);
			o += dollar ? 2 : 4;
		} else {
			buf[o++] = *from;
		}
	}
	buf[o++] = '\'';
	buf[o] = '\0';
	iotx509_buf_dispose(&esc);
	return buf;
}

/* One variable: a text line "  export NAME='value'" and, if @json_too, a JSON member. */
static void env_var(const char *name, const char *value, int json_too)
{
	char q[2 * PATH_MAX + 16], line[2 * PATH_MAX + 80];

	snprintf(line, sizeof(line), "  export %s=%s", name, shell_quote(q, sizeof(q), value));
	out_text_verbatim(line);
	if (json_too)
		out_str(name, NULL, value);
}

/* The environment of the samples in the IoT Central guide "connect devices with X.509 certificates". */
static void device_env(const iotx509_credential *cred, const char *presented, const char *key, const char *pfx)
{
	char cert_abs[PATH_MAX], key_abs[PATH_MAX], pfx_abs[PATH_MAX], q[2 * PATH_MAX + 16];
	const char *id = iotx509_cert_get_subject_cn(iotx509_credential_get_cert(cred));

	/* Absolute: the samples are run from their own directories. */
	if (realpath(presented, cert_abs) == NULL)
		snprintf(cert_abs, sizeof(cert_abs), "%s", presented);
	if (key != NULL && realpath(key, key_abs) == NULL)
		snprintf(key_abs, sizeof(key_abs), "%s", key);
	if (pfx != NULL && realpath(pfx, pfx_abs) == NULL)
		snprintf(pfx_abs, sizeof(pfx_abs), "%s", pfx);
	out_text("environment of the IoT Central / DPS device samples (Node.js, Python, Java):");
	out_begin_object("env", NULL);
	env_var("IOTHUB_DEVICE_SECURITY_TYPE", "DPS", 1);
	env_var("IOTHUB_DEVICE_DPS_ENDPOINT", IOTX509_EDGE_GLOBAL_ENDPOINT + strlen("https://"), 1);
	out_text("  export IOTHUB_DEVICE_DPS_ID_SCOPE='<the ID scope of your DPS or IoT Central application>'");
	env_var("IOTHUB_DEVICE_DPS_DEVICE_ID", id ? id : "", 1);
	env_var("IOTHUB_DEVICE_X509_CERT", cert_abs, 1);
	if (key != NULL)
		env_var("IOTHUB_DEVICE_X509_KEY", key_abs, 1);
	else
		out_text("  (the private key is not in a file here: IOTHUB_DEVICE_X509_KEY names the device's own key)");
	out_end();
	if (pfx != NULL) {
		char line[sizeof(q) + 96];

		snprintf(line, sizeof(line),
			 "  C# sample: IOTHUB_DEVICE_X509_CERT=%s and IOTHUB_DEVICE_X509_PASSWORD=<the .pfx password>",
			 shell_quote(q, sizeof(q), pfx_abs));
		out_text_verbatim(line);
		out_begin_object("env_csharp", NULL);
		out_str("IOTHUB_DEVICE_X509_CERT", NULL, pfx_abs);
		out_end();
	}
}

void hints_report(const char *command, const iotx509_fileset *set, const iotx509_credential *cred)
{
	const iotx509_certlist *chain = iotx509_credential_get_chain(cred);
	iotx509_credential_file f = iotx509_credential_get_presented_file(cred);
	const char *cert = file_with(set, "_cert.pem"), *full = file_with(set, "_fullchain.pem");
	const char *presented = f == IOTX509_CREDENTIAL_CERT ? cert : full;
	const iotx509_cert *issuer = iotx509_certlist_count(chain) > 1 ? iotx509_certlist_get(chain, 1) : NULL;
	int device;

	if (cert == NULL || full == NULL)
		return;
	/* A renewed credential is what it was: a device, a root or an intermediate. */
	if (strcmp(command, "renew") == 0)
		command = !iotx509_cert_is_ca(iotx509_credential_get_cert(cred)) ? "device"
			  : iotx509_cert_is_self_signed(iotx509_credential_get_cert(cred)) ? "root"
										      : "intermediate";
	device = strcmp(command, "device") == 0 || strcmp(command, "sign") == 0;
	if (strcmp(command, "root") == 0 || strcmp(command, "intermediate") == 0 ||
	    strcmp(command, "verification") == 0) {
		out_str("upload", NULL, cert);
		if (strcmp(command, "verification") == 0)
			out_text("upload %s to the service to prove possession of the CA's key", cert);
		else
			out_text("upload %s to the service (enrollment group or CA certificate); devices present "
				 "their own files%s",
				 cert, strcmp(command, "root") == 0 ? "" : ": NAME_fullchain.pem, which carries this intermediate");
		return;
	}
	out_str("presents", NULL, presented);
	if (strcmp(command, "edge-ca") == 0)
		out_text("IoT Edge presents %s with the certificates it issues: iotx509 edge-config --edge-ca NAME "
			 "puts it in [edge_ca]",
			 full);
	else if (f == IOTX509_CREDENTIAL_FULLCHAIN)
		out_text("%s presents %s: the certificate and its intermediate CA certificates (issued by '%s', "
			 "the certificate alone does not chain to the root the service holds)",
			 device ? "device" : "server", full,
			 issuer ? iotx509_cert_get_subject_dn(issuer)
				: iotx509_cert_get_issuer_dn(iotx509_credential_get_cert(cred)));
	else if (issuer != NULL)
		out_text("%s presents %s (issued directly by the root '%s', which the service holds)",
			 device ? "device" : "server", cert, iotx509_cert_get_subject_dn(issuer));
	else
		out_text("%s presents %s (self-signed: enroll it as it is, e.g. in an individual enrollment)",
			 device ? "device" : "server", cert);
	if (device)
		device_env(cred, presented, file_with(set, "_key.pem"), file_with(set, ".pfx"));
}
