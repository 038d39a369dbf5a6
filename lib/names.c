/*
 * CN checks and subjectAltName encoding.
 */
#include "names-internal.h"

#include <arpa/inet.h>
#include <string.h>

#define CN_MAX 64

int iox_check_cn(const char *cn)
{
	size_t len, i;

	if (cn == NULL)
		return iox_error(IOTX509_EINVAL, "common name is NULL");
	len = strlen(cn);
	if (len == 0)
		return iox_error(IOTX509_EINVAL, "common name is empty");
	if (len > CN_MAX)
		return iox_error(IOTX509_EINVAL, "common name is %zu characters long; RFC 5280 allows at most %d", len,
				 CN_MAX);
	for (i = 0; i < len; i++)
		if ((unsigned char)cn[i] < 0x20 || cn[i] == 0x7f)
			return iox_error(IOTX509_EINVAL, "common name has a control character at position %zu", i + 1);
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void iox_rfc4514_unescape(char *s)
{
	char *o = s;

	while (*s) {
		if (s[0] == '\\' && s[1] && hexval(s[1]) >= 0 && s[2] && hexval(s[2]) >= 0) {
			*o++ = (char)(hexval(s[1]) * 16 + hexval(s[2]));
			s += 3;
		} else if (s[0] == '\\' && s[1]) {
			*o++ = s[1];
			s += 2;
		} else
			*o++ = *s++;
	}
	*o = '\0';
}

static int check_dns(const char *name)
{
	size_t len, i;

	if (name == NULL || (len = strlen(name)) == 0 || len > 253)
		return iox_error(IOTX509_EINVAL, "subjectAltName: DNS name is empty or longer than 253 characters");
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '.' || (c == '*' && i == 0 && len > 1 && name[1] == '.')))
			return iox_error(IOTX509_EINVAL, "subjectAltName: invalid character '%c' in DNS name '%s'", c,
					 name);
	}
	return 0;
}

/* Parse an IP address in text into 4 or 16 octets. */
static int parse_ip(unsigned char out[16], unsigned int *size, const char *ip)
{
	if (ip != NULL && inet_pton(AF_INET, ip, out) == 1) {
		*size = 4;
		return 0;
	}
	if (ip != NULL && inet_pton(AF_INET6, ip, out) == 1) {
		*size = 16;
		return 0;
	}
	return iox_error(IOTX509_EINVAL, "subjectAltName: '%s' is not an IPv4 or IPv6 address", ip ? ip : "(null)");
}

/* One loop for both targets; @crq or @crt is set. */
static int san_apply(gnutls_x509_crq_t crq, gnutls_x509_crt_t crt, const iotx509_strlist *dns,
		     const iotx509_strlist *ips)
{
	size_t i, dns_count = iotx509_strlist_count(dns), ip_count = iotx509_strlist_count(ips);
	int ret;

	for (i = 0; i < dns_count + ip_count; i++) {
		unsigned char ipbuf[16];
		const void *data;
		unsigned int size = 0;
		gnutls_x509_subject_alt_name_t type;

		if (i < dns_count) {
			const char *name = iotx509_strlist_get(dns, i);

			if ((ret = check_dns(name)) < 0)
				return ret;
			type = GNUTLS_SAN_DNSNAME;
			data = name;
			size = (unsigned int)strlen(name);
		} else {
			if ((ret = parse_ip(ipbuf, &size, iotx509_strlist_get(ips, i - dns_count))) < 0)
				return ret;
			type = GNUTLS_SAN_IPADDRESS;
			data = ipbuf;
		}
		ret = crq ? gnutls_x509_crq_set_subject_alt_name(crq, type, data, size, GNUTLS_FSAN_APPEND)
			  : gnutls_x509_crt_set_subject_alt_name(crt, type, data, size, GNUTLS_FSAN_APPEND);
		if (ret < 0)
			return iox_error_gnutls(iox_code_from_gnutls(ret), ret, "cannot set subjectAltName");
	}
	return 0;
}

int iox_san_apply_crq(gnutls_x509_crq_t crq, const iotx509_strlist *dns, const iotx509_strlist *ips)
{
	return san_apply(crq, NULL, dns, ips);
}

int iox_san_apply_crt(gnutls_x509_crt_t crt, const iotx509_strlist *dns, const iotx509_strlist *ips)
{
	return san_apply(NULL, crt, dns, ips);
}
