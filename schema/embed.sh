#!/bin/sh
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# embed.sh VIEWS MIGRATION...: print the schema as C: the migrations in
# order (schema_migrations[i] takes a database from user_version i to
# i + 1), and the views, applied at every open.
set -eu
str() {
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$/\\n"/' "$1"
}
views=$1
shift
printf '#include "mailtrail.h"\n\nconst char *const schema_migrations[] = {\n'
for f in "$@"; do
	printf '    /* %s */\n' "$f"
	str "$f"
	printf '    ,\n'
done
printf '};\n\nconst int schema_nmigrations = %d;\n\n' $#
printf 'const char schema_views[] =\n'
str "$views"
printf '    ;\n'
