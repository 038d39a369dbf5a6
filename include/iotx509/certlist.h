/**
 * @file iotx509/certlist.h
 * @brief Ordered lists of certificates: PEM bundles, pools, chains.
 *
 * An ::iotx509_certlist holds references to certificates in a fixed order.
 * It is what the library reads from bundles ("fullchain" files, CA
 * bundles, directories of certificates), what iotx509_chain_build() takes as
 * a pool and returns as a chain, and what the verification and PKCS#12
 * functions take.
 *
 * Reading is tolerant of what real files contain: several certificates per
 * file, CRLF line ends, no final newline, text before, between and after
 * the PEM blocks (comments, "Bag Attributes" from OpenSSL, the stray "null"
 * line create_test_cert.js appends), other PEM blocks such as private keys
 * (ignored), and DER files holding one or more concatenated certificates.
 *
 * A list is not synchronised: do not modify one list from several threads
 * at once. The certificates in it are immutable and may be shared.
 */
#ifndef IOTX509_CERTLIST_H
#define IOTX509_CERTLIST_H

#include "common.h"
#include "cert.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque list of certificates; free with iotx509_certlist_free(). */
typedef struct iotx509_certlist iotx509_certlist;

/**
 * Create an empty list.
 * @param out receives the new list of certificates on success; free it with iotx509_certlist_free()
 * @return 0, IOTX509_EINVAL (@p out is NULL), IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_certlist_new(iotx509_certlist **out);

/**
 * Parse every certificate found in @p data into a new list, in the order
 * they appear.
 *
 * @p data is either PEM text (every block labelled CERTIFICATE,
 * X509 CERTIFICATE or TRUSTED CERTIFICATE is read; other blocks and other
 * text are skipped) or DER (one certificate, or several concatenated).
 * To append to an existing list, import and add the certificates, or use
 * iotx509_certlist_add_path() for files.
 *
 * @param data the bytes to read
 * @param size the number of bytes in @p data
 * @param out receives the new list (the caller owns it; free with
 *        iotx509_certlist_free()); set to NULL on error
 * @return 0; IOTX509_EPARSE when the input holds no certificate or one of
 *         them is malformed (the message says which one, counting from 1);
 *         IOTX509_EINVAL (@p out is NULL, or @p data is NULL with a
 *         non-zero @p size); IOTX509_ENOMEM.
 *
 * @code
 * iotx509_certlist *pool = NULL;
 * iotx509_buf pem = IOTX509_BUF_INIT;
 * if (iotx509_file_read(&pem, "sampleDevice01_fullchain.pem") == 0 &&
 *     iotx509_certlist_import(&pool, pem.data, pem.size) == 0)
 *     printf("%zu certificates\n", iotx509_certlist_count(pool));
 * iotx509_buf_dispose(&pem);
 * iotx509_certlist_free(pool);
 * @endcode
 */
IOTX509_EXTERN iotx509_error_code iotx509_certlist_import(iotx509_certlist **out, const unsigned char *data, size_t size);

/**
 * Append the certificates of a file or of every file in a directory to
 * @p list (which keeps its own certificates first).
 *
 * A file is read as iotx509_certlist_import() reads memory (error
 * messages name the file). A directory is read in name order, one level
 * (subdirectories are not entered, unlike iotx509_expiry_add_path()); hidden
 * files and files that hold no certificate (private keys, PKCS#12 files,
 * notes) are skipped, but a file with a malformed CERTIFICATE block is an
 * error. Nothing is appended when an error occurs.
 *
 * @param list the list of certificates
 * @param path a file, or a directory whose files are read (see above)
 * @return 0; IOTX509_ENOTFOUND (no such path, or a directory without any
 *         certificate); IOTX509_EIO; IOTX509_EPARSE; IOTX509_EINVAL; IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_certlist_add_path(iotx509_certlist *list, const char *path);

/**
 * Append @p cert. The list takes its own reference: the caller keeps
 * ownership of @p cert and may free it at any time.
 * @param list the list of certificates
 * @param cert the certificate
 * @return 0, IOTX509_EINVAL, IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_certlist_add(iotx509_certlist *list, const iotx509_cert *cert);

/**
 * Number of certificates in @p list (0 for NULL).
 * @param list the list of certificates
 * @return the number of entries
 */
IOTX509_EXTERN size_t iotx509_certlist_count(const iotx509_certlist *list);

/**
 * The certificate at @p index (0 is the first), or NULL when @p index is out
 * of range. The certificate is owned by the list and valid until the list
 * is freed; call iotx509_cert_dup() to keep it longer.
 * @param list the list of certificates
 * @param index 0-based index, below the count
 * @return a handle owned by @p list (not to be freed), valid as long as @p list (or NULL, as described above)
 */
IOTX509_EXTERN const iotx509_cert *iotx509_certlist_get(const iotx509_certlist *list, size_t index);

/**
 * All certificates as concatenated PEM, in list order. Every block ends
 * with a newline, so the result can itself be concatenated safely.
 * @param out receives the result; release it with iotx509_buf_dispose()
 * @param list the list of certificates
 * @return 0; IOTX509_EINVAL (NULL argument or empty list); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_certlist_export_pem(iotx509_buf *out, const iotx509_certlist *list);

/**
 * Write iotx509_certlist_export_pem() to @p path atomically, mode 0644.
 * @param list the certificates to write, in their order
 * @param path the file to write (replaced atomically)
 * @param opts NULL for the defaults; IOTX509_WRITE_OVERWRITE to replace an existing file
 * @return 0, IOTX509_EEXISTS, IOTX509_EIO, IOTX509_EINVAL (including an empty list).
 */
IOTX509_EXTERN iotx509_error_code iotx509_certlist_save(const iotx509_certlist *list, const char *path,
						 const iotx509_write_options *opts);

/**
 * A new list holding the same certificates (a list can be appended to, so
 * it is copied; the certificates are shared, not copied). Use it to keep a
 * list returned borrowed (iotx509_credential_get_chain(),
 * iotx509_pkcs12_get_chain(), iotx509_enrollment_result_get_path()) after
 * its owner is freed. Free with iotx509_certlist_free().
 * @param out receives the new list of certificates on success; free it with iotx509_certlist_free()
 * @param list the list of certificates
 * @return 0; IOTX509_EINVAL (NULL argument); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_certlist_dup(iotx509_certlist **out, const iotx509_certlist *list);

/**
 * Free a list and drop its references to the certificates. Accepts NULL.
 * @param list the list of certificates to free, or NULL
 */
IOTX509_EXTERN void iotx509_certlist_free(iotx509_certlist *list);

#ifdef __cplusplus
}
#endif
#endif
