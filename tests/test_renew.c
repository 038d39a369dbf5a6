/*
 * Renewing certificates and rolling CAs: same CN, new serial and validity,
 * same or new key, same or new issuer; the roll plan; and the roll of a
 * root end to end through the enrollment check (old and new devices both
 * accepted while both roots are enrolled, old devices refused once the old
 * root is retired). Fixed times throughout.
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

static iotx509_renew_options renew_at(int64_t now, unsigned int flags)
{
	iotx509_renew_options o = IOTX509_RENEW_OPTIONS_INIT;

	o.at = now;
	o.flags = flags;
	return o;
}

/* A credential: a root (parent NULL) or a device under @parent, issued at @now. */
static iotx509_credential *make_root(const char *cn, int64_t now, unsigned int days)
{
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_key *k = NULL;
	iotx509_cert *c = NULL;
	iotx509_credential *cred = NULL;

	o.at = now;
	o.days = days;
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_root(&c, k, cn, &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_credential_new(&cred, c, k, NULL, NULL), 0, "%s", th_err());
	iotx509_cert_free(c);
	iotx509_key_free(k);
	return cred;
}

static iotx509_credential *make_device(const iotx509_credential *parent, const char *cn, iotx509_key_type type,
				       int64_t now, unsigned int days)
{
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_key *k = NULL;
	iotx509_cert *c = NULL;
	iotx509_issuer *is = NULL;
	iotx509_credential *cred = NULL;

	o.at = now;
	o.days = days;
	cr_assert_eq(iotx509_key_generate(&k, type), 0);
	if (parent) {
		cr_assert_eq(iotx509_issuer_new_from_credential(&is, parent),
			     0, "%s", th_err());
		cr_assert_eq(iotx509_issue_device(&c, is, k, cn, &o), 0, "%s", th_err());
	} else {
		cr_assert_eq(iotx509_issue_device_self_signed(&c, k, cn, &o), 0, "%s", th_err());
	}
	cr_assert_eq(iotx509_credential_new(&cred, c, k, parent ? iotx509_credential_get_chain(parent) : NULL, NULL), 0,
		     "%s", th_err());
	iotx509_issuer_free(is);
	iotx509_cert_free(c);
	iotx509_key_free(k);
	return cred;
}

static iotx509_credential *renew(const iotx509_credential *old, const iotx509_credential *parent, int64_t now,
				 unsigned int flags)
{
	iotx509_renew_options o = renew_at(now, flags);
	iotx509_credential *out = NULL;

	cr_assert_eq(iotx509_renew_credential(&out, old, parent, &o, NULL), 0, "%s", th_err());
	return out;
}

/* Verify @cred's chain against @anchor at @at as a device. */
static iotx509_verify_status verify_under(const iotx509_credential *cred, const iotx509_cert *anchor, int64_t at)
{
	iotx509_certlist *anchors = NULL;
	iotx509_verify_options vo = IOTX509_VERIFY_OPTIONS_INIT;
	iotx509_verify_status st;

	vo.at = at;
	vo.flags = IOTX509_VERIFY_DEVICE;
	cr_assert_eq(iotx509_certlist_new(&anchors), 0);
	cr_assert_eq(iotx509_certlist_add(anchors, anchor), 0);
	cr_assert_eq(iotx509_chain_verify(&st, iotx509_credential_get_chain(cred), anchors, &vo), 0, "%s", th_err());
	iotx509_certlist_free(anchors);
	return st;
}

#define CERT(cred) iotx509_credential_get_cert(cred)
#define SPKI(cred) iotx509_cert_get_spki_sha256(CERT(cred))

