/*
 * Credentials: key + certificate + chain, and the NAME_cert.pem /
 * NAME_key.pem / NAME_fullchain.pem / NAME.pfx files written for one.
 */
#include "cert-internal.h"
#include "credential-internal.h"
#include "file-internal.h"
#include "key-internal.h"
#include "pem-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct iotx509_credential {
	iotx509_cert *cert;
	iotx509_key *key; /* NULL for a certificate-only credential */
	iotx509_certlist *chain;
};

const char *const iox_credential_suffixes[IOTX509_CREDENTIAL_CSR + 1] = {
	[IOTX509_CREDENTIAL_CERT] = "_cert.pem",
	[IOTX509_CREDENTIAL_KEY] = "_key.pem",
	[IOTX509_CREDENTIAL_FULLCHAIN] = "_fullchain.pem",
	[IOTX509_CREDENTIAL_PFX] = ".pfx",
	[IOTX509_CREDENTIAL_CSR] = "_csr.pem",
};

#define ALL_FILES                                                                                         \
	(IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_CERT) | IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_KEY) | \
	 IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_FULLCHAIN) |                                       \
	 IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_PFX))

const char *iotx509_credential_file_name(iotx509_credential_file file)
{
	static const char *const names[] = {
		[IOTX509_CREDENTIAL_CERT] = "cert",
		[IOTX509_CREDENTIAL_KEY] = "key",
		[IOTX509_CREDENTIAL_FULLCHAIN] = "fullchain",
		[IOTX509_CREDENTIAL_PFX] = "pfx",
		[IOTX509_CREDENTIAL_CSR] = "csr",
	};

	return (unsigned int)file < sizeof(names) / sizeof(names[0]) ? names[file] : "unknown";
}

const char *iotx509_name_style_name(iotx509_name_style style)
{
	switch (style) {
	case IOTX509_NAMES_VERBATIM:
		return "verbatim";
	case IOTX509_NAMES_CREATE_TEST_CERT:
		return "create-test-cert";
	}
	return "unknown";
}

