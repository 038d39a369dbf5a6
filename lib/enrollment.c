/*
 * Offline attestation check: enrollment groups and individual enrollments
 * as the Device Provisioning Service holds them, and the order in which
 * it tries them. Path validation is the verify module's (GnuTLS); this
 * module adds the enrollment semantics.
 */
#include "cert-internal.h"
#include "certlist-internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

typedef struct {
	iotx509_cert *cert; /* NULL for a thumbprint or an empty slot */
	char thumb[65];     /* upper-case hex: given, or the certificate's SHA-1; "" = empty */
	int verified;       /* groups: verified on the service */
} slot_t;

struct iotx509_enrollment {
	iotx509_enrollment_type type;
	char *name;
	slot_t slots[2];
};

struct iotx509_enrollment_list {
	iotx509_enrollment **items;
	size_t count, cap;
	iotx509_certlist *verified; /* verified on the service, not enrolled */
};

struct iotx509_enrollment_result {
	iotx509_enrollment_reason reason;
	char *message;
	char *registration_id;
	long index;
	const iotx509_enrollment *enrollment;
	iotx509_enrollment_slot slot;
	iotx509_cert *cert;
	iotx509_certlist *path;
	iotx509_verify_status vstatus;
	int64_t at;
};

static const char *const slot_names[] = { "primary", "secondary" };

/* ---- enrollments ------------------------------------------------------- */

iotx509_error_code iotx509_enrollment_new(iotx509_enrollment **out, iotx509_enrollment_type type, const char *name)
{
	iotx509_enrollment *e;

	if (out == NULL)
		return iox_error(IOTX509_EINVAL, "enrollment: out is NULL");
	*out = NULL;
	if (type != IOTX509_ENROLLMENT_GROUP && type != IOTX509_ENROLLMENT_INDIVIDUAL)
		return iox_error(IOTX509_EINVAL, "enrollment: unknown type %d", (int)type);
	if (name != NULL && *name == '\0')
		return iox_error(IOTX509_EINVAL, "enrollment: empty name (give NULL for none)");
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	e->type = type;
	if (name != NULL && (e->name = iox_strdup(name)) == NULL) {
		free(e);
		return IOTX509_ENOMEM;
	}
	*out = e;
	return 0;
}

static void slot_clear(slot_t *s)
{
	iotx509_cert_free(s->cert);
	memset(s, 0, sizeof(*s));
}

void iotx509_enrollment_free(iotx509_enrollment *enrollment)
{
	if (enrollment == NULL)
		return;
	slot_clear(&enrollment->slots[0]);
	slot_clear(&enrollment->slots[1]);
	free(enrollment->name);
	free(enrollment);
}

static int check_slot_args(const iotx509_enrollment *e, iotx509_enrollment_slot slot)
{
	if (e == NULL)
		return iox_error(IOTX509_EINVAL, "enrollment: NULL argument");
	if (slot != IOTX509_ENROLLMENT_PRIMARY && slot != IOTX509_ENROLLMENT_SECONDARY)
		return iox_error(IOTX509_EINVAL, "enrollment: unknown slot %d", (int)slot);
	return 0;
}

iotx509_error_code iotx509_enrollment_set_cert(iotx509_enrollment *enrollment, iotx509_enrollment_slot slot,
				const iotx509_cert *cert)
{
	slot_t *s;
	int ret;

	if ((ret = check_slot_args(enrollment, slot)) < 0)
		return ret;
	if (cert == NULL)
		return iox_error(IOTX509_EINVAL, "enrollment: NULL certificate");
	s = &enrollment->slots[slot];
	slot_clear(s);
	s->cert = iox_cert_ref(cert);
	memcpy(s->thumb, cert->sha1, sizeof(cert->sha1));
	return 0;
}

iotx509_error_code iotx509_enrollment_set_verified(iotx509_enrollment *enrollment, iotx509_enrollment_slot slot, int verified)
{
	slot_t *s;
	int ret;

	if ((ret = check_slot_args(enrollment, slot)) < 0)
		return ret;
	s = &enrollment->slots[slot];
	if (verified && enrollment->type == IOTX509_ENROLLMENT_INDIVIDUAL)
		return iox_error(IOTX509_EINVAL,
				 "%s: only the signing certificates of enrollment groups are verified, "
				 "not those of individual enrollments",
				 s->cert ? s->cert->subject_dn : "enrollment");
	if (verified && s->cert == NULL)
		return iox_error(IOTX509_EINVAL, "enrollment: no certificate in the %s slot to mark verified",
				 slot == IOTX509_ENROLLMENT_PRIMARY ? "primary" : "secondary");
	s->verified = verified != 0;
	return 0;
}

