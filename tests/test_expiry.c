/*
 * Expiry report: days left and renewal thresholds at fixed times, both
 * rules, recursive directories, and the errors.
 */
#include "helpers.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DAY 86400
#define T0 TH_FIXTURE_TIME

static void assert_msg_has(const char *needle)
{
	cr_assert(strstr(th_err(), needle) != NULL, "message '%s' lacks '%s'", th_err(), needle);
}

/* A device (or with @pop a verification certificate) of @days issued at
 * @now (notBefore now - 300 s, notAfter now + days; 0 days: the profile's). */
static iotx509_cert *leaf(const iotx509_issuer *ca, const char *cn, unsigned int days, int64_t now, int pop)
{
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_key *k = NULL;
	iotx509_cert *c = NULL;

	o.at = now;
	o.days = days;
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(pop ? iotx509_issue_verification(&c, ca, k, cn, &o) : iotx509_issue_device(&c, ca, k, cn, &o), 0,
		     "%s", th_err());
	iotx509_key_free(k);
	return c;
}

static iotx509_cert *device(const iotx509_issuer *ca, const char *cn, unsigned int days, int64_t now)
{
	return leaf(ca, cn, days, now, 0);
}

static iotx509_expiry *report_at(int64_t at, iotx509_expiry_rule rule, unsigned int threshold)
{
	iotx509_expiry_options o = IOTX509_EXPIRY_OPTIONS_INIT;
	iotx509_expiry *r = NULL;

	o.at = at;
	o.rule = rule;
	o.threshold = threshold;
	o.has_threshold = 1; /* as given: 0 days means 0 */
	cr_assert_eq(iotx509_expiry_new(&r, &o), 0, "%s", th_err());
	return r;
}

typedef struct {
	iotx509_key *rk;
	iotx509_cert *root, *dev;
	iotx509_issuer *ri;
} pki;

static void pki_make(pki *p)
{
	th_make_root(&p->rk, &p->root, &p->ri, "Expiry Root", T0);
	p->dev = device(p->ri, "device-01", 365, T0);
}

static void pki_free(pki *p)
{
	iotx509_issuer_free(p->ri);
	iotx509_cert_free(p->root);
	iotx509_cert_free(p->dev);
	iotx509_key_free(p->rk);
}

