/*
 * sess.h: what the collector remembers of each open session.
 */
#ifndef SESS_H
#define SESS_H

#include <sys/tree.h>

#include <stdint.h>

#include "util.h"

/* What the next smtp-out reply answers. */
enum sess_phase {
	PH_NONE,
	PH_MAIL,
	PH_RCPT,
	PH_DATA,
	PH_DOT
};

struct sess {
	RB_ENTRY(sess)	 entry;
	uint64_t	 sid;
	int		 dir;
	int64_t		 id;		/* session.id */
	int64_t		 tx;		/* open tx.id, 0 if none */
	uint32_t	 msgid;		/* of tx */
	int64_t		 last;		/* time of the last event */
	enum sess_phase	 phase;
	int		 timedout;
	int		 lmtp;
	int		 connected;
	int		 authing;	/* in: inside an AUTH exchange */
	int64_t		 awaiting;	/* attempt (out) or rcpt (0.4 in)
					   waiting for its reply */
	int64_t		*ids;		/* in: evpids waiting for tx-rcpt;
					   out: attempts accepted at RCPT */
	size_t		 nids, idcap;
	struct buf	 reply;		/* in: last reply line */
	struct buf	 rcptto;	/* out: address of the last RCPT TO */
	struct buf	 mailfrom;	/* out: address of the last MAIL FROM */
	int64_t		 mailfrom_event; /* out: its event; 0 not stored */
};

RB_HEAD(sess_tree, sess);

struct sess	*sess_find(struct sess_tree *, uint64_t, int);
struct sess	*sess_new(struct sess_tree *, uint64_t, int);
void		 sess_free(struct sess_tree *, struct sess *);
void		 sess_free_all(struct sess_tree *);
void		 sess_push(struct sess *, int64_t);
size_t		 sess_older(struct sess_tree *, int64_t,
		    void (*)(struct sess *, void *), void *);

#endif
