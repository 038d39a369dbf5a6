/* bindings/java/typemaps.i: the Java half of bindings/iotx509.i (package org.iotx509, class Iotx509). */

/* Enums are int constants (Iotx509Constants): a value appended later never throws. */
%include "enumsimple.swg"

%pragma(java) jniclasscode=%{
  static {
    System.loadLibrary("iotx509jni");
  }
%}

%{
/* Throw org.iotx509.Iotx509Exception(code, strerror name, iotx509_error_last()). */
static void iotx509_java_throw(JNIEnv *jenv, int code)
{
	const char *msg = iotx509_error_last();
	jclass cls = (*jenv)->FindClass(jenv, "org/iotx509/Iotx509Exception");
	jmethodID ctor;
	jobject exc;
	if (cls == NULL)
		return; /* NoClassDefFoundError is pending */
	ctor = (*jenv)->GetMethodID(jenv, cls, "<init>", "(ILjava/lang/String;Ljava/lang/String;)V");
	if (ctor == NULL)
		return;
	exc = (*jenv)->NewObject(jenv, cls, ctor, (jint)code, (*jenv)->NewStringUTF(jenv, iotx509_strerror(code)),
				 (*jenv)->NewStringUTF(jenv, msg != NULL ? msg : ""));
	if (exc != NULL)
		(*jenv)->Throw(jenv, (jthrowable)exc);
}

/* Proxy classes already looked up (FindClass is slow): a global reference and
 * the (long, boolean) constructor per class name, behind a mutex. */
#include <pthread.h>
static struct {
	const char *name;
	jclass cls;
	jmethodID ctor;
} iotx509_java_classes[64];
static pthread_mutex_t iotx509_java_classes_lock = PTHREAD_MUTEX_INITIALIZER;

/* A proxy object of class NAME (org/iotx509/NAME) for ptr; own = it frees ptr. */
static jobject iotx509_java_proxy(JNIEnv *jenv, const char *name, const void *ptr, int own)
{
	char path[96] = "org/iotx509/";
	jclass cls = NULL;
	jmethodID ctor = NULL;
	jlong cptr = 0;
	size_t i;
	if (ptr == NULL)
		return NULL;
	pthread_mutex_lock(&iotx509_java_classes_lock);
	for (i = 0; i < sizeof iotx509_java_classes / sizeof iotx509_java_classes[0]; i++) {
		if (iotx509_java_classes[i].name == NULL) {
			jclass local;
			strncat(path, name, sizeof path - strlen(path) - 1);
			local = (*jenv)->FindClass(jenv, path);
			if (local != NULL && (ctor = (*jenv)->GetMethodID(jenv, local, "<init>", "(JZ)V")) != NULL &&
			    (cls = (jclass)(*jenv)->NewGlobalRef(jenv, local)) != NULL) {
				iotx509_java_classes[i].name = name;
				iotx509_java_classes[i].cls = cls;
				iotx509_java_classes[i].ctor = ctor;
			}
			break;
		}
		if (strcmp(iotx509_java_classes[i].name, name) == 0) {
			cls = iotx509_java_classes[i].cls;
			ctor = iotx509_java_classes[i].ctor;
			break;
		}
	}
	pthread_mutex_unlock(&iotx509_java_classes_lock);
	if (cls == NULL || ctor == NULL)
		return NULL; /* an exception is pending */
	*(const void **)&cptr = ptr;
	return (*jenv)->NewObject(jenv, cls, ctor, cptr, own ? JNI_TRUE : JNI_FALSE);
}

/* Several outputs (iotx509_version) become an Object[], one stays itself. */
static jobject iotx509_java_append(JNIEnv *jenv, jobject result, jobject v)
{
	jclass obj = (*jenv)->FindClass(jenv, "java/lang/Object");
	jobjectArray arr;
	jsize n;
	if (result == NULL)
		return v;
	if ((*jenv)->IsInstanceOf(jenv, result, (*jenv)->FindClass(jenv, "[Ljava/lang/Object;"))) {
		jobjectArray old = (jobjectArray)result;
		jsize i;
		n = (*jenv)->GetArrayLength(jenv, old);
		arr = (*jenv)->NewObjectArray(jenv, n + 1, obj, NULL);
		for (i = 0; i < n; i++)
			(*jenv)->SetObjectArrayElement(jenv, arr, i, (*jenv)->GetObjectArrayElement(jenv, old, i));
	} else {
		n = 1;
		arr = (*jenv)->NewObjectArray(jenv, 2, obj, NULL);
		(*jenv)->SetObjectArrayElement(jenv, arr, 0, result);
	}
	(*jenv)->SetObjectArrayElement(jenv, arr, n, v);
	return arr;
}
%}

