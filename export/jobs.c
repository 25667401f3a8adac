/*
 * Copyright (c) 2026 The mailtrail authors
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */


/*
 * jobs.c: export -j: the lives cut by time into parts (model_split.c)
 * and dealt in turn to several processes.  Each prints its part into
 * memory, waits for the process before it to say that the part before
 * is written, writes its own and tells the next: the same bytes, in the
 * same order, as one process writes.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

#define JOBS_PER	256		/* lives a part, about */
#define JOBS_MIN	4096		/* fewer lives: one process */
#define JOBS_AUTO	4		/* at most, unless -j says */
#define JOBS_HOLD	(8 << 20)	/* a part past this waits its turn */

/* One process's share. */
struct jobs_turn {
	int			 in, out;	/* from the one before, to
						   the next */
	struct model_split	 split;
	int64_t			 part;		/* being read */
	int			 writing;	/* its turn came: to stdout */
	FILE			*mem;
	char			*buf;
	size_t			 len;
};

static int	jobs_plan(const char *, int, int, struct model_split *);
static int	jobs_fork(const char *, const struct model_query *, int,
		    struct model_split *);
static int	jobs_run(const char *, const struct model_query *, int,
		    const struct model_split *, int [][2], int);
static int	jobs_work(const char *, const struct model_query *, int,
		    struct jobs_turn *);
static int	jobs_lives(struct model *, const struct model_query *, int,
		    struct jobs_turn *);
static int	jobs_take(struct jobs_turn *);
static int	jobs_pass(struct jobs_turn *);
static int	jobs_wait(pid_t *, int);

/* The number of processes -j asks for, into *n: 0, or -1 (said why). */
int
jobs_count(const char *arg, int *n)
{
	const char	*errstr;

	*n = strtonum(arg, 1, JOBS_MAX, &errstr);
	if (errstr != NULL) {
		log_error("-j %s: %s (1 to %d)", arg, errstr, JOBS_MAX);
		return -1;
	}
	return 0;
}

/*
 * Export the lives of q from path with n processes (0: one a core, at
 * most JOBS_AUTO, and only on a database of JOBS_MIN lives or more).
 * The exit status, or -1 when one process is to do it (not cut).
 */
int
jobs_export(const char *path, const struct model_query *q, int summary,
    int n)
{
	struct model_split	 s;
	long			 cpus;
	int			 rv;

	if (n == 0) {
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
		n = cpus < 1 ? 1 : cpus > JOBS_AUTO ? JOBS_AUTO : (int)cpus;
		rv = jobs_plan(path, n, JOBS_MIN, &s);
	} else
		rv = jobs_plan(path, n, 1, &s);
	if (rv != 1)
		return rv == 0 ? -1 : 1;
	return jobs_fork(path, q, summary, &s);
}

/* The cut for n processes: 1, 0 none (too few lives), -1 (said why). */
static int
jobs_plan(const char *path, int n, int min, struct model_split *s)
{
	struct model	*m;
	char		*cause;
	int		 rv;

	if (n < 2)
		return 0;
	if ((m = model_open(path, &cause)) == NULL) {
		log_error("%s", cause);
		free(cause);
		return -1;
	}
	if ((rv = model_split_plan(m, JOBS_PER, min, n, s)) == -1)
		log_error("%s", model_error(m));
	model_close(m);
	return rv;
}

/*
 * Start processes 1 to n - 1, be process 0, and wait for the others:
 * the exit status.  Process k hears from the one before on sp[k][0]
 * and tells the next (0 after n - 1) on its sp[][1]; the turn goes
 * round until the last part is out.
 */
static int
jobs_fork(const char *path, const struct model_query *q, int summary,
    struct model_split *s)
{
	pid_t	pid[JOBS_MAX];
	int	sp[JOBS_MAX][2], k, rv;

	for (k = 0; k < s->n; k++)
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp[k]) == -1)
			fatal("socketpair");
	fflush(stdout);
	fflush(stderr);
	for (k = 1; k < s->n; k++) {
		if ((pid[k] = fork()) == -1)
			fatal("fork");
		if (pid[k] == 0)
			exit(jobs_run(path, q, summary, s, sp, k));
	}
	rv = jobs_run(path, q, summary, s, sp, 0);
	return jobs_wait(pid, s->n) == -1 ? 1 : rv;
}

