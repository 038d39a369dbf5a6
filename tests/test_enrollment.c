/*
 * Offline attestation check: every accept and reject reason, the order in
 * which enrollments are tried, the enrollment model's own errors, and the
 * foreign fixtures. Everything is issued at and checked at fixed times.
 */
#include "helpers.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400
#define T0 TH_FIXTURE_TIME

static void assert_msg_has(const char *msg, const char *needle)
{
	cr_assert(msg != NULL && strstr(msg, needle) != NULL, "message '%s' lacks '%s'", msg ? msg : "(null)", needle);
}

/* ---- a small PKI, issued the day before T0 ------------------------------ */

typedef struct {
	iotx509_key *rk, *ik, *dk;
	iotx509_cert *root, *inter, *d1, *d2, *ss, *ss2, *other;
	iotx509_issuer *ri, *ii;
} world;

static iotx509_issue_options at_opts(int64_t now, unsigned int days)
{
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;

	o.at = now;
	o.days = days;
	return o;
}

static void world_make(world *w)
{
	iotx509_issue_options o = at_opts(T0 - DAY, 365);
	iotx509_key *ok = NULL;

	memset(w, 0, sizeof(*w));
	th_make_root(&w->rk, &w->root, &w->ri, "Fleet Root", T0 - 2 * DAY);
	cr_assert_eq(iotx509_key_generate(&w->ik, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_key_generate(&w->dk, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_intermediate(&w->inter, w->ri, w->ik, "Fleet Intermediate", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_issuer_new(&w->ii, w->inter, w->ik), 0, "%s", th_err());
	cr_assert_eq(iotx509_issue_device(&w->d1, w->ri, w->dk, "device-01", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_issue_device(&w->d2, w->ii, w->dk, "device-02", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_issue_device_self_signed(&w->ss, w->dk, "device-ss", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_issue_device_self_signed(&w->ss2, w->ik, "device-ss", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_key_generate(&ok, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_root(&w->other, ok, "Other Root", &o), 0, "%s", th_err());
	iotx509_key_free(ok);
}

static void world_free(world *w)
{
	iotx509_issuer_free(w->ri);
	iotx509_issuer_free(w->ii);
	iotx509_cert_free(w->root);
	iotx509_cert_free(w->inter);
	iotx509_cert_free(w->d1);
	iotx509_cert_free(w->d2);
	iotx509_cert_free(w->ss);
	iotx509_cert_free(w->ss2);
	iotx509_cert_free(w->other);
	iotx509_key_free(w->rk);
	iotx509_key_free(w->ik);
	iotx509_key_free(w->dk);
}

/* Append a group (secondary may be NULL) to @list. */
static void add_group(iotx509_enrollment_list *list, const char *name, const iotx509_cert *primary,
		      unsigned int pflags, const iotx509_cert *secondary, unsigned int sflags)
{
	iotx509_enrollment *e = NULL;

	cr_assert_eq(iotx509_enrollment_new(&e, IOTX509_ENROLLMENT_GROUP, name), 0, "%s", th_err());
	if (primary)
		cr_assert_eq(th_enrollment_set_cert(e, IOTX509_ENROLLMENT_PRIMARY, primary, pflags), 0, "%s", th_err());
	if (secondary)
		cr_assert_eq(th_enrollment_set_cert(e, IOTX509_ENROLLMENT_SECONDARY, secondary, sflags), 0, "%s",
			     th_err());
	cr_assert_eq(iotx509_enrollment_list_add(list, e), 0, "%s", th_err());
	iotx509_enrollment_free(e);
}

/* Append an individual enrollment; each slot a certificate or a thumbprint (or neither). */
static void add_individual(iotx509_enrollment_list *list, const char *regid, const iotx509_cert *pc, const char *pt,
			   const iotx509_cert *sc, const char *st)
{
	iotx509_enrollment *e = NULL;

	cr_assert_eq(iotx509_enrollment_new(&e, IOTX509_ENROLLMENT_INDIVIDUAL, regid), 0, "%s", th_err());
	if (pc)
		cr_assert_eq(iotx509_enrollment_set_cert(e, IOTX509_ENROLLMENT_PRIMARY, pc), 0, "%s", th_err());
	if (pt)
		cr_assert_eq(iotx509_enrollment_set_thumbprint(e, IOTX509_ENROLLMENT_PRIMARY, pt), 0, "%s", th_err());
	if (sc)
		cr_assert_eq(iotx509_enrollment_set_cert(e, IOTX509_ENROLLMENT_SECONDARY, sc), 0, "%s", th_err());
	if (st)
		cr_assert_eq(iotx509_enrollment_set_thumbprint(e, IOTX509_ENROLLMENT_SECONDARY, st), 0, "%s", th_err());
	cr_assert_eq(iotx509_enrollment_list_add(list, e), 0, "%s", th_err());
	iotx509_enrollment_free(e);
}

static iotx509_enrollment_list *new_list(void)
{
	iotx509_enrollment_list *l = NULL;

	cr_assert_eq(iotx509_enrollment_list_new(&l), 0);
	return l;
}

/* Run the check at @at with @regid (NULL: the CN); the check itself must run. */
static iotx509_enrollment_result *check(const iotx509_enrollment_list *list, const iotx509_certlist *chain,
					int64_t at, const char *regid)
{
	iotx509_enrollment_check_options o = IOTX509_ENROLLMENT_CHECK_OPTIONS_INIT;
	iotx509_enrollment_result *r = NULL;

	o.at = at;
	o.registration_id = regid;
	cr_assert_eq(iotx509_enrollment_check(&r, list, chain, &o), 0, "%s", th_err());
	cr_assert_not_null(r);
	return r;
}

static void assert_accepted(const iotx509_enrollment_result *r, long index, iotx509_enrollment_slot slot)
{
	cr_assert(iotx509_enrollment_result_is_accepted(r), "rejected: %s (%s)",
		  iotx509_enrollment_reason_name(iotx509_enrollment_result_get_reason(r)),
		  iotx509_enrollment_result_get_message(r));
	cr_assert(iotx509_enrollment_result_has_index(r));
	cr_assert_eq(iotx509_enrollment_result_get_index(r), (size_t)index);
	cr_assert_eq(iotx509_enrollment_result_get_slot(r), slot);
	cr_assert_eq(iotx509_error_last_code(), 0, "no error is left after an accepted check");
}

/* Refused for @reason; the result's message and the thread's error agree and name @needle. */
static void assert_rejected(const iotx509_enrollment_result *r, iotx509_enrollment_reason reason, const char *needle)
{
	const char *msg = iotx509_enrollment_result_get_message(r);

	cr_assert_eq(iotx509_enrollment_result_get_reason(r), reason, "reason %s, expected %s: %s",
		     iotx509_enrollment_reason_name(iotx509_enrollment_result_get_reason(r)),
		     iotx509_enrollment_reason_name(reason), msg);
	cr_assert_not(iotx509_enrollment_result_is_accepted(r));
	cr_assert_eq(iotx509_error_last_code(), IOTX509_EREJECTED);
	cr_assert_str_eq(th_err(), msg);
	assert_msg_has(msg, needle);
}

/* ---- enrollment groups ------------------------------------------------- */

Test(enrollment, group_root_verified_accepts_device_under_it)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;

	world_make(&w);
	add_group(l, "fleet", w.root, 1, NULL, 0);
	/* The device presents only its own certificate: the service holds the root. */
	ch = th_certlist(w.d1, NULL, NULL);
	r = check(l, ch, T0, NULL);
	assert_accepted(r, 0, IOTX509_ENROLLMENT_PRIMARY);
	cr_assert_eq(iotx509_enrollment_result_get_reason(r), IOTX509_ENROLLMENT_ACCEPTED);
	cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(iotx509_enrollment_result_get_cert(r)),
			 iotx509_cert_get_thumbprint_sha256(w.root));
	cr_assert_eq(iotx509_enrollment_get_type(iotx509_enrollment_result_get_enrollment(r)), IOTX509_ENROLLMENT_GROUP);
	cr_assert_str_eq(iotx509_enrollment_result_get_registration_id(r), "device-01");
	cr_assert_eq(iotx509_certlist_count(iotx509_enrollment_result_get_path(r)), 2);
	cr_assert_eq(iotx509_enrollment_result_get_time(r), T0);
	assert_msg_has(iotx509_enrollment_result_get_message(r), "CN=device-01");
	assert_msg_has(iotx509_enrollment_result_get_message(r), "enrollment group 'fleet'");
	assert_msg_has(iotx509_enrollment_result_get_message(r), "primary");
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

Test(enrollment, group_root_accepts_device_under_intermediate_it_presents)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;

	world_make(&w);
	add_group(l, NULL, w.root, 1, NULL, 0);
	ch = th_certlist(w.d2, w.inter, w.root);
	r = check(l, ch, T0, "device-02");
	assert_accepted(r, 0, IOTX509_ENROLLMENT_PRIMARY);
	cr_assert_eq(iotx509_certlist_count(iotx509_enrollment_result_get_path(r)), 3);
	/* Unnamed groups are numbered from 1, in list order. */
	assert_msg_has(iotx509_enrollment_result_get_message(r), "primary certificate 'CN=Fleet Root' of enrollment group #1");
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

Test(enrollment, groups_are_tried_from_the_first_intermediate_up)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;

	world_make(&w);
	/* The root's group comes first in the list, but the intermediate is nearer the device. */
	add_group(l, "by-root", w.root, 1, NULL, 0);
	add_group(l, "by-intermediate", w.inter, 1, NULL, 0);
	ch = th_certlist(w.d2, w.inter, NULL);
	r = check(l, ch, T0, NULL);
	assert_accepted(r, 1, IOTX509_ENROLLMENT_PRIMARY);
	assert_msg_has(iotx509_enrollment_result_get_message(r), "by-intermediate");
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

Test(enrollment, group_secondary_slot_is_reported)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;

	world_make(&w);
	add_group(l, "roll", w.other, 1, w.root, 1);
	ch = th_certlist(w.d1, NULL, NULL);
	r = check(l, ch, T0, NULL);
	assert_accepted(r, 0, IOTX509_ENROLLMENT_SECONDARY);
	assert_msg_has(iotx509_enrollment_result_get_message(r), "secondary");
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

Test(enrollment, unverified_intermediate_counts_below_a_verified_root)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;

	world_make(&w);
	add_group(l, "int", w.inter, 0, NULL, 0);
	cr_assert_eq(iotx509_enrollment_list_add_verified(l, w.root), 0);
	ch = th_certlist(w.d2, w.inter, NULL);
	r = check(l, ch, T0, NULL);
	assert_accepted(r, 0, IOTX509_ENROLLMENT_PRIMARY);
	assert_msg_has(iotx509_enrollment_result_get_message(r), "verified through 'CN=Fleet Root'");
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_enrollment_list_free(l);

	/* The root verified in another group counts the same. */
	l = new_list();
	add_group(l, "int", w.inter, 0, NULL, 0);
	add_group(l, "root", w.other, 0, w.root, 1);
	ch = th_certlist(w.d2, w.inter, NULL);
	r = check(l, ch, T0, NULL);
	assert_accepted(r, 0, IOTX509_ENROLLMENT_PRIMARY);
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

Test(enrollment, rejects_unverified_ca)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;

	world_make(&w);
	add_group(l, "fleet", w.root, 0, NULL, 0);
	ch = th_certlist(w.d1, NULL, NULL);
	r = check(l, ch, T0, NULL);
	assert_rejected(r, IOTX509_ENROLLMENT_CA_NOT_VERIFIED, "'CN=Fleet Root'");
	assert_msg_has(iotx509_enrollment_result_get_message(r), "not verified");
	assert_msg_has(iotx509_enrollment_result_get_message(r), "enrollment group 'fleet'");
	cr_assert_eq(iotx509_enrollment_result_get_index(r), 0, "the group that matched is still reported");
	cr_assert_str_eq(iotx509_cert_get_subject_cn(iotx509_enrollment_result_get_cert(r)), "Fleet Root");
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_enrollment_list_free(l);

	/* An unverified intermediate with nothing verified above it. */
	l = new_list();
	add_group(l, "int", w.inter, 0, NULL, 0);
	ch = th_certlist(w.d2, w.inter, w.root);
	r = check(l, ch, T0, NULL);
	assert_rejected(r, IOTX509_ENROLLMENT_CA_NOT_VERIFIED, "'CN=Fleet Intermediate'");
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

Test(enrollment, rejects_chain_missing_an_intermediate)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;

	world_make(&w);
	add_group(l, "fleet", w.root, 1, NULL, 0);
	/* The device under the intermediate does not send it (IoT Hub error 401002). */
	ch = th_certlist(w.d2, NULL, NULL);
	r = check(l, ch, T0, NULL);
	assert_rejected(r, IOTX509_ENROLLMENT_NOT_ENROLLED, "'CN=Fleet Intermediate'");
	assert_msg_has(iotx509_enrollment_result_get_message(r), "neither presented by the device nor held by the service");
	assert_msg_has(iotx509_enrollment_result_get_message(r), "'CN=device-02'");
	cr_assert_not(iotx509_enrollment_result_has_index(r));
	cr_assert_eq(iotx509_enrollment_result_get_index(r), 0, "no match reads as 0, never as an error code");
	cr_assert_null(iotx509_enrollment_result_get_enrollment(r));
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

Test(enrollment, rejects_chain_reaching_no_enrolled_certificate)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;

	world_make(&w);
	add_group(l, "other", w.other, 1, NULL, 0);
	ch = th_certlist(w.d1, w.root, NULL);
	r = check(l, ch, T0, NULL);
	assert_rejected(r, IOTX509_ENROLLMENT_NOT_ENROLLED, "the root 'CN=Fleet Root'");
	assert_msg_has(iotx509_enrollment_result_get_message(r), "no enrollment group holds");
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);

	/* Without the root presented, the path ends at the device itself. */
	ch = th_certlist(w.d1, NULL, NULL);
	r = check(l, ch, T0, NULL);
	assert_rejected(r, IOTX509_ENROLLMENT_NOT_ENROLLED, "whose issuer 'CN=Fleet Root'");
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_enrollment_list_free(l);

	/* A service with no enrollment at all. */
	l = new_list();
	ch = th_certlist(w.d1, w.root, NULL);
	r = check(l, ch, T0, NULL);
	assert_rejected(r, IOTX509_ENROLLMENT_NOT_ENROLLED, "registration ID 'device-01'");
	assert_msg_has(iotx509_enrollment_result_get_message(r), "no enrollment group");
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

Test(enrollment, rejects_cn_differing_from_registration_id)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;

	world_make(&w);
	add_group(l, "fleet", w.root, 1, NULL, 0);
	ch = th_certlist(w.d1, NULL, NULL);
	r = check(l, ch, T0, "device-99");
	assert_rejected(r, IOTX509_ENROLLMENT_CN_MISMATCH, "'device-99'");
	assert_msg_has(iotx509_enrollment_result_get_message(r), "CN 'device-01'");
	cr_assert_str_eq(iotx509_enrollment_result_get_registration_id(r), "device-99");
	cr_assert_eq(iotx509_enrollment_result_get_cert(r) != NULL, 1);
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

Test(enrollment, rejects_invalid_registration_id)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_issue_options o = at_opts(T0 - DAY, 365);
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;
	iotx509_cert *upper = NULL;

	world_make(&w);
	add_group(l, "fleet", w.root, 1, NULL, 0);
	/* Issued under the permissive policy; DPS registration IDs are lower case. */
	o.id_policy = IOTX509_ID_POLICY_ANY;
	cr_assert_eq(iotx509_issue_device(&upper, w.ri, w.dk, "Device-Upper", &o), 0, "%s", th_err());
	ch = th_certlist(upper, NULL, NULL);
	r = check(l, ch, T0, NULL);
	assert_rejected(r, IOTX509_ENROLLMENT_REGISTRATION_ID_INVALID, "'Device-Upper'");
	assert_msg_has(iotx509_enrollment_result_get_message(r), "invalid");
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);

	/* A given ID is checked before it is compared with the CN. */
	ch = th_certlist(w.d1, NULL, NULL);
	r = check(l, ch, T0, "bad id!");
	assert_rejected(r, IOTX509_ENROLLMENT_REGISTRATION_ID_INVALID, "'bad id!'");
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_cert_free(upper);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

Test(enrollment, rejects_expired_device_and_names_it)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;

	world_make(&w);
	add_group(l, "fleet", w.root, 1, NULL, 0);
	ch = th_certlist(w.d1, NULL, NULL);
	r = check(l, ch, T0 + 400 * DAY, NULL);
	assert_rejected(r, IOTX509_ENROLLMENT_EXPIRED, "'CN=device-01'");
	assert_msg_has(iotx509_enrollment_result_get_message(r), "expired");
	cr_assert_str_eq(iotx509_cert_get_subject_cn(iotx509_enrollment_result_get_cert(r)), "device-01");
	cr_assert_eq(iotx509_enrollment_result_get_verify_status(r), IOTX509_VERIFY_EXPIRED);
	cr_assert_eq(iotx509_enrollment_result_get_index(r), 0);
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

Test(enrollment, rejects_expired_intermediate_and_names_it)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_issue_options o = at_opts(T0 - DAY, 30);
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;
	iotx509_cert *short_inter = NULL;

	world_make(&w);
	/* The same intermediate (name and key) re-issued for 30 days: the
	 * device, issued under the 365-day one, also chains to this one. */
	cr_assert_eq(iotx509_issue_intermediate(&short_inter, w.ri, w.ik, "Fleet Intermediate", &o), 0, "%s", th_err());
	add_group(l, "fleet", w.root, 1, NULL, 0);
	ch = th_certlist(w.d2, short_inter, NULL);
	r = check(l, ch, T0 + 60 * DAY, NULL);
	assert_rejected(r, IOTX509_ENROLLMENT_EXPIRED, "'CN=Fleet Intermediate'");
	cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(iotx509_enrollment_result_get_cert(r)),
			 iotx509_cert_get_thumbprint_sha256(short_inter));
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_cert_free(short_inter);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

Test(enrollment, rejects_not_yet_valid)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;

	world_make(&w);
	add_group(l, "fleet", w.root, 1, NULL, 0);
	ch = th_certlist(w.d1, NULL, NULL);
	r = check(l, ch, T0 - 3 * DAY, NULL);
	assert_rejected(r, IOTX509_ENROLLMENT_NOT_YET_VALID, "'CN=device-01'");
	assert_msg_has(iotx509_enrollment_result_get_message(r), "not valid before");
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

Test(enrollment, rejects_pathlen_exceeded)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_issue_options o = at_opts(T0 - 2 * DAY, 3650);
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;
	iotx509_cert *strict_root = NULL;

	world_make(&w);
	/* The root re-issued with its own key and pathlen 0: the intermediate
	 * below it breaks its constraint. */
	o.has_pathlen = 1;
	o.pathlen = 0;
	cr_assert_eq(iotx509_issue_root(&strict_root, w.rk, "Fleet Root", &o), 0, "%s", th_err());
	add_group(l, "strict", strict_root, 1, NULL, 0);
	/* The device presents the original root: the service uses the
	 * certificate it holds, which has the same name and key. */
	ch = th_certlist(w.d2, w.inter, w.root);
	r = check(l, ch, T0, NULL);
	assert_rejected(r, IOTX509_ENROLLMENT_PATHLEN_EXCEEDED, "'CN=Fleet Root'");
	assert_msg_has(iotx509_enrollment_result_get_message(r), "pathLenConstraint");
	cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(iotx509_enrollment_result_get_cert(r)),
			 iotx509_cert_get_thumbprint_sha256(strict_root));
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_cert_free(strict_root);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

Test(enrollment, rejects_leaf_without_client_auth)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_issue_options o = at_opts(T0 - DAY, 365);
	iotx509_strlist *dns = th_strlist("gw.example.com", NULL);
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;
	iotx509_cert *server = NULL;

	world_make(&w);
	o.dns_names = dns;
	cr_assert_eq(iotx509_issue_server(&server, w.ri, w.dk, "device-srv", &o), 0, "%s", th_err());
	add_group(l, "fleet", w.root, 1, NULL, 0);
	ch = th_certlist(server, NULL, NULL);
	r = check(l, ch, T0, NULL);
	assert_rejected(r, IOTX509_ENROLLMENT_CLIENT_AUTH_MISSING, "'CN=device-srv'");
	assert_msg_has(iotx509_enrollment_result_get_message(r), "clientAuth");
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_cert_free(server);
	iotx509_enrollment_list_free(l);
	world_free(&w);
	iotx509_strlist_free(dns);
}

Test(enrollment, rejects_path_with_bad_signature_as_chain_invalid)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;
	iotx509_cert *forged = NULL;
	iotx509_buf der = IOTX509_BUF_INIT;

	world_make(&w);
	/* Flip a bit of the signature of the device certificate. */
	cr_assert_eq(iotx509_cert_export_der(&der, w.d1), 0);
	der.data[der.size - 3] ^= 0x01;
	cr_assert_eq(iotx509_cert_import(&forged, der.data, der.size), 0, "%s", th_err());
	iotx509_buf_dispose(&der);
	add_group(l, "fleet", w.root, 1, NULL, 0);
	ch = th_certlist(forged, w.root, NULL);
	r = check(l, ch, T0, NULL);
	/* The path is found by name; GnuTLS then finds the signature bad. */
	assert_rejected(r, IOTX509_ENROLLMENT_CHAIN_INVALID, "does not verify with the key of 'CN=Fleet Root'");
	cr_assert_eq(iotx509_enrollment_result_get_verify_status(r), IOTX509_VERIFY_BAD_SIGNATURE);
	assert_msg_has(iotx509_enrollment_result_get_message(r), "CN=device-01");
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_cert_free(forged);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

/* ---- individual enrollments -------------------------------------------- */

Test(enrollment, individual_accepts_primary_and_secondary_certificates)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;

	world_make(&w);
	add_individual(l, NULL, w.ss, NULL, w.ss2, NULL);
	cr_assert_str_eq(iotx509_enrollment_get_name(iotx509_enrollment_list_get(l, 0)), "device-ss",
			 "the registration ID is taken from the certificate");
	ch = th_certlist(w.ss, NULL, NULL);
	r = check(l, ch, T0, NULL);
	assert_accepted(r, 0, IOTX509_ENROLLMENT_PRIMARY);
	cr_assert_eq(iotx509_enrollment_get_type(iotx509_enrollment_result_get_enrollment(r)),
		     IOTX509_ENROLLMENT_INDIVIDUAL);
	assert_msg_has(iotx509_enrollment_result_get_message(r), "individual enrollment 'device-ss'");
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	ch = th_certlist(w.ss2, NULL, NULL);
	r = check(l, ch, T0, NULL);
	assert_accepted(r, 0, IOTX509_ENROLLMENT_SECONDARY);
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

Test(enrollment, individual_accepts_sha1_and_sha256_thumbprints)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;
	char sha1[128];
	size_t i, n = 0;
	const char *t;

	world_make(&w);
	/* The SHA-1 as openssl prints it: lower case with colons. */
	for (t = iotx509_cert_get_thumbprint_sha1(w.ss), i = 0; t[i]; i++) {
		if (i && i % 2 == 0)
			sha1[n++] = ':';
		sha1[n++] = (char)(t[i] >= 'A' && t[i] <= 'F' ? t[i] - 'A' + 'a' : t[i]);
	}
	sha1[n] = '\0';
	add_individual(l, "device-ss", NULL, sha1, NULL, iotx509_cert_get_thumbprint_sha256(w.ss2));
	cr_assert_str_eq(iotx509_enrollment_get_thumbprint(iotx509_enrollment_list_get(l, 0), IOTX509_ENROLLMENT_PRIMARY),
			 iotx509_cert_get_thumbprint_sha1(w.ss), "thumbprints are normalised");
	ch = th_certlist(w.ss, NULL, NULL);
	r = check(l, ch, T0, NULL);
	assert_accepted(r, 0, IOTX509_ENROLLMENT_PRIMARY);
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	ch = th_certlist(w.ss2, NULL, NULL);
	r = check(l, ch, T0, NULL);
	assert_accepted(r, 0, IOTX509_ENROLLMENT_SECONDARY);
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

Test(enrollment, individual_accepts_ca_signed_device_without_any_group)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;

	world_make(&w);
	add_individual(l, NULL, w.d2, NULL, NULL, NULL);
	ch = th_certlist(w.d2, NULL, NULL);
	r = check(l, ch, T0, NULL);
	assert_accepted(r, 0, IOTX509_ENROLLMENT_PRIMARY);
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

Test(enrollment, rejects_thumbprint_matching_neither_slot)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;

	world_make(&w);
	add_individual(l, "device-ss", NULL, iotx509_cert_get_thumbprint_sha1(w.d1), w.d2, NULL);
	ch = th_certlist(w.ss, NULL, NULL);
	r = check(l, ch, T0, NULL);
	assert_rejected(r, IOTX509_ENROLLMENT_THUMBPRINT_MISMATCH, "individual enrollment 'device-ss'");
	assert_msg_has(iotx509_enrollment_result_get_message(r), iotx509_cert_get_thumbprint_sha1(w.ss));
	assert_msg_has(iotx509_enrollment_result_get_message(r), iotx509_cert_get_thumbprint_sha1(w.d1));
	assert_msg_has(iotx509_enrollment_result_get_message(r), "'CN=device-02'");
	cr_assert_eq(iotx509_enrollment_result_get_index(r), 0);
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

Test(enrollment, individual_enrollment_decides_before_groups)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;

	world_make(&w);
	/* The group would accept device-01, but its individual enrollment
	 * holds other certificates: the service refuses it. */
	add_group(l, "fleet", w.root, 1, NULL, 0);
	add_individual(l, "device-01", NULL, iotx509_cert_get_thumbprint_sha1(w.ss), NULL, NULL);
	ch = th_certlist(w.d1, NULL, NULL);
	r = check(l, ch, T0, NULL);
	assert_rejected(r, IOTX509_ENROLLMENT_THUMBPRINT_MISMATCH, "'device-01'");
	cr_assert_eq(iotx509_enrollment_result_get_index(r), 1);
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);

	/* An individual enrollment of another device does not get in the way. */
	ch = th_certlist(w.d2, w.inter, NULL);
	r = check(l, ch, T0, NULL);
	assert_accepted(r, 0, IOTX509_ENROLLMENT_PRIMARY);
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

Test(enrollment, individual_rejects_expired_certificate)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;

	world_make(&w);
	add_individual(l, NULL, w.ss, NULL, NULL, NULL);
	ch = th_certlist(w.ss, NULL, NULL);
	r = check(l, ch, T0 + 365 * DAY, NULL);
	assert_rejected(r, IOTX509_ENROLLMENT_EXPIRED, "'CN=device-ss'");
	assert_msg_has(iotx509_enrollment_result_get_message(r), "primary certificate of individual enrollment");
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

/* ---- the model's own errors -------------------------------------------- */

Test(enrollment, model_errors_have_codes_and_messages)
{
	world w;
	iotx509_enrollment *g = NULL, *ind = NULL;
	iotx509_enrollment_list *l = new_list();
	iotx509_certlist *empty = NULL;
	iotx509_enrollment_result *r = NULL;
	iotx509_enrollment_check_options o = IOTX509_ENROLLMENT_CHECK_OPTIONS_INIT;

	world_make(&w);
	cr_assert_eq(iotx509_enrollment_new(&g, (iotx509_enrollment_type)7, NULL), IOTX509_EINVAL);
	assert_msg_has(th_err(), "unknown type");
	cr_assert_eq(iotx509_enrollment_new(&g, IOTX509_ENROLLMENT_GROUP, ""), IOTX509_EINVAL);
	cr_assert_eq(iotx509_enrollment_new(&g, IOTX509_ENROLLMENT_GROUP, "g"), 0);
	cr_assert_eq(iotx509_enrollment_new(&ind, IOTX509_ENROLLMENT_INDIVIDUAL, NULL), 0);

	cr_assert_eq(iotx509_enrollment_set_thumbprint(g, IOTX509_ENROLLMENT_PRIMARY,
						       iotx509_cert_get_thumbprint_sha1(w.root)),
		     IOTX509_EINVAL);
	assert_msg_has(th_err(), "enrollment groups hold signing certificates, not thumbprints");
	cr_assert_eq(iotx509_enrollment_set_thumbprint(ind, IOTX509_ENROLLMENT_PRIMARY, "ABCD"), IOTX509_EINVAL);
	assert_msg_has(th_err(), "'ABCD' is neither a SHA-1");
	cr_assert_eq(iotx509_enrollment_set_thumbprint(ind, IOTX509_ENROLLMENT_PRIMARY,
						       "ZZ00000000000000000000000000000000000000"),
		     IOTX509_EINVAL);
	cr_assert_eq(th_enrollment_set_cert(ind, IOTX509_ENROLLMENT_PRIMARY, w.ss, 1),
		     IOTX509_EINVAL);
	assert_msg_has(th_err(), "only the signing certificates of enrollment groups are verified");
	cr_assert_eq(iotx509_enrollment_set_cert(g, (iotx509_enrollment_slot)2, w.root), IOTX509_EINVAL);
	assert_msg_has(th_err(), "unknown slot");
	cr_assert_eq(iotx509_enrollment_set_verified(g, IOTX509_ENROLLMENT_SECONDARY, 1), IOTX509_EINVAL);
	assert_msg_has(th_err(), "no certificate in the secondary slot to mark verified");

	cr_assert_eq(iotx509_enrollment_list_add(l, g), IOTX509_EINVAL, "an empty enrollment is refused");
	assert_msg_has(th_err(), "enrollment group 'g' has neither a primary nor a secondary");
	cr_assert_eq(iotx509_enrollment_set_ref(g, IOTX509_ENROLLMENT_PRIMARY, "/nonexistent/root.pem"),
		     IOTX509_ENOTFOUND);
	assert_msg_has(th_err(), "/nonexistent/root.pem: no such file");
	cr_assert_eq(iotx509_enrollment_set_ref(ind, IOTX509_ENROLLMENT_PRIMARY, "not-a-file-nor-thumbprint"),
		     IOTX509_ENOTFOUND);
	assert_msg_has(th_err(), "not a SHA-1 or SHA-256 thumbprint");

	cr_assert_eq(iotx509_enrollment_check(NULL, l, NULL, NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_certlist_new(&empty), 0);
	cr_assert_eq(iotx509_enrollment_check(&r, l, empty, NULL), IOTX509_EINVAL);
	assert_msg_has(th_err(), "presents no certificate");
	cr_assert_null(r);
	o.version = 99;
	cr_assert_eq(iotx509_enrollment_check(&r, l, empty, &o), IOTX509_EINVAL);
	assert_msg_has(th_err(), "unsupported version 99");
	cr_assert_eq(iotx509_enrollment_check_options_init(&o, 99), IOTX509_EINVAL);
	cr_assert_eq(iotx509_enrollment_check_options_init(&o, IOTX509_ENROLLMENT_CHECK_OPTIONS_VERSION), 0);
	cr_assert_eq(o.id_policy, IOTX509_ID_POLICY_DPS);

	/* NULL-safe accessors and frees. */
	cr_assert_eq(iotx509_enrollment_list_count(NULL), 0);
	cr_assert_null(iotx509_enrollment_list_get(l, 5));
	cr_assert_null(iotx509_enrollment_get_cert(g, IOTX509_ENROLLMENT_SECONDARY));
	cr_assert_null(iotx509_enrollment_get_thumbprint(g, IOTX509_ENROLLMENT_SECONDARY));
	cr_assert_not(iotx509_enrollment_result_has_index(NULL));
	cr_assert_eq(iotx509_enrollment_result_get_index(NULL), 0);
	cr_assert_str_eq(iotx509_enrollment_result_get_message(NULL), "");
	iotx509_enrollment_free(NULL);
	iotx509_enrollment_list_free(NULL);
	iotx509_enrollment_result_free(NULL);

	iotx509_certlist_free(empty);
	iotx509_enrollment_free(g);
	iotx509_enrollment_free(ind);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

Test(enrollment, load_takes_files_and_thumbprints)
{
	world w;
	char *dir = th_tmpdir(), *root_path, *ss_path;
	iotx509_enrollment *g = NULL, *ind = NULL;

	world_make(&w);
	root_path = th_save_cert(dir, "root.pem", w.root);
	ss_path = th_save_cert(dir, "ss.pem", w.ss);
	cr_assert_eq(iotx509_enrollment_new(&g, IOTX509_ENROLLMENT_GROUP, NULL), 0);
	cr_assert_eq(th_enrollment_load(g, IOTX509_ENROLLMENT_PRIMARY, root_path, 1), 0,
		     "%s", th_err());
	cr_assert(iotx509_enrollment_is_verified(g, IOTX509_ENROLLMENT_PRIMARY));
	cr_assert_str_eq(iotx509_cert_get_subject_cn(iotx509_enrollment_get_cert(g, IOTX509_ENROLLMENT_PRIMARY)),
			 "Fleet Root");
	cr_assert_eq(iotx509_enrollment_set_ref(g, IOTX509_ENROLLMENT_SECONDARY, iotx509_cert_get_thumbprint_sha1(w.root)),
		     IOTX509_ENOTFOUND, "groups take no thumbprints");
	cr_assert_eq(iotx509_enrollment_new(&ind, IOTX509_ENROLLMENT_INDIVIDUAL, NULL), 0);
	cr_assert_eq(iotx509_enrollment_set_ref(ind, IOTX509_ENROLLMENT_PRIMARY, ss_path), 0, "%s", th_err());
	cr_assert_eq(iotx509_enrollment_set_ref(ind, IOTX509_ENROLLMENT_SECONDARY,
					     iotx509_cert_get_thumbprint_sha256(w.ss2)),
		     0, "%s", th_err());
	cr_assert_null(iotx509_enrollment_get_cert(ind, IOTX509_ENROLLMENT_SECONDARY));
	cr_assert_str_eq(iotx509_enrollment_get_thumbprint(ind, IOTX509_ENROLLMENT_SECONDARY),
			 iotx509_cert_get_thumbprint_sha256(w.ss2));
	cr_assert_str_eq(iotx509_enrollment_get_name(ind), "device-ss");
	iotx509_enrollment_free(g);
	iotx509_enrollment_free(ind);
	free(root_path);
	free(ss_path);
	th_rmrf(dir);
	free(dir);
	world_free(&w);
}

Test(enrollment, reason_names_and_texts)
{
	cr_assert_str_eq(iotx509_enrollment_reason_name(IOTX509_ENROLLMENT_ACCEPTED), "accepted");
	cr_assert_str_eq(iotx509_enrollment_reason_name(IOTX509_ENROLLMENT_CA_NOT_VERIFIED), "ca-not-verified");
	cr_assert_str_eq(iotx509_enrollment_reason_name(IOTX509_ENROLLMENT_CHAIN_INVALID), "chain-invalid");
	cr_assert_str_eq(iotx509_enrollment_reason_name((iotx509_enrollment_reason)99), "unknown");
	cr_assert_str_eq(iotx509_enrollment_reason_description((iotx509_enrollment_reason)99), "unknown enrollment check outcome");
	cr_assert_str_eq(iotx509_strerror(IOTX509_EREJECTED), "the provisioning service would reject the device");
}

/* ---- the foreign fixtures, at the time they are valid ------------------- */

static iotx509_certlist *load_chain(const char *rel, const char *bundle_rel)
{
	iotx509_certlist *l = NULL;

	cr_assert_eq(iotx509_certlist_new(&l), 0);
	cr_assert_eq(iotx509_certlist_add_path(l, th_fixture(rel)), 0, "%s", th_err());
	if (bundle_rel)
		cr_assert_eq(iotx509_certlist_add_path(l, th_fixture(bundle_rel)), 0, "%s", th_err());
	return l;
}

Test(enrollment, fixtures_create_test_cert_group_and_individual)
{
	iotx509_enrollment_list *l = new_list();
	iotx509_enrollment *g = NULL, *ind = NULL;
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;

	cr_assert_eq(iotx509_enrollment_new(&g, IOTX509_ENROLLMENT_GROUP, "node-sdk"), 0);
	cr_assert_eq(th_enrollment_load(g, IOTX509_ENROLLMENT_PRIMARY,
					     th_fixture("create_test_cert/mytestrootcert_cert.pem"),
					     1),
		     0, "%s", th_err());
	cr_assert_eq(iotx509_enrollment_list_add(l, g), 0);
	cr_assert_eq(iotx509_enrollment_new(&ind, IOTX509_ENROLLMENT_INDIVIDUAL, NULL), 0);
	cr_assert_eq(iotx509_enrollment_set_ref(ind, IOTX509_ENROLLMENT_PRIMARY,
					     th_fixture("create_test_cert/mytestselfcertprimary_cert.pem")),
		     0, "%s", th_err());
	cr_assert_eq(iotx509_enrollment_list_add(l, ind), 0);

	/* The fullchain with its stray "null" line, as the script wrote it. */
	ch = load_chain("create_test_cert/sampleDevice01_fullchain.pem", NULL);
	r = check(l, ch, TH_FIXTURE_TIME, "sample-device-01");
	assert_accepted(r, 0, IOTX509_ENROLLMENT_PRIMARY);
	iotx509_enrollment_result_free(r);
	/* A day later the fixtures have expired. */
	r = check(l, ch, TH_FIXTURE_TIME + 2 * DAY, NULL);
	assert_rejected(r, IOTX509_ENROLLMENT_EXPIRED, "expired");
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);

	ch = load_chain("create_test_cert/mytestselfcertprimary_cert.pem", NULL);
	r = check(l, ch, TH_FIXTURE_TIME, NULL);
	assert_accepted(r, 1, IOTX509_ENROLLMENT_PRIMARY);
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);

	/* The verification certificate is a leaf under the root too, but its CN
	 * "1234ABCD" is not a registration ID. */
	ch = load_chain("create_test_cert/verification_cert.pem", NULL);
	r = check(l, ch, TH_FIXTURE_TIME, NULL);
	assert_rejected(r, IOTX509_ENROLLMENT_REGISTRATION_ID_INVALID, "'1234ABCD'");
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);

	iotx509_enrollment_free(g);
	iotx509_enrollment_free(ind);
	iotx509_enrollment_list_free(l);
}

