/* bindings/node/typemaps.i: the Node half of bindings/iotx509.i (SWIG -javascript -node, C++).
 * Every numinputs=0 typemap carries the marker fix-args.js needs (see there). */

%{
#include <node_buffer.h>

/* Throw an Error whose message is iotx509_error_last(), with .code and .codeName. */
static void iotx509_js_throw(int code)
{
	v8::Isolate *iso = v8::Isolate::GetCurrent();
	v8::Local<v8::Context> ctx = iso->GetCurrentContext();
	const char *msg = iotx509_error_last();
	v8::Local<v8::Object> err = v8::Exception::Error(SWIGV8_STRING_NEW(msg != NULL ? msg : ""))
		->ToObject(ctx).ToLocalChecked();
	err->Set(ctx, SWIGV8_SYMBOL_NEW("name"), SWIGV8_STRING_NEW("Iotx509Error")).Check();
	err->Set(ctx, SWIGV8_SYMBOL_NEW("code"), SWIGV8_INTEGER_NEW(code)).Check();
	err->Set(ctx, SWIGV8_SYMBOL_NEW("codeName"), SWIGV8_STRING_NEW(iotx509_strerror(code))).Check();
	SWIGV8_THROW_EXCEPTION(err);
}

/* Several outputs (iotx509_version) become an array, one stays itself. */
static SWIGV8_VALUE iotx509_js_append(SWIGV8_VALUE result, SWIGV8_VALUE v)
{
	if (result.IsEmpty() || result->IsUndefined())
		return v;
	v8::Local<v8::Context> ctx = SWIGV8_CURRENT_CONTEXT();
	SWIGV8_ARRAY arr;
	if (result->IsArray()) {
		arr = result.As<v8::Array>();
	} else {
		arr = SWIGV8_ARRAY_NEW(0);
		arr->Set(ctx, 0, result).Check();
	}
	arr->Set(ctx, arr->Length(), v).Check();
	return arr;
}

/* A borrowed object holds its parent (hidden), so the parent lives as long. */
static void iotx509_js_keep(SWIGV8_VALUE child, const SwigV8Arguments &args)
{
	v8::Isolate *iso = v8::Isolate::GetCurrent();
	if (!child->IsObject() || args.Length() < 1)
		return;
	child.As<v8::Object>()->SetPrivate(iso->GetCurrentContext(),
		v8::Private::ForApi(iso, SWIGV8_SYMBOL_NEW("iotx509:parent")), args[0]).Check();
}
/* The same typemap runs in struct-member getters, which have no `args`:
 * there `args` names this constant and the overload below does nothing
 * (a borrowed option field's owner is not the options object). */
static const int args = 0;
static void iotx509_js_keep(SWIGV8_VALUE, int) {}
%}

#define IOTX509_RAISE(code) do { iotx509_js_throw(code); SWIG_fail; } while (0)
#define IOTX509_OK_RESULT $result = SWIGV8_UNDEFINED()

%define IOTX509_OWNED_OUT(T, CLASS)
%typemap(in, numinputs=0) T **out (T *tmp) { /*iotx509:noinput $argnum*/ tmp = NULL; $1 = &tmp; }
%typemap(argout) T **out {
	$result = iotx509_js_append($result, SWIG_NewPointerObj(*$1, $*1_descriptor, SWIG_POINTER_OWN));
}
%enddef

%define IOTX509_BORROWED(T, CLASS)
%typemap(out) const T * {
	$result = SWIG_NewPointerObj(SWIG_as_voidptr($1), $1_descriptor, 0);
	if ($1 != NULL)
		iotx509_js_keep($result, args);
}
/* A handle given to a function or an options field is borrowed, never
 * disowned (SWIG's default for struct fields); the field keeps it alive. */
%typemap(in) const T * (void *argp = 0, int res = 0) {
	res = SWIG_ConvertPtr($input, &argp, $1_descriptor, 0);
	if (!SWIG_IsOK(res))
		SWIG_exception_fail(SWIG_ArgError(res), "in method '$symname', argument $argnum of type '$1_type'");
	$1 = ($1_ltype)argp;
}
%typemap(memberin) const T * {
	info.Holder()->SetPrivate(SWIGV8_CURRENT_CONTEXT(), v8::Private::ForApi(v8::Isolate::GetCurrent(),
		SWIGV8_SYMBOL_NEW("iotx509:$1_name")), value).Check();
	$1 = $input;
}
%enddef

%define IOTX509_BORROWED_NODUP(T, CLASS)
IOTX509_BORROWED(T, CLASS)
%enddef

/* Bytes in: a Buffer or any Uint8Array. */
%typemap(in) (const unsigned char *BYTES, size_t LEN) {
	if (!node::Buffer::HasInstance($input))
		SWIG_exception_fail(SWIG_TypeError, "in method '$symname', argument $argnum: expected a Buffer");
	$1 = ($1_ltype)node::Buffer::Data($input);
	$2 = node::Buffer::Length($input);
}

/* Bytes out: a new Buffer with a copy; the library's buffer is disposed. */
%typemap(in, numinputs=0) iotx509_buf *out (iotx509_buf tmp) {
	/*iotx509:noinput $argnum*/
	memset(&tmp, 0, sizeof tmp);
	$1 = &tmp;
}
%typemap(argout) iotx509_buf *out {
	$result = iotx509_js_append($result, node::Buffer::Copy(v8::Isolate::GetCurrent(),
		(const char *)$1->data, $1->size).ToLocalChecked());
}
%typemap(freearg) iotx509_buf *out {
	iotx509_buf_dispose($1);
}

%typemap(in, numinputs=0) int *OUTINT ($*1_ltype tmp) { /*iotx509:noinput $argnum*/ tmp = ($*1_ltype)0; $1 = &tmp; }
%typemap(argout) int *OUTINT {
	$result = iotx509_js_append($result, SWIGV8_INTEGER_NEW((int)*$1));
}

/* Text in: null and undefined are NULL (no password, default name), like None in Python. */
%typemap(in) const char * (char *buf = 0, int alloc = 0) {
	if ($input->IsNull() || $input->IsUndefined()) {
		$1 = NULL;
	} else {
		int res = SWIG_AsCharPtrAndSize($input, &buf, NULL, &alloc);
		if (!SWIG_IsOK(res))
			SWIG_exception_fail(SWIG_ArgError(res), "in method '$symname', argument $argnum: expected a string or null");
		$1 = buf;
	}
}
%typemap(freearg) const char * {
	if (alloc$argnum == SWIG_NEWOBJ)
		delete[] buf$argnum;
}
