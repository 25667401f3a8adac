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
 * class_table.c: the rules that give a reply its class (class.c), in
 * the order they are tried: first the words of the text (a provider's
 * own wording says more than its code), then the enhanced status code
 * (RFC 3463), then the basic code.  POSIX extended regular expressions,
 * matched without regard to case against the whole reply.  An
 * operator's rules (-c FILE) are tried before these.
 */
#include <stddef.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

/* An enhanced status code "X.s.d" at the start of the reply. */
#define ESC(sd)		"^[245][0-9][0-9][ -]+[245]\\." sd "([^0-9]|$)"

const struct class_rule class_table[] = {
	/* Words that name the cause, the most telling first. */
	{ CLASS_GREYLISTED, "gr[ae]y-?list" },
	{ CLASS_GREYLISTED, "postgrey" },
	{ CLASS_GREYLISTED, "^4[0-9][0-9][ -]+4\\.7\\.1 .*(try|come back) "
	    "(again )?later" },
	{ CLASS_GREYLISTED, "^451 temporary failure, please try again later" },
	{ CLASS_TLS, "starttls|tls (is )?required|must use tls|"
	    "encryption (is )?required|tls (negotiation|handshake)|"
	    "ssl handshake|tls not available" },
	{ CLASS_AUTH, "authentication (failed|required|unsuccessful)|"
	    "authentication credentials|not authenticated to send|"
	    "could not retrieve credentials|no supported auth mechanism" },
	{ CLASS_BLOCKLISTED, "spamhaus|spamcop|barracuda|sorbs|uceprotect|"
	    "abusix|dnsbl|[^a-z]rbl|block ?list|black ?list|blocked using|"
	    "listed (at|on|in|by) |banned send|access denied, banned|"
	    "traffic not accepted|ipcheck\\.proofpoint|blocked - see|"
	    "permanently deferred|\\[TSS09\\]|on our block" },
	{ CLASS_RATE_LIMITED, "rate limit|rate-limit|ratelimit|too many "
	    "(connections|messages|recipients|concurrent|sessions|mails)|"
	    "unusual rate|sending rate|at a rate|slow down|throttl|"
	    "temporarily deferred|server busy|too fast|connection limit|"
	    "\\[TSS0[0-9]\\]|^4.*reputation" },
	{ CLASS_POLICY, "spf|dkim|dmarc|sender policy framework|"
	    "sender is unauthenticated|unauthenticated email" },
	{ CLASS_BLOCKLISTED, "reputation" },
	{ CLASS_SPAM, "spam|unsolicited|virus|malware|infected|phish|"
	    "content (restrictions|filter|rejected)|junk mail|"
	    "rejected (due to|because of) (its )?content" },
	{ CLASS_POLICY, "relay(ing)? (access )?denied|relaying denied|"
	    "not permitted to relay|sender address rejected|"
	    "sender (address )?(refused|rejected|denied)|helo command rejected|"
	    "client host rejected|ptr record|reverse dns|policy" },
	{ CLASS_MAILBOX_FULL, "mailbox (is )?full|over ?quota|quota exceeded|"
	    "quotaexceeded|exceeded storage|storage (space|allocation)|"
	    "insufficient storage|out of storage|mailbox size limit|"
	    "inbox is full|disk quota|pleine" },
	{ CLASS_SIZE, "too large|too big|size limit|size exceeds|"
	    "exceeds (the )?(maximum )?(message )?size|maximum message size|"
	    "message size|message length exceeds" },
	{ CLASS_DNS, "domain (not found|does not exist|doesn't exist)|"
	    "no mx|mx lookup|null mx|host not found|host unknown|nxdomain|"
	    "name service error|dns (error|failure|lookup)|"
	    "unable to resolve|could not resolve|invalid domain name|"
	    "unrouteable mail domain" },
	{ CLASS_UNKNOWN_USER, "user unknown|unknown user|no such (user|"
	    "recipient|mailbox|address)|(user|mailbox|account|recipient|"
	    "address)[^.;]* (does not|doesn't|not) exist|"
	    "recipient(address)? ?not ?found|recipnotfound|unknown recipient|"
	    "invalid recipient|not a valid (recipient|mailbox)|"
	    "mailbox (unavailable|not found)|recipient address rejected|"
	    "account (is )?disabled|account that you tried to reach|"
	    "doesn't have a [^ ]+ account|unrouteable address|"
	    "addressee unknown|destinataire invalide" },
	{ CLASS_TIMEOUT, "time ?out|timed out" },
	{ CLASS_CONNECTION, "connection (refused|reset|closed|lost|dropped)|"
	    "network error|broken pipe|lost connection|no route|"
	    "no valid route" },

	/* Then the enhanced status code. */
	{ CLASS_UNKNOWN_USER, ESC("1\\.[136]") },
	{ CLASS_UNKNOWN_USER, ESC("2\\.1") },
	{ CLASS_DNS, ESC("1\\.(2|10)") },
	{ CLASS_POLICY, ESC("1\\.[0478]") },
	{ CLASS_MAILBOX_FULL, ESC("2\\.2") },
	{ CLASS_SIZE, ESC("(2\\.3|3\\.4)") },
	{ CLASS_CONNECTION, ESC("4\\.[12]") },
	{ CLASS_DNS, ESC("4\\.[34]") },
	{ CLASS_RATE_LIMITED, ESC("4\\.5") },
	{ CLASS_TIMEOUT, ESC("4\\.7") },
	{ CLASS_TLS, ESC("7\\.10") },
	{ CLASS_AUTH, ESC("7\\.(8|9|11|12|13|14|57)") },
	{ CLASS_POLICY, ESC("7\\.[0-9]+") },

	/* Last the basic code. */
	{ CLASS_AUTH, "^53[0458]([ -]|$)" },
	{ CLASS_SIZE, "^552([ -]|$)" },
	{ 0, NULL }
};