Test(enrollment, fixtures_certgen_device_needs_its_intermediate)
{
	iotx509_enrollment_list *l = new_list();
	iotx509_enrollment *g = NULL;
	iotx509_certlist *ch;
	iotx509_enrollment_result *r;

	cr_assert_eq(iotx509_enrollment_new(&g, IOTX509_ENROLLMENT_GROUP, "c-sdk"), 0);
	cr_assert_eq(th_enrollment_load(g, IOTX509_ENROLLMENT_PRIMARY,
					     th_fixture("certgen_sh/azure-iot-test-only.root.ca.cert.pem"),
					     1),
		     0, "%s", th_err());
	cr_assert_eq(iotx509_enrollment_list_add(l, g), 0);

	ch = load_chain("certgen_sh/new-device.cert.pem", "certgen_sh/azure-iot-test-only.chain.ca.cert.pem");
	r = check(l, ch, TH_FIXTURE_TIME, NULL);
	assert_accepted(r, 0, IOTX509_ENROLLMENT_PRIMARY);
	cr_assert_eq(iotx509_certlist_count(iotx509_enrollment_result_get_path(r)), 3);
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);

	ch = load_chain("certgen_sh/new-device.cert.pem", NULL);
	r = check(l, ch, TH_FIXTURE_TIME, NULL);
	assert_rejected(r, IOTX509_ENROLLMENT_NOT_ENROLLED, "'CN=Azure IoT Hub Intermediate Cert Test Only'");
	iotx509_enrollment_result_free(r);
	iotx509_certlist_free(ch);

	iotx509_enrollment_free(g);
	iotx509_enrollment_list_free(l);
}

