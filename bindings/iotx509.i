/*
 * bindings/iotx509.i: the one SWIG interface behind the Python, Java and
 * Node bindings (doc/bindings.md). Everything here is chosen by type or by
 * parameter name, never by a list of functions, so a function added to a
 * public header is wrapped with no change here:
 *   - iotx509_error_code returns raise the language's exception carrying the
 *     code, its iotx509_strerror() name and iotx509_error_last(), read at once;
 *   - T **out (one IOTX509_HANDLE per handle type) returns an owned object
 *     whose destructor calls T's _free; the _free functions are not wrapped;
 *   - const T * returns are borrowed from the first argument and keep it alive
 *     (Java: its own reference through T_dup, as Java cannot see the argument);
 *   - iotx509_buf *out returns bytes (copied, then disposed);
 *   - (data, size) / (der, size) take bytes; enum / int *out are returned;
 *   - option structs (IOTX509_OPTIONS) start from their _init defaults.
 * The per-language halves of those typemaps are in bindings/<lang>/typemaps.i.
 */
%module iotx509

%{
#include <stdlib.h>
#include <string.h>
#include "iotx509.h"
%}

%include <stdint.i>
/* const char * option fields: the memberin typemap below keeps and frees the copies. */
%warnfilter(451);

/* Names: drop the prefix (iotx509_cert_load -> cert_load, IOTX509_KEY_P256 -> KEY_P256). */
%rename("%(regex:/^iotx509_(.*)$/\\1/)s", %$isfunction) "";
%rename("%(regex:/^IOTX509_(.*)$/\\1/)s", %$isenumitem) "";
%rename("%(regex:/^IOTX509_(.*)$/\\1/)s", %$isconstant) "";
/* The destructors call the _free functions; wrapping them too would double-free. */
%rename("$ignore", regextarget=1, %$isfunction) "^iotx509_.*_free$";
/* The _INIT brace initializers are C-only; the options constructors do their job. */
%rename("$ignore", regextarget=1) "^IOTX509_.*_INIT$";

/* The language half: exception, handle, borrowed, buffer, bytes and out typemaps. */
#if defined(SWIGPYTHON)
%include "python/typemaps.i"
#elif defined(SWIGJAVA)
%include "java/typemaps.i"
#elif defined(SWIGJAVASCRIPT)
%include "node/typemaps.i"
#endif

/* iotx509_error_code: raise on a negative value (the *_RAISE macro is per language). */
%typemap(out) iotx509_error_code {
	if ($1 < 0) {
		IOTX509_RAISE($1);
	}
	IOTX509_OK_RESULT;
}

/* Byte input: every (pointer, length) pair of the headers is named data/der + size. */
%apply (const unsigned char *BYTES, size_t LEN) { (const unsigned char *data, size_t size),
						   (const unsigned char *der, size_t size) };
/* Enum and int out-parameters come back as integers (iotx509_version's three too). */
%apply int *OUTINT { enum SWIGTYPE *out, int *out };
#if !defined(SWIGJAVA)
%apply int *OUTINT { int *major, int *minor, int *patch };
#else
/* A Java String return cannot carry the three ints: version() is the text. */
%typemap(in, numinputs=0) int *major (int tmp), int *minor (int tmp), int *patch (int tmp) "$1 = &tmp;";
#endif

/*
 * One line per handle type: the class name, and the typemaps that hand out
 * owned (T **out) and borrowed (const T *) objects. TYPE##_free is the
 * destructor; a C struct is declared for SWIG only so that it makes a class.
 */
%define IOTX509_HANDLE(TYPE, CLASS)
%rename(CLASS) iotx509_##TYPE;
%nodefaultctor iotx509_##TYPE;
IOTX509_OWNED_OUT(iotx509_##TYPE, CLASS)
IOTX509_BORROWED(iotx509_##TYPE, CLASS)
typedef struct iotx509_##TYPE {} iotx509_##TYPE;
%extend iotx509_##TYPE {
	~iotx509_##TYPE() { iotx509_##TYPE##_free($self); }
}
%enddef

IOTX509_HANDLE(strlist, Strlist)
IOTX509_HANDLE(fileset, Fileset)
IOTX509_HANDLE(key, Key)
IOTX509_HANDLE(cert, Cert)
IOTX509_HANDLE(csr, Csr)
IOTX509_HANDLE(issuer, Issuer)
IOTX509_HANDLE(certlist, Certlist)
IOTX509_HANDLE(pkcs11_list, Pkcs11List)
IOTX509_HANDLE(pkcs12, Pkcs12)
IOTX509_HANDLE(credential, Credential)
IOTX509_HANDLE(batch, Batch)
IOTX509_HANDLE(lint_result, LintResult)
IOTX509_HANDLE(enrollment, Enrollment)
IOTX509_HANDLE(enrollment_list, EnrollmentList)
IOTX509_HANDLE(enrollment_result, EnrollmentResult)
IOTX509_HANDLE(expiry, Expiry)
IOTX509_HANDLE(tree, Tree)
/* A strlist has no _dup; only option fields hand one back, borrowed as it is. */
IOTX509_BORROWED_NODUP(iotx509_strlist, Strlist)

/*
 * Option structs: a new one holds the defaults of the current version
 * (TYPE_init(opts, VERSION)); fields are then set like attributes. Text
 * fields keep a copy for the object's life; handle fields borrow: keep what
 * they point to alive while the options are used.
 */
%{
/* The text an options object's const char * fields point to: copies kept in a
 * list stored right after the struct, freed with the object. */
typedef struct iotx509_swig_text {
	struct iotx509_swig_text *next;
	char s[];
} iotx509_swig_text;

static void *iotx509_swig_options_new(size_t size)
{
	return calloc(1, size + sizeof(iotx509_swig_text *));
}

static const char *iotx509_swig_keep_text(iotx509_swig_text **list, const char *s)
{
	size_t n;
	iotx509_swig_text *t;
	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	t = (iotx509_swig_text *)malloc(sizeof *t + n);
	if (t == NULL)
		return NULL;
	memcpy(t->s, s, n);
	t->next = *list;
	*list = t;
	return t->s;
}

static void iotx509_swig_options_free(void *opts, size_t size)
{
	iotx509_swig_text *t, *next;
	if (opts == NULL)
		return;
	memcpy(&t, (char *)opts + size, sizeof t);
	for (; t != NULL; t = next) {
		next = t->next;
		free(t);
	}
	free(opts);
}
%}
%typemap(memberin) const char * {
	$1 = iotx509_swig_keep_text((iotx509_swig_text **)(void *)(arg1 + 1), $input);
}

%define IOTX509_OPTIONS(TYPE, CLASS, VERSION)
%rename(CLASS) iotx509_##TYPE;
%extend iotx509_##TYPE {
	iotx509_##TYPE() {
		iotx509_##TYPE *o = (iotx509_##TYPE *)iotx509_swig_options_new(sizeof *o);
		if (o != NULL)
			(void)iotx509_##TYPE##_init(o, VERSION);
		return o;
	}
	~iotx509_##TYPE() { iotx509_swig_options_free($self, sizeof *$self); }
}
%enddef