/* Upper-case hex without separators into @out (65 bytes); 0 or -1. */
static int normalise_thumbprint(char out[65], const char *in)
{
	size_t n = 0;

	for (; *in; in++) {
		if (*in == ':' || *in == ' ')
			continue;
		if (!isxdigit((unsigned char)*in) || n == 64)
			return -1;
		out[n++] = (char)toupper((unsigned char)*in);
	}
	out[n] = '\0';
	return n == 40 || n == 64 ? 0 : -1;
}

iotx509_error_code iotx509_enrollment_set_thumbprint(iotx509_enrollment *enrollment, iotx509_enrollment_slot slot,
				      const char *thumbprint)
{
	char norm[65];
	int ret;

	if ((ret = check_slot_args(enrollment, slot)) < 0)
		return ret;
	if (thumbprint == NULL)
		return iox_error(IOTX509_EINVAL, "enrollment: NULL thumbprint");
	if (enrollment->type != IOTX509_ENROLLMENT_INDIVIDUAL)
		return iox_error(IOTX509_EINVAL,
				 "thumbprint '%.80s': enrollment groups hold signing certificates, not thumbprints",
				 thumbprint);
	if (normalise_thumbprint(norm, thumbprint) < 0)
		return iox_error(IOTX509_EINVAL,
				 "'%.80s' is neither a SHA-1 (40 hex digits) nor a SHA-256 (64 hex digits) thumbprint",
				 thumbprint);
	slot_clear(&enrollment->slots[slot]);
	memcpy(enrollment->slots[slot].thumb, norm, sizeof(norm));
	return 0;
}

iotx509_error_code iotx509_enrollment_set_ref(iotx509_enrollment *enrollment, iotx509_enrollment_slot slot, const char *ref)
{
	iotx509_cert *cert = NULL;
	struct stat st;
	char norm[65];
	int ret;

	if ((ret = check_slot_args(enrollment, slot)) < 0)
		return ret;
	if (ref == NULL || *ref == '\0')
		return iox_error(IOTX509_EINVAL, "enrollment: NULL or empty reference");
	if (stat(ref, &st) != 0 && errno == ENOENT) {
		if (enrollment->type == IOTX509_ENROLLMENT_INDIVIDUAL && normalise_thumbprint(norm, ref) == 0)
			return iotx509_enrollment_set_thumbprint(enrollment, slot, ref);
		return iox_error(IOTX509_ENOTFOUND, "%s: no such file%s", ref,
				 enrollment->type == IOTX509_ENROLLMENT_INDIVIDUAL
					 ? ", and not a SHA-1 or SHA-256 thumbprint"
					 : "");
	}
	if ((ret = iotx509_cert_load(&cert, ref)) < 0)
		return ret;
	ret = iotx509_enrollment_set_cert(enrollment, slot, cert);
	iotx509_cert_free(cert);
	return ret;
}

iotx509_enrollment_type iotx509_enrollment_get_type(const iotx509_enrollment *enrollment)
{
	return enrollment ? enrollment->type : IOTX509_ENROLLMENT_GROUP;
}

/* The registration ID an individual enrollment is for, or NULL (any). */
static const char *regid_of(const iotx509_enrollment *e)
{
	if (e->name)
		return e->name;
	if (e->type != IOTX509_ENROLLMENT_INDIVIDUAL)
		return NULL;
	if (e->slots[0].cert)
		return e->slots[0].cert->subject_cn;
	if (e->slots[1].cert)
		return e->slots[1].cert->subject_cn;
	return NULL;
}

const char *iotx509_enrollment_get_name(const iotx509_enrollment *enrollment)
{
	return enrollment ? regid_of(enrollment) : NULL;
}

const iotx509_cert *iotx509_enrollment_get_cert(const iotx509_enrollment *enrollment, iotx509_enrollment_slot slot)
{
	if (enrollment == NULL || (slot != IOTX509_ENROLLMENT_PRIMARY && slot != IOTX509_ENROLLMENT_SECONDARY))
		return NULL;
	return enrollment->slots[slot].cert;
}

const char *iotx509_enrollment_get_thumbprint(const iotx509_enrollment *enrollment, iotx509_enrollment_slot slot)
{
	if (enrollment == NULL || (slot != IOTX509_ENROLLMENT_PRIMARY && slot != IOTX509_ENROLLMENT_SECONDARY) ||
	    enrollment->slots[slot].thumb[0] == '\0')
		return NULL;
	return enrollment->slots[slot].thumb;
}

int iotx509_enrollment_is_verified(const iotx509_enrollment *enrollment, iotx509_enrollment_slot slot)
{
	if (enrollment == NULL || (slot != IOTX509_ENROLLMENT_PRIMARY && slot != IOTX509_ENROLLMENT_SECONDARY))
		return 0;
	return enrollment->slots[slot].cert != NULL && enrollment->slots[slot].verified;
}

