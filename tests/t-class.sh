# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-class.sh: the class of every reply that decided something in the
# bundled captures (each replayed with the maillogs of its run, and the
# syslog maillogs): each attempt's failing reply, each smtp-in refusal,
# each refused MAIL FROM on smtp-out, the maillog's texts for mta, mda,
# expiry and removal, and the sessions whose outcome says the class, as
# reply_class() gives them through mailtrail sql; each distinct reply
# must have the class listed here.  Then trace --json, export --format
# ecs and report with an operator's rules file that overrides one, and
# rules files that are wrong (exit 1, the file and the line named).
. "$(dirname "$0")/lib.sh"

# The expected class of each distinct reply: "what|reply|class".
cat >"$TMP/want" <<'EOF'
attempt|451 4.3.0 <tempfail-erin@sink.test>: try again later|other
attempt|451 4.3.0 try later|other
attempt|550 5.1.1 <reject-dave@sink.test>: user unknown|unknown-user
attempt|550 5.1.1 <reject-x@sink.test>: user unknown|unknown-user
attempt|550 5.1.1 <reject-y@sink.test>: user unknown|unknown-user
attempt|550 5.1.1 no such user|unknown-user
maillog expire|Envelope expired|other
maillog mda|Error (mda: mailbox full)|mailbox-full
maillog mta|451 4.3.0 <tempfail-erin@sink.test>: try again later|other
maillog mta|451 4.3.0 try later|other
maillog mta|550 5.1.1 <reject-dave@sink.test>: user unknown|unknown-user
maillog mta|550 5.1.1 <reject-x@sink.test>: user unknown|unknown-user
maillog mta|550 5.1.1 <reject-y@sink.test>: user unknown|unknown-user
maillog mta|550 5.1.1 no such user|unknown-user
maillog mta|550 5.7.1 sender rejected|policy
maillog mta|Connection closed unexpectedly|connection
maillog mta|Network error on destination MXs|connection
maillog remove|Removed by administrator|other
mail from refused|550 5.7.1 sender rejected|policy
session auth-failed|535 5.7.8 Authentication credentials invalid|auth
session auth-failed|535 Authentication failed|auth
session connect-failed||connection
session tls-failed|220 2.0.0 Ready to start TLS|tls
smtp-in AUTH|535 Authentication failed|auth
smtp-in DATA|503 5.5.4 Invalid command arguments: No recipient specified|other
smtp-in MAIL|550 5.7.1 sender refused by builtin filter|policy
smtp-in MAIL|553 5.1.0 Sender address syntax error|policy
smtp-in RCPT|501 5.1.3 Recipient address syntax error|unknown-user
smtp-in RCPT|550 Invalid recipient: <mallory@elsewhere.invalid>|unknown-user
EOF

CLASSES_SQL="SELECT 'attempt' AS w, reply AS r, reply_class(reply) AS c
	FROM attempt
	WHERE result <> 0 AND reply IS NOT NULL
    UNION SELECT 'smtp-in ' || coalesce(verb, '?'), reply, reply_class(reply)
	FROM v_refusal
    UNION SELECT 'mail from refused', reply, reply_class(reply)
	FROM out_refusal
    UNION SELECT 'maillog ' || kind, stat, reply_class(stat) FROM outcome
	WHERE kind IN ('mta', 'mda', 'expire', 'remove') AND
	coalesce(result, 1) <> 0
    UNION SELECT 'session ' || outcome, coalesce(reason, ''),
	reply_class(reason, outcome) FROM v_session
	WHERE outcome IN ('tls-failed', 'auth-failed', 'timeout',
	'connect-failed')"

# classes DB: its replies and their classes, one a line
classes() {
	"$MAILTRAIL" sql -c /dev/null -d "$1" --json "$CLASSES_SQL" |
	    jq -r '.[] | .w + "|" + .r + "|" + .c'
}