Test(renew, device_same_key_same_cn_new_serial_and_validity)
{
	iotx509_credential *root = make_root("Renew Root", T0, 3650);
	iotx509_credential *dev = make_device(root, "device-01", IOTX509_KEY_P256, T0, 365);
	iotx509_credential *renewed = renew(dev, root, T0 + 300 * DAY, 0);

	cr_assert_str_eq(iotx509_cert_get_subject_cn(CERT(renewed)), "device-01");
	cr_assert_str_neq(iotx509_cert_get_serial_hex(CERT(renewed)), iotx509_cert_get_serial_hex(CERT(dev)));
	cr_assert_str_eq(SPKI(renewed), SPKI(dev), "the key is kept");
	cr_assert_eq(iotx509_cert_get_not_before(CERT(renewed)), T0 + 300 * DAY - 300);
	cr_assert_eq(iotx509_cert_get_not_after(CERT(renewed)), T0 + 665 * DAY, "the old lifetime of 365 days");
	cr_assert(iotx509_cert_get_ext_key_usage(CERT(renewed)) & IOTX509_EKU_CLIENT_AUTH);
	cr_assert_eq(iotx509_cert_is_ca(CERT(renewed)), 0);
	cr_assert_str_eq(iotx509_cert_get_issuer_dn(CERT(renewed)), "CN=Renew Root");
	cr_assert_eq(iotx509_certlist_count(iotx509_credential_get_chain(renewed)), 2);
	cr_assert_eq(verify_under(renewed, CERT(root), T0 + 600 * DAY), IOTX509_VERIFY_OK, "%s", th_err());
	cr_assert_eq(verify_under(dev, CERT(root), T0 + 600 * DAY), IOTX509_VERIFY_EXPIRED, "the old one has expired");
	iotx509_credential_free(renewed);
	iotx509_credential_free(dev);
	iotx509_credential_free(root);
}

