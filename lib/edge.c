/*
 * Azure IoT Edge: the [provisioning] section of /etc/aziot/config.toml for
 * DPS with X.509 attestation.
 */
#include "cert-internal.h"
#include "strbuf-internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int iotx509_edge_options_init(iotx509_edge_options *opts, unsigned int version)
{
	static const iotx509_edge_options init = IOTX509_EDGE_OPTIONS_INIT;

	if (opts == NULL || version != IOTX509_EDGE_OPTIONS_VERSION)
		return iox_error(IOTX509_EINVAL, "edge options: unsupported version %u", version);
	*opts = init;
	return 0;
}

/* ASCII letters and digits, whatever the locale. */
static int is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A TOML basic string: quotes, backslashes and control characters escaped. */
static void put_toml_string(iox_strbuf *sb, const char *s)
{
	iox_sb_putc(sb, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			iox_sb_putc(sb, '\\');
			iox_sb_putc(sb, (char)c);
		} else if (c < 0x20 || c == 0x7f) {
			iox_sb_printf(sb, "\\u%04X", c);
		} else {
			iox_sb_putc(sb, (char)c);
		}
	}
	iox_sb_putc(sb, '"');
}

/*
 * "file://" + the absolute form of @path, percent-encoded (RFC 8089): a
 * relative path is taken from the current directory, and "." segments and
 * repeated slashes are dropped (".." is kept: it may cross a symlink).
 */
static void put_file_uri(iox_strbuf *sb, const char *path, const char *cwd)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *parts[2], *p;
	size_t k;
	int any = 0;

	parts[0] = path[0] == '/' ? "" : cwd;
	parts[1] = path;
	iox_sb_puts(sb, "file://");
	for (k = 0; k < 2; k++) {
		p = parts[k];
		while (*p) {
			const char *seg;
			size_t len;

			while (*p == '/')
				p++;
			for (seg = p; *p && *p != '/'; p++)
				;
			len = (size_t)(p - seg);
			if (len == 0 || (len == 1 && seg[0] == '.'))
				continue;
			iox_sb_putc(sb, '/');
			any = 1;
			for (; seg < p; seg++) {
				unsigned char c = (unsigned char)*seg;

				if (is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
					iox_sb_putc(sb, (char)c);
				} else {
					iox_sb_putc(sb, '%');
					iox_sb_putc(sb, hex[c >> 4]);
					iox_sb_putc(sb, hex[c & 15]);
				}
			}
		}
	}
	if (!any)
		iox_sb_putc(sb, '/');
}

static int check_scope(const char *scope)
{
	size_t n = 0;
	const char *p;

	for (p = scope; *p; p++, n++)
		if (!is_alnum((unsigned char)*p))
			return iox_error(IOTX509_EINVAL,
					 "ID scope '%.80s': only letters and digits are allowed (e.g. 0ne00000A0A)", scope);
	if (n == 0 || n > 64)
		return iox_error(IOTX509_EINVAL, "ID scope '%.80s': 1 to 64 letters and digits expected", scope);
	return 0;
}

static int check_endpoint(const char *url)
{
	const char *p;

	if (strncmp(url, "https://", 8) != 0 || url[8] == '\0' || url[8] == '/')
		return iox_error(IOTX509_EINVAL, "global endpoint '%.200s' is not an https:// URL", url);
	for (p = url; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || *p == '"' || *p == '\\')
			return iox_error(IOTX509_EINVAL, "global endpoint '%.200s': character 0x%02x is not allowed in a URL",
					 url, (unsigned char)*p);
	return 0;
}

