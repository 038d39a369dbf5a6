# Programs.
noinst_PROGRAMS += src/iotx509-demo
src_iotx509_demo_SOURCES = src/demo.c
src_iotx509_demo_LDADD = lib/libiotx509.la
