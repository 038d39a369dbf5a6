/*
 * PKCS#11 tokens through GnuTLS (and so p11-kit): opening token keys by
 * URL, generating keys inside tokens, storing certificates, listing objects.
 *
 * The PIN reaches GnuTLS as the URL's pin-value attribute of a private copy
 * of the URL, so no process-wide PIN callback is needed and two threads may
 * use two tokens with different PINs. That copy is wiped after use.
 */
#include "cert-internal.h"
#include "key-internal.h"
#include "pkcs11-internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <gnutls/pkcs11.h>

const char *iotx509_pkcs11_object_type_name(iotx509_pkcs11_object_type type)
{
	switch (type) {
	case IOTX509_PKCS11_OTHER:
		return "other";
	case IOTX509_PKCS11_PRIVATE_KEY:
		return "private key";
	case IOTX509_PKCS11_PUBLIC_KEY:
		return "public key";
	case IOTX509_PKCS11_CERTIFICATE:
		return "certificate";
	}
	return "unknown";
}

#define PIN_ENV "IOTX509_PKCS11_PIN"

struct iotx509_pkcs11_list {
	size_t count;
	struct {
		char *url, *label, *id_hex;
		iotx509_pkcs11_object_type type;
	} *items;
};

/* ---- URLs ---- */

static int is_pin_attr(const char *attr, size_t len)
{
	return (len >= 10 && strncasecmp(attr, "pin-value=", 10) == 0) ||
	       (len >= 11 && strncasecmp(attr, "pin-source=", 11) == 0);
}

/* Append the attributes of @part (separated by @sep) except PIN ones. */
static void copy_attrs(char *out, size_t *o, const char *part, size_t len, char sep, char lead, int *had_pin)
{
	size_t i = 0, kept = 0;

	while (i < len) {
		size_t start = i;

		while (i < len && part[i] != sep)
			i++;
		if (i > start && is_pin_attr(part + start, i - start)) {
			*had_pin = 1;
		} else if (i > start) {
			out[(*o)++] = kept++ ? sep : lead;
			memcpy(out + *o, part + start, i - start);
			*o += i - start;
		}
		i++;
	}
}

/* Copy of @url without pin-value/pin-source attributes, path or query. */
static char *url_without_pin(const char *url, int *had_pin)
{
	const char *path = url + 7, *q = strchr(path, '?');
	size_t path_len = q ? (size_t)(q - path) : strlen(path), o = 6;
	char *out = malloc(strlen(url) + 2);
	int dummy;

	if (had_pin == NULL)
		had_pin = &dummy;
	*had_pin = 0;
	if (out == NULL)
		return NULL;
	memcpy(out, "pkcs11", 6);
	copy_attrs(out, &o, path, path_len, ';', ':', had_pin);
	if (o == 6)
		out[o++] = ':';
	if (q != NULL)
		copy_attrs(out, &o, q + 1, strlen(q + 1), '&', '?', had_pin);
	out[o] = '\0';
	return out;
}

/* @url with extra path attributes @attrs ("object=x;type=private") inserted
 * before any query part. */
static char *url_add_path_attrs(const char *url, const char *attrs)
{
	const char *q = strchr(url, '?');
	size_t head = q ? (size_t)(q - url) : strlen(url), n = strlen(url) + strlen(attrs) + 2;
	char *out = malloc(n);

	if (out == NULL)
		return NULL;
	snprintf(out, n, "%.*s%s%s%s", (int)head, url, url[head - 1] == ':' ? "" : ";", attrs, q ? q : "");
	return out;
}

/* Percent-encode @s for use as a URL attribute value. */
static char *pct_encode(const char *s)
{
	char *out = malloc(3 * strlen(s) + 1), *o = out;

	if (out == NULL)
		return NULL;
	for (; *s; s++)
		o += iox_pct_encode_unit(o, (unsigned char)*s);
	*o = '\0';
	return out;
}

