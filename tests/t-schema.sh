# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-schema.sh: the schema's versions: a version 1 database is migrated
# in place with its data, a newer one is refused with a clear error.
. "$(dirname "$0")/lib.sh"
ROOT=$TESTS/..

DB=$TMP/v1.db
sqlite3 "$DB" <"$ROOT/schema/001-base.sql"
sqlite3 "$DB" "PRAGMA journal_mode = WAL; PRAGMA user_version = 1;
    INSERT INTO config(t, key, value) VALUES (1, 'kept', 'from v1')" >/dev/null
check_cmd "a version 1 database is opened and migrated" \
    "$MAILTRAIL" replay -d "$DB" "$DATA/0.6/a-relay-ok.log"
check "migrated to the current version" \
    "$(q "$DB" "PRAGMA user_version")" \
    "$(ls "$ROOT"/schema/[0-9][0-9][0-9]-*.sql | wc -l)"
check "version 1 data kept" \
    "$(q "$DB" "SELECT value FROM config WHERE key = 'kept'")" "from v1"
check "the new table is there" \
    "$(q "$DB" "SELECT count(*) FROM sqlite_master WHERE name = 'outcome'")" 1
report_lines "$DATA/0.6/a-relay-ok.log" >"$TMP/want"
"$MAILTRAIL" export -d "$DB" --raw >"$TMP/got"
check_cmd "and works: raw export whole" cmp "$TMP/want" "$TMP/got"

sqlite3 "$TMP/new.db" "PRAGMA user_version = 99" >/dev/null
"$MAILTRAIL" replay -d "$TMP/new.db" "$DATA/0.6/a-relay-ok.log" 2>"$TMP/err"
check "a newer database: replay exits 1" "$?" 1
check "a newer database: says why" "$(cat "$TMP/err")" \
    "mailtrail: $TMP/new.db: database schema is newer than this mailtrail"
"$MAILTRAIL" export -d "$TMP/new.db" --raw 2>"$TMP/err"
check "a newer database: readers refuse it too" "$?" 1
check "a reader says which version it found" \
    "$(grep -c 'schema version 99' "$TMP/err")" 1
"$MAILTRAIL" replay -d "$TMP/fresh.db" "$DATA/0.6/a-relay-ok.log"
check "a new database: WAL, and incremental auto_vacuum for prune" \
    "$(q "$TMP/fresh.db" "PRAGMA journal_mode; PRAGMA auto_vacuum" |
    tr '\n' ' ')" "wal 2 "

# Version 6 fills event_rare from the events already stored: the report
# views read through it, and find the same rows after the migration;
# version 7 adds out_refusal.event, NULL for the refusals before it.
V5=$TMP/v5.db
"$MAILTRAIL" replay -d "$V5" "$DATA/0.6/relay-suite.log" \
    "$DATA/0.7/c-starttls-auth-plain.log"
