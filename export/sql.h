/*
 * sql.h: mailtrail sql, and the read-only handle reports use.
 */
#ifndef SQL_H
#define SQL_H

#include <sqlite3.h>

sqlite3	*sql_open(const char *);

#endif
