/*
 * Chain building: find the issuers of a leaf in an unordered pool.
 *
 * A depth-first search over every path from the leaf, scored as documented
 * in chain.h. Issuer candidates come from an index by name, so a pool of N
 * costs O(N log N) to set up; each certificate's candidates are worked out
 * once per build. Signatures only decide between look-alikes (same name, no
 * key identifier telling them apart), one check per key, within
 * IOTX509_CHAIN_MAX_SIGNATURE_CHECKS; a visit budget bounds pools with very
 * many paths.
 */
#include "cert-internal.h"
#include "certlist-internal.h"
#include "chain-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libtasn1.h>

#define MAX_DEPTH IOTX509_CHAIN_MAX_DEPTH
#define MAX_VISITS 100000

/* The tbsCertificate TLV inside a certificate's DER. */
static int tbs_of(gnutls_datum_t *tbs, const gnutls_datum_t *der)
{
	long len;
	int len_len;
	size_t off, size = der->size;

	if (size < 2 || der->data[0] != 0x30)
		return -1;
	len = asn1_get_length_der(der->data + 1, (int)size - 1, &len_len);
	if (len < 0)
		return -1;
	off = 1 + (size_t)len_len;
	if (off + 2 > size || der->data[off] != 0x30)
		return -1;
	len = asn1_get_length_der(der->data + off + 1, (int)(size - off - 1), &len_len);
	if (len < 0 || off + 1 + (size_t)len_len + (size_t)len > size)
		return -1;
	tbs->data = der->data + off;
	tbs->size = (unsigned int)(1 + (size_t)len_len + (size_t)len);
	return 0;
}

int iox_cert_signed_by(const iotx509_cert *cert, const iotx509_cert *issuer)
{
	gnutls_datum_t tbs, sig = { NULL, 0 };
	size_t size = 0;
	int algo, ret;

	if (tbs_of(&tbs, &cert->der) < 0)
		return 0;
	algo = gnutls_x509_crt_get_signature_algorithm(cert->crt);
	if (algo < 0 || gnutls_x509_crt_get_signature(cert->crt, NULL, &size) != GNUTLS_E_SHORT_MEMORY_BUFFER)
		return 0;
	if ((sig.data = gnutls_malloc(size)) == NULL)
		return 0;
	if (gnutls_x509_crt_get_signature(cert->crt, (char *)sig.data, &size) < 0) {
		gnutls_free(sig.data);
		return 0;
	}
	sig.size = (unsigned int)size;
	/* Weak algorithms are allowed here: this is about which key signed,
	 * not whether the algorithm is acceptable (verification says that). */
	ret = gnutls_pubkey_verify_data2(issuer->pub, (gnutls_sign_algorithm_t)algo,
					 GNUTLS_VERIFY_ALLOW_BROKEN | GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1, &tbs, &sig);
	gnutls_free(sig.data);
	return ret >= 0;
}

int iox_find_signer(unsigned char *ok, const iotx509_cert *cert, const iotx509_cert *const *cands, size_t n,
		    iox_sig_budget *budget)
{
	size_t k, j, found = 0;

	/* ok[] doubles as the list of keys tried so far (value 2). */
	memset(ok, 0, n);
	for (k = 0; k < n; k++) {
		for (j = 0; j < k; j++)
			if (ok[j] == 2 && strcmp(cands[j]->spki_sha256, cands[k]->spki_sha256) == 0)
				break;
		if (j < k)
			continue;
		if (budget->used >= budget->limit) {
			memset(ok, 0, n);
			return -1;
		}
		budget->used++;
		if (iox_cert_signed_by(cert, cands[k]))
			break;
		ok[k] = 2;
	}
	if (k == n) {
		memset(ok, 0, n);
		return 0;
	}
	/* One signature verifies under one key only: the others are out. */
	for (j = 0; j < n; j++) {
		ok[j] = (unsigned char)(j >= k && strcmp(cands[j]->spki_sha256, cands[k]->spki_sha256) == 0);
		found += ok[j];
	}
	return (int)found;
}

