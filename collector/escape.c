/*
 * escape.c: bytes from the network made safe for a terminal or a log.
 * Printable ASCII stays; a backslash becomes "\\"; every other byte
 * (control characters, escape sequences, DEL, bytes >= 0x80) becomes
 * "\xHH".  Readers that show UTF-8 decode it before calling this.
 */
#include "escape.h"

static const char escape_hex[] = "0123456789abcdef";

/*
 * Escape len bytes of src into dst (size dstsz, NUL-terminated, whole
 * escapes only).  Returns the number of source bytes consumed.
 */
size_t
escape_bytes(char *dst, size_t dstsz, const char *src, size_t len)
{
	size_t		 i, o = 0;
	unsigned char	 c;

	if (dstsz == 0)
		return 0;
	for (i = 0; i < len; i++) {
		c = (unsigned char)src[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			if (o + 1 >= dstsz)
				break;
			dst[o++] = c;
		} else if (c == '\\') {
			if (o + 2 >= dstsz)
				break;
			dst[o++] = '\\';
			dst[o++] = '\\';
		} else {
			if (o + 4 >= dstsz)
				break;
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = escape_hex[c >> 4];
			dst[o++] = escape_hex[c & 0xf];
		}
	}
	dst[o] = '\0';
	return i;
}
