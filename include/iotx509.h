/**
 * @file iotx509.h
 * @brief libiotx509: X.509 identities for IoT devices. Includes every public header.
 */
#ifndef IOTX509_H
#define IOTX509_H

#include "iotx509/version.h"
#include "iotx509/common.h"
#include "iotx509/errors.h"
#include "iotx509/file.h"
#include "iotx509/key.h"
#include "iotx509/cert.h"
#include "iotx509/csr.h"
#include "iotx509/id.h"
#include "iotx509/issue.h"
#include "iotx509/pkcs11.h"
#include "iotx509/certlist.h"
#include "iotx509/chain.h"
#include "iotx509/verify.h"
#include "iotx509/pop.h"
#include "iotx509/pkcs12.h"
#include "iotx509/credential.h"
#include "iotx509/batch.h"
#include "iotx509/lint.h"
#include "iotx509/enrollment.h"
#include "iotx509/renew.h"
#include "iotx509/expiry.h"
#include "iotx509/edge.h"
#include "iotx509/tree.h"

/**
 * @page names Names
 *
 * One verb per meaning in every module (tests/api-shapes.sh checks the
 * patterns it can): `iotx509_<module>_<verb>[_<what>]`.
 *
 * - Creating: `_new` assembles an object (empty, or from parts:
 *   iotx509_certlist_new(), iotx509_csr_new(), iotx509_issuer_new()),
 *   `_generate` makes fresh key material, `_issue_*` signs a certificate.
 *   Never `_create`.
 * - `_import` parses memory (data, size) into a new object
 *   (iotx509_cert_import(), iotx509_certlist_import()); `_load` reads one
 *   file into a new object; `_add_path` appends what a file or a directory
 *   holds to an existing object (iotx509_expiry_add_path() and
 *   iotx509_tree_add_path() walk the whole tree, iotx509_certlist_add_path()
 *   reads one directory level, as its documentation says).
 * - `_export_*` writes memory into an ::iotx509_buf; `_save` writes a file:
 *   the objects first, then the path, then the flags
 *   (iotx509_pkcs12_save(leaf, key, chain, path, ...)). `_free` releases
 *   (and accepts NULL); `_dup` gives a handle of one's own.
 * - The single output parameter `out` comes first. A certificate comes
 *   before its key (iotx509_issuer_new(), iotx509_credential_new(),
 *   iotx509_pkcs12_export()).
 * - Reading: a field is `_get_<field>` (iotx509_cert_get_subject_cn()); a
 *   number of items is `<object>_<items>_count` (iotx509_cert_san_count(),
 *   iotx509_expiry_due_count(); a list's own size is `<object>_count`),
 *   never `_get_<items>_count` or `_count_<items>`; predicates are
 *   `_is_*`, `_has_*`, `_needs_*` and return 0 or 1.
 * - Enums: `<enum>_name()` gives a stable lower-case token for scripts and
 *   JSON ("unknown" for a value outside the enum, never NULL) and
 *   `<enum>_from_name()` parses it back; `<enum>_description()` gives
 *   human text that may change between versions. iotx509_strerror() is the
 *   one exception: it keeps the name of strerror(3), which it mirrors.
 * - The time an operation refers to is the options field `at` (seconds
 *   since the epoch, 0 = now) everywhere: issue, renew, batch, chain,
 *   verify, pop, enrollment check, expiry, tree; the CLI's `--at`.
 * - Options: `iotx509_<module>_options`, `IOTX509_<MODULE>_OPTIONS_INIT`,
 *   `iotx509_<module>_options_init()`.
 * - Fallible functions return ::iotx509_error_code and list their error
 *   codes in `@return` (errors.h).
 */

#endif