want=$(q "$V5" "SELECT (SELECT count(*) FROM v_refusal) || ' ' ||
    (SELECT count(*) FROM v_mail_refused) || ' ' ||
    (SELECT count(*) FROM v_auth)")
lives=$(q "$V5" "SELECT evpid, rcpt, status, t_status, reply, attempts
    FROM life ORDER BY evpid, rcpt" | md5sum)
hours() {
	q "$1" "SELECT hour, kind, key, n FROM hour WHERE n != 0
	    ORDER BY kind, key, hour"
}
hours "$V5" >"$TMP/v5.hours"
# version 11: what the rows say of each session (a refusal told only by
# the events is not known to it)
outcomes() {
	q "$1" "SELECT id, outcome FROM session WHERE outcome IN ('mail',
	    'timeout', 'auth-failed', 'connect-failed') ORDER BY id"
}
outcomes "$V5" >"$TMP/v5.outcomes"
filters=$(out report filters -d "$V5")
# (The database holds no views: a version 5 database held some, which
# the writer drops; tests/t-report.sh checks that.)
sqlite3 "$V5" "DROP INDEX session_dir_outcome; DROP INDEX session_auth;
    DROP INDEX attempt_result; DROP INDEX attempt_ok; ALTER TABLE out_refusal DROP COLUMN event; DROP TABLE
    event_rare; DROP TABLE life; DROP TABLE life_change; DROP TABLE
    life_refusal; DROP TABLE hour; ALTER TABLE outcome DROP COLUMN
    attempt; ALTER TABLE outcome DROP COLUMN refusal; DROP INDEX
    session_mail_from; DROP INDEX session_outcome; DROP INDEX
    envelope_tx; ALTER TABLE session
    DROP COLUMN outcome; ALTER TABLE session DROP COLUMN reason; ALTER
    TABLE session DROP COLUMN mail_from; ALTER TABLE outcome DROP COLUMN
    t_estimated; DROP TABLE domain; ALTER TABLE attempt DROP COLUMN
    domain; ALTER TABLE attempt DROP COLUMN t_received;
    DELETE FROM counter WHERE name = 'life_build'; PRAGMA user_version = 5" >/dev/null
check "a version 5 database, as it was: no event_rare" \
    "$(q "$V5" "SELECT count(*) FROM sqlite_master WHERE name =
    'event_rare'")" 0
check_cmd "a version 5 database is migrated" "$MAILTRAIL" replay -d "$V5" \
    /dev/null
check "version 6: the stored events of the report views are found" \
    "$(q "$V5" "SELECT (SELECT count(*) FROM v_refusal) || ' ' ||
    (SELECT count(*) FROM v_mail_refused) || ' ' ||
    (SELECT count(*) FROM v_auth)")" "$want"
check "and there are some of each" "$(echo "$want" |
    awk '$1 > 0 && $2 > 0 && $3 > 0 { print "yes" }')" yes
check "version 7: the refusals before it have no event, and are read" \
    "$(q "$V5" "SELECT count(*), sum(event IS NULL) FROM out_refusal")
$("$MAILTRAIL" trace -d "$V5" --json from:rejectme@example.test |
    jq -r .status | sort -u)" "1|1
failed"
check "version 8: the migration builds every life as a replay does" \
    "$(q "$V5" "SELECT evpid, rcpt, status, t_status, reply, attempts
    FROM life ORDER BY evpid, rcpt" | md5sum)" "$lives"
check "version 8: and says it is done" "$(q "$V5" "SELECT count(*) FROM
    counter WHERE name = 'life_build'") $(q "$V5" "SELECT count(*) > 8
    FROM life")" "0 1"
hours "$V5" >"$TMP/v9.hours"
check "version 9: the migration counts per hour as a replay does" \
    "$(test -s "$TMP/v5.hours" && md5sum <"$TMP/v5.hours")" \
    "$(md5sum <"$TMP/v9.hours")"
check "version 9: report filters as before" \
    "$(out report filters -d "$V5")" "$filters"
check "version 11: the sessions' outcomes the rows tell, as a replay's" \
    "$(outcomes "$V5" | md5sum)" "$(md5sum <"$TMP/v5.outcomes")"
check "version 11: some sessions are told, some not" \
    "$(test -s "$TMP/v5.outcomes" && q "$V5" "SELECT count(*) > 0 FROM
    session WHERE outcome IS NULL")" 1
"$MAILTRAIL" replay -d "$TMP/ok8.db" "$DATA/0.6/b-multi-rcpt.log" >/dev/null
sqlite3 "$TMP/ok8.db" "UPDATE life SET status = 0" >/dev/null
"$MAILTRAIL" replay -d "$TMP/ok8.db" /dev/null 2>/dev/null
check "version 8: a built database is not built again at open" \
    "$(q "$TMP/ok8.db" "SELECT DISTINCT status FROM life")" 0

# Version 15 counts per hour what report summary adds up (hour kinds 7
# to 18): a version 14 database migrated has the counts, and the
# report, of a replay at version 15.
V14=$TMP/v14.db
"$MAILTRAIL" replay -d "$V14" "$DATA/0.6/relay-suite.log" \
    "$DATA/0.7/e2e-suite.log"