Test(expiry, default_rule_is_80_percent_of_the_lifetime)
{
	pki p;
	iotx509_expiry *r;
	iotx509_expiry_options o;
	int64_t lifetime;

	cr_assert_eq(iotx509_expiry_options_init(&o, IOTX509_EXPIRY_OPTIONS_VERSION), 0);
	cr_assert_eq(o.rule, IOTX509_EXPIRY_PERCENT);
	cr_assert_eq(o.threshold, 0, "0: the rule's default");
	cr_assert_eq(iotx509_expiry_new(&r, &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_expiry_get_rule(r), IOTX509_EXPIRY_PERCENT);
	cr_assert_eq(iotx509_expiry_get_threshold(r), 80);
	iotx509_expiry_free(r);
	pki_make(&p);
	lifetime = iotx509_cert_get_not_after(p.dev) - iotx509_cert_get_not_before(p.dev);

	r = report_at(T0 + 200 * DAY, IOTX509_EXPIRY_PERCENT, 80);
	cr_assert_eq(iotx509_expiry_add_cert(r, p.dev, "dev.pem"), 0);
	cr_assert_eq(iotx509_expiry_get_state(r, 0), IOTX509_EXPIRY_OK);
	cr_assert_eq(iotx509_expiry_needs_renewal(r, 0), 0);
	cr_assert_eq(iotx509_expiry_get_days_left(r, 0), 165);
	cr_assert_eq(iotx509_expiry_get_renew_at(r, 0), iotx509_cert_get_not_before(p.dev) + lifetime * 80 / 100);
	cr_assert_str_eq(iotx509_expiry_get_source(r, 0), "dev.pem");
	cr_assert_eq(iotx509_expiry_due_count(r), 0);
	iotx509_expiry_free(r);

	/* 80 percent of 365 days is 292 days. */
	r = report_at(T0 + 291 * DAY, IOTX509_EXPIRY_PERCENT, 80);
	cr_assert_eq(iotx509_expiry_add_cert(r, p.dev, NULL), 0);
	cr_assert_eq(iotx509_expiry_needs_renewal(r, 0), 0);
	iotx509_expiry_free(r);
	r = report_at(T0 + 293 * DAY, IOTX509_EXPIRY_PERCENT, 80);
	cr_assert_eq(iotx509_expiry_add_cert(r, p.dev, NULL), 0);
	cr_assert_eq(iotx509_expiry_get_state(r, 0), IOTX509_EXPIRY_RENEW);
	cr_assert_eq(iotx509_expiry_needs_renewal(r, 0), 1);
	cr_assert_eq(iotx509_expiry_get_days_left(r, 0), 72);
	cr_assert_eq(iotx509_expiry_due_count(r), 1);
	iotx509_expiry_free(r);

	/* The root, 10 years, is not due at that time; a 50 percent rule is stricter. */
	r = report_at(T0 + 293 * DAY, IOTX509_EXPIRY_PERCENT, 50);
	cr_assert_eq(iotx509_expiry_add_cert(r, p.root, NULL), 0);
	cr_assert_eq(iotx509_expiry_add_cert(r, p.dev, NULL), 0);
	cr_assert_eq(iotx509_expiry_add_cert(r, p.dev, NULL), 0, "a duplicate is ignored");
	cr_assert_eq(iotx509_expiry_count(r), 2);
	cr_assert_eq(iotx509_expiry_needs_renewal(r, 0), 0);
	cr_assert_eq(iotx509_expiry_needs_renewal(r, 1), 1);
	cr_assert_null(iotx509_expiry_get_source(r, 0));
	iotx509_expiry_free(r);
	pki_free(&p);
}

Test(expiry, days_rule_counts_whole_days_left)
{
	pki p;
	iotx509_expiry *r;

	pki_make(&p);
	/* notAfter is T0 + 365 days: 31 days left at T0 + 334 days. */
	r = report_at(T0 + 334 * DAY, IOTX509_EXPIRY_DAYS, 30);
	cr_assert_eq(iotx509_expiry_add_cert(r, p.dev, NULL), 0);
	cr_assert_eq(iotx509_expiry_get_days_left(r, 0), 31);
	cr_assert_eq(iotx509_expiry_needs_renewal(r, 0), 0);
	cr_assert_eq(iotx509_expiry_get_renew_at(r, 0), iotx509_cert_get_not_after(p.dev) - 30 * DAY);
	iotx509_expiry_free(r);
	/* Exactly 30 days left: due. */
	r = report_at(T0 + 335 * DAY, IOTX509_EXPIRY_DAYS, 30);
	cr_assert_eq(iotx509_expiry_add_cert(r, p.dev, NULL), 0);
	cr_assert_eq(iotx509_expiry_get_days_left(r, 0), 30);
	cr_assert_eq(iotx509_expiry_get_state(r, 0), IOTX509_EXPIRY_RENEW);
	iotx509_expiry_free(r);
	/* The last day counts as 0 days left; after notAfter, negative. */
	r = report_at(T0 + 365 * DAY - 60, IOTX509_EXPIRY_DAYS, 0);
	cr_assert_eq(iotx509_expiry_add_cert(r, p.dev, NULL), 0);
	cr_assert_eq(iotx509_expiry_get_days_left(r, 0), 0);
	cr_assert_eq(iotx509_expiry_needs_renewal(r, 0), 0, "within 0 days: only expired ones are due");
	iotx509_expiry_free(r);
	r = report_at(T0 + 365 * DAY + 1, IOTX509_EXPIRY_DAYS, 0);
	cr_assert_eq(iotx509_expiry_add_cert(r, p.dev, NULL), 0);
	cr_assert_eq(iotx509_expiry_get_days_left(r, 0), -1);
	cr_assert_eq(iotx509_expiry_get_state(r, 0), IOTX509_EXPIRY_EXPIRED);
	cr_assert_eq(iotx509_expiry_needs_renewal(r, 0), 1);
	iotx509_expiry_free(r);
	pki_free(&p);
}

Test(expiry, not_yet_valid_is_not_due)
{
	pki p;
	iotx509_expiry *r;

	pki_make(&p);
	r = report_at(T0 - DAY, IOTX509_EXPIRY_PERCENT, 80);
	cr_assert_eq(iotx509_expiry_add_cert(r, p.dev, NULL), 0);
	cr_assert_eq(iotx509_expiry_get_state(r, 0), IOTX509_EXPIRY_NOT_YET_VALID);
	cr_assert_eq(iotx509_expiry_needs_renewal(r, 0), 0);
	cr_assert_eq(iotx509_expiry_get_days_left(r, 0), 366);
	cr_assert_str_eq(iotx509_expiry_state_name(IOTX509_EXPIRY_NOT_YET_VALID), "not-yet-valid");
	cr_assert_str_eq(iotx509_expiry_state_name(IOTX509_EXPIRY_RENEW), "renew");
	cr_assert_str_eq(iotx509_expiry_state_name((iotx509_expiry_state)9), "unknown");
	iotx509_expiry_free(r);
	pki_free(&p);
}

Test(expiry, directories_are_read_recursively_each_certificate_once)
{
	pki p;
	char *dir = th_tmpdir(), *sub, *deep, *hidden, *path, *f;
	iotx509_expiry *r;
	iotx509_certlist *full = NULL;
	iotx509_cert *short_dev;
	size_t i;
	int seen_short = 0;

	pki_make(&p);
	short_dev = device(p.ri, "device-short", 10, T0);
	sub = th_path(dir, "devices");
	deep = th_path(sub, "batch-1");
	hidden = th_path(dir, ".git");
	cr_assert_eq(mkdir(sub, 0755), 0);
	cr_assert_eq(mkdir(deep, 0755), 0);
	cr_assert_eq(mkdir(hidden, 0755), 0);
	free(th_save_cert(dir, "root_cert.pem", p.root));
	free(th_save_key(dir, "root_key.pem", p.rk));
	/* A full chain repeats the root: listed once, from the first file. */
	cr_assert_eq(iotx509_certlist_new(&full), 0);
	cr_assert_eq(iotx509_certlist_add(full, p.dev), 0);
	cr_assert_eq(iotx509_certlist_add(full, p.root), 0);
	path = th_path(sub, "device-01_fullchain.pem");
	cr_assert_eq(iotx509_certlist_save(full, path, NULL), 0, "%s", th_err());
	free(path);
	free(th_save_cert(deep, "short_cert.pem", short_dev));
	f = th_path(deep, "device.pfx");
	th_write(f, "\x30\x82\x01\x00 not a certificate", 22);
	free(f);
	f = th_path(deep, "notes.txt");
	th_write(f, "renew before December\n", 22);
	free(f);
	free(th_save_cert(hidden, "ignored.pem", short_dev));
	/* A link back up is not followed. */
	f = th_path(deep, "loop");
	cr_assert_eq(symlink(dir, f), 0);
	free(f);

	r = report_at(T0 + 5 * DAY, IOTX509_EXPIRY_DAYS, 7);
	cr_assert_eq(iotx509_expiry_add_path(r, dir), 0, "%s", th_err());
	cr_assert_eq(iotx509_expiry_count(r), 3, "root, device, short device; got %zu", iotx509_expiry_count(r));
	for (i = 0; i < iotx509_expiry_count(r); i++) {
		const char *cn = iotx509_cert_get_subject_cn(iotx509_expiry_get_cert(r, i));
		const char *src = iotx509_expiry_get_source(r, i);

		if (strcmp(cn, "device-short") == 0) {
			seen_short = 1;
			cr_assert(strstr(src, "devices/batch-1/short_cert.pem") != NULL, "source %s", src);
			cr_assert_eq(iotx509_expiry_needs_renewal(r, i), 1);
			cr_assert_eq(iotx509_expiry_get_days_left(r, i), 5);
		} else {
			cr_assert_eq(iotx509_expiry_needs_renewal(r, i), 0, "%s", cn);
		}
		if (strcmp(cn, "Expiry Root") == 0)
			/* Name order: "devices/" comes before "root_cert.pem". */
			cr_assert(strstr(src, "/devices/device-01_fullchain.pem") != NULL,
				  "the root comes from the first file: %s", src);
	}
	cr_assert(seen_short);
	cr_assert_eq(iotx509_expiry_due_count(r), 1);
	/* Adding the same tree again adds nothing. */
	cr_assert_eq(iotx509_expiry_add_path(r, sub), 0, "%s", th_err());
	cr_assert_eq(iotx509_expiry_count(r), 3);
	iotx509_expiry_free(r);

	iotx509_certlist_free(full);
	iotx509_cert_free(short_dev);
	free(sub);
	free(deep);
	free(hidden);
	th_rmrf(dir);
	free(dir);
	pki_free(&p);
}

Test(expiry, errors_name_the_path)
{
	pki p;
	char *dir = th_tmpdir(), *empty, *keyfile, *bad;
	iotx509_expiry *r = NULL;
	iotx509_expiry_options o = IOTX509_EXPIRY_OPTIONS_INIT;
	static const char broken[] = "-----BEGIN CERTIFICATE-----\nMIIBroken!!\n-----END CERTIFICATE-----\n";

	pki_make(&p);
	r = report_at(T0, IOTX509_EXPIRY_PERCENT, 80);
	cr_assert_eq(iotx509_expiry_add_path(r, "/nonexistent/certs"), IOTX509_ENOTFOUND);
	assert_msg_has("/nonexistent/certs");
	empty = th_path(dir, "empty");
	cr_assert_eq(mkdir(empty, 0755), 0);
	cr_assert_eq(iotx509_expiry_add_path(r, empty), IOTX509_ENOTFOUND);
	assert_msg_has("no certificate in this directory or below");
	keyfile = th_save_key(dir, "only_key.pem", p.rk);
	cr_assert_eq(iotx509_expiry_add_path(r, keyfile), IOTX509_EPARSE, "a file named explicitly must hold one");
	assert_msg_has("only_key.pem");
	bad = th_path(empty, "broken_cert.pem");
	th_write(bad, broken, sizeof(broken) - 1);
	cr_assert_eq(iotx509_expiry_add_path(r, dir), IOTX509_EPARSE);
	assert_msg_has("broken_cert.pem");
	cr_assert_eq(iotx509_expiry_count(r), 0, "nothing is added on error");
	cr_assert_eq(iotx509_expiry_add_path(r, ""), IOTX509_EINVAL);
	cr_assert_eq(iotx509_expiry_add_cert(r, NULL, NULL), IOTX509_EINVAL);
	iotx509_expiry_free(r);

	o.threshold = 0;
	o.has_threshold = 1;
	cr_assert_eq(iotx509_expiry_new(&r, &o), IOTX509_EINVAL);
	assert_msg_has("0 percent");
	o.threshold = 101;
	cr_assert_eq(iotx509_expiry_new(&r, &o), IOTX509_EINVAL);
	o.rule = IOTX509_EXPIRY_DAYS;
	o.threshold = 40000;
	cr_assert_eq(iotx509_expiry_new(&r, &o), IOTX509_EINVAL);
	assert_msg_has("40000 days");
	o.rule = (iotx509_expiry_rule)5;
	cr_assert_eq(iotx509_expiry_new(&r, &o), IOTX509_EINVAL);
	assert_msg_has("unknown renewal rule");
	o = (iotx509_expiry_options)IOTX509_EXPIRY_OPTIONS_INIT;
	o.version = 2;
	cr_assert_eq(iotx509_expiry_new(&r, &o), IOTX509_EINVAL);
	cr_assert_eq(iotx509_expiry_options_init(&o, 2), IOTX509_EINVAL);
	cr_assert_eq(iotx509_expiry_new(NULL, NULL), IOTX509_EINVAL);
	/* Accessors are NULL-safe. */
	cr_assert_eq(iotx509_expiry_count(NULL), 0);
	cr_assert_null(iotx509_expiry_get_cert(NULL, 0));
	cr_assert_eq(iotx509_expiry_needs_renewal(NULL, 3), 0);
	iotx509_expiry_free(NULL);

	free(empty);
	free(keyfile);
	free(bad);
	th_rmrf(dir);
	free(dir);
	pki_free(&p);
}

Test(expiry, foreign_fixtures_at_their_time_and_a_month_later)
{
	iotx509_expiry *r;
	size_t i;

	r = report_at(TH_FIXTURE_TIME, IOTX509_EXPIRY_PERCENT, 80);
	cr_assert_eq(iotx509_expiry_add_path(r, th_fixture_dir("")), 0, "%s", th_err());
	/* Five certificates from each script; keys, .pfx files and the README are skipped. */
	cr_assert_eq(iotx509_expiry_count(r), 10, "got %zu", iotx509_expiry_count(r));
	for (i = 0; i < iotx509_expiry_count(r); i++) {
		const iotx509_cert *c = iotx509_expiry_get_cert(r, i);

		cr_assert_neq(iotx509_expiry_get_state(r, i), IOTX509_EXPIRY_EXPIRED, "%s",
			      iotx509_cert_get_subject_dn(c));
		if (strstr(iotx509_expiry_get_source(r, i), "certgen_sh/"))
			/* 30-day certificates made on 2026-11-29 around 06:50. */
			cr_assert_eq(iotx509_expiry_get_days_left(r, i), 29, "%s",
				     iotx509_cert_get_subject_dn(c));
	}
	iotx509_expiry_free(r);

	r = report_at(TH_FIXTURE_TIME + 31 * DAY, IOTX509_EXPIRY_PERCENT, 80);
	cr_assert_eq(iotx509_expiry_add_path(r, th_fixture_dir("")), 0, "%s", th_err());
	cr_assert_eq(iotx509_expiry_due_count(r), 10, "a month later every fixture has expired");
	iotx509_expiry_free(r);
}

/* Fill @r with: the root, a 365-day device, a 2-day and a 30-day
 * verification certificate, a 4-day device whose ID is letters and digits,
 * and a 1-day self-signed one. */
static void add_mixed(iotx509_expiry *r, const pki *p, iotx509_cert **pop)
{
	iotx509_cert *c[4];
	iotx509_key *k = NULL;
	iotx509_issue_options io = IOTX509_ISSUE_OPTIONS_INIT;
	size_t i;

	*pop = leaf(p->ri, "5EC0ADA7A", 0, T0, 1);
	c[0] = leaf(p->ri, "1234ABCD", 30, T0, 1);
	c[1] = device(p->ri, "sensor7", 4, T0);
	io.at = T0;
	io.days = 1;
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	c[2] = NULL;
	cr_assert_eq(iotx509_issue_device_self_signed(&c[2], k, "sensor8", &io), 0, "%s", th_err());
	c[3] = p->dev;
	cr_assert_eq(iotx509_expiry_add_cert(r, p->root, "root_cert.pem"), 0);
	cr_assert_eq(iotx509_expiry_add_cert(r, *pop, "verification_cert.pem"), 0, "%s", th_err());
	for (i = 0; i < 4; i++)
		cr_assert_eq(iotx509_expiry_add_cert(r, c[i], NULL), 0, "%s", th_err());
	for (i = 0; i < 3; i++)
		iotx509_cert_free(c[i]);
	iotx509_key_free(k);
}

Test(expiry, verification_certificates_are_left_out_when_asked)
{
	pki p;
	iotx509_expiry *r = NULL;
	iotx509_expiry_options o = IOTX509_EXPIRY_OPTIONS_INIT;
	iotx509_cert *pop;
	size_t i;

	pki_make(&p);
	/* By default everything is listed: the expired 2-day one is due. */
	r = report_at(T0 + 3 * DAY, IOTX509_EXPIRY_PERCENT, 80);
	add_mixed(r, &p, &pop);
	cr_assert_eq(iotx509_expiry_count(r), 6);
	cr_assert_eq(iotx509_expiry_skipped_count(r), 0);
	cr_assert_eq(iotx509_expiry_due_count(r), 2, "the 2-day verification and the 1-day self-signed device");
	iotx509_expiry_free(r);
	iotx509_cert_free(pop);

	o.at = T0 + 3 * DAY;
	o.flags = IOTX509_EXPIRY_SKIP_VERIFICATION;
	cr_assert_eq(iotx509_expiry_new(&r, &o), 0, "%s", th_err());
	add_mixed(r, &p, &pop);
	cr_assert_eq(iotx509_expiry_count(r), 5, "got %zu", iotx509_expiry_count(r));
	cr_assert_eq(iotx509_expiry_skipped_count(r), 1);
	cr_assert_eq(iotx509_expiry_due_count(r), 1, "only the self-signed device");
	for (i = 0; i < iotx509_expiry_count(r); i++) {
		const char *cn = iotx509_cert_get_subject_cn(iotx509_expiry_get_cert(r, i));

		cr_assert_str_neq(cn, "5EC0ADA7A", "the 2-day verification certificate is left out");
		if (i == 0)
			cr_assert_str_eq(iotx509_expiry_get_source(r, 0), "root_cert.pem", "indexes follow the list");
	}
	cr_assert_null(iotx509_expiry_get_cert(r, 5));
	/* Found again, it is neither listed nor counted twice. */
	cr_assert_eq(iotx509_expiry_add_cert(r, pop, NULL), 0);
	cr_assert_eq(iotx509_expiry_count(r), 5);
	cr_assert_eq(iotx509_expiry_skipped_count(r), 1);
	iotx509_expiry_free(r);
	iotx509_cert_free(pop);

	o.flags = 0x10;
	cr_assert_eq(iotx509_expiry_new(&r, &o), IOTX509_EINVAL);
	assert_msg_has("unknown flags");
	cr_assert_eq(iotx509_expiry_skipped_count(NULL), 0);
	pki_free(&p);
}

Test(expiry, the_create_test_cert_verification_fixture_is_left_out)
{
	iotx509_expiry_options o = IOTX509_EXPIRY_OPTIONS_INIT;
	iotx509_expiry *r = NULL;

	o.at = TH_FIXTURE_TIME;
	o.flags = IOTX509_EXPIRY_SKIP_VERIFICATION;
	cr_assert_eq(iotx509_expiry_new(&r, &o), 0);
	cr_assert_eq(iotx509_expiry_add_path(r, th_fixture_dir("")), 0, "%s", th_err());
	/* create_test_cert.js's 1-day verification_cert.pem; certGen.sh's 30-day
	 * one cannot be told from its devices and stays. */
	cr_assert_eq(iotx509_expiry_skipped_count(r), 1);
	cr_assert_eq(iotx509_expiry_count(r), 9);
	iotx509_expiry_free(r);
}

static iotx509_expiry *report_with(const iotx509_expiry_options *o, const iotx509_cert *cert)
{
	iotx509_expiry *r = NULL;

	cr_assert_eq(iotx509_expiry_new(&r, o), 0, "%s", th_err());
	cr_assert_eq(iotx509_expiry_add_cert(r, cert, NULL), 0, "%s", th_err());
	return r;
}

Test(expiry, zero_filled_options_are_the_defaults)
{
	pki p;
	iotx509_expiry_options z, init = IOTX509_EXPIRY_OPTIONS_INIT;
	iotx509_expiry *a, *b;
	static const int64_t when[] = { T0 + 200 * DAY, T0 + 293 * DAY, T0 + 400 * DAY };
	size_t i;

	pki_make(&p);
	TH_ZERO_OPTIONS(z, IOTX509_EXPIRY_OPTIONS_VERSION);
	for (i = 0; i < sizeof(when) / sizeof(when[0]); i++) {
		z.at = init.at = when[i];
		a = report_with(&z, p.dev);
		b = report_with(&init, p.dev);
		cr_assert_eq(iotx509_expiry_get_rule(a), iotx509_expiry_get_rule(b));
		cr_assert_eq(iotx509_expiry_get_threshold(a), 80);
		cr_assert_eq(iotx509_expiry_get_threshold(b), 80);
		cr_assert_eq(iotx509_expiry_get_state(a, 0), iotx509_expiry_get_state(b, 0), "at %zu", i);
		cr_assert_eq(iotx509_expiry_get_renew_at(a, 0), iotx509_expiry_get_renew_at(b, 0));
		iotx509_expiry_free(a);
		iotx509_expiry_free(b);
	}
	/* The days rule with threshold 0: its default, 30 days; 0 days only when asked. */
	z.at = T0 + 335 * DAY;
	z.rule = IOTX509_EXPIRY_DAYS;
	a = report_with(&z, p.dev);
	cr_assert_eq(iotx509_expiry_get_threshold(a), 30);
	cr_assert_eq(iotx509_expiry_needs_renewal(a, 0), 1, "30 days left, due at 30");
	iotx509_expiry_free(a);
	z.has_threshold = 1;
	a = report_with(&z, p.dev);
	cr_assert_eq(iotx509_expiry_get_threshold(a), 0);
	cr_assert_eq(iotx509_expiry_needs_renewal(a, 0), 0, "30 days left, due at 0");
	iotx509_expiry_free(a);
	cr_assert_eq(iotx509_expiry_get_threshold(NULL), 0);
	cr_assert_eq(iotx509_expiry_get_rule(NULL), IOTX509_EXPIRY_PERCENT);

	TH_CHECK_OPTIONS_INIT(iotx509_expiry_options, iotx509_expiry_options_init, IOTX509_EXPIRY_OPTIONS_VERSION, "expiry options",
			      IOTX509_EXPIRY_OPTIONS_INIT);
	pki_free(&p);
}

Test(expiry, options_versions_1_to_current)
{
	iotx509_expiry_options o = IOTX509_EXPIRY_OPTIONS_INIT;
	iotx509_expiry *r = NULL;

	o.version = 1;
	cr_assert_eq(iotx509_expiry_new(&r, &o), 0, "%s", th_err());
	iotx509_expiry_free(r);
	r = NULL;
	o.version = 0;
	th_version_refused(iotx509_expiry_new(&r, &o), 0);
	o.version = IOTX509_EXPIRY_OPTIONS_VERSION + 1;
	th_version_refused(iotx509_expiry_new(&r, &o), IOTX509_EXPIRY_OPTIONS_VERSION + 1);
	cr_assert_null(r);
}
