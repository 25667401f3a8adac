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
 * jobs.c: export -j: the lives cut by time into parts of about the same
 * number (model_split.c) and dealt in turn to several processes.  Each
 * prints its part into memory, waits for the process before it to say
 * that the part before is written, writes its own and tells the next:
 * the same bytes, in the same order, as one process writes.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
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

/* The cut: part p holds the lives first seen in [bound[p - 1], bound[p]). */
struct jobs_cut {
	int64_t			*bound;
	size_t			 nbound;	/* parts: one more */
	int			 n;		/* processes */
	int			 summary;
};

/* One process's share: parts k, k + n, k + 2n, ... */
struct jobs_turn {
	const struct jobs_cut	*cut;
	int			 in, out;	/* from the one before, to
						   the next */
	size_t			 part;		/* being read */
	int			 writing;	/* its turn came: to stdout */
	FILE			*mem;
	char			*buf;
	size_t			 len;
};

static int	jobs_plan(const char *, int, int64_t, struct model_query *,
		    struct jobs_cut *);
static int	jobs_fork(const char *, const struct model_query *,
		    const struct jobs_cut *);
static int	jobs_run(const char *, const struct model_query *,
		    const struct jobs_cut *, int [][2], int);
static int	jobs_wait(pid_t *, int);
static int	jobs_work(const char *, const struct model_query *,
		    struct jobs_turn *);
static int	jobs_parts(struct model *, const struct model_query *,
		    struct jobs_turn *);
static int	jobs_part(struct model *, struct model_iter *,
		    struct jobs_turn *);
static int	jobs_fail(struct jobs_turn *, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));
static int	jobs_await(struct jobs_turn *);
static int	jobs_take(struct jobs_turn *);
static int	jobs_pass(struct jobs_turn *);

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
 * most JOBS_AUTO, and only on a database, or window, of JOBS_MIN lives
 * or more; only a time window is cut: model_split()).  The exit status,
 * or -1 when one process is to do it: not cut, or the database not read
 * (it will say why).
 */
int
jobs_export(const char *path, const struct model_query *q, int summary,
    int n)
{
	struct model_query	 mine = *q;
	struct jobs_cut		 cut;
	long			 cpus;
	int			 rv, min = 1;

	if (n == 0) {
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
		n = cpus < 1 ? 1 : cpus > JOBS_AUTO ? JOBS_AUTO : (int)cpus;
		min = JOBS_MIN;
	}
	memset(&cut, 0, sizeof(cut));
	cut.summary = summary;
	rv = jobs_plan(path, n, min, &mine, &cut) ?
	    jobs_fork(path, &mine, &cut) : -1;
	free(cut.bound);
	return rv;
}

/*
 * The cut of q's lives for n processes, and the one as_of every process
 * gives them, into *q: 1, or 0 for none (too few lives, or an error that
 * one process will meet and say).
 */
static int
jobs_plan(const char *path, int n, int64_t min, struct model_query *q,
    struct jobs_cut *cut)
{
	struct model	*m;
	char		*cause;
	int		 rv;

	if (n < 2)
		return 0;
	if ((m = model_open(path, &cause)) == NULL) {
		free(cause);
		return 0;
	}
	cut->n = n;
	rv = model_split(m, q, JOBS_PER, min, n, &cut->bound, &cut->nbound);
	if (rv == 1 && model_as_of(m, &q->as_of) == -1)
		rv = 0;
	q->fixed = 1;
	model_close(m);
	return rv == 1;
}

/*
 * Start processes 1 to n - 1, be process 0, and wait for the others:
 * the exit status.  Process k hears from the one before on sp[k][0]
 * and tells the next (0 after n - 1) on its sp[][1]; the turn goes
 * round until the last part is out.
 */
static int
jobs_fork(const char *path, const struct model_query *q,
    const struct jobs_cut *cut)
{
	pid_t	pid[JOBS_MAX];
	int	sp[JOBS_MAX][2], k, rv;

	for (k = 0; k < cut->n; k++)
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp[k]) == -1)
			fatal("socketpair");
	fflush(stdout);
	fflush(stderr);
	for (k = 1; k < cut->n; k++) {
		if ((pid[k] = fork()) == -1)
			fatal("fork");	/* those started see the turn end */
		if (pid[k] == 0)
			exit(jobs_run(path, q, cut, sp, k));
	}
	rv = jobs_run(path, q, cut, sp, 0);
	return jobs_wait(pid, cut->n) == -1 ? 1 : rv;
}

/* Be process k of those jobs_fork() starts: the exit status. */
static int
jobs_run(const char *path, const struct model_query *q,
    const struct jobs_cut *cut, int sp[][2], int k)
{
	struct jobs_turn	 t;
	int			 j;

	memset(&t, 0, sizeof(t));
	t.cut = cut;
	t.part = k;
	t.in = sp[k][0];
	t.out = sp[(k + 1) % cut->n][1];
	for (j = 0; j < cut->n; j++) {
		if (sp[j][0] != t.in)
			close(sp[j][0]);
		if (sp[j][1] != t.out)
			close(sp[j][1]);
	}
	if (t.part > cut->nbound) {	/* fewer parts than processes */
		close(t.in);
		close(t.out);
		return 0;
	}
	return jobs_work(path, q, &t);
}

/*
 * Wait for processes 1 to n - 1: -1 if one failed.  One that a reader
 * gone away killed (SIGPIPE) ends this one the same way, as one
 * process would have ended.
 */
