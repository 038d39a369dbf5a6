/* bindings/python/typemaps.i: the Python half of bindings/iotx509.i. */

/* Typed signatures in the docstrings: idiom.py and the tests read them. */
%feature("autodoc", "1");

%{
/* iotx509.Error, created in the module init below. */
static PyObject *iotx509_py_error;

/* Raise iotx509.Error(code, name, message) with the thread's last error. */
static void iotx509_py_raise(int code)
{
	const char *msg = iotx509_error_last();
	PyObject *exc = PyObject_CallFunction(iotx509_py_error, "iss", code, iotx509_strerror(code),
					      msg != NULL ? msg : "");
	if (exc != NULL) {
		PyErr_SetObject(iotx509_py_error, exc);
		Py_DECREF(exc);
	}
}
%}

%init %{
	iotx509_py_error = PyErr_NewException("iotx509.Error", PyExc_Exception, NULL);
	if (iotx509_py_error != NULL)
		PyModule_AddObject(m, "Error", iotx509_py_error);
%}

#define IOTX509_RAISE(code) do { iotx509_py_raise(code); SWIG_fail; } while (0)
#define IOTX509_OK_RESULT $result = SWIG_Py_Void()

%define IOTX509_OWNED_OUT(T, CLASS)
%typemap(in, numinputs=0) T **out (T *tmp) { tmp = NULL; $1 = &tmp; }
%typemap(argout) T **out {
	$result = SWIG_Python_AppendOutput($result, SWIG_NewPointerObj(*$1, $*1_descriptor, SWIG_POINTER_OWN));
}
%enddef

/* Borrowed: the child holds a reference to the first argument (its parent). */
%define IOTX509_BORROWED(T, CLASS)
%typemap(out) const T * {
	$result = SWIG_NewPointerObj(SWIG_as_voidptr($1), $1_descriptor, 0);
	if ($1 != NULL && swig_obj[0] != NULL) {
		PyObject *k = PyUnicode_FromString("_parent");
		if (k == NULL || PyObject_GenericSetAttr($result, k, swig_obj[0]) < 0) {
			Py_XDECREF(k);
			SWIG_fail;
		}
		Py_DECREF(k);
	}
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
	PyObject *k = PyUnicode_FromString("_keep_$1_name");
	if (k == NULL || PyObject_GenericSetAttr(swig_obj[0], k, swig_obj[1]) < 0) {
		Py_XDECREF(k);
		SWIG_fail;
	}
	Py_DECREF(k);
	$1 = $input;
}
%enddef

%define IOTX509_BORROWED_NODUP(T, CLASS)
IOTX509_BORROWED(T, CLASS)
%enddef

/* Bytes in: anything with the buffer protocol (bytes, bytearray, memoryview). */
%typemap(in) (const unsigned char *BYTES, size_t LEN) (Py_buffer view) {
	memset(&view, 0, sizeof view);
	if (PyObject_GetBuffer($input, &view, PyBUF_SIMPLE) != 0)
		SWIG_fail;
	$1 = ($1_ltype)view.buf;
	$2 = (size_t)view.len;
}
%typemap(freearg) (const unsigned char *BYTES, size_t LEN) {
	if (view$argnum.obj != NULL)
		PyBuffer_Release(&view$argnum);
}
%typemap(typecheck, precedence=SWIG_TYPECHECK_STRING) (const unsigned char *BYTES, size_t LEN) {
	$1 = PyObject_CheckBuffer($input) ? 1 : 0;
}

/* Bytes out: copied into bytes, the library's buffer disposed at once. */
%typemap(in, numinputs=0) iotx509_buf *out (iotx509_buf tmp) {
	memset(&tmp, 0, sizeof tmp);
	$1 = &tmp;
}
%typemap(argout) iotx509_buf *out {
	$result = SWIG_Python_AppendOutput($result,
		PyBytes_FromStringAndSize($1->data != NULL ? (const char *)$1->data : "", (Py_ssize_t)$1->size));
}
%typemap(freearg) iotx509_buf *out {
	iotx509_buf_dispose($1);
}

/* Integer out-parameters (enum verdicts, csr_verify's flag, the version triple). */
%typemap(in, numinputs=0) int *OUTINT ($*1_ltype tmp) { tmp = ($*1_ltype)0; $1 = &tmp; }
%typemap(argout) int *OUTINT {
	$result = SWIG_Python_AppendOutput($result, PyLong_FromLong((long)*$1));
}

