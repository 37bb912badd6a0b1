-- questions.lua: the question-set language (see beratta-plugin(5)).
--
-- A plugin returns plain data.  load() takes the chain of plugins, base
-- first and each municipal layer after it, applies the layers' steps,
-- checks everything, and returns the set with a list of problems (errors
-- refuse the set; warnings do not).  The set is flattened into the order
-- children are asked in: a question, then its active follow-ups, then its
-- next sibling.  canonical() is a stable Lua text of the set whose hash is
-- its version, and from_canonical() reads it back, so old answers render as
-- they were asked.  next(), accept() and summary() decide from the child's
-- answers, kept as tagged strings: "o:ID", "m:ID ID", "t:TEXT", "n:NUMBER",
-- "s:skip", "s:unclear", "s:seen".
local Q = {}

Q.TYPES = {
  single = true, multi = true, yesno = true, faces = true, number = true,
  text = true, info = true,
}
-- The age bands, youngest first: defined once in the core (core/invite.c),
-- which hands them to the runtime as core.ages.
Q.AGES = core.ages
Q.ROLES = { help_wanted = true, talk_to = true }
-- The drawn faces a face scale may show (lua/static/faces/NAME.svg).
Q.FACES = { very_good = true, good = true, ok = true, bad = true, very_bad = true }
local AGE = {}
for _, a in ipairs(Q.AGES) do AGE[a] = true end
local TEXT_MAX = 2000
-- Words an option id may not be: they name the other texts of a question.
local RESERVED = { hint = true, easy = true, age = true, text = true }

local function valid_id(s)
  return type(s) == "string" and #s <= 64 and s:match("^[a-z][a-z0-9_]*$") ~= nil
end
Q.valid_id = valid_id

-- Built-in options of the fixed answer types, with their texts.
local BUILTIN = {
  yesno = {
    { id = "yes", text = { sv = "Ja", en = "Yes" } },
    { id = "no", text = { sv = "Nej", en = "No" } },
    { id = "dont_know", text = { sv = "Vet inte", en = "Don't know" } },
  },
  faces3 = {
    { id = "good", face = "good", text = { sv = "Bra", en = "Good" } },
    { id = "ok", face = "ok", text = { sv = "Okej", en = "Okay" } },
    { id = "bad", face = "bad", text = { sv = "Dåligt", en = "Bad" } },
  },
  faces5 = {
    { id = "very_good", face = "very_good", text = { sv = "Mycket bra", en = "Very good" } },
    { id = "good", face = "good", text = { sv = "Bra", en = "Good" } },
    { id = "ok", face = "ok", text = { sv = "Okej", en = "Okay" } },
    { id = "bad", face = "bad", text = { sv = "Dåligt", en = "Bad" } },
    { id = "very_bad", face = "very_bad", text = { sv = "Mycket dåligt", en = "Very bad" } },
  },
}

local function copy(v)
  if type(v) ~= "table" then return v end
  local t = {}
  for k, x in pairs(v) do t[k] = copy(x) end
  return t
end

---------------------------------------------------------------------------
-- Problems: every check adds one instead of stopping, so a checker can show
-- them all.  `where` names a question, option, area or step.