Test(enrollment, zero_filled_options_are_the_defaults)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_certlist *ch;
	iotx509_enrollment_check_options z, init = IOTX509_ENROLLMENT_CHECK_OPTIONS_INIT;
	iotx509_enrollment_result *a = NULL, *b = NULL;

	world_make(&w);
	add_group(l, "fleet", w.root, 1, NULL, 0);
	ch = th_certlist(w.d1, NULL, NULL);
	TH_ZERO_OPTIONS(z, IOTX509_ENROLLMENT_CHECK_OPTIONS_VERSION);
	z.at = init.at = T0;
	cr_assert_eq(iotx509_enrollment_check(&a, l, ch, &z), 0, "%s", th_err());
	cr_assert_eq(iotx509_enrollment_check(&b, l, ch, &init), 0, "%s", th_err());
	assert_accepted(a, 0, IOTX509_ENROLLMENT_PRIMARY);
	assert_accepted(b, 0, IOTX509_ENROLLMENT_PRIMARY);
	cr_assert_str_eq(iotx509_enrollment_result_get_registration_id(a), "device-01", "the CN by default");
	cr_assert_str_eq(iotx509_enrollment_result_get_message(a), iotx509_enrollment_result_get_message(b));
	TH_CHECK_OPTIONS_INIT(iotx509_enrollment_check_options, iotx509_enrollment_check_options_init, IOTX509_ENROLLMENT_CHECK_OPTIONS_VERSION, "enrollment check options",
			      IOTX509_ENROLLMENT_CHECK_OPTIONS_INIT);
	iotx509_enrollment_result_free(a);
	iotx509_enrollment_result_free(b);
	iotx509_certlist_free(ch);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

