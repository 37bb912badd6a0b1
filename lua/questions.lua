-- questions.lua: the question-set language.  A plugin returns plain data:
--
--   { id = "demo", language = "sv", languages = { "sv", "en" },
--     areas = { { id = "home", title = { sv = "Hemma", en = "Home" },
--       questions = { { id = "home_feel", type = "single",
--         text = { sv = "...", en = "..." },
--         options = { { id = "good", text = {...} }, ... },
--         followups = { { when = { any_of = { "bad" } },
--                         questions = { ... } } } } } } } }
--
-- load() checks the data and flattens the tree into the order children are
-- asked in (a question, then its active follow-ups, then its next sibling);
-- canonical() is the stable text whose hash is the set's version; next()
-- and accept() decide the flow from the child's answers.  Answers are kept
-- as tagged strings: "o:ID", "m:ID ID", "t:TEXT", "n:NUMBER", "s:skip",
-- "s:unclear".
local Q = {}

local TYPES = {
  single = true, multi = true, yesno = true, faces = true, number = true,
  text = true, info = true,
}
local TEXT_MAX = 2000

local function fail(where, msg)
  error(where .. ": " .. msg, 0)
end

local function valid_id(s)
  return type(s) == "string" and s:match("^[a-z][a-z0-9_]*$") ~= nil and #s <= 64
end

local function check_text(where, t, what)
  if type(t) == "string" then return { [""] = t } end
  if type(t) ~= "table" then fail(where, what .. " must be a text table") end
  for k, v in pairs(t) do
    if type(k) ~= "string" or type(v) ~= "string" then
      fail(where, what .. " must map language codes to strings")
    end
  end
  return t
end

-- Built-in options of the fixed answer types, with their texts.
local BUILTIN = {
  yesno = {
    { id = "yes", text = { sv = "Ja", en = "Yes" } },
    { id = "no", text = { sv = "Nej", en = "No" } },
    { id = "dont_know", text = { sv = "Vet inte", en = "Don't know" } },
  },
  faces3 = {
    { id = "good", face = "🙂", text = { sv = "Bra", en = "Good" } },
    { id = "ok", face = "😐", text = { sv = "Okej", en = "Okay" } },
    { id = "bad", face = "🙁", text = { sv = "Dåligt", en = "Bad" } },
  },
  faces5 = {
    { id = "very_good", face = "😄", text = { sv = "Mycket bra", en = "Very good" } },
    { id = "good", face = "🙂", text = { sv = "Bra", en = "Good" } },
    { id = "ok", face = "😐", text = { sv = "Okej", en = "Okay" } },
    { id = "bad", face = "🙁", text = { sv = "Dåligt", en = "Bad" } },
    { id = "very_bad", face = "😢", text = { sv = "Mycket dåligt", en = "Very bad" } },
  },
}

local load_questions

local function check_condition(where, c, parent, ids)
  if type(c) == "function" then return end
  if type(c) ~= "table" then fail(where, "a condition must be a table or a function") end
  if c.question ~= nil and not valid_id(c.question) then
    fail(where, "condition names a bad question id")
  end
  for _, k in ipairs({ "all", "any" }) do
    if c[k] ~= nil then
      for _, sub in ipairs(c[k]) do check_condition(where, sub, parent, ids) end
    end
  end
  if c["not"] ~= nil then check_condition(where, c["not"], parent, ids) end
  c.question = c.question or parent
end

