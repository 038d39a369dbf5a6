/*
 * The CA hierarchy of a set of certificates, as text or Graphviz DOT.
 */
#include "cert-internal.h"
#include "certlist-internal.h"
#include "chain-internal.h"
#include "expiry-internal.h"
#include "scan-internal.h"
#include "strbuf-internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct iotx509_tree {
	int64_t at;
	iotx509_expiry_rule rule;
	unsigned int threshold;
	iox_scan found;  /* insertion order */
	long *parent;    /* per insertion index: the issuer's insertion index, or -1 */
	size_t linked;   /* entries whose parent has been looked for at least once */
	/* Display order (depth first, siblings sorted), rebuilt after each add. */
	size_t *order;   /* display position -> insertion index */
	size_t *pos;     /* insertion index -> display position */
	size_t *depth;   /* per display position */
	int *last;       /* per display position: the last of its siblings */
};

IOX_OPTS_TYPE(tree_opts_type, "tree options", IOTX509_TREE_OPTIONS_VERSION, sizeof(iotx509_tree_options));
static const iotx509_tree_options tree_opts_defaults = IOTX509_TREE_OPTIONS_INIT;

iotx509_error_code iotx509_tree_options_init(iotx509_tree_options *opts, unsigned int version)
{
	return iox_opts_init(opts, version, &tree_opts_defaults, &tree_opts_type);
}

iotx509_error_code iotx509_tree_new(iotx509_tree **out, const iotx509_tree_options *opts)
{
	iotx509_tree_options copy;
	iotx509_tree *t;
	unsigned int threshold;
	int ret;

	if (out == NULL)
		return iox_error(IOTX509_EINVAL, "tree: out is NULL");
	*out = NULL;
	/* Only the fields of the caller's version are read. */
	if (iox_opts_read(&copy, opts, &tree_opts_defaults, &tree_opts_type) < 0)
		return IOTX509_EINVAL;
	opts = &copy;
	if (opts->at < 0)
		return iox_error(IOTX509_EINVAL, "tree options: negative time");
	if ((ret = iox_expiry_resolve_rule(&threshold, opts->rule, opts->threshold, opts->has_threshold,
					   "tree options")) < 0)
		return ret;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	t->at = opts->at ? opts->at : (int64_t)time(NULL);
	t->rule = opts->rule;
	t->threshold = threshold;
	*out = t;
	return 0;
}

void iotx509_tree_free(iotx509_tree *tree)
{
	if (tree == NULL)
		return;
	iox_scan_clear(&tree->found);
	free(tree->parent);
	free(tree->order);
	free(tree->pos);
	free(tree->depth);
	free(tree->last);
	free(tree);
}

static const iotx509_cert *cert_at(const iotx509_tree *t, size_t i)
{
	return t->found.items[i].cert;
}

/* Roots of the parent forest, with path compression: linking @i (a root)
 * under @j closes a loop exactly when @j's root is @i. */
static size_t root_of(size_t *up, size_t x)
{
	while (up[x] != x) {
		up[x] = up[up[x]];
		x = up[x];
	}
	return x;
}

/*
 * The issuer of entry @i (parentless, so the root of its subtree) among
 * names[lo..] (those named like its issuer): the only one that fits, or,
 * as the chain builder does, the first whose key verifies the signature (a
 * CA renewed under the same name with another key), else the first that
 * fits. A fitting issuer matches by name and key identifiers, and linking
 * it closes no loop (two CAs cross-signed by each other). Signatures are
 * checked within IOTX509_TREE_MAX_SIGNATURE_CHECKS, and then within what
 * is left of @spare, shared by the whole addition: one costs about as much
 * as issuing, and a directory may hold thousands of devices.
 * @fit and @ok are scratch arrays of at least @n entries.
 */
