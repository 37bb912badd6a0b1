#!/bin/sh
# Runs the Lua runtime's tests with the stand-alone lua5.4 as one TAP
# stream: each file's results renumbered in turn, one plan at the end, and
# a file that stops with an error (or with failures) one more failure.
src=${BERATTA_SRCDIR:-.}
for t in questions staff_views summary_views; do
	lua5.4 "$src/tests/lua/$t.lua" "$src" ||
	    echo "not ok - tests/lua/$t.lua exited with an error"
done | awk '
/^(not )?ok/ {
	n++
	sub(/^(not )?ok( [0-9]+)?/, ($1 == "not" ? "not ok " : "ok ") n)
}
/^1\.\.[0-9]+$/ { next }
{ print }
END { print "1.." n }'
