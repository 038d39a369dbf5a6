/**
 * @file iotx509/chain.h
 * @brief Building certificate chains from an unordered pool.
 *
 * IoT Hub and DPS reject a device whose TLS client does not send the
 * intermediates (error 401002), and most chain problems users meet come
 * from files in the wrong order or a missing intermediate.
 * iotx509_chain_build() puts a chain together from whatever certificates
 * are at hand, in any order, and says exactly which issuer is missing.
 *
 * Verification of the result is a separate step: see iotx509/verify.h.
 */
#ifndef IOTX509_CHAIN_H
#define IOTX509_CHAIN_H

#include "common.h"
#include "cert.h"
#include "certlist.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The most certificates a chain may have, the leaf and the root (or trust
 * anchor) included. iotx509_chain_build() finds no longer path
 * (IOTX509_ELIMIT when every path would be longer) and iotx509_chain_verify()
 * reports a longer chain as IOTX509_VERIFY_CHAIN_TOO_LONG. The value is
 * GnuTLS 3.7's: its chain verification handles at most 16 certificates.
 */
#define IOTX509_CHAIN_MAX_DEPTH 16

/**
 * The most signature checks one iotx509_chain_build() call makes.
 *
 * Issuers are matched by name and key identifiers; a signature is checked
 * only to choose between several certificates that match equally (CAs
 * with the same name and no key identifiers, or renewed with a new key),
 * each pair at most once and each distinct key once. A pool of many such
 * look-alikes would otherwise cost a check for every pair; past this
 * budget the build fails with IOTX509_ELIMIT, naming the look-alikes.
 * Ordinary pools need a handful of checks, most need none.
 */
#define IOTX509_CHAIN_MAX_SIGNATURE_CHECKS 1024

/** Flags for ::iotx509_chain_options. */
typedef enum iotx509_chain_flags {
	IOTX509_CHAIN_DEFAULT = 0, /**< No flag: the defaults. */
	/**
	 * Leave the self-signed root out of the result, as a TLS client
	 * should send its chain (the server already has the root). A chain
	 * that is only the leaf keeps the leaf even when it is self-signed.
	 */
	IOTX509_CHAIN_NO_ROOT = 1u << 0,
	/**
	 * When no path reaches a self-signed root or a trust anchor, return
	 * the longest path found instead of failing with IOTX509_ENOISSUER
	 * (for example leaf and intermediates when the root is kept offline).
	 * A path longer than IOTX509_CHAIN_MAX_DEPTH still fails (IOTX509_ELIMIT).
	 */
	IOTX509_CHAIN_ALLOW_PARTIAL = 1u << 1
} iotx509_chain_flags;

/** Options for iotx509_chain_build(). Initialise with IOTX509_CHAIN_OPTIONS_INIT. */
typedef struct iotx509_chain_options {
	unsigned int version;              /**< IOTX509_CHAIN_OPTIONS_VERSION */
	/**
	 * Trust anchors (may be NULL). They also serve as issuers, and a path
	 * ending at one of them is preferred over every other path. A path
	 * ends at an anchor even when the anchor is not self-signed.
	 */
	const iotx509_certlist *anchors;
	/** Time used to prefer certificates valid at that time (seconds since the epoch); 0 = now. */
	int64_t at;
	unsigned int flags;                /**< ::iotx509_chain_flags */
} iotx509_chain_options;

/** The newest version of ::iotx509_chain_options this header describes (its @c version field). */
#define IOTX509_CHAIN_OPTIONS_VERSION 1
/** Static initialiser of ::iotx509_chain_options: the current version, every field its default. */
#define IOTX509_CHAIN_OPTIONS_INIT { IOTX509_CHAIN_OPTIONS_VERSION, NULL, 0, 0 }

/**
 * Initialise @p opts to defaults (same as IOTX509_CHAIN_OPTIONS_INIT, and as zero-fill with
 * only @c version set). @p version: 1 to IOTX509_CHAIN_OPTIONS_VERSION; any other
 * is IOTX509_EINVAL ("unsupported version"), as is NULL @p opts.
 * @param opts the struct to fill
 * @param version the version to fill in: 1 to IOTX509_CHAIN_OPTIONS_VERSION (what the caller was compiled with)
 * @return 0; IOTX509_EINVAL (NULL @p opts, unsupported @p version).
 */
IOTX509_EXTERN iotx509_error_code iotx509_chain_options_init(iotx509_chain_options *opts, unsigned int version);

/**
 * Build the chain of @p leaf from the certificates in @p pool.
 *
 * The result lists @p leaf first, then each issuer in turn, and ends with
 * the self-signed root (unless IOTX509_CHAIN_NO_ROOT) or with a trust anchor
 * of @p opts. The order of @p pool does not matter: issuers are found by
 * matching the issuer name with the subject name and, where both are
 * present, the AuthorityKeyIdentifier with the SubjectKeyIdentifier;
 * among several matching certificates the ones whose key verifies the
 * signature are kept (a regenerated CA with the same name does not fit;
 * see IOTX509_CHAIN_MAX_SIGNATURE_CHECKS).
 * Duplicates in the pool (and the leaf itself) are ignored.
 *
 * When several paths exist (cross-signed CAs, renewed intermediates), the
 * result is chosen in this order:
 *  1. a path ending at a trust anchor of @p opts;
 *  2. a path whose issuers are all valid at opts->at (so an expired
 *     intermediate is passed over for its renewal);
 *  3. the path whose issuers stay valid the longest (the latest
 *     earliest notAfter among them);
 *  4. the shorter path; then the one found first in pool order.
 *
 * @param out   receives a new list; free with iotx509_certlist_free()
 * @param leaf  the end-entity certificate (a self-signed one gives a chain of one)
 * @param pool  candidate issuers in any order (may be NULL or empty)
 * @param opts  NULL for defaults
 * @return 0;
 *         IOTX509_ENOISSUER when no path reaches a root or an anchor: the
 *         message names the missing issuer's DN and the certificate that
 *         needs it, e.g. "no issuer found for 'CN=myintermediate': the
 *         certificate of 'CN=mytestrootcert' is missing from the pool";
 *         IOTX509_ECHAINLOOP when the only paths go round in circles
 *         (two CAs cross-signed by each other, no root); the message names
 *         the certificates of the loop;
 *         IOTX509_ELIMIT when every path is longer than
 *         IOTX509_CHAIN_MAX_DEPTH certificates, or choosing between
 *         look-alike issuers needs more than
 *         IOTX509_CHAIN_MAX_SIGNATURE_CHECKS signature checks;
 *         IOTX509_EINVAL; IOTX509_ENOMEM.
 *
 * @code
 * iotx509_certlist *pool = NULL, *chain = NULL;
 * iotx509_cert *leaf = NULL;
 * iotx509_chain_options opts = IOTX509_CHAIN_OPTIONS_INIT;
 * int err = iotx509_cert_load(&leaf, "device.pem");
 * if (!err) err = iotx509_certlist_new(&pool);
 * if (!err) err = iotx509_certlist_add_path(pool, "ca-dir");
 * if (!err) err = iotx509_chain_build(&chain, leaf, pool, &opts);
 * if (!err) err = iotx509_certlist_save(chain, "fullchain.pem", NULL);
 * if (err) fprintf(stderr, "%s\n", iotx509_error_last());
 * @endcode
 */
IOTX509_EXTERN iotx509_error_code iotx509_chain_build(iotx509_certlist **out, const iotx509_cert *leaf,
				       const iotx509_certlist *pool, const iotx509_chain_options *opts);

#ifdef __cplusplus
}
#endif
#endif
