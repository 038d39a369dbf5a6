/**
 * @file iotx509/expiry.h
 * @brief Which certificates expire, and which need renewing now.
 *
 * Certificates are renewed before they expire, in the primary/secondary
 * pattern DPS and IoT Hub support. An ::iotx509_expiry report lists every
 * certificate found in files or directory trees with its notAfter, the
 * days it has left and whether it is due for renewal at a given time,
 * under one of two rules:
 *
 * - IOTX509_EXPIRY_PERCENT (default, 80): due once that percentage of its
 *   lifetime (notBefore to notAfter) has passed, as DPS guidance suggests
 *   (a 1-year certificate at about 292 days, a 10-year root after 8 years);
 * - IOTX509_EXPIRY_DAYS: due once it has that many days left or fewer.
 *
 * An expired certificate is always due.
 *
 * Proof-of-possession ("verification") certificates live for a day or two
 * and are thrown away once the CA is verified; with
 * IOTX509_EXPIRY_SKIP_VERIFICATION they are left out of the report (and
 * counted by iotx509_expiry_skipped_count()), so that a cron job is not
 * woken by them. A certificate is taken for a verification certificate
 * when it is a leaf (not a CA) issued by another certificate (not
 * self-signed), its CN has only letters and digits (a verification code,
 * see iotx509_id_validate_nonce()) and it lives at most 3 days (notBefore
 * to notAfter): iotx509's verification profile gives 2 days,
 * create_test_cert.js 1 day. certGen.sh's 30-day verification certificates
 * look like its 30-day device certificates and stay listed; so does a
 * device certificate with an ID of letters and digits only that lives
 * longer than 3 days.
 *
 * @code
 * iotx509_expiry *report = NULL;
 * iotx509_expiry_options opts = IOTX509_EXPIRY_OPTIONS_INIT;
 * size_t i;
 * int err = iotx509_expiry_new(&report, &opts);
 * if (!err) err = iotx509_expiry_add_path(report, "certs");
 * for (i = 0; !err && i < iotx509_expiry_count(report); i++)
 *     printf("%s %lld days%s\n", iotx509_cert_get_subject_cn(iotx509_expiry_get_cert(report, i)),
 *            (long long)iotx509_expiry_get_days_left(report, i),
 *            iotx509_expiry_needs_renewal(report, i) ? " RENEW" : "");
 * if (err) fprintf(stderr, "%s\n", iotx509_error_last());
 * iotx509_expiry_free(report);
 * @endcode
 *
 * A report is not synchronised: do not add to it from several threads.
 */
#ifndef IOTX509_EXPIRY_H
#define IOTX509_EXPIRY_H

#include "common.h"
#include "cert.h"