/* @url (already without PIN) plus the pin-value query attribute. */
static char *url_with_pin(const char *url, const char *pin)
{
	char *enc = pct_encode(pin), *out;
	size_t n;

	if (enc == NULL)
		return NULL;
	n = strlen(url) + strlen(enc) + 13;
	if ((out = malloc(n)) != NULL)
		snprintf(out, n, "%s%cpin-value=%s", url, strchr(url, '?') ? '&' : '?', enc);
	gnutls_memset(enc, 0, strlen(enc));
	free(enc);
	return out;
}

static void wipe_free(char *s)
{
	if (s != NULL) {
		gnutls_memset(s, 0, strlen(s));
		free(s);
	}
}

/* The value of path attribute @name in @url, percent-decoded, or NULL. */
static char *url_attr(const char *url, const char *name)
{
	size_t nl = strlen(name);
	const char *p = url + 7, *end;
	char *out;
	size_t o = 0;

	for (;;) {
		if (strncmp(p, name, nl) == 0 && p[nl] == '=')
			break;
		p += strcspn(p, ";?");
		if (*p != ';')
			return NULL;
		p++;
	}
	p += nl + 1;
	end = p + strcspn(p, ";?");
	if ((out = malloc((size_t)(end - p) + 1)) == NULL)
		return NULL;
	while (p < end) {
		unsigned int v;

		if (*p == '%' && end - p >= 3 && sscanf(p + 1, "%2x", &v) == 1) {
			out[o++] = (char)v;
			p += 3;
		} else
			out[o++] = *p++;
	}
	out[o] = '\0';
	return out;
}

/* ---- modules, tokens, errors ---- */

static pthread_mutex_t modules_lock = PTHREAD_MUTEX_INITIALIZER;
static char **modules;
static size_t n_modules;

static int ensure_module(const char *path)
{
	size_t i;
	int ret = 0;
	char **grown;

	if (path == NULL)
		return 0;
	if (access(path, R_OK) != 0)
		return iox_error(IOTX509_EPKCS11_MODULE, "cannot load PKCS#11 module '%s': no such file", path);
	pthread_mutex_lock(&modules_lock);
	for (i = 0; i < n_modules; i++)
		if (strcmp(modules[i], path) == 0)
			goto out;
	ret = gnutls_pkcs11_add_provider(path, NULL);
	if (ret < 0) {
		ret = iox_error_gnutls(IOTX509_EPKCS11_MODULE, ret, "cannot load PKCS#11 module '%s'", path);
		goto out;
	}
	grown = realloc(modules, (n_modules + 1) * sizeof(*modules));
	if (grown != NULL) {
		modules = grown;
		if ((modules[n_modules] = strdup(path)) != NULL)
			n_modules++;
	}
out:
	pthread_mutex_unlock(&modules_lock);
	return ret;
}

/* Does any token match the token attributes of @url? Lists labels seen. */
static int token_exists(const char *url, char *seen, size_t seen_size)
{
	static const char *const attrs[] = { "token", "serial", "model", "manufacturer" };
	char *want[4];
	unsigned int seq;
	int found = 0;
	size_t i;

	for (i = 0; i < 4; i++)
		want[i] = url_attr(url, attrs[i]);
	seen[0] = '\0';
	for (seq = 0;; seq++) {
		char *turl = NULL;
		int match = 1;

		if (gnutls_pkcs11_token_get_url(seq, GNUTLS_PKCS11_URL_GENERIC, &turl) < 0)
			break;
		for (i = 0; i < 4 && match; i++) {
			char *have;

			if (want[i] == NULL)
				continue;
			have = url_attr(turl, attrs[i]);
			match = have != NULL && strcmp(have, want[i]) == 0;
			free(have);
		}
		{
			char *label = url_attr(turl, "token");
			size_t used = strlen(seen);

			if (label != NULL && used + strlen(label) + 5 < seen_size)
				snprintf(seen + used, seen_size - used, "%s'%s'", used ? ", " : "", label);
			free(label);
		}
		gnutls_free(turl);
		if (match)
			found = 1;
	}
	for (i = 0; i < 4; i++)
		free(want[i]);
	return found;
}

