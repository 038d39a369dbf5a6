#ifndef IOTX509_EXPIRY_INTERNAL_H
#define IOTX509_EXPIRY_INTERNAL_H

#include "internal.h"

/* Where one certificate stands at @at under a renewal rule. */
typedef struct {
	int64_t days_left; /* floor((notAfter - at) / 1 day) */
	int64_t renew_at;  /* when it becomes due */
	iotx509_expiry_state state;
	int due;           /* expired, or at >= renew_at */
} iox_expiry_eval;

void iox_expiry_evaluate(iox_expiry_eval *out, const iotx509_cert *cert, int64_t at, iotx509_expiry_rule rule,
			 unsigned int threshold);

/* Check a rule and threshold (IOTX509_EINVAL with a message naming @what)
 * and set *@out to the threshold in force: a zero @threshold without
 * @has_threshold is the rule's default (80 percent, 30 days). */
int iox_expiry_resolve_rule(unsigned int *out, iotx509_expiry_rule rule, unsigned int threshold, int has_threshold,
			    const char *what);

#endif
