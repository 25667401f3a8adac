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
 * test_class.c: the class of a reply (schema/class.c) on the replies
 * large providers, greylisting and block lists publish, and on
 * OpenSMTPD's own texts; an operator's rules file that overrides one,
 * and rules files that are wrong.  The replies of the bundled captures
 * are checked by tests/t-class.sh.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "schema/model_int.h"
#include "test.h"

static const struct {
	const char	*reply;
	const char	*class;		/* NULL: none (a success) */
} cases[] = {
	/* Gmail */
	{ "550-5.1.1 The email account that you tried to reach does not "
	    "exist. Please try double-checking the recipient's email address "
	    "for typos or unnecessary spaces. For more information, go to "
	    "https://support.google.com/mail/?p=NoSuchUser "
	    "a1si1234567qkb.42 - gsmtp", "unknown-user" },
	{ "550-5.2.1 The email account that you tried to reach is disabled. "
	    "https://support.google.com/mail/?p=DisabledUser - gsmtp",
	    "unknown-user" },
	{ "452-4.2.2 The recipient's inbox is out of storage space. Please "
	    "direct the recipient to https://support.google.com/mail/?p="
	    "OverQuotaTemp - gsmtp", "mailbox-full" },
	{ "552-5.2.2 The email account that you tried to reach is over "
	    "quota. https://support.google.com/mail/?p=OverQuotaPerm - gsmtp",
	    "mailbox-full" },
	{ "552-5.3.4 Your message exceeded Google's message size limits. "
	    "https://support.google.com/mail/?p=MaxSizeError - gsmtp", "size" },
	{ "421-4.7.0 [192.0.2.1] Our system has detected an unusual rate of "
	    "unsolicited mail originating from your IP address. To protect "
	    "our users from spam, mail sent from your IP address has been "
	    "temporarily rate limited. - gsmtp", "rate-limited" },
	{ "421-4.7.28 [192.0.2.1] Gmail has detected an unusual rate of "
	    "unsolicited mail originating from your DKIM domain - gsmtp",
	    "rate-limited" },
	{ "450-4.2.1 The user you are trying to contact is receiving mail at "
	    "a rate that prevents additional messages from being delivered. "
	    "https://support.google.com/mail/?p=ReceivingRatePerm - gsmtp",
	    "rate-limited" },
	{ "550-5.7.1 [192.0.2.1] Our system has detected that this message "
	    "is likely unsolicited mail. To reduce the amount of spam sent to "
	    "Gmail, this message has been blocked. - gsmtp", "spam" },
	{ "550-5.7.26 This mail has been blocked because the sender is "
	    "unauthenticated. Gmail requires all senders to authenticate with "
	    "either SPF or DKIM. - gsmtp", "policy" },
	{ "550-5.7.25 [192.0.2.1] The IP address sending this message does "
	    "not have a PTR record setup, or the corresponding forward DNS "
	    "entry does not point to the sending IP. - gsmtp", "policy" },
	{ "530-5.7.0 Must issue a STARTTLS command first. - gsmtp", "tls" },
	{ "421-4.7.0 This message is suspicious due to the very low "
	    "reputation of the sending IP address. - gsmtp", "rate-limited" },
	{ "250 2.0.0 OK  1700000000 a1si1234567qkb.42 - gsmtp", NULL },
	/* Outlook, Microsoft 365 */
	{ "550 5.5.0 Requested action not taken: mailbox unavailable "
	    "(S2017062302). [AM4PEPF00025F9B.EURPRD83.prod.outlook.com]",
	    "unknown-user" },
	{ "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient "
	    "user@contoso.com not found by SMTP address lookup",
	    "unknown-user" },
	{ "550 5.4.1 Recipient address rejected: Access denied. "
	    "AS(201806281) [DB5EUR03FT012.eop-EUR03.prod.protection."
	    "outlook.com]", "unknown-user" },
	{ "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. "
	    "Please contact your Internet service provider since part of "
	    "their network is on our block list (S3150).", "blocklisted" },
	{ "550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To "
	    "request removal from this list please visit https://sender."
	    "office.com/", "blocklisted" },
	{ "550 5.7.708 Service unavailable. Access denied, traffic not "
	    "accepted from this IP.", "blocklisted" },
	{ "421 4.7.650 The mail server [192.0.2.1] has been temporarily rate "
	    "limited due to IP reputation.", "rate-limited" },
	{ "451 4.7.500 Server busy. Please try again later from [192.0.2.1]. "
	    "(S77719)", "rate-limited" },
	{ "550 5.7.509 Access denied, sending domain example.com does not "
	    "pass DMARC verification and has a DMARC policy of reject.",
	    "policy" },
	{ "554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:"
	    "QuotaExceededException", "mailbox-full" },
	{ "530 5.7.57 Client not authenticated to send mail.", "auth" },
	{ "451 5.7.3 STARTTLS is required to send mail", "tls" },
	/* Yahoo, AOL */
	{ "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred "
	    "due to unexpected volume or user complaints - 4.16.55.1; see "
	    "https://postmaster.yahooinc.com/error-codes", "rate-limited" },
	{ "553 5.7.2 [TSS09] All messages from 192.0.2.1 will be permanently "
	    "deferred; Retrying will NOT succeed. See https://postmaster."
	    "yahooinc.com/error-codes", "blocklisted" },
	{ "554 5.7.9 Message not accepted for policy reasons.  See "
	    "https://postmaster.yahooinc.com/error-codes", "policy" },
	{ "554 delivery error: dd This user doesn't have a yahoo.com account "
	    "(someone@yahoo.com) [0] - mta1234.mail.ne1.yahoo.com",
	    "unknown-user" },
	{ "554 delivery error: dd Not a valid recipient - atlas101.free.mail."
	    "bf1.yahoo.com", "unknown-user" },
	/* Apple iCloud */
	{ "550 5.1.1 <someone@icloud.com>: user does not exist",
	    "unknown-user" },
	{ "554 5.7.1 [CS01] Message rejected due to local policy. Please "
	    "visit https://support.apple.com/en-us/HT204137", "policy" },
	{ "550 5.7.0 Blocked - see https://ipcheck.proofpoint.com/?ip="
	    "192.0.2.1", "blocklisted" },
	{ "552 5.2.2 <someone@icloud.com>: user is over quota",
	    "mailbox-full" },
	/* GMX, web.de */
	{ "550 Requested action not taken: mailbox unavailable",
	    "unknown-user" },
	{ "554-IP address is block listed.", "blocklisted" },
	{ "554-Reject due to policy restrictions.", "policy" },
	{ "554-Reject due to content restrictions.", "spam" },
	{ "421-Too many connections from your IP address.", "rate-limited" },
	{ "552 Requested mail action aborted: exceeded storage allocation",
	    "mailbox-full" },
	/* Orange */
	{ "501 5.1.3 Adresse d'au moins un destinataire invalide. Invalid "
	    "recipient. OFR_416 [416]", "unknown-user" },
	{ "421 mwinf5c10 ME Trop de connexions, veuillez verifier votre "
	    "configuration. Too many connections, slow down. OFR005_104 [104]",
	    "rate-limited" },
	{ "552 5.1.1 Boite du destinataire pleine. Recipient mailbox full. "
	    "OFR_417 [417]", "mailbox-full" },
	/* Greylisting */
	{ "450 4.2.0 <bob@example.org>: Recipient address rejected: "
	    "Greylisted, see http://postgrey.schweikert.ch/help/example.org."
	    "html", "greylisted" },
	{ "451 4.7.1 Please try again later", "greylisted" },
	{ "451 4.7.1 Try again later", "greylisted" },
	{ "451 4.7.1 Greylisting in action, please come back later",
	    "greylisted" },
	{ "451 Temporary failure, please try again later.", "greylisted" },
	/* Block lists */
	{ "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked "
	    "using zen.spamhaus.org; https://www.spamhaus.org/query/ip/"
	    "192.0.2.1", "blocklisted" },
	{ "550 5.7.1 Rejected: 192.0.2.1 listed at zen.spamhaus.org",
	    "blocklisted" },
	{ "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked "
	    "using bl.spamcop.net; Blocked - see https://www.spamcop.net/bl."
	    "shtml?192.0.2.1", "blocklisted" },
	{ "554 Service unavailable; Client host [192.0.2.1] blocked using "
	    "Barracuda Reputation; http://www.barracudanetworks.com/"
	    "reputation/?pr=1&ip=192.0.2.1", "blocklisted" },
	{ "554 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.1",
	    "blocklisted" },
	/* Postfix, Exim, OpenSMTPD and others */
	{ "554 5.7.1 <x@example.org>: Relay access denied", "policy" },
	{ "550 5.7.1 <x@example.org>: Sender address rejected: Access "
	    "denied", "policy" },
	{ "450 4.1.8 <x@example.org>: Sender address rejected: Domain not "
	    "found", "policy" },
	{ "450 4.1.2 <x@nowhere.example>: Recipient address rejected: "
	    "Domain not found", "dns" },
	{ "550 5.1.1 <x@example.org>: Recipient address rejected: User "
	    "unknown in virtual mailbox table", "unknown-user" },
	{ "550 Unrouteable address", "unknown-user" },
	{ "554 5.7.1 Spam message rejected", "spam" },
	{ "552 5.3.4 Message size exceeds fixed limit", "size" },
	{ "421 4.4.2 example.org Error: timeout exceeded", "timeout" },
	{ "550 5.1.1 <reject-dave@sink.test>: user unknown", "unknown-user" },
	{ "550 Invalid recipient: <mallory@elsewhere.invalid>",
	    "unknown-user" },
	{ "553 5.1.0 Sender address syntax error", "policy" },
	{ "535 Authentication failed", "auth" },
	{ "451 4.3.0 try later", "other" },
	{ "Error (mda: mailbox full)", "mailbox-full" },
	{ "Network error on destination MXs", "connection" },
	{ "Connection closed unexpectedly", "connection" },
	{ "No MX found for destination", "dns" },
	{ "TLS required but not supported by remote host", "tls" },
	{ "Envelope expired", "other" },
	{ "Removed by administrator", "other" },
	{ "250 2.0.0 queued as sink-000001", NULL },
	{ "220 2.0.0 Ready to start TLS", NULL },
	{ "", NULL },
};