iotx509_error_code iotx509_credential_path(iotx509_buf *out, const char *dir, const char *name, iotx509_credential_file file)
{
	char *p;
	size_t n;

	if (out == NULL || name == NULL)
		return iox_error(IOTX509_EINVAL, "credential path: NULL argument");
	out->data = NULL;
	out->size = 0;
	/* The name becomes part of a file name, never a path of its own. */
	if (*name == '\0' || strchr(name, '/') != NULL || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return iox_error(IOTX509_EINVAL, "'%s' cannot be used as a file name (no '/', not empty)", name);
	if ((unsigned int)file > IOTX509_CREDENTIAL_CSR)
		return iox_error(IOTX509_EINVAL, "credential path: unknown file kind %d", (int)file);
	if (dir != NULL && *dir == '\0')
		dir = NULL;
	n = (dir ? strlen(dir) + 1 : 0) + strlen(name) + strlen(iox_credential_suffixes[file]) + 1;
	p = malloc(n);
	if (p == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	if (dir == NULL)
		snprintf(p, n, "%s%s", name, iox_credential_suffixes[file]);
	else if (dir[strlen(dir) - 1] == '/')
		snprintf(p, n, "%s%s%s", dir, name, iox_credential_suffixes[file]);
	else
		snprintf(p, n, "%s/%s%s", dir, name, iox_credential_suffixes[file]);
	out->data = (unsigned char *)p;
	out->size = strlen(p);
	return 0;
}

/* ---- file name stems ---- */

static int is_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_lower(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* The separators camelcase removes, and what its regular expression calls \w. */
static int is_sep(unsigned char c)
{
	return c == '-' || c == '_' || c == '.' || c == ' ';
}

static int is_word(unsigned char c)
{
	return is_upper(c) || is_lower(c) || is_digit(c) || c == '_';
}

static char to_lower(unsigned char c)
{
	return (char)(is_upper(c) ? c - 'A' + 'a' : c);
}

static char to_upper(unsigned char c)
{
	return (char)(is_lower(c) ? c - 'a' + 'A' : c);
}

/*
 * camelcase 4.1 (what create_test_cert.js calls) on the ASCII text @s of
 * @n bytes, into @out (room for 4n + 2 bytes: 2n + 1 for the result, which
 * can keep an inserted '-', then as much for the first pass). The steps, as the package
 * takes them: trim; one character is lower-cased, [a-z0-9]+ kept; with
 * upper-case letters a '-' goes in where a lower-case letter (or any
 * non-letter) meets an upper-case one, and before the last of two or more
 * upper-case letters followed by a lower-case one; then leading
 * separators go, everything is lower-cased, and each run of separators
 * followed by a word character or the end is replaced by that character
 * upper-cased (a run followed by anything else stays as it is).
 */
static void camel_case(char *out, const char *s, size_t n)
{
	char *t = out + 2 * n + 1; /* the first pass */
	size_t m = 0, i, j, e, r = 0;
	int has_upper = 0, simple = 1, last_lower = 0, last_upper = 0, last_last_upper = 0;

	while (n > 0 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || (s[n - 1] >= '\t' && s[n - 1] <= '\r')))
		n--;
	for (i = 0; i < n; i++) {
		has_upper |= is_upper((unsigned char)s[i]);
		simple &= is_lower((unsigned char)s[i]) || is_digit((unsigned char)s[i]);
	}
	if (n <= 1 || simple) {
		for (i = 0; i < n; i++)
			out[i] = n == 1 ? to_lower((unsigned char)s[i]) : s[i];
		out[n] = '\0';
		return;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (has_upper && last_lower && is_upper(c)) {
			t[m++] = '-';
			t[m++] = (char)c;
			last_lower = 0;
			last_last_upper = last_upper;
			last_upper = 1;
		} else if (has_upper && last_upper && last_last_upper && is_lower(c)) {
			/* the '-' goes before the previous (upper-case) letter */
			t[m] = t[m - 1];
			t[m - 1] = '-';
			m++;
			t[m++] = (char)c;
			last_lower = 1;
			last_upper = 0;
			last_last_upper = 0;
		} else {
			t[m++] = (char)c;
			last_lower = !is_upper(c);
			last_last_upper = last_upper;
			last_upper = !is_lower(c);
		}
	}
	for (i = 0; i < m && is_sep((unsigned char)t[i]); i++)
		;
	while (i < m) {
		if (!is_sep((unsigned char)t[i])) {
			out[r++] = to_lower((unsigned char)t[i++]);
			continue;
		}
		for (j = i; j < m && is_sep((unsigned char)t[j]); j++)
			;
		/* The longest run that ends before a word character or at the end. */
		for (e = j; e > i; e--)
			if (e == m || is_word((unsigned char)t[e]))
				break;
		if (e == i) {
			out[r++] = t[i++];
		} else {
			if (e < m)
				out[r++] = to_upper((unsigned char)to_lower((unsigned char)t[e]));
			i = e + 1;
		}
	}
	out[r] = '\0';
}

iotx509_error_code iotx509_credential_stem(iotx509_buf *out, const char *name, iotx509_name_style style)
{
	size_t n, i;
	char *p;

	if (out == NULL || name == NULL)
		return iox_error(IOTX509_EINVAL, "credential stem: NULL argument");
	out->data = NULL;
	out->size = 0;
	if (style != IOTX509_NAMES_VERBATIM && style != IOTX509_NAMES_CREATE_TEST_CERT)
		return iox_error(IOTX509_EINVAL, "credential stem: unknown name style %d", (int)style);
	n = strlen(name);
	if ((p = malloc(4 * n + 2)) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	if (style == IOTX509_NAMES_VERBATIM) {
		memcpy(p, name, n + 1);
	} else {
		for (i = 0; i < n; i++)
			if ((unsigned char)name[i] >= 0x80) {
				free(p);
				return iox_error(IOTX509_EINVAL,
						 "'%s': create_test_cert.js names are made for ASCII names only (its "
						 "Unicode case rules are not reproduced)",
						 name);
			}
		camel_case(p, name, n);
	}
	if (*p == '\0' || strchr(p, '/') != NULL || strcmp(p, ".") == 0 || strcmp(p, "..") == 0) {
		int err = iox_error(IOTX509_EINVAL, "'%s' gives the file name stem '%s', which cannot be used "
						    "(no '/', not empty)",
				    name, p);

		free(p);
		return err;
	}
	out->data = (unsigned char *)p;
	out->size = strlen(p);
	return 0;
}

iotx509_credential_file iotx509_credential_get_presented_file(const iotx509_credential *cred)
{
	size_t n;

	if (cred == NULL)
		return IOTX509_CREDENTIAL_FULLCHAIN;
	n = iotx509_certlist_count(cred->chain);
	/* Self-signed, or issued by the root the service holds: the leaf chains on its own. */
	if ((n == 1 && cred->cert->self_signed) ||
	    (n == 2 && iotx509_certlist_get(cred->chain, 1)->self_signed))
		return IOTX509_CREDENTIAL_CERT;
	return IOTX509_CREDENTIAL_FULLCHAIN;
}

IOX_OPTS_TYPE(credential_opts_type, "credential options", IOTX509_CREDENTIAL_OPTIONS_VERSION,
	      sizeof(iotx509_credential_options));
static const iotx509_credential_options credential_opts_defaults = IOTX509_CREDENTIAL_OPTIONS_INIT;
const iotx509_credential_options iox_credential_partial_chain = { IOTX509_CREDENTIAL_OPTIONS_VERSION,
								   IOTX509_CREDENTIAL_PARTIAL_CHAIN, 0 };

iotx509_error_code iotx509_credential_options_init(iotx509_credential_options *opts, unsigned int version)
{
	return iox_opts_init(opts, version, &credential_opts_defaults, &credential_opts_type);
}

int iox_credential_options_read(iotx509_credential_options *copy, const iotx509_credential_options *opts)
{
	if (iox_opts_read(copy, opts, &credential_opts_defaults, &credential_opts_type) < 0)
		return IOTX509_EINVAL;
	if (copy->flags & ~(unsigned int)IOTX509_CREDENTIAL_PARTIAL_CHAIN)
		return iox_error(IOTX509_EINVAL, "credential: unknown flags 0x%x", copy->flags);
	return 0;
}

iotx509_error_code iotx509_credential_new(iotx509_credential **out, const iotx509_cert *cert, const iotx509_key *key,
			   const iotx509_certlist *pool, const iotx509_credential_options *opts)
{
	iotx509_chain_options co = IOTX509_CHAIN_OPTIONS_INIT;
	iotx509_credential_options copy;
	iotx509_credential *cred;
	int err;

	if (out == NULL || cert == NULL)
		return iox_error(IOTX509_EINVAL, "credential: NULL argument");
	*out = NULL;
	if ((err = iox_credential_options_read(&copy, opts)) < 0)
		return err;
	if (key != NULL && (err = iotx509_cert_check_key(cert, key)) < 0)
		return err;
	cred = calloc(1, sizeof(*cred));
	if (cred == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	if (copy.flags & IOTX509_CREDENTIAL_PARTIAL_CHAIN)
		co.flags |= IOTX509_CHAIN_ALLOW_PARTIAL;
	err = iotx509_chain_build(&cred->chain, cert, pool, &co);
	if (err < 0) {
		iox_error_prefix("cannot build the full chain");
		free(cred);
		return err;
	}
	cred->cert = iox_cert_ref(cert);
	cred->key = key ? iox_key_ref(key) : NULL;
	*out = cred;
	return 0;
}

/*
 * The first certificate of @cert_path becomes the credential's certificate;
 * the rest of that file and @chain_path (if given and present) form the pool.
 */
static int load(iotx509_credential **out, const char *cert_path, const char *key_path, const char *key_password,
		const char *chain_path, const iotx509_credential_options *opts)
{
	iotx509_certlist *pool = NULL;
	iotx509_key *key = NULL;
	const iotx509_cert *cert;
	int err;

	if ((err = iotx509_certlist_new(&pool)) < 0)
		return err;
	if ((err = iotx509_certlist_add_path(pool, cert_path)) < 0)
		goto out;
	cert = iotx509_certlist_get(pool, 0);
	if (key_path != NULL && (err = iotx509_key_load(&key, key_path, key_password)) < 0)
		goto out;
	if (key != NULL && (err = iotx509_cert_check_key(cert, key)) < 0) {
		iox_error_prefix(key_path);
		goto out;
	}
	if (chain_path != NULL && access(chain_path, F_OK) == 0 && (err = iotx509_certlist_add_path(pool, chain_path)) < 0)
		goto out;
	err = iotx509_credential_new(out, cert, key, pool, opts);
out:
	iotx509_key_free(key);
	iotx509_certlist_free(pool);
	return err;
}

iotx509_error_code iotx509_credential_load(iotx509_credential **out, const char *dir, const char *name, const char *key_password,
			    const iotx509_credential_options *opts)
{
	iotx509_buf cert = IOTX509_BUF_INIT, key = IOTX509_BUF_INIT, chain = IOTX509_BUF_INIT;
	int err;

	if (out == NULL || name == NULL)
		return iox_error(IOTX509_EINVAL, "credential load: NULL argument");
	*out = NULL;
	if ((err = iotx509_credential_path(&cert, dir, name, IOTX509_CREDENTIAL_CERT)) == 0 &&
	    (err = iotx509_credential_path(&key, dir, name, IOTX509_CREDENTIAL_KEY)) == 0 &&
	    (err = iotx509_credential_path(&chain, dir, name, IOTX509_CREDENTIAL_FULLCHAIN)) == 0)
		err = load(out, (const char *)cert.data, (const char *)key.data, key_password,
			   (const char *)chain.data, opts);
	iotx509_buf_dispose(&cert);
	iotx509_buf_dispose(&key);
	iotx509_buf_dispose(&chain);
	return err;
}

iotx509_error_code iotx509_credential_load_files(iotx509_credential **out, const char *cert_path, const char *key_path,
				  const char *key_password, const iotx509_credential_options *opts)
{
	if (out == NULL || cert_path == NULL)
		return iox_error(IOTX509_EINVAL, "credential load: NULL argument");
	*out = NULL;
	return load(out, cert_path, key_path, key_password, NULL, opts);
}

const iotx509_cert *iotx509_credential_get_cert(const iotx509_credential *cred)
{
	return cred ? cred->cert : NULL;
}

const iotx509_key *iotx509_credential_get_key(const iotx509_credential *cred)
{
	return cred ? cred->key : NULL;
}

const iotx509_certlist *iotx509_credential_get_chain(const iotx509_credential *cred)
{
	return cred ? cred->chain : NULL;
}

IOX_OPTS_TYPE(credential_save_opts_type, "credential save options", IOTX509_CREDENTIAL_SAVE_OPTIONS_VERSION, sizeof(iotx509_credential_save_options));
static const iotx509_credential_save_options credential_save_opts_defaults = IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT;

iotx509_error_code iotx509_credential_save_options_init(iotx509_credential_save_options *opts, unsigned int version)
{
	return iox_opts_init(opts, version, &credential_save_opts_defaults, &credential_save_opts_type);
}

static int stage_one(iotx509_fileset *set, const char *dir, const char *name, iotx509_credential_file file,
		     iotx509_buf *data, unsigned int wflags)
{
	iotx509_buf path = IOTX509_BUF_INIT;
	int err = iotx509_credential_path(&path, dir, name, file);

	if (err == 0)
		err = iox_fileset_add(set, (const char *)path.data, data->data, data->size, wflags);
	iotx509_buf_dispose(&path);
	iotx509_buf_dispose(data);
	return err;
}

iotx509_error_code iotx509_credential_stage(iotx509_fileset *set, const iotx509_credential *cred, const char *dir, const char *name,
			     const iotx509_credential_save_options *opts)
{
	iotx509_credential_save_options copy;
	iotx509_buf data = IOTX509_BUF_INIT, probe = IOTX509_BUF_INIT;
	unsigned int files;
	int err;

	if (set == NULL || cred == NULL || name == NULL)
		return iox_error(IOTX509_EINVAL, "credential save: NULL argument");
	/* Only the fields of the caller's version are read. */
	if (iox_opts_read(&copy, opts, &credential_save_opts_defaults, &credential_save_opts_type) < 0)
		return IOTX509_EINVAL;
	opts = &copy;
	/* Check the name before the expensive exports. */
	if ((err = iotx509_credential_path(&probe, dir, name, IOTX509_CREDENTIAL_CERT)) < 0)
		return err;
	iotx509_buf_dispose(&probe);

	files = opts->files;
	if (files & ~(unsigned int)ALL_FILES)
		return iox_error(IOTX509_EINVAL, "credential save: unknown files 0x%x", files);
	if (files == 0) {
		files = IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_CERT) |
			IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_FULLCHAIN);
		/* A key held in a token cannot leave it: no key file, no .pfx. */
		if (cred->key != NULL && iotx509_key_is_exportable(cred->key)) {
			files |= IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_KEY);
			if (opts->pfx_password != NULL)
				files |= IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_PFX);
		}
	}
	if (cred->key == NULL && (files & (IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_KEY) |
					   IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_PFX))))
		return iox_error(IOTX509_EINVAL, "%s: the credential has no private key to write", name);
	if (cred->key != NULL && !iotx509_key_is_exportable(cred->key) &&
	    (files & (IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_KEY) |
		      IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_PFX))))
		return iox_error(IOTX509_EUNSUPPORTED, "%s: the private key is held in a token and cannot be written to a file",
				 name);
	if ((files & IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_PFX)) && opts->pfx_password == NULL)
		return iox_error(IOTX509_EINVAL, "%s: a .pfx needs a password", name);

	if (files & IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_CERT)) {
		if ((err = iotx509_cert_export_pem(&data, cred->cert)) < 0 ||
		    (err = stage_one(set, dir, name, IOTX509_CREDENTIAL_CERT, &data, 0)) < 0)
			goto fail;
	}
	if (files & IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_KEY)) {
		if ((err = iotx509_key_export_pem(&data, cred->key, opts->key_password)) < 0 ||
		    (err = stage_one(set, dir, name, IOTX509_CREDENTIAL_KEY, &data, IOTX509_WRITE_PRIVATE)) < 0)
			goto fail;
	}
	if (files & IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_PFX)) {
		/* The chain starts with the certificate itself; pkcs12_export skips that copy. */
		if ((err = iotx509_pkcs12_export(&data, cred->cert, cred->key, cred->chain, opts->pfx_password,
						 opts->pkcs12)) < 0 ||
		    (err = stage_one(set, dir, name, IOTX509_CREDENTIAL_PFX, &data, IOTX509_WRITE_PRIVATE)) < 0)
			goto fail;
	}
	/* Last: a set's files are moved into place in order, so a full chain
	 * on disk means the others are there too (lib/batch.c counts on it). */
	if (files & IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_FULLCHAIN)) {
		if ((err = iotx509_certlist_export_pem(&data, cred->chain)) < 0 ||
		    (err = stage_one(set, dir, name, IOTX509_CREDENTIAL_FULLCHAIN, &data, 0)) < 0)
			goto fail;
	}
	return 0;