/* Turn a GnuTLS PKCS#11 failure on @clean_url into our code and message. */
static int token_error(int ret, const char *what, const char *clean_url, int have_pin)
{
	char seen[512];

	switch (ret) {
	case GNUTLS_E_PKCS11_PIN_ERROR:
	case GNUTLS_E_PKCS11_PIN_EXPIRED:
	case GNUTLS_E_PKCS11_PIN_LOCKED:
		if (!have_pin)
			return iox_error(IOTX509_EPIN,
					 "%s: the token needs a PIN and none was given (option, URL pin-value or $" PIN_ENV ") for '%s'",
					 what, clean_url);
		return iox_error_gnutls(IOTX509_EPIN, ret, "%s: wrong PIN for '%s'", what, clean_url);
	case GNUTLS_E_PKCS11_LOAD_ERROR:
		return iox_error_gnutls(IOTX509_EPKCS11_MODULE, ret, "%s: a PKCS#11 module cannot be loaded", what);
	case GNUTLS_E_PKCS11_UNSUPPORTED_FEATURE_ERROR:
	case GNUTLS_E_UNKNOWN_PK_ALGORITHM:
	case GNUTLS_E_PK_GENERATION_ERROR:
		return iox_error_gnutls(IOTX509_EUNSUPPORTED, ret, "%s: the token does not support this operation ('%s')",
					what, clean_url);
	case GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE:
	case GNUTLS_E_PKCS11_REQUESTED_OBJECT_NOT_AVAILBLE:
	case GNUTLS_E_PKCS11_SLOT_ERROR:
	case GNUTLS_E_PKCS11_TOKEN_ERROR:
		if (!token_exists(clean_url, seen, sizeof(seen)))
			return iox_error(IOTX509_EPKCS11_TOKEN, "%s: no PKCS#11 token matches '%s' (tokens present: %s)",
					 what, clean_url, seen[0] ? seen : "none");
		return iox_error(IOTX509_EPKCS11_OBJECT, "%s: no object matches '%s' in the token", what, clean_url);
	default:
		return iox_error_gnutls(iox_code_from_gnutls(ret), ret, "%s: '%s'", what, clean_url);
	}
}

/*
 * Prepare the URL GnuTLS gets: the PIN by precedence (explicit, URL, env).
 * *clean receives the URL without PIN for messages; *with_pin the URL to use.
 */
