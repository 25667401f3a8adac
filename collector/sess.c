/*
 * sess.c: the collector's memory of open sessions, keyed by session id
 * and direction.  An entry is made by the first event of a session and
 * freed at its link-disconnect.
 */
#include <stdlib.h>

#include "mailtrail.h"
#include "collector.h"

int	sess_cmp(struct sess *, struct sess *);

RB_PROTOTYPE(sess_tree, sess, entry, sess_cmp);
RB_GENERATE(sess_tree, sess, entry, sess_cmp);

int
sess_cmp(struct sess *a, struct sess *b)
{
	if (a->sid != b->sid)
		return a->sid < b->sid ? -1 : 1;
	return a->dir - b->dir;
}

struct sess *
sess_find(struct sess_tree *t, uint64_t sid, int dir)
{
	struct sess	key;

	key.sid = sid;
	key.dir = dir;
	return RB_FIND(sess_tree, t, &key);
}

struct sess *
sess_new(struct sess_tree *t, uint64_t sid, int dir)
{
	struct sess	*s;

	s = xcalloc(1, sizeof(*s));
	s->sid = sid;
	s->dir = dir;
	RB_INSERT(sess_tree, t, s);
	return s;
}

void
sess_free(struct sess_tree *t, struct sess *s)
{
	RB_REMOVE(sess_tree, t, s);
	free(s->ids);
	buf_free(&s->reply);
	buf_free(&s->rcptto);
	buf_free(&s->mailfrom);
	free(s);
}

void
sess_free_all(struct sess_tree *t)
{
	struct sess	*s, *next;

	RB_FOREACH_SAFE(s, sess_tree, t, next)
		sess_free(t, s);
}

void
sess_push(struct sess *s, int64_t id)
{
	if (s->nids == s->idcap) {
		s->idcap = s->idcap ? s->idcap * 2 : 4;
		s->ids = xreallocarray(s->ids, s->idcap, sizeof(*s->ids));
	}
	s->ids[s->nids++] = id;
}

/*
 * Call fn for each session whose last event is older than before; fn
 * may free it.  Returns how many there were.
 */
size_t
sess_older(struct sess_tree *t, int64_t before, void (*fn)(struct sess *,
    void *), void *arg)
{
	struct sess	*s, *next;
	size_t		 n = 0;

	RB_FOREACH_SAFE(s, sess_tree, t, next)
		if (s->last < before) {
			n++;
			fn(s, arg);
		}
	return n;
}
