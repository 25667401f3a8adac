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
 * domain.c: the ids of table domain (schema 16) the writer gives its
 * attempts, remembered: a server's recipient domains are few, and a
 * look-up in memory costs less than the insert that finds the row
 * again.  A batch rolled back forgets them all (the rows it made are
 * gone), and so does the table when it holds DOMAIN_MAX names.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "mailtrail.h"
#include "collector.h"
#include "domain.h"

#define DOMAIN_SLOTS	(2 * DOMAIN_MAX)

static const char *const domain_sql[] = {
	"INSERT OR IGNORE INTO domain(name) VALUES (?)",
	"SELECT id FROM domain WHERE name = ?"
};

static int64_t	domain_row(struct domain_tab *, const char *);

void
domain_open(struct domain_tab *dt, struct db *db)
{
	memset(dt, 0, sizeof(*dt));
	dt->db = db;
}

void
domain_close(struct domain_tab *dt)
{
	sqlite3_finalize(dt->stmt[0]);
	sqlite3_finalize(dt->stmt[1]);
	domain_forget(dt);
	free(dt->slot);
	memset(dt, 0, sizeof(*dt));
}

/* The ids remembered, forgotten. */
void
domain_forget(struct domain_tab *dt)
{
	size_t	i;

	if (dt->slot == NULL)
		return;
	for (i = 0; i < DOMAIN_SLOTS; i++)
		free(dt->slot[i].name);
	memset(dt->slot, 0, DOMAIN_SLOTS * sizeof(*dt->slot));
	dt->n = 0;
}

/*
 * The id of domain name, its row inserted if there is none.  -1 if the
 * database failed, the reason in its handle.
 */
int64_t
domain_id(struct domain_tab *dt, const char *name)
{
	uint64_t	 h = util_hash(UTIL_HASH_INIT, name, strlen(name));
	size_t		 i;
	int64_t		 id;

	if (dt->slot == NULL)
		dt->slot = xcalloc(DOMAIN_SLOTS, sizeof(*dt->slot));
	for (i = h % DOMAIN_SLOTS; dt->slot[i].name != NULL;
	    i = (i + 1) % DOMAIN_SLOTS)
		if (strcmp(dt->slot[i].name, name) == 0)
			return dt->slot[i].id;
	if ((id = domain_row(dt, name)) == -1)
		return -1;
	if (dt->n == DOMAIN_MAX) {
		domain_forget(dt);
		i = h % DOMAIN_SLOTS;
	}
	dt->slot[i].name = xstrdup(name);
	dt->slot[i].id = id;
	dt->n++;
	return id;
}

/* The row of domain name, inserted if need be: its id, or -1. */
static int64_t
domain_row(struct domain_tab *dt, const char *name)
{
	sqlite3_stmt	*s;
	int64_t		 id = -1;
	int		 i, rc;

	for (i = 0; i < 2; i++) {
		if ((s = db_prepare(dt->db, &dt->stmt[i], domain_sql[i])) ==
		    NULL)
			return -1;
		sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			id = sqlite3_column_int64(s, 0);
		else if (rc == SQLITE_DONE && i == 0 &&
		    sqlite3_changes(dt->db->h) > 0) {
			id = sqlite3_last_insert_rowid(dt->db->h);
			i++;
		}
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_fail(dt->db, "%s", sqlite3_errmsg(dt->db->h));
	}
	return id;
}