/* A rules file with these lines; its path in a static buffer. */
static const char *
rules_file(const char *text)
{
	static char	 path[] = "/tmp/test_class.XXXXXX";
	FILE		*fp;
	int		 fd;

	strlcpy(path, "/tmp/test_class.XXXXXX", sizeof(path));
	if ((fd = mkstemp(path)) == -1 || (fp = fdopen(fd, "w")) == NULL)
		return NULL;
	fputs(text, fp);
	fclose(fp);
	return path;
}

static void
check_table(void)
{
	const char	*c;
	size_t		 i, pass;

	/* Twice: the second time from the cache. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			c = class_reply(cases[i].reply);
			CHECK_MSG((c == NULL && cases[i].class == NULL) ||
			    (c != NULL && cases[i].class != NULL &&
			    strcmp(c, cases[i].class) == 0),
			    "\"%s\": got %s, want %s", cases[i].reply,
			    c ? c : "none", cases[i].class ? cases[i].class :
			    "none");
		}
	CHECK(class_reply(NULL) == NULL);
}

/*
 * Every rule of the table compiles: class.c compiles one only when a
 * reply needs it, so a bad one would otherwise wait for such a reply.
 */
static void
check_compiles(void)
{
	regex_t	re;
	size_t	i;

	for (i = 0; class_table[i].re != NULL; i++) {
		CHECK_MSG(regcomp(&re, class_table[i].re, REG_EXTENDED |
		    REG_ICASE | REG_NOSUB) == 0, "rule %zu: %s", i,
		    class_table[i].re);
		regfree(&re);
	}
	CHECK(i > 10);
}

/* Known session failures need no reply. */
static void
check_sessions(void)
{
	struct model_attempt	a;
	struct model_outcome	o;

	CHECK(strcmp(class_session("tls-failed"), "tls") == 0);
	CHECK(strcmp(class_session("auth-failed"), "auth") == 0);
	CHECK(strcmp(class_session("timeout"), "timeout") == 0);
	CHECK(strcmp(class_session("connect-failed"), "connection") == 0);
	CHECK(class_session("mail") == NULL);
	CHECK(class_session("refused-rcpt") == NULL);
	CHECK(class_session(NULL) == NULL);
	memset(&a, 0, sizeof(a));
	a.result = MODEL_TEMPFAIL;
	CHECK(strcmp(class_attempt(&a), "connection") == 0);
	a.session.outcome = "aborted";
	CHECK(strcmp(class_attempt(&a), "connection") == 0);
	a.session.outcome = "timeout";
	CHECK(strcmp(class_attempt(&a), "timeout") == 0);
	a.session.outcome = "tls-failed";
	CHECK(strcmp(class_attempt(&a), "tls") == 0);
	a.result = MODEL_OK;
	a.reply = "250 2.0.0 Ok";
	CHECK(class_attempt(&a) == NULL);
	memset(&o, 0, sizeof(o));
	o.kind = MODEL_OC_MDA;
	o.result = MODEL_OK;
	o.stat = "Delivered";
	CHECK(class_outcome(&o) == NULL);
	o.kind = MODEL_OC_EXPIRE;
	o.result = MODEL_PENDING;
	o.stat = "Envelope expired";
	CHECK(strcmp(class_outcome(&o), "other") == 0);
}

/* An operator's rule comes first; a wrong file is refused by line. */
static void
check_rules(void)
{
	char		 err[CLASS_ERR];
	const char	*p;

	p = rules_file("# local rules\n\n"
	    "greylisted   ^451 4\\.3\\.0 try later$\n"
	    "  spam\tcontent[ -]filter  \n");
	CHECK(p != NULL && class_rules(p, err, sizeof(err)) == 0);
	CHECK(strcmp(class_reply("451 4.3.0 try later"), "greylisted") == 0);
	CHECK(strcmp(class_reply("451 4.3.0 try later, again"), "other") ==
	    0);
	CHECK(strcmp(class_reply("550 5.7.1 rejected by content-filter"),
	    "spam") == 0);
	CHECK(strcmp(class_reply("550 5.1.1 no such user"), "unknown-user") ==
	    0);
	unlink(p);

	p = rules_file("spam  ok\nblocklisted  (unclosed\n");
	CHECK(p != NULL && class_rules(p, err, sizeof(err)) == -1);
	CHECK_MSG(strncmp(err, p, strlen(p)) == 0 &&
	    strstr(err, ":2: bad regular expression \"(unclosed\"") != NULL,
	    "%s", err);
	/* A failed file leaves the table alone. */
	CHECK(strcmp(class_reply("451 4.3.0 try later"), "other") == 0);
	unlink(p);

	p = rules_file("\n\nbounced  x\n");
	CHECK(p != NULL && class_rules(p, err, sizeof(err)) == -1);
	CHECK_MSG(strstr(err, ":3: unknown class \"bounced\"") != NULL, "%s",
	    err);
	unlink(p);

	p = rules_file("spam\n");
	CHECK(p != NULL && class_rules(p, err, sizeof(err)) == -1);
	CHECK_MSG(strstr(err, ":1: no regular expression") != NULL, "%s", err);
	unlink(p);

	CHECK(class_rules("/nonexistent/classes", err, sizeof(err)) == -1);
	CHECK(strstr(err, "/nonexistent/classes: ") == err);
}

/*
 * class_rules() is a reader's first use of SQLite: it is set up before
 * it (db_setup()), without memory accounting, so no memory counts.
 */
static void
check_setup(void)
{
	sqlite3		*db;
	sqlite3_int64	 cur = -1, hi = -1;

	CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t "
	    "VALUES (randomblob(100000))", NULL, NULL, NULL) == SQLITE_OK);
	CHECK(sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &cur, &hi, 0) ==
	    SQLITE_OK && cur == 0);
	sqlite3_close(db);
}

int
main(void)
{
	char	err[CLASS_ERR];

	/* The table alone, whatever the machine has in CLASS_FILE. */
	CHECK(class_rules("/dev/null", err, sizeof(err)) == 0);
	check_setup();
	check_compiles();
	check_table();
	check_sessions();
	check_rules();
	class_free();
	TEST_END();
}
