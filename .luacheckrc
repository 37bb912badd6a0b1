-- luacheck: the standard library Berätta's Lua sandbox allows (core/sandbox.c
-- sandbox_globals and sandbox_libs), so a global outside it is flagged.
stds.beratta = {
  read_globals = {
    "assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall",
    "rawequal", "rawget", "rawlen", "rawset", "select", "setmetatable",
    "tonumber", "tostring", "type", "xpcall", "_VERSION", "_G", "load", "require",
    string = { fields = { "byte", "char", "find", "format", "gmatch", "gsub",
      "len", "lower", "match", "pack", "packsize", "rep", "reverse", "sub",
      "unpack", "upper" } },
    table = { fields = { "concat", "insert", "move", "pack", "remove", "sort",
      "unpack" } },
    math = { fields = { "abs", "ceil", "exp", "floor", "fmod", "huge", "log",
      "max", "maxinteger", "min", "mininteger", "modf", "pi", "sqrt",
      "tointeger", "type", "ult" } },
    utf8 = { fields = { "char", "charpattern", "codepoint", "codes", "len",
      "offset" } },
  },
}
-- The runtime also sees what the core adds to its environment.
stds.beratta_runtime = { read_globals = { "icu", "core" } }

std = "beratta"
max_line_length = 120
files["lua/"] = { std = "beratta+beratta_runtime" }
-- Question texts are long sentences; a plugin's lines may be too.
files["plugins/"] = { max_line_length = false }
-- The unit tests' deliberately hostile plugins are not style-checked.
exclude_files = { "tests/fixtures/plugins/**", "tests/node_modules/**" }
