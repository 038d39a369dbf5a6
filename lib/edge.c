/*
 * Azure IoT Edge: the provisioning sections of /etc/aziot/config.toml for
 * X.509 identities (DPS or manual), the optional [edge_ca] and trust
 * bundle, with the paths the files get on the device; and those files,
 * staged under a local directory that mirrors the device.
 */
#include "cert-internal.h"
#include "file-internal.h"
#include "strbuf-internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NFILES 5

IOX_OPTS_TYPE(edge_opts_type, "edge options", IOTX509_EDGE_OPTIONS_VERSION, sizeof(iotx509_edge_options));
static const iotx509_edge_options edge_opts_defaults = IOTX509_EDGE_OPTIONS_INIT;

iotx509_error_code iotx509_edge_options_init(iotx509_edge_options *opts, unsigned int version)
{
	return iox_opts_init(opts, version, &edge_opts_defaults, &edge_opts_type);
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

/* Text in a TOML comment: printable ASCII only, so no byte can end the
 * comment or make the document invalid UTF-8. */
static void put_comment_text(iox_strbuf *sb, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c >= 0x7f)
			iox_sb_printf(sb, "\\x%02X", c);
		else
			iox_sb_putc(sb, (char)c);
	}
}

/*
 * "file://" + absolute @path, percent-encoded (RFC 8089); "." segments and
 * repeated slashes are dropped (".." is kept: it may cross a symlink).
 */
static void put_file_uri(iox_strbuf *sb, const char *path)
{
	const char *p = path;
	char enc[3];
	int any = 0;

	iox_sb_puts(sb, "\"file://");
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
		for (; seg < p; seg++)
			iox_sb_append(sb, enc, iox_pct_encode_unit(enc, (unsigned char)*seg));
	}
	if (!any)
		iox_sb_putc(sb, '/');
	iox_sb_putc(sb, '"');
}

