-- views/child.lua: the child's views.  Each page is a function of the data the core
-- loaded and checked (data.t holds the UI strings in data.lang) and returns
-- a tree for html.render.  Nothing here reaches storage or secrets.
local h = require "html"
local Q = require "questions"
local L = require "views.layout"

local P = {}
local fmt, marked, text = L.fmt, L.marked, L.text

-- The child's pages: the shell with the child's header (leave quickly,
-- help, my answers, the language menu) and, logged in, the logout form.
-- Help, my answers and the language menu are in a <details> that is
-- open and shows no summary, except on a narrow screen with large text,
-- where the script folds it into a menu button so that the question is
-- on the screen (without the script it stays open).
local function layout(data, body, opts)
  local t = data.t
  local logged_in = opts and opts.logged_in
  return L.document(data, body, {
    idle = logged_in and data.idle or nil,
    header = {
      h.span { class = "brand", t["site.title"] },
      h.a { class = "quick-exit", href = "/leave", t["nav.leave"] },
      h.details { class = "more", open = true,
        h.summary { h.span { class = "sr", t["nav.menu"] } },
        h.nav { class = "links", ["aria-label"] = t["nav.label"],
          h.a { href = "/help", t["nav.help"] },
          logged_in and h.a { href = "/overview", t["nav.overview"] } or nil,
        },
        L.lang_menu(data),
      },
    },
    footer = logged_in and h.footer { class = "bottom",
      h.form { method = "post", action = "/logout",
        h.input { type = "hidden", name = "csrf", value = data.csrf },
        h.button { type = "submit", class = "small secondary", t["logout"] },
      },
    } or nil,
  })
end

function P.start(data)
  local t = data.t
  return layout(data, {
    h.h1(t["start.heading"]),
    h.p { class = "lead", t["start.intro"] },
    h.p(t["start.readers"]),
    h.p(t["start.skip"]),
    h.form { method = "post", action = "/login", class = "login",
      h.input { type = "hidden", name = "csrf", value = data.csrf },
      data.error and h.p { class = "error", role = "alert", id = "code-error",
        t[data.error] } or nil,
      h.label { ["for"] = "code", t["start.code_label"] },
      h.p { class = "hint", id = "code-hint", t["start.code_hint"] },
      h.input { type = "text", id = "code", name = "code", autocomplete = "off",
        autocapitalize = "characters", spellcheck = "false", maxlength = tostring(data.limits.code),
        required = true, ["aria-describedby"] = data.error
          and "code-error code-hint" or "code-hint",
        ["aria-invalid"] = data.error and "true" or nil },
      h.button { type = "submit", t["start.submit"] },
    },
  })
end

-- The secret: chosen the first time (with a second field to type it
-- again), entered every time after.
function P.secret(data)
  local t = data.t
  local choose = data.mode == "choose"
  local described = data.error and "secret-error secret-hint" or "secret-hint"
  return layout(data, {
    h.h1(choose and t["secret.choose_heading"] or t["secret.enter_heading"]),
    choose and h.p { class = "lead", t["secret.what"] } or nil,
    h.form { method = "post", action = "/secret", class = "login",
      h.input { type = "hidden", name = "csrf", value = data.csrf },
      data.error and h.p { class = "error", role = "alert", id = "secret-error",
        t[data.error] } or nil,
      h.label { ["for"] = "secret", choose and t["secret.new_label"] or t["secret.label"] },
      h.p { class = "hint", id = "secret-hint",
        choose and (data.allow_pin and t["secret.rules_pin"] or t["secret.rules"])
          or t["secret.enter_hint"] },
      h.input { type = "password", id = "secret", name = "secret", required = true,
        autocomplete = choose and "new-password" or "current-password",
        maxlength = tostring(data.limits.secret), ["aria-describedby"] = described,
        ["aria-invalid"] = data.error and "true" or nil },
      choose and h.label { ["for"] = "again", t["secret.again_label"] } or nil,
      choose and h.input { type = "password", id = "again", name = "again", required = true,
        autocomplete = "new-password", maxlength = tostring(data.limits.secret) } or nil,
      h.button { type = "submit", choose and t["secret.save"] or t["start.submit"] },
    },
    not choose and h.p { class = "hint", t["secret.forgot"] } or nil,
  })
end

