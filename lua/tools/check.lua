-- check.lua: `beratta plugin check` and `beratta plugin dump`.  Q.load
-- already records what is wrong with a set as it builds it (unknown and
-- duplicate ids, bad steps, conditions it sees are never true); this adds
-- what needs the whole set: questions no path reaches, options without
-- text in the set's language, texts that are not ICU messages, and how
-- complete each language is.  report() gives lines "file:line: level:
-- where: message" sorted by file and line, then one coverage line per
-- language.  Nothing here reads a file: the core passes the plugins'
-- sources, and checks ICU patterns through the runtime's `icu` table.
local Q = require "questions"
local locate = require "locate"
local graph = require "tools.graph"

local C = {}

local AGE = {}
for _, a in ipairs(Q.AGES) do AGE[a] = true end
local MISSING_MAX = 20	-- missing keys named per language
local words = graph.list	-- a list as text, whatever its items are

---------------------------------------------------------------------------
-- Conditions that are never true.  never() mirrors Q.test: a condition is
-- the conjunction of its keys, so one key that cannot hold is enough.

local function option_ids(c)
  local ids = {}
  if c.equals ~= nil then ids[#ids + 1] = c.equals end
  if type(c.any_of) == "table" then
    for _, id in ipairs(c.any_of) do ids[#ids + 1] = id end
  end
  return ids
end

-- Each key that can make a condition never true, and why.  q is the
-- question the condition looks at (nil if unknown), qid its id.
local NEVER = {
  equals = function(_, c, q, qid)
    if not q then return "unknown question " .. tostring(qid) end
    if not (q.option_index and q.option_index[c.equals]) then
      return qid .. " has no option " .. tostring(c.equals)
    end
  end,
  any_of = function(_, c, q, qid)
    if not q then return "unknown question " .. tostring(qid) end
    if type(c.any_of) ~= "table" then return "any_of is not a list" end
    for _, id in ipairs(c.any_of) do
      if q.option_index and q.option_index[id] then return nil end
    end
    return qid .. " has none of the options " .. words(c.any_of)
  end,
  at_least = function(_, c, q, qid)
    if not q or q.type ~= "number" then return tostring(qid) .. " is not a number question" end
    if type(c.at_least) ~= "number" then return "at_least is not a number" end
    if c.at_least > q.max then return "at_least " .. c.at_least .. " > max " .. q.max end
  end,
  at_most = function(_, c, q, qid)
    if not q or q.type ~= "number" then return tostring(qid) .. " is not a number question" end
    if type(c.at_most) ~= "number" then return "at_most is not a number" end
    if c.at_most < q.min then return "at_most " .. c.at_most .. " < min " .. q.min end
  end,
  age = function(_, c)
    for _, a in ipairs(type(c.age) == "table" and c.age or { c.age }) do
      if AGE[a] then return nil end
    end
    return "no known age band in age"
  end,
  answered = function(_, c, q, qid, ctx)
    if c.answered and not q then return "unknown question " .. tostring(qid) end
    if c.answered == false and qid == ctx.subject and ctx.answered then
      return "a follow-up is asked only once " .. qid .. " is answered"
    end
  end,
}
local NEVER_KEYS = { "answered", "equals", "any_of", "at_least", "at_most", "age" }

local never, always

-- Keys that cannot hold together.
local CLASHES = {
  function(_, c)
    if c.answered == false and (#option_ids(c) > 0 or c.at_least ~= nil or c.at_most ~= nil) then
      return "answered = false, yet an answer is tested"
    end
  end,
  function(_, c)
    if type(c.at_least) == "number" and type(c.at_most) == "number" and c.at_least > c.at_most then
      return "at_least > at_most"
    end
  end,
  function(_, c, q)
    if q and q.type ~= "multi" and c.equals ~= nil and type(c.any_of) == "table" then
      for _, id in ipairs(c.any_of) do
        if id == c.equals then return nil end
      end
      return "one answer cannot equal " .. tostring(c.equals) .. " and be any of "
        .. words(c.any_of)
    end
  end,
  function(set, c, _, _, ctx)
    if type(c.all) == "table" then
      for _, sub in ipairs(c.all) do
        local why = never(set, sub, ctx)
        if why then return why end
      end
    end
  end,
  function(set, c, _, _, ctx)
    if type(c.any) == "table" and #c.any > 0 then
      local whys = {}
      for _, sub in ipairs(c.any) do
        local why = never(set, sub, ctx)
        if not why then return nil end
        whys[#whys + 1] = why
      end
      return table.concat(whys, "; ")
    end
  end,
  function(set, c, _, _, ctx)
    if c["not"] ~= nil and always(set, c["not"], ctx) then
      return "not (" .. graph.describe(c["not"], ctx.subject) .. ") is never true"
    end
  end,
}

-- never(set, c, ctx) -> why c can never hold, or nil.  ctx.subject is the
-- question a condition speaks of by default; ctx.answered is true in a
-- follow-up group (its question has an answer).  Functions may hold.
never = function(set, c, ctx)
  if type(c) == "function" then return nil end
  if type(c) ~= "table" then return "not a condition" end
  local qid = c.question or ctx.subject
  local q = qid and set.index[qid]
  for _, k in ipairs(NEVER_KEYS) do
    if c[k] ~= nil then
      local why = NEVER[k](set, c, q, qid, ctx)
      if why then return why end
    end
  end
  for _, f in ipairs(CLASHES) do
    local why = f(set, c, q, qid, ctx)
    if why then return why end
  end
  return nil
end
C.never = never

-- Whether c always holds: no keys, { answered = true } on the answered
-- subject of a follow-up, all/any/not of such.
always = function(set, c, ctx)
  if type(c) ~= "table" then return false end
  for k, v in pairs(c) do
    local ok
    if k == "all" then
      ok = type(v) == "table"
      for _, sub in ipairs(ok and v or {}) do ok = ok and always(set, sub, ctx) end
    elseif k == "any" then
      ok = false
      for _, sub in ipairs(type(v) == "table" and v or {}) do ok = ok or always(set, sub, ctx) end
    elseif k == "not" then
      ok = never(set, v, ctx) ~= nil
    elseif k == "answered" then
      ok = v == true and ctx.answered and (c.question == nil or c.question == ctx.subject)
    elseif k == "question" then
      ok = true
    end
    if not ok then return false end
  end
  return true
end

---------------------------------------------------------------------------
-- The analyses.  Each adds problems { level, where, msg [, text] }; text,
-- when given, is the string the problem is about (found in the sources).

-- Questions no child reaches: under a follow-up condition or a `when`
-- that is never true, or with age bands that exclude their parent's (a
-- warning: a child whose age is unknown is asked every question).
local function unreachable(set, add)
  local function walk(list, ages, from, why_above)
    for _, q in ipairs(list) do
      local why, qages, qfrom = why_above, ages, from
      if not why and q.when ~= nil then
        local w = never(set, q.when, {})
        if w then why = "its condition is never true (" .. w .. ")" end
      end
      if why then add("error", q.id, "unreachable: " .. why) end
      if not why and q.ages ~= nil then
        local left = {}
        for _, a in ipairs(q.ages) do
          if ages[a] then left[#left + 1] = a end
        end
        if #left == 0 and from then
          add("warning", q.id, "unreachable for every child whose age is known: its ages ("
            .. words(q.ages) .. ") are none of those of " .. from.id .. " ("
            .. words(from.ages) .. ")")
        end
        qages, qfrom = {}, { id = q.id, ages = left }
        for _, a in ipairs(left) do qages[a] = true end
      end
      for i, g in ipairs(q.followups) do
        local gwhy = why and ("it follows " .. q.id .. ", which is unreachable")
        if not gwhy then
          local w = never(set, g.when, { subject = q.id, answered = true })
          if w then
            gwhy = "the condition of " .. q.id .. " followups[" .. i .. "] is never true ("
              .. w .. ")"
          end
        end
        walk(g.questions, qages, qfrom, gwhy)
      end
    end
  end
  for _, a in ipairs(set.areas) do walk(a.questions, AGE, nil, nil) end
end

-- Options must have a text in the set's own language: it is the one a
-- page falls back to.
local function option_texts(set, add)
  for _, q in ipairs(set.order) do
    for _, o in ipairs(q.options or {}) do
      if o.text ~= nil and (o.text[set.language] or "") == "" then
        add("error", q.id .. "." .. o.id, "option has no text in " .. set.language
          .. " (the set's language)")
      end
    end
  end
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  return keys
end

-- Every text in every language must be an ICU message pattern.
local function icu_texts(set, add)
  if type(icu) ~= "table" or type(icu.check) ~= "function" then
    add("warning", "set", "ICU messages not checked: this runtime has no icu.check")
    return
  end
  for _, e in ipairs(Q.texts(set)) do
    for _, lang in ipairs(sorted_keys(e.text)) do
      local s = e.text[lang]
      local ok, why = icu.check(s, lang)
      if not ok then
        add("error", e.key, "invalid ICU message (" .. lang .. "): " .. tostring(why), s)
      end
    end
  end
end

-- Translations into a language the set does not list are never shown.
local function stray_translations(set, add, chain)
  local known = {}
  for _, l in ipairs(set.languages) do known[l] = true end
  for _, def in ipairs(chain) do
    if type(def) == "table" and type(def.translations) == "table" then
      for _, lang in ipairs(sorted_keys(def.translations)) do
        if not known[lang] then
          add("warning", "translations " .. tostring(lang), "translations into " .. tostring(lang)
            .. " are never shown: add " .. tostring(lang) .. " to languages")
        end
      end
    end
  end
end

-- Alerts are told apart by id.
local function alert_ids(set, add)
  local seen = {}
  for _, r in ipairs(set.alerts) do
    if r.id ~= nil and seen[r.id] then
      add("error", "alert " .. tostring(r.id), "duplicate alert id " .. tostring(r.id))
    end
    seen[r.id or false] = true
  end
end

local function empty_areas(set, add)
  for _, a in ipairs(set.areas) do
    if #a.questions == 0 then add("warning", "area " .. a.id, "the area has no questions") end
  end
end

local STATUS = { machine = true, reviewed = true }

local function translation_status(set, add)
  local known = {}
  for _, l in ipairs(set.languages) do known[l] = true end
  for _, lang in ipairs(sorted_keys(set.translation_status or {})) do
    local s = set.translation_status[lang]
    if not STATUS[s] then
      add("warning", "translation_status", lang .. ": unknown status " .. tostring(s)
        .. " (machine or reviewed)")
    elseif not known[lang] then
      add("warning", "translation_status", lang .. " is not among the set's languages")
    end
  end
end

local ANALYSES = { unreachable, option_texts, icu_texts, stray_translations, alert_ids,
  empty_areas, translation_status }

---------------------------------------------------------------------------
-- Where a problem is.  locate() guesses from the ids it names; a few
-- problems are found better: a text's problem at the text itself, a
-- duplicate at its last definition, a condition's unknown id after the
-- question that holds the condition.

local function line_at(text, pos)
  local n = 1
  for _ in text:sub(1, pos):gmatch("\n") do n = n + 1 end
  return n
end

-- The plugins' files, base plugin first, init.lua first in each.
local function files_of(sources, chain)
  local rank = {}
  for i, def in ipairs(chain) do
    if type(def) == "table" and def._plugin then rank[def._plugin] = i end
  end
  local files = sorted_keys(sources or {})
  table.sort(files, function(a, b)
    local pa, pb = a:match("^([^/]*)/"), b:match("^([^/]*)/")
    local ra, rb = rank[pa] or 99, rank[pb] or 99
    if ra ~= rb then return ra < rb end
    local ia, ib = a:match("^[^/]*/init%.lua$") ~= nil, b:match("^[^/]*/init%.lua$") ~= nil
    if ia ~= ib then return ia end
    return a < b
  end)
  return files
end

local function plain(s) return (s:gsub("%p", "%%%0")) end

local function id_pattern(id)
  return "id%s*=%s*[\"']" .. plain(id) .. "[\"']"
end

local REFINE = {
  -- The text itself, written as a Lua string in either quote or as %q.
  function(sources, files, p)
    if not p.text then return nil end
    for _, form in ipairs({ '"' .. p.text .. '"', "'" .. p.text .. "'",
        string.format("%q", p.text), "[[" .. p.text .. "]]" }) do
      for _, f in ipairs(files) do
        local pos = sources[f]:find(form, 1, true)
        if pos then return f .. ":" .. line_at(sources[f], pos) end
      end
    end
  end,
  -- The last definition of a duplicate id.
  function(sources, files, p)
    local id = p.msg:match("^duplicate question id ([%w_]+)$")
      or p.msg:match("^duplicate area id ([%w_]+)$")
    if not id then return nil end
    local at
    for _, f in ipairs(files) do
      for pos in sources[f]:gmatch("()" .. id_pattern(id)) do
        at = f .. ":" .. line_at(sources[f], pos)
      end
    end
    return at
  end,
  -- A translation of a key the set lacks: the key in the translations.
  function(sources, files, p)
    local key = p.msg:match("^translation of unknown text (%S+)")
    if not key then return nil end
    for _, f in ipairs(files) do
      local pos = sources[f]:find("[\"']" .. plain(key) .. "[\"']")
      if pos then return f .. ":" .. line_at(sources[f], pos) end
    end
  end,
  -- An option: its id after its question's (option ids repeat across
  -- questions: yes, no, good...).
  function(sources, files, p)
    local qid, oid = p.where:match("^([%w_]+)%.([%w_]+)$")
    if not qid or qid == "area" or qid == "alert" then return nil end
    for _, f in ipairs(files) do
      local start = sources[f]:find(id_pattern(qid))
      local pos = start and sources[f]:find(id_pattern(oid), start)
      if pos then return f .. ":" .. line_at(sources[f], pos) end
    end
  end,
  -- The id a condition names, after the question the condition is on.
  function(sources, files, p)
    local qid = p.where:match("^([%w_]+) when$") or p.where:match("^([%w_]+) followups%[%d+%]$")
    local word = p.msg:match("([%a][%w_]*)%s*$")
    if not qid or not word then return nil end
    for _, f in ipairs(files) do
      local start = sources[f]:find(id_pattern(qid))
      local pos = start and sources[f]:find("[\"']" .. plain(word) .. "[\"']", start)
      if pos then return f .. ":" .. line_at(sources[f], pos) end
    end
  end,
}

local function where_is(sources, chain, files, p)
  for _, f in ipairs(REFINE) do
    local at = f(sources, files, p)
    if at then return at end
  end
  return locate.locate(sources, chain, p)
end

---------------------------------------------------------------------------
-- Coverage: the share of the set's texts each language has.

local function coverage(set)
  local lines, incomplete = {}, 0
  local texts = Q.texts(set)
  for _, lang in ipairs(set.languages) do
    local missing = {}
    for _, e in ipairs(texts) do
      if (e.text[lang] or "") == "" then missing[#missing + 1] = e.key end
    end
    local have, n = #texts - #missing, #texts
    local pct = n == 0 and 100 or math.floor(have * 100 / n + 0.5)
    if pct == 100 and have < n then pct = 99 end
    local s = "coverage " .. tostring(lang) .. ": " .. pct .. "% (" .. have .. "/" .. n .. ")"
    if #missing > 0 then
      incomplete = incomplete + 1
      local named = {}
      for i = 1, math.min(#missing, MISSING_MAX) do named[i] = missing[i] end
      s = s .. "; missing: " .. table.concat(named, ", ")
      if #missing > MISSING_MAX then s = s .. " and " .. (#missing - MISSING_MAX) .. " more" end
    end
    local status = set.translation_status and set.translation_status[lang]
    if status ~= nil then s = s .. "; translation: " .. tostring(status) end
    lines[#lines + 1] = s
  end
  return lines, incomplete
end

---------------------------------------------------------------------------

-- report(set, chain, sources) -> lines, errors, warnings.  The set's own
-- problems and the analyses' as "file:line: level: where: message", sorted
-- by file and line (unplaced ones last), then the coverage lines; a
-- language below 100% counts as a warning.
function C.report(set, chain, sources)
  local problems = {}
  for _, p in ipairs(set.problems) do problems[#problems + 1] = p end
  local function add(level, where, msg, text)
    problems[#problems + 1] = { level = level, where = where, msg = msg, text = text }
  end
  if set.areas and set.index and set.order and set.languages then
    for _, analyse in ipairs(ANALYSES) do analyse(set, add, chain) end
  end
  local files = files_of(sources, chain)
  local rows, errors, warnings = {}, 0, 0
  for i, p in ipairs(problems) do
    local at = where_is(sources, chain, files, p)
    local file, line = (at or ""):match("^(.-):(%d+)$")
    rows[#rows + 1] = {
      file = file or at or "\255", line = tonumber(line) or 0, n = i,
      text = (at and at .. ": " or "") .. p.level .. ": " .. p.where .. ": " .. p.msg,
    }
    if p.level == "error" then errors = errors + 1 else warnings = warnings + 1 end
  end
  table.sort(rows, function(a, b)
    if a.file ~= b.file then return a.file < b.file end
    if a.line ~= b.line then return a.line < b.line end
    return a.n < b.n
  end)
  local lines = {}
  for _, r in ipairs(rows) do lines[#lines + 1] = r.text end
  if set.languages then
    local cov, incomplete = coverage(set)
    for _, l in ipairs(cov) do lines[#lines + 1] = l end
    warnings = warnings + incomplete
  end
  return lines, errors, warnings
end

---------------------------------------------------------------------------
-- dump: the set as loaded, as JSON, for authors and the tests.

local ARRAY = {}	-- metatable marking a list, so an empty one is []
local JSON_ESCAPES = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\t"] = "\\t" }

local function array(t)
  return setmetatable(t or {}, ARRAY)
end

local function json(v, out)
  local t = type(v)
  if t == "table" then
    local n = #v
    local count = 0
    for _ in pairs(v) do count = count + 1 end
    if getmetatable(v) == ARRAY or (n > 0 and count == n) then
      out[#out + 1] = "["
      for i = 1, n do
        if i > 1 then out[#out + 1] = "," end
        json(v[i], out)
      end
      out[#out + 1] = "]"
    else
      out[#out + 1] = "{"
      for i, k in ipairs(sorted_keys(v)) do
        if i > 1 then out[#out + 1] = "," end
        json(tostring(k), out)
        out[#out + 1] = ":"
        json(v[k], out)
      end
      out[#out + 1] = "}"
    end
  elseif t == "string" then
    out[#out + 1] = '"' .. v:gsub('[%c"\\]', function(ch)
      return JSON_ESCAPES[ch] or string.format("\\u%04x", ch:byte())
    end) .. '"'
  elseif t == "number" then
    out[#out + 1] = math.type(v) == "integer" and string.format("%d", v)
      or string.format("%.17g", v)
  elseif t == "boolean" then
    out[#out + 1] = tostring(v)
  elseif t == "function" then
    out[#out + 1] = '"<function>"'
  else
    out[#out + 1] = "null"
  end
end
C.json = function(v)
  local out = {}
  json(v, out)
  return table.concat(out)
end

-- dump(set, chain, sources) -> JSON of the set: its settings, the areas
-- with their top-level questions, every question in asking order (type,
-- area, parent, condition in words, options with weights), every text by
-- key, the scoring rules, the alerts and the report's problem lines.
function C.dump(set, chain, sources)
  local d = {
    id = set.id, language = set.language, languages = array(set.languages),
    name = set.name, branding = set.branding, help = array(), areas = array(),
    order = array(), texts = {}, rules = array(), alerts = array(),
    translation_status = set.translation_status,
  }
  for _, c in ipairs(set.help or {}) do
    d.help[#d.help + 1] = { name = c.name, text = c.text, phone = c.phone, url = c.url }
  end
  for _, a in ipairs(set.areas or {}) do
    local ids = array()
    for _, q in ipairs(a.questions) do ids[#ids + 1] = q.id end
    d.areas[#d.areas + 1] = { id = a.id, title = a.title, questions = ids }
  end
  for _, q in ipairs(set.order or {}) do
    local e = { id = q.id, type = q.type, area = q.area and q.area.id,
      parent = q.parent and q.parent.id, ages = q.ages and array(q.ages),
      when = q.when ~= nil and graph.describe(q.when, nil) or nil }
    if q.options then
      e.options = array()
      for _, o in ipairs(q.options) do
        e.options[#e.options + 1] = { id = o.id, risk = o.risk, resource = o.resource, none = o.none }
      end
    end
    if #q.followups > 0 then
      e.followups = array()
      for _, g in ipairs(q.followups) do
        local ids = array()
        for _, x in ipairs(g.questions) do ids[#ids + 1] = x.id end
        e.followups[#e.followups + 1] = { when = graph.describe(g.when, q.id), questions = ids }
      end
    end
    d.order[#d.order + 1] = e
  end
  if set.order then
    for _, e in ipairs(Q.texts(set)) do d.texts[e.key] = e.text end
  end
  for _, r in ipairs(set.rules or {}) do
    d.rules[#d.rules + 1] = { area = r.area, risk = r.risk, resource = r.resource,
      when = graph.describe(r.when, nil) }
  end
  for _, r in ipairs(set.alerts or {}) do
    d.alerts[#d.alerts + 1] = { id = r.id, when = graph.describe(r.when, nil),
      guidance = r.guidance, message = r.message }
  end
  d.problems = array((C.report(set, chain, sources)))
  return C.json(d) .. "\n"
end

return C