#ifdef __cplusplus
extern "C" {
#endif

/** When a certificate is due for renewal. Values are part of the ABI. */
typedef enum iotx509_expiry_rule {
	/** Due once ::iotx509_expiry_options threshold percent (1-100) of its lifetime has passed. */
	IOTX509_EXPIRY_PERCENT = 0,
	/** Due once it has threshold days (0-IOTX509_MAX_DAYS, default 30) or fewer left. */
	IOTX509_EXPIRY_DAYS = 1
} iotx509_expiry_rule;

/** Where a certificate stands at the report's time. Values are part of the ABI. */
typedef enum iotx509_expiry_state {
	IOTX509_EXPIRY_OK = 0,            /**< Valid and not due for renewal. */
	IOTX509_EXPIRY_RENEW = 1,         /**< Valid, but due for renewal under the rule. */
	IOTX509_EXPIRY_EXPIRED = 2,       /**< notAfter has passed. */
	IOTX509_EXPIRY_NOT_YET_VALID = 3  /**< notBefore is still to come. */
} iotx509_expiry_state;

/** Flags for ::iotx509_expiry_options. */
typedef enum iotx509_expiry_flags {
	IOTX509_EXPIRY_DEFAULT = 0, /**< List every certificate found. */
	/** Leave verification (proof-of-possession) certificates out (see above). */
	IOTX509_EXPIRY_SKIP_VERIFICATION = 1u << 0
} iotx509_expiry_flags;

/**
 * Options for iotx509_expiry_new(). Initialise with IOTX509_EXPIRY_OPTIONS_INIT
 * or iotx509_expiry_options_init(); zero-filled with only @c version set
 * means the same: every default.
 */
typedef struct iotx509_expiry_options {
	unsigned int version;     /**< IOTX509_EXPIRY_OPTIONS_VERSION */
	int64_t at;               /**< time of the report (seconds since the epoch); 0 = now */
	iotx509_expiry_rule rule; /**< default IOTX509_EXPIRY_PERCENT */
	/** Percent of the lifetime (1-100) or days left (0-IOTX509_MAX_DAYS); 0 = the rule's
	 *  default (80 percent, 30 days) unless @c has_threshold is set. */
	unsigned int threshold;
	unsigned int flags;       /**< ::iotx509_expiry_flags (default 0: list everything) */
	/** Non-zero: @c threshold is used as given, 0 included (0 days left: due on the day it expires). */
	int has_threshold;
} iotx509_expiry_options;

/** The newest version of ::iotx509_expiry_options this header describes (its @c version field). */
#define IOTX509_EXPIRY_OPTIONS_VERSION 1
/** Static initialiser of ::iotx509_expiry_options: the current version, every field its default. */
#define IOTX509_EXPIRY_OPTIONS_INIT { IOTX509_EXPIRY_OPTIONS_VERSION, 0, IOTX509_EXPIRY_PERCENT, 0, 0, 0 }

/**
 * Initialise @p opts to defaults (same as IOTX509_EXPIRY_OPTIONS_INIT, and as zero-fill with
 * only @c version set). @p version: 1 to IOTX509_EXPIRY_OPTIONS_VERSION; any other
 * is IOTX509_EINVAL ("unsupported version"), as is NULL @p opts.
 * @param opts the struct to fill
 * @param version the version to fill in: 1 to IOTX509_EXPIRY_OPTIONS_VERSION (what the caller was compiled with)
 * @return 0; IOTX509_EINVAL (NULL @p opts, unsupported @p version).
 */
IOTX509_EXTERN iotx509_error_code iotx509_expiry_options_init(iotx509_expiry_options *opts, unsigned int version);

/** Opaque expiry report; free with iotx509_expiry_free(). */
typedef struct iotx509_expiry iotx509_expiry;

/**
 * Create an empty report. The time (opts->at, or the current time) is
 * fixed here, so every certificate is judged at the same instant.
 *
 * @param out receives the new report on success (free with iotx509_expiry_free())
 * @param opts NULL for defaults (now, 80 percent of the lifetime)
 * @return 0; IOTX509_EINVAL (bad version, unknown rule, a percentage
 *         outside 1..100 or more than IOTX509_MAX_DAYS days, negative time, unknown flags);
 *         IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_expiry_new(iotx509_expiry **out, const iotx509_expiry_options *opts);

/**
 * Add the certificates of a file or of a directory tree.
 *
 * A file must hold at least one certificate (PEM bundle or DER). A
 * directory is read recursively in name order; hidden entries and files
 * without certificates (keys, .pfx files, notes) are skipped, and symbolic
 * links to directories are not followed. Each certificate is listed once,
 * with the first file it was found in (a root that is in every
 * NAME_fullchain.pem appears once). Nothing is added on error.
 *
 * @param report the report
 * @param path a file, or a directory whose files are read (see above)
 * @return 0; IOTX509_ENOTFOUND (no such path, or a tree without any
 *         certificate); IOTX509_EPARSE (a malformed certificate: the
 *         message names the file); IOTX509_ELIMIT (directories nested
 *         more than 32 deep); IOTX509_EIO; IOTX509_EINVAL; IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_expiry_add_path(iotx509_expiry *report, const char *path);

/**
 * Add one certificate (the report takes its own reference), unless it is
 * already listed.
 * @param report the report to add to
 * @param cert the certificate (the report keeps its own reference)
 * @param source where it came from, for iotx509_expiry_get_source(); may be NULL
 * @return 0, IOTX509_EINVAL, IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_expiry_add_cert(iotx509_expiry *report, const iotx509_cert *cert, const char *source);

/**
 * Number of certificates listed (0 for NULL).
 * @param report the report
 * @return the number of entries
 */
IOTX509_EXTERN size_t iotx509_expiry_count(const iotx509_expiry *report);

/**
 * Number of verification certificates found and left out
 * (IOTX509_EXPIRY_SKIP_VERIFICATION; each counted once; 0 for NULL).
 * @param report the report
 * @return the number of certificates left out
 */
IOTX509_EXTERN size_t iotx509_expiry_skipped_count(const iotx509_expiry *report);

/**
 * The time the report judges at (seconds since the epoch).
 * @param report the report
 * @return the time in seconds since the epoch
 */
IOTX509_EXTERN int64_t iotx509_expiry_get_time(const iotx509_expiry *report);

/**
 * The rule the report judges by (IOTX509_EXPIRY_PERCENT for NULL). Thread-safe on a report no one modifies.
 * @param report the report
 * @return the value (see above)
 */
IOTX509_EXTERN iotx509_expiry_rule iotx509_expiry_get_rule(const iotx509_expiry *report);

/**
 * The threshold in force: the options' one, or the rule's default (80
 * percent, 30 days) when it was left 0. 0 for NULL. Thread-safe on a
 * report no one modifies.
 * @param report the report
 * @return the threshold (percent or days, by the rule)
 */
IOTX509_EXTERN unsigned int iotx509_expiry_get_threshold(const iotx509_expiry *report);

/**
 * The certificate at @p index, in the order found, or NULL when out of
 * range. Valid until @p report is freed (iotx509_cert_dup() to keep it).
 * @param report the report
 * @param index 0-based index, below the count
 * @return a handle owned by @p report (not to be freed), valid as long as @p report (or NULL, as described above)
 */
IOTX509_EXTERN const iotx509_cert *iotx509_expiry_get_cert(const iotx509_expiry *report, size_t index);

/**
 * The file the certificate at @p index was first found in, or NULL (added through the API, or out of range).
 * @param report the report
 * @param index 0-based index, below the count
 * @return a string owned by @p report (not to be freed), valid until @p report is freed (or NULL, as described above)
 */
IOTX509_EXTERN const char *iotx509_expiry_get_source(const iotx509_expiry *report, size_t index);

/**
 * Whole days from the report's time to notAfter, rounded down: 0 on the
 * last day, negative once expired (-1 during the first day after). 0 when
 * @p index is out of range.
 * @param report the report
 * @param index 0-based index, below the count
 * @return the number of days (negative once expired)
 */
IOTX509_EXTERN int64_t iotx509_expiry_get_days_left(const iotx509_expiry *report, size_t index);

/**
 * When the certificate at @p index becomes due for renewal under the rule (seconds since the epoch).
 * @param report the report
 * @param index 0-based index, below the count
 * @return the time in seconds since the epoch
 */
IOTX509_EXTERN int64_t iotx509_expiry_get_renew_at(const iotx509_expiry *report, size_t index);

/**
 * The state of the certificate at @p index (IOTX509_EXPIRY_OK when out of range).
 * @param report the report
 * @param index 0-based index, below the count
 * @return the value (see above)
 */
IOTX509_EXTERN iotx509_expiry_state iotx509_expiry_get_state(const iotx509_expiry *report, size_t index);

/**
 * 1 if the certificate at @p index is due for renewal or expired, else 0.
 * @param report the report
 * @param index 0-based index, below the count
 * @return 1 if due or expired, 0 if not
 */
IOTX509_EXTERN int iotx509_expiry_needs_renewal(const iotx509_expiry *report, size_t index);

/**
 * How many listed certificates need renewal (iotx509_expiry_needs_renewal()).
 * @param report the report
 * @return the number of certificates due
 */
IOTX509_EXTERN size_t iotx509_expiry_due_count(const iotx509_expiry *report);

/**
 * A stable lower-case name for a state, for JSON and scripts: "ok",
 * "renew", "expired", "not-yet-valid"; "unknown" for any other value
 * (never NULL).
 * @param state the value to name
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_expiry_state_name(iotx509_expiry_state state);

/**
 * "percent" or "days"; "unknown" for any other value (never NULL). A static string.
 * @param rule the value to name
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_expiry_rule_name(iotx509_expiry_rule rule);

/**
 * Free a report. Accepts NULL.
 * @param report the report to free, or NULL
 */
IOTX509_EXTERN void iotx509_expiry_free(iotx509_expiry *report);

#ifdef __cplusplus
}
#endif
#endif