static long pick_issuer(const iotx509_tree *t, size_t i, const iox_by_name *names, size_t lo, size_t n, size_t *up,
			iox_sig_budget *spare, size_t *fit, const iotx509_cert **fit_cert, unsigned char *ok)
{
	const iotx509_cert *c = cert_at(t, i);
	iox_sig_budget budget = { 0, IOTX509_TREE_MAX_SIGNATURE_CHECKS + (spare->limit - spare->used) };
	size_t k, m = 0;
	int found;

	for (k = lo; k < n && strcmp(names[k].dn, c->issuer_dn) == 0; k++) {
		size_t j = names[k].index;

		if (j != i && iox_cert_check_issuer(c, cert_at(t, j)) && root_of(up, j) != i) {
			fit[m] = j;
			fit_cert[m++] = cert_at(t, j);
		}
	}
	if (m < 2)
		return m ? (long)fit[0] : -1;
	found = iox_find_signer(ok, c, fit_cert, m, &budget);
	if (budget.used > IOTX509_TREE_MAX_SIGNATURE_CHECKS)
		spare->used += budget.used - IOTX509_TREE_MAX_SIGNATURE_CHECKS;
	for (k = 0; found > 0 && k < m; k++)
		if (ok[k])
			return (long)fit[k];
	return (long)fit[0];
}

/* Link every parentless, not self-signed entry to its issuer (see
 * pick_issuer()), in insertion order. */
static int link_parents(iotx509_tree *t)
{
	size_t i, n = t->found.count, sz = n ? n : 1;
	iox_by_name *names = malloc(sz * sizeof(*names));
	size_t *up = malloc(sz * sizeof(*up)), *fit = malloc(sz * sizeof(*fit));
	const iotx509_cert **fit_cert = malloc(sz * sizeof(*fit_cert));
	unsigned char *ok = malloc(sz);
	iox_sig_budget spare = { 0, IOTX509_TREE_SPARE_SIGNATURE_CHECKS };
	int ret = 0;

	if (names == NULL || up == NULL || fit == NULL || fit_cert == NULL || ok == NULL) {
		ret = iox_error(IOTX509_ENOMEM, "out of memory");
		goto out;
	}
	for (i = t->linked; i < n; i++)
		t->parent[i] = -1;
	for (i = 0; i < n; i++) {
		names[i].dn = cert_at(t, i)->subject_dn;
		names[i].index = i;
		up[i] = t->parent[i] >= 0 ? (size_t)t->parent[i] : i;
	}
	iox_by_name_sort(names, n);
	for (i = 0; i < n; i++) {
		const iotx509_cert *c = cert_at(t, i);

		if (t->parent[i] >= 0 || c->self_signed)
			continue;
		t->parent[i] = pick_issuer(t, i, names, iox_by_name_find(names, n, c->issuer_dn), n, up, &spare, fit,
					   fit_cert, ok);
		if (t->parent[i] >= 0)
			up[i] = (size_t)t->parent[i];
	}
	t->linked = n;
out:
	free(names);
	free(up);
	free(fit);
	free(fit_cert);
	free(ok);
	return ret;
}

/* A sort key that carries what the comparison needs (qsort has no user pointer). */
typedef struct {
	const iotx509_cert *cert;
	size_t index;
} sibling;

static int cmp_siblings(const void *pa, const void *pb)
{
	const sibling *a = pa, *b = pb;
	int r = strcmp(a->cert->subject_cn, b->cert->subject_cn);

	if (r == 0)
		r = strcmp(a->cert->subject_dn, b->cert->subject_dn);
	if (r == 0 && a->cert->not_before != b->cert->not_before)
		r = a->cert->not_before < b->cert->not_before ? -1 : 1;
	if (r == 0)
		r = a->index < b->index ? -1 : (a->index > b->index ? 1 : 0);
	return r;
}

/* Rebuild the display order: depth first, siblings sorted. */
static int build_order(iotx509_tree *t)
{
	size_t n = t->found.count, k, sp = 0, out = 0;
	sibling *sorted = NULL;
	size_t *stack = NULL;
	long *first_child = NULL, *next_sib = NULL, first_root = -1, cur;
	size_t d = 0;
	int ret = 0;

	sorted = malloc(n * sizeof(*sorted));
	stack = malloc(n * sizeof(*stack));
	first_child = malloc(n * sizeof(*first_child));
	next_sib = malloc(n * sizeof(*next_sib));
	if (!sorted || !stack || !first_child || !next_sib) {
		ret = iox_error(IOTX509_ENOMEM, "out of memory");
		goto out;
	}
	/* Nothing below fails: the order arrays are only written from here on. */
	for (k = 0; k < n; k++) {
		sorted[k].cert = cert_at(t, k);
		sorted[k].index = k;
		first_child[k] = -1;
	}
	qsort(sorted, n, sizeof(*sorted), cmp_siblings);
	/* Sibling lists in sorted order: push to the front, walking backwards. */
	for (k = n; k-- > 0;) {
		size_t i = sorted[k].index;
		long p = t->parent[i];

		if (p < 0) {
			next_sib[i] = first_root;
			first_root = (long)i;
		} else {
			next_sib[i] = first_child[p];
			first_child[p] = (long)i;
		}
	}
	cur = first_root;
	while (cur >= 0) {
		t->order[out] = (size_t)cur;
		t->pos[cur] = out;
		t->depth[out] = d;
		t->last[out] = next_sib[cur] < 0;
		out++;
		if (first_child[cur] >= 0) {
			stack[sp++] = (size_t)cur;
			cur = first_child[cur];
			d++;
			continue;
		}
		while (cur >= 0 && next_sib[cur] < 0) {
			cur = sp ? (long)stack[--sp] : -1;
			d--;
		}
		if (cur >= 0)
			cur = next_sib[cur];
	}
out:
	free(sorted);
	free(stack);
	free(first_child);
	free(next_sib);
	return ret;
}