static int check_scope(const char *scope)
{
	size_t n = 0;
	const char *p;

	for (p = scope; *p; p++, n++)
		if (!iox_is_alnum((unsigned char)*p))
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

/* A DNS host name: labels of letters, digits and '-', 1 to 63 each, 253 in all. */
static int check_hostname(const char *host)
{
	size_t n = strlen(host), label = 0, i;

	if (strstr(host, "://") != NULL || strchr(host, '/') != NULL)
		return iox_error(IOTX509_EINVAL,
				 "IoT hub '%.200s': give the host name only (e.g. myhub.azure-devices.net), not a URL", host);
	if (n == 0 || n > 253)
		return iox_error(IOTX509_EINVAL, "IoT hub host name '%.200s': 1 to 253 characters expected", host);
	for (i = 0; i <= n; i++) {
		unsigned char c = (unsigned char)host[i];

		if (c == '.' || c == '\0') {
			if (label == 0 || label > 63 || host[i - 1] == '-' || host[i - label] == '-')
				return iox_error(IOTX509_EINVAL, "IoT hub host name '%.200s' is not a valid DNS name", host);
			label = 0;
		} else if (iox_is_alnum(c) || c == '-') {
			label++;
		} else {
			return iox_error(IOTX509_EINVAL, "IoT hub host name '%.200s': character 0x%02x is not allowed", host,
					 c);
		}
	}
	return 0;
}

static const char *const role_names[NFILES] = {
	[IOTX509_EDGE_IDENTITY_CERT] = "identity certificate",
	[IOTX509_EDGE_IDENTITY_PK] = "identity key",
	[IOTX509_EDGE_CA_CERT] = "edge CA certificate",
	[IOTX509_EDGE_CA_PK] = "edge CA key",
	[IOTX509_EDGE_TRUST_BUNDLE] = "trust bundle",
};

/* The keys of config.toml that name each file. */
static const char *const file_names[NFILES] = {
	[IOTX509_EDGE_IDENTITY_CERT] = "identity_cert",
	[IOTX509_EDGE_IDENTITY_PK] = "identity_pk",
	[IOTX509_EDGE_CA_CERT] = "edge_ca_cert",
	[IOTX509_EDGE_CA_PK] = "edge_ca_pk",
	[IOTX509_EDGE_TRUST_BUNDLE] = "trust_bundle_cert",
};

const char *iotx509_edge_file_name(iotx509_edge_file file)
{
	return (unsigned int)file < NFILES ? file_names[file] : "unknown";
}

static int is_private(iotx509_edge_file f)
{
	return f == IOTX509_EDGE_IDENTITY_PK || f == IOTX509_EDGE_CA_PK;
}

/* A device directory: absolute, no control characters. */
static int check_device_dir(const char *dir, const char *what)
{
	const char *p;

	if (dir[0] != '/')
		return iox_error(IOTX509_EINVAL, "device %s directory '%.200s' is not an absolute path", what, dir);
	for (p = dir; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return iox_error(IOTX509_EINVAL, "device %s directory: control character 0x%02x", what,
					 (unsigned char)*p);
	return 0;
}

iotx509_error_code iotx509_edge_device_path(iotx509_buf *out, const char *local_path, iotx509_edge_file file,
			     const iotx509_edge_options *opts)
{
	iotx509_edge_options copy;
	iox_strbuf sb = IOX_STRBUF_INIT;
	const char *base, *dir;
	size_t dlen;
	int ret;

	if (out == NULL || local_path == NULL)
		return iox_error(IOTX509_EINVAL, "edge device path: NULL argument");
	out->data = NULL;
	out->size = 0;
	if (iox_opts_read(&copy, opts, &edge_opts_defaults, &edge_opts_type) < 0)
		return IOTX509_EINVAL;
	opts = &copy;
	if ((unsigned int)file >= NFILES)
		return iox_error(IOTX509_EINVAL, "edge device path: unknown file kind %d", (int)file);
	base = strrchr(local_path, '/');
	base = base ? base + 1 : local_path;
	if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return iox_error(IOTX509_EINVAL, "%s '%.200s' does not name a file", role_names[file], local_path);
	if (opts->flags & IOTX509_EDGE_LOCAL_PATHS) {
		if (local_path[0] != '/') {
			char *cwd = getcwd(NULL, 0);

			if (cwd == NULL)
				return iox_error(IOTX509_EIO, "cannot make %s absolute: %s", local_path, strerror(errno));
			iox_sb_printf(&sb, "%s/", cwd);
			free(cwd);
		}
		iox_sb_puts(&sb, local_path);
		return iox_sb_finish(&sb, out);
	}
	if (is_private(file)) {
		dir = opts->device_key_dir ? opts->device_key_dir : IOTX509_EDGE_KEY_DIR;
		ret = check_device_dir(dir, "key");
	} else {
		dir = opts->device_cert_dir ? opts->device_cert_dir : IOTX509_EDGE_CERT_DIR;
		ret = check_device_dir(dir, "certificate");
	}
	if (ret < 0)
		return ret;
	for (dlen = strlen(dir); dlen > 1 && dir[dlen - 1] == '/'; dlen--)
		;
	iox_sb_append(&sb, dir, dlen);
	if (dlen > 1)
		iox_sb_putc(&sb, '/');
	iox_sb_puts(&sb, base);
	return iox_sb_finish(&sb, out);
}

/* What one configuration names: the local files, their device paths, the identity's CN. */
typedef struct {
	const char *local[NFILES]; /* NULL: not used */
	iotx509_buf device[NFILES];
	char *cn;
} plan_t;

static void plan_free(plan_t *p)
{
	int i;

	for (i = 0; i < NFILES; i++)
		iotx509_buf_dispose(&p->device[i]);
	free(p->cn);
}

/* aziot-certd and aziot-keyd read PEM only. */
static int check_pem(const char *path, iotx509_edge_file f)
{
	iotx509_buf data = IOTX509_BUF_INIT;
	int ret = iotx509_file_read(&data, path);

	if (ret < 0)
		return ret;
	if (strstr((const char *)data.data, "-----BEGIN ") == NULL)
		ret = iox_error(IOTX509_EINVAL, "%s: the %s is not PEM; IoT Edge reads PEM files only", path,
				role_names[f]);
	iotx509_buf_dispose(&data);
	return ret;
}

/* An unencrypted key file that belongs to @cert. */
static int check_key(const char *key_path, const iotx509_cert *cert, const char *cert_path)
{
	iotx509_key *key = NULL;
	int ret;

	if (strncmp(key_path, "pkcs11:", 7) == 0)
		return iox_error(IOTX509_EUNSUPPORTED,
				 "%s: keys in a PKCS#11 token are configured through aziot-keyd's PKCS#11 settings, "
				 "not as a file",
				 key_path);
	if ((ret = iotx509_key_load(&key, key_path, NULL)) < 0) {
		if (ret == IOTX509_EPASSWORD)
			ret = iox_error(IOTX509_EPASSWORD,
					"%s: the private key is encrypted; aziot-keyd needs it unencrypted (mode 0600)",
					key_path);
		return ret;
	}
	if (iotx509_cert_check_key(cert, key) < 0)
		ret = iox_error(IOTX509_EKEYMISMATCH, "%s is not the private key of %s ('%s')", key_path, cert_path,
				cert->subject_dn);
	iotx509_key_free(key);
	return ret;
}

static int check_trust_bundle(const char *path)
{
	iotx509_certlist *list = NULL;
	size_t i;
	int ret;

	if ((ret = iotx509_certlist_new(&list)) < 0)
		return ret;
	if ((ret = iotx509_certlist_add_path(list, path)) == 0) {
		for (i = 0; i < iotx509_certlist_count(list); i++) {
			const iotx509_cert *c = iotx509_certlist_get(list, i);

			if (!c->is_ca) {
				ret = iox_error(IOTX509_EINVAL,
						"%s: '%s' is not a CA certificate; the trust bundle holds the root CA "
						"certificate(s) the device's modules trust",
						path, c->subject_dn);
				break;
			}
		}
	}
	iotx509_certlist_free(list);
	return ret;
}

/* Every check on the files, and their paths on the device. */
static int plan_make(plan_t *p, const char *cert_path, const char *key_path, const iotx509_edge_options *o)
{
	iotx509_cert *cert = NULL, *ca = NULL;
	int i, j, ret;

	memset(p, 0, sizeof(*p));
	if (*cert_path == '\0' || *key_path == '\0')
		return iox_error(IOTX509_EINVAL, "edge config: empty file name");
	if ((o->edge_ca_cert == NULL) != (o->edge_ca_key == NULL))
		return iox_error(IOTX509_EINVAL, "edge CA: give its certificate and its private key");
	p->local[IOTX509_EDGE_IDENTITY_CERT] = cert_path;
	p->local[IOTX509_EDGE_IDENTITY_PK] = key_path;
	p->local[IOTX509_EDGE_CA_CERT] = o->edge_ca_cert;
	p->local[IOTX509_EDGE_CA_PK] = o->edge_ca_key;
	p->local[IOTX509_EDGE_TRUST_BUNDLE] = o->trust_bundle;

	if ((ret = iotx509_cert_load(&cert, cert_path)) < 0)
		return ret;
	if (cert->is_ca) {
		ret = iox_error(IOTX509_EINVAL,
				"%s: '%s' is a CA certificate; the identity certificate is the device's own (an edge "
				"CA belongs in the [edge_ca] section)",
				cert_path, cert->subject_dn);
		goto out;
	}
	if ((ret = check_key(key_path, cert, cert_path)) < 0)
		goto out;
	if ((p->cn = iox_strdup(cert->subject_cn ? cert->subject_cn : "")) == NULL) {
		ret = IOTX509_ENOMEM;
		goto out;
	}
	if (o->edge_ca_cert != NULL) {
		if ((ret = iotx509_cert_load(&ca, o->edge_ca_cert)) < 0)
			goto out;
		if (!ca->is_ca) {
			ret = iox_error(IOTX509_EINVAL,
					"%s: '%s' is not a CA certificate; the edge CA issues the modules' certificates "
					"(make one with iotx509 edge-ca)",
					o->edge_ca_cert, ca->subject_dn);
			goto out;
		}
		if ((ret = check_key(o->edge_ca_key, ca, o->edge_ca_cert)) < 0)
			goto out;
	}
	if (o->trust_bundle != NULL && (ret = check_trust_bundle(o->trust_bundle)) < 0)
		goto out;
	for (i = 0; i < NFILES; i++) {
		if (p->local[i] == NULL)
			continue;
		if ((ret = check_pem(p->local[i], (iotx509_edge_file)i)) < 0 ||
		    (ret = iotx509_edge_device_path(&p->device[i], p->local[i], (iotx509_edge_file)i, o)) < 0)
			goto out;
		for (j = 0; j < i; j++)
			if (p->local[j] != NULL && strcmp((const char *)p->device[j].data, (const char *)p->device[i].data) == 0) {
				ret = iox_error(IOTX509_EINVAL,
						"the %s %s and the %s %s would both be %s on the device; give them "
						"different file names",
						role_names[j], p->local[j], role_names[i], p->local[i],
						(const char *)p->device[i].data);
				goto out;
			}
	}
	ret = 0;
out:
	iotx509_cert_free(cert);
	iotx509_cert_free(ca);
	if (ret < 0)
		plan_free(p);
	return ret;
}

/* Reads the caller's options into @copy (only its version's fields) and points *@o at it. */
static int check_options(const iotx509_edge_options **o, iotx509_edge_options *copy)
{
	if (iox_opts_read(copy, *o, &edge_opts_defaults, &edge_opts_type) < 0)
		return IOTX509_EINVAL;
	*o = copy;
	if ((*o)->flags & ~(unsigned int)IOTX509_EDGE_LOCAL_PATHS)
		return iox_error(IOTX509_EINVAL, "edge options: unknown flags 0x%x", (*o)->flags);
	return 0;
}

/* The DPS or manual values; *@id receives the registration or device ID. */
static int check_provisioning(const char *id_scope, const iotx509_edge_options *o, const char *cn,
			      const char *cert_path, const char **id)
{
	const char *endpoint = o->global_endpoint ? o->global_endpoint : IOTX509_EDGE_GLOBAL_ENDPOINT;
	const char *given, *what;
	int ret;

	if (o->iothub_hostname != NULL) {
		if (id_scope != NULL)
			return iox_error(IOTX509_EINVAL,
					 "give an ID scope (DPS provisioning) or an IoT hub (manual provisioning), not both");
		if (o->registration_id != NULL || o->global_endpoint != NULL)
			return iox_error(IOTX509_EINVAL,
					 "a registration ID and a global endpoint are DPS settings; manual provisioning "
					 "takes a device ID");
		if ((ret = check_hostname(o->iothub_hostname)) < 0)
			return ret;
		given = o->device_id;
		what = "device ID";
	} else {
		if (id_scope == NULL)
			return iox_error(IOTX509_EINVAL,
					 "give an ID scope (DPS provisioning) or an IoT hub host name (manual provisioning)");
		if (o->device_id != NULL)
			return iox_error(IOTX509_EINVAL, "a device ID is a manual provisioning setting; DPS takes a "
							 "registration ID");
		if ((ret = check_scope(id_scope)) < 0 || (ret = check_endpoint(endpoint)) < 0)
			return ret;
		given = o->registration_id;
		what = "registration ID";
	}
	*id = given ? given : cn;
	if ((ret = iox_id_validate(*id, o->id_policy, IOTX509_ID_AS_CN)) < 0) {
		iox_error_prefix(given ? what : cert_path);
		return ret;
	}
	if (strcmp(*id, cn) != 0)
		return iox_error(IOTX509_EDEVICEID,
				 "%s '%s' is not the CN '%s' of %s: %s refuses an X.509 device whose certificate CN "
				 "differs from its %s",
				 what, *id, cn, cert_path, o->iothub_hostname ? "IoT Hub" : "DPS", what);
	return 0;
}

#define DEVICE(p, f) ((const char *)(p)->device[f].data)

iotx509_error_code iotx509_edge_export_config(iotx509_buf *out, const char *cert_path, const char *key_path, const char *id_scope,
			const iotx509_edge_options *opts)
{
	iotx509_edge_options copy;
	iox_strbuf sb = IOX_STRBUF_INIT;
	const char *id = NULL;
	plan_t p;
	int i, ret;

	if (out == NULL || cert_path == NULL || key_path == NULL)
		return iox_error(IOTX509_EINVAL, "edge config: NULL argument");
	out->data = NULL;
	out->size = 0;
	if ((ret = check_options(&opts, &copy)) < 0)
		return ret;
	/* The cheap checks of the values first, then the files. */
	if (opts->iothub_hostname != NULL)
		ret = check_hostname(opts->iothub_hostname);
	else if (id_scope != NULL)
		ret = check_scope(id_scope);
	if (ret < 0)
		return ret;
	if ((ret = plan_make(&p, cert_path, key_path, opts)) < 0)
		return ret;
	if ((ret = check_provisioning(id_scope, opts, p.cn, cert_path, &id)) < 0)
		goto out;

	iox_sb_puts(&sb, "# Azure IoT Edge provisioning with X.509 (written by iotx509 edge-config).\n");
	if (!(opts->flags & IOTX509_EDGE_LOCAL_PATHS))
		iox_sb_puts(&sb, "# Copy these files to the device (certificates owned by aziotcs, mode 0644;\n"
				 "# private keys owned by aziotks, mode 0600):\n");
	else
		iox_sb_puts(&sb, "# The files, by their paths on this machine:\n");
	for (i = 0; i < NFILES; i++) {
		if (p.local[i] == NULL)
			continue;
		iox_sb_puts(&sb, "#   ");
		put_comment_text(&sb, p.local[i]);
		iox_sb_puts(&sb, " -> ");
		put_comment_text(&sb, DEVICE(&p, i));
		iox_sb_putc(&sb, '\n');
	}
	iox_sb_puts(&sb, "# Merge into /etc/aziot/config.toml (which must have no other [provisioning]\n"
			 "# or [edge_ca]), then run: sudo iotedge config apply\n");
	/* The URIs are percent-encoded ASCII: nothing in them needs escaping. */
	if (p.local[IOTX509_EDGE_TRUST_BUNDLE] != NULL) {
		iox_sb_puts(&sb, "\n# A top-level key: it goes above the first [table] of config.toml.\n"
				 "trust_bundle_cert = ");
		put_file_uri(&sb, DEVICE(&p, IOTX509_EDGE_TRUST_BUNDLE));
		iox_sb_putc(&sb, '\n');
	}
	if (opts->iothub_hostname != NULL) {
		iox_sb_puts(&sb, "\n[provisioning]\nsource = \"manual\"\niothub_hostname = ");
		put_toml_string(&sb, opts->iothub_hostname);
		iox_sb_puts(&sb, "\ndevice_id = ");
		put_toml_string(&sb, id);
		iox_sb_puts(&sb, "\n\n[provisioning.authentication]\nmethod = \"x509\"\n");
	} else {
		iox_sb_puts(&sb, "\n[provisioning]\nsource = \"dps\"\nglobal_endpoint = ");
		put_toml_string(&sb, opts->global_endpoint ? opts->global_endpoint : IOTX509_EDGE_GLOBAL_ENDPOINT);
		iox_sb_puts(&sb, "\nid_scope = ");
		put_toml_string(&sb, id_scope);
		iox_sb_puts(&sb, "\n\n[provisioning.attestation]\nmethod = \"x509\"\nregistration_id = ");
		put_toml_string(&sb, id);
		iox_sb_putc(&sb, '\n');
	}
	iox_sb_puts(&sb, "identity_cert = ");
	put_file_uri(&sb, DEVICE(&p, IOTX509_EDGE_IDENTITY_CERT));
	iox_sb_puts(&sb, "\nidentity_pk = ");
	put_file_uri(&sb, DEVICE(&p, IOTX509_EDGE_IDENTITY_PK));
	iox_sb_putc(&sb, '\n');
	if (p.local[IOTX509_EDGE_CA_CERT] != NULL) {
		iox_sb_puts(&sb, "\n[edge_ca]\ncert = ");
		put_file_uri(&sb, DEVICE(&p, IOTX509_EDGE_CA_CERT));
		iox_sb_puts(&sb, "\npk = ");
		put_file_uri(&sb, DEVICE(&p, IOTX509_EDGE_CA_PK));
		iox_sb_putc(&sb, '\n');
	}
	ret = iox_sb_finish(&sb, out);
out:
	iox_sb_dispose(&sb);
	plan_free(&p);
	return ret;
}

iotx509_error_code iotx509_edge_stage(iotx509_fileset *set, const char *dir, const char *cert_path, const char *key_path,
		       const iotx509_edge_options *opts)
{
	iotx509_edge_options copy;
	iotx509_buf data = IOTX509_BUF_INIT, path = IOTX509_BUF_INIT;
	plan_t p;
	size_t dlen;
	int i, ret;

	if (set == NULL || dir == NULL || cert_path == NULL || key_path == NULL)
		return iox_error(IOTX509_EINVAL, "edge stage: NULL argument");
	if (*dir == '\0')
		return iox_error(IOTX509_EINVAL, "edge stage: empty directory name");
	for (dlen = strlen(dir); dlen > 0 && dir[dlen - 1] == '/'; dlen--)
		;
	if ((ret = check_options(&opts, &copy)) < 0 || (ret = plan_make(&p, cert_path, key_path, opts)) < 0)
		return ret;
	for (i = 0; i < NFILES && ret == 0; i++) {
		iox_strbuf sb = IOX_STRBUF_INIT;
		char *slash;

		if (p.local[i] == NULL)
			continue;
		/* DIR + the absolute device path; its directory must exist at commit. */
		iox_sb_append(&sb, dir, dlen);
		iox_sb_puts(&sb, DEVICE(&p, i));
		if ((ret = iox_sb_finish(&sb, &path)) < 0)
			break;
		slash = strrchr((char *)path.data, '/');
		if (slash != (char *)path.data) {
			*slash = '\0';
			ret = iotx509_file_mkdir((const char *)path.data);
			*slash = '/';
		}
		if (ret == 0 && (ret = iotx509_file_read(&data, p.local[i])) == 0)
			ret = iox_fileset_add(set, (const char *)path.data, data.data, data.size,
						  is_private((iotx509_edge_file)i) ? IOTX509_WRITE_PRIVATE : 0);
		iotx509_buf_dispose(&data);
		iotx509_buf_dispose(&path);
	}
	plan_free(&p);
	return ret;
}
