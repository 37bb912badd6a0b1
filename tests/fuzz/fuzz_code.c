/*
 * fuzz_code.c: code_normalize, what a child types as an invitation code,
 * on any text (the bytes up to the first NUL, as a form value).  On
 * success the result is exactly CODE_CHARS symbols of the code alphabet,
 * its own normal form, and code_format of it normalises back to it, in
 * either case.
 */
#include "config.h"

#include <ctype.h>

#include "extern.h"
#include "fuzz.h"

static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s, out[CODE_CHARS + 1], again[CODE_CHARS + 1];
	char	 shown[CODE_DISPLAY];
	size_t	 i;
	int	 rc;

	s = fuzz_cstr(data, size);
	memset(out, 0x55, sizeof(out));
	rc = code_normalize(s, out);
	fuzz_assert(rc == 0 || rc == -1);
	if (rc == 0) {
		fuzz_assert(strlen(out) == CODE_CHARS);
		for (i = 0; i < CODE_CHARS; i++)
			fuzz_assert(out[i] != '\0' &&
			    strchr(alphabet, out[i]) != NULL);
		fuzz_assert(code_normalize(out, again) == 0 &&
		    strcmp(again, out) == 0);
		code_format(out, shown);
		fuzz_assert(strlen(shown) == CODE_DISPLAY - 1);
		fuzz_assert(shown[4] == '-' && shown[9] == '-');
		fuzz_assert(code_normalize(shown, again) == 0 &&
		    strcmp(again, out) == 0);
		for (i = 0; shown[i] != '\0'; i++)
			shown[i] = (char)tolower((unsigned char)shown[i]);
		fuzz_assert(code_normalize(shown, again) == 0 &&
		    strcmp(again, out) == 0);
	}
	free(s);
	return 0;
}
