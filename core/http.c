/*
 * http.c: responses.  Every response carries the security headers and
 * Cache-Control: no-store (every dynamic page may show a child's answers or
 * session state).  Error pages are built here, not in Lua, so that a broken
 * plugin can still be told to the person in their language; the only text
 * in them is escaped through http_escape.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "extern.h"

static const struct {
	int		 status;
	const char	*reason;
	const char	*key;		/* UI string explaining it */
} http_statuses[] = {
	{ 200, "OK", NULL },
	{ 204, "No Content", NULL },
	{ 303, "See Other", NULL },
	{ 400, "Bad Request", "error.400" },
	{ 403, "Forbidden", "error.403" },
	{ 404, "Not Found", "error.404" },
	{ 405, "Method Not Allowed", "error.405" },
	{ 413, "Payload Too Large", "error.413" },
	{ 500, "Internal Server Error", "error.500" },
	{ 503, "Service Unavailable", "error.503" },
};

#define HTTP_CSP "default-src 'none'; style-src 'self'; img-src 'self'; " \
	"script-src 'self'; media-src 'self'; connect-src 'self'; " \
	"form-action 'self'; " \
	"base-uri 'none'; frame-ancestors 'none'"

void
http_init(struct response *r)
{
	memset(r, 0, sizeof(*r));
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
}

void
http_free(struct response *r)
{
	buf_free(&r->headers);
	buf_free(&r->body);
}

const char *
http_reason(int status)
{
	size_t	 i;

	for (i = 0; i < sizeof(http_statuses) / sizeof(http_statuses[0]); i++)
		if (http_statuses[i].status == status)
			return http_statuses[i].reason;
	return "Unknown";
}

/* Adds a header; name and value must not contain CR or LF (callers pass
 * constants and values this program made). */
void
http_header(struct response *r, const char *name, const char *value)
{
	if (strpbrk(name, "\r\n") != NULL || strpbrk(value, "\r\n") != NULL) {
		LOG_ERR("refused a header with a line break");
		return;
	}
	buf_printf(&r->headers, "%s: %s\r\n", name, value);
}

/* A 303 to a path of this site. */
void
http_redirect(struct response *r, const char *location)
{
	r->status = 303;
	if (location[0] != '/' || location[1] == '/' || location[1] == '\\')
		location = "/";
	http_header(r, "Location", location);
}

/* A 303 to an address of the configuration (never one from a request). */
void
http_redirect_away(struct response *r, const char *url)
{
	r->status = 303;
	http_header(r, "Location", url);
}

/* Sets a cookie HttpOnly, SameSite=Strict, Path=/, and Secure under TLS;
 * max_age < 0 makes a session cookie, 0 deletes it. */
void
http_cookie(struct response *r, const struct request *req, const char *name,
    const char *value, int max_age)
{
	char	 v[512];

	if (max_age >= 0)
		snprintf(v, sizeof(v), "%s=%s; Path=/; Max-Age=%d; HttpOnly; "
		    "SameSite=Strict%s", name, value, max_age,
		    req->https ? "; Secure" : "");
	else
		snprintf(v, sizeof(v), "%s=%s; Path=/; HttpOnly; SameSite=Strict%s",
		    name, value, req->https ? "; Secure" : "");
	http_header(r, "Set-Cookie", v);
}

/* Appends s with & < > " ' escaped. */
int
http_escape(struct buf *b, const char *s)
{
	const char	*p, *rep;
	int		 rc = 0;

	for (p = s; *p != '\0'; p++) {
		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: rep = NULL; break;
		}
		if (rep != NULL) {
			rc |= buf_append(b, s, (size_t)(p - s));
			rc |= buf_puts(b, rep);
			s = p + 1;
		}
	}
	rc |= buf_append(b, s, (size_t)(p - s));
	return rc ? -1 : 0;
}

/* Writes the CGI response head and body into out. */
int
http_serialize(const struct response *r, int https, struct buf *out)
{
	int	 rc = 0;

	rc |= buf_printf(out, "Status: %d %s\r\n", r->status,
	    http_reason(r->status));
	if ((r->status != 303 && r->status != 204) || r->body.len > 0)
		rc |= buf_printf(out, "Content-Type: %s\r\n", r->content_type);
	rc |= buf_printf(out, "Content-Length: %zu\r\n", r->body.len);
	rc |= buf_puts(out, "Cache-Control: no-store\r\n"
	    "Content-Security-Policy: " HTTP_CSP "\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "X-Frame-Options: DENY\r\n"
	    "Referrer-Policy: no-referrer\r\n"
	    "Cross-Origin-Opener-Policy: same-origin\r\n"
	    "Permissions-Policy: camera=(), microphone=(), geolocation=()\r\n");
	if (https)
		rc |= buf_puts(out, "Strict-Transport-Security: max-age=31536000\r\n");
	if (r->headers.len > 0)
		rc |= buf_append(out, r->headers.data, r->headers.len);
	rc |= buf_puts(out, "\r\n");
	if (r->body.len > 0)
		rc |= buf_append(out, r->body.data, r->body.len);
	return rc ? -1 : 0;
}

/*
 * Replaces the response with an error page for status, in the request's
 * language (or the default one), with a link back to the start.
 */
void
http_error(struct request *req, struct response *r, int status)
{
	const char	*lang, *key = "error.500";
	char		 k[32];
	size_t		 i;

	for (i = 0; i < sizeof(http_statuses) / sizeof(http_statuses[0]); i++)
		if (http_statuses[i].status == status && http_statuses[i].key)
			key = http_statuses[i].key;
	lang = req->lang != NULL ? req->lang : i18n_negotiate(NULL,
	    req->accept_language, NULL);
	buf_free(&r->body);
	buf_free(&r->headers);
	r->status = status;
	r->content_type = "text/html; charset=utf-8";
	buf_printf(&r->body, "<!DOCTYPE html>\n<html lang=\"%s\" dir=\"%s\">"
	    "<head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	    "<link rel=\"stylesheet\" href=\"/static/beratta.css\"><title>",
	    lang, i18n_is_rtl(lang) ? "rtl" : "ltr");
	http_escape(&r->body, i18n_text(lang, "site.title"));
	/* The same ways out as every other page: leave quickly, and help. */
	buf_puts(&r->body, "</title></head><body><header class=\"top\">"
	    "<span class=\"brand\">");
	http_escape(&r->body, i18n_text(lang, "site.title"));
	buf_puts(&r->body, "</span><a class=\"quick-exit\" href=\"/leave\">");
	http_escape(&r->body, i18n_text(lang, "nav.leave"));
	buf_puts(&r->body, "</a><nav class=\"links\" aria-label=\"");
	http_escape(&r->body, i18n_text(lang, "nav.label"));
	buf_puts(&r->body, "\"><a href=\"/help\">");
	http_escape(&r->body, i18n_text(lang, "nav.help"));
	buf_puts(&r->body, "</a></nav></header><main class=\"page error\" "
	    "id=\"main\"><h1>");
	http_escape(&r->body, i18n_text(lang, "error.heading"));
	buf_puts(&r->body, "</h1><p>");
	http_escape(&r->body, i18n_text(lang, key));
	snprintf(k, sizeof(k), " (%d)", status);
	http_escape(&r->body, k);
	buf_puts(&r->body, "</p><p><a class=\"button\" href=\"/\">");
	http_escape(&r->body, i18n_text(lang, "error.back"));
	buf_puts(&r->body, "</a></p></main></body></html>\n");
	if (status == 405)
		http_header(r, "Allow", "GET, POST");
}