fail:
	iotx509_buf_dispose(&data);
	return err;
}

iotx509_error_code iotx509_credential_save(const iotx509_credential *cred, const char *dir, const char *name,
			    const iotx509_credential_save_options *opts)
{
	iotx509_credential_save_options copy;
	iotx509_fileset *set = NULL;
	int err;

	if (iox_opts_read(&copy, opts, &credential_save_opts_defaults, &credential_save_opts_type) < 0)
		return IOTX509_EINVAL;
	if (copy.flags & ~(unsigned int)IOTX509_WRITE_OVERWRITE)
		return iox_error(IOTX509_EINVAL, "credential save: unknown flags 0x%x", copy.flags);
	if ((err = iotx509_fileset_new(&set)) == 0 && (err = iotx509_credential_stage(set, cred, dir, name, &copy)) == 0)
		err = iox_fileset_commit(set, copy.flags);
	iotx509_fileset_free(set);
	return err;
}

iotx509_error_code iotx509_credential_export_pem(iotx509_buf *out, const iotx509_credential *cred, const char *key_password)
{
	iotx509_buf key = IOTX509_BUF_INIT, chain = IOTX509_BUF_INIT;
	int err;

	if (out == NULL || cred == NULL)
		return iox_error(IOTX509_EINVAL, "credential export: NULL argument");
	out->data = NULL;
	out->size = 0;
	if (cred->key != NULL && !iotx509_key_is_exportable(cred->key))
		return iox_error(IOTX509_EUNSUPPORTED, "credential export: the private key is held in a token");
	if (cred->key != NULL && (err = iotx509_key_export_pem(&key, cred->key, key_password)) < 0)
		return err;
	if ((err = iotx509_certlist_export_pem(&chain, cred->chain)) == 0) {
		/* The key first, then the certificate and its chain. */
		unsigned char *p = malloc(key.size + chain.size + 1);

		if (p == NULL) {
			err = iox_error(IOTX509_ENOMEM, "out of memory");
		} else {
			if (key.size)
				memcpy(p, key.data, key.size);
			memcpy(p + key.size, chain.data, chain.size);
			p[key.size + chain.size] = '\0';
			out->data = p;
			out->size = key.size + chain.size;
		}
	}
	iotx509_buf_dispose(&key);
	iotx509_buf_dispose(&chain);
	return err;
}

