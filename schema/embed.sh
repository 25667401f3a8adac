#!/bin/sh
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# embed.sh VIEWS WRITER MIGRATION...: print the schema as C: the
# migrations in order (schema_migrations[i] takes a database from
# user_version i to i + 1), the views, applied at every open, and the
# writer's own temporary tables and triggers, made at each writer's open.
set -eu
str() {
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$/\\n"/' "$1"
}
views=$1
writer=$2
shift 2
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
printf '\nconst char schema_writer[] =\n'
str "$writer"
printf '    ;\n'
