/*
 * The hierarchy view: a generated three-level hierarchy with every mark,
 * its text and DOT renderings (DOT rendered by Graphviz), cross-signed
 * CAs, the foreign fixtures, and the errors.
 */
#include "helpers.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define DAY 86400
#define T0 TH_FIXTURE_TIME

static const char *fmt_time(char *buf, size_t size, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

static iotx509_cert *issue_dev(const iotx509_issuer *ca, const char *cn, unsigned int days, int64_t now)
{
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_key *k = NULL;
	iotx509_cert *c = NULL;

	o.at = now;
	o.days = days;
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	if (ca)
		cr_assert_eq(iotx509_issue_device(&c, ca, k, cn, &o), 0, "%s", th_err());
	else
		cr_assert_eq(iotx509_issue_device_self_signed(&c, k, cn, &o), 0, "%s", th_err());
	iotx509_key_free(k);
	return c;
}

/* Root -> intermediate -> devices, devices under the root, a self-signed
 * device and one whose root is missing, written to nested directories. */
typedef struct {
	iotx509_key *rk, *ik, *hk;
	iotx509_cert *root, *inter, *hidden, *c[8];
	iotx509_issuer *ri, *ii, *hi;
	char *dir;
} hier;

enum { DEV_A, DEV_B, DEV_C, DEV_SOON, DEV_OLD, DEV_FUTURE, DEV_ORPHAN, DEV_SS };

static void save_chain(const char *dir, const char *name, const iotx509_cert *a, const iotx509_cert *b,
		       const iotx509_cert *c)
{
	iotx509_certlist *l = NULL;
	char *p = th_path(dir, name);

	cr_assert_eq(iotx509_certlist_new(&l), 0);
	cr_assert_eq(iotx509_certlist_add(l, a), 0);
	if (b)
		cr_assert_eq(iotx509_certlist_add(l, b), 0);
	if (c)
		cr_assert_eq(iotx509_certlist_add(l, c), 0);
	cr_assert_eq(iotx509_certlist_save(l, p, WRITE_OPTS(IOTX509_WRITE_OVERWRITE)), 0, "%s", th_err());
	iotx509_certlist_free(l);
	free(p);
}

static void hier_make(hier *h)
{
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	char *ca_dir, *dev_dir, *deep;

	memset(h, 0, sizeof(*h));
	th_make_root(&h->rk, &h->root, &h->ri, "Tree Root", T0);
	th_make_root(&h->hk, &h->hidden, &h->hi, "Hidden Root", T0);
	o.at = T0;
	cr_assert_eq(iotx509_key_generate(&h->ik, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_intermediate(&h->inter, h->ri, h->ik, "Tree Intermediate", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_issuer_new(&h->ii, h->inter, h->ik), 0);
	h->c[DEV_A] = issue_dev(h->ri, "device-a", 365, T0);
	h->c[DEV_B] = issue_dev(h->ii, "device-b", 365, T0);
	h->c[DEV_C] = issue_dev(h->ii, "device-c", 365, T0);
	h->c[DEV_SOON] = issue_dev(h->ii, "device-soon", 40, T0);
	h->c[DEV_OLD] = issue_dev(h->ri, "device-old", 10, T0);
	h->c[DEV_FUTURE] = issue_dev(h->ri, "device-future", 365, T0 + 30 * DAY);
	h->c[DEV_ORPHAN] = issue_dev(h->hi, "device-orphan", 365, T0);
	h->c[DEV_SS] = issue_dev(NULL, "device-ss", 365, T0);

	h->dir = th_tmpdir();
	ca_dir = th_path(h->dir, "roots");
	dev_dir = th_path(h->dir, "devices");
	deep = th_path(dev_dir, "line-2");
	cr_assert_eq(mkdir(ca_dir, 0755), 0);
	cr_assert_eq(mkdir(dev_dir, 0755), 0);
	cr_assert_eq(mkdir(deep, 0755), 0);
	/* Devices first in name order, so issuers are found after what they issued. */
	save_chain(dev_dir, "a_fullchain.pem", h->c[DEV_A], h->root, NULL);
	save_chain(deep, "b_fullchain.pem", h->c[DEV_B], h->inter, h->root);
	save_chain(deep, "c_cert.pem", h->c[DEV_C], NULL, NULL);
	save_chain(deep, "soon_cert.pem", h->c[DEV_SOON], NULL, NULL);
	save_chain(dev_dir, "old_cert.pem", h->c[DEV_OLD], NULL, NULL);
	save_chain(dev_dir, "future_cert.pem", h->c[DEV_FUTURE], NULL, NULL);
	save_chain(dev_dir, "orphan_cert.pem", h->c[DEV_ORPHAN], NULL, NULL);
	save_chain(dev_dir, "ss_cert.pem", h->c[DEV_SS], NULL, NULL);
	save_chain(ca_dir, "zz_root_cert.pem", h->root, NULL, NULL);
	free(th_save_key(ca_dir, "zz_root_key.pem", h->rk));
	free(ca_dir);
	free(dev_dir);
	free(deep);
}

static void hier_free(hier *h)
{
	size_t i;

	for (i = 0; i < 8; i++)
		iotx509_cert_free(h->c[i]);
	iotx509_cert_free(h->root);
	iotx509_cert_free(h->inter);
	iotx509_cert_free(h->hidden);
	iotx509_issuer_free(h->ri);
	iotx509_issuer_free(h->ii);
	iotx509_issuer_free(h->hi);
	iotx509_key_free(h->rk);
	iotx509_key_free(h->ik);
	iotx509_key_free(h->hk);
	th_rmrf(h->dir);
	free(h->dir);
}

static iotx509_tree *tree_at(int64_t at)
{
	iotx509_tree_options o = IOTX509_TREE_OPTIONS_INIT;
	iotx509_tree *t = NULL;

	o.at = at;
	o.rule = IOTX509_EXPIRY_DAYS; /* threshold 0: the rule's default, 30 days */
	cr_assert_eq(iotx509_tree_new(&t, &o), 0, "%s", th_err());
	return t;
}

/* The old "-1 for none" reading, built from the two getters. */
static long parent_of(const iotx509_tree *t, size_t i)
{
	return iotx509_tree_has_parent(t, i) ? (long)iotx509_tree_get_parent(t, i) : -1;
}

static long find(const iotx509_tree *t, const char *cn)
{
	size_t i;

	for (i = 0; i < iotx509_tree_count(t); i++)
		if (strcmp(iotx509_cert_get_subject_cn(iotx509_tree_get_cert(t, i)), cn) == 0)
			return (long)i;
	cr_assert_fail("no node '%s'", cn);
	return -1;
}

Test(tree, three_level_hierarchy_links_orders_and_marks)
{
	hier h;
	iotx509_tree *t;
	long root, inter, a, b, soon, old, future, orphan, ss;
	static const char *const order[] = { "Tree Root", "Tree Intermediate", "device-b", "device-c", "device-soon",
					     "device-a", "device-future", "device-old", "device-orphan", "device-ss" };
	size_t i;

	hier_make(&h);
	t = tree_at(T0 + 20 * DAY);
	cr_assert_eq(iotx509_tree_add_path(t, h.dir), 0, "%s", th_err());
	cr_assert_eq(iotx509_tree_count(t), 10, "the root in three files is one node; got %zu", iotx509_tree_count(t));
	for (i = 0; i < 10; i++)
		cr_assert_str_eq(iotx509_cert_get_subject_cn(iotx509_tree_get_cert(t, i)), order[i], "node %zu", i);

	root = find(t, "Tree Root");
	inter = find(t, "Tree Intermediate");
	a = find(t, "device-a");
	b = find(t, "device-b");
	soon = find(t, "device-soon");
	old = find(t, "device-old");
	future = find(t, "device-future");
	orphan = find(t, "device-orphan");
	ss = find(t, "device-ss");
	cr_assert_eq(parent_of(t, (size_t)root), -1);
	cr_assert_eq(parent_of(t, (size_t)inter), root);
	cr_assert_eq(parent_of(t, (size_t)b), inter);
	cr_assert_eq(parent_of(t, (size_t)a), root);
	cr_assert_eq(iotx509_tree_get_depth(t, (size_t)b), 2);
	cr_assert_eq(iotx509_tree_get_depth(t, (size_t)inter), 1);
	cr_assert_eq(iotx509_tree_get_depth(t, (size_t)orphan), 0);

	cr_assert_eq(iotx509_tree_get_marks(t, (size_t)root), IOTX509_TREE_CA | IOTX509_TREE_SELF_SIGNED);
	cr_assert_eq(iotx509_tree_get_marks(t, (size_t)inter), IOTX509_TREE_CA);
	cr_assert_eq(iotx509_tree_get_marks(t, (size_t)a), 0);
	cr_assert_eq(iotx509_tree_get_marks(t, (size_t)soon), IOTX509_TREE_EXPIRING_SOON);
	cr_assert_eq(iotx509_tree_get_marks(t, (size_t)old), IOTX509_TREE_EXPIRED);
	cr_assert_eq(iotx509_tree_get_marks(t, (size_t)future), IOTX509_TREE_NOT_YET_VALID);
	cr_assert_eq(iotx509_tree_get_marks(t, (size_t)orphan), IOTX509_TREE_ISSUER_MISSING);
	cr_assert_eq(iotx509_tree_get_marks(t, (size_t)ss), IOTX509_TREE_SELF_SIGNED);
	cr_assert(strstr(iotx509_tree_get_source(t, (size_t)root), "devices/a_fullchain.pem") != NULL,
		  "the root's first file: %s", iotx509_tree_get_source(t, (size_t)root));
	iotx509_tree_free(t);
	hier_free(&h);
}

Test(tree, text_rendering_is_an_indented_tree)
{
	hier h;
	iotx509_tree *t;
	iotx509_buf text = IOTX509_BUF_INIT;
	char expected[4096], r[32], i[32], d[32], s[32], f[32], o[32];

	hier_make(&h);
	t = tree_at(T0 + 20 * DAY);
	cr_assert_eq(iotx509_tree_add_path(t, h.dir), 0, "%s", th_err());
	cr_assert_eq(iotx509_tree_render_text(&text, t), 0, "%s", th_err());
	fmt_time(r, sizeof(r), iotx509_cert_get_not_after(h.root));
	fmt_time(i, sizeof(i), iotx509_cert_get_not_after(h.inter));
	fmt_time(d, sizeof(d), T0 + 365 * DAY);
	fmt_time(s, sizeof(s), T0 + 40 * DAY);
	fmt_time(f, sizeof(f), T0 + 395 * DAY);
	fmt_time(o, sizeof(o), T0 + 10 * DAY);
	snprintf(expected, sizeof(expected),
		 "Tree Root  notAfter %s  [CA]\n"
		 "|-- Tree Intermediate  notAfter %s  [CA]\n"
		 "|   |-- device-b  notAfter %s\n"
		 "|   |-- device-c  notAfter %s\n"
		 "|   `-- device-soon  notAfter %s  [expiring soon]\n"
		 "|-- device-a  notAfter %s\n"
		 "|-- device-future  notAfter %s  [not yet valid]\n"
		 "`-- device-old  notAfter %s  [expired]\n"
		 "device-orphan  notAfter %s  [issuer not found: CN=Hidden Root]\n"
		 "device-ss  notAfter %s\n",
		 r, i, d, d, s, d, f, o, d, d);
	cr_assert_str_eq((const char *)text.data, expected);
	cr_assert_eq(text.size, strlen(expected));
	iotx509_buf_dispose(&text);
	iotx509_tree_free(t);
	hier_free(&h);
}

Test(tree, dot_output_renders_with_graphviz)
{
	hier h;
	iotx509_tree *t;
	iotx509_buf dot = IOTX509_BUF_INIT;
	char *path, *svg, *out = NULL;
	int rc;

	hier_make(&h);
	t = tree_at(T0 + 20 * DAY);
	cr_assert_eq(iotx509_tree_add_path(t, h.dir), 0, "%s", th_err());
	cr_assert_eq(iotx509_tree_render_dot(&dot, t), 0, "%s", th_err());
	cr_assert(strncmp((const char *)dot.data, "digraph iotx509 {\n", 18) == 0);
	cr_assert(strstr((const char *)dot.data, "n0 -> n1;") != NULL, "the root issued the intermediate:\n%s", dot.data);
	cr_assert(strstr((const char *)dot.data, "issuer not found\\nCN=Hidden Root") != NULL);
	cr_assert(strstr((const char *)dot.data, "[expired]") != NULL);
	cr_assert(strstr((const char *)dot.data, "[expiring soon]") != NULL);
	if (!th_have("dot")) {
		iotx509_buf_dispose(&dot);
		iotx509_tree_free(t);
		hier_free(&h);
		cr_skip_test("Graphviz dot is not installed (apt-get install graphviz)");
	}
	path = th_path(h.dir, "tree.dot");
	svg = th_path(h.dir, "tree.svg");
	th_write(path, dot.data, dot.size);
	rc = th_run(&out, "dot -Tsvg -o '%s' '%s'", svg, path);
	cr_assert_eq(rc, 0, "dot -Tsvg failed: %s", out);
	cr_assert_str_empty(out, "dot printed warnings: %s", out);
	free(out);
	out = th_slurp(svg, NULL);
	cr_assert(out != NULL && strstr(out, "<svg") != NULL);
	cr_assert(strstr(out, "device&#45;soon") != NULL || strstr(out, "device-soon") != NULL);
	free(out);
	free(path);
	free(svg);
	iotx509_buf_dispose(&dot);
	iotx509_tree_free(t);
	hier_free(&h);
}

Test(tree, dot_escapes_quotes_and_backslashes)
{
	iotx509_tree *t = tree_at(T0);
	iotx509_certlist *l = NULL;
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_key *k = NULL;
	iotx509_cert *c = NULL;
	iotx509_buf dot = IOTX509_BUF_INIT;
	char *dir = th_tmpdir(), *path, *out = NULL;

	o.at = T0;
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_root(&c, k, "Quote \" and \\ Root", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_new(&l), 0);
	cr_assert_eq(iotx509_certlist_add(l, c), 0);
	cr_assert_eq(iotx509_tree_add_certs(t, l), 0, "%s", th_err());
	cr_assert_null(iotx509_tree_get_source(t, 0));
	cr_assert_eq(iotx509_tree_render_dot(&dot, t), 0);
	cr_assert(strstr((const char *)dot.data, "Quote \\\" and \\\\ Root") != NULL, "%s", dot.data);
	if (th_have("dot")) {
		path = th_path(dir, "q.dot");
		th_write(path, dot.data, dot.size);
		cr_assert_eq(th_run(&out, "dot -Tsvg '%s' >/dev/null", path), 0, "%s", out);
		free(out);
		free(path);
	}
	iotx509_buf_dispose(&dot);
	iotx509_certlist_free(l);
	iotx509_cert_free(c);
	iotx509_key_free(k);
	iotx509_tree_free(t);
	th_rmrf(dir);
	free(dir);
}

Test(tree, cross_signed_cas_do_not_loop)
{
	iotx509_key *kx = NULL, *ky = NULL;
	iotx509_cert *x0 = NULL, *y0 = NULL, *x1 = NULL, *y1 = NULL;
	iotx509_issuer *ix = NULL, *iy = NULL;
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_certlist *l = NULL;
	iotx509_tree *t = tree_at(T0);
	iotx509_buf text = IOTX509_BUF_INIT;

	o.at = T0;
	th_make_root(&kx, &x0, &ix, "CA X", T0);
	th_make_root(&ky, &y0, &iy, "CA Y", T0);
	/* X certified by Y's key and Y by X's key: each is the other's issuer. */
	cr_assert_eq(iotx509_issue_intermediate(&y1, ix, ky, "CA Y", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_issue_intermediate(&x1, iy, kx, "CA X", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_new(&l), 0);
	cr_assert_eq(iotx509_certlist_add(l, x1), 0);
	cr_assert_eq(iotx509_certlist_add(l, y1), 0);
	cr_assert_eq(iotx509_tree_add_certs(t, l), 0, "%s", th_err());
	cr_assert_eq(iotx509_tree_count(t), 2);
	cr_assert_eq(parent_of(t, 0), -1);
	cr_assert_eq(parent_of(t, 1), 0);
	cr_assert_eq(iotx509_tree_render_text(&text, t), 0);
	cr_assert(strstr((const char *)text.data, "`-- CA ") != NULL, "%s", text.data);
	iotx509_buf_dispose(&text);
	iotx509_tree_free(t);
	iotx509_certlist_free(l);
	iotx509_cert_free(x0);
	iotx509_cert_free(y0);
	iotx509_cert_free(x1);
	iotx509_cert_free(y1);
	iotx509_issuer_free(ix);
	iotx509_issuer_free(iy);
	iotx509_key_free(kx);
	iotx509_key_free(ky);
}

Test(tree, foreign_fixtures)
{
	iotx509_tree_options o = IOTX509_TREE_OPTIONS_INIT;
	iotx509_tree *t = NULL;
	iotx509_buf text = IOTX509_BUF_INIT, dot = IOTX509_BUF_INIT;
	long root, inter, c_root, c_inter;
	char *dir = th_tmpdir(), *path, *out = NULL;

	/* Expiring soon: a week or less left. */
	o.at = TH_FIXTURE_TIME;
	o.rule = IOTX509_EXPIRY_DAYS;
	o.threshold = 7;
	cr_assert_eq(iotx509_tree_new(&t, &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_tree_add_path(t, th_fixture_dir("")), 0, "%s", th_err());
	cr_assert_eq(iotx509_tree_count(t), 10);
	root = find(t, "mytestrootcert");
	inter = find(t, "myintermediate");
	c_root = find(t, "Azure IoT Hub CA Cert Test Only");
	c_inter = find(t, "Azure IoT Hub Intermediate Cert Test Only");
	cr_assert_eq(parent_of(t, (size_t)root), -1);
	cr_assert_eq(parent_of(t, (size_t)inter), root);
	cr_assert_eq(parent_of(t, (size_t)find(t, "sample-device-01")), root);
	cr_assert_eq(parent_of(t, (size_t)find(t, "1234ABCD")) >= 0, 1);
	cr_assert_eq(parent_of(t, (size_t)find(t, "mytestselfcertprimary")), -1);
	cr_assert_eq(parent_of(t, (size_t)c_inter), c_root);
	cr_assert_eq(parent_of(t, (size_t)find(t, "mydevice2")), c_inter);
	cr_assert_eq(parent_of(t, (size_t)find(t, "myEdgeDevice.ca")), c_inter);
	/* The edge device CA is a CA; the 1-day Node SDK certificates are expiring
	 * soon, the 30-day certGen.sh ones are not. */
	cr_assert(iotx509_tree_get_marks(t, (size_t)find(t, "myEdgeDevice.ca")) & IOTX509_TREE_CA);
	cr_assert(iotx509_tree_get_marks(t, (size_t)root) & IOTX509_TREE_EXPIRING_SOON);
	cr_assert_not(iotx509_tree_get_marks(t, (size_t)c_root) & IOTX509_TREE_EXPIRING_SOON);
	cr_assert_eq(iotx509_tree_render_text(&text, t), 0);
	cr_assert(strstr((const char *)text.data, "\n|   `-- mydevice2  notAfter ") != NULL ||
			  strstr((const char *)text.data, "\n    |-- mydevice2  notAfter ") != NULL ||
			  strstr((const char *)text.data, "\n    `-- mydevice2  notAfter ") != NULL ||
			  strstr((const char *)text.data, "\n|   |-- mydevice2  notAfter ") != NULL,
		  "%s", text.data);
	cr_assert_eq(iotx509_tree_render_dot(&dot, t), 0);
	if (th_have("dot")) {
		path = th_path(dir, "fixtures.dot");
		th_write(path, dot.data, dot.size);
		cr_assert_eq(th_run(&out, "dot -Tsvg '%s' >/dev/null", path), 0, "%s", out);
		free(out);
		free(path);
	}
	iotx509_buf_dispose(&text);
	iotx509_buf_dispose(&dot);
	iotx509_tree_free(t);
	th_rmrf(dir);
	free(dir);
}

Test(tree, errors)
{
	iotx509_tree *t = NULL;
	iotx509_tree_options o = IOTX509_TREE_OPTIONS_INIT;
	iotx509_buf b = IOTX509_BUF_INIT;

	cr_assert_eq(iotx509_tree_new(NULL, NULL), IOTX509_EINVAL);
	o.threshold = 40000;
	cr_assert_eq(iotx509_tree_new(&t, &o), IOTX509_EINVAL);
	cr_assert(strstr(th_err(), "tree options") != NULL, "%s", th_err());
	o = (iotx509_tree_options)IOTX509_TREE_OPTIONS_INIT;
	o.version = 7;
	cr_assert_eq(iotx509_tree_new(&t, &o), IOTX509_EINVAL);
	cr_assert_eq(iotx509_tree_options_init(&o, IOTX509_TREE_OPTIONS_VERSION), 0);
	cr_assert_eq(o.rule, IOTX509_EXPIRY_PERCENT);
	cr_assert_eq(o.threshold, 0, "0: the rule's default");
	cr_assert_eq(iotx509_tree_new(&t, NULL), 0);
	cr_assert_eq(iotx509_tree_render_text(&b, t), IOTX509_EINVAL);
	cr_assert(strstr(th_err(), "empty") != NULL);
	cr_assert_eq(iotx509_tree_render_dot(&b, t), IOTX509_EINVAL);
	cr_assert_eq(iotx509_tree_add_path(t, "/nonexistent/pki"), IOTX509_ENOTFOUND);
	cr_assert(strstr(th_err(), "/nonexistent/pki") != NULL);
	cr_assert_eq(iotx509_tree_add_certs(t, NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_tree_count(t), 0);
	cr_assert_eq(parent_of(t, 0), -1);
	cr_assert_not(iotx509_tree_has_parent(t, 0));
	cr_assert_eq(iotx509_tree_get_parent(t, 0), 0, "out of range reads as 0, never as an error code");
	cr_assert_not(iotx509_tree_has_parent(NULL, 0));
	cr_assert_eq(iotx509_tree_get_parent(NULL, 0), 0);
	cr_assert_null(iotx509_tree_get_cert(t, 0));
	cr_assert_eq(iotx509_tree_get_marks(NULL, 0), 0);
	iotx509_tree_free(t);
	iotx509_tree_free(NULL);
}

static iotx509_tree *tree_with(const iotx509_tree_options *o, const char *dir)
{
	iotx509_tree *t = NULL;

	cr_assert_eq(iotx509_tree_new(&t, o), 0, "%s", th_err());
	cr_assert_eq(iotx509_tree_add_path(t, dir), 0, "%s", th_err());
	return t;
}

static unsigned int marks_of(const iotx509_tree *t, const char *cn)
{
	return iotx509_tree_get_marks(t, (size_t)find(t, cn));
}

Test(tree, zero_filled_options_are_the_defaults)
{
	hier h;
	iotx509_tree_options z, init = IOTX509_TREE_OPTIONS_INIT;
	iotx509_tree *a, *b;
	size_t i;

	hier_make(&h);
	TH_ZERO_OPTIONS(z, IOTX509_TREE_OPTIONS_VERSION);
	z.at = init.at = T0 + 20 * DAY;
	a = tree_with(&z, h.dir);
	b = tree_with(&init, h.dir);
	cr_assert_eq(iotx509_tree_count(a), iotx509_tree_count(b));
	for (i = 0; i < iotx509_tree_count(a); i++) {
		cr_assert_eq(iotx509_tree_get_marks(a, i), iotx509_tree_get_marks(b, i), "node %zu", i);
		cr_assert_eq(iotx509_tree_get_parent(a, i), iotx509_tree_get_parent(b, i), "node %zu", i);
	}
	/* The default is 80 percent: device-soon (40 days, 20 passed) is not due. */
	cr_assert_eq(marks_of(a, "device-soon"), 0);
	iotx509_tree_free(a);
	iotx509_tree_free(b);

	/* The days rule with threshold 0: its default, 30 days; 0 days only when asked. */
	z.rule = IOTX509_EXPIRY_DAYS;
	a = tree_with(&z, h.dir);
	cr_assert_eq(marks_of(a, "device-soon"), IOTX509_TREE_EXPIRING_SOON);
	iotx509_tree_free(a);
	z.has_threshold = 1;
	a = tree_with(&z, h.dir);
	cr_assert_eq(marks_of(a, "device-soon"), 0, "20 days left, due at 0 days: not yet");
	iotx509_tree_free(a);

	TH_CHECK_OPTIONS_INIT(iotx509_tree_options, iotx509_tree_options_init, IOTX509_TREE_OPTIONS_VERSION, "tree options",
			      IOTX509_TREE_OPTIONS_INIT);
	hier_free(&h);
}

Test(tree, options_versions_1_to_current)
{
	iotx509_tree_options o = IOTX509_TREE_OPTIONS_INIT;
	iotx509_tree *t = NULL;

	o.version = 1;
	cr_assert_eq(iotx509_tree_new(&t, &o), 0, "%s", th_err());
	iotx509_tree_free(t);
	t = NULL;
	o.version = 0;
	th_version_refused(iotx509_tree_new(&t, &o), 0);
	o.version = IOTX509_TREE_OPTIONS_VERSION + 1;
	th_version_refused(iotx509_tree_new(&t, &o), IOTX509_TREE_OPTIONS_VERSION + 1);
	cr_assert_null(t);
}