/* Grow the per-node arrays to the number of entries. */
static int grow(iotx509_tree *t)
{
	size_t n = t->found.count ? t->found.count : 1;
	long *parent = realloc(t->parent, n * sizeof(*parent));

	if (parent == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	t->parent = parent;
#define GROW(field)                                                         \
	do {                                                                \
		void *p = realloc(t->field, n * sizeof(*t->field));         \
		if (p == NULL)                                              \
			return iox_error(IOTX509_ENOMEM, "out of memory");  \
		t->field = p;                                               \
	} while (0)
	GROW(order);
	GROW(pos);
	GROW(depth);
	GROW(last);
#undef GROW
	return 0;
}

/* Drop the entries from @before on, and every link to them. */
static void drop_from(iotx509_tree *t, size_t before)
{
	size_t i;

	iox_scan_truncate(&t->found, before);
	for (i = 0; i < before && i < t->linked; i++)
		if (t->parent[i] >= (long)before)
			t->parent[i] = -1;
	if (t->linked > before)
		t->linked = before;
}

/* After entries were added: link them and rebuild the order. On failure
 * the new entries are dropped again and the tree stays as it was (the
 * order arrays are only written once nothing can fail any more). */
static int settle(iotx509_tree *t, size_t before)
{
	int ret = grow(t);

	if (ret == 0)
		ret = link_parents(t);
	if (ret == 0)
		ret = build_order(t);
	if (ret < 0)
		drop_from(t, before);
	return ret;
}

iotx509_error_code iotx509_tree_add_path(iotx509_tree *tree, const char *path)
{
	size_t before;
	int ret;

	if (tree == NULL || path == NULL || *path == '\0')
		return iox_error(IOTX509_EINVAL, "tree: NULL or empty argument");
	before = tree->found.count;
	if ((ret = iox_scan_path(&tree->found, path, NULL)) < 0)
		return ret;
	return settle(tree, before);
}

iotx509_error_code iotx509_tree_add_certs(iotx509_tree *tree, const iotx509_certlist *certs)
{
	size_t before, i;
	int ret = 0;

	if (tree == NULL || certs == NULL)
		return iox_error(IOTX509_EINVAL, "tree: NULL argument");
	before = tree->found.count;
	for (i = 0; ret >= 0 && i < certs->count; i++)
		ret = iox_scan_add(&tree->found, certs->certs[i], NULL);
	if (ret < 0) {
		drop_from(tree, before);
		return ret;
	}
	return settle(tree, before);
}

size_t iotx509_tree_count(const iotx509_tree *tree)
{
	return tree ? tree->found.count : 0;
}

int64_t iotx509_tree_get_time(const iotx509_tree *tree)
{
	return tree ? tree->at : 0;
}

const iotx509_cert *iotx509_tree_get_cert(const iotx509_tree *tree, size_t index)
{
	if (tree == NULL || index >= tree->found.count)
		return NULL;
	return cert_at(tree, tree->order[index]);
}

const char *iotx509_tree_get_source(const iotx509_tree *tree, size_t index)
{
	if (tree == NULL || index >= tree->found.count)
		return NULL;
	return tree->found.items[tree->order[index]].source;
}

int iotx509_tree_has_parent(const iotx509_tree *tree, size_t index)
{
	return tree != NULL && index < tree->found.count && tree->parent[tree->order[index]] >= 0;
}

size_t iotx509_tree_get_parent(const iotx509_tree *tree, size_t index)
{
	if (!iotx509_tree_has_parent(tree, index))
		return 0;
	return tree->pos[tree->parent[tree->order[index]]];
}

size_t iotx509_tree_get_depth(const iotx509_tree *tree, size_t index)
{
	if (tree == NULL || index >= tree->found.count)
		return 0;
	return tree->depth[index];
}

unsigned int iotx509_tree_get_marks(const iotx509_tree *tree, size_t index)
{
	const iotx509_cert *c;
	iox_expiry_eval ev;
	unsigned int m = 0;

	if (tree == NULL || index >= tree->found.count)
		return 0;
	c = cert_at(tree, tree->order[index]);
	if (c->is_ca)
		m |= IOTX509_TREE_CA;
	if (c->self_signed)
		m |= IOTX509_TREE_SELF_SIGNED;
	else if (tree->parent[tree->order[index]] < 0)
		m |= IOTX509_TREE_ISSUER_MISSING;
	iox_expiry_evaluate(&ev, c, tree->at, tree->rule, tree->threshold);
	if (ev.state == IOTX509_EXPIRY_EXPIRED)
		m |= IOTX509_TREE_EXPIRED;
	else if (ev.state == IOTX509_EXPIRY_NOT_YET_VALID)
		m |= IOTX509_TREE_NOT_YET_VALID;
	else if (ev.due)
		m |= IOTX509_TREE_EXPIRING_SOON;
	return m;
}

/* The name shown for a certificate: its CN, else its DN. */
static const char *label_of(const iotx509_cert *c)
{
	if (c->subject_cn[0])
		return c->subject_cn;
	return c->subject_dn[0] ? c->subject_dn : "(empty subject)";
}

/* Text escaped as iotx509_text_escape() does (a CN may hold anything). */
static void put_clean(iox_strbuf *sb, const char *s)
{
	char unit[4];
	size_t in, n;

	while (*s) {
		n = iox_escape_unit(unit, s, &in);
		iox_sb_append(sb, unit, n);
		s += in;
	}
}

iotx509_error_code iotx509_tree_render_text(iotx509_buf *out, const iotx509_tree *tree)
{
	iox_strbuf sb = IOX_STRBUF_INIT;
	int *last_at = NULL;
	size_t k, d;
	char when[32];

	if (out == NULL || tree == NULL)
		return iox_error(IOTX509_EINVAL, "tree render: NULL argument");
	if (tree->found.count == 0)
		return iox_error(IOTX509_EINVAL, "tree render: the tree is empty");
	/* last_at[d]: whether the current ancestor at depth d is the last of
	 * its siblings, which decides "|   " or "    " below it. */
	if ((last_at = calloc(tree->found.count, sizeof(*last_at))) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	for (k = 0; k < tree->found.count; k++) {
		const iotx509_cert *c = iotx509_tree_get_cert(tree, k);
		unsigned int m = iotx509_tree_get_marks(tree, k);
		size_t depth = tree->depth[k];

		last_at[depth] = tree->last[k];
		for (d = 1; d < depth; d++)
			iox_sb_puts(&sb, last_at[d] ? "    " : "|   ");
		if (depth > 0)
			iox_sb_puts(&sb, tree->last[k] ? "`-- " : "|-- ");
		put_clean(&sb, label_of(c));
		iox_format_time(when, sizeof(when), c->not_after);
		iox_sb_printf(&sb, "  notAfter %s", when);
		if (m & IOTX509_TREE_CA)
			iox_sb_puts(&sb, "  [CA]");
		if (m & IOTX509_TREE_EXPIRED)
			iox_sb_puts(&sb, "  [expired]");
		if (m & IOTX509_TREE_EXPIRING_SOON)
			iox_sb_puts(&sb, "  [expiring soon]");
		if (m & IOTX509_TREE_NOT_YET_VALID)
			iox_sb_puts(&sb, "  [not yet valid]");
		if (m & IOTX509_TREE_ISSUER_MISSING) {
			iox_sb_puts(&sb, "  [issuer not found: ");
			put_clean(&sb, c->issuer_dn);
			iox_sb_putc(&sb, ']');
		}
		iox_sb_putc(&sb, '\n');
	}
	free(last_at);
	return iox_sb_finish(&sb, out);
}

/* A DOT double-quoted string body, quote and backslash escaped for DOT:
 * the drawing shows a backslash as it is, and controls (which DOT would
 * take or a terminal showing the source would act on) in the escaped form
 * of the text rendering. */
static void put_dot(iox_strbuf *sb, const char *s)
{
	char unit[4];
	size_t in, n, i;

	while (*s) {
		if (*s == '\\') {
			iox_sb_puts(sb, "\\\\");
			s++;
			continue;
		}
		n = iox_escape_unit(unit, s, &in);
		for (i = 0; i < n; i++) {
			if (unit[i] == '"' || unit[i] == '\\')
				iox_sb_putc(sb, '\\');
			iox_sb_putc(sb, unit[i]);
		}
		s += in;
	}
}

iotx509_error_code iotx509_tree_render_dot(iotx509_buf *out, const iotx509_tree *tree)
{
	iox_strbuf sb = IOX_STRBUF_INIT;
	unsigned int *marks;
	size_t k, j, n;
	char when[32];

	if (out == NULL || tree == NULL)
		return iox_error(IOTX509_EINVAL, "tree render: NULL argument");
	if ((n = tree->found.count) == 0)
		return iox_error(IOTX509_EINVAL, "tree render: the tree is empty");
	if ((marks = malloc(n * sizeof(*marks))) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	for (k = 0; k < n; k++)
		marks[k] = iotx509_tree_get_marks(tree, k);
	iox_sb_puts(&sb, "digraph iotx509 {\n"
			 "\trankdir=TB;\n"
			 "\tnode [shape=box, fontname=\"Helvetica\", fontsize=10, style=\"filled\", fillcolor=\"white\"];\n"
			 "\tedge [arrowhead=vee];\n");
	for (k = 0; k < n; k++) {
		const iotx509_cert *c = iotx509_tree_get_cert(tree, k);
		unsigned int m = marks[k];
		const char *fill = (m & IOTX509_TREE_EXPIRED)		? "#f4cccc"
				   : (m & IOTX509_TREE_EXPIRING_SOON)	? "#fce5cd"
				   : (m & IOTX509_TREE_NOT_YET_VALID)	? "#cfe2f3"
									: "white";

		iox_format_time(when, sizeof(when), c->not_after);
		iox_sb_printf(&sb, "\tn%zu [label=\"", k);
		put_dot(&sb, label_of(c));
		iox_sb_printf(&sb, "\\nnotAfter %s", when);
		if (m & (IOTX509_TREE_CA | IOTX509_TREE_EXPIRED | IOTX509_TREE_EXPIRING_SOON | IOTX509_TREE_NOT_YET_VALID))
			iox_sb_printf(&sb, "\\n%s%s%s%s", (m & IOTX509_TREE_CA) ? "[CA]" : "",
				      (m & IOTX509_TREE_EXPIRED) ? "[expired]" : "",
				      (m & IOTX509_TREE_EXPIRING_SOON) ? "[expiring soon]" : "",
				      (m & IOTX509_TREE_NOT_YET_VALID) ? "[not yet valid]" : "");
		iox_sb_printf(&sb, "\", fillcolor=\"%s\"%s];\n", fill,
			      (m & IOTX509_TREE_CA) ? ", style=\"filled,bold\"" : ", style=\"filled,rounded\"");
	}
	/* One dashed placeholder per missing issuer name, shared by its orphans. */
	for (k = 0; k < n; k++) {
		const iotx509_cert *c = iotx509_tree_get_cert(tree, k);
		size_t first = k;

		if (!(marks[k] & IOTX509_TREE_ISSUER_MISSING))
			continue;
		for (j = 0; j < k; j++)
			if ((marks[j] & IOTX509_TREE_ISSUER_MISSING) &&
			    strcmp(iotx509_tree_get_cert(tree, j)->issuer_dn, c->issuer_dn) == 0) {
				first = j;
				break;
			}
		if (first == k) {
			iox_sb_printf(&sb, "\tm%zu [label=\"issuer not found\\n", k);
			put_dot(&sb, c->issuer_dn);
			iox_sb_puts(&sb, "\", style=\"dashed\"];\n");
		}
		iox_sb_printf(&sb, "\tm%zu -> n%zu [style=dashed];\n", first, k);
	}
	for (k = 0; k < n; k++) {
		if (iotx509_tree_has_parent(tree, k))
			iox_sb_printf(&sb, "\tn%zu -> n%zu;\n", iotx509_tree_get_parent(tree, k), k);
	}
	iox_sb_puts(&sb, "}\n");
	free(marks);
	return iox_sb_finish(&sb, out);
}