-- The options of a choice: radio buttons, or for several choices
-- checkboxes, each drawn as its label with a round or a square mark.
local function choice(data, q, input_type)
  local items = {}
  for i, o in ipairs(q.options) do
    local id = "opt-" .. o.id
    items[i] = h.li {
      h.input { type = input_type, id = id, name = "answer", value = o.id,
        checked = data.current[o.id] or nil },
      h.label { ["for"] = id,
        o.face and h.img { class = "face", alt = "", width = "40", height = "40",
          src = "/static/faces/" .. o.face .. ".svg" } or nil,
        text(data, o.text) },
    }
  end
  return h.ul { class = "options " .. q.type .. " " .. input_type, items }
end

-- Where the child is: "Area 3 of 10: School" and a slim bar of the areas
-- asked about now, one step each (done, here, to come); the steps' names
-- are for screen readers, the bar is their picture.
local function progress(data, active, current)
  local t = data.t
  local areas, seen, position, count = {}, {}, 0, 0
  for _, q in ipairs(active) do
    if not seen[q.area.id] then
      seen[q.area.id] = { area = q.area, done = true }
      areas[#areas + 1] = seen[q.area.id]
    end
    if data.answers[q.id] == nil then seen[q.area.id].done = false end
  end
  local items = {}
  for i, a in ipairs(areas) do
    local here = current and a.area == current.area
    if here then position = i end
    count = i
    items[i] = h.li { class = here and "here" or (a.done and "done" or nil),
      ["aria-current"] = here and "step" or nil,
      h.span { class = "sr", text(data, a.area.title),
        a.done and not here and { " (", t["progress.done"], ")" } or nil },
    }
  end
  return h.nav { class = "progress", ["aria-label"] = t["progress.label"],
    h.p { class = "where", fmt(data, t["progress.position"], position, count,
      current and text(data, current.area.title) or "") },
    h.ol { class = "steps", items },
  }
end

function P.question(data)
  local t, set = data.t, data.set
  local q = set.index[data.question]
  local answers = data.answers or {}
  data.answers = answers
  data.current = {}
  for _, id in ipairs(Q.chosen(answers[q.id])) do data.current[id] = true end
  local active = data.active or Q.active(set, answers, data.ctx)
  local prev
  for i, x in ipairs(active) do
    if x == q then prev = active[i - 1] end
  end
  -- "answer.easy" is no error: the child did not understand, and the
  -- question comes again in easier words (ctx.easy), to answer now.
  local easy = data.error == "answer.easy"
  local err = not easy and data.error or nil
  local easy_here = easy and q.easy and not select(2, Q.text(set, q.easy, data.lang))
  local multi = q.type == "multi"
  local described = {}
  if easy then described[#described + 1] = "answer-note" end
  if err then described[#described + 1] = "answer-error" end
  if q.hint then described[#described + 1] = "question-hint" end
  if multi then described[#described + 1] = "choose-hint" end
  local body
  if q.options then
    body = choice(data, q, multi and "checkbox" or "radio")
  elseif q.type == "number" then
    local v = (answers[q.id] or ""):match("^n:(.*)$")
    body = h.p { h.label { ["for"] = "answer", t["answer.number_label"] },
      h.input { type = "number", id = "answer", name = "answer", min = q.min,
        max = q.max, value = v, inputmode = "numeric", dir = "ltr" } }
  elseif q.type == "text" then
    local v = (answers[q.id] or ""):match("^t:(.*)$")
    body = h.p { h.label { ["for"] = "answer", t["answer.text_label"] },
      h.textarea { id = "answer", name = "answer", rows = "5", dir = "auto",
        maxlength = tostring(q.max), v or "" } }
  end
  local audio = q.audio and q.audio[data.lang]
  return layout(data, {
    progress(data, active, q),
    prev and h.p { class = "back", h.a { href = "/q?id=" .. prev.id, rel = "prev",
      h.span { ["aria-hidden"] = "true", data.dir == "rtl" and "→ " or "← " }, t["question.back"] } } or nil,
    h.form { method = "post", action = "/answer", class = "question",
      h.input { type = "hidden", name = "csrf", value = data.csrf },
      h.input { type = "hidden", name = "q", value = q.id },
      data.from and h.input { type = "hidden", name = "from", value = data.from } or nil,
      easy and h.input { type = "hidden", name = "easy", value = "1" } or nil,
      h.fieldset {
        ["aria-describedby"] = #described > 0 and table.concat(described, " ") or nil,
        h.legend { h.h1 { id = "question",
          h.span { class = "sr", text(data, q.area.title), ": " },
          marked(data, Q.question_text(data.set, q, data.lang, data.ctx)) } },
        h.button { type = "button", class = "read-aloud small secondary", hidden = true,
          ["data-audio"] = audio and q.audio_plugin and not easy
            and ("/audio/" .. q.audio_plugin .. "/" .. audio) or nil,
          h.span { ["aria-hidden"] = "true", "🔊 " }, t["question.read"] },
        easy and h.p { class = "note", role = "status", id = "answer-note",
          easy_here and t["answer.easy"] or t["answer.easy_missing"] } or nil,
        q.hint and h.p { class = "hint", id = "question-hint", text(data, q.hint) } or nil,
        err and h.p { class = "error", role = "alert", id = "answer-error",
          t[err] or t["answer.invalid"] } or nil,
        multi and h.p { class = "hint choose", id = "choose-hint", t["answer.multi_hint"] } or nil,
        body,
      },
      h.p { class = "actions", h.button { type = "submit", t["answer.next"] } },
      q.type ~= "info" and h.div { class = "ways-out",
        h.p { class = "hint", t["answer.other"] },
        h.button { type = "submit", name = "special", value = "skip",
          class = "secondary", t["answer.skip"] },
        h.button { type = "submit", name = "special", value = "unclear",
          class = "secondary", t["answer.unclear"] },
      } or nil,
      h.p { class = "hint saved", t["answer.saved"] },
    },
  }, { logged_in = true })
end

-- The set's help contacts: a name, a number to call (left to right, as
-- it is dialled, on one line), a text and an address.  A contact named
-- by its number ("112") shows the number once, as the name.
local function help_list(data)
  local items = {}
  for i, c in ipairs(data.set.help or {}) do
    local phone = c.phone and h.a { href = "tel:" .. (c.phone:gsub("%s", "")), dir = "ltr", c.phone }
    local name = Q.text(data.set, c.name, data.lang)
    local named_by_number = phone and name and (name:gsub("%s", "")) == (c.phone:gsub("%s", ""))
    items[i] = h.li {
      h.strong { named_by_number and phone or text(data, c.name) },
      phone and not named_by_number and h.span { " ", phone } or nil,
      c.text and h.p { text(data, c.text) } or nil,
      c.url and h.p { h.a { href = c.url, c.url } } or nil,
    }
  end
  return h.ul { class = "help", items }
end

-- After an answer that raised an alert: telling was right, what the
-- alerts have to say to the child (each once), an adult will read it, and
-- whom to call now.  The set's messages say only what is their own.
function P.care(data)
  local t = data.t
  local messages, said = {}, {}
  for _, r in ipairs(Q.summary(data.set, data.answers or {}, data.ctx).alerts) do
    local s = r.message and Q.text(data.set, r.message, data.lang)
    if s and not said[s] then
      said[s] = true
      messages[#messages + 1] = h.p { text(data, r.message) }
    end
  end
  return layout(data, {
    h.h1(t["care.heading"]),
    h.p { class = "lead", t["care.body"] },
    messages,
    h.p(t["care.reader"]),
    #(data.set.help or {}) > 0 and h.h2(t["care.help"]) or nil,
    help_list(data),
    h.p { h.a { class = "button", href = "/q", t["care.continue"] } },
  }, { logged_in = true })
end

-- The words of an answer in the page's language.
local function answer_words(data, set, q, value)
  local t = data.t
  if value == "s:skip" then return t["answer.skip"] end
  if value == "s:unclear" then return t["answer.unclear"] end
  if value == "s:seen" then return "" end
  local ids = Q.chosen(value)
  if #ids > 0 and q.option_index then
    local words = {}
    for _, id in ipairs(ids) do
      local o = q.option_index[id]
      words[#words + 1] = o and (Q.text(set, o.text, data.lang)) or id
    end
    return table.concat(words, ", ")
  end
  local n = value:match("^n:(.*)$")
  if n then return L.number(data, n) end
  return (value:gsub("^t:", ""))
end

-- What the child said, each answer with the question as it was asked then
-- (the set of the answer's version), in the order of today's set.
function P.answer_list(data)
  local sets = {}
  local function set_of(version)
    if version == nil or version == data.version or not (data.canonicals or {})[version] then
      return data.set
    end
    if not sets[version] then
      local ok, s = pcall(Q.from_canonical, data.canonicals[version])
      sets[version] = ok and s or data.set
    end
    return sets[version]
  end
  local items = {}
  for _, cur in ipairs(Q.active(data.set, data.answers, data.ctx)) do
    local value = data.answers[cur.id]
    -- An information page asks nothing: never an answer to list.
    if value and value ~= "s:seen" and cur.type ~= "info" then
      local set = set_of((data.versions or {})[cur.id])
      local q = set.index[cur.id] or cur
      local s, fell, lang = Q.question_text(set, q, data.lang, data.ctx)
      items[#items + 1] = h.li {
        h.span { class = "asked", lang = fell and lang or nil, s },
        h.span { class = "said", answer_words(data, set, q, value) },
      }
    end
  end
  return h.ul { class = "answers", items }
end

-- The areas and the child's answers so far, each changeable.
function P.overview(data)
  local t, set = data.t, data.set
  local locked = data.ctx and data.ctx.locked
  local answers = data.answers or {}
  local groups, by_area = {}, {}
  for _, q in ipairs(Q.active(set, answers, data.ctx)) do
    if not by_area[q.area.id] then
      by_area[q.area.id] = { area = q.area, items = {} }
      groups[#groups + 1] = by_area[q.area.id]
    end
    if q.type ~= "info" then
      local v = answers[q.id]
      local asked = text(data, q.text)
      local items = by_area[q.area.id].items
      items[#items + 1] = h.li {
        h.span { class = "asked", asked },
        h.span { class = "said", v and answer_words(data, set, q, v) or t["overview.unanswered"] },
        not locked and h.a { href = "/q?id=" .. q.id .. "&from=overview",
          ["aria-label"] = (v and t["overview.change"] or t["overview.answer"]) .. ": "
            .. (Q.question_text(set, q, data.lang, data.ctx)),
          v and t["overview.change"] or t["overview.answer"] } or nil,
      }
    end
  end
  local sections = {}
  for i, g in ipairs(groups) do
    sections[i] = h.section { ["aria-labelledby"] = "area-" .. g.area.id,
      h.h2 { id = "area-" .. g.area.id, text(data, g.area.title) },
      h.ul { class = "answers", g.items } }
  end
  return layout(data, {
    h.h1(t["overview.heading"]),
    h.p { class = "lead", locked and t["round.locked"] or t["overview.intro"] },
    sections,
    not locked and h.p { h.a { class = "button", href = "/q", t["overview.continue"] } } or nil,
  }, { logged_in = true })
end

-- Whom to talk to now: the set's help contacts.
function P.help(data)
  local t = data.t
  return layout(data, {
    h.h1(t["help.heading"]),
    h.p { class = "lead", t["help.intro"] },
    help_list(data),
    h.p { class = "urgent", t["help.urgent"] },
  }, { logged_in = data.answers ~= nil })
end

-- The answers to the set's help questions of a role, for the closing
-- page: a list of what the child chose, or nil; the second result is true
-- when the child chose only an option marked none ("No, nothing right
-- now"), which the page says in a sentence instead.
local function roles(data, role)
  local out, none = {}, false
  for _, q in ipairs(Q.active(data.set, data.answers, data.ctx)) do
    local v = data.answers[q.id]
    if q.role == role and v and v:sub(1, 2) ~= "s:" then
      if q.option_index then
        local some, only_none = Q.said_options(q, v)
        none = none or only_none
        for _, o in ipairs(some) do out[#out + 1] = h.li { text(data, o.text) } end
      else
        out[#out + 1] = h.li(answer_words(data, data.set, q, v))
      end
    end
  end
  if #out > 0 then return h.ul(out), false end
  return nil, none
end

function P.thanks(data)
  local t = data.t
  local locked = data.ctx and data.ctx.locked
  local wanted, no_help = roles(data, "help_wanted")
  local talk, nobody = roles(data, "talk_to")
  local none = {}
  if no_help then none[#none + 1] = t["thanks.help_none"] end
  if nobody then none[#none + 1] = t["thanks.talk_none"] end
  if #none > 0 and not locked then none[#none + 1] = t["thanks.none_change"] end
  return layout(data, {
    h.h1(t["thanks.heading"]),
    h.p { class = "lead", t["thanks.body"] },
    wanted and h.h2(t["thanks.help_wanted"]) or nil, wanted,
    talk and h.h2(t["thanks.talk_to"]) or nil, talk,
    #none > 0 and h.p { class = "none", table.concat(none, " ") } or nil,
    h.h2(t["thanks.said"]),
    P.answer_list(data),
    (data.ctx and data.ctx.locked) and h.p(t["round.locked"])
      or h.p { t["thanks.change"], " ", h.a { href = "/overview", t["nav.overview"] } },
  }, { logged_in = true })
end

---------------------------------------------------------------------------
-- Rendering, with a cache of finished pages.  A page that depends only on
-- a few fields of its data is kept, keyed by those fields, with its CSRF
-- token left as a mark that each request fills in; pages that show all of
-- a child's answers (overview, thanks, care) are always built afresh.  The
-- cache lives in the tenant's Lua state, so a new set version starts empty.

local CACHE_MAX = 128
local cache, cached = {}, 0

local function field(v)
  return v == nil and "" or tostring(v)
end

-- "home+" (all of the area answered) or "home-", made once per area.
local marks = setmetatable({}, { __mode = "k" })
local function area_mark(area, done)
  local m = marks[area]
  if not m then
    m = { [true] = area.id .. "+", [false] = area.id .. "-" }
    marks[area] = m
  end
  return m[done]
end

-- Between the fields of a key: a control character never passes the
-- input gate, and a state goes into the database as text.
local SEP = "\1"

-- A question page's key: its state (P.state) and what of the request shows.
local function question_key(d, from, err, state)
  return table.concat({ "question", d.lang, d.path, from, err, state }, SEP)
end

local KEYS = {
  start = function(d)
    return table.concat({ "start", d.lang, d.path, field(d.error) }, "\0")
  end,
  secret = function(d)
    return table.concat({ "secret", d.lang, d.path, field(d.mode), field(d.error),
      field(d.allow_pin) }, "\0")
  end,
  help = function(d)
    return table.concat({ "help", d.lang, d.path, field(d.answers ~= nil) }, "\0")
  end,
  question = function(d)
    local q = d.set.index[d.question]
    if not q then return nil end
    return question_key(d, field(d.from), field(d.error),
      P.state(d.set, d.answers or {}, d.ctx, d.active, q))
  end,
}

-- What of the answers shows on question q's page, as a string: the
-- question, the child's age band, its answer, the question before it, and
-- per area in order whether all of it is answered (Q.active works these
-- out on its walk).  The core keeps the state of the next question with
-- the answers (host.accept), so the page of a later GET /q is found in the
-- cache without the answers (P.cached).
function P.state(set, answers, ctx, active, q)
  active = active or Q.active(set, answers, ctx)
  local at = active.next == q and active.next_at or nil
  if not at then
    for i = 1, #active do
      if active[i] == q then at = i break end
    end
  end
  local prev = at and active[at - 1]
  local key = { q.id, field(ctx and ctx.age), field(answers[q.id]), prev and prev.id or "" }
  local n, areas, done = #key, active.areas, active.done
  for k = 1, #areas do key[n + k] = area_mark(areas[k], done[k]) end
  return table.concat(key, SEP)
end

-- The views by name; nothing else here is a page.
local VIEWS = { start = P.start, secret = P.secret, question = P.question, care = P.care,
  overview = P.overview, help = P.help, thanks = P.thanks }

-- Renders page with data as the pieces between its CSRF tokens: returns
-- the pieces (a table the caller must not change) and the token, to be
-- joined by the caller (the core writes them out as they are, so a cached
-- page makes no garbage).  Raises an error for an unknown page.
function P.parts(page, data)
  local view = VIEWS[page]
  if view == nil then
    error("unknown page " .. tostring(page), 0)
  end
  local csrf = field(data.csrf)
  local key = KEYS[page] and KEYS[page](data)
  local parts = key and cache[key]
  if not parts then
    parts = L.split(view, data)
    if key then
      if cached >= CACHE_MAX then
        cache, cached = {}, 0
      end
      cache[key] = parts
      cached = cached + 1
    end
  end
  return parts, csrf
end

-- The cached question page of a state P.state made (for the age band it
-- names, which must be the child's): its pieces and the CSRF token, or nil
-- when it is not in the cache (the core then renders with the answers).
function P.cached(data, state)
  local q, age = state:match("^([^\1]*)\1([^\1]*)\1")
  if not q or age ~= field(data.ctx and data.ctx.age) then return nil end
  local parts = cache[question_key(data, "", "", state)]
  if not parts then return nil end
  return parts, field(data.csrf), q
end

return P