IOTX509_OPTIONS(issue_options, IssueOptions, IOTX509_ISSUE_OPTIONS_VERSION)
IOTX509_OPTIONS(key_open_options, KeyOpenOptions, IOTX509_KEY_OPEN_OPTIONS_VERSION)
IOTX509_OPTIONS(csr_options, CsrOptions, IOTX509_CSR_OPTIONS_VERSION)
IOTX509_OPTIONS(chain_options, ChainOptions, IOTX509_CHAIN_OPTIONS_VERSION)
IOTX509_OPTIONS(verify_options, VerifyOptions, IOTX509_VERIFY_OPTIONS_VERSION)
IOTX509_OPTIONS(pop_options, PopOptions, IOTX509_POP_OPTIONS_VERSION)
IOTX509_OPTIONS(pkcs12_options, Pkcs12Options, IOTX509_PKCS12_OPTIONS_VERSION)
IOTX509_OPTIONS(credential_save_options, CredentialSaveOptions, IOTX509_CREDENTIAL_SAVE_OPTIONS_VERSION)
IOTX509_OPTIONS(batch_options, BatchOptions, IOTX509_BATCH_OPTIONS_VERSION)
IOTX509_OPTIONS(lint_options, LintOptions, IOTX509_LINT_OPTIONS_VERSION)
IOTX509_OPTIONS(enrollment_check_options, EnrollmentCheckOptions, IOTX509_ENROLLMENT_CHECK_OPTIONS_VERSION)
IOTX509_OPTIONS(renew_options, RenewOptions, IOTX509_RENEW_OPTIONS_VERSION)
IOTX509_OPTIONS(expiry_options, ExpiryOptions, IOTX509_EXPIRY_OPTIONS_VERSION)
IOTX509_OPTIONS(edge_options, EdgeOptions, IOTX509_EDGE_OPTIONS_VERSION)
IOTX509_OPTIONS(tree_options, TreeOptions, IOTX509_TREE_OPTIONS_VERSION)
IOTX509_OPTIONS(write_options, WriteOptions, IOTX509_WRITE_OPTIONS_VERSION)
IOTX509_OPTIONS(id_options, IdOptions, IOTX509_ID_OPTIONS_VERSION)
IOTX509_OPTIONS(credential_options, CredentialOptions, IOTX509_CREDENTIAL_OPTIONS_VERSION)
IOTX509_OPTIONS(pkcs12_read_options, Pkcs12ReadOptions, IOTX509_PKCS12_READ_OPTIONS_VERSION)
IOTX509_OPTIONS(issue_credential_options, IssueCredentialOptions, IOTX509_ISSUE_CREDENTIAL_OPTIONS_VERSION)
%rename(Buf) iotx509_buf;

/* The public headers, in the order iotx509.h includes them. */
%include "iotx509/version.h"
%include "iotx509/common.h"
%include "iotx509/errors.h"
%include "iotx509/file.h"
%include "iotx509/key.h"
%include "iotx509/cert.h"
%include "iotx509/csr.h"
%include "iotx509/id.h"
%include "iotx509/issue.h"
%include "iotx509/pkcs11.h"
%include "iotx509/certlist.h"
%include "iotx509/chain.h"
%include "iotx509/verify.h"
%include "iotx509/pop.h"
%include "iotx509/pkcs12.h"
%include "iotx509/credential.h"
%include "iotx509/batch.h"
%include "iotx509/lint.h"
%include "iotx509/enrollment.h"
%include "iotx509/renew.h"
%include "iotx509/expiry.h"
%include "iotx509/edge.h"
%include "iotx509/tree.h"

/* Language touches that need the whole module (Python properties, context managers). */
#if defined(SWIGPYTHON)
%pythoncode "python/idiom.py"
#endif
