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
 * check.c: "mailtrail check", a plugin for Nagios, Icinga and the
 * Monitoring Plugins: its options and thresholds, then the one status
 * line "MAILTRAIL STATE - summary | perfdata" and the exit code of the
 * state (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).  What is measured is
 * check_find.c's.  Every error, a wrong option too, is UNKNOWN on that
 * line: the plugin convention, not mailtrail's "mailtrail: ...", exit 1.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

#define CHECK_WINDOW	"15m"
#define CHECK_DEFER_MIN	10

enum check_unit {
	CHECK_DUR,		/* a duration: 90s, 15m, 4h, 1d */
	CHECK_PCT,		/* 0 to 100, "%" optional; kept in
				   hundredths of a percent */
	CHECK_COUNT
};

/* The thresholds: --NAME-warning and --NAME-critical of each check. */
static const struct check_thr {
	const char	*name;
	enum check_unit	 unit;
	const char	*label;		/* its perfdata */
} check_thrs[CHECK_N] = {
	[CHECK_QUEUE] = { "queue-age", CHECK_DUR, "oldest" },
	[CHECK_DEFER] = { "deferral", CHECK_PCT, "deferred" },
	[CHECK_CLASS] = { "class", CHECK_COUNT, NULL },
	[CHECK_STALL] = { "silence", CHECK_DUR, "silence" },
	[CHECK_LOST] = { "lost", CHECK_COUNT, "lost" },
};

#define CHECK_OPT_THR	256	/* + 2 * kind + critical */
#define CHECK_OPT_FIXED	7	/* check_opts()'s fixed options */

enum check_optval {
	CHECK_OPT_NOW = 512,
	CHECK_OPT_WINDOW,
	CHECK_OPT_CLASS,
	CHECK_OPT_DEFER_MIN
};

static const char *const check_state_names[] = {
	"OK", "WARNING", "CRITICAL", "UNKNOWN"
};

static int	check_exec(int, char **);
static void	check_opts(struct option *, char (*)[32]);
static int	check_limit(struct check *, int, const char *);
static int	check_value(struct check *, const char *, const char *,
		    enum check_unit, int64_t *);
static int	check_arg(struct check *, int, char **);
static void	check_ambiguous(struct check *, const struct option *,
		    const char *);
static int	check_args(struct check *, int, char **);
static void	check_defaults(struct check *);
static void	check_judge(struct check *);
static void	check_perf_one(struct check *, struct buf *, int,
		    const char *);
static void	check_perf(struct check *, struct buf *);
static int	check_print(struct check *);
static int	check_unknown(struct check *);

const struct cmd_entry check_entry = {
	"check",
	"[-d db] [-c classes] [--window 15m] [--queue-age-warning 1h]\n"
	"    [--queue-age-critical 4h] [--deferral-warning pct] "
	"[--deferral-critical pct]\n"
	"    [--deferral-min 10] [--class name --class-warning n "
	"--class-critical n]\n"
	"    [--silence-warning 10m] [--silence-critical 30m] "
	"[--lost-warning n]\n"
	"    [--lost-critical n] [--now time]",
	"a monitoring plugin: one status line, exit 0 to 3",
	check_exec
};

/* The long options: the fixed ones, then each threshold pair. */
static void
check_opts(struct option *o, char (*names)[32])
{
	static const struct option fixed[CHECK_OPT_FIXED] = {
		{ "db", required_argument, NULL, 'd' },
		{ "classes", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "now", required_argument, NULL, CHECK_OPT_NOW },
		{ "window", required_argument, NULL, CHECK_OPT_WINDOW },
		{ "class", required_argument, NULL, CHECK_OPT_CLASS },
		{ "deferral-min", required_argument, NULL,
		    CHECK_OPT_DEFER_MIN },
	};
	size_t	n = CHECK_OPT_FIXED, i;

	memcpy(o, fixed, sizeof(fixed));
	for (i = 0; i < 2 * CHECK_N; i++) {
		snprintf(names[i], sizeof(names[i]), "%s-%s",
		    check_thrs[i / 2].name, i % 2 ? "critical" : "warning");
		o[n + i].name = names[i];
		o[n + i].has_arg = required_argument;
		o[n + i].flag = NULL;
		o[n + i].val = CHECK_OPT_THR + (int)i;
	}
	memset(&o[n + i], 0, sizeof(*o));
}

/* A value of --NAME: a duration, a percentage or a count. */
static int
check_value(struct check *c, const char *opt, const char *arg,
    enum check_unit unit, int64_t *v)
{
	const char	*errstr = NULL;
	char		 num[32];
	size_t		 len = strlen(arg);