Test(renew, device_new_key_of_the_same_type)
{
	iotx509_credential *root = make_root("Renew Root", T0, 3650);
	iotx509_credential *dev = make_device(root, "device-rsa", IOTX509_KEY_RSA2048, T0, 30);
	iotx509_credential *renewed = renew(dev, root, T0 + 20 * DAY, IOTX509_RENEW_NEW_KEY);
	iotx509_renew_options o = renew_at(T0 + 20 * DAY, IOTX509_RENEW_NEW_KEY);
	iotx509_credential *p384 = NULL;

	cr_assert_str_neq(SPKI(renewed), SPKI(dev), "a new key");
	cr_assert_eq(iotx509_key_get_algorithm(iotx509_credential_get_key(renewed)), IOTX509_ALG_RSA);
	cr_assert_eq(iotx509_key_get_bits(iotx509_credential_get_key(renewed)), 2048);
	cr_assert_eq(iotx509_cert_check_key(CERT(renewed), iotx509_credential_get_key(renewed)), 0);
	cr_assert_eq(iotx509_cert_get_not_after(CERT(renewed)) - iotx509_cert_get_not_before(CERT(renewed)),
		     30 * DAY + 300, "30 days again");
	/* Or a key type of your choice, and a validity of your choice. */
	o.key_type = IOTX509_KEY_P384;
	o.days = 90;
	cr_assert_eq(iotx509_renew_credential(&p384, dev, root, &o, NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_key_get_bits(iotx509_credential_get_key(p384)), 384);
	cr_assert_eq(iotx509_cert_get_not_after(CERT(p384)), T0 + 110 * DAY);
	iotx509_credential_free(p384);
	iotx509_credential_free(renewed);
	iotx509_credential_free(dev);
	iotx509_credential_free(root);
}

Test(renew, device_under_a_new_issuer)
{
	iotx509_credential *root = make_root("Old Root", T0, 3650);
	iotx509_credential *root2 = make_root("New Root", T0, 3650);
	iotx509_credential *dev = make_device(root, "device-01", IOTX509_KEY_P256, T0, 365);
	iotx509_credential *moved = renew(dev, root2, T0 + DAY, 0);

	cr_assert_str_eq(iotx509_cert_get_issuer_dn(CERT(moved)), "CN=New Root");
	cr_assert_str_eq(iotx509_cert_get_subject_cn(CERT(moved)), "device-01");
	cr_assert_eq(verify_under(moved, CERT(root2), T0 + 2 * DAY), IOTX509_VERIFY_OK, "%s", th_err());
	cr_assert_eq(verify_under(moved, CERT(root), T0 + 2 * DAY), IOTX509_VERIFY_UNKNOWN_ISSUER);
	iotx509_credential_free(moved);
	iotx509_credential_free(dev);
	iotx509_credential_free(root);
	iotx509_credential_free(root2);
}

Test(renew, self_signed_device_and_root)
{
	iotx509_credential *ss = make_device(NULL, "device-ss", IOTX509_KEY_P256, T0, 365);
	iotx509_credential *root = make_root("Renew Root", T0, 3650);
	iotx509_credential *ss2 = renew(ss, NULL, T0 + DAY, 0);
	iotx509_credential *root2 = renew(root, NULL, T0 + DAY, 0);
	iotx509_credential *dev = make_device(root, "device-01", IOTX509_KEY_P256, T0, 365);

	cr_assert(iotx509_cert_is_self_signed(CERT(ss2)));
	cr_assert_eq(iotx509_cert_is_ca(CERT(ss2)), 0);
	cr_assert(iotx509_cert_is_self_signed(CERT(root2)));
	cr_assert(iotx509_cert_is_ca(CERT(root2)));
	cr_assert_str_eq(iotx509_cert_get_subject_cn(CERT(root2)), "Renew Root");
	cr_assert_eq(iotx509_cert_get_not_after(CERT(root2)), T0 + DAY + 3650 * DAY);
	/* Same name and key: what the old root issued verifies under the renewed one. */
	cr_assert_eq(verify_under(dev, CERT(root2), T0 + 2 * DAY), IOTX509_VERIFY_OK, "%s", th_err());
	iotx509_credential_free(dev);
	iotx509_credential_free(ss2);
	iotx509_credential_free(root2);
	iotx509_credential_free(ss);
	iotx509_credential_free(root);
}

Test(renew, intermediate_keeps_its_pathlen)
{
	iotx509_credential *root = make_root("Renew Root", T0, 3650);
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_issuer *ri = NULL;
	iotx509_key *k = NULL;
	iotx509_cert *inter = NULL, *renewed = NULL;
	iotx509_renew_options ro = renew_at(T0 + DAY, 0);

	o.at = T0;
	o.has_pathlen = 1;
	o.pathlen = 1;
	cr_assert_eq(iotx509_issuer_new_from_credential(&ri, root), 0);
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_intermediate(&inter, ri, k, "Renew Intermediate", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_renew_cert(&renewed, inter, ri, k, &ro), 0, "%s", th_err());
	cr_assert(iotx509_cert_is_ca(renewed));
	cr_assert_eq(iotx509_cert_get_pathlen(renewed), 1);
	cr_assert_str_eq(iotx509_cert_get_subject_cn(renewed), "Renew Intermediate");
	cr_assert_eq(iotx509_cert_get_not_after(renewed) - iotx509_cert_get_not_before(renewed), 1825 * DAY + 300);
	iotx509_cert_free(renewed);
	iotx509_cert_free(inter);
	iotx509_key_free(k);
	iotx509_issuer_free(ri);
	iotx509_credential_free(root);
}

Test(renew, errors_name_the_certificate)
{
	iotx509_credential *root = make_root("Renew Root", T0, 3650);
	iotx509_credential *dev = make_device(root, "device-01", IOTX509_KEY_P256, T0, 365);
	iotx509_credential *nokey = NULL, *out = NULL;
	iotx509_issuer *ri = NULL;
	iotx509_issue_options io = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_renew_options o = renew_at(T0 + DAY, 0);
	iotx509_cert *server = NULL, *c = NULL;
	iotx509_strlist *dns = th_strlist("gw.example.com", NULL);

	cr_assert_eq(iotx509_issuer_new_from_credential(&ri, root), 0);
	cr_assert_eq(iotx509_renew_cert(&c, CERT(dev), NULL, iotx509_credential_get_key(dev), &o), IOTX509_EINVAL);
	assert_msg_has(th_err(), "'CN=device-01' is issued by 'CN=Renew Root'");
	cr_assert_eq(iotx509_renew_cert(&c, CERT(root), ri, iotx509_credential_get_key(root), &o), IOTX509_EINVAL);
	assert_msg_has(th_err(), "'CN=Renew Root' is a self-signed root");
	io.at = T0;
	io.dns_names = dns;
	cr_assert_eq(iotx509_issue_server(&server, ri, iotx509_credential_get_key(dev), "gateway", &io), 0);
	cr_assert_eq(iotx509_renew_cert(&c, server, ri, iotx509_credential_get_key(dev), &o), IOTX509_EUNSUPPORTED);
	assert_msg_has(th_err(), "'CN=gateway' is a server certificate");
	/* The issuer must be valid at the renewal time. */
	o.at = T0 + 4000 * DAY;
	cr_assert_eq(iotx509_renew_cert(&c, CERT(dev), ri, iotx509_credential_get_key(dev), &o), IOTX509_EISSUERVALIDITY);
	assert_msg_has(th_err(), "'CN=Renew Root' expired");
	o = renew_at(T0 + DAY, 0x80);
	cr_assert_eq(iotx509_renew_cert(&c, CERT(dev), ri, iotx509_credential_get_key(dev), &o), IOTX509_EINVAL);
	assert_msg_has(th_err(), "unknown flags");
	o = renew_at(T0 + DAY, 0);
	o.days = 40000;
	cr_assert_eq(iotx509_renew_cert(&c, CERT(dev), ri, iotx509_credential_get_key(dev), &o), IOTX509_EINVAL);
	o.version = 3;
	cr_assert_eq(iotx509_renew_options_init(&o, 3), IOTX509_EINVAL);
	cr_assert_eq(iotx509_renew_cert(NULL, CERT(dev), ri, NULL, NULL), IOTX509_EINVAL);

	/* A certificate-only credential (CSR flow) has no key to keep. */
	cr_assert_eq(iotx509_credential_new(&nokey, CERT(dev), NULL, iotx509_credential_get_chain(root), NULL), 0);
	o = renew_at(T0 + DAY, 0);
	cr_assert_eq(iotx509_renew_credential(&out, nokey, root, &o, NULL), IOTX509_EINVAL);
	assert_msg_has(th_err(), "no private key to keep");
	o.flags = IOTX509_RENEW_NEW_KEY;
	cr_assert_eq(iotx509_renew_credential(&out, nokey, root, &o, NULL), IOTX509_EINVAL);
	assert_msg_has(th_err(), "choose the new key's type");
	o.flags = 0;
	{
		iotx509_credential_options co = IOTX509_CREDENTIAL_OPTIONS_INIT;

		co.version = 0;
		th_version_refused_named(iotx509_renew_credential(&out, dev, root, &o, &co), 0, "credential options");
		co.version = IOTX509_CREDENTIAL_OPTIONS_VERSION;
		co.flags = 1u << 7;
		cr_assert_eq(iotx509_renew_credential(&out, dev, root, &o, &co), IOTX509_EINVAL, "the options are read");
		assert_msg_has(th_err(), "unknown flags 0x80");
		cr_assert_null(out);
	}
	o.flags = IOTX509_RENEW_NEW_KEY;
	o.key_type = IOTX509_KEY_P256;
	cr_assert_eq(iotx509_renew_credential(&out, nokey, root, &o, NULL), 0, "%s", th_err());
	cr_assert_null(NULL);
	iotx509_credential_free(out);
	out = NULL;
	/* A parent without a key cannot issue. */
	cr_assert_eq(iotx509_renew_credential(&out, dev, nokey, &o, NULL), IOTX509_EINVAL);
	assert_msg_has(th_err(), "has no private key");

	iotx509_cert_free(server);
	iotx509_credential_free(nokey);
	iotx509_issuer_free(ri);
	iotx509_credential_free(dev);
	iotx509_credential_free(root);
	iotx509_strlist_free(dns);
}

Test(renew, plan_names_both_cas_and_the_steps)
{
	iotx509_credential *old = make_root("Fleet Root", T0, 3650);
	iotx509_credential *new_key = renew(old, NULL, T0 + DAY, IOTX509_RENEW_NEW_KEY);
	iotx509_credential *same_key = renew(old, NULL, T0 + DAY, 0);
	iotx509_credential *dev = make_device(old, "device-01", IOTX509_KEY_P256, T0, 365);
	iotx509_buf plan = IOTX509_BUF_INIT;
	const char *p;

	cr_assert_eq(iotx509_renew_plan(&plan, CERT(old), CERT(new_key), "fleet-root", "fleet-root-2"), 0, "%s",
		     th_err());
	p = (const char *)plan.data;
	assert_msg_has(p, iotx509_cert_get_thumbprint_sha1(CERT(old)));
	assert_msg_has(p, iotx509_cert_get_thumbprint_sha1(CERT(new_key)));
	assert_msg_has(p, "1. Add fleet-root-2_cert.pem to the enrollment group as its secondary");
	assert_msg_has(p, "2. Verify it (proof of possession)");
	assert_msg_has(p, "--ca fleet-root-2_cert.pem --key fleet-root-2_key.pem --nonce CODE");
	assert_msg_has(p, "3. Re-issue every device under the new CA (iotx509 renew DEVICE fleet-root-2)");
	assert_msg_has(p, "--group fleet-root_cert.pem:verified --group-secondary fleet-root-2_cert.pem:verified");
	assert_msg_has(p, "4. Promote fleet-root-2_cert.pem to primary");
	assert_msg_has(p, "5. Retire fleet-root_cert.pem once every device has moved");
	cr_assert_eq(p[plan.size - 1], '\n');
	iotx509_buf_dispose(&plan);

	cr_assert_eq(iotx509_renew_plan(&plan, CERT(old), CERT(same_key), NULL, NULL), 0);
	assert_msg_has((const char *)plan.data, "3. Devices need no new certificates");
	assert_msg_has((const char *)plan.data, "NEW_cert.pem");
	iotx509_buf_dispose(&plan);

	cr_assert_eq(iotx509_renew_plan(&plan, CERT(old), CERT(dev), NULL, NULL), IOTX509_EINVAL);
	assert_msg_has(th_err(), "'CN=device-01' is not a CA certificate");
	cr_assert_eq(iotx509_renew_plan(&plan, NULL, CERT(dev), NULL, NULL), IOTX509_EINVAL);
	iotx509_credential_free(dev);
	iotx509_credential_free(old);
	iotx509_credential_free(new_key);
	iotx509_credential_free(same_key);
}

/* ---- rolling a root, end to end ---------------------------------------- */

static iotx509_enrollment_list *group_of(const iotx509_cert *primary, unsigned int pflags,
					 const iotx509_cert *secondary, unsigned int sflags)
{
	iotx509_enrollment_list *l = NULL;
	iotx509_enrollment *g = NULL;

	cr_assert_eq(iotx509_enrollment_list_new(&l), 0);
	cr_assert_eq(iotx509_enrollment_new(&g, IOTX509_ENROLLMENT_GROUP, "fleet"), 0);
	cr_assert_eq(th_enrollment_set_cert(g, IOTX509_ENROLLMENT_PRIMARY, primary, pflags), 0);
	if (secondary)
		cr_assert_eq(th_enrollment_set_cert(g, IOTX509_ENROLLMENT_SECONDARY, secondary, sflags), 0);
	cr_assert_eq(iotx509_enrollment_list_add(l, g), 0);
	iotx509_enrollment_free(g);
	return l;
}

/* Check the device's full chain at @at: the reason, and the slot when accepted. */
static void expect(const iotx509_enrollment_list *l, const iotx509_credential *dev, int64_t at,
		   iotx509_enrollment_reason reason, iotx509_enrollment_slot slot)
{
	iotx509_enrollment_check_options o = IOTX509_ENROLLMENT_CHECK_OPTIONS_INIT;
	iotx509_enrollment_result *r = NULL;

	o.at = at;
	cr_assert_eq(iotx509_enrollment_check(&r, l, iotx509_credential_get_chain(dev), &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_enrollment_result_get_reason(r), reason, "%s: %s, expected %s: %s",
		     iotx509_cert_get_subject_dn(CERT(dev)),
		     iotx509_enrollment_reason_name(iotx509_enrollment_result_get_reason(r)),
		     iotx509_enrollment_reason_name(reason), iotx509_enrollment_result_get_message(r));
	if (reason == IOTX509_ENROLLMENT_ACCEPTED)
		cr_assert_eq(iotx509_enrollment_result_get_slot(r), slot, "%s",
			     iotx509_enrollment_result_get_message(r));
	iotx509_enrollment_result_free(r);
}

Test(renew, rolling_a_root_end_to_end)
{
	int64_t t = T0;
	iotx509_credential *old_root = make_root("Fleet Root", t, 3650);
	iotx509_credential *d1 = make_device(old_root, "device-01", IOTX509_KEY_P256, t, 365);
	iotx509_credential *d2 = make_device(old_root, "device-02", IOTX509_KEY_P256, t, 365);
	iotx509_credential *new_root, *d1_new;
	iotx509_enrollment_list *l;
	iotx509_key *pop_key = NULL;
	iotx509_cert *pop = NULL;
	iotx509_issuer *new_issuer = NULL;
	iotx509_issue_options io = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_pop_options po = IOTX509_POP_OPTIONS_INIT;
	iotx509_pop_status pst;
	const unsigned int V = 1;

	/* Before the roll: the old root is the verified primary. */
	l = group_of(CERT(old_root), V, NULL, 0);
	expect(l, d1, t + DAY, IOTX509_ENROLLMENT_ACCEPTED, IOTX509_ENROLLMENT_PRIMARY);
	iotx509_enrollment_list_free(l);

	/* 1. A new root: same name, new key. */
	t += 30 * DAY;
	new_root = renew(old_root, NULL, t, IOTX509_RENEW_NEW_KEY);
	cr_assert_str_eq(iotx509_cert_get_subject_dn(CERT(new_root)), "CN=Fleet Root");
	cr_assert_str_neq(SPKI(new_root), SPKI(old_root));
	/* A device moved to it, while d2 stays under the old root for now. */
	d1_new = renew(d1, new_root, t, IOTX509_RENEW_NEW_KEY);

	/* 2. Enrolled as secondary but not verified yet: its devices are refused. */
	l = group_of(CERT(old_root), V, CERT(new_root), 0);
	expect(l, d1_new, t, IOTX509_ENROLLMENT_CA_NOT_VERIFIED, IOTX509_ENROLLMENT_SECONDARY);
	expect(l, d2, t, IOTX509_ENROLLMENT_ACCEPTED, IOTX509_ENROLLMENT_PRIMARY);
	iotx509_enrollment_list_free(l);

	/* Proof of possession of the new root's key. */
	io.at = t;
	cr_assert_eq(iotx509_issuer_new_from_credential(&new_issuer, new_root), 0);
	cr_assert_eq(iotx509_key_generate(&pop_key, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_verification(&pop, new_issuer, pop_key, "5EC0ADA7A", &io), 0, "%s", th_err());
	po.at = t;
	cr_assert_eq(iotx509_pop_verify(&pst, pop, CERT(new_root), "5EC0ADA7A", &po), 0, "%s", th_err());
	cr_assert_eq(pst, IOTX509_POP_OK, "%s", th_err());
	cr_assert_eq(iotx509_pop_verify(&pst, pop, CERT(old_root), "5EC0ADA7A", &po), 0, "%s", th_err());
	cr_assert_eq(pst, IOTX509_POP_SIGNER, "the old root's key did not sign it");

	/* 3. Both verified: devices under either root are accepted. */
	l = group_of(CERT(old_root), V, CERT(new_root), V);
	expect(l, d1_new, t, IOTX509_ENROLLMENT_ACCEPTED, IOTX509_ENROLLMENT_SECONDARY);
	expect(l, d2, t, IOTX509_ENROLLMENT_ACCEPTED, IOTX509_ENROLLMENT_PRIMARY);
	expect(l, d1, t, IOTX509_ENROLLMENT_ACCEPTED, IOTX509_ENROLLMENT_PRIMARY);
	iotx509_enrollment_list_free(l);

	/* 4. Promoted: the new root is primary, the old one secondary. */
	l = group_of(CERT(new_root), V, CERT(old_root), V);
	expect(l, d1_new, t, IOTX509_ENROLLMENT_ACCEPTED, IOTX509_ENROLLMENT_PRIMARY);
	expect(l, d2, t, IOTX509_ENROLLMENT_ACCEPTED, IOTX509_ENROLLMENT_SECONDARY);
	iotx509_enrollment_list_free(l);

	/* 5. The old root retired: devices still under it are refused. */
	l = group_of(CERT(new_root), V, NULL, 0);
	expect(l, d1_new, t, IOTX509_ENROLLMENT_ACCEPTED, IOTX509_ENROLLMENT_PRIMARY);
	expect(l, d2, t, IOTX509_ENROLLMENT_NOT_ENROLLED, IOTX509_ENROLLMENT_PRIMARY);
	expect(l, d1, t, IOTX509_ENROLLMENT_NOT_ENROLLED, IOTX509_ENROLLMENT_PRIMARY);
	iotx509_enrollment_list_free(l);

	iotx509_issuer_free(new_issuer);
	iotx509_cert_free(pop);
	iotx509_key_free(pop_key);
	iotx509_credential_free(d1_new);
	iotx509_credential_free(new_root);
	iotx509_credential_free(d1);
	iotx509_credential_free(d2);
	iotx509_credential_free(old_root);
}

Test(renew, rolling_an_intermediate_keeps_devices_under_the_root_group)
{
	iotx509_credential *root = make_root("Fleet Root", T0, 3650);
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_issuer *ri = NULL;
	iotx509_key *k = NULL;
	iotx509_cert *ic = NULL;
	iotx509_credential *inter = NULL, *inter2, *dev, *dev2;
	iotx509_enrollment_list *l;

	o.at = T0;
	cr_assert_eq(iotx509_issuer_new_from_credential(&ri, root), 0);
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_intermediate(&ic, ri, k, "Line 1 CA", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_credential_new(&inter, ic, k, iotx509_credential_get_chain(root), NULL), 0, "%s", th_err());
	dev = make_device(inter, "device-07", IOTX509_KEY_P256, T0, 365);
	inter2 = renew(inter, root, T0 + 10 * DAY, IOTX509_RENEW_NEW_KEY);
	dev2 = renew(dev, inter2, T0 + 10 * DAY, 0);
	cr_assert_eq(iotx509_certlist_count(iotx509_credential_get_chain(dev2)), 3);
	/* The group trusts the root: old and new intermediates both work. */
	l = group_of(CERT(root), 1, NULL, 0);
	expect(l, dev, T0 + 11 * DAY, IOTX509_ENROLLMENT_ACCEPTED, IOTX509_ENROLLMENT_PRIMARY);
	expect(l, dev2, T0 + 11 * DAY, IOTX509_ENROLLMENT_ACCEPTED, IOTX509_ENROLLMENT_PRIMARY);
	iotx509_enrollment_list_free(l);
	iotx509_credential_free(dev);
	iotx509_credential_free(dev2);
	iotx509_credential_free(inter);
	iotx509_credential_free(inter2);
	iotx509_cert_free(ic);
	iotx509_key_free(k);
	iotx509_issuer_free(ri);
	iotx509_credential_free(root);
}

Test(renew, zero_filled_options_are_the_defaults)
{
	iotx509_credential *root = make_root("Renew Root", T0, 3650);
	iotx509_credential *dev = make_device(root, "device-01", IOTX509_KEY_P256, T0, 365);
	iotx509_renew_options z, init = IOTX509_RENEW_OPTIONS_INIT;
	iotx509_issuer *ri = NULL;
	iotx509_cert *a = NULL, *b = NULL, *r = NULL;

	TH_ZERO_OPTIONS(z, IOTX509_RENEW_OPTIONS_VERSION);
	z.at = init.at = T0 + DAY;
	cr_assert_eq(iotx509_issuer_new_from_credential(&ri, root), 0);
	cr_assert_eq(iotx509_renew_cert(&a, CERT(dev), ri, iotx509_credential_get_key(dev), &z), 0, "%s", th_err());
	cr_assert_eq(iotx509_renew_cert(&b, CERT(dev), ri, iotx509_credential_get_key(dev), &init), 0, "%s", th_err());
	cr_assert_eq(iotx509_cert_get_not_before(a), iotx509_cert_get_not_before(b));
	cr_assert_eq(iotx509_cert_get_not_after(a), iotx509_cert_get_not_after(b));
	cr_assert_eq(iotx509_cert_get_not_after(a) - iotx509_cert_get_not_before(a), 365 * DAY + 300,
		     "the old lifetime, backdated 300 s");
	/* A root without pathLenConstraint stays without one. */
	cr_assert_eq(iotx509_renew_cert(&r, CERT(root), NULL, iotx509_credential_get_key(root), &z), 0, "%s", th_err());
	cr_assert_eq(iotx509_cert_has_pathlen(r), 0);
	TH_CHECK_OPTIONS_INIT(iotx509_renew_options, iotx509_renew_options_init, IOTX509_RENEW_OPTIONS_VERSION, "renew options",
			      IOTX509_RENEW_OPTIONS_INIT);
	iotx509_cert_free(r);
	iotx509_cert_free(a);
	iotx509_cert_free(b);
	iotx509_issuer_free(ri);
	iotx509_credential_free(dev);
	iotx509_credential_free(root);
}

Test(renew, options_versions_1_to_current)
{
	iotx509_credential *root = make_root("Renew Root", T0, 3650);
	iotx509_renew_options o = renew_at(T0 + DAY, 0);
	iotx509_cert *c = NULL;

	o.version = 1;
	cr_assert_eq(iotx509_renew_cert(&c, CERT(root), NULL, iotx509_credential_get_key(root), &o), 0, "%s", th_err());
	iotx509_cert_free(c);
	c = NULL;
	o.version = 0;
	th_version_refused(iotx509_renew_cert(&c, CERT(root), NULL, iotx509_credential_get_key(root), &o), 0);
	o.version = IOTX509_RENEW_OPTIONS_VERSION + 1;
	th_version_refused(iotx509_renew_cert(&c, CERT(root), NULL, iotx509_credential_get_key(root), &o),
			   IOTX509_RENEW_OPTIONS_VERSION + 1);
	cr_assert_null(c);
	iotx509_credential_free(root);
}
