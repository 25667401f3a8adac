/*
 * maillog.h: one line of smtpd's maillog, parsed (the lines that say what
 * happened to an envelope; report-protocol.md section 9).
 */
#ifndef MAILLOG_H
#define MAILLOG_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

enum maillog_kind {
	MAILLOG_NONE = 0,
	MAILLOG_MTA,		/* <sid> mta delivery evpid=... */
	MAILLOG_MDA,		/* <sid> mda delivery evpid=... */
	MAILLOG_EXPIRE,		/* relay: Expire for <evpid>: ... */
	MAILLOG_REMOVE,		/* relay: Remove for <evpid>: ... */
	MAILLOG_MESSAGE,	/* <sid> smtp message msgid=... */
	MAILLOG_ENVELOPE,	/* <sid> smtp envelope evpid=... */
	MAILLOG_BOUNCE,		/* debug: queue: bouncing evp:X as evp:Y */
	MAILLOG_KIND_MAX
};

/* How the line gives its time. */
enum maillog_stamp {
	MAILLOG_STAMP_NONE,	/* none: smtpd -d output as it is */
	MAILLOG_STAMP_SYSLOG,	/* "Nov 23 10:14:02": local, no year */
	MAILLOG_STAMP_ABS	/* RFC 3339 or "<epoch> ": time is set */
};

/* Text fields; p is NULL if the line has none ("-" counts as none). */
enum maillog_field {
	MLF_HOST,		/* syslog host */
	MLF_MSG,		/* smtpd's message, after the syslog header */
	MLF_FROM,		/* sender; empty for the null sender */
	MLF_TO,			/* recipient (after expansion) */
	MLF_RCPT,		/* original recipient, if expanded */
	MLF_SOURCE,		/* mta: our address */
	MLF_RELAY,		/* mta: "ip (ptr)"; session 0: domain */
	MLF_USER,		/* mda: the local user */
	MLF_STAT,		/* the status text */
	MLF_PROTO,		/* smtp message: ESMTP or SMTP */
	MLF_MAX
};

enum maillog_error {
	MAILLOG_OK = 0,
	MAILLOG_SKIP,		/* not one of the lines taken */
	MAILLOG_EFORMAT,	/* one of them, but its fields do not fit */
	MAILLOG_EVALUE		/* one of them, with a bad value */
};

/*
 * A parsed line.  Strings point into the caller's buffer, which must
 * outlive the struct; nothing is allocated or modified.
 */
struct maillog {
	const char		*line;		/* without '\n' or "\r\n" */
	size_t			 len;
	enum maillog_stamp	 stamp;
	int64_t			 time;		/* ABS: microseconds, UTC */
	int			 mon, mday;	/* SYSLOG: 0-11, 1-31 */
	int			 hour, min, sec;
	enum maillog_kind	 kind;
	const char		*agent;		/* expire, remove: "relay" or
						   "delivery" (static) */
	uint64_t		 sid;		/* 0: none, or session 0 */
	uint64_t		 evpid;
	uint64_t		 bounce;	/* its bounce envelope */
	uint32_t		 msgid;		/* smtp message */
	int			 has_delay;
	int64_t			 delay;		/* seconds */
	int64_t			 size, nrcpt;	/* smtp message; else -1 */
	enum proto_result	 result;	/* RES_NONE: none */
	struct proto_str	 f[MLF_MAX];
};

int		 maillog_parse(struct maillog *, const char *, size_t);
const char	*maillog_strerror(int);
const char	*maillog_kind_name(enum maillog_kind);
int64_t		 maillog_days(int, int, int);

#endif