Test(enrollment, options_versions_1_to_current)
{
	world w;
	iotx509_enrollment_list *l = new_list();
	iotx509_certlist *ch;
	iotx509_enrollment_check_options o = IOTX509_ENROLLMENT_CHECK_OPTIONS_INIT;
	iotx509_enrollment_result *r = NULL;

	world_make(&w);
	add_group(l, "fleet", w.root, 1, NULL, 0);
	ch = th_certlist(w.d1, NULL, NULL);
	o.version = 1;
	o.at = T0;
	cr_assert_eq(iotx509_enrollment_check(&r, l, ch, &o), 0, "%s", th_err());
	iotx509_enrollment_result_free(r);
	r = NULL;
	o.version = 0;
	th_version_refused(iotx509_enrollment_check(&r, l, ch, &o), 0);
	o.version = IOTX509_ENROLLMENT_CHECK_OPTIONS_VERSION + 1;
	th_version_refused(iotx509_enrollment_check(&r, l, ch, &o), IOTX509_ENROLLMENT_CHECK_OPTIONS_VERSION + 1);
	cr_assert_null(r);
	iotx509_certlist_free(ch);
	iotx509_enrollment_list_free(l);
	world_free(&w);
}

/* An enrollment taken from a list lives on after the list is freed, and
 * is the copy's own: changing it leaves the list's alone. */
