/*
 * proto.h: the OpenSMTPD report line, parsed.
 */
#ifndef PROTO_H
#define PROTO_H

#define PROTO_HEADER_MAX	128

#include <stddef.h>
#include <stdint.h>

enum proto_event {
	EVT_NONE = 0,
	EVT_LINK_CONNECT,
	EVT_LINK_DISCONNECT,
	EVT_LINK_GREETING,
	EVT_LINK_IDENTIFY,
	EVT_LINK_TLS,
	EVT_LINK_AUTH,
	EVT_TX_RESET,
	EVT_TX_BEGIN,
	EVT_TX_MAIL,
	EVT_TX_RCPT,
	EVT_TX_ENVELOPE,
	EVT_TX_DATA,
	EVT_TX_COMMIT,
	EVT_TX_ROLLBACK,
	EVT_PROTOCOL_CLIENT,
	EVT_PROTOCOL_SERVER,
	EVT_FILTER_REPORT,
	EVT_FILTER_RESPONSE,
	EVT_TIMEOUT,
	EVT_MAX
};

enum proto_dir {
	DIR_IN = 0,
	DIR_OUT = 1
};

enum proto_result {
	RES_OK = 0,
	RES_TEMPFAIL,
	RES_PERMFAIL,
	RES_ERROR,
	RES_NONE = -1
};

/* Canonical field slots; each event uses a few of them. */
enum proto_field {
	F_MSGID,	/* tx-*: 8 hex */
	F_RESULT,	/* tx-mail, tx-rcpt, tx-data, link-auth */
	F_ADDR,		/* tx-mail, tx-rcpt */
	F_EVPID,	/* tx-envelope */
	F_SIZE,		/* tx-commit */
	F_RDNS,		/* link-connect */
	F_FCRDNS,
	F_SRC,
	F_DEST,
	F_TEXT,		/* greeting, identity, tls, username, protocol lines */
	F_METHOD,	/* link-identify */
	F_PHASE,	/* filter-response */
	F_RESPONSE,
	F_PARAM,
	F_KIND,		/* filter-report */
	F_NAME,
	F_MAX
};

enum proto_error {
	PROTO_OK = 0,
	PROTO_ENOTREPORT,	/* not a report| line */
	PROTO_EVERSION,		/* unknown protocol version */
	PROTO_ETIME,		/* bad timestamp */
	PROTO_ESUBSYSTEM,
	PROTO_EEVENT,		/* unknown event */
	PROTO_ESESSION,		/* bad session id */
	PROTO_EFIELDS,		/* wrong number of parameters */
	PROTO_EVALUE,		/* a parameter has a bad value */
	PROTO_ENUL		/* a NUL byte in the line */
};

struct proto_str {
	const char	*p;
	size_t		 len;
};

/*
 * A parsed line.  Strings point into the caller's buffer, which must
 * outlive the struct; nothing is allocated or modified.
 */
struct report {
	const char	*line;		/* the whole line, without '\n' */
	size_t		 len;
	int		 minor;		/* protocol 0.<minor> */
	int64_t		 time;		/* microseconds since the epoch */
	enum proto_dir	 dir;
	enum proto_event event;
	uint64_t	 session;
	uint32_t	 msgid;
	uint64_t	 evpid;
	int64_t		 size;
	enum proto_result result;
	const char	*params;	/* everything after the session id */
	size_t		 paramslen;	/* (0 and NULL if none) */
	struct proto_str f[F_MAX];	/* fields by slot; p is NULL if absent */
};

int		 proto_parse(struct report *, const char *, size_t);
const char	*proto_strerror(int);
const char	*proto_event_name(enum proto_event);
enum proto_event proto_event_lookup(const char *, size_t);
const char	*proto_result_name(enum proto_result);
int		 proto_canonical(const struct report *);
int		 proto_header_format(const struct report *, char *, size_t);
int		 proto_hex(const char *, size_t, uint64_t *);
int		 proto_secret(const char *, size_t, int, size_t *);

#endif