	if (unit == CHECK_DUR) {
		if (text_to_duration(arg, v) == 0)
			return 0;
	} else {
		if (unit == CHECK_PCT && len > 0 && arg[len - 1] == '%')
			len--;
		if (len > 0 && len < sizeof(num)) {
			memcpy(num, arg, len);
			num[len] = '\0';
			*v = strtonum(num, 0, unit == CHECK_PCT ? 100 :
			    LLONG_MAX, &errstr);
			if (unit == CHECK_PCT)
				*v *= 100;	/* hundredths */
			if (errstr == NULL)
				return 0;
		}
	}
	snprintf(c->err, sizeof(c->err), "bad value for --%s: \"%s\"", opt,
	    arg);
	return -1;
}

/* --NAME-warning or --NAME-critical (i: CHECK_OPT_THR + 2 * kind + crit). */
static int
check_limit(struct check *c, int i, const char *arg)
{
	const struct check_thr	*t = &check_thrs[i / 2];
	char			 opt[64];

	snprintf(opt, sizeof(opt), "%s-%s", t->name, i % 2 ? "critical" :
	    "warning");
	if (check_value(c, opt, arg, t->unit, &c->lim[i / 2].v[i % 2]) == -1)
		return -1;
	c->lim[i / 2].set[i % 2] = 1;
	return 0;
}

/* One option ch (optarg); -1 with the reason in c->err, 1 for --help. */
static int
check_arg(struct check *c, int ch, char **argv)
{
	if (ch >= CHECK_OPT_THR && ch < CHECK_OPT_THR + 2 * CHECK_N)
		return check_limit(c, ch - CHECK_OPT_THR, optarg);
	switch (ch) {
	case 'd':
		if (c->path != NULL) {
			snprintf(c->err, sizeof(c->err), "-d: one database, "
			    "not two");
			return -1;
		}
		c->path = optarg;
		return 0;
	case 'c':
		c->classes = optarg;
		return 0;
	case 'h':
		return 1;
	case CHECK_OPT_NOW:
		if (text_to_time(optarg, util_now(), &c->now) == 0)
			return 0;
		break;
	case CHECK_OPT_WINDOW:
		c->window_arg = optarg;
		if (text_to_duration(optarg, &c->window) == 0 && c->window > 0)
			return 0;
		break;
	case CHECK_OPT_CLASS:
		c->class = optarg;
		return 0;
	case CHECK_OPT_DEFER_MIN:
		return check_value(c, "deferral-min", optarg, CHECK_COUNT,
		    &c->defer_min);
	case ':':
		snprintf(c->err, sizeof(c->err), "option %s needs a value",
		    argv[optind - 1]);
		return -1;
	default:	/* a short one may stand inside a group (-xy) */
		if (optopt != 0)
			snprintf(c->err, sizeof(c->err), "unknown option -%c",
			    optopt);
		else
			snprintf(c->err, sizeof(c->err), "unknown option %s",
			    argv[optind - 1]);
		return -1;
	}
	snprintf(c->err, sizeof(c->err), "bad value for %s: \"%s\"",
	    ch == CHECK_OPT_NOW ? "--now" : "--window", optarg);
	return -1;
}

/* A long option arg that begins several names says so in c->err. */
static void
check_ambiguous(struct check *c, const struct option *o, const char *arg)
{
	size_t	len;
	int	i, n = 0;

	if (strncmp(arg, "--", 2) != 0)
		return;
	len = strcspn(arg + 2, "=");
	for (i = 0; o[i].name != NULL; i++)
		if (strncmp(o[i].name, arg + 2, len) == 0)
			n++;
	if (n > 1)
		snprintf(c->err, sizeof(c->err), "ambiguous option %.*s: it "
		    "begins %d of them", (int)len + 2, arg, n);
}

/* The options; -1 with the reason in c->err, 1 for --help. */
static int
check_args(struct check *c, int argc, char **argv)
{
	struct option	 o[CHECK_OPT_FIXED + 2 * CHECK_N + 1];
	char		 names[2 * CHECK_N][32];
	int		 ch, rv;

	check_opts(o, names);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:d:h", o, NULL)) != -1)
		if ((rv = check_arg(c, ch, argv)) != 0) {
			if (ch == '?' && optopt == 0)
				check_ambiguous(c, o, argv[optind - 1]);
			return rv;
		}
	if (optind != argc) {
		snprintf(c->err, sizeof(c->err), "unexpected argument "
		    "\"%s\"", argv[optind]);
		return -1;
	}
	return 0;
}

/*
 * A pair of which neither was given: the queue's age 1h and 4h, the
 * collector's silence 10m and 30m; the others alert only when given.
 */
static void
check_defaults(struct check *c)
{
	static const int64_t	def[CHECK_N][2] = {
		[CHECK_QUEUE] = { 3600 * US_PER_SEC, 4 * 3600 * US_PER_SEC },
		[CHECK_STALL] = { 600 * US_PER_SEC, 1800 * US_PER_SEC },
	};
	int			i, j;

	for (i = 0; i < CHECK_N; i++) {
		if (c->lim[i].set[0] || c->lim[i].set[1])
			continue;
		for (j = 0; j < 2; j++)
			if (def[i][j] != 0) {
				c->lim[i].set[j] = 1;
				c->lim[i].v[j] = def[i][j];
			}
	}
}

