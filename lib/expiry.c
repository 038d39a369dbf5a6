/*
 * Expiry report: notAfter, days left and renewal due dates of the
 * certificates found in files and directory trees.
 */
#include "cert-internal.h"
#include "expiry-internal.h"
#include "scan-internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAY 86400
/* The longest lifetime of a certificate taken for a verification
 * certificate: ours last 2 days (plus the 5-minute backdate),
 * create_test_cert.js's 1 day. */
#define VERIFICATION_MAX_LIFETIME (3 * DAY)
#define CN_MAX 64
#define DEFAULT_PERCENT 80
#define DEFAULT_DAYS 30

struct iotx509_expiry {
	int64_t at;
	iotx509_expiry_rule rule;
	unsigned int threshold, flags;
	iox_scan found;
	/* The entries of found that are listed, in order; found's entries from
	 * sorted on are not sorted into it yet. */
	size_t *shown;
	size_t shown_count, shown_cap, sorted, skipped;
};

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void iox_expiry_evaluate(iox_expiry_eval *out, const iotx509_cert *cert, int64_t at, iotx509_expiry_rule rule,
			 unsigned int threshold)
{
	int64_t nb = cert->not_before, na = cert->not_after;

	out->days_left = floor_div(na - at, DAY);
	if (rule == IOTX509_EXPIRY_DAYS)
		out->renew_at = na - (int64_t)threshold * DAY;
	else
		/* Lifetimes are below 2^40 s and percentages at most 100: no overflow. */
		out->renew_at = nb + (na > nb ? (na - nb) * (int64_t)threshold / 100 : 0);
	if (at > na)
		out->state = IOTX509_EXPIRY_EXPIRED;
	else if (at < nb)
		out->state = IOTX509_EXPIRY_NOT_YET_VALID;
	else if (at >= out->renew_at)
		out->state = IOTX509_EXPIRY_RENEW;
	else
		out->state = IOTX509_EXPIRY_OK;
	out->due = out->state == IOTX509_EXPIRY_EXPIRED || at >= out->renew_at;
}

int iox_expiry_resolve_rule(unsigned int *out, iotx509_expiry_rule rule, unsigned int threshold, int has_threshold,
			    const char *what)
{
	if (threshold == 0 && !has_threshold)
		threshold = rule == IOTX509_EXPIRY_DAYS ? DEFAULT_DAYS : DEFAULT_PERCENT;
	*out = threshold;
	switch (rule) {
	case IOTX509_EXPIRY_PERCENT:
		if (threshold < 1 || threshold > 100)
			return iox_error(IOTX509_EINVAL, "%s: renewal at %u percent of the lifetime (1 to 100)", what,
					 threshold);
		return 0;
	case IOTX509_EXPIRY_DAYS:
		if (threshold > IOTX509_MAX_DAYS)
			return iox_error(IOTX509_EINVAL, "%s: renewal %u days before expiry (at most %u)", what, threshold,
					 IOTX509_MAX_DAYS);
		return 0;
	}
	return iox_error(IOTX509_EINVAL, "%s: unknown renewal rule %d", what, (int)rule);
}

/*
 * A proof-of-possession certificate, by what the verification profiles
 * make: a leaf issued by a CA (not self-signed), whose CN is a verification
 * code (letters and digits only, as iotx509_id_validate_nonce() requires)
 * and that lives at most VERIFICATION_MAX_LIFETIME.
 */
static int is_verification(const iotx509_cert *c)
{
	size_t i, n = strlen(c->subject_cn);

	if (c->is_ca || c->self_signed || n == 0 || n > CN_MAX || c->not_after - c->not_before > VERIFICATION_MAX_LIFETIME)
		return 0;
	for (i = 0; i < n; i++) {
		char ch = c->subject_cn[i];

		if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z')))
			return 0;
	}
	return 1;
}

/* Sort the entries found since the last call into listed and skipped. On
 * error they are dropped from found again, so nothing is added. */
static int sort_found(iotx509_expiry *r)
{
	size_t i, skipped = 0, count = r->shown_count;

	for (i = r->sorted; i < r->found.count; i++) {
		if ((r->flags & IOTX509_EXPIRY_SKIP_VERIFICATION) && is_verification(r->found.items[i].cert)) {
			skipped++;
			continue;
		}
		if (IOX_ARRAY_GROW(r->shown, r->shown_cap, count, 16) < 0) {
			iox_scan_truncate(&r->found, r->sorted);
			return IOTX509_ENOMEM;
		}
		r->shown[count++] = i;
	}
	r->shown_count = count;
	r->skipped += skipped;
	r->sorted = r->found.count;
	return 0;
}

IOX_OPTS_TYPE(expiry_opts_type, "expiry options", IOTX509_EXPIRY_OPTIONS_VERSION, sizeof(iotx509_expiry_options));
static const iotx509_expiry_options expiry_opts_defaults = IOTX509_EXPIRY_OPTIONS_INIT;

iotx509_error_code iotx509_expiry_options_init(iotx509_expiry_options *opts, unsigned int version)
{
	return iox_opts_init(opts, version, &expiry_opts_defaults, &expiry_opts_type);
}