static int cmp_by_name(const void *pa, const void *pb)
{
	const iox_by_name *a = pa, *b = pb;
	int r = strcmp(a->dn, b->dn);

	return r ? r : (a->index < b->index ? -1 : (a->index > b->index ? 1 : 0));
}

void iox_by_name_sort(iox_by_name *names, size_t n)
{
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_by_name);
}

size_t iox_by_name_find(const iox_by_name *names, size_t n, const char *dn)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(names[mid].dn, dn) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(names[lo].dn, dn) == 0 ? lo : n;
}

IOX_OPTS_TYPE(chain_opts_type, "chain options", IOTX509_CHAIN_OPTIONS_VERSION, sizeof(iotx509_chain_options));
static const iotx509_chain_options chain_opts_defaults = IOTX509_CHAIN_OPTIONS_INIT;

iotx509_error_code iotx509_chain_options_init(iotx509_chain_options *opts, unsigned int version)
{
	return iox_opts_init(opts, version, &chain_opts_defaults, &chain_opts_type);
}

typedef struct {
	const iotx509_cert *cert;
	int anchor;
	/* Its issuer candidates, worked out on first visit (each pair's
	 * signature is checked at most once per build). */
	size_t *issuers, nissuers;
	int edges_done;
} candidate;

typedef struct {
	size_t idx[MAX_DEPTH]; /* candidate indices; the leaf is implicit */
	size_t len;
} path_t;

typedef struct {
	int complete, anchored, all_valid;
	int64_t min_not_after;
	size_t len;
} score_t;

typedef struct {
	const iotx509_cert *leaf;
	candidate *cands; /* the anchors and the pool (deduplicated); the last one is the leaf */
	size_t ncands;
	iox_by_name *names; /* cands by subject name */
	int64_t at;
	unsigned long visits;
	iox_sig_budget budget;

	path_t cur;
	path_t best;
	score_t best_score;
	int have_best;

	/* Why paths stopped, for the error message. */
	const iotx509_cert *missing_for; /* deepest certificate without an issuer */
	size_t missing_depth;
	path_t loop;                     /* a path that came back on itself */
	size_t loop_start;               /* position (in loop, 0 = leaf) of the repeated certificate */
	int have_loop, too_long, gave_up;
} search_t;

static const iotx509_cert *path_cert(const search_t *s, const path_t *p, size_t i)
{
	return i == 0 ? s->leaf : s->cands[p->idx[i - 1]].cert;
}

static void score_path(score_t *sc, const search_t *s, const path_t *p, int complete)
{
	size_t i;

	memset(sc, 0, sizeof(*sc));
	sc->complete = complete;
	sc->len = p->len + 1;
	sc->anchored = complete && p->len > 0 && s->cands[p->idx[p->len - 1]].anchor;
	sc->all_valid = 1;
	sc->min_not_after = INT64_MAX;
	/* The leaf is the same in every path: only its issuers count. */
	for (i = 1; i <= p->len; i++) {
		const iotx509_cert *c = path_cert(s, p, i);

		if (s->at < c->not_before || s->at > c->not_after)
			sc->all_valid = 0;
		if (c->not_after < sc->min_not_after)
			sc->min_not_after = c->not_after;
	}
}

/* 1 if @a is better than @b (see the order documented in chain.h). */
static int score_better(const score_t *a, const score_t *b)
{
	if (a->complete != b->complete)
		return a->complete > b->complete;
	if (a->anchored != b->anchored)
		return a->anchored > b->anchored;
	if (a->all_valid != b->all_valid)
		return a->all_valid > b->all_valid;
	if (!a->complete && a->len != b->len) /* partial: the longest gets furthest */
		return a->len > b->len;
	if (a->min_not_after != b->min_not_after)
		return a->min_not_after > b->min_not_after;
	return a->len < b->len;
}