/* ---- the list ---------------------------------------------------------- */

iotx509_error_code iotx509_enrollment_list_new(iotx509_enrollment_list **out)
{
	iotx509_enrollment_list *l;
	int ret;

	if (out == NULL)
		return iox_error(IOTX509_EINVAL, "enrollment list: out is NULL");
	*out = NULL;
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	if ((ret = iotx509_certlist_new(&l->verified)) < 0) {
		free(l);
		return ret;
	}
	*out = l;
	return 0;
}

void iotx509_enrollment_list_free(iotx509_enrollment_list *list)
{
	size_t i;

	if (list == NULL)
		return;
	for (i = 0; i < list->count; i++)
		iotx509_enrollment_free(list->items[i]);
	free(list->items);
	iotx509_certlist_free(list->verified);
	free(list);
}

iotx509_error_code iotx509_enrollment_dup(iotx509_enrollment **out, const iotx509_enrollment *enrollment)
{
	iotx509_enrollment *copy;
	int s, ret;

	if (out == NULL || enrollment == NULL)
		return iox_error(IOTX509_EINVAL, "enrollment dup: NULL argument");
	*out = NULL;
	if ((ret = iotx509_enrollment_new(&copy, enrollment->type, enrollment->name)) < 0)
		return ret;
	for (s = 0; s < 2; s++) {
		copy->slots[s] = enrollment->slots[s];
		if (copy->slots[s].cert)
			copy->slots[s].cert = iox_cert_ref(enrollment->slots[s].cert);
	}
	*out = copy;
	return 0;
}

iotx509_error_code iotx509_enrollment_list_add(iotx509_enrollment_list *list, const iotx509_enrollment *enrollment)
{
	iotx509_enrollment *copy;
	int ret;

	if (list == NULL || enrollment == NULL)
		return iox_error(IOTX509_EINVAL, "enrollment list add: NULL argument");
	if (!enrollment->slots[0].thumb[0] && !enrollment->slots[1].thumb[0])
		return iox_error(IOTX509_EINVAL, "%s '%s' has neither a primary nor a secondary certificate",
				 enrollment->type == IOTX509_ENROLLMENT_GROUP ? "enrollment group"
									      : "individual enrollment",
				 enrollment->name ? enrollment->name : "(unnamed)");
	if (IOX_ARRAY_GROW(list->items, list->cap, list->count, 8) < 0)
		return IOTX509_ENOMEM;
	if ((ret = iotx509_enrollment_dup(&copy, enrollment)) < 0)
		return ret;
	list->items[list->count++] = copy;
	return 0;
}

iotx509_error_code iotx509_enrollment_list_add_verified(iotx509_enrollment_list *list, const iotx509_cert *cert)
{
	if (list == NULL || cert == NULL)
		return iox_error(IOTX509_EINVAL, "enrollment list: NULL argument");
	return iotx509_certlist_add(list->verified, cert);
}

size_t iotx509_enrollment_list_count(const iotx509_enrollment_list *list)
{
	return list ? list->count : 0;
}

const iotx509_enrollment *iotx509_enrollment_list_get(const iotx509_enrollment_list *list, size_t index)
{
	if (list == NULL || index >= list->count)
		return NULL;
	return list->items[index];
}

/* ---- reasons ----------------------------------------------------------- */

static const struct {
	const char *name, *text;
} reasons[] = {
	[IOTX509_ENROLLMENT_ACCEPTED] = { "accepted", "the device is accepted" },
	[IOTX509_ENROLLMENT_REGISTRATION_ID_INVALID] = { "registration-id-invalid", "registration ID invalid" },
	[IOTX509_ENROLLMENT_CN_MISMATCH] = { "cn-mismatch", "certificate CN differs from the registration ID" },
	[IOTX509_ENROLLMENT_THUMBPRINT_MISMATCH] = { "thumbprint-mismatch",
						     "certificate matches neither slot of the individual enrollment" },
	[IOTX509_ENROLLMENT_NOT_ENROLLED] = { "not-enrolled", "the chain reaches no enrolled certificate" },
	[IOTX509_ENROLLMENT_CA_NOT_VERIFIED] = { "ca-not-verified", "enrolled CA not verified" },
	[IOTX509_ENROLLMENT_EXPIRED] = { "expired", "certificate expired" },
	[IOTX509_ENROLLMENT_NOT_YET_VALID] = { "not-yet-valid", "certificate not yet valid" },
	[IOTX509_ENROLLMENT_PATHLEN_EXCEEDED] = { "pathlen-exceeded", "path length constraint exceeded" },
	[IOTX509_ENROLLMENT_CLIENT_AUTH_MISSING] = { "client-auth-missing", "clientAuth extended key usage missing" },
	[IOTX509_ENROLLMENT_CHAIN_INVALID] = { "chain-invalid", "the chain does not verify" },
};
#define N_REASONS (sizeof(reasons) / sizeof(reasons[0]))