hours "$V14" >"$TMP/v15.hours"
summary() {
	outjq .sections report summary -d "$V14" --json --top 0 "$@"
}
sum15=$(summary)
cut15=$(summary --since 2026-11-23T19:40:00Z --until 2026-12-06T00:05:00Z)
back_to_14 "$V14"
check_cmd "a version 14 database is migrated" "$MAILTRAIL" replay \
    -d "$V14" /dev/null
check "version 15: the migration counts per hour as a replay does" \
    "$(awk -F'|' '$2 >= 7' "$TMP/v15.hours" | wc -l |
    awk '$1 > 30 { print "yes" }')
$(md5sum <"$TMP/v15.hours")" "yes
$(hours "$V14" | md5sum)"
check "version 15: report summary as a replay's" "$(summary)" "$sum15"
check "version 15: report summary of a window as a replay's" \
    "$(summary --since 2026-11-23T19:40:00Z --until \
    2026-12-06T00:05:00Z)" "$cut15"

# Version 17: smaller indexes.  A version 14 database (its indexes as
# they were) is migrated to the schema a new database has, and answers
# the same: the lives by recipient and by sender, report tls, export.
W14=$TMP/v14.db
NEW=$TMP/new17.db
"$MAILTRAIL" replay -d "$NEW" "$DATA/0.7/e2e-suite.log" >/dev/null
cp "$NEW" "$W14"
schema() {
	q "$1" "SELECT type, name, tbl_name, sql FROM sqlite_master
	    ORDER BY type, name"
}
answers() {
	for a in $(q "$1" "SELECT DISTINCT rcpt_to FROM life
	    WHERE rcpt_to IS NOT NULL ORDER BY 1"); do
		"$MAILTRAIL" trace -d "$1" --json "to:$a"
	done
	for a in $(q "$1" "SELECT DISTINCT mail_from FROM life
	    WHERE mail_from != '' ORDER BY 1"); do
		"$MAILTRAIL" trace -d "$1" --json "from:$a"
	done
	"$MAILTRAIL" trace -d "$1" --json outcome:refused
	"$MAILTRAIL" report tls -d "$1" --json | jq -c "del(.as_of)"
	"$MAILTRAIL" export -d "$1" --summary --sessions
}
answers "$NEW" >"$TMP/new17.answers"
sqlite3 "$W14" "DROP INDEX rcpt_address; DROP INDEX session_outcome;
    DROP INDEX life_waiting;
    CREATE INDEX rcpt_t ON rcpt(t);
    CREATE INDEX rcpt_address ON rcpt(address COLLATE NOCASE, t);
    CREATE INDEX attempt_perm ON attempt(t) WHERE result = 2;
    CREATE INDEX life_waiting ON life(mail_from COLLATE NOCASE)
	WHERE status IN (0, 2);
    CREATE INDEX session_outcome ON session(outcome, t_start)" >/dev/null
back_to_14 "$W14"
check "a version 14 database, as it was: its indexes" \
    "$(q "$W14" "SELECT count(*) FROM sqlite_master WHERE name IN
    ('rcpt_t', 'attempt_perm', 'life_waiting') OR (name =
    'session_outcome' AND sql NOT LIKE '%WHERE%')")" 4
check_cmd "a version 14 database is migrated" "$MAILTRAIL" replay \
    -d "$W14" /dev/null
check "versions 17 and 18: the schema of a new database" \
    "$(schema "$W14" | md5sum)" "$(schema "$NEW" | md5sum)"
check "version 17: the pages freed are given back" \
    "$(q "$W14" "PRAGMA freelist_count")" 0
answers "$W14" >"$TMP/w14.answers"
check "version 17: the same answers" \
    "$(test -s "$TMP/new17.answers" && md5sum <"$TMP/new17.answers")" \
    "$(md5sum <"$TMP/w14.answers")"
check "version 17: there are lives by address and refused sessions" \
    "$(grep -c '"evpid"' "$TMP/new17.answers" | awk '{ print ($1 > 10) }')
$(q "$NEW" "SELECT count(*) > 0 FROM session WHERE outcome LIKE 'refused-%'")" "1
1"
