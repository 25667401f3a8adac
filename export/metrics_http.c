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
 * metrics_http.c: mailtrail metrics --listen: libevent's HTTP server
 * answers GET /metrics with the exposition read from the databases at
 * that moment, anything else with 404 (405 for another method), until
 * SIGTERM or SIGINT.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

#define METRICS_HTTP_TYPE	"text/plain; version=0.0.4; charset=utf-8"

static int	metrics_http_addr(const char *, char *, size_t, uint16_t *);
static void	metrics_http_request(struct evhttp_request *, void *);
static void	metrics_http_signal(evutil_socket_t, short, void *);
static void	metrics_http_log(int, const char *);

/*
 * ADDR:PORT (ADDR a numeric IPv4 or IPv6 address, the latter may be in
 * brackets) into addr and port; 1 after saying what is wrong.
 */
static int
metrics_http_addr(const char *arg, char *addr, size_t sz, uint16_t *port)
{
	const char	*colon, *errstr, *orig = arg;
	struct in_addr	 in;
	struct in6_addr	 in6;
	size_t		 len;

	if ((colon = strrchr(arg, ':')) == NULL)
		return log_error("--listen %s: want address:port", arg);
	*port = strtonum(colon + 1, 1, 65535, &errstr);
	if (errstr != NULL)
		return log_error("--listen %s: bad port", arg);
	len = colon - arg;
	if (len >= 2 && arg[0] == '[' && arg[len - 1] == ']') {
		arg++;
		len -= 2;
	}
	if (len == 0 || len >= sz)
		return log_error("--listen %s: bad address", orig);
	memcpy(addr, arg, len);
	addr[len] = '\0';
	if (inet_pton(AF_INET, addr, &in) != 1 &&
	    inet_pton(AF_INET6, addr, &in6) != 1)
		return log_error("--listen %s: bad address", orig);
	return 0;
}

static void
metrics_http_request(struct evhttp_request *req, void *arg)
{
	struct metrics		*m = arg;
	struct evbuffer		*b;
	const char		*path;
	enum evhttp_cmd_type	 cmd = evhttp_request_get_command(req);

	path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	if (path == NULL || strcmp(path, "/metrics") != 0) {
		evhttp_send_error(req, HTTP_NOTFOUND, NULL);
		return;
	}
	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		evhttp_send_error(req, HTTP_BADMETHOD, NULL);
		return;
	}
	if (metrics_scrape(m) == -1) {
		evhttp_send_error(req, HTTP_INTERNAL, NULL);
		return;
	}
	if ((b = evbuffer_new()) == NULL)
		fatalx("out of memory");
	evbuffer_add(b, m->out.p, m->out.len);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", METRICS_HTTP_TYPE);
	evhttp_send_reply(req, HTTP_OK, "OK", b);
	evbuffer_free(b);
}

static void
metrics_http_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	event_base_loopexit(arg, NULL);
}

/* libevent's own messages: the error each failure returns says it. */
static void
metrics_http_log(int severity, const char *msg)
{
	(void)severity;
	(void)msg;
}

/* Serve until SIGTERM or SIGINT: 0, or 1 after saying why not. */
int
metrics_http(struct metrics *m, const char *listen)
{
	struct event_base	*base;
	struct evhttp		*http;
	struct event		*term, *intr;
	char			 addr[256];
	uint16_t		 port = 0;
	int			 rv = 0;

	if (metrics_http_addr(listen, addr, sizeof(addr), &port) != 0)
		return 1;
	event_set_log_callback(metrics_http_log);
	signal(SIGPIPE, SIG_IGN);
	if ((base = event_base_new()) == NULL ||
	    (http = evhttp_new(base)) == NULL)
		fatalx("libevent: out of memory");
	evhttp_set_gencb(http, metrics_http_request, m);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD |
	    EVHTTP_REQ_POST | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE);
	term = evsignal_new(base, SIGTERM, metrics_http_signal, base);
	intr = evsignal_new(base, SIGINT, metrics_http_signal, base);
	if (term == NULL || intr == NULL || evsignal_add(term, NULL) == -1 ||
	    evsignal_add(intr, NULL) == -1)
		fatalx("libevent: cannot catch signals");
	errno = 0;
	if (evhttp_bind_socket_with_handle(http, addr, port) == NULL)
		rv = log_error("--listen %s: cannot listen: %s", listen,
		    errno != 0 ? strerror(errno) : "refused");
	else if (event_base_dispatch(base) == -1)
		rv = log_error("--listen %s: the event loop failed", listen);
	event_free(term);
	event_free(intr);
	evhttp_free(http);
	event_base_free(base);
	return rv;
}