const char *iotx509_enrollment_reason_name(iotx509_enrollment_reason reason)
{
	return (unsigned int)reason < N_REASONS ? reasons[reason].name : "unknown";
}

const char *iotx509_enrollment_type_name(iotx509_enrollment_type type)
{
	switch (type) {
	case IOTX509_ENROLLMENT_GROUP:
		return "group";
	case IOTX509_ENROLLMENT_INDIVIDUAL:
		return "individual";
	}
	return "unknown";
}

const char *iotx509_enrollment_slot_name(iotx509_enrollment_slot slot)
{
	switch (slot) {
	case IOTX509_ENROLLMENT_PRIMARY:
		return "primary";
	case IOTX509_ENROLLMENT_SECONDARY:
		return "secondary";
	}
	return "unknown";
}

const char *iotx509_enrollment_reason_description(iotx509_enrollment_reason reason)
{
	return (unsigned int)reason < N_REASONS ? reasons[reason].text : "unknown enrollment check outcome";
}

/* ---- the check --------------------------------------------------------- */

IOX_OPTS_TYPE(enrollment_check_opts_type, "enrollment check options", IOTX509_ENROLLMENT_CHECK_OPTIONS_VERSION, sizeof(iotx509_enrollment_check_options));
static const iotx509_enrollment_check_options enrollment_check_opts_defaults = IOTX509_ENROLLMENT_CHECK_OPTIONS_INIT;

iotx509_error_code iotx509_enrollment_check_options_init(iotx509_enrollment_check_options *opts, unsigned int version)
{
	return iox_opts_init(opts, version, &enrollment_check_opts_defaults, &enrollment_check_opts_type);
}

void iotx509_enrollment_result_free(iotx509_enrollment_result *result)
{
	if (result == NULL)
		return;
	free(result->message);
	free(result->registration_id);
	iotx509_cert_free(result->cert);
	iotx509_certlist_free(result->path);
	free(result);
}

/* Record the outcome (the message is formatted here). */
static int outcome(iotx509_enrollment_result *r, iotx509_enrollment_reason reason, const iotx509_cert *cert,
		   const char *fmt, ...) IOX_PRINTF(4, 5);

static int outcome(iotx509_enrollment_result *r, iotx509_enrollment_reason reason, const iotx509_cert *cert,
		   const char *fmt, ...)
{
	iotx509_cert *old = r->cert;
	char msg[1000];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	free(r->message);
	if ((r->message = iox_strdup(msg)) == NULL)
		return IOTX509_ENOMEM;
	r->reason = reason;
	/* Take the new reference first: @cert may be the one held already. */
	r->cert = cert ? iox_cert_ref(cert) : NULL;
	iotx509_cert_free(old);
	return 0;
}

/* "enrollment group 'fleet'", "enrollment group #2", "individual enrollment 'dev-1'". */
static void describe(char *out, size_t size, const iotx509_enrollment *e, size_t index)
{
	const char *name = regid_of(e);
	const char *kind = e->type == IOTX509_ENROLLMENT_GROUP ? "enrollment group" : "individual enrollment";

	if (name)
		snprintf(out, size, "%s '%s'", kind, name);
	else
		snprintf(out, size, "%s #%zu", kind, index + 1);
}

static int same_cert(const iotx509_cert *a, const iotx509_cert *b)
{
	return a != NULL && b != NULL && (a == b || strcmp(a->sha256, b->sha256) == 0);
}

static int slot_matches_leaf(const slot_t *s, const iotx509_cert *leaf)
{
	if (s->cert)
		return same_cert(s->cert, leaf);
	if (s->thumb[0] == '\0')
		return 0;
	return strcmp(s->thumb, strlen(s->thumb) == 40 ? leaf->sha1 : leaf->sha256) == 0;
}

/* "SHA-1 AB12..." of a slot, or "empty". */
static void slot_print(char *out, size_t size, const slot_t *s)
{
	if (s->thumb[0] == '\0')
		snprintf(out, size, "empty");
	else if (s->cert)
		snprintf(out, size, "'%s', SHA-1 %s", s->cert->subject_dn, s->thumb);
	else
		snprintf(out, size, "%s %s", strlen(s->thumb) == 40 ? "SHA-1" : "SHA-256", s->thumb);
}

/* 1 if @c is verified on the service: a verified slot of a group, or in the verified list. */
static int is_verified(const iotx509_enrollment_list *list, const iotx509_cert *c)
{
	size_t i;
	int s;

	for (i = 0; i < list->count; i++)
		for (s = 0; s < 2; s++)
			if (list->items[i]->type == IOTX509_ENROLLMENT_GROUP &&
			    list->items[i]->slots[s].verified &&
			    same_cert(list->items[i]->slots[s].cert, c))
				return 1;
	return iox_certlist_find(list->verified, c) >= 0;
}