: >"$TMP/got"
for f in "$DATA"/0.6/*.log "$DATA"/0.7/*.log; do
	name=$(basename "$f" .log)
	db=$TMP/$(basename "$(dirname "$f")")-$name.db
	"$MAILTRAIL" replay -d "$db" "$f" >/dev/null 2>&1 ||
	    notok "$name: replay"
	case $f in
	*/0.6/*) ml="$DATA/maillog/6.8/$name.maillog" ;;
	*) ml="$DATA/maillog/7.6/$name.maillog
	    $DATA/maillog/7.8/$name.maillog" ;;
	esac
	for m in $ml; do
		[ -f "$m" ] &&
		    "$MAILTRAIL" maillog -d "$db" "$m" >/dev/null 2>&1
	done
	classes "$db" >>"$TMP/got"
done
"$MAILTRAIL" maillog -d "$TMP/syslog.db" "$DATA"/maillog/syslog/*.log \
    >/dev/null 2>&1
classes "$TMP/syslog.db" >>"$TMP/got"
LC_ALL=C sort -u "$TMP/got" -o "$TMP/got"
LC_ALL=C sort "$TMP/want" -o "$TMP/want"
if cmp -s "$TMP/got" "$TMP/want"; then
	ok "every reply of the captures has its class"
else
	notok "every reply of the captures has its class"
	diff "$TMP/want" "$TMP/got" | sed 's/^/  /'
fi

# An operator's rule overrides the table, in every reader.
DB=$TMP/0.6-relay-suite.db
printf '# ours\ngreylisted  ^451 4\\.3\\.0 try later$\n' >"$TMP/classes"
check "trace --json: the table's class" \
    "$("$MAILTRAIL" trace -c /dev/null -d "$DB" --json status:deferred |
    jq -r '.class')" "other"
check "trace --json: the rules file's class, of the life and its attempts" \
    "$("$MAILTRAIL" trace -c "$TMP/classes" -d "$DB" --json status:deferred |
    jq -r '[.class] + [.attempts[].class] | join(" ")')" \
    "greylisted greylisted greylisted"
check "trace: the class after the reply" \
    "$("$MAILTRAIL" trace -c "$TMP/classes" -d "$DB" status:deferred |
    sed -n 2p)" "  451 4.3.0 try later [greylisted]"
check "export --format ecs: labels.class, event.reason the reply" \
    "$("$MAILTRAIL" export -c "$TMP/classes" -d "$DB" --format ecs \
    status:deferred | jq -r '.labels.class + " " + .event.reason')" \
    "greylisted 451 4.3.0 try later"
check "export: the class of a failure" \
    "$("$MAILTRAIL" export -c /dev/null -d "$DB" --summary status:failed |
    jq -r '.class' | sort | tr '\n' ' ')" "policy unknown-user "
check "sql: reply_class() with the rules file" \
    "$("$MAILTRAIL" sql -c "$TMP/classes" -d "$DB" \
    "SELECT reply_class('451 4.3.0 try later')" | sed 1d)" "greylisted"

# Wrong rules files: exit 1, the file and the line named.
printf 'spam  ok\nblocklisted  (unclosed\n' >"$TMP/bad"
for cmd in trace export report sql; do
	case $cmd in
	sql) args="SELECT 1" ;;
	report) args="summary" ;;
	*) args="status:failed" ;;
	esac
	"$MAILTRAIL" $cmd -c "$TMP/bad" -d "$DB" "$args" >"$TMP/out" 2>&1
	check "$cmd -c with a bad regex: exit 1" "$?" 1
	check "$cmd -c with a bad regex: says the file and the line" \
	    "$(cut -c1-60 "$TMP/out")" \
	    "$(echo "mailtrail: $TMP/bad:2: bad regular expression" \
	    "\"(unclosed\": " | cut -c1-60)"
done
printf 'bounced  x\n' >"$TMP/bad"
"$MAILTRAIL" trace -c "$TMP/bad" -d "$DB" status:failed >"$TMP/out" 2>&1
check "an unknown class: exit 1" "$?" 1
check "an unknown class: says the file and the line" "$(cat "$TMP/out")" \
    "mailtrail: $TMP/bad:1: unknown class \"bounced\""
"$MAILTRAIL" trace -c "$TMP/none" -d "$DB" status:failed >"$TMP/out" 2>&1
check "a missing rules file given with -c: exit 1" "$?" 1
check "a missing rules file given with -c: says so" "$(cat "$TMP/out")" \
    "mailtrail: $TMP/none: No such file or directory"

# The reports group by class, the operator's rules applied there too.
E2E=$TMP/0.7-e2e-suite.db
check "report deferrals: by class (no reply: the connection was lost)" \
    "$("$MAILTRAIL" report deferrals -c /dev/null -d "$E2E" --since \
    2020-01-01 --json | jq -c '.sections[] | select(.name == "by_class") |
    [.rows[] | [.class, .deferrals, .envelopes]]')" \
    '[["connection",1,1],["other",1,1]]'
printf 'greylisted  ^451 4\\.3\\.0 <tempfail-erin@\n' >"$TMP/classes"
check "report deferrals: by class, with the rules file" \
    "$("$MAILTRAIL" report deferrals -c "$TMP/classes" -d "$E2E" --since \
    2020-01-01 --json | jq -c '.sections[] | select(.name == "by_class") |
    [.rows[] | .class]')" '["connection","greylisted"]'
check "report bounces: by class" \
    "$("$MAILTRAIL" report bounces -c /dev/null -d "$DB" --since \
    2020-01-01 --json | jq -c '.sections[] | select(.name == "by_class") |
    [.rows[] | [.class, .bounced, .senders]]')" '[["unknown-user",1,1]]'
check "report bounces: by class over two databases" \
    "$("$MAILTRAIL" report bounces -c /dev/null -d "$DB" -d "$E2E" --since \
    2020-01-01 --json | jq -c '.sections[] | select(.name == "by_class") |
    [.rows[] | [.class, .bounced]]')" '[["unknown-user",4]]'