Test(enrollment, dup_outlives_the_list_and_is_independent)
{
	world w;
	iotx509_enrollment *g = NULL, *d = NULL;
	iotx509_enrollment_list *list = NULL;

	world_make(&w);
	cr_assert_eq(iotx509_enrollment_new(&g, IOTX509_ENROLLMENT_GROUP, "fleet"), 0);
	cr_assert_eq(th_enrollment_set_cert(g, IOTX509_ENROLLMENT_PRIMARY, w.root, 1), 0);
	cr_assert_eq(iotx509_enrollment_list_new(&list), 0);
	cr_assert_eq(iotx509_enrollment_list_add(list, g), 0, "%s", th_err());
	cr_assert_eq(iotx509_enrollment_dup(&d, iotx509_enrollment_list_get(list, 0)), 0);
	iotx509_enrollment_list_free(list);
	cr_assert_str_eq(iotx509_enrollment_get_name(d), "fleet");
	cr_assert_eq(iotx509_enrollment_get_type(d), IOTX509_ENROLLMENT_GROUP);
	cr_assert(iotx509_enrollment_is_verified(d, IOTX509_ENROLLMENT_PRIMARY));
	cr_assert_str_eq(iotx509_cert_get_subject_cn(iotx509_enrollment_get_cert(d, IOTX509_ENROLLMENT_PRIMARY)),
			 "Fleet Root");
	cr_assert_eq(iotx509_enrollment_set_cert(d, IOTX509_ENROLLMENT_SECONDARY, w.inter), 0);
	cr_assert_null(iotx509_enrollment_get_cert(g, IOTX509_ENROLLMENT_SECONDARY));
	cr_assert_eq(iotx509_enrollment_dup(NULL, g), IOTX509_EINVAL);
	iotx509_enrollment_free(d);
	iotx509_enrollment_free(g);
	world_free(&w);
}

