# po2icu.awk: turns a gettext PO catalogue (msgctxt = key) into an ICU
# resource bundle source for genrb.  Untranslated entries are left out, so
# ICU falls back to root (the product's default language).  PO and ICU
# share C-style escapes, so strings pass through unchanged.
#   awk -v bundle=sv -f po2icu.awk sv.po > sv.txt
function flush() {
	if (ctx != "" && str != "" && !fuzzy)
		printf("    \"%s\" { \"%s\" }\n", ctx, str)
	ctx = ""; str = ""; fuzzy = 0; field = ""
}
function unq(s) {
	sub(/^[ \t]*"/, "", s); sub(/"[ \t]*$/, "", s); return s
}
BEGIN { printf("%s:table {\n", bundle); ctx = ""; str = "" }
/^#,.*fuzzy/ { fuzzy = 1; next }
/^#/ { next }
/^[ \t]*$/ { flush(); next }
/^msgctxt / { field = "ctx"; ctx = unq(substr($0, 9)); next }
/^msgid / { field = "id"; next }
/^msgstr / { field = "str"; str = unq(substr($0, 8)); next }
/^[ \t]*"/ {
	if (field == "ctx") ctx = ctx unq($0)
	else if (field == "str") str = str unq($0)
	next
}
END { flush(); print "}" }