/* Each finding's state: above the critical, else above the warning. */
static void
check_judge(struct check *c)
{
	struct check_finding	*f;
	int			 i;

	for (i = 0; i < CHECK_N; i++) {
		f = &c->f[i];
		if (!f->run)
			continue;
		if (c->lim[i].set[1] && f->value > c->lim[i].v[1])
			f->state = CHECK_CRITICAL;
		else if (c->lim[i].set[0] && f->value > c->lim[i].v[0])
			f->state = CHECK_WARNING;
		else
			f->state = CHECK_OK;
	}
}

/* 'label'=value[UOM];warn;crit;min[;max] of check i. */
static void
check_perf_one(struct check *c, struct buf *b, int i, const char *label)
{
	const struct check_thr	*t = &check_thrs[i];
	const char		*uom = t->unit == CHECK_DUR ? "s" :
				    t->unit == CHECK_PCT ? "%" :
				    i == CHECK_LOST ? "c" : "";
	int64_t			 div = t->unit == CHECK_DUR ? US_PER_SEC :
				    t->unit == CHECK_PCT ? 100 : 1;
	char			 s[160];
	int			 j;

	if (t->unit == CHECK_PCT)
		snprintf(s, sizeof(s), " %s=%.2f%s", label,
		    (double)c->f[i].value / 100, uom);
	else
		snprintf(s, sizeof(s), " %s=%lld%s", label,
		    (long long)(c->f[i].value / div), uom);
	buf_append(b, s, strlen(s));
	for (j = 0; j < 2; j++) {
		if (c->lim[i].set[j])
			snprintf(s, sizeof(s), ";%lld",
			    (long long)(c->lim[i].v[j] / div));
		else
			snprintf(s, sizeof(s), ";");
		buf_append(b, s, strlen(s));
	}
	buf_append(b, t->unit == CHECK_PCT ? ";0;100" : ";0",
	    t->unit == CHECK_PCT ? 6 : 2);
}

static void
check_perf(struct check *c, struct buf *b)
{
	char	s[160];
	int	i;

	snprintf(s, sizeof(s), " queue=%lld;;;0", (long long)c->queue);
	buf_append(b, s, strlen(s));
	for (i = 0; i < CHECK_N; i++) {
		if (!c->f[i].run)
			continue;
		if (i == CHECK_CLASS)
			snprintf(s, sizeof(s), "class_%s", c->class);
		check_perf_one(c, b, i, i == CHECK_CLASS ? s :
		    check_thrs[i].label);
	}
	snprintf(s, sizeof(s), " spilled=%lldc;;;0", (long long)c->spilled);
	buf_append(b, s, strlen(s));
}

/* The status line: the worst state, its findings first. */
static int
check_print(struct check *c)
{
	struct buf	 b = { NULL, 0, 0 };
	int		 worst = CHECK_OK, st, i, n = 0;

	for (i = 0; i < CHECK_N; i++)
		if (c->f[i].run && (int)c->f[i].state > worst)
			worst = c->f[i].state;
	buf_set(&b, "", 0);
	for (st = worst; st >= CHECK_OK; st--)
		for (i = 0; i < CHECK_N; i++) {
			if (!c->f[i].run || (int)c->f[i].state != st)
				continue;
			if (n++ > 0)
				buf_append(&b, ", ", 2);
			buf_append(&b, c->f[i].text, strlen(c->f[i].text));
		}
	buf_append(&b, " |", 2);
	check_perf(c, &b);
	printf("MAILTRAIL %s - %s\n", check_state_names[worst], b.p);
	buf_free(&b);
	return worst;
}

static int
check_unknown(struct check *c)
{
	printf("MAILTRAIL UNKNOWN - %s\n", c->err);
	return CHECK_UNKNOWN;
}

static int
check_exec(int argc, char **argv)
{
	struct check	 c;
	char		 err[CLASS_ERR];
	int		 rv;

	memset(&c, 0, sizeof(c));
	c.now = util_now();
	c.window_arg = CHECK_WINDOW;
	text_to_duration(CHECK_WINDOW, &c.window);
	c.defer_min = CHECK_DEFER_MIN;
	if ((rv = check_args(&c, argc, argv)) == 1)
		return CMD_HELP;
	if (c.path == NULL)
		c.path = db_default();
	if (rv == -1)
		return check_unknown(&c);
	check_defaults(&c);
	if (class_rules(c.classes, err, sizeof(err)) == -1) {
		snprintf(c.err, sizeof(c.err), "%s", err);
		return check_unknown(&c);
	}
	rv = check_find(&c) == -1 ? check_unknown(&c) : (check_judge(&c),
	    check_print(&c));
	db_close(&c.db);
	buf_free(&c.esc);
	class_free();
	if (fflush(stdout) == EOF || ferror(stdout))
		return CHECK_UNKNOWN;
	return rv;
}