local function problem(set, level, where, msg)
  set.problems[#set.problems + 1] = { level = level, where = where, msg = msg }
end
local function err(set, where, msg) problem(set, "error", where, msg) end
local function warn(set, where, msg) problem(set, "warning", where, msg) end

-- A text is a string (in the set's language) or { lang = string }.
local function text_table(set, where, t, what, required)
  if t == nil then
    if required then err(set, where, what .. " is missing") end
    return nil
  end
  if type(t) == "string" then return { [set.language] = t } end
  if type(t) ~= "table" then
    err(set, where, what .. " must be a string or a table of languages")
    return nil
  end
  local out = {}
  for k, v in pairs(t) do
    if type(k) ~= "string" or type(v) ~= "string" then
      err(set, where, what .. " must map language codes to strings")
    else
      out[k] = v
    end
  end
  return out
end

---------------------------------------------------------------------------
-- Building a set from a base plugin.

local build_questions

local function build_options(set, where, q, options)
  if type(options) ~= "table" or #options < 2 then
    err(set, where, "needs at least two options")
    return
  end
  q.options, q.option_index = {}, {}
  for i, o in ipairs(options) do
    local ow = where .. " option " .. i
    if type(o) ~= "table" or not valid_id(o.id) then
      err(set, ow, "an option needs an id of a-z, 0-9 and _")
    elseif RESERVED[o.id] then
      err(set, ow, "option id '" .. o.id .. "' is reserved")
    elseif q.option_index[o.id] then
      err(set, ow, "duplicate option id " .. o.id)
    elseif o.face ~= nil and not Q.FACES[o.face] then
      err(set, ow, "unknown face " .. tostring(o.face) .. " (very_good, good, ok, bad, very_bad)")
    elseif o.none ~= nil and o.none ~= true then
      err(set, ow, "none is true or left out")
    else
      local opt = {
        id = o.id, face = o.face,
        text = text_table(set, where .. "." .. o.id, o.text, "option text", true),
        risk = o.risk, resource = o.resource, none = o.none,
      }
      q.options[#q.options + 1] = opt
      q.option_index[o.id] = opt
    end
  end
end

local function build_question(set, where, src, area, parent)
  if type(src) ~= "table" then
    err(set, where, "a question must be a table")
    return nil
  end
  if not valid_id(src.id) then
    err(set, where, "a question needs an id of a-z, 0-9 and _")
    return nil
  end
  where = src.id
  if set.index[src.id] then
    err(set, where, "duplicate question id " .. src.id)
    return nil
  end
  local q = {
    id = src.id, type = src.type, area = area, parent = parent,
    text = text_table(set, where, src.text, "text", true),
    easy = text_table(set, where, src.easy, "easy"),
    hint = text_table(set, where, src.hint, "hint"),
    audio = src.audio, role = src.role, when = src.when, ages = src.ages,
    min = src.min, max = src.max, steps = src.steps, followups = {},
  }
  set.index[q.id] = q
  if not Q.TYPES[q.type] then
    err(set, where, "unknown type " .. tostring(q.type))
    q.type = "info"
  end
  if src.by_age ~= nil then
    q.by_age = {}
    if type(src.by_age) ~= "table" then
      err(set, where, "by_age must map age bands to texts")
    else
      for band, t in pairs(src.by_age) do
        if not AGE[band] then err(set, where, "unknown age band " .. tostring(band)) end
        q.by_age[band] = text_table(set, where, t, "by_age text", true)
      end
    end
  end
  if q.role ~= nil and not Q.ROLES[q.role] then
    err(set, where, "unknown role " .. tostring(q.role))
  end
  if q.ages ~= nil then
    if type(q.ages) ~= "table" or #q.ages == 0 then
      err(set, where, "ages must be a list of age bands")
      q.ages = nil
    else
      for _, a in ipairs(q.ages) do
        if not AGE[a] then err(set, where, "unknown age band " .. tostring(a)) end
      end
    end
  end
  if q.audio ~= nil then
    if type(q.audio) ~= "table" then
      err(set, where, "audio must map languages to file names")
    else
      for lang, file in pairs(q.audio) do
        if type(file) ~= "string" or file:find("..", 1, true)
          or not file:match("^[%w_][%w_/.-]*%.[%a%d]+$")
          or not file:match("%.ogg$") and not file:match("%.mp3$")
            and not file:match("%.m4a$") and not file:match("%.opus$") then
          err(set, where, "audio for " .. tostring(lang)
            .. " must be a file in the plugin's folder (.ogg, .mp3, .m4a or .opus)")
        end
      end
      -- Served from the folder of the plugin that names it.
      q.audio_plugin = set.current_plugin
    end
  end
  local options = src.options
  if q.type == "yesno" then
    options = options or copy(BUILTIN.yesno)
  elseif q.type == "faces" then
    if src.steps ~= nil and src.steps ~= 3 and src.steps ~= 5 then
      err(set, where, "a face scale has 3 or 5 steps")
    end
    options = options or copy(src.steps == 3 and BUILTIN.faces3 or BUILTIN.faces5)
  end
  if q.type == "single" or q.type == "multi" or q.type == "yesno" or q.type == "faces" then
    build_options(set, where, q, options)
  elseif options ~= nil then
    err(set, where, "a " .. q.type .. " question has no options")
  end
  if q.type == "number" then
    if math.type(q.min) ~= "integer" or math.type(q.max) ~= "integer" or q.min > q.max then
      err(set, where, "a number question needs integer min <= max")
      q.min, q.max = 0, 0
    end
  elseif q.type == "text" then
    q.max = math.tointeger(q.max) or 500
    if q.max < 1 or q.max > TEXT_MAX then
      err(set, where, "max must be 1.." .. TEXT_MAX)
      q.max = 500
    end
  end
  for i, f in ipairs(src.followups or {}) do
    local fw = where .. " followups[" .. i .. "]"
    if type(f) ~= "table" or f.when == nil then
      err(set, fw, "a follow-up group needs a 'when' condition")
    else
      local group = { when = f.when, questions = {} }
      q.followups[#q.followups + 1] = group
      build_questions(set, fw, f.questions, area, q, group.questions)
    end
  end
  return q
end

build_questions = function(set, where, list, area, parent, into)
  if type(list) ~= "table" then
    err(set, where, "questions must be a list")
    return
  end
  for i, src in ipairs(list) do
    local q = build_question(set, where .. " questions[" .. i .. "]", src, area, parent)
    if q then into[#into + 1] = q end
  end
end

local function build_area(set, where, a)
  if type(a) ~= "table" or not valid_id(a.id) then
    err(set, where, "an area needs an id of a-z, 0-9 and _")
    return nil
  end
  if set.area_index[a.id] then
    err(set, "area " .. a.id, "duplicate area id " .. a.id)
    return nil
  end
  local area = { id = a.id, title = text_table(set, "area " .. a.id, a.title, "title", true),
    questions = {} }
  set.area_index[a.id] = area
  build_questions(set, "area " .. a.id, a.questions, area, nil, area.questions)
  return area
end

local function build_rules(set, list, kind)
  local out = {}
  if list == nil then return out end
  if type(list) ~= "table" then
    err(set, kind, kind .. " must be a list")
    return out
  end
  for i, r in ipairs(list) do
    local where = kind .. "[" .. i .. "]"
    if type(r) ~= "table" or r.when == nil then
      err(set, where, "needs a 'when' condition")
    else
      local rule = copy(r)
      if kind == "alerts" then
        if not valid_id(r.id) then err(set, where, "an alert needs an id") end
        rule.guidance = text_table(set, "alert " .. tostring(r.id), r.guidance, "guidance", true)
        rule.message = text_table(set, "alert " .. tostring(r.id), r.message, "message")
      elseif (r.risk == nil) == (r.resource == nil) then
        err(set, where, "a scoring rule gives either risk or resource")
      end
      rule.where = where
      out[#out + 1] = rule
    end
  end
  return out
end

local function new_set(def, default_lang)
  local set = {
    id = def.id, language = def.language or default_lang or "sv",
    areas = {}, index = {}, area_index = {}, problems = {},
  }
  set.languages = def.languages or { set.language }
  set.name = text_table(set, "name", def.name, "name")
  set.branding = copy(def.branding)
  set.help = {}
  set.translation_status = copy(def.translation_status)
  return set
end

-- Builds the help contacts; with keep, after the ones the set has (a
-- layer's help_add), else instead of them.
local function build_help(set, help, keep)
  if not keep then set.help = {} end
  if help == nil then return end
  if type(help) ~= "table" then
    err(set, "help", "help must be a list of contacts")
    return
  end
  for i, c in ipairs(help) do
    local where = (keep and "help_add[" or "help[") .. i .. "]"
    if type(c) ~= "table" then
      err(set, where, "a help contact must be a table")
    else
      set.help[#set.help + 1] = {
        name = text_table(set, where, c.name, "name", true),
        text = text_table(set, where, c.text, "text"),
        phone = c.phone, url = c.url,
      }
      if c.url ~= nil and (type(c.url) ~= "string" or not c.url:match("^https?://")) then
        err(set, where, "url must start with https:// or http://")
      end
    end
  end
end

---------------------------------------------------------------------------
-- Municipal layers: steps that add, remove, move, reword and re-score.

-- The list that holds q and its position in it.
local function container(q)
  local list
  if q.parent then
    for _, g in ipairs(q.parent.followups) do
      for i, x in ipairs(g.questions) do
        if x == q then return g.questions, i end
      end
    end
  else
    list = q.area.questions
    for i, x in ipairs(list) do
      if x == q then return list, i end
    end
  end
  return nil
end

local function unindex(set, q)
  set.index[q.id] = nil
  set.removed = set.removed or {}
  set.removed[q.id] = true
  for _, g in ipairs(q.followups) do
    for _, x in ipairs(g.questions) do unindex(set, x) end
  end
end

local function reparent(q, area, parent)
  q.area, q.parent = area, parent
  for _, g in ipairs(q.followups) do
    for _, x in ipairs(g.questions) do reparent(x, area, q) end
  end
end

-- Where a step puts a question: after/before a question, or at the end of
-- an area; returns list, index, area, parent.
local function place(set, where, step)
  local ref = step.after or step.before
  if ref ~= nil then
    local q = set.index[ref]
    if not q then
      err(set, where, "unknown question id " .. tostring(ref))
      return nil
    end
    local list, i = container(q)
    return list, step.after and i + 1 or i, q.area, q.parent
  end
  if step.area ~= nil then
    local area = set.area_index[step.area]
    if not area then
      err(set, where, "unknown area id " .. tostring(step.area))
      return nil
    end
    return area.questions, #area.questions + 1, area, nil
  end
  err(set, where, "needs after, before or area")
  return nil
end

local STEPS = {}

function STEPS.add(set, where, step)
  local list, i, area, parent = place(set, where, step)
  if not list then return end
  local q = build_question(set, where, step.add, area, parent)
  if q then table.insert(list, i, q) end
end

function STEPS.add_area(set, where, step)
  local area = build_area(set, where, step.add_area)
  if not area then return end
  local pos = #set.areas + 1
  local ref = step.after or step.before
  if ref ~= nil then
    pos = nil
    for i, a in ipairs(set.areas) do
      if a.id == ref then pos = step.after and i + 1 or i end
    end
    if not pos then
      err(set, where, "unknown area id " .. tostring(ref))
      return
    end
  end
  table.insert(set.areas, pos, area)
end

function STEPS.remove(set, where, step)
  local q = set.index[step.remove]
  if not q then
    if set.area_index[step.remove] then
      local a = set.area_index[step.remove]
      for i, x in ipairs(set.areas) do
        if x == a then table.remove(set.areas, i) end
      end
      for _, x in ipairs(a.questions) do unindex(set, x) end
      set.area_index[step.remove] = nil
      return
    end
    err(set, where, "unknown question id " .. tostring(step.remove))
    return
  end
  local list, i = container(q)
  table.remove(list, i)
  unindex(set, q)
end

function STEPS.move(set, where, step)
  local q = set.index[step.move]
  if not q then
    err(set, where, "unknown question id " .. tostring(step.move))
    return
  end
  local ref = step.after or step.before
  if ref ~= nil then
    local r = set.index[ref]
    while r do
      if r == q then
        err(set, where, "cannot move a question into its own follow-ups")
        return
      end
      r = r.parent
    end
  end
  local from, i = container(q)
  table.remove(from, i)
  local list, j, area, parent = place(set, where, step)
  if not list then
    table.insert(from, i, q)
    return
  end
  reparent(q, area, parent)
  table.insert(list, j, q)
end

local function merge_text(set, where, old, new, what)
  local t = text_table(set, where, new, what)
  if t == nil then return old end
  local out = copy(old) or {}
  for k, v in pairs(t) do out[k] = v end
  return out
end

function STEPS.reword(set, where, step)
  local q = set.index[step.reword]
  if not q then
    local area = set.area_index[step.reword]
    if area and step.title then
      area.title = merge_text(set, where, area.title, step.title, "title")
      return
    end
    err(set, where, "unknown question id " .. tostring(step.reword))
    return
  end
  for _, k in ipairs({ "text", "easy", "hint" }) do
    if step[k] ~= nil then q[k] = merge_text(set, where, q[k], step[k], k) end
  end
  if step.by_age ~= nil then
    q.by_age = q.by_age or {}
    for band, t in pairs(step.by_age) do
      if not AGE[band] then err(set, where, "unknown age band " .. tostring(band)) end
      q.by_age[band] = merge_text(set, where, q.by_age[band], t, "by_age")
    end
  end
  for id, t in pairs(step.options or {}) do
    local o = q.option_index and q.option_index[id]
    if not o then
      err(set, where, "question " .. q.id .. " has no option " .. tostring(id))
    else
      o.text = merge_text(set, where, o.text, t, "option text")
    end
  end
end

function STEPS.rescore(set, where, step)
  local q = set.index[step.rescore]
  if not q then
    err(set, where, "unknown question id " .. tostring(step.rescore))
    return
  end
  for id, s in pairs(step.options or {}) do
    local o = q.option_index and q.option_index[id]
    if not o then
      err(set, where, "question " .. q.id .. " has no option " .. tostring(id))
    elseif type(s) ~= "table" then
      err(set, where, "options must map option ids to { risk =, resource = }")
    else
      o.risk, o.resource = s.risk, s.resource
    end
  end
end

local function apply_layer(set, def, n)
  local lw = "layer " .. n
  if def.language ~= nil then set.language = def.language end
  if def.languages ~= nil then set.languages = copy(def.languages) end
  if def.name ~= nil then set.name = merge_text(set, lw, set.name, def.name, "name") end
  if def.branding ~= nil then
    set.branding = set.branding or {}
    for k, v in pairs(def.branding) do set.branding[k] = copy(v) end
  end
  if def.help ~= nil then build_help(set, def.help) end
  if def.help_add ~= nil then build_help(set, def.help_add, true) end
  if def.translation_status ~= nil then
    set.translation_status = set.translation_status or {}
    for k, v in pairs(def.translation_status) do set.translation_status[k] = v end
  end
  if def.steps ~= nil and type(def.steps) ~= "table" then
    err(set, lw, "steps must be a list")
    return
  end
  for i, step in ipairs(def.steps or {}) do
    local where = lw .. " steps[" .. i .. "]"
    local kind
    for k in pairs(STEPS) do
      if type(step) == "table" and step[k] ~= nil then
        if kind then err(set, where, "a step does one thing: " .. kind .. " and " .. k) end
        kind = k
      end
    end
    if not kind then
      err(set, where, "unknown step (add, add_area, remove, move, reword, rescore)")
    else
      STEPS[kind](set, where, step)
    end
  end
  for _, r in ipairs(build_rules(set, def.scoring, "scoring")) do
    set.scoring[#set.scoring + 1] = r
  end
  for _, r in ipairs(build_rules(set, def.alerts, "alerts")) do
    set.alerts[#set.alerts + 1] = r
  end
end

---------------------------------------------------------------------------
-- Texts: every translatable text of the set, by a stable key.  The keys are
-- those of translations and of the PO files (msgctxt).

function Q.texts(set)
  local list = {}
  local function add(key, t, owner, field)
    if t ~= nil then list[#list + 1] = { key = key, text = t, owner = owner, field = field } end
  end
  add("name", set.name, set, "name")
  for i, c in ipairs(set.help) do
    add("help." .. i .. ".name", c.name, c, "name")
    add("help." .. i .. ".text", c.text, c, "text")
  end
  for _, a in ipairs(set.areas) do add("area." .. a.id, a.title, a, "title") end
  for _, q in ipairs(set.order) do
    add(q.id, q.text, q, "text")
    add(q.id .. ".easy", q.easy, q, "easy")
    add(q.id .. ".hint", q.hint, q, "hint")
    for _, band in ipairs(Q.AGES) do
      if q.by_age and q.by_age[band] then
        add(q.id .. ".age." .. band, q.by_age[band], q.by_age, band)
      end
    end
    for _, o in ipairs(q.options or {}) do add(q.id .. "." .. o.id, o.text, o, "text") end
  end
  for _, r in ipairs(set.alerts) do
    add("alert." .. tostring(r.id) .. ".guidance", r.guidance, r, "guidance")
    add("alert." .. tostring(r.id) .. ".message", r.message, r, "message")
  end
  return list
end

local function apply_translations(set, lang, tr, where)
  if type(tr) ~= "table" then
    err(set, where, "translations of " .. tostring(lang) .. " must be a table")
    return
  end
  local by_key = {}
  for _, e in ipairs(Q.texts(set)) do by_key[e.key] = e end
  for key, s in pairs(tr) do
    local e = by_key[key]
    local owner = type(key) == "string" and key:match("^([%w_]+)")
    if not e then
      -- A text of a question a layer removed needs no translation.
      if not (owner and (set.removed or {})[owner]) then
        warn(set, where, "translation of unknown text " .. tostring(key) .. " (" .. lang .. ")")
      end
    elseif type(s) ~= "string" then
      err(set, where, "translation of " .. key .. " must be a string")
    else
      e.owner[e.field][lang] = s
    end
  end
end

---------------------------------------------------------------------------
-- Conditions.

local function order_of(set)
  local order = {}
  local function walk(list)
    for _, q in ipairs(list) do
      order[#order + 1] = q
      for _, g in ipairs(q.followups) do walk(g.questions) end
    end
  end
  for _, a in ipairs(set.areas) do walk(a.questions) end
  return order
end

-- Checks a condition; `subject` is the question it speaks of by default.
-- Adds errors for unknown ids and for what can never be true.
local function check_condition(set, where, c, subject, pos)
  if type(c) == "function" then return end
  if type(c) ~= "table" then
    err(set, where, "a condition must be a table or a function")
    return
  end
  local known = { question = 1, equals = 1, any_of = 1, at_least = 1, at_most = 1,
    all = 1, any = 1, ["not"] = 1, age = 1, answered = 1 }
  for k in pairs(c) do
    if not known[k] then err(set, where, "unknown condition key " .. tostring(k)) end
  end
  for _, k in ipairs({ "all", "any" }) do
    if c[k] ~= nil then
      if type(c[k]) ~= "table" or #c[k] == 0 then
        err(set, where, k .. " needs a non-empty list of conditions")
      else
        for _, sub in ipairs(c[k]) do check_condition(set, where, sub, subject, pos) end
      end
    end
  end
  if c["not"] ~= nil then check_condition(set, where, c["not"], subject, pos) end
  if c.age ~= nil then
    local ages = type(c.age) == "table" and c.age or { c.age }
    for _, a in ipairs(ages) do
      if not AGE[a] then err(set, where, "never true: unknown age band " .. tostring(a)) end
    end
  end
  local speaks = c.equals ~= nil or c.any_of ~= nil or c.at_least ~= nil
    or c.at_most ~= nil or c.answered ~= nil
  if not speaks then return end
  local qid = c.question or subject
  if qid == nil then
    err(set, where, "the condition names no question")
    return
  end
  local q = set.index[qid]
  if not q then
    err(set, where, "condition names unknown question " .. tostring(qid))
    return
  end
  if pos and set.position[qid] and set.position[qid] > pos then
    warn(set, where, "condition looks at " .. qid .. ", which is asked later")
  end
  local ids = {}
  if c.equals ~= nil then ids[#ids + 1] = c.equals end
  if c.any_of ~= nil then
    if type(c.any_of) ~= "table" or #c.any_of == 0 then
      err(set, where, "never true: any_of is empty")
    else
      for _, id in ipairs(c.any_of) do ids[#ids + 1] = id end
    end
  end
  for _, id in ipairs(ids) do
    if not q.option_index then
      err(set, where, "never true: " .. qid .. " has no options to equal " .. tostring(id))
    elseif not q.option_index[id] then
      err(set, where, "never true: " .. qid .. " has no option " .. tostring(id))
    end
  end
  for _, k in ipairs({ "at_least", "at_most" }) do
    if c[k] ~= nil and math.type(c[k]) ~= "integer" then
      err(set, where, k .. " must be an integer")
      return
    end
  end
  if c.at_least ~= nil or c.at_most ~= nil then
    if q.type ~= "number" then
      err(set, where, "never true: at_least/at_most need a number question, " .. qid
        .. " is " .. q.type)
    else
      if c.at_least ~= nil and c.at_least > q.max then
        err(set, where, "never true: at_least " .. c.at_least .. " > max " .. q.max)
      end
      if c.at_most ~= nil and c.at_most < q.min then
        err(set, where, "never true: at_most " .. c.at_most .. " < min " .. q.min)
      end
      if c.at_least ~= nil and c.at_most ~= nil and c.at_least > c.at_most then
        err(set, where, "never true: at_least > at_most")
      end
    end
  end
  if q.type == "single" or q.type == "yesno" or q.type == "faces" then
    -- A single answer cannot equal two different options at once.
    if c.equals ~= nil and c.any_of ~= nil then
      local ok = false
      for _, id in ipairs(c.any_of) do ok = ok or id == c.equals end
      if not ok then err(set, where, "never true: equals and any_of exclude each other") end
    end
  end
end

local function finish(set)
  set.order = order_of(set)
  set.position = {}
  for i, q in ipairs(set.order) do set.position[q.id] = i end
  for _, q in ipairs(set.order) do
    if q.when ~= nil then check_condition(set, q.id .. " when", q.when, nil, set.position[q.id]) end
    for i, g in ipairs(q.followups) do
      check_condition(set, q.id .. " followups[" .. i .. "]", g.when, q.id, set.position[q.id])
    end
    if q.text == nil then err(set, q.id, "text is missing") end
  end
  -- Option-level weights become scoring rules.
  set.rules = {}
  for _, q in ipairs(set.order) do
    for _, o in ipairs(q.options or {}) do
      if o.risk ~= nil or o.resource ~= nil then
        set.rules[#set.rules + 1] = { when = { question = q.id, equals = o.id },
          area = q.area.id, risk = o.risk, resource = o.resource, where = q.id .. "." .. o.id }
      end
    end
  end
  for _, r in ipairs(set.scoring) do
    local q = type(r.when) == "table" and r.when.question and set.index[r.when.question]
    r.area = r.area or (q and q.area.id)
    if r.area == nil or not set.area_index[r.area] then
      err(set, r.where, "a scoring rule needs an area (or a condition on a question)")
    end
    check_condition(set, r.where, r.when, nil, nil)
    set.rules[#set.rules + 1] = r
  end
  for _, rule in ipairs(set.rules) do
    for _, k in ipairs({ "risk", "resource" }) do
      if rule[k] ~= nil and (type(rule[k]) ~= "number" or rule[k] < 0) then
        err(set, rule.where, k .. " must be a number >= 0")
      end
    end
  end
  local alert_ids = {}
  for _, r in ipairs(set.alerts) do
    check_condition(set, r.where, r.when, nil, nil)
    if r.id ~= nil and alert_ids[r.id] then err(set, r.where, "duplicate alert id " .. tostring(r.id)) end
    if r.id ~= nil then alert_ids[r.id] = true end
  end
  -- Every set needs at least one question.
  if #set.order == 0 then err(set, "set", "the set has no questions") end
  for _, lang in ipairs(set.languages) do
    if type(lang) ~= "string" or not lang:match("^[a-z][a-z][a-z]?$") then
      err(set, "languages", "not a language code: " .. tostring(lang))
    end
  end
end

-- load(chain, default_lang) -> set.  chain is a list of plugin tables, the
-- base set first; a plain table is a chain of one.  The set's `problems`
-- lists every error and warning; Q.errors(set) says whether it is usable.
function Q.load(chain, default_lang)
  if type(chain) == "table" and chain.areas ~= nil or (type(chain) == "table" and #chain == 0) then
    chain = { chain }
  end
  local base = chain[1]
  if type(base) ~= "table" then
    local set = { problems = {}, areas = {}, order = {}, index = {} }
    err(set, "set", "the plugin must return a table")
    return set
  end
  local set = new_set(base, default_lang)
  set.current_plugin = base._plugin
  if not valid_id(set.id) then err(set, "set", "the set needs an id of a-z, 0-9 and _") end
  build_help(set, base.help)
  if type(base.areas) ~= "table" or #base.areas == 0 then
    err(set, "set", "the set needs areas")
  else
    for i, a in ipairs(base.areas) do
      local area = build_area(set, "areas[" .. i .. "]", a)
      if area then set.areas[#set.areas + 1] = area end
    end
  end
  set.scoring = build_rules(set, base.scoring, "scoring")
  set.alerts = build_rules(set, base.alerts, "alerts")
  set.order = order_of(set)
  for n = 2, #chain do
    local def = chain[n]
    if type(def) ~= "table" then
      err(set, "layer " .. n, "the plugin must return a table")
    else
      if def.id ~= nil then set.id = def.id end
      set.order = order_of(set)
      set.current_plugin = def._plugin
      apply_layer(set, def, n)
      set.order = order_of(set)
    end
  end
  set.order = order_of(set)
  for n = 1, #chain do
    for lang, tr in pairs(type(chain[n]) == "table" and chain[n].translations or {}) do
      apply_translations(set, lang, tr, "translations " .. tostring(lang))
    end
  end
  finish(set)
  return set
end

-- The errors of a set, as "where: message" strings.
function Q.errors(set)
  local out = {}
  for _, p in ipairs(set.problems) do
    if p.level == "error" then out[#out + 1] = p.where .. ": " .. p.msg end
  end
  return out
end

---------------------------------------------------------------------------
-- Canonical form: a Lua table constructor of the set's data, keys sorted,
-- conditions written by their data (a function as "<function>").

local SKIP = { parent = true, area = true, option_index = true, index = true,
  area_index = true, order = true, position = true, problems = true, rules = true,
  where = true, current_plugin = true, removed = true }

local function serialize(v, out)
  local t = type(v)
  if t == "table" then
    local keys = {}
    for k in pairs(v) do
      if not SKIP[k] then keys[#keys + 1] = k end
    end
    table.sort(keys, function(a, b)
      if type(a) == type(b) then return a < b end
      return type(a) == "number"
    end)
    out[#out + 1] = "{"
    for _, k in ipairs(keys) do
      if type(k) == "number" then
        out[#out + 1] = "[" .. string.format("%d", k) .. "]="
      else
        out[#out + 1] = "[" .. string.format("%q", k) .. "]="
      end
      serialize(v[k], out)
      out[#out + 1] = ","
    end
    out[#out + 1] = "}"
  elseif t == "string" then
    out[#out + 1] = string.format("%q", v)
  elseif t == "number" then
    out[#out + 1] = math.type(v) == "integer" and string.format("%d", v)
      or string.format("%.17g", v)
  elseif t == "boolean" then
    out[#out + 1] = tostring(v)
  elseif t == "function" then
    out[#out + 1] = '"<function>"'
  else
    out[#out + 1] = "nil"
  end
end

function Q.canonical(set)
  local out = { "return " }
  serialize({ id = set.id, language = set.language, languages = set.languages,
    name = set.name, branding = set.branding, help = set.help, areas = set.areas,
    scoring = set.scoring, alerts = set.alerts, translation_status = set.translation_status },
    out)
  return table.concat(out)
end

-- Reads a canonical form back into a set that renders and scores old
-- answers (conditions that were functions are taken as false).
function Q.from_canonical(text)
  local chunk, e = load(text, "=canonical", "t", {})
  if not chunk then error("canonical form: " .. e, 0) end
  local data = chunk()
  local set = { id = data.id, language = data.language, languages = data.languages,
    name = data.name, branding = data.branding, help = data.help or {},
    areas = data.areas or {}, scoring = data.scoring or {}, alerts = data.alerts or {},
    index = {}, area_index = {}, problems = {}, translation_status = data.translation_status }
  local function relink(list, area, parent)
    for _, q in ipairs(list) do
      q.area, q.parent = area, parent
      set.index[q.id] = q
      if q.options then
        q.option_index = {}
        for _, o in ipairs(q.options) do q.option_index[o.id] = o end
      end
      for _, g in ipairs(q.followups or {}) do relink(g.questions, area, q) end
      q.followups = q.followups or {}
    end
  end
  for _, a in ipairs(set.areas) do
    set.area_index[a.id] = a
    relink(a.questions, a, nil)
  end
  for _, r in ipairs(set.scoring) do r.where = "scoring" end
  finish(set)
  set.problems = {}
  return set
end

---------------------------------------------------------------------------
-- The flow.

-- Option ids an answer holds ("o:x" -> {x}, "m:x y" -> {x, y}).
local NONE = {}
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
Q.chosen = chosen

-- The option ids of a choice answer as a set, shared and read-only: the
-- conditions test them on every request, and the same few values ("o:yes",
-- "m:mum dad") come back again and again.  Bounded: it starts over when
-- full.
local held, held_n = {}, 0
local function held_set(value)
  local s = held[value]
  if s then return s end
  local tag = value:byte(1)
  if (tag ~= 111 and tag ~= 109) or value:byte(2) ~= 58 then return NONE end	-- "o:", "m:"
  s = {}
  for _, id in ipairs(chosen(value)) do s[id] = true end
  if held_n >= 4096 then held, held_n = {}, 0 end
  held[value], held_n = s, held_n + 1
  return s
end

local function number_of(value)
  local n = value and value:match("^n:(.*)$")
  return n and tonumber(n)
end

-- Conditions are compiled once into closures (per condition and the
-- question it speaks of by default): `ok(answers, ctx)`.  A condition is
-- true when every part of it is: answered, equals, any_of, at_least,
-- at_most, age, all, any, not; a function is called as it is.
local compiled = setmetatable({}, { __mode = "k" })
local function never() return false end
local function always() return true end
local compile

local function compile_parts(c, subject)
  local parts = {}
  local key = c.question or subject
  local function add(f) parts[#parts + 1] = f end
  if c.answered ~= nil then
    local want = c.answered
    add(function(answers) return (answers[key] ~= nil) == want end)
  end
  if c.equals ~= nil then
    local id = c.equals
    add(function(answers)
      local v = answers[key]
      return v ~= nil and held_set(v)[id] == true
    end)
  end
  if c.any_of ~= nil then
    local ids = c.any_of
    add(function(answers)
      local v = answers[key]
      if v == nil then return false end
      local s = held_set(v)
      for i = 1, #ids do
        if s[ids[i]] then return true end
      end
      return false
    end)
  end
  if c.at_least ~= nil then
    local min = c.at_least
    add(function(answers)
      local n = number_of(answers[key])
      return n ~= nil and n >= min
    end)
  end
  if c.at_most ~= nil then
    local max = c.at_most
    add(function(answers)
      local n = number_of(answers[key])
      return n ~= nil and n <= max
    end)
  end
  if c.age ~= nil then
    local ages = type(c.age) == "table" and c.age or { c.age }
    add(function(_, ctx)
      local age = ctx.age
      for i = 1, #ages do
        if ages[i] == age then return true end
      end
      return false
    end)
  end
  if c.all ~= nil then
    for _, sub in ipairs(c.all) do add(compile(sub, subject)) end
  end
  if c.any ~= nil then
    local subs = {}
    for i, sub in ipairs(c.any) do subs[i] = compile(sub, subject) end
    add(function(answers, ctx)
      for i = 1, #subs do
        if subs[i](answers, ctx) then return true end
      end
      return false
    end)
  end
  if c["not"] ~= nil then
    local sub = compile(c["not"], subject)
    add(function(answers, ctx) return not sub(answers, ctx) end)
  end
  if #parts == 0 then return always end
  if #parts == 1 then return parts[1] end
  return function(answers, ctx)
    for i = 1, #parts do
      if not parts[i](answers, ctx) then return false end
    end
    return true
  end
end

compile = function(c, subject)
  local t = type(c)
  if t ~= "table" and t ~= "function" then return never end
  local per = compiled[c]
  if per == nil then
    per = {}
    compiled[c] = per
  end
  local slot = subject == nil and compiled or subject	-- any key that is no id
  local f = per[slot]
  if f == nil then
    if t == "function" then
      f = function(answers, ctx) return c(answers, ctx) and true or false end
    else
      f = compile_parts(c, subject)
    end
    per[slot] = f
  end
  return f
end

-- Evaluates a condition against the answers and the child's context
-- ({ age = "10-12" }); `subject` is the question it speaks of by default.
local function test(c, answers, ctx, subject)
  return compile(c, subject)(answers, ctx)
end
Q.test = test

-- The flow of a set as one flat program, made on first use for each age
-- band (the questions of other bands left out).  Its steps are of three
-- kinds: RUN, questions one after another in one area with no condition
-- and no follow-ups, asked whenever the step is reached; ONE, a question
-- with a condition (its gate) or follow-ups; GROUP, a question's follow-up
-- group with its gate.  qs/ids hold the questions in order, and a step
-- names its questions as from..to there; shut is where to go when a gate
-- is shut, past where a question's follow-ups end (skipped while it has no
-- answer).  Walking it costs little per question: a run is copied to the
-- list at once and read only until its first question without an answer.
-- (Every array is dense: a lookup that finds nothing costs this Lua
-- several times one that finds false.)
local RUN, ONE, GROUP = 1, 2, 3

local function flow_of(set, age)
  local kind, from, to, area, gate, shut, past = {}, {}, {}, {}, {}, {}, {}
  local qs, ids = {}, {}
  local n, m, run = 0, 0, false
  local function step(k, q, g)
    n = n + 1
    kind[n], from[n], to[n], area[n], gate[n] = k, m, m, q and q.area or false, g
    shut[n], past[n] = n + 1, n + 1
    return n
  end
  local function add(questions)
    for _, q in ipairs(questions) do
      local asked = true
      if q.ages ~= nil and age ~= nil then
        asked = false
        for _, a in ipairs(q.ages) do asked = asked or a == age end
      end
      if asked then
        m = m + 1
        qs[m], ids[m] = q, q.id
        local plain = q.when == nil and #q.followups == 0
        if plain and run and area[run] == q.area then
          to[run] = m
        elseif plain then
          run = step(RUN, q, false)
        else
          local i = step(ONE, q, q.when ~= nil and compile(q.when, nil) or false)
          for _, f in ipairs(q.followups) do
            local g = step(GROUP, nil, compile(f.when, q.id))
            run = false
            add(f.questions)
            shut[g] = n + 1
          end
          shut[i], past[i] = n + 1, n + 1
          run = false
        end
      end
    end
  end
  for _, a in ipairs(set.areas) do add(a.questions) end
  return { kind = kind, from = from, to = to, area = area, gate = gate, shut = shut,
    past = past, qs = qs, ids = ids, n = n }
end

-- The active questions in the order they are asked.  The list also
-- carries what the pages ask of it, worked out on the same walk:
-- list.next (the first without an answer) and list.next_at (its place),
-- and per area in order list.areas[k] with list.done[k] (all of the area's
-- active questions answered).
local move = table.move

function Q.active(set, answers, ctx)
  ctx = ctx or {}
  local flows = set.flows
  if flows == nil then
    flows = {}
    set.flows = flows
  end
  local band = ctx.age or false
  local flow = flows[band]
  if flow == nil then
    flow = flow_of(set, ctx.age)
    flows[band] = flow
  end
  local kind, from, to, area_of, gate, shut, past, qs, ids, last =
    flow.kind, flow.from, flow.to, flow.area, flow.gate, flow.shut, flow.past,
    flow.qs, flow.ids, flow.n
  local list, areas, done = {}, {}, {}
  local n, k, area, nxt, nxt_at = 0, 0, false, false, false
  local i = 1
  while i <= last do
    local kd, g = kind[i], gate[i]
    if g and not g(answers, ctx) then
      i = shut[i]
    elseif kd == GROUP then
      i = i + 1
    else
      local a = area_of[i]
      if a ~= area then
        area, k = a, k + 1
        areas[k], done[k] = a, true
      end
      local f = from[i]
      if kd == RUN then
        local t = to[i]
        move(qs, f, t, n + 1, list)
        if done[k] or not nxt then
          for j = f, t do
            if answers[ids[j]] == nil then
              done[k] = false
              if not nxt then nxt, nxt_at = qs[j], n + 1 + j - f end
              break
            end
          end
        end
        n = n + 1 + t - f
        i = i + 1
      else
        n = n + 1
        list[n] = qs[f]
        if answers[ids[f]] == nil then
          done[k] = false
          if not nxt then nxt, nxt_at = qs[f], n end
          i = past[i]
        else
          i = i + 1
        end
      end
    end
  end
  list.next, list.next_at, list.areas, list.done = nxt or nil, nxt_at or nil, areas, done
  return list
end

-- (The functions below take the active list when the caller has it.)
function Q.is_active(set, answers, id, ctx, active)
  for _, q in ipairs(active or Q.active(set, answers, ctx)) do
    if q.id == id then return true end
  end
  return false
end

-- The first active question without an answer, or nil when done.
function Q.next(set, answers, ctx, active)
  local q = (active or Q.active(set, answers, ctx)).next
  return q and q.id
end

-- Checks a submission for question id: returns the tagged value to store,
-- or nil and the key of the message to show.  "answer.easy" is no
-- refusal: the child did not understand a question that has easier words
-- (sub.easy is true when they were shown already).
function Q.accept(set, answers, id, sub, ctx, active)
  local q = set.index[id]
  if not q or not Q.is_active(set, answers, id, ctx, active) then
    return nil, "answer.inactive"
  end
  if sub.special ~= nil then
    -- An information page asks nothing, so there is nothing to decline
    -- or not understand.
    if q.type == "info" then return nil, "answer.invalid" end
    if sub.special == "skip" then return "s:skip" end
    if sub.special ~= "unclear" then return nil, "answer.invalid" end
    -- Not understood: first the question in easier words (the page the
    -- core shows again with ctx.easy); asked from that page, recorded.
    if q.easy ~= nil and sub.easy ~= true then return nil, "answer.easy" end
    return "s:unclear"
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
    n = n and math.tointeger(tonumber(n))
    if not n or n < q.min or n > q.max then return nil, "answer.invalid" end
    return "n:" .. n
  elseif q.type == "text" then
    if #given > 1 then return nil, "answer.invalid" end
    local text = given[1] or ""
    local len = utf8.len(text)
    if len == nil then return nil, "answer.invalid" end
    if len > q.max then return nil, "answer.too_long" end
    return "t:" .. text
  end
  return nil, "answer.invalid"
end

---------------------------------------------------------------------------
-- Scores and alerts.

-- summary(set, answers, ctx) -> { areas = { {id, risk, resource, risks =
-- {qid...}, resources = {qid...}} }, alerts = { rule... }, help_wanted =
-- {value...}, talk_to = {value...}, unclear = {qid...}, skipped = {qid...} }.
-- Only active questions count.
function Q.summary(set, answers, ctx)
  ctx = ctx or {}
  local active = {}
  for _, q in ipairs(Q.active(set, answers, ctx)) do active[q.id] = true end
  local live = {}
  for id, v in pairs(answers) do
    if active[id] then live[id] = v end
  end
  local out = { areas = {}, alerts = {}, help_wanted = {}, talk_to = {}, unclear = {},
    skipped = {} }
  local by_area = {}
  for i, a in ipairs(set.areas) do
    by_area[a.id] = { id = a.id, risk = 0, resource = 0, risks = {}, resources = {} }
    out.areas[i] = by_area[a.id]
  end
  for _, r in ipairs(set.rules) do
    local qid = type(r.when) == "table" and r.when.question
    if test(r.when, live, ctx, nil) and by_area[r.area] then
      local a = by_area[r.area]
      if r.risk then
        a.risk = a.risk + r.risk
        a.risks[#a.risks + 1] = qid or r.where
      end
      if r.resource then
        a.resource = a.resource + r.resource
        a.resources[#a.resources + 1] = qid or r.where
      end
    end
  end
  for _, r in ipairs(set.alerts) do
    if test(r.when, live, ctx, nil) then out.alerts[#out.alerts + 1] = r end
  end
  for _, q in ipairs(set.order) do
    local v = q.type ~= "info" and live[q.id] or nil
    if v == "s:unclear" then out.unclear[#out.unclear + 1] = q.id end
    if v == "s:skip" then out.skipped[#out.skipped + 1] = q.id end
    if v and q.role == "help_wanted" then out.help_wanted[#out.help_wanted + 1] = q.id end
    if v and q.role == "talk_to" then out.talk_to[#out.talk_to + 1] = q.id end
  end
  return out
end

-- The most each area can score: per area { risk =, resource = }.  A rule
-- on one option of a one-choice question excludes the question's other
-- options, so those count with their largest weight; every other rule
-- (several options of a multi-choice, combinations, numbers) can hold
-- with the rest and adds its weight.
function Q.area_max(set)
  if set._max then return set._max end
  local max, single = {}, {}
  local function add(area, kind, w)
    max[area] = max[area] or { risk = 0, resource = 0 }
    max[area][kind] = max[area][kind] + w
  end
  for _, r in ipairs(set.rules or {}) do
    local c = r.when
    local one = false
    if type(c) == "table" and c.question ~= nil and c.equals ~= nil then
      local q = set.index[c.question]
      local n = 0
      for _ in pairs(c) do n = n + 1 end
      one = n == 2 and q ~= nil and q.type ~= "multi"
    end
    for _, kind in ipairs { "risk", "resource" } do
      local w = r[kind]
      if r.area and type(w) == "number" and w > 0 then
        if one then
          local key = r.area .. "\1" .. c.question .. "\1" .. kind
          local s = single[key]
          if s == nil then
            single[key] = { area = r.area, kind = kind, w = w }
          elseif w > s.w then
            s.w = w
          end
        else
          add(r.area, kind, w)
        end
      end
    end
  end
  for _, s in pairs(single) do add(s.area, s.kind, s.w) end
  set._max = max
  return max
end

-- A band of a score against the most its area can score: 0 none, 1 some
-- (less than half), 2 much (half or more).
local function band(score, max)
  if score <= 0 then return 0 end
  if score * 2 >= max then return 2 end
  return 1
end

-- The bands of a child's scores, for the counts of a mapping round (a
-- report shows how many children of a group have none, some or much risk
-- and resource in each area, never whose): "area:kind:band ..." for every
-- area and kind the set can score, from the active answers.
function Q.levels(set, answers, ctx, active)
  local live = {}
  for _, q in ipairs(active or Q.active(set, answers, ctx)) do live[q.id] = answers[q.id] end
  local score = {}
  for _, r in ipairs(set.rules) do
    if r.area and test(r.when, live, ctx or {}, nil) then
      local s = score[r.area] or { risk = 0, resource = 0 }
      score[r.area] = s
      if type(r.risk) == "number" then s.risk = s.risk + r.risk end
      if type(r.resource) == "number" then s.resource = s.resource + r.resource end
    end
  end
  local max, out = Q.area_max(set), {}
  for _, a in ipairs(set.areas) do
    local m, s = max[a.id], score[a.id] or { risk = 0, resource = 0 }
    for _, kind in ipairs { "risk", "resource" } do
      if m and m[kind] > 0 then
        out[#out + 1] = a.id .. ":" .. kind .. ":" .. band(s[kind], m[kind])
      end
    end
  end
  return table.concat(out, " ")
end

-- The alert rules that hold for the active answers (the alerts of
-- summary(), without the scoring).
function Q.alerts(set, answers, ctx, active)
  ctx = ctx or {}
  local live = {}
  for _, q in ipairs(active or Q.active(set, answers, ctx)) do live[q.id] = answers[q.id] end
  local out = {}
  for _, r in ipairs(set.alerts) do
    if test(r.when, live, ctx, nil) then out[#out + 1] = r end
  end
  return out
end

-- The alerts that the last answer raised (not raised before it).
function Q.new_alerts(set, before, after, ctx, active_before, active_after)
  local was = {}
  for _, r in ipairs(Q.alerts(set, before, ctx, active_before)) do was[r.id] = true end
  local new = {}
  for _, r in ipairs(Q.alerts(set, after, ctx, active_after)) do
    if not was[r.id] then new[#new + 1] = r end
  end
  return new
end

---------------------------------------------------------------------------
-- Texts for a page.

-- The text for lang, falling back to the set's language; the second result
-- is true when it fell back (the page marks it), the third the language.
function Q.text(set, t, lang)
  if t == nil then return nil end
  if t[lang] then return t[lang], false, lang end
  if t[set.language] then return t[set.language], true, set.language end
  for _, l in ipairs(set.languages) do
    if t[l] then return t[l], true, l end
  end
  local l, any = next(t)
  return any, true, l
end

-- The question's wording for a child: the easy-read variant when asked
-- for (the child did not understand the other), else the age band's
-- variant if any, else the text; a variant only in the child's language.
function Q.question_text(set, q, lang, ctx)
  ctx = ctx or {}
  if ctx.easy and q.easy then
    local s, fell, l = Q.text(set, q.easy, lang)
    if not fell then return s, fell, l end
  end
  if ctx.age and q.by_age and q.by_age[ctx.age] then
    local s, fell, l = Q.text(set, q.by_age[ctx.age], lang)
    if not fell then return s, fell, l end
  end
  return Q.text(set, q.text, lang)
end

-- The options of a choice answer that say something: an option marked
-- none ("No, nothing right now") is left out when others are chosen with
-- it.  Returns the options and whether the answer says "none" only.
function Q.said_options(q, value)
  local some, none = {}, false
  for _, id in ipairs(chosen(value)) do
    local o = q.option_index and q.option_index[id]
    if o and o.none then
      none = true
    elseif o then
      some[#some + 1] = o
    end
  end
  return some, none and #some == 0
end

return Q
