/*
 * db.h: the read side's access to the database.
 */
#ifndef DB_H
#define DB_H

#include <sqlite3.h>

sqlite3	*db_open(const char *);
void	 db_close(sqlite3 *);

#endif
