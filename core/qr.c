/*
 * qr.c: a QR code (libqrencode) drawn as inline SVG: a white square with
 * a four-module quiet zone (without it, readers fail) and one path of the
 * dark modules, a horizontal run each.  Used for enrolling a second
 * factor now, and for invitation slips next.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <qrencode.h>

#include "extern.h"

/*
 * Appends the SVG of text's QR code (error correction M, 8-bit, case
 * kept) to out, scale pixels per module, with label as its accessible
 * name.  0, or -1 when text is empty or too long, or out of memory.
 */
int
qr_svg(const char *text, const char *label, int scale, struct buf *out)
{
	QRcode		*q;
	int		 x, y, run, n, rc = 0;

	if (text == NULL || *text == '\0' ||
	    (q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1)) ==
	    NULL)
		return -1;
	n = q->width + 8;
	rc |= buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"qr\" role=\"img\" aria-label=\"");
	rc |= http_escape(out, label != NULL ? label : "");
	rc |= buf_printf(out, "\" viewBox=\"0 0 %d %d\" width=\"%d\" "
	    "height=\"%d\" shape-rendering=\"crispEdges\">"
	    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"", n, n, n * scale, n * scale, n, n);
	for (y = 0; y < q->width && rc == 0; y++)
		for (x = 0; x < q->width; x++) {
			if (!(q->data[y * q->width + x] & 1))
				continue;
			for (run = 1; x + run < q->width &&
			    (q->data[y * q->width + x + run] & 1); run++)
				;
			rc |= buf_printf(out, "M%d %dh%dv1h-%dz", x + 4, y + 4,
			    run, run);
			x += run - 1;
		}
	rc |= buf_puts(out, "\"/></svg>");
	QRcode_free(q);
	return rc == 0 ? 0 : -1;
}
