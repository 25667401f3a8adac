/*
 * hosts.h: several mailtrail databases, one per mail host (-d a.db
 * -d b.db), each with its host name, and the lookups that follow a mail
 * from one host's smtp-out attempt to the next host's smtp-in.
 */
#ifndef HOSTS_H
#define HOSTS_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"

#define HOSTS_MAX	64
#define HOSTS_SKEW	(3600 * 1000000LL)	/* clocks agree within */

enum hosts_stmt {
	HQ_ADMD,
	HQ_REMOTE,
	HQ_DOWN,
	HQ_UP,
	HQ_MAX
};

struct host {
	const char	*path;
	char		*name;		/* host_of() */
	struct model	*top;		/* the query's lives */
	struct model	*chain;		/* lives reached by a hop */
	sqlite3		*db;		/* the hop lookups below */
	sqlite3_stmt	*st[HQ_MAX];
	int		 on_path;	/* in the chain being printed */
};

struct hosts {
	struct host	 h[HOSTS_MAX];
	size_t		 n;
};

/* Where a life came from: the previous host's attempt. */
struct hosts_up {
	size_t		 host;
	uint64_t	 evpid;		/* upstream envelope */
	uint64_t	 session;	/* its smtp-out session id */
	char		 remote_id[64];	/* = this life's msgid, hex */
	uint32_t	 msgid;		/* the upstream envelope's message, */
	char		 rcpt[512];	/* its recipient on smtp-in */
	int64_t		 t;		/* and its commit there */
};

int		 hosts_add(struct hosts *, const char *);
int		 hosts_open(struct hosts *, int);
void		 hosts_close(struct hosts *);
char		*host_of(sqlite3 *, const char *);
int		 hosts_remote_id(struct host *, int64_t, char *, size_t);
int		 hosts_down(struct host *, const char *, int64_t, int64_t);
int		 hosts_up(struct hosts *, size_t, uint32_t, const char *,
		    int64_t, struct hosts_up *);
int		 hosts_print_json(const struct model_life *, int, const char *,
		    const struct hosts *, const struct hosts_up *, FILE *);
int		 hosts_print_event(const struct model_event *, const char *,
		    FILE *);

#endif