static int prepare_url(char **clean, char **with_pin, int *have_pin, const char *url, const char *pin)
{
	int url_pin = 0;

	*clean = *with_pin = NULL;
	if (url == NULL || !iox_pkcs11_is_url(url))
		return iox_error(IOTX509_EINVAL, "not a pkcs11: URL");
	if ((*clean = url_without_pin(url, &url_pin)) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	if (pin == NULL && !url_pin)
		pin = getenv(PIN_ENV);
	*have_pin = pin != NULL || url_pin;
	*with_pin = pin != NULL ? url_with_pin(*clean, pin) : strdup(url);
	if (*with_pin == NULL) {
		free(*clean);
		*clean = NULL;
		return iox_error(IOTX509_ENOMEM, "out of memory");
	}
	return 0;
}

/* ---- keys ---- */

int iox_pkcs11_is_url(const char *ref)
{
	return strncasecmp(ref, "pkcs11:", 7) == 0;
}

int iox_pkcs11_open_key(iotx509_key **out, const char *url, const char *pin, const char *module)
{
	gnutls_privkey_t priv = NULL;
	char *clean, *full;
	int ret, have_pin;

	*out = NULL;
	if ((ret = ensure_module(module)) < 0 || (ret = prepare_url(&clean, &full, &have_pin, url, pin)) < 0)
		return ret;
	if ((ret = gnutls_privkey_init(&priv)) < 0) {
		ret = iox_error_gnutls(IOTX509_ENOMEM, ret, "out of memory");
		goto out;
	}
	ret = gnutls_privkey_import_url(priv, full, 0);
	if (ret < 0) {
		gnutls_privkey_deinit(priv);
		ret = token_error(ret, "opening private key", clean, have_pin);
		goto out;
	}
	ret = iox_key_wrap(out, priv, NULL, clean);
out:
	wipe_free(full);
	free(clean);
	return ret;
}

iotx509_error_code iotx509_pkcs11_generate_key(iotx509_key **out, const char *token_url, iotx509_key_type type, const char *label,
				const iotx509_key_open_options *opts)
{
	iotx509_key_open_options copy;
	gnutls_pk_algorithm_t pk;
	unsigned int bits;
	char *clean = NULL, *full = NULL, *key_url = NULL;
	iotx509_pkcs11_list *existing = NULL;
	int ret, have_pin;

	if (out == NULL || token_url == NULL || label == NULL || *label == '\0')
		return iox_error(IOTX509_EINVAL, "pkcs11 generate: token URL and label are required");
	*out = NULL;
	if ((ret = iox_key_open_options_read(&copy, opts)) < 0)
		return ret;
	opts = &copy;
	if ((ret = iox_key_type_params(type, &pk, &bits)) < 0 || (ret = ensure_module(opts->module_path)) < 0 ||
	    (ret = prepare_url(&clean, &full, &have_pin, token_url, opts->pin)) < 0)
		return ret;

	/* The label names the key from now on: refuse to create a second one. */
	{
		char *enc = pct_encode(label), attrs[1024];

		if (enc == NULL || strlen(enc) > 900) {
			free(enc);
			ret = iox_error(enc ? IOTX509_EINVAL : IOTX509_ENOMEM, "pkcs11 generate: label too long");
			goto out;
		}
		snprintf(attrs, sizeof(attrs), "object=%s;type=private", enc);
		free(enc);
		if ((key_url = url_add_path_attrs(clean, attrs)) == NULL) {
			ret = iox_error(IOTX509_ENOMEM, "out of memory");
			goto out;
		}
	}
	{
		ret = iotx509_pkcs11_list_objects(&existing, key_url, opts);
		if (ret < 0)
			goto out;
		if (iotx509_pkcs11_list_count(existing) > 0) {
			ret = iox_error(IOTX509_EEXISTS, "a private key labelled '%s' already exists in '%s'", label, clean);
			goto out;
		}
	}
	ret = gnutls_pkcs11_privkey_generate3(full, pk, bits, label, NULL, GNUTLS_X509_FMT_DER, NULL, 0,
					      GNUTLS_PKCS11_OBJ_FLAG_LOGIN | GNUTLS_PKCS11_OBJ_FLAG_MARK_SENSITIVE |
						      GNUTLS_PKCS11_OBJ_FLAG_MARK_PRIVATE);
	if (ret < 0) {
		ret = token_error(ret, "generating a key in the token", clean, have_pin);
		goto out;
	}
	ret = iox_pkcs11_open_key(out, key_url, opts->pin, NULL);
out:
	iotx509_pkcs11_list_free(existing);
	wipe_free(full);
	free(clean);
	free(key_url);
	return ret;
}

/* The CKA_ID of the public key object in the token whose key is @cert's.
 * Falls back to the SHA-1 key ID of the certificate's key. */
static int matching_key_id(unsigned char *id, size_t *id_size, const char *token_url_with_pin, const iotx509_cert *cert)
{
	gnutls_pkcs11_obj_t *objs = NULL;
	unsigned int n = 0, i;
	size_t cap = *id_size;
	iox_error_saved saved;
	int ret, found = 0;

	iox_error_save(&saved);
	if (gnutls_pkcs11_obj_list_import_url4(&objs, &n, token_url_with_pin,
					       GNUTLS_PKCS11_OBJ_FLAG_PUBKEY | GNUTLS_PKCS11_OBJ_FLAG_LOGIN) < 0)
		n = 0;
	for (i = 0; i < n; i++) {
		gnutls_pubkey_t pub = NULL;
		char spki[65];

		if (!found && gnutls_pubkey_init(&pub) >= 0 && gnutls_pubkey_import_pkcs11(pub, objs[i], 0) >= 0 &&
		    iox_pubkey_spki_sha256(spki, pub) == 0 && strcmp(spki, cert->spki_sha256) == 0) {
			*id_size = cap;
			found = gnutls_pkcs11_obj_get_info(objs[i], GNUTLS_PKCS11_OBJ_ID, id, id_size) >= 0 && *id_size > 0;
		}
		if (pub)
			gnutls_pubkey_deinit(pub);
		gnutls_pkcs11_obj_deinit(objs[i]);
	}
	gnutls_free(objs);
	iox_error_restore(&saved);
	if (found)
		return 0;
	*id_size = cap;
	if ((ret = gnutls_pubkey_get_key_id(cert->pub, GNUTLS_KEYID_USE_SHA1, id, id_size)) < 0)
		return iox_error_gnutls(IOTX509_ECRYPTO, ret, "cannot compute the key ID");
	return 0;
}

iotx509_error_code iotx509_pkcs11_store_cert(const char *token_url, const iotx509_cert *cert, const char *label,
			      const iotx509_key_open_options *opts)
{
	iotx509_key_open_options copy;
	unsigned char id[64];
	size_t id_size = sizeof(id);
	gnutls_datum_t cid;
	char *clean, *full;
	int ret, have_pin;

	if (token_url == NULL || cert == NULL || label == NULL || *label == '\0')
		return iox_error(IOTX509_EINVAL, "pkcs11 store: token URL, certificate and label are required");
	if ((ret = iox_key_open_options_read(&copy, opts)) < 0)
		return ret;
	opts = &copy;
	if ((ret = ensure_module(opts->module_path)) < 0 ||
	    (ret = prepare_url(&clean, &full, &have_pin, token_url, opts->pin)) < 0)
		return ret;
	/* Give the certificate the CKA_ID of its key, so applications find the
	 * pair; the SHA-1 key ID when the token holds no matching public key. */
	if ((ret = matching_key_id(id, &id_size, full, cert)) < 0)
		goto out;
	cid.data = id;
	cid.size = (unsigned int)id_size;
	ret = gnutls_pkcs11_copy_x509_crt2(full, cert->crt, label, &cid, GNUTLS_PKCS11_OBJ_FLAG_LOGIN);
	if (ret < 0)
		ret = token_error(ret, "storing the certificate", clean, have_pin);
out:
	wipe_free(full);
	free(clean);
	return ret;
}

/* ---- listing ---- */

static char *obj_info(gnutls_pkcs11_obj_t obj, gnutls_pkcs11_obj_info_t what, int hex)
{
	unsigned char buf[1024];
	size_t size = sizeof(buf) - 1;
	char *s;

	if (gnutls_pkcs11_obj_get_info(obj, what, buf, &size) < 0)
		size = 0;
	if (hex) {
		if ((s = malloc(2 * size + 1)) != NULL)
			iox_hex_upper(s, buf, size);
		return s;
	}
	buf[size] = '\0';
	return strdup((char *)buf);
}

iotx509_error_code iotx509_pkcs11_list_objects(iotx509_pkcs11_list **out, const char *url, const iotx509_key_open_options *opts)
{
	iotx509_key_open_options copy;
	gnutls_pkcs11_obj_t *objs = NULL;
	unsigned int n = 0, i;
	iotx509_pkcs11_list *list;
	char *clean, *full;
	int ret, have_pin;

	if (out == NULL)
		return iox_error(IOTX509_EINVAL, "pkcs11 list: NULL argument");
	*out = NULL;
	if ((ret = iox_key_open_options_read(&copy, opts)) < 0)
		return ret;
	opts = &copy;
	if ((ret = ensure_module(opts->module_path)) < 0 ||
	    (ret = prepare_url(&clean, &full, &have_pin, url, opts->pin)) < 0)
		return ret;
	ret = gnutls_pkcs11_obj_list_import_url4(&objs, &n, full, have_pin ? GNUTLS_PKCS11_OBJ_FLAG_LOGIN : 0);
	if (ret < 0) {
		ret = token_error(ret, "listing token objects", clean, have_pin);
		goto out;
	}
	if (n == 0 && !token_exists(clean, (char[256]){ 0 }, 256)) {
		ret = iox_error(IOTX509_EPKCS11_TOKEN, "no PKCS#11 token matches '%s'", clean);
		goto out;
	}
	if ((list = calloc(1, sizeof(*list))) == NULL || (n && (list->items = calloc(n, sizeof(*list->items))) == NULL)) {
		free(list);
		ret = iox_error(IOTX509_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		char *u = NULL;

		switch (gnutls_pkcs11_obj_get_type(objs[i])) {
		case GNUTLS_PKCS11_OBJ_PRIVKEY:
			list->items[i].type = IOTX509_PKCS11_PRIVATE_KEY;
			break;
		case GNUTLS_PKCS11_OBJ_PUBKEY:
			list->items[i].type = IOTX509_PKCS11_PUBLIC_KEY;
			break;
		case GNUTLS_PKCS11_OBJ_X509_CRT:
			list->items[i].type = IOTX509_PKCS11_CERTIFICATE;
			break;
		default:
			list->items[i].type = IOTX509_PKCS11_OTHER;
		}
		if (gnutls_pkcs11_obj_export_url(objs[i], GNUTLS_PKCS11_URL_GENERIC, &u) >= 0) {
			list->items[i].url = strdup(u);
			gnutls_free(u);
		}
		list->items[i].label = obj_info(objs[i], GNUTLS_PKCS11_OBJ_LABEL, 0);
		list->items[i].id_hex = obj_info(objs[i], GNUTLS_PKCS11_OBJ_ID, 1);
		list->count++;
		if (list->items[i].url == NULL || list->items[i].label == NULL || list->items[i].id_hex == NULL) {
			iotx509_pkcs11_list_free(list);
			ret = iox_error(IOTX509_ENOMEM, "out of memory");
			goto out;
		}
	}
	*out = list;
	ret = 0;
out:
	for (i = 0; i < n; i++)
		gnutls_pkcs11_obj_deinit(objs[i]);
	gnutls_free(objs);
	wipe_free(full);
	free(clean);
	return ret;
}

size_t iotx509_pkcs11_list_count(const iotx509_pkcs11_list *list)
{
	return list ? list->count : 0;
}

#define ITEM(list, i) ((list) != NULL && (i) < (list)->count)

const char *iotx509_pkcs11_list_get_url(const iotx509_pkcs11_list *list, size_t index)
{
	return ITEM(list, index) ? list->items[index].url : NULL;
}

const char *iotx509_pkcs11_list_get_label(const iotx509_pkcs11_list *list, size_t index)
{
	return ITEM(list, index) ? list->items[index].label : NULL;
}

const char *iotx509_pkcs11_list_get_id_hex(const iotx509_pkcs11_list *list, size_t index)
{
	return ITEM(list, index) ? list->items[index].id_hex : NULL;
}

iotx509_pkcs11_object_type iotx509_pkcs11_list_get_type(const iotx509_pkcs11_list *list, size_t index)
{
	return ITEM(list, index) ? list->items[index].type : IOTX509_PKCS11_OTHER;
}

void iotx509_pkcs11_list_free(iotx509_pkcs11_list *list)
{
	size_t i;

	if (list == NULL)
		return;
	for (i = 0; i < list->count; i++) {
		free(list->items[i].url);
		free(list->items[i].label);
		free(list->items[i].id_hex);
	}
	free(list->items);
	free(list);
}
