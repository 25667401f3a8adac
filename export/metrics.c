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
 * metrics.c: "mailtrail metrics": the state of one database or several
 * (a host label each) in Prometheus's text exposition format: on
 * stdout, into a file replaced atomically (-o, for node_exporter's
 * textfile collector), or served at each scrape of GET /metrics
 * (--listen, metrics_http.c).  metrics_read.c and metrics_sess.c read
 * the samples, metrics_out.c prints them.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

static const struct option metrics_opts[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "classes", required_argument, NULL, 'c' },
	{ "output", required_argument, NULL, 'o' },
	{ "listen", required_argument, NULL, 'l' },
	{ "top-domains", required_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

struct metrics_args {
	const char	*classes;
	const char	*output;
	const char	*listen;
};

static int	metrics_args(struct metrics *, struct metrics_args *, int,
		    char **);
static int	metrics_open(struct metrics *);
static int	metrics_host(struct metrics *, struct host *);
static int	metrics_write(struct metrics *, const char *);
static int	metrics_exec(int, char **);

const struct cmd_entry metrics_entry = {
	"metrics",
	"[-d db ...] [-c classes] [-o file | --listen addr:port] "
	    "[--top-domains n]",
	METRICS_HELP,
	metrics_exec
};

/* 0, 1 after saying what is wrong, CMD_HELP or CMD_USAGE. */
static int
metrics_args(struct metrics *m, struct metrics_args *a, int argc,
    char **argv)
{
	const char	*errstr;
	int		 ch;

	while ((ch = getopt_long(argc, argv, "c:d:ho:", metrics_opts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			if (hosts_add(m->hs, optarg) == -1)
				return 1;
			break;
		case 'c':
			a->classes = optarg;
			break;
		case 'o':
			a->output = optarg;
			break;
		case 'l':
			a->listen = optarg;
			break;
		case 't':
			m->top = strtonum(optarg, 1, METRICS_TOP_MAX, &errstr);
			if (errstr != NULL) {
				log_error("--top-domains %s: %s", optarg,
				    errstr);
				return 1;
			}
			break;
		case 'h':
			return CMD_HELP;
		default:
			return CMD_USAGE;
		}
	}
	if (optind != argc)
		return CMD_USAGE;
	if (a->output != NULL && a->listen != NULL) {
		log_error("-o and --listen: one or the other");
		return 1;
	}
	return 0;
}

/*
 * Every database read-only, with its host's name; hosts of one name
 * (each series must be told apart) by their databases' paths.
 */
static int
metrics_open(struct metrics *m)
{
	struct host	*h;
	size_t		 i, j;
	char		 dup[HOSTS_MAX];

	for (i = 0; i < m->hs->n; i++) {
		h = &m->hs->h[i];
		if (db_open(&h->db, h->path, 0, 0) == -1) {
			log_warnx("%s", db_error(&h->db));
			return -1;
		}
		h->name = hosts_name(h->db.h, h->path);
	}
	memset(dup, 0, sizeof(dup));
	for (i = 0; i < m->hs->n; i++)
		for (j = 0; j < i; j++)
			if (strcmp(m->hs->h[i].name, m->hs->h[j].name) == 0)
				dup[i] = dup[j] = 1;
	for (i = 0; i < m->hs->n; i++)
		if (dup[i]) {
			free(m->hs->h[i].name);
			m->hs->h[i].name = xstrdup(m->hs->h[i].path);
		}
	return 0;
}

/* One database's samples, all read in one transaction. */
static int
metrics_host(struct metrics *m, struct host *h)
{
	int	rv;

	m->h = h;
	if (metrics_read_exec(m, "BEGIN") != 0)
		return -1;
	rv = metrics_sess(m) == -1 || metrics_read(m) == -1 ? -1 : 0;
	if (rv == -1)
		db_exec(&h->db, "ROLLBACK");
	else if (metrics_read_exec(m, "COMMIT") != 0)
		rv = -1;
	return rv;
}

/* The exposition of every database now, in m->out. */
int
metrics_scrape(struct metrics *m)
{
	size_t	i;

	m->now = util_now();
	for (i = 0; i < m->hs->n; i++)
		if (metrics_host(m, &m->hs->h[i]) == -1) {
			metrics_out_free(m);
			return -1;
		}
	metrics_out_print(m);
	return 0;
}

/* m->out into path, atomically (path.tmp, then renamed); 1 on failure. */
static int
metrics_write(struct metrics *m, const char *path)
{
	FILE	*fp;
	char	*tmp;
	int	 rv = 0;

	if (asprintf(&tmp, "%s.tmp", path) == -1)
		fatalx("out of memory");
	if ((fp = fopen(tmp, "w")) == NULL) {
		log_error("%s: %s", tmp, strerror(errno));
		free(tmp);
		return 1;
	}
	if (fwrite(m->out.p, 1, m->out.len, fp) != m->out.len ||
	    fflush(fp) == EOF || fsync(fileno(fp)) == -1)
		rv = log_error("%s: %s", tmp, strerror(errno));
	if (fclose(fp) == EOF && rv == 0)
		rv = log_error("%s: %s", tmp, strerror(errno));
	if (rv == 0 && rename(tmp, path) == -1)
		rv = log_error("%s: %s", path, strerror(errno));
	if (rv != 0)
		unlink(tmp);
	free(tmp);
	return rv;
}

static int
metrics_exec(int argc, char **argv)
{
	struct metrics		 m;
	struct metrics_args	 a;
	struct hosts		 hs;
	char			 err[CLASS_ERR];
	int			 rv;

	memset(&m, 0, sizeof(m));
	memset(&a, 0, sizeof(a));
	hs.n = 0;
	m.hs = &hs;
	if ((rv = metrics_args(&m, &a, argc, argv)) != 0)
		return rv;
	if (class_rules(a.classes, err, sizeof(err)) == -1) {
		log_error("%s", err);
		return 1;
	}
	if (hs.n == 0 && hosts_add(&hs, db_default()) == -1)
		return 1;
	if ((rv = metrics_open(&m)) == 0) {
		if (a.listen != NULL)
			rv = metrics_http(&m, a.listen);
		else if ((rv = metrics_scrape(&m)) == 0 && a.output != NULL)
			rv = metrics_write(&m, a.output);
		else if (rv == 0 && (fwrite(m.out.p, 1, m.out.len, stdout) !=
		    m.out.len || fflush(stdout) == EOF))
			rv = log_error("write error");
	}
	metrics_out_free(&m);
	free(m.s);
	buf_free(&m.out);
	buf_free(&m.lab);
	buf_free(&m.tmp);
	hosts_close(&hs);
	return rv == 0 ? 0 : 1;
}
