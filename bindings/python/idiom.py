# bindings/python/idiom.py: Python touches on the generated module, derived
# from names and types only (no library logic): the exception's fields,
# context managers for handles, properties for one-argument getters.
import re as _re

Error = _iotx509.Error

Error.code = property(lambda e: e.args[0], doc="negative IOTX509_E* code")
Error.name = property(lambda e: e.args[1], doc="iotx509_strerror() name of the code")
Error.message = property(lambda e: e.args[2], doc="iotx509_error_last() at the failure")
Error.__str__ = lambda e: "%s (%d): %s" % (e.args[1], e.args[0], e.args[2])


def _close(self):
    """Free the handle now (idempotent); the object is unusable afterwards."""
    this = self.__dict__.get("this")
    if this is not None and this.own():
        type(self).__swig_destroy__(self)
    self.__dict__["this"] = None


def _enter(self):
    return self


def _exit(self, *exc):
    self.close()
    return False


def _snake(name):
    return _re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _property(fn):
    return property(lambda self: fn(self), doc=fn.__doc__)


_handles = {}
for _name, _cls in list(globals().items()):
    if isinstance(_cls, type) and hasattr(_cls, "__swig_destroy__"):
        _cls.close = _close
        _cls.__enter__ = _enter
        _cls.__exit__ = _exit
        if not _name.endswith("Options") and _name != "Buf":
            _handles[_snake(_name)] = _cls

# A one-argument getter <type>_get_x / _is_x / _has_x / _count of a handle
# becomes a property (cert.subject_cn, certlist.count); the rest stay functions.
for _fname, _fn in list(globals().items()):
    if not callable(_fn) or _fname.startswith("_"):
        continue
    for _prefix in sorted(_handles, key=len, reverse=True):
        if not _fname.startswith(_prefix + "_"):
            continue
        _rest = _fname[len(_prefix) + 1:]
        _doc = (_fn.__doc__ or "")
        _sig = _re.match(r"\s*\w+\(([^)]*)\)", _doc)
        _nargs = len([a for a in _sig.group(1).split(",") if a.strip()]) if _sig else -1
        if _nargs == 1 and _re.match(r"(get_|is_|has_|count$|\w+_count$)", _rest):
            _pname = _rest[4:] if _rest.startswith("get_") else _rest
            if not hasattr(_handles[_prefix], _pname):
                setattr(_handles[_prefix], _pname, _property(_fn))
        break
del _name, _cls, _fname, _fn
