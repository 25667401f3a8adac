/*
 * store.h: the only writer of the database.
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"
#include "util.h"

#define STORE_VERSION	7	/* PRAGMA user_version: schema/NNN-*.sql */

enum store_stmt {
	STMT_EVENT,
	STMT_EVENT_RARE,
	STMT_SESSION_NEW,
	STMT_SESSION_CONNECT,
	STMT_SESSION_GREETING,
	STMT_SESSION_HELO,
	STMT_SESSION_TLS,
	STMT_SESSION_AUTH,
	STMT_SESSION_END,
	STMT_TX_NEW,
	STMT_TX_MAIL,
	STMT_TX_DATA,
	STMT_TX_COMMIT,
	STMT_TX_ROLLBACK,
	STMT_TX_END,
	STMT_RCPT_NEW,
	STMT_RCPT_REPLY,
	STMT_ENVELOPE_NEW,
	STMT_ENVELOPE_RCPT,
	STMT_ATTEMPT_NEW,
	STMT_ATTEMPT_END,
	STMT_ATTEMPT_END_OPEN,
	STMT_CONFIG,
	STMT_COUNTER,
	STMT_COUNTER_GET,
	STMT_FIND_SESSION,
	STMT_FIND_TX,
	STMT_FIND_ATTEMPTS,
	STMT_FIND_ENVELOPES,
	STMT_FIND_EVENT,
	STMT_FIND_HELO,
	STMT_FIND_ATTEMPT_T,
	STMT_OUTCOME_NEW,
	STMT_OUTCOME_REF,
	STMT_OUTCOME_NEWEST,
	STMT_COUNTER_ADD,
	STMT_PRUNE_SEED,
	STMT_PRUNE_SESS_EVP,
	STMT_PRUNE_EVP_SESS,
	STMT_PRUNE_SESS_OLD,
	STMT_PRUNE_SESS_REFUSED,
	STMT_PRUNE_ENV_OLD,
	STMT_PRUNE_DEL_RARE,
	STMT_PRUNE_DEL_EVENTS,
	STMT_PRUNE_DEL_RCPT,
	STMT_PRUNE_DEL_ATTEMPTS,
	STMT_PRUNE_DEL_TX,
	STMT_PRUNE_DEL_SESSION,
	STMT_PRUNE_DEL_ENVELOPE,
	STMT_PRUNE_DEL_RAW,
	STMT_PRUNE_SIZE,
	STMT_PRUNE_AUTOVAC,
	STMT_PRUNE_VACUUM,
	STMT_PRUNE_INCR,
	STMT_REFUSAL_NEW,
	STMT_PRUNE_DEL_REFUSALS,
	STMT_PRUNE_DEL_OUTCOME,
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_MAX
};

struct store;

/* store_open() returns NULL and sets *errstr (static text) on failure. */
struct store	*store_open(const char *, int, const char **);
void		 store_close(struct store *);
int		 store_begin(struct store *);
int		 store_commit(struct store *);
void		 store_rollback(struct store *);
int		 store_failed(struct store *);
const char	*store_errmsg(struct store *);
int64_t		 store_run(struct store *, enum store_stmt, const char *, ...);
int		 store_find(struct store *, enum store_stmt, int64_t, int64_t,
		    int64_t *, int64_t *);
void		 store_counters(struct store *, const char *const *,
		    int64_t *, int);
int		 store_find_text(struct store *, enum store_stmt, int64_t,
		    int64_t, int64_t *, int64_t *, struct buf *);
size_t		 store_list(struct store *, enum store_stmt, int64_t, int64_t *,
		    size_t);
int64_t		 store_changes(struct store *);
int		 store_exec_stmt(struct store *, enum store_stmt);

#endif
