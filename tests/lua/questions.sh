#!/bin/sh
# Runs the Lua runtime's tests with the stand-alone lua5.4 (TAP).
exec lua5.4 "${BERATTA_SRCDIR:-.}/tests/lua/questions.lua" "${BERATTA_SRCDIR:-.}"