/*
 * Verify path[0..top-1] against path[top] with GnuTLS (device check) and
 * turn the status into the outcome. @what says how the device matched.
 */
static int verify_path(iotx509_enrollment_result *r, size_t top, const char *what, const char *accepted_msg)
{
	iotx509_certlist *chain = NULL, *anchors = NULL;
	iotx509_verify_options vo = IOTX509_VERIFY_OPTIONS_INIT;
	iotx509_verify_status st = IOTX509_VERIFY_OK;
	const iotx509_certlist *path = r->path;
	const iotx509_cert *about = NULL;
	char vmsg[900];
	size_t i;
	int ret;

	vo.at = r->at;
	vo.flags = IOTX509_VERIFY_DEVICE;
	if ((ret = iotx509_certlist_new(&chain)) < 0 || (ret = iotx509_certlist_new(&anchors)) < 0)
		goto out;
	/* An individual enrollment trusts the device certificate itself. */
	for (i = 0; ret == 0 && i < (top ? top : 1); i++)
		ret = iotx509_certlist_add(chain, path->certs[i]);
	if (ret == 0)
		ret = iotx509_certlist_add(anchors, path->certs[top]);
	if (ret == 0)
		ret = iotx509_chain_verify(&st, chain, anchors, &vo);
	if (ret < 0)
		goto out;
	snprintf(vmsg, sizeof(vmsg), "%s", st != IOTX509_VERIFY_OK && iotx509_error_last() ? iotx509_error_last() : "");
	r->vstatus = st;
	switch (st) {
	case IOTX509_VERIFY_OK:
		ret = outcome(r, IOTX509_ENROLLMENT_ACCEPTED, r->cert, "%s", accepted_msg);
		break;
	case IOTX509_VERIFY_EXPIRED:
	case IOTX509_VERIFY_NOT_YET_VALID:
		/* The same certificate the verifier names: the first, from the device up. */
		for (i = 0; i <= top && about == NULL; i++) {
			const iotx509_cert *c = path->certs[i];

			if (st == IOTX509_VERIFY_EXPIRED ? r->at > c->not_after : r->at < c->not_before)
				about = c;
		}
		ret = outcome(r, st == IOTX509_VERIFY_EXPIRED ? IOTX509_ENROLLMENT_EXPIRED : IOTX509_ENROLLMENT_NOT_YET_VALID,
			      about, "%s (%s)", vmsg, what);
		break;
	case IOTX509_VERIFY_PATHLEN_EXCEEDED:
		/* The highest CA whose limit is below the CAs between it and the device. */
		for (i = top; i >= 1 && about == NULL; i--) {
			const iotx509_cert *c = path->certs[i];

			if (c->is_ca && c->pathlen >= 0 && i - 1 > (size_t)c->pathlen)
				about = c;
		}
		ret = outcome(r, IOTX509_ENROLLMENT_PATHLEN_EXCEEDED, about, "%s (%s)", vmsg, what);
		break;
	case IOTX509_VERIFY_CLIENT_AUTH_MISSING:
		ret = outcome(r, IOTX509_ENROLLMENT_CLIENT_AUTH_MISSING, path->certs[0], "%s (%s)", vmsg, what);
		break;
	default:
		ret = outcome(r, IOTX509_ENROLLMENT_CHAIN_INVALID, path->certs[0], "%s (%s)", vmsg, what);
		break;
	}
out:
	iotx509_certlist_free(chain);
	iotx509_certlist_free(anchors);
	return ret;
}

/* Step 3. Sets *decided when an individual enrollment applies. */
static int check_individual(iotx509_enrollment_result *r, const iotx509_enrollment_list *list,
			    const iotx509_cert *leaf, int *decided)
{
	long first = -1;
	size_t i;
	int s;
	char desc[600], what[700], acc[900], p[200], q[200];

	*decided = 0;
	for (i = 0; i < list->count; i++) {
		const iotx509_enrollment *e = list->items[i];
		const char *id = regid_of(e);

		if (e->type != IOTX509_ENROLLMENT_INDIVIDUAL || (id != NULL && strcmp(id, r->registration_id) != 0))
			continue;
		if (first < 0)
			first = (long)i;
		for (s = 0; s < 2; s++) {
			if (!slot_matches_leaf(&e->slots[s], leaf))
				continue;
			*decided = 1;
			r->index = (long)i;
			r->enrollment = e;
			r->slot = (iotx509_enrollment_slot)s;
			describe(desc, sizeof(desc), e, i);
			snprintf(what, sizeof(what), "%s certificate of %s", slot_names[s], desc);
			snprintf(acc, sizeof(acc), "device '%s' is accepted: its certificate (SHA-1 %s) is the %s", leaf->subject_dn,
				 leaf->sha1, what);
			iotx509_cert_free(r->cert);
			r->cert = iox_cert_ref(leaf);
			return verify_path(r, 0, what, acc);
		}
	}
	if (first < 0)
		return 0;
	*decided = 1;
	r->index = first;
	r->enrollment = list->items[first];
	describe(desc, sizeof(desc), list->items[first], (size_t)first);
	slot_print(p, sizeof(p), &list->items[first]->slots[0]);
	slot_print(q, sizeof(q), &list->items[first]->slots[1]);
	return outcome(r, IOTX509_ENROLLMENT_THUMBPRINT_MISMATCH, leaf,
		       "device certificate '%s' (SHA-1 %s) is neither the primary (%s) nor the secondary (%s) of %s",
		       leaf->subject_dn, leaf->sha1, p, q, desc);
}