local function load_question(where, q, area, parent, set)
  if type(q) ~= "table" then fail(where, "a question must be a table") end
  if not valid_id(q.id) then fail(where, "a question needs an id of a-z, 0-9 and _") end
  where = where .. " (" .. q.id .. ")"
  if set.index[q.id] then fail(where, "duplicate question id " .. q.id) end
  if not TYPES[q.type] then fail(where, "unknown type " .. tostring(q.type)) end
  local out = {
    id = q.id, type = q.type, area = area, parent = parent,
    text = check_text(where, q.text, "text"),
    hint = q.hint and check_text(where, q.hint, "hint") or nil,
    min = q.min, max = q.max,
  }
  local options = q.options
  if q.type == "yesno" then
    options = options or BUILTIN.yesno
  elseif q.type == "faces" then
    options = options or (q.steps == 3 and BUILTIN.faces3 or BUILTIN.faces5)
  end
  if q.type == "single" or q.type == "multi" or q.type == "yesno" or q.type == "faces" then
    if type(options) ~= "table" or #options < 2 then
      fail(where, "needs at least two options")
    end
    out.options, out.option_index = {}, {}
    for i, o in ipairs(options) do
      if not valid_id(o.id) then fail(where, "option " .. i .. " needs an id") end
      if out.option_index[o.id] then fail(where, "duplicate option " .. o.id) end
      local opt = { id = o.id, face = o.face, text = check_text(where, o.text, "option text") }
      out.options[i] = opt
      out.option_index[o.id] = opt
    end
  elseif q.type == "number" then
    if type(q.min) ~= "number" or type(q.max) ~= "number" or q.min > q.max then
      fail(where, "a number question needs min <= max")
    end
  elseif q.type == "text" then
    out.max = math.tointeger(q.max) or 500
    if out.max < 1 or out.max > TEXT_MAX then fail(where, "max must be 1.." .. TEXT_MAX) end
  end
  set.index[q.id] = out
  set.order[#set.order + 1] = out
  out.followups = {}
  for i, f in ipairs(q.followups or {}) do
    local fw = where .. " followups[" .. i .. "]"
    if type(f) ~= "table" or f.when == nil then fail(fw, "needs a 'when' condition") end
    check_condition(fw, f.when, q.id, set.index)
    local group = { when = f.when, questions = {} }
    out.followups[i] = group
    load_questions(fw, f.questions, area, out, set, group.questions)
  end
  return out
end

load_questions = function(where, list, area, parent, set, into)
  if type(list) ~= "table" then fail(where, "questions must be a list") end
  for i, q in ipairs(list) do
    into[#into + 1] = load_question(where .. " questions[" .. i .. "]", q, area, parent, set)
  end
end

-- Checks and normalises a plugin's set; returns the set or raises an error
-- naming the place in the data.
function Q.load(def, default_lang, name)
  name = name or "set"
  if type(def) ~= "table" then fail(name, "the plugin must return a table") end
  local set = {
    id = def.id, language = def.language or default_lang,
    languages = def.languages or { def.language or default_lang },
    areas = {}, index = {}, order = {}, area_index = {},
    help = def.help,
  }
  if not valid_id(set.id) then fail(name, "the set needs an id") end
  if type(def.areas) ~= "table" or #def.areas == 0 then fail(name, "the set needs areas") end
  for i, a in ipairs(def.areas) do
    local where = name .. ": areas[" .. i .. "]"
    if type(a) ~= "table" or not valid_id(a.id) then fail(where, "an area needs an id") end
    if set.area_index[a.id] then fail(where, "duplicate area " .. a.id) end
    local area = { id = a.id, title = check_text(where, a.title, "title"), questions = {} }
    set.areas[i] = area
    set.area_index[a.id] = area
    load_questions(where, a.questions, area, nil, set, area.questions)
  end
  -- Conditions may only name questions that exist.
  local function verify(where, c)
    if type(c) ~= "table" then return end
    if c.question and not set.index[c.question] then
      fail(where, "condition names unknown question " .. c.question)
    end
    for _, k in ipairs({ "all", "any" }) do
      for _, sub in ipairs(c[k] or {}) do verify(where, sub) end
    end
    verify(where, c["not"])
  end
  for _, q in ipairs(set.order) do
    for _, f in ipairs(q.followups) do verify(name .. ": " .. q.id, f.when) end
  end
  return set
end

-- A stable text of the set's data: keys sorted, functions by their place.
local function serialize(v, out, seen)
  local t = type(v)
  if t == "table" then
    if seen[v] then out[#out + 1] = "<cycle>" return end
    seen[v] = true
    local keys = {}
    for k in pairs(v) do
      if k ~= "parent" and k ~= "area" and k ~= "option_index" then keys[#keys + 1] = k end
    end
    table.sort(keys, function(a, b)
      if type(a) == type(b) then return a < b end
      return type(a) == "number"
    end)
    out[#out + 1] = "{"
    for _, k in ipairs(keys) do
      out[#out + 1] = string.format("%q=", k)
      serialize(v[k], out, seen)
      out[#out + 1] = ","
    end
    out[#out + 1] = "}"
    seen[v] = nil
  elseif t == "string" then
    out[#out + 1] = string.format("%q", v)
  elseif t == "function" then
    out[#out + 1] = "<function>"
  else
    out[#out + 1] = tostring(v)
  end
end

function Q.canonical(set)
  local out = {}
  serialize({ id = set.id, language = set.language, languages = set.languages,
    areas = set.areas, help = set.help }, out, {})
  return table.concat(out)
end

-- Option ids an answer holds ("o:x" -> {x}, "m:x y" -> {x, y}).
local function chosen(value)
  if not value then return {} end
  local tag, rest = value:match("^(%a):(.*)$")
  if tag == "o" then return { rest } end
  if tag == "m" then
    local ids = {}
    for id in rest:gmatch("%S+") do ids[#ids + 1] = id end
    return ids
  end
  return {}
end

local function number_of(value)
  local n = value and value:match("^n:(.*)$")
  return n and tonumber(n)
end

local function holds(value, id)
  for _, c in ipairs(chosen(value)) do
    if c == id then return true end
  end
  return false
end

-- Evaluates a condition against the answers.
local function test(c, answers)
  if type(c) == "function" then
    return c(answers) and true or false
  end
  local value = answers[c.question]
  local ok = true
  if c.equals ~= nil then ok = ok and holds(value, c.equals) end
  if c.any_of ~= nil then
    local any = false
    for _, id in ipairs(c.any_of) do any = any or holds(value, id) end
    ok = ok and any
  end
  if c.at_least ~= nil then
    local n = number_of(value)
    ok = ok and n ~= nil and n >= c.at_least
  end
  if c.at_most ~= nil then
    local n = number_of(value)
    ok = ok and n ~= nil and n <= c.at_most
  end
  if c.all ~= nil then
    for _, sub in ipairs(c.all) do ok = ok and test(sub, answers) end
  end
  if c.any ~= nil then
    local any = false
    for _, sub in ipairs(c.any) do any = any or test(sub, answers) end
    ok = ok and any
  end
  if c["not"] ~= nil then ok = ok and not test(c["not"], answers) end
  return ok
end

-- The active questions in the order they are asked.
function Q.active(set, answers)
  local list = {}
  local function walk(questions)
    for _, q in ipairs(questions) do
      list[#list + 1] = q
      if answers[q.id] then
        for _, f in ipairs(q.followups) do
          if test(f.when, answers) then walk(f.questions) end
        end
      end
    end
  end
  for _, a in ipairs(set.areas) do walk(a.questions) end
  return list
end

function Q.is_active(set, answers, id)
  for _, q in ipairs(Q.active(set, answers)) do
    if q.id == id then return true end
  end
  return false
end

-- The first active question without an answer, or nil when done.
function Q.next(set, answers)
  for _, q in ipairs(Q.active(set, answers)) do
    if answers[q.id] == nil then return q.id end
  end
  return nil
end

-- Checks a submission for question id: returns the tagged value to store,
-- or nil and the key of the message to show.
function Q.accept(set, answers, id, sub)
  local q = set.index[id]
  if not q or not Q.is_active(set, answers, id) then
    return nil, "answer.inactive"
  end
  if sub.special == "skip" or sub.special == "unclear" then
    return "s:" .. sub.special
  elseif sub.special ~= nil then
    return nil, "answer.invalid"
  end
  local given = sub.answer or {}
  if q.type == "info" then
    return "s:seen"
  elseif q.type == "multi" then
    if #given == 0 then return nil, "answer.invalid" end
    local ids, seen = {}, {}
    for _, v in ipairs(given) do
      if not q.option_index[v] then return nil, "answer.invalid" end
      if not seen[v] then ids[#ids + 1] = v; seen[v] = true end
    end
    table.sort(ids)
    return "m:" .. table.concat(ids, " ")
  elseif q.options then
    if #given ~= 1 or not q.option_index[given[1]] then return nil, "answer.invalid" end
    return "o:" .. given[1]
  elseif q.type == "number" then
    local n = #given == 1 and given[1]:match("^%s*(-?%d+)%s*$")
    n = n and tonumber(n)
    if not n or n < q.min or n > q.max then return nil, "answer.invalid" end
    return "n:" .. math.tointeger(n)
  elseif q.type == "text" then
    local text = given[1] or ""
    if #given > 1 then return nil, "answer.invalid" end
    if utf8.len(text) == nil then return nil, "answer.invalid" end
    if utf8.len(text) > q.max then return nil, "answer.too_long" end
    return "t:" .. text
  end
  return nil, "answer.invalid"
end

-- The text for lang, falling back to the set's language; second result
-- true when it fell back (so the page can mark it).
function Q.text(set, t, lang)
  if t == nil then return nil end
  if t[lang] then return t[lang], false end
  if t[""] then return t[""], false end
  if t[set.language] then return t[set.language], true end
  for _, l in ipairs(set.languages) do
    if t[l] then return t[l], true end
  end
  local _, any = next(t)
  return any, true
end

Q.chosen = chosen
return Q