int iotx509_edge_config(iotx509_buf *out, const char *cert_path, const char *key_path, const char *id_scope,
			const iotx509_edge_options *opts)
{
	static const iotx509_edge_options defaults = IOTX509_EDGE_OPTIONS_INIT;
	iox_strbuf sb = IOX_STRBUF_INIT;
	iotx509_cert *cert = NULL;
	iotx509_key *key = NULL;
	const char *endpoint, *regid;
	char *cwd = NULL;
	int ret;

	if (out == NULL || cert_path == NULL || key_path == NULL || id_scope == NULL)
		return iox_error(IOTX509_EINVAL, "edge config: NULL argument");
	if (opts == NULL)
		opts = &defaults;
	if (opts->version != IOTX509_EDGE_OPTIONS_VERSION)
		return iox_error(IOTX509_EINVAL, "edge options: unsupported version %u", opts->version);
	if (*cert_path == '\0' || *key_path == '\0')
		return iox_error(IOTX509_EINVAL, "edge config: empty file name");
	endpoint = opts->global_endpoint ? opts->global_endpoint : IOTX509_EDGE_GLOBAL_ENDPOINT;
	if ((ret = check_scope(id_scope)) < 0 || (ret = check_endpoint(endpoint)) < 0)
		return ret;
	if (strncmp(key_path, "pkcs11:", 7) == 0)
		return iox_error(IOTX509_EUNSUPPORTED,
				 "%s: keys in a PKCS#11 token are configured through aziot-keyd's PKCS#11 settings, "
				 "not as a file",
				 key_path);
	if ((ret = iotx509_cert_load(&cert, cert_path)) < 0)
		return ret;
	if (cert->is_ca) {
		ret = iox_error(IOTX509_EINVAL,
				"%s: '%s' is a CA certificate; the identity certificate is the device's own (an edge "
				"CA belongs in the [edge_ca] section)",
				cert_path, cert->subject_dn);
		goto out;
	}
	if ((ret = iotx509_key_load(&key, key_path, NULL)) < 0) {
		if (ret == IOTX509_EPASSWORD)
			ret = iox_error(IOTX509_EPASSWORD,
					"%s: the private key is encrypted; aziot-keyd needs it unencrypted (mode 0600)",
					key_path);
		goto out;
	}
	if (iotx509_cert_check_key(cert, key) < 0) {
		ret = iox_error(IOTX509_EKEYMISMATCH, "%s is not the private key of %s ('%s')", key_path, cert_path,
				cert->subject_dn);
		goto out;
	}
	regid = opts->registration_id ? opts->registration_id : cert->subject_cn;
	if ((ret = iotx509_id_validate_device(regid, opts->id_policy, IOTX509_ID_AS_CN)) < 0) {
		iox_error_prefix(opts->registration_id ? "registration ID" : cert_path);
		goto out;
	}
	if (strcmp(regid, cert->subject_cn) != 0) {
		ret = iox_error(IOTX509_EDEVICEID,
				"registration ID '%s' is not the CN '%s' of %s: DPS refuses an X.509 device whose "
				"certificate CN differs from its registration ID",
				regid, cert->subject_cn, cert_path);
		goto out;
	}
	if ((cert_path[0] != '/' || key_path[0] != '/') && (cwd = getcwd(NULL, 0)) == NULL) {
		ret = iox_error(IOTX509_EIO, "cannot make %s absolute: %s", cert_path, strerror(errno));
		goto out;
	}
	iox_sb_puts(&sb, "# DPS provisioning with X.509 attestation (written by iotx509 edge-config)\n"
			 "[provisioning]\n"
			 "source = \"dps\"\n"
			 "global_endpoint = ");
	put_toml_string(&sb, endpoint);
	iox_sb_puts(&sb, "\nid_scope = ");
	put_toml_string(&sb, id_scope);
	iox_sb_puts(&sb, "\n\n[provisioning.attestation]\n"
			 "method = \"x509\"\n"
			 "registration_id = ");
	put_toml_string(&sb, regid);
	/* The URIs are percent-encoded ASCII: nothing in them needs escaping. */
	iox_sb_puts(&sb, "\nidentity_cert = \"");
	put_file_uri(&sb, cert_path, cwd);
	iox_sb_puts(&sb, "\"\nidentity_pk = \"");
	put_file_uri(&sb, key_path, cwd);
	iox_sb_puts(&sb, "\"\n");
	ret = iox_sb_finish(&sb, out);
out:
	free(cwd);
	iotx509_cert_free(cert);
	iotx509_key_free(key);
	return ret;
}