/* The first group (in list order) holding @c, primary before secondary. */
static const iotx509_enrollment *find_group(const iotx509_enrollment_list *list, const iotx509_cert *c,
					    size_t *index, int *slot)
{
	size_t i;
	int s;

	for (i = 0; i < list->count; i++)
		for (s = 0; s < 2; s++)
			if (list->items[i]->type == IOTX509_ENROLLMENT_GROUP && same_cert(list->items[i]->slots[s].cert, c)) {
				*index = i;
				*slot = s;
				return list->items[i];
			}
	return NULL;
}

/*
 * Extend @path above its certificate @k towards a verified certificate:
 * the path from path[k] up, built from @pool preferring paths that end at
 * a verified one, replaces what followed path[k].
 */
static int extend_to_verified(iotx509_certlist **path, size_t k, const iotx509_enrollment_list *list,
			      const iotx509_certlist *pool, int64_t at)
{
	iotx509_chain_options co = IOTX509_CHAIN_OPTIONS_INIT;
	iotx509_certlist *verified = NULL, *above = NULL, *joined = NULL;
	iox_error_saved saved;
	size_t i;
	int s, ret;

	if ((ret = iotx509_certlist_new(&verified)) < 0)
		return ret;
	for (i = 0; ret == 0 && i < list->count; i++)
		for (s = 0; ret == 0 && s < 2; s++)
			if (list->items[i]->type == IOTX509_ENROLLMENT_GROUP && list->items[i]->slots[s].cert &&
			    list->items[i]->slots[s].verified)
				ret = iotx509_certlist_add(verified, list->items[i]->slots[s].cert);
	for (i = 0; ret == 0 && i < list->verified->count; i++)
		ret = iotx509_certlist_add(verified, list->verified->certs[i]);
	co.anchors = verified;
	co.at = at;
	co.flags = IOTX509_CHAIN_ALLOW_PARTIAL;
	iox_error_save(&saved);
	if (ret == 0)
		ret = iotx509_chain_build(&above, (*path)->certs[k], pool, &co);
	if (ret == IOTX509_ECHAINLOOP) {
		/* Nothing usable above: the path stays as it is. */
		iox_error_restore(&saved);
		ret = 0;
	} else if (ret == 0 && (ret = iotx509_certlist_new(&joined)) == 0) {
		for (i = 0; ret == 0 && i <= k; i++)
			ret = iotx509_certlist_add(joined, (*path)->certs[i]);
		for (i = 1; ret == 0 && i < above->count; i++)
			ret = iotx509_certlist_add(joined, above->certs[i]);
		if (ret == 0) {
			iotx509_certlist_free(*path);
			*path = joined;
			joined = NULL;
		}
	}
	iotx509_certlist_free(joined);
	iotx509_certlist_free(above);
	iotx509_certlist_free(verified);
	return ret;
}

