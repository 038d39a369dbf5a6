/**
 * @file iotx509/tree.h
 * @brief The CA hierarchy found in files and directories: roots,
 *        intermediates and devices, as text or as Graphviz DOT.
 *
 * An ::iotx509_tree collects certificates (each once, however many
 * NAME_fullchain.pem files hold it) and links each to its issuer: the
 * certificate whose subject is its issuer name (and whose
 * SubjectKeyIdentifier is its AuthorityKeyIdentifier, when both exist);
 * when several fit (a CA renewed under the same name with another key),
 * the one whose key verifies its signature, as iotx509_chain_build()
 * chooses; when no key verifies, or none of those tried within
 * IOTX509_TREE_MAX_SIGNATURE_CHECKS does, the first that fits (in the
 * order the certificates were added). The nodes are kept in display order:
 * depth first, siblings sorted by CN (then notBefore), so node 0 is the
 * first root and a node's children follow it.
 *
 * Each node carries ::iotx509_tree_mark bits: CA, expired, expiring soon
 * (due for renewal under an ::iotx509_expiry_rule, by default once 80
 * percent of its lifetime has passed, as in an ::iotx509_expiry report),
 * not yet valid, issuer missing.
 *
 * @code
 * iotx509_tree *tree = NULL;
 * iotx509_tree_options opts = IOTX509_TREE_OPTIONS_INIT;
 * iotx509_buf text = IOTX509_BUF_INIT;
 * int err = iotx509_tree_new(&tree, &opts);
 * if (!err) err = iotx509_tree_add_path(tree, "certs");
 * if (!err) err = iotx509_tree_render_text(&text, tree);
 * if (!err) fputs((const char *)text.data, stdout);
 * // my-root  notAfter 2036-11-27T12:00:00Z  [CA]
 * // |-- my-intermediate  notAfter 2031-11-28T12:00:00Z  [CA]
 * // |   `-- sample-device-02  notAfter 2027-11-29T12:00:00Z
 * // `-- sample-device-01  notAfter 2027-11-29T12:00:00Z
 * iotx509_buf_dispose(&text);
 * iotx509_tree_free(tree);
 * @endcode
 *
 * A tree is not synchronised: do not add to it from several threads.
 */
#ifndef IOTX509_TREE_H
#define IOTX509_TREE_H

#include "common.h"
#include "cert.h"
#include "certlist.h"
#include "expiry.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Signature checks made to find the issuer of one certificate of a tree:
 * one per distinct key among the CAs that fit by name (only when several
 * fit; most certificates need none), at most this many per certificate,
 * and beyond that at most IOTX509_TREE_SPARE_SIGNATURE_CHECKS more shared
 * by all the certificates of one iotx509_tree_add_path() or
 * iotx509_tree_add_certs() call. A directory of N look-alike CAs (same
 * name, no key identifiers) so costs at most 16 N + 1024 checks, not one
 * per pair (N^2).
 */
#define IOTX509_TREE_MAX_SIGNATURE_CHECKS 16
/** See IOTX509_TREE_MAX_SIGNATURE_CHECKS. */
#define IOTX509_TREE_SPARE_SIGNATURE_CHECKS 1024

/** Marks of a node, as bits. Values are part of the ABI. */
typedef enum iotx509_tree_mark {
	IOTX509_TREE_CA = 1u << 0,             /**< basicConstraints CA:TRUE. */
	IOTX509_TREE_EXPIRED = 1u << 1,        /**< notAfter has passed. */
	IOTX509_TREE_EXPIRING_SOON = 1u << 2,  /**< Valid, but due for renewal under the tree's rule. */
	IOTX509_TREE_NOT_YET_VALID = 1u << 3,  /**< notBefore is still to come. */
	IOTX509_TREE_ISSUER_MISSING = 1u << 4, /**< Not self-signed, and its issuer is not in the tree. */
	IOTX509_TREE_SELF_SIGNED = 1u << 5     /**< Self-signed (a root, or a self-signed device). */
} iotx509_tree_mark;