iotx509_error_code iotx509_credential_export_pkcs12(iotx509_buf *out, const iotx509_credential *cred, const char *password,
				     const iotx509_pkcs12_options *opts)
{
	if (out == NULL || cred == NULL)
		return iox_error(IOTX509_EINVAL, "credential export: NULL argument");
	if (cred->key == NULL)
		return iox_error(IOTX509_EINVAL, "credential export: the credential has no private key for a PKCS#12 file");
	return iotx509_pkcs12_export(out, cred->cert, cred->key, cred->chain, password, opts);
}

iotx509_error_code iotx509_credential_import_pem(iotx509_credential **out, const unsigned char *data, size_t size,
				  const char *key_password, const iotx509_credential_options *opts)
{
	iotx509_certlist *pool = NULL;
	iotx509_key *key = NULL;
	iox_pem_block blk;
	size_t pos = 0;
	int err, has_key = 0;

	if (out == NULL || (data == NULL && size > 0))
		return iox_error(IOTX509_EINVAL, "credential import: NULL argument");
	*out = NULL;
	while (iox_pem_present(data, size) && (err = iox_pem_next(&blk, data, size, &pos)) == 1)
		if (iox_pem_is_private_key(&blk))
			has_key = 1;
	if ((err = iotx509_certlist_import(&pool, data, size)) < 0)
		goto out;
	if (has_key && (err = iotx509_key_import(&key, data, size, key_password)) < 0)
		goto out;
	err = iotx509_credential_new(out, iotx509_certlist_get(pool, 0), key, pool, opts);
out:
	iotx509_key_free(key);
	iotx509_certlist_free(pool);
	return err;
}

