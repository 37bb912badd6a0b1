-- graph.lua: `beratta plugin graph`, the question tree of a set as
-- Graphviz DOT.  One cluster per area, a box per question (its id, type and
-- shortened text), solid edges for the order questions are asked in, dashed
-- edges from a question to the first question of each of its follow-up
-- groups, labelled with the group's condition in words.  It only writes
-- text: the core runs `dot` when an SVG is asked for.  describe() (a
-- condition in words) is shared with the checker's dump.
local Q = require "questions"

local G = {}

local LABEL_MAX = 40

-- A list (or one value) as text, whatever its items are.
local function list(t)
  local out = {}
  for _, v in ipairs(type(t) == "table" and t or { t }) do out[#out + 1] = tostring(v) end
  return table.concat(out, ", ")
end

-- What each key of a condition says, in the order they are written.
local WORDS = {
  { "answered", function(v) return v and "answered" or "not answered" end },
  { "equals", function(v) return "equals " .. tostring(v) end },
  { "any_of", function(v) return "any of: " .. list(v) end },
  { "at_least", function(v) return "at least " .. tostring(v) end },
  { "at_most", function(v) return "at most " .. tostring(v) end },
  { "age", function(v) return "age: " .. list(v) end },
}

-- describe(c, subject) -> the condition in words: "any of: bad, very_bad",
-- "equals yes", "age: 6-9", "not (...)", "function".  A condition on a
-- question other than subject names it: "home_feel: equals bad".
function G.describe(c, subject)
  if type(c) == "function" then return "function" end
  if type(c) ~= "table" then return tostring(c) end
  local parts = {}
  for _, w in ipairs(WORDS) do
    if c[w[1]] ~= nil then parts[#parts + 1] = w[2](c[w[1]]) end
  end
  if #parts > 0 and c.question ~= nil and c.question ~= subject then
    parts[1] = tostring(c.question) .. ": " .. parts[1]
  end
  for _, k in ipairs({ { "all", " and " }, { "any", " or " } }) do
    if type(c[k[1]]) == "table" then
      local subs = {}
      for _, sub in ipairs(c[k[1]]) do subs[#subs + 1] = "(" .. G.describe(sub, subject) .. ")" end
      if #subs > 0 then parts[#parts + 1] = table.concat(subs, k[2]) end
    end
  end
  if c["not"] ~= nil then parts[#parts + 1] = "not (" .. G.describe(c["not"], subject) .. ")" end
  if #parts == 0 then return "always" end
  return table.concat(parts, "; ")
end

-- At most n characters of s (UTF-8), with "…" when cut.
local function shorten(s, n)
  local len = utf8.len(s)
  if len == nil then
    return #s > n and s:sub(1, n - 1) .. "…" or s
  end
  if len <= n then return s end
  return s:sub(1, utf8.offset(s, n) - 1) .. "…"
end

-- A DOT quoted string: backslash and quote escaped, line breaks as \n
-- (centred lines), other control characters as spaces.
local function q(s)
  s = tostring(s):gsub("[\\\"]", "\\%0"):gsub("\r?\n", "\\n"):gsub("[%c]", " ")
  return '"' .. s .. '"'
end
G.quote = q
G.list = list

local function text_of(set, t)
  local s = t and Q.text(set, t, set.language)
  return s and s:gsub("%s+", " ") or ""
end

-- dot(set) -> the DOT text of the set's tree.
function G.dot(set)
  local out = {}
  local function line(s) out[#out + 1] = s end
  line("digraph " .. q(set.id or "set") .. " {")
  line('  graph [rankdir=TB, fontname="sans-serif"];')
  line('  node [shape=box, style=rounded, fontname="sans-serif", fontsize=10];')
  line('  edge [fontname="sans-serif", fontsize=9];')
  local edges = {}
  local function node(qn)
    local label = qn.id .. " (" .. tostring(qn.type) .. ")\n"
      .. shorten(text_of(set, qn.text), LABEL_MAX)
    if qn.when ~= nil then label = label .. "\nwhen: " .. G.describe(qn.when, nil) end
    if qn.ages ~= nil then label = label .. "\nages: " .. list(qn.ages) end
    line("    " .. q(qn.id) .. " [label=" .. q(label) .. "];")
  end
  -- Nodes inside their area's cluster; edges after, outside the clusters.
  local function walk(questions)
    for i, qn in ipairs(questions) do
      node(qn)
      if questions[i + 1] then
        edges[#edges + 1] = "  " .. q(qn.id) .. " -> " .. q(questions[i + 1].id) .. ";"
      end
      for _, g in ipairs(qn.followups) do
        if g.questions[1] then
          edges[#edges + 1] = "  " .. q(qn.id) .. " -> " .. q(g.questions[1].id)
            .. " [style=dashed, label=" .. q(G.describe(g.when, qn.id)) .. "];"
        end
        walk(g.questions)
      end
    end
  end
  local last
  for _, a in ipairs(set.areas) do
    line("  subgraph " .. q("cluster_" .. a.id) .. " {")
    line("    label=" .. q(a.id .. ": " .. shorten(text_of(set, a.title), LABEL_MAX)) .. ";")
    line('    style=rounded; color="gray60";')
    walk(a.questions)
    line("  }")
    local first = a.questions[1]
    if last and first then
      edges[#edges + 1] = "  " .. q(last.id) .. " -> " .. q(first.id) .. ' [color="gray60"];'
    end
    if a.questions[#a.questions] then last = a.questions[#a.questions] end
  end
  for _, e in ipairs(edges) do line(e) end
  line("}")
  return table.concat(out, "\n") .. "\n"
end

return G