/* Fallible functions return Object (the out-parameter's value, or null) as a
 * generic T, so `Cert c = Iotx509.cert_load(path);` needs no cast. */
%typemap(jni) iotx509_error_code "jobject"
%typemap(jtype) iotx509_error_code "Object"
%typemap(jstype) iotx509_error_code "<T> T"
%typemap(javaout) iotx509_error_code {
    @SuppressWarnings("unchecked") T r = (T)$jnicall;
    return r;
  }
#define IOTX509_RAISE(code) do { iotx509_java_throw(jenv, code); return $null; } while (0)
#define IOTX509_OK_RESULT $result = NULL

/* Every class (handles and options) is AutoCloseable: close() frees now (SWIG's delete()). */
%typemap(javainterfaces) SWIGTYPE "AutoCloseable"
%typemap(javacode) SWIGTYPE %{
  /** Frees the object now; it must not be used afterwards. */
  @Override
  public void close() {
    delete();
  }
%}

%define IOTX509_OWNED_OUT(T, CLASS)
%typemap(in, numinputs=0) T **out (T *tmp) { tmp = NULL; $1 = &tmp; }
%typemap(argout) T **out {
	$result = iotx509_java_append(jenv, $result, iotx509_java_proxy(jenv, #CLASS, *$1, 1));
}
%enddef

/* Borrowed: Java cannot see the call's arguments when it wraps a returned
 * pointer, so a borrowed object is returned as its own reference (the type's
 * _dup: a reference count, not a copy), which outlives the parent safely. */
%define IOTX509_BORROWED(T, CLASS)
%typemap(out) const T * {
	T *ref = NULL;
	if ($1 != NULL && T##_dup(&ref, $1) < 0) {
		iotx509_java_throw(jenv, iotx509_error_last_code());
		return $null;
	}
	*(T **)&$result = ref;
}
%typemap(javaout) const T * {
    long cPtr = $jnicall;
    return (cPtr == 0) ? null : new CLASS(cPtr, true);
  }
%enddef
%define IOTX509_BORROWED_NODUP(T, CLASS)
%typemap(out) const T * { *(const T **)&$result = $1; }
%typemap(javaout) const T * {
    long cPtr = $jnicall;
    return (cPtr == 0) ? null : new CLASS(cPtr, false);
  }
%enddef

/* Bytes in: byte[]. */
%typemap(jni) (const unsigned char *BYTES, size_t LEN) "jbyteArray"
%typemap(jtype) (const unsigned char *BYTES, size_t LEN) "byte[]"
%typemap(jstype) (const unsigned char *BYTES, size_t LEN) "byte[]"
%typemap(javain) (const unsigned char *BYTES, size_t LEN) "$javainput"
%typemap(in) (const unsigned char *BYTES, size_t LEN) {
	if ($input == NULL) {
		SWIG_JavaThrowException(jenv, SWIG_JavaNullPointerException, "byte[] null");
		return $null;
	}
	$1 = ($1_ltype)(*jenv)->GetByteArrayElements(jenv, $input, NULL);
	$2 = (size_t)(*jenv)->GetArrayLength(jenv, $input);
}
%typemap(freearg) (const unsigned char *BYTES, size_t LEN) {
	if ($1 != NULL)
		(*jenv)->ReleaseByteArrayElements(jenv, $input, (jbyte *)$1, JNI_ABORT);
}

/* Bytes out: a new byte[] with a copy; the library's buffer is disposed. */
%typemap(in, numinputs=0) iotx509_buf *out (iotx509_buf tmp) {
	memset(&tmp, 0, sizeof tmp);
	$1 = &tmp;
}
%typemap(argout) iotx509_buf *out {
	jbyteArray bytes = (*jenv)->NewByteArray(jenv, (jsize)$1->size);
	if (bytes != NULL)
		(*jenv)->SetByteArrayRegion(jenv, bytes, 0, (jsize)$1->size, (const jbyte *)$1->data);
	$result = iotx509_java_append(jenv, $result, bytes);
}
%typemap(freearg) iotx509_buf *out {
	iotx509_buf_dispose($1);
}

/* Integer out-parameters come back as Integer. */
%typemap(in, numinputs=0) int *OUTINT ($*1_ltype tmp) { tmp = ($*1_ltype)0; $1 = &tmp; }
%typemap(argout) int *OUTINT {
	jclass icls = (*jenv)->FindClass(jenv, "java/lang/Integer");
	jmethodID valueOf = (*jenv)->GetStaticMethodID(jenv, icls, "valueOf", "(I)Ljava/lang/Integer;");
	$result = iotx509_java_append(jenv, $result, (*jenv)->CallStaticObjectMethod(jenv, icls, valueOf, (jint)*$1));
}