Test(enrollment, set_verified_marks_a_group_slot_and_set_cert_clears_the_mark)
{
	world w;
	iotx509_enrollment *g = NULL, *ind = NULL;

	world_make(&w);
	cr_assert_eq(iotx509_enrollment_new(&g, IOTX509_ENROLLMENT_GROUP, "fleet"), 0);
	cr_assert_eq(iotx509_enrollment_set_verified(g, IOTX509_ENROLLMENT_PRIMARY, 1), IOTX509_EINVAL, "empty slot");
	assert_msg_has(th_err(), "no certificate in the primary slot");
	cr_assert_eq(iotx509_enrollment_set_cert(g, IOTX509_ENROLLMENT_PRIMARY, w.root), 0, "%s", th_err());
	cr_assert_not(iotx509_enrollment_is_verified(g, IOTX509_ENROLLMENT_PRIMARY), "a new certificate is not verified");
	cr_assert_eq(iotx509_enrollment_set_verified(g, IOTX509_ENROLLMENT_PRIMARY, 1), 0, "%s", th_err());
	cr_assert(iotx509_enrollment_is_verified(g, IOTX509_ENROLLMENT_PRIMARY));
	cr_assert_not(iotx509_enrollment_is_verified(g, IOTX509_ENROLLMENT_SECONDARY));
	cr_assert_eq(iotx509_enrollment_set_verified(g, IOTX509_ENROLLMENT_PRIMARY, 0), 0, "%s", th_err());
	cr_assert_not(iotx509_enrollment_is_verified(g, IOTX509_ENROLLMENT_PRIMARY), "0 clears the mark");
	cr_assert_eq(iotx509_enrollment_set_verified(g, IOTX509_ENROLLMENT_PRIMARY, 1), 0, "%s", th_err());
	cr_assert_eq(iotx509_enrollment_set_cert(g, IOTX509_ENROLLMENT_PRIMARY, w.inter), 0, "%s", th_err());
	cr_assert_not(iotx509_enrollment_is_verified(g, IOTX509_ENROLLMENT_PRIMARY), "replacing the certificate clears it");
	cr_assert_eq(iotx509_enrollment_set_verified(g, (iotx509_enrollment_slot)2, 1), IOTX509_EINVAL);
	cr_assert_eq(iotx509_enrollment_set_verified(NULL, IOTX509_ENROLLMENT_PRIMARY, 1), IOTX509_EINVAL);
	cr_assert_eq(iotx509_enrollment_new(&ind, IOTX509_ENROLLMENT_INDIVIDUAL, NULL), 0);
	cr_assert_eq(iotx509_enrollment_set_cert(ind, IOTX509_ENROLLMENT_PRIMARY, w.ss), 0, "%s", th_err());
	cr_assert_eq(iotx509_enrollment_set_verified(ind, IOTX509_ENROLLMENT_PRIMARY, 1), IOTX509_EINVAL);
	assert_msg_has(th_err(), "only the signing certificates of enrollment groups are verified");
	cr_assert_eq(iotx509_enrollment_set_verified(ind, IOTX509_ENROLLMENT_PRIMARY, 0), 0, "%s", th_err());
	iotx509_enrollment_free(g);
	iotx509_enrollment_free(ind);
	world_free(&w);
}
