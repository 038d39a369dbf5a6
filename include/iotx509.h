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

#endif