/* Step 4: enrollment groups, from the first intermediate up to the root. */
static int check_groups(iotx509_enrollment_result *r, const iotx509_enrollment_list *list,
			const iotx509_certlist *presented)
{
	iotx509_chain_options co = IOTX509_CHAIN_OPTIONS_INIT;
	iotx509_certlist *pool = NULL, *enrolled = NULL, *path = NULL;
	const iotx509_cert *leaf = presented->certs[0], *last;
	const iotx509_enrollment *match = NULL;
	size_t i, k = 0, top, groups = 0, individuals = 0;
	int s = 0, ret;
	char desc[600], what[700], acc[900];

	if ((ret = iotx509_certlist_new(&pool)) < 0 || (ret = iotx509_certlist_new(&enrolled)) < 0)
		goto out;
	/* What the service can use to complete the path: what the device
	 * presents, and the certificates it holds. */
	for (i = 1; ret == 0 && i < presented->count; i++)
		ret = iotx509_certlist_add(pool, presented->certs[i]);
	for (i = 0; ret == 0 && i < list->count; i++) {
		if (list->items[i]->type != IOTX509_ENROLLMENT_GROUP) {
			individuals++;
			continue;
		}
		groups++;
		for (s = 0; ret == 0 && s < 2; s++)
			if (list->items[i]->slots[s].cert) {
				ret = iotx509_certlist_add(pool, list->items[i]->slots[s].cert);
				if (ret == 0)
					ret = iotx509_certlist_add(enrolled, list->items[i]->slots[s].cert);
			}
	}
	for (i = 0; ret == 0 && i < list->verified->count; i++)
		ret = iotx509_certlist_add(pool, list->verified->certs[i]);
	if (ret < 0)
		goto out;
	/* The service looks for its enrolled certificates: a path that reaches
	 * one wins over one through a look-alike the device presents (same
	 * name and key, other extensions). The search stops at the first. */
	co.anchors = enrolled;
	co.at = r->at;
	co.flags = IOTX509_CHAIN_ALLOW_PARTIAL;
	ret = iotx509_chain_build(&path, leaf, pool, &co);
	if (ret == IOTX509_ECHAINLOOP) {
		ret = outcome(r, IOTX509_ENROLLMENT_CHAIN_INVALID, leaf, "%s", iotx509_error_last());
		goto out;
	}
	if (ret < 0)
		goto out;

	for (k = 1; k < path->count && match == NULL; k++)
		match = find_group(list, path->certs[k], &i, &s);
	k--; /* the loop stepped past the match */
	if (match == NULL) {
		last = path->certs[path->count - 1];
		iotx509_certlist_free(r->path);
		r->path = path;
		path = NULL;
		if (groups == 0)
			ret = outcome(r, IOTX509_ENROLLMENT_NOT_ENROLLED, leaf,
				      "no %senrollment for registration ID '%s' and no enrollment group",
				      individuals ? "individual " : "", r->registration_id);
		else if (!last->self_signed)
			ret = outcome(r, IOTX509_ENROLLMENT_NOT_ENROLLED, last,
				      "the path of device '%s' reaches no certificate of an enrollment group: it ends at "
				      "'%s', whose issuer '%s' is neither presented by the device nor held by the service "
				      "(missing intermediate, or CA not enrolled?)",
				      leaf->subject_dn, last->subject_dn, last->issuer_dn);
		else
			ret = outcome(r, IOTX509_ENROLLMENT_NOT_ENROLLED, last,
				      "no enrollment group holds a certificate of the path of device '%s' (up to %s '%s')",
				      leaf->subject_dn, last == leaf ? "its own, self-signed," : "the root",
				      last->subject_dn);
		goto out;
	}
	/* Verified itself, or below a verified certificate. */
	if (!match->slots[s].verified &&
	    (ret = extend_to_verified(&path, k, list, pool, r->at)) < 0)
		goto out;
	iotx509_certlist_free(r->path);
	r->path = path;
	path = NULL;
	r->index = (long)i;
	r->enrollment = match;
	r->slot = (iotx509_enrollment_slot)s;
	iotx509_cert_free(r->cert);
	r->cert = iox_cert_ref(r->path->certs[k]);
	describe(desc, sizeof(desc), match, i);
	top = k;
	if (!match->slots[s].verified) {
		for (top = k + 1; top < r->path->count && !is_verified(list, r->path->certs[top]); top++)
			;
		if (top == r->path->count) {
			ret = outcome(r, IOTX509_ENROLLMENT_CA_NOT_VERIFIED, r->path->certs[k],
				      "certificate '%s' of %s (%s) is not verified, and no verified certificate is above "
				      "it: prove possession of its key (verification certificate) first",
				      r->path->certs[k]->subject_dn, desc, slot_names[s]);
			goto out;
		}
	}
	snprintf(what, sizeof(what), "%s certificate '%s' of %s", slot_names[s], r->path->certs[k]->subject_dn, desc);
	if (top == k)
		snprintf(acc, sizeof(acc), "device '%s' is accepted through the %s (verified)", leaf->subject_dn, what);
	else
		snprintf(acc, sizeof(acc), "device '%s' is accepted through the %s (verified through '%s' above it)",
			 leaf->subject_dn, what, r->path->certs[top]->subject_dn);
	ret = verify_path(r, top, what, acc);
out:
	iotx509_certlist_free(path);
	iotx509_certlist_free(pool);
	iotx509_certlist_free(enrolled);
	return ret;
}