iotx509_error_code iotx509_expiry_new(iotx509_expiry **out, const iotx509_expiry_options *opts)
{
	iotx509_expiry_options copy;
	iotx509_expiry *r;
	unsigned int threshold;
	int ret;

	if (out == NULL)
		return iox_error(IOTX509_EINVAL, "expiry: out is NULL");
	*out = NULL;
	/* Only the fields of the caller's version are read. */
	if (iox_opts_read(&copy, opts, &expiry_opts_defaults, &expiry_opts_type) < 0)
		return IOTX509_EINVAL;
	opts = &copy;
	if (opts->at < 0)
		return iox_error(IOTX509_EINVAL, "expiry options: negative time");
	if ((ret = iox_expiry_resolve_rule(&threshold, opts->rule, opts->threshold, opts->has_threshold,
					   "expiry options")) < 0)
		return ret;
	if (opts->flags & ~(unsigned int)IOTX509_EXPIRY_SKIP_VERIFICATION)
		return iox_error(IOTX509_EINVAL, "expiry options: unknown flags 0x%x", opts->flags);
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	r->at = opts->at ? opts->at : (int64_t)time(NULL);
	r->rule = opts->rule;
	r->threshold = threshold;
	r->flags = opts->flags;
	*out = r;
	return 0;
}

iotx509_error_code iotx509_expiry_add_path(iotx509_expiry *report, const char *path)
{
	int ret;

	if (report == NULL || path == NULL || *path == '\0')
		return iox_error(IOTX509_EINVAL, "expiry: NULL or empty argument");
	if ((ret = iox_scan_path(&report->found, path, NULL)) < 0)
		return ret;
	return sort_found(report);
}

iotx509_error_code iotx509_expiry_add_cert(iotx509_expiry *report, const iotx509_cert *cert, const char *source)
{
	int ret;

	if (report == NULL || cert == NULL)
		return iox_error(IOTX509_EINVAL, "expiry: NULL argument");
	ret = iox_scan_add(&report->found, cert, source);
	return ret < 0 ? ret : sort_found(report);
}

size_t iotx509_expiry_count(const iotx509_expiry *report)
{
	return report ? report->shown_count : 0;
}

size_t iotx509_expiry_skipped_count(const iotx509_expiry *report)
{
	return report ? report->skipped : 0;
}

/* The entry of found listed at @index, or NULL when out of range. */
static const iox_found *listed(const iotx509_expiry *report, size_t index)
{
	if (report == NULL || index >= report->shown_count)
		return NULL;
	return &report->found.items[report->shown[index]];
}

int64_t iotx509_expiry_get_time(const iotx509_expiry *report)
{
	return report ? report->at : 0;
}

iotx509_expiry_rule iotx509_expiry_get_rule(const iotx509_expiry *report)
{
	return report ? report->rule : IOTX509_EXPIRY_PERCENT;
}

unsigned int iotx509_expiry_get_threshold(const iotx509_expiry *report)
{
	return report ? report->threshold : 0;
}

const iotx509_cert *iotx509_expiry_get_cert(const iotx509_expiry *report, size_t index)
{
	const iox_found *f = listed(report, index);

	return f ? f->cert : NULL;
}

const char *iotx509_expiry_get_source(const iotx509_expiry *report, size_t index)
{
	const iox_found *f = listed(report, index);

	return f ? f->source : NULL;
}

/* Evaluate entry @index; 0 when it is out of range. */
static int eval_at(iox_expiry_eval *ev, const iotx509_expiry *report, size_t index)
{
	const iox_found *f = listed(report, index);

	if (f == NULL)
		return 0;
	iox_expiry_evaluate(ev, f->cert, report->at, report->rule, report->threshold);
	return 1;
}

int64_t iotx509_expiry_get_days_left(const iotx509_expiry *report, size_t index)
{
	iox_expiry_eval ev;

	return eval_at(&ev, report, index) ? ev.days_left : 0;
}

int64_t iotx509_expiry_get_renew_at(const iotx509_expiry *report, size_t index)
{
	iox_expiry_eval ev;

	return eval_at(&ev, report, index) ? ev.renew_at : 0;
}

iotx509_expiry_state iotx509_expiry_get_state(const iotx509_expiry *report, size_t index)
{
	iox_expiry_eval ev;

	return eval_at(&ev, report, index) ? ev.state : IOTX509_EXPIRY_OK;
}

int iotx509_expiry_needs_renewal(const iotx509_expiry *report, size_t index)
{
	iox_expiry_eval ev;

	return eval_at(&ev, report, index) ? ev.due : 0;
}

size_t iotx509_expiry_due_count(const iotx509_expiry *report)
{
	size_t i, n = 0;

	for (i = 0; i < iotx509_expiry_count(report); i++)
		n += (size_t)iotx509_expiry_needs_renewal(report, i);
	return n;
}

const char *iotx509_expiry_state_name(iotx509_expiry_state state)
{
	switch (state) {
	case IOTX509_EXPIRY_OK:
		return "ok";
	case IOTX509_EXPIRY_RENEW:
		return "renew";
	case IOTX509_EXPIRY_EXPIRED:
		return "expired";
	case IOTX509_EXPIRY_NOT_YET_VALID:
		return "not-yet-valid";
	}
	return "unknown";
}

const char *iotx509_expiry_rule_name(iotx509_expiry_rule rule)
{
	switch (rule) {
	case IOTX509_EXPIRY_PERCENT:
		return "percent";
	case IOTX509_EXPIRY_DAYS:
		return "days";
	}
	return "unknown";
}

void iotx509_expiry_free(iotx509_expiry *report)
{
	if (report == NULL)
		return;
	iox_scan_clear(&report->found);
	free(report->shown);
	free(report);
}