static int
jobs_wait(pid_t *pid, int n)
{
	int	k, status, rv = 0, pipe = 0;

	for (k = 1; k < n; k++) {
		while (waitpid(pid[k], &status, 0) == -1)
			if (errno != EINTR)
				fatal("waitpid");
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE)
			pipe = 1;
		else if (WIFSIGNALED(status))
			log_warnx("export process %d killed by signal %d", k,
			    WTERMSIG(status));
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			rv = -1;
	}
	if (pipe) {
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
	}
	return rv;
}

/* One process's parts: the exit status. */
static int
jobs_work(const char *path, const struct model_query *q,
    struct jobs_turn *t)
{
	struct model	*m;
	char		*cause;
	int		 rv;

	if ((t->mem = open_memstream(&t->buf, &t->len)) == NULL)
		fatal("open_memstream");
	if ((m = model_open(path, &cause)) == NULL) {
		rv = jobs_fail(t, "%s", cause);
		free(cause);
	} else {
		rv = jobs_parts(m, q, t);
		model_end(m);
		model_close(m);
	}
	fclose(t->mem);
	free(t->buf);
	close(t->in);
	close(t->out);
	return rv;
}

/*
 * The lives of this process's parts, each written in its turn: q, a
 * time window, as one since: and one until: narrowed to the part's
 * bounds.  Two lower bounds would leave the index to read from the
 * lower, the window's, to each part's end.
 */
static int
jobs_parts(struct model *m, const struct model_query *q,
    struct jobs_turn *t)
{
	const struct jobs_cut	*cut = t->cut;
	struct model_query	 mine = *q;
	struct model_term	*since, *until;
	struct model_iter	*it = NULL;
	int64_t			 lo, hi;
	int			 rv = 0;

	model_query_window(q, &lo, &hi);
	since = &mine.terms[0];
	until = &mine.terms[1];
	memset(mine.terms, 0, 2 * sizeof(*mine.terms));
	mine.n = 2;
	since->kind = TERM_SINCE;
	until->kind = TERM_UNTIL;
	if (model_begin(m) == -1)
		return jobs_fail(t, "%s", model_error(m));
	for (; rv == 0 && t->part <= cut->nbound; t->part += cut->n) {
		since->t = t->part == 0 ? lo : cut->bound[t->part - 1];
		until->t = t->part == cut->nbound ? hi :
		    cut->bound[t->part] - 1;
		if (it == NULL)
			it = model_lives(m, &mine, cut->summary ? 0 :
			    MODEL_EVENTS);
		else if (model_again(it) == -1) {
			model_iter_free(it);
			it = NULL;
		}
		if (it == NULL)
			rv = jobs_fail(t, "%s", model_error(m));
		else
			rv = jobs_part(m, it, t);
	}
	model_iter_free(it);
	return rv;
}

/* The lives of it, the part's, printed; then written in its turn. */
static int
jobs_part(struct model *m, struct model_iter *it, struct jobs_turn *t)
{
	const struct model_life	*l;
	int			 rv = 0;

	while (rv == 0 && (l = model_next(it)) != NULL) {
		if (!t->writing) {
			if (json_life_print(l, !t->cut->summary, t->mem) == -1)
				fatal("memory stream");
			if (ftello(t->mem) > JOBS_HOLD)
				rv = jobs_take(t);
		} else if (json_life_print(l, !t->cut->summary, stdout) == -1)
			rv = log_error("write error");
	}
	if (rv == 0 && model_iter_failed(it))
		rv = jobs_fail(t, "%s", model_error(m));
	return rv == 0 ? jobs_pass(t) : rv;
}

/*
 * An error of this process: said once, in its turn, after what was
 * read before it is out (as one process says it), by the one process
 * that met it; with the turn never coming (one before failed and said
 * why), nothing.  The exit status: 1.
 */
static int
jobs_fail(struct jobs_turn *t, const char *fmt, ...)
{
	va_list	ap;
	char	msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!t->writing && jobs_take(t) != 0)
		return 1;
	fflush(stdout);
	return log_error("%s", msg);
}

/* Wait for this part's turn (the first has it): 0, or -1 never. */
static int
jobs_await(struct jobs_turn *t)
{
	uint64_t	turn;
	ssize_t		r;
	size_t		got = 0;

	while (t->part > 0 && got < sizeof(turn)) {
		r = recv(t->in, (char *)&turn + got, sizeof(turn) - got, 0);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += r;
	}
	if (t->part > 0 && turn != t->part)
		fatalx("export: part %llu's turn, not %zu",
		    (unsigned long long)turn, t->part);
	return 0;
}

/*
 * Wait for this part's turn, then write what is held of it: from now
 * on it goes to stdout as it comes.  0, or the exit status: 1 (a write
 * error said, or the process before gone: it said why).
 */
static int
jobs_take(struct jobs_turn *t)
{
	off_t	len;

	if (jobs_await(t) == -1)
		return 1;
	if (fflush(t->mem) == EOF || (len = ftello(t->mem)) == -1)
		fatal("memory stream");
	if (fwrite(t->buf, 1, len, stdout) != (size_t)len)
		return log_error("write error");
	rewind(t->mem);
	t->writing = 1;
	return 0;
}

/* This part is read: write it in its turn, and pass the turn on. */
static int
jobs_pass(struct jobs_turn *t)
{
	uint64_t	next = t->part + 1;
	int		rv;

	if (!t->writing && (rv = jobs_take(t)) != 0)
		return rv;
	t->writing = 0;
	if (fflush(stdout) == EOF || ferror(stdout))
		return log_error("write error");
	if (next <= t->cut->nbound && send(t->out, &next, sizeof(next),
	    MSG_NOSIGNAL) != sizeof(next))
		return 1;
	return 0;
}