iotx509_error_code iotx509_enrollment_check(iotx509_enrollment_result **out, const iotx509_enrollment_list *enrollments,
			     const iotx509_certlist *presented, const iotx509_enrollment_check_options *opts)
{
	iotx509_enrollment_check_options copy;
	iotx509_enrollment_result *r;
	const iotx509_cert *leaf;
	int ret, decided = 0;

	if (out == NULL || enrollments == NULL || presented == NULL)
		return iox_error(IOTX509_EINVAL, "enrollment check: NULL argument");
	*out = NULL;
	/* Only the fields of the caller's version are read. */
	if (iox_opts_read(&copy, opts, &enrollment_check_opts_defaults, &enrollment_check_opts_type) < 0)
		return IOTX509_EINVAL;
	opts = &copy;
	if (opts->at < 0)
		return iox_error(IOTX509_EINVAL, "enrollment check options: negative time");
	if (presented->count == 0)
		return iox_error(IOTX509_EINVAL, "enrollment check: the device presents no certificate");
	leaf = presented->certs[0];
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	r->index = -1;
	r->at = opts->at ? opts->at : (int64_t)time(NULL);
	r->registration_id = iox_strdup(opts->registration_id ? opts->registration_id : leaf->subject_cn);
	if (r->registration_id == NULL || (ret = iotx509_certlist_new(&r->path)) < 0 ||
	    (ret = iotx509_certlist_add(r->path, leaf)) < 0) {
		iotx509_enrollment_result_free(r);
		return IOTX509_ENOMEM;
	}

	/* 1. and 2.: the registration ID. */
	ret = iox_id_validate(r->registration_id, opts->id_policy, IOTX509_ID_AS_CN);
	if (ret == IOTX509_EDEVICEID) {
		char why[800];

		snprintf(why, sizeof(why), "%s", iotx509_error_last() ? iotx509_error_last() : "invalid");
		ret = outcome(r, IOTX509_ENROLLMENT_REGISTRATION_ID_INVALID, leaf,
			      "registration ID '%s' of device '%s' is invalid: %s", r->registration_id, leaf->subject_dn,
			      why);
	} else if (ret == 0 && strcmp(r->registration_id, leaf->subject_cn) != 0) {
		ret = outcome(r, IOTX509_ENROLLMENT_CN_MISMATCH, leaf,
			      "the CN '%s' of device certificate '%s' is not the registration ID '%s'", leaf->subject_cn,
			      leaf->subject_dn, r->registration_id);
	} else if (ret == 0) {
		/* 3. and 4. */
		ret = check_individual(r, enrollments, leaf, &decided);
		if (ret == 0 && !decided)
			ret = check_groups(r, enrollments, presented);
	}
	if (ret < 0) {
		iotx509_enrollment_result_free(r);
		return ret;
	}
	if (r->reason != IOTX509_ENROLLMENT_ACCEPTED)
		iox_error(IOTX509_EREJECTED, "%s", r->message);
	else
		iotx509_error_clear();
	*out = r;
	return 0;
}

iotx509_enrollment_reason iotx509_enrollment_result_get_reason(const iotx509_enrollment_result *result)
{
	return result ? result->reason : IOTX509_ENROLLMENT_CHAIN_INVALID;
}

int iotx509_enrollment_result_is_accepted(const iotx509_enrollment_result *result)
{
	return result != NULL && result->reason == IOTX509_ENROLLMENT_ACCEPTED;
}

const char *iotx509_enrollment_result_get_message(const iotx509_enrollment_result *result)
{
	return result && result->message ? result->message : "";
}

const char *iotx509_enrollment_result_get_registration_id(const iotx509_enrollment_result *result)
{
	return result ? result->registration_id : NULL;
}

int iotx509_enrollment_result_has_index(const iotx509_enrollment_result *result)
{
	return result != NULL && result->index >= 0;
}

size_t iotx509_enrollment_result_get_index(const iotx509_enrollment_result *result)
{
	return iotx509_enrollment_result_has_index(result) ? (size_t)result->index : 0;
}

const iotx509_enrollment *iotx509_enrollment_result_get_enrollment(const iotx509_enrollment_result *result)
{
	return result ? result->enrollment : NULL;
}

iotx509_enrollment_slot iotx509_enrollment_result_get_slot(const iotx509_enrollment_result *result)
{
	return result ? result->slot : IOTX509_ENROLLMENT_PRIMARY;
}

const iotx509_cert *iotx509_enrollment_result_get_cert(const iotx509_enrollment_result *result)
{
	return result ? result->cert : NULL;
}

const iotx509_certlist *iotx509_enrollment_result_get_path(const iotx509_enrollment_result *result)
{
	return result ? result->path : NULL;
}

iotx509_verify_status iotx509_enrollment_result_get_verify_status(const iotx509_enrollment_result *result)
{
	return result ? result->vstatus : IOTX509_VERIFY_OK;
}

int64_t iotx509_enrollment_result_get_time(const iotx509_enrollment_result *result)
{
	return result ? result->at : 0;
}