/**
 * Options for iotx509_tree_new(). Initialise with IOTX509_TREE_OPTIONS_INIT
 * or iotx509_tree_options_init(); zero-filled with only @c version set means
 * the same: every default.
 */
typedef struct iotx509_tree_options {
	unsigned int version;     /**< IOTX509_TREE_OPTIONS_VERSION */
	int64_t at;               /**< time the marks refer to (seconds since the epoch); 0 = now */
	iotx509_expiry_rule rule; /**< what "expiring soon" means; default IOTX509_EXPIRY_PERCENT */
	/** Percent of the lifetime (1-100) or days left (0-IOTX509_MAX_DAYS); 0 = the rule's
	 *  default (80 percent, 30 days) unless @c has_threshold is set. */
	unsigned int threshold;
	/** Non-zero: @c threshold is used as given, 0 included (0 days left: due on the day it expires). */
	int has_threshold;
} iotx509_tree_options;

/** The newest version of ::iotx509_tree_options this header describes (its @c version field). */
#define IOTX509_TREE_OPTIONS_VERSION 1
/** Static initialiser of ::iotx509_tree_options: the current version, every field its default. */
#define IOTX509_TREE_OPTIONS_INIT { IOTX509_TREE_OPTIONS_VERSION, 0, IOTX509_EXPIRY_PERCENT, 0, 0 }

/**
 * Initialise @p opts to defaults (same as IOTX509_TREE_OPTIONS_INIT, and as zero-fill with
 * only @c version set). @p version: 1 to IOTX509_TREE_OPTIONS_VERSION; any other
 * is IOTX509_EINVAL ("unsupported version"), as is NULL @p opts.
 * @param opts the struct to fill
 * @param version the version to fill in: 1 to IOTX509_TREE_OPTIONS_VERSION (what the caller was compiled with)
 * @return 0; IOTX509_EINVAL (NULL @p opts, unsupported @p version).
 */
IOTX509_EXTERN iotx509_error_code iotx509_tree_options_init(iotx509_tree_options *opts, unsigned int version);

/** Opaque hierarchy; free with iotx509_tree_free(). */
typedef struct iotx509_tree iotx509_tree;

/**
 * Create an empty tree; the time of the marks is fixed here.
 * @param out receives the new tree on success (free with iotx509_tree_free())
 * @param opts NULL for defaults (now, expiring soon = 30 days or fewer left)
 * @return 0; IOTX509_EINVAL (bad version, rule or threshold, negative
 *         time); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_tree_new(iotx509_tree **out, const iotx509_tree_options *opts);

/**
 * Add the certificates of a file or a directory tree, read as
 * iotx509_expiry_add_path() reads them (recursively; keys and other files
 * skipped; each certificate once). Nothing is added on error.
 * @param tree the tree
 * @param path a file, or a directory whose files are read (see above)
 * @return as iotx509_expiry_add_path(): 0; IOTX509_ENOTFOUND; IOTX509_EPARSE;
 *         IOTX509_ELIMIT; IOTX509_EIO; IOTX509_EINVAL; IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_tree_add_path(iotx509_tree *tree, const char *path);

/**
 * Add every certificate of @p certs that is not in the tree yet (the tree
 * takes its own references).
 * @param tree the tree
 * @param certs the list of certificates
 * @return 0, IOTX509_EINVAL, IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_tree_add_certs(iotx509_tree *tree, const iotx509_certlist *certs);

/**
 * Number of nodes (0 for NULL).
 * @param tree the tree
 * @return the number of entries
 */
IOTX509_EXTERN size_t iotx509_tree_count(const iotx509_tree *tree);

/**
 * The time the marks refer to (seconds since the epoch).
 * @param tree the tree
 * @return the time in seconds since the epoch
 */