/* Be process k of those jobs_fork() starts: the exit status. */
static int
jobs_run(const char *path, const struct model_query *q, int summary,
    const struct model_split *s, int sp[][2], int k)
{
	struct jobs_turn	 t;
	int			 j;

	memset(&t, 0, sizeof(t));
	t.split = *s;
	t.split.i = k;
	t.in = sp[k][0];
	t.out = sp[(k + 1) % s->n][1];
	for (j = 0; j < s->n; j++) {
		if (sp[j][0] != t.in)
			close(sp[j][0]);
		if (sp[j][1] != t.out)
			close(sp[j][1]);
	}
	return jobs_work(path, q, summary, &t);
}

/* Wait for processes 1 to n - 1: -1 if one failed. */
static int
jobs_wait(pid_t *pid, int n)
{
	int	k, status, rv = 0;

	for (k = 1; k < n; k++) {
		while (waitpid(pid[k], &status, 0) == -1)
			if (errno != EINTR)
				fatal("waitpid");
		if (WIFSIGNALED(status) && WTERMSIG(status) != SIGPIPE)
			log_warnx("export process %d killed by signal %d", k,
			    WTERMSIG(status));
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			rv = -1;
	}
	return rv;
}

/* One process's parts: the exit status. */
static int
jobs_work(const char *path, const struct model_query *q, int summary,
    struct jobs_turn *t)
{
	struct model	*m;
	char		*cause;
	int		 rv;

	t->part = t->split.i;
	if ((t->mem = open_memstream(&t->buf, &t->len)) == NULL)
		fatal("open_memstream");
	if ((m = model_open(path, &cause)) == NULL) {
		rv = log_error("%s", cause);
		free(cause);
	} else {
		rv = jobs_lives(m, q, summary, t);
		model_end(m);
		model_close(m);
	}
	fclose(t->mem);
	free(t->buf);
	close(t->in);
	close(t->out);
	return rv;
}

/* The lives of this process's parts, each written in its turn. */
static int
jobs_lives(struct model *m, const struct model_query *q, int summary,
    struct jobs_turn *t)
{
	struct model_query	 mine;
	struct model_iter	*it;
	const struct model_life	*l;
	int64_t			 p;
	int			 rv = 0;

	mine = *q;
	mine.split = t->split;
	if (model_begin(m) == -1 ||
	    (it = model_lives(m, &mine, summary ? 0 : MODEL_EVENTS)) == NULL)
		return log_error("%s", model_error(m));
	while (rv == 0 && (l = model_next(it)) != NULL) {
		p = model_split_part(&t->split, l->t);
		while (rv == 0 && t->part < p)
			rv = jobs_pass(t);
		if (rv == 0 && json_life_print(l, !summary, t->writing ?
		    stdout : t->mem) == -1)
			rv = log_error("write error");
		if (rv == 0 && !t->writing && ftello(t->mem) > JOBS_HOLD)
			rv = jobs_take(t);
	}
	if (rv == 0 && model_iter_failed(it))
		rv = log_error("%s", model_error(m));
	model_iter_free(it);
	while (rv == 0 && t->part <= t->split.last)
		rv = jobs_pass(t);
	return rv;
}

/*
 * Wait for this part's turn (the first has it), then write what is
 * held of it: from now on it goes to stdout as it comes.  0, or the
 * exit status: 1 (a write error said, or the process before gone:
 * it said why).
 */
static int
jobs_take(struct jobs_turn *t)
{
	int64_t	turn;
	ssize_t	r;
	size_t	got = 0;

	while (t->part > 0 && got < sizeof(turn)) {
		r = recv(t->in, (char *)&turn + got, sizeof(turn) - got, 0);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return 1;
		got += r;
	}
	if (t->part > 0 && turn != t->part)
		fatalx("export: part %lld's turn, not %lld", (long long)turn,
		    (long long)t->part);
	if (fflush(t->mem) == EOF)
		fatal("open_memstream");
	if (fwrite(t->buf, 1, ftello(t->mem), stdout) !=
	    (size_t)ftello(t->mem))
		return log_error("write error");
	rewind(t->mem);
	t->writing = 1;
	return 0;
}

/* This part is read: write it in its turn, and pass the turn on. */
static int
jobs_pass(struct jobs_turn *t)
{
	int64_t	next = t->part + 1;
	int	rv;

	if (!t->writing && (rv = jobs_take(t)) != 0)
		return rv;
	if (fflush(stdout) == EOF || ferror(stdout))
		return log_error("write error");
	if (next <= t->split.last && send(t->out, &next, sizeof(next),
	    MSG_NOSIGNAL) != sizeof(next))
		return 1;
	t->part += t->split.n;
	t->writing = 0;
	return 0;
}