iotx509_error_code iotx509_credential_import_pkcs12(iotx509_credential **out, const unsigned char *data, size_t size,
				     const char *password, const iotx509_credential_options *opts)
{
	iotx509_pkcs12_read_options ro = IOTX509_PKCS12_READ_OPTIONS_INIT;
	iotx509_credential_options copy;
	iotx509_pkcs12 *p12 = NULL;
	int err;

	if (out == NULL)
		return iox_error(IOTX509_EINVAL, "credential import: NULL argument");
	*out = NULL;
	if ((err = iox_credential_options_read(&copy, opts)) < 0)
		return err;
	ro.flags = copy.pkcs12_flags;
	if ((err = iotx509_pkcs12_import(&p12, data, size, password, &ro)) < 0)
		return err;
	err = iotx509_credential_new(out, iotx509_pkcs12_get_leaf(p12), iotx509_pkcs12_get_key(p12),
				     iotx509_pkcs12_get_chain(p12), &copy);
	iotx509_pkcs12_free(p12);
	return err;
}

iotx509_error_code iotx509_credential_dup(iotx509_credential **out, const iotx509_credential *cred)
{
	iotx509_credential *copy;
	int err;

	if (out == NULL || cred == NULL)
		return iox_error(IOTX509_EINVAL, "credential dup: NULL argument");
	*out = NULL;
	if ((copy = calloc(1, sizeof(*copy))) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	if ((err = iotx509_certlist_dup(&copy->chain, cred->chain)) < 0) {
		free(copy);
		return err;
	}
	copy->cert = iox_cert_ref(cred->cert);
	copy->key = cred->key ? iox_key_ref(cred->key) : NULL;
	*out = copy;
	return 0;
}

void iotx509_credential_free(iotx509_credential *cred)
{
	if (cred == NULL)
		return;
	iotx509_cert_free(cred->cert);
	iotx509_key_free(cred->key);
	iotx509_certlist_free(cred->chain);
	free(cred);
}