static void consider(search_t *s, int complete)
{
	score_t sc;

	score_path(&sc, s, &s->cur, complete);
	if (!s->have_best || score_better(&sc, &s->best_score)) {
		s->best = s->cur;
		s->best_score = sc;
		s->have_best = 1;
	}
}

static int in_path(const search_t *s, size_t cand)
{
	size_t i;

	for (i = 0; i < s->cur.len; i++)
		if (s->cur.idx[i] == cand)
			return 1;
	return 0;
}

/* The issuer candidates of candidate @n: name (and AKI/SKI) matches, and of
 * several only those whose key verifies the signature, if any does (a
 * regenerated CA with the same CN does not fit). With none verifying, the
 * name matches stay, so that verification can report the bad signature. */
static int edges(search_t *s, size_t n)
{
	candidate *me = &s->cands[n];
	const char *dn = me->cert->issuer_dn;
	size_t lo = iox_by_name_find(s->names, s->ncands, dn), hi, k, m = 0;
	const iotx509_cert **matched = NULL;
	unsigned char *ok = NULL;
	int found, ret = 0;

	if (me->edges_done)
		return 0;
	for (hi = lo; hi < s->ncands && strcmp(s->names[hi].dn, dn) == 0; hi++)
		;
	if (hi > lo && (me->issuers = malloc((hi - lo) * sizeof(*me->issuers))) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	for (k = lo; k < hi; k++) {
		size_t i = s->names[k].index;

		if (i != n && i != s->ncands - 1 && iox_cert_check_issuer(me->cert, s->cands[i].cert))
			me->issuers[m++] = i;
	}
	me->nissuers = m;
	me->edges_done = 1;
	/* Signatures only choose between several name matches: a single
	 * match stays whether or not it verifies, and checking a signature
	 * costs about as much as issuing the certificate (a batch builds a
	 * chain for every device it issues). */
	if (m < 2)
		return 0;
	matched = malloc(m * sizeof(*matched));
	ok = malloc(m);
	if (matched == NULL || ok == NULL) {
		ret = iox_error(IOTX509_ENOMEM, "out of memory");
		goto out;
	}
	for (k = 0; k < m; k++)
		matched[k] = s->cands[me->issuers[k]].cert;
	found = iox_find_signer(ok, me->cert, matched, m, &s->budget);
	if (found < 0) {
		ret = iox_error(IOTX509_ELIMIT,
				"building the chain of '%s' needs more than %d signature checks "
				"(IOTX509_CHAIN_MAX_SIGNATURE_CHECKS): %zu certificates named '%s' could have issued '%s' "
				"and no key identifier tells them apart",
				s->leaf->subject_dn, IOTX509_CHAIN_MAX_SIGNATURE_CHECKS, m, dn, me->cert->subject_dn);
		goto out;
	}
	if (found > 0) {
		size_t kept = 0;

		for (k = 0; k < m; k++)
			if (ok[k])
				me->issuers[kept++] = me->issuers[k];
		me->nissuers = kept;
	}
out:
	free(matched);
	free(ok);
	return ret;
}

static int dfs(search_t *s)
{
	size_t node = s->cur.len ? s->cur.idx[s->cur.len - 1] : s->ncands - 1;
	const candidate *me = &s->cands[node];
	size_t i, fresh = 0;
	int ret;

	if (++s->visits > MAX_VISITS) {
		s->gave_up = 1;
		return 0;
	}
	if (me->cert->self_signed || (s->cur.len > 0 && me->anchor)) {
		consider(s, 1);
		return 0;
	}
	if ((ret = edges(s, node)) < 0)
		return ret;
	me = &s->cands[node];
	if (me->nissuers == 0) {
		consider(s, 0);
		if (s->missing_for == NULL || s->cur.len + 1 > s->missing_depth) {
			s->missing_for = me->cert;
			s->missing_depth = s->cur.len + 1;
		}
		return 0;
	}
	if (s->cur.len + 1 >= MAX_DEPTH) {
		consider(s, 0);
		s->too_long = 1;
		return 0;
	}
	for (i = 0; i < me->nissuers; i++) {
		size_t next = me->issuers[i];

		if (in_path(s, next)) {
			if (!s->have_loop) {
				size_t k;

				s->loop = s->cur;
				s->loop.idx[s->loop.len++] = next;
				s->loop_start = 0;
				for (k = 0; k < s->cur.len; k++)
					if (s->cur.idx[k] == next)
						s->loop_start = k + 1;
				s->have_loop = 1;
			}
			continue;
		}
		fresh++;
		s->cur.idx[s->cur.len++] = next;
		ret = dfs(s);
		s->cur.len--;
		if (ret < 0)
			return ret;
	}
	if (fresh == 0)
		consider(s, 0);
	return 0;
}

static int same_der(const iotx509_cert *a, const iotx509_cert *b)
{
	return a->der.size == b->der.size && memcmp(a->der.data, b->der.data, a->der.size) == 0;
}

/* An anchor or pool certificate, with its position for the tie-break. */
typedef struct {
	const iotx509_cert *cert;
	size_t pos;
	int anchor;
} entry_t;

static int cmp_entry_der(const void *pa, const void *pb)
{
	const entry_t *a = pa, *b = pb;
	int r = strcmp(a->cert->sha256, b->cert->sha256);

	return r ? r : (a->pos < b->pos ? -1 : (a->pos > b->pos ? 1 : 0));
}

static int cmp_entry_pos(const void *pa, const void *pb)
{
	const entry_t *a = pa, *b = pb;

	return a->pos < b->pos ? -1 : (a->pos > b->pos ? 1 : 0);
}

/*
 * The candidates: the anchors, then the pool, each certificate once (an
 * anchor that is also in the pool stays an anchor) and without the leaf,
 * which comes last; then the index by name. Duplicates are found by
 * sorting on the SHA-256 thumbprint, not by comparing every pair.
 */
static int collect(search_t *s, const iotx509_certlist *anchors, const iotx509_certlist *pool)
{
	size_t na = anchors ? anchors->count : 0, np = pool ? pool->count : 0, n = 0, kept = 0, i;
	entry_t *e = malloc((na + np + 1) * sizeof(*e));

	if (e == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	for (i = 0; i < na + np; i++) {
		const iotx509_cert *c = i < na ? anchors->certs[i] : pool->certs[i - na];

		if (same_der(c, s->leaf))
			continue;
		e[n].cert = c;
		e[n].pos = i;
		e[n].anchor = i < na;
		n++;
	}
	if (n > 1)
		qsort(e, n, sizeof(*e), cmp_entry_der);
	for (i = 0; i < n; i++) {
		if (kept > 0 && same_der(e[kept - 1].cert, e[i].cert)) {
			e[kept - 1].anchor |= e[i].anchor;
			continue;
		}
		e[kept++] = e[i];
	}
	if (kept > 1)
		qsort(e, kept, sizeof(*e), cmp_entry_pos);
	s->cands = calloc(kept + 1, sizeof(*s->cands));
	s->names = malloc((kept + 1) * sizeof(*s->names));
	if (s->cands == NULL || s->names == NULL) {
		free(e);
		return iox_error(IOTX509_ENOMEM, "out of memory");
	}
	for (i = 0; i < kept; i++) {
		s->cands[i].cert = e[i].cert;
		s->cands[i].anchor = e[i].anchor;
	}
	free(e);
	/* The leaf goes last: the search starts there. */
	s->cands[kept].cert = s->leaf;
	s->ncands = kept + 1;
	for (i = 0; i < s->ncands; i++) {
		s->names[i].dn = s->cands[i].cert->subject_dn;
		s->names[i].index = i;
	}
	iox_by_name_sort(s->names, s->ncands);
	return 0;
}

static int report_failure(const search_t *s)
{
	if (s->missing_for != NULL)
		return iox_error(IOTX509_ENOISSUER,
				 "no issuer found for '%s': the certificate of '%s' is missing from the pool",
				 s->missing_for->subject_dn, s->missing_for->issuer_dn);
	if (s->have_loop) {
		char names[768] = "";
		size_t i, used = 0;

		for (i = s->loop_start; i <= s->loop.len && used < sizeof(names) - 1; i++) {
			int n = snprintf(names + used, sizeof(names) - used, "%s'%s'", i > s->loop_start ? " -> " : "",
					 path_cert(s, &s->loop, i)->subject_dn);

			if (n < 0)
				break;
			used += (size_t)n;
		}
		return iox_error(IOTX509_ECHAINLOOP,
				 "certificate chain of '%s' loops (%s) and no self-signed root or trust anchor ends it",
				 s->leaf->subject_dn, names);
	}
	if (s->too_long)
		return iox_error(IOTX509_ELIMIT,
				 "certificate chain of '%s' is longer than %d certificates (IOTX509_CHAIN_MAX_DEPTH)",
				 s->leaf->subject_dn, MAX_DEPTH);
	if (s->gave_up)
		return iox_error(IOTX509_ELIMIT, "the pool offers '%s' more than %d paths to try; none found is complete",
				 s->leaf->subject_dn, MAX_VISITS);
	return iox_error(IOTX509_ENOISSUER, "no complete chain found for '%s'", s->leaf->subject_dn);
}

iotx509_error_code iotx509_chain_build(iotx509_certlist **out, const iotx509_cert *leaf, const iotx509_certlist *pool,
			const iotx509_chain_options *opts)
{
	iotx509_chain_options copy;
	search_t s;
	size_t i, n;
	iotx509_certlist *chain = NULL;
	int ret = 0;

	if (out == NULL || leaf == NULL)
		return iox_error(IOTX509_EINVAL, "chain build: NULL argument");
	*out = NULL;
	/* Only the fields of the caller's version are read. */
	if (iox_opts_read(&copy, opts, &chain_opts_defaults, &chain_opts_type) < 0)
		return IOTX509_EINVAL;
	opts = &copy;
	if (opts->flags & ~(unsigned int)(IOTX509_CHAIN_NO_ROOT | IOTX509_CHAIN_ALLOW_PARTIAL))
		return iox_error(IOTX509_EINVAL, "chain build: unknown flags 0x%x", opts->flags);

	memset(&s, 0, sizeof(s));
	s.leaf = leaf;
	s.at = opts->at ? opts->at : (int64_t)time(NULL);
	s.budget.limit = IOTX509_CHAIN_MAX_SIGNATURE_CHECKS;
	if ((ret = collect(&s, opts->anchors, pool)) < 0)
		goto out;

	/* A leaf that is itself a trust anchor is a chain of one. */
	if (opts->anchors != NULL && iox_certlist_find(opts->anchors, leaf) >= 0)
		consider(&s, 1);
	else if ((ret = dfs(&s)) < 0)
		goto out;

	/* A path cut short by the depth limit is not the partial chain
	 * ALLOW_PARTIAL is for (an issuer kept offline): say so. */
	if (!s.have_best || (!s.best_score.complete && (s.too_long || !(opts->flags & IOTX509_CHAIN_ALLOW_PARTIAL)))) {
		ret = report_failure(&s);
		goto out;
	}
	n = s.best.len + 1;
	if ((opts->flags & IOTX509_CHAIN_NO_ROOT) && n > 1 && path_cert(&s, &s.best, n - 1)->self_signed)
		n--;
	if ((ret = iotx509_certlist_new(&chain)) == 0)
		for (i = 0; ret == 0 && i < n; i++)
			ret = iotx509_certlist_add(chain, path_cert(&s, &s.best, i));
	if (ret < 0)
		iotx509_certlist_free(chain);
	else
		*out = chain;
out:
	for (i = 0; i < s.ncands; i++)
		free(s.cands[i].issuers);
	free(s.cands);
	free(s.names);
	return ret;
}