IOTX509_EXTERN int64_t iotx509_tree_get_time(const iotx509_tree *tree);

/**
 * The certificate of node @p index (display order), or NULL when out of
 * range. Valid until @p tree is freed (iotx509_cert_dup() to keep it).
 * @param tree the tree
 * @param index 0-based index, below the count
 * @return a handle owned by @p tree (not to be freed), valid as long as @p tree (or NULL, as described above)
 */
IOTX509_EXTERN const iotx509_cert *iotx509_tree_get_cert(const iotx509_tree *tree, size_t index);

/**
 * The file node @p index was first found in, or NULL (added from a list, or out of range).
 * @param tree the tree
 * @param index 0-based index, below the count
 * @return a string owned by @p tree (not to be freed), valid until @p tree is freed (or NULL, as described above)
 */
IOTX509_EXTERN const char *iotx509_tree_get_source(const iotx509_tree *tree, size_t index);

/**
 * 1 if node @p index has its issuer in the tree, 0 for a top-level node (a
 * root, or a certificate whose issuer is missing) and when out of range.
 * @param tree the tree
 * @param index 0-based index, below the count
 * @return 1 if so, 0 if not
 */
IOTX509_EXTERN int iotx509_tree_has_parent(const iotx509_tree *tree, size_t index);

/**
 * The index of the issuer of node @p index; 0 when iotx509_tree_has_parent()
 * is 0, so ask that first. The issuer always comes before its children.
 * @param tree the tree
 * @param index 0-based index, below the count
 * @return the index of the parent node, or 0 (see above)
 */
IOTX509_EXTERN size_t iotx509_tree_get_parent(const iotx509_tree *tree, size_t index);

/**
 * Depth of node @p index: 0 for top-level nodes, 1 for their children, ...
 * @param tree the tree
 * @param index 0-based index, below the count
 * @return the depth
 */
IOTX509_EXTERN size_t iotx509_tree_get_depth(const iotx509_tree *tree, size_t index);

/**
 * ::iotx509_tree_mark bits of node @p index (0 when out of range).
 * @param tree the tree
 * @param index 0-based index, below the count
 * @return the bits (see above)
 */
IOTX509_EXTERN unsigned int iotx509_tree_get_marks(const iotx509_tree *tree, size_t index);

/**
 * The hierarchy as indented text, one node per line: the label (CN, or the
 * subject DN when there is no CN), "notAfter TIME", then the marks in
 * brackets: "[CA]", "[expired]", "[expiring soon]", "[not yet valid]",
 * "[issuer not found: DN]". Children are drawn under their issuer with
 * ASCII branches ("|-- ", "`-- "). Names are escaped as
 * iotx509_text_escape() does (a CN with a newline stays on its line).
 * @param out receives the result; release it with iotx509_buf_dispose()
 * @param tree the tree
 * @return 0; IOTX509_EINVAL (NULL argument or an empty tree); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_tree_render_text(iotx509_buf *out, const iotx509_tree *tree);

/**
 * The hierarchy as a Graphviz DOT digraph ("dot -Tsvg" renders it): one
 * box per certificate labelled with its CN, notAfter and marks, CAs drawn
 * bold, expired nodes filled red, expiring ones orange, not yet valid
 * ones blue; an edge from each issuer to what it issued, and a dashed
 * placeholder for every missing issuer. Labels are escaped for DOT, and
 * their control characters shown as iotx509_text_escape() shows them.
 * @param out receives the result; release it with iotx509_buf_dispose()
 * @param tree the tree
 * @return 0; IOTX509_EINVAL (NULL argument or an empty tree); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_tree_render_dot(iotx509_buf *out, const iotx509_tree *tree);

/**
 * Free a tree. Accepts NULL.
 * @param tree the tree to free, or NULL
 */
IOTX509_EXTERN void iotx509_tree_free(iotx509_tree *tree);

#ifdef __cplusplus
}
#endif
#endif
