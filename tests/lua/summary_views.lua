-- summary_views.lua tests: a round's summary and the comparison of two
-- rounds (lua/views/summary.lua) with the real standard set and the real
-- UI strings of locales/sv.po and en.po: every alert rule raises its
-- alert from an answer path, with its guidance and the form that handles
-- it; handled alerts show who and the note; the child's own words keep
-- their language and direction; left-out and changed answers are listed;
-- an older version's wording comes from its canonical text; the
-- comparison marks changed and removed questions; everything is escaped,
-- headed in order, tabled with captions and charted with role="img"; and
-- no string is used that a catalogue lacks (TAP).
local root = arg[1] or "."
package.path = root .. "/lua/?.lua;" .. root .. "/plugins/standard/?.lua;" .. root .. "/tests/lua/?.lua;" .. package.path
-- What the core hands the runtime (core/plugin.c: plugin_push_core).
core = { ages = { "6-9", "10-12", "13-15", "16-18" } } -- luacheck: ignore
local h = require "html"
local Q = require "questions"
local S = require "views.summary"

local n, failed = 0, 0
local function ok(cond, what)
  n = n + 1
  print((cond and "ok " or "not ok ") .. n .. " - " .. what)
  if not cond then failed = failed + 1 end
end
local function has(s, frag) return s:find(frag, 1, true) ~= nil end
local function count(s, frag)
  local c, from = 0, 1
  while true do
    local i, j = s:find(frag, from, true)
    if not i then return c end
    c, from = c + 1, j + 1
  end
end

---------------------------------------------------------------------------
-- The catalogues: msgctxt is the key, msgstr the text.

local read_po = require("po").read

local SV = read_po(root .. "/locales/sv.po")
local EN = read_po(root .. "/locales/en.po")

-- Every key the module names is in both catalogues, as a plain pattern
-- ({N} values only, no apostrophe ICU would read as a quote).
local src = assert(io.open(root .. "/lua/views/summary.lua")):read("a")
local named, lacking, bad = {}, {}, {}
for key in src:gmatch('"(staff%.[%w_]+%.[%w_.]+)"') do named[key] = true end
for key in pairs(named) do
  for _, cat in ipairs { SV, EN } do
    local v = cat[key]
    if v == nil then
      lacking[#lacking + 1] = key
    elseif v:gsub("{%d}", ""):find("[{}]") or v:find("'[{}#|']") or v == "" then
      bad[#bad + 1] = key
    end
  end
end
table.sort(lacking)
ok(next(named) ~= nil and #lacking == 0, "every key the module names is in sv.po and en.po"
  .. (#lacking > 0 and ": " .. table.concat(lacking, " ") or ""))
ok(#bad == 0, "its strings are plain patterns" .. (#bad > 0 and ": " .. table.concat(bad, " ") or ""))
local own_keys = 0
for k in pairs(SV) do
  if k:match("^staff%.summary%.") or k:match("^staff%.compare%.") or k:match("^staff%.alert%.") then
    own_keys = own_keys + 1
    if EN[k] == nil then lacking[#lacking + 1] = k end
  end
end
ok(own_keys > 0 and #lacking == 0, "the summary's keys of sv.po are all in en.po")

-- A catalogue that notes every key a page asks for and it lacks.
local missing = {}
local function strings(cat)
  return setmetatable({}, { __index = function(_, k)
    local v = cat[k]
    if v == nil then missing[k] = true end
    return v
  end })
end
local function keys_of(t)
  local o = {}
  for k in pairs(t) do o[#o + 1] = k end
  table.sort(o)
  return #o > 0 and ": " .. table.concat(o, " ") or ""
end

---------------------------------------------------------------------------
-- The standard set now (version "v2") and an older version of it ("v1"):
-- school_like worded differently and a question since removed.

local function standard() return dofile(root .. "/plugins/standard/init.lua") end
local set = Q.load(standard(), "sv")
ok(#Q.errors(set) == 0, "the standard set loads")
local OLD_SV, OLD_EN = "GAMMAL: Tycker du om skolan?", "OLD: Do you like school?"
local old = Q.load({ standard(), { steps = {
  { reword = "school_like", text = { sv = OLD_SV, en = OLD_EN } },
  { add = { id = "school_old_q", type = "yesno", text = { sv = "Borttagen fråga?", en = "A removed question?" } },
    area = "school" },
} } }, "sv")
ok(#Q.errors(old) == 0 and old.index.school_old_q ~= nil, "the older version loads")
local CANONICALS = { v1 = Q.canonical(old) }
local AR = require "translations.ar"

local TOKEN = "TOKEN42"
local EVIL = '<script>alert("x")</script>'
local AGE = "13-15"
local CTX = { age = AGE }

local function data(extra, cat, lang)
  local d = {
    t = strings(cat or SV), lang = lang or "sv", dir = "ltr", csrf = TOKEN,
    langs = { { code = "sv", name = "Svenska", dir = "ltr" }, { code = "en", name = "English", dir = "ltr" },
      { code = "ar", name = "العربية", dir = "rtl" } },
    limits = { note = 500 },
    set = set, version = "v2", canonicals = CANONICALS, ctx = CTX,
    child = { id = 42, label = "K", lang = "ar", dir = "rtl", round = 1, age = AGE },
    answers = {}, versions = {}, history = {}, alerts = {},
  }
  for k, v in pairs(extra or {}) do d[k] = v end
  return d
end

-- The answers that make question id active (each follow-up's parent
-- answered with an option that opens it), then id answered with value.
local function path(answers, id, value)
  local q = set.index[id]
  local chain = {}
  while q.parent do
    for _, g in ipairs(q.parent.followups) do
      for _, x in ipairs(g.questions) do
        if x == q then chain[#chain + 1] = { parent = q.parent, group = g } end
      end
    end
    q = q.parent
  end
  for i = #chain, 1, -1 do
    local p, g = chain[i].parent, chain[i].group
    if not Q.test(g.when, answers, CTX, p.id) then
      for _, o in ipairs(p.options or {}) do
        answers[p.id] = (p.type == "multi" and "m:" or "o:") .. o.id
        if Q.test(g.when, answers, CTX, p.id) then break end
      end
    end
  end
  answers[id] = value
  return answers
end

-- The parts of a condition that speak of one question with the value
-- that makes each hold.
local function leaf_values(c, out)
  if c.question and (c.equals or c.any_of) then
    local q = set.index[c.question]
    local opt = c.equals or c.any_of[1]
    out[#out + 1] = { id = c.question, value = (q.type == "multi" and "m:" or "o:") .. opt }
  end
  for _, k in ipairs { "all", "any" } do
    for _, sub in ipairs(c[k] or {}) do leaf_values(sub, out) end
  end
  return out
end

---------------------------------------------------------------------------
-- What every rendering must do.

local function tags(html, tag)
  local out = {}
  for attrs in html:gmatch("<" .. tag .. "([%s>][^>]*)") do
    local a = {}
    for k, v in attrs:gmatch('([%w-]+)="([^"]*)"') do a[k] = v end
    for k in (" " .. attrs):gmatch("%s([%w-]+)[%s>]") do a[k] = a[k] or true end
    if attrs:match("%s([%w-]+)$") then a[attrs:match("%s([%w-]+)$")] = true end
    out[#out + 1] = a
  end
  return out
end

local function check(name, html)
  local problems = {}
  local function no(what) problems[#problems + 1] = what end
  if has(html, "<script") or has(html, "<b>") then no("unescaped input") end
  local posts = count(html, 'method="post"')
  local tokens = count(html, '<input name="csrf" type="hidden" value="' .. TOKEN .. '">')
  if posts ~= tokens then no("csrf " .. posts .. "/" .. tokens) end
  local ids = {}
  for id in html:gmatch(' id="([^"]*)"') do
    if ids[id] then no("duplicate id " .. id) end
    ids[id] = true
  end
  for _, attr in ipairs { "aria%-describedby", "aria%-labelledby" } do
    for list in html:gmatch(attr .. '="([^"]*)"') do
      for id in list:gmatch("%S+") do if not ids[id] then no(attr .. " " .. id) end end
    end
  end
  for href in html:gmatch('href="#([^"]*)"') do
    if not ids[href] then no("link to #" .. href) end
  end
  for _, tag in ipairs { "input", "select", "textarea" } do
    for _, a in ipairs(tags(html, tag)) do
      if a.type ~= "hidden" and (not a.id or not has(html, 'for="' .. a.id .. '"')) then
        no("unlabelled " .. tag)
      end
    end
  end
  local prev = 0
  for level in html:gmatch("<h(%d)[%s>]") do
    level = tonumber(level)
    if (prev == 0 and level ~= 1) or level > prev + 1 or (prev > 0 and level == 1) then
      no("heading order h" .. prev .. " h" .. level)
    end
    prev = level
  end
  local tables = count(html, "<table")
  if count(html, "<caption") ~= tables
    or count(html, 'class="table-wrap" role="region" tabindex="0"') ~= tables then
    no("table without caption or region")
  end
  for _, a in ipairs(tags(html, "th")) do
    if a.scope ~= "col" and a.scope ~= "row" then no("th without scope") end
  end
  for _, a in ipairs(tags(html, "svg")) do
    if a.role ~= "img" or not a["aria-label"] or a["aria-label"] == "" then no("svg without role and name") end
  end
  if count(html, "<svg") ~= count(html, "<title>") then no("svg without title") end
  ok(#problems == 0, name .. ": " .. (#problems == 0 and "escaped, tokens, ids, labels, headings, tables, charts"
    or table.concat(problems, "; ")))
end

-- The page as the staff view will wrap it: the h1 first.
local function round(d)
  local good, html = pcall(function() return h.render { h.h1 "Sammanfattning", S.round(d) } end)
  if not good then
    ok(false, "S.round renders: " .. tostring(html))
    return ""
  end
  return html
end
local function compare(d)
  local good, html = pcall(function() return h.render { h.h1 "Jämförelse", S.compare(d) } end)
  if not good then
    ok(false, "S.compare renders: " .. tostring(html))
    return ""
  end
  return html
end

-- The part of html from the element with id to the next part (the parts
-- are the sections with an id; those inside them have none).
local function part(html, id)
  local from = html:find('id="' .. id .. '"', 1, true)
  if not from then return "" end
  local to = html:find('<section [^>]*id="', from + 1)
  return html:sub(from, to and to - 1 or #html)
end

---------------------------------------------------------------------------
-- A child who answered in Arabic, read by a Swedish reader.

local AR_TEXT = "أريد أن أتحدث مع أحد.\nشكرًا"
local answers = {}
path(answers, "safety_afraid_home", "o:often")
path(answers, "help_wanted", "m:home schoolwork")
path(answers, "help_talk_to", "m:nobody")
path(answers, "help_own_words", "t:" .. AR_TEXT)
path(answers, "school_like", "o:good")
path(answers, "health_feel", "s:unclear")
path(answers, "free_time_feel", "s:skip")
path(answers, "home_feel", "o:bad")
path(answers, "home_feel_more", "t:" .. EVIL)
path(answers, "future_trust", "m:teacher")
local versions = {}
for id in pairs(answers) do versions[id] = "v2" end
versions.school_like = "v1"
local d = data {
  answers = answers, versions = versions,
  history = {
    { question = "school_like", value = "o:bad", at = "2024-04-01 12:00", version = "v1" },
    { question = "home_feel", value = "o:ok", at = "2024-04-02 08:30", version = "v2" },
    { question = "home_feel", value = "s:skip", at = "2024-04-03 09:15", version = "v2" },
  },
  alerts = {
    { id = "afraid_to_go_home", raised = "2024-05-01 10:00", handled = "2024-05-02 09:00", by = "Anna <b>",
      note = "Pratat med barnet.\nOrosanmälan gjord & klar." },
    { id = "self_harm", raised = "2024-04-20 14:00" },
  },
}
local html = round(d)
check("round (ar child, sv reader)", html)
ok(next(missing) == nil, "every string the summary asks for is in sv.po" .. keys_of(missing))

-- The order of the parts.
local at = {}
for _, id in ipairs { "alerts", "sum-areas", "sum-help", "sum-words", "sum-left-out", "sum-changes",
  "sum-all" } do
  at[#at + 1] = html:find('id="' .. id .. '"', 1, true) or 0
end
local in_order = at[1] > 0
for i = 2, #at do in_order = in_order and at[i] > at[i - 1] end
ok(in_order, "the parts in order: alerts, areas, help, own words, left out, changes, all answers")
ok(has(html, '<nav aria-label="' .. SV["staff.summary.contents"] .. '" class="sum-contents">')
  and has(html, 'href="#alerts"'), "a contents list links to the parts")

-- The questions and choices in Swedish, the child's words in Arabic.
ok(has(html, "Händer det att du är rädd för att gå hem?") and has(html, "Ja, ofta")
  and has(html, "Vill du berätta något mer med dina egna ord?"), "questions and choices in the reader's Swedish")
ok(has(html, '<blockquote class="own" dir="rtl" lang="ar">' .. AR_TEXT .. "</blockquote>"),
  "the free text exactly as written, in an element with lang=ar dir=rtl")
local saw = html:match('<details class="child%-saw">(.-)</details>') or ""
ok(has(html, '<details class="child-saw">') and has(html, AR["help_own_words"])
  and has(saw, 'lang="ar"') and has(saw, 'dir="rtl"'), "the Arabic wording one click away, in a details element")
ok(has(html, AR["safety_afraid_home"]) and has(html, AR["safety_afraid_home.often"]),
  "the Arabic wording of a question and of the chosen option")
ok(has(html, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") and not has(html, "<script"),
  "a free text with <script> is escaped")

-- Alerts: handled, no longer holding, raised now without a row.
local alerts = part(html, "alerts")
ok(has(alerts, "Pratat med barnet.\nOrosanmälan gjord &amp; klar.") and has(alerts, "<bdi>Anna &lt;b&gt;</bdi>")
  and has(alerts, "2024-05-02 09:00") and has(alerts, 'class="typed" dir="auto"'),
  "a handled alert shows when, by whom (isolated) and the note as typed")
ok(not has(alerts, 'name="alert" type="hidden" value="afraid_to_go_home"'), "a handled alert has no form")
ok(has(alerts, SV["staff.alert.gone"]) and has(alerts, 'name="alert" type="hidden" value="self_harm"'),
  "a stored alert the answers no longer raise is shown with that fact, still to handle")
ok(has(alerts, "2024-04-20 14:00"), "a stored alert shows when it was raised")
local first_open = alerts:find('class="sum-alert open"', 1, true) or math.huge
local first_handled = alerts:find('class="sum-alert handled"', 1, true) or 0
ok(first_open < first_handled, "alerts not handled come before handled ones")
ok(has(alerts, 'maxlength="500"') and has(alerts, 'name="note"') and has(alerts, " required")
  and has(alerts, SV["staff.alert.submit"]), "the form: a required note of the core's length, and the button")

-- The areas: chart, words, table.
local areas = part(html, "sum-areas")
ok(has(areas, '<svg aria-label="Trygghet: risk 3 av ') and has(areas, 'role="img"')
  and has(areas, "<title>Trygghet: risk 3 av "), "each area has a chart with role=img and its facts as its name")
ok(has(areas, "<caption") and has(areas, '<th scope="col">' .. SV["staff.summary.risk"] .. "</th>")
  and has(areas, '<th scope="row">Trygghet</th>'), "the areas as a table")
ok(has(areas, SV["staff.summary.risks"]) and has(areas, "Händer det att du är rädd för att gå hem?")
  and has(areas, "(räknas 3)"), "the answers behind a risk in words, with their weight")
ok(has(areas, SV["staff.summary.resources"]) and has(areas, "En lärare") and has(areas, "(räknas 2)"),
  "the answers behind a resource in words")
ok(has(areas, SV["staff.summary.area_unanswered"]), "an area without answers says so")

-- Help and whom to talk to.
local help = part(html, "sum-help")
ok(has(help, "Något hemma") and has(help, "Skolarbetet") and has(help, SV["staff.summary.talk_none"])
  and not has(help, "Ingen just nu</li>"), "help wanted in words; 'nobody' said in a sentence")

-- Left out, changes, all answers.
local left = part(html, "sum-left-out")
ok(has(left, "Ville inte svara (1)") and has(left, "Förstod inte frågan (1)")
  and has(left, SV["staff.summary.left_out_intro"]), "skipped and unclear listed, as a signal")
ok(has(left, "Hur har du mått") or has(left, set.index.health_feel.text.sv), "an unclear question by its text")
local changes = part(html, "sum-changes")
ok(has(changes, "2024-04-01 12:00") and has(changes, "2024-04-03 09:15") and has(changes, "<table")
  and has(changes, "Dåligt") and has(changes, "Ville inte svara"), "the history: earlier answers with their time")
ok(has(changes, OLD_SV), "a changed answer's question read with the set of its version")
local all = part(html, "sum-all")
ok(has(all, OLD_SV) and not has(all, "Hur trivs du i skolan?") and has(all, SV["staff.summary.older_version"]),
  "an answer under an older version is worded from its canonical text")
ok(has(all, "Hemma") and has(all, "<h3"), "all answers, area by area")

---------------------------------------------------------------------------
-- Every alert rule of the standard set, raised from an answer path.

for _, rule in ipairs(set.alerts) do
  local leaves = leaf_values(rule.when, {})
  for _, leaf in ipairs(leaves) do
    local a = path({}, leaf.id, leaf.value)
    local raised = false
    for _, r in ipairs(Q.alerts(set, a, CTX)) do raised = raised or r.id == rule.id end
    local page = round(data { answers = a })
    local sec = part(page, "alerts")
    local guidance = h.escape(rule.guidance.sv)
    local q = set.index[leaf.id]
    ok(raised and has(sec, guidance) and has(sec, h.escape(Q.question_text(set, q, "sv", CTX)))
      and has(sec, 'action="/staff/alert"') and has(sec, '<input name="csrf" type="hidden" value="TOKEN42">')
      and has(sec, '<input name="id" type="hidden" value="42">')
      and has(sec, '<input name="alert" type="hidden" value="' .. rule.id .. '">')
      and has(sec, 'name="note"') and has(sec, SV["staff.alert.raised_unknown"]),
      "alert " .. rule.id .. " from " .. leaf.id .. ": guidance, the answer, the handle form")
  end
end

local calm = round(data {})
check("round without answers", calm)
ok(has(calm, SV["staff.alert.none"]) and not has(calm, "<form"), "no alerts: one short line, no form")
ok(has(calm, SV["staff.summary.own_words_none"]) and has(calm, SV["staff.summary.changes_none"])
  and has(calm, SV["staff.summary.all_none"]), "an empty round says so in each part")

---------------------------------------------------------------------------
-- Readers: English, right to left, other digits.

local en_page = round(data({ answers = answers, versions = versions, alerts = d.alerts, history = d.history },
  EN, "en"))
check("round (en reader)", en_page)
ok(has(en_page, "Are you ever afraid to go home?") and has(en_page, "Yes, often")
  and has(en_page, h.escape(set.alerts[2].guidance.en)) and has(en_page, EN["staff.alert.submit"])
  and has(en_page, OLD_EN), "an English reader reads English questions, choices, guidance and UI")
ok(next(missing) == nil, "every string the summary asks for is in en.po" .. keys_of(missing))

local rtl = round(data({ answers = answers, versions = versions, dir = "rtl", digits = "٠١٢٣٤٥٦٧٨٩" }))
ok(has(rtl, 'direction="rtl"') and has(rtl, 'x="300"') and not has(rtl, 'direction="ltr"'),
  "a right-to-left page draws its bars and labels from the right")
ok(has(rtl, "٣ av ") and not has(rtl, ">3 av "), "numbers in the page's digits")

local unknown_lang = round(data({ answers = { help_own_words = "t:hej" }, child = { id = 7 } }))
ok(has(unknown_lang, '<blockquote class="own" dir="auto">hej</blockquote>')
  and not has(unknown_lang, "child-saw"), "a child of unknown language: dir=auto, no wording to unfold")

local gone_rule = round(data({ alerts = { { id = "no_such_rule", raised = "2024-03-03 10:00" } } }))
ok(has(gone_rule, '<code dir="ltr">no_such_rule</code>')
  and has(gone_rule, '<input name="alert" type="hidden" value="no_such_rule">'),
  "a stored alert whose rule the set no longer has: named by its id, still to handle")

local under_old = round(data({ answers = { school_old_q = "o:yes", school_like = "o:good" },
  versions = { school_old_q = "v1", school_like = "v1" } }))
ok(has(part(under_old, "sum-all"), "Borttagen fråga?") and has(part(under_old, "sum-areas"), OLD_SV),
  "a round answered only under an older version is read and scored with that version's set")

local broken = round(data({ answers = { school_like = "o:good" }, versions = { school_like = "v9" },
  canonicals = { v9 = "return {" } }))
ok(has(broken, "Hur trivs du i skolan?"), "an unreadable canonical falls back to the current set")

---------------------------------------------------------------------------
-- Two rounds.

local before = { school_like = "o:bad", school_old_q = "o:yes", safety_afraid_home = "o:often",
  help_own_words = "t:" .. AR_TEXT, home_welcome = "o:yes" }
local after = { school_like = "o:good", safety_afraid_home = "o:no", help_own_words = "t:" .. EVIL,
  home_welcome = "o:yes" }
local bv, av = {}, {}
for id in pairs(before) do bv[id] = "v1" end
for id in pairs(after) do av[id] = "v2" end
local cd = data {
  before = { id = 1, round = 1, started = "2024-01-10", answers = before, versions = bv },
  after = { id = 2, round = 2, started = "2024-05-10", answers = after, versions = av },
}
local cmp = compare(cd)
check("compare", cmp)
ok(next(missing) == nil, "every string the comparison asks for is in sv.po" .. keys_of(missing))
ok(has(cmp, "Omgång 1, påbörjad 2024-01-10") and has(cmp, "Omgång 2, påbörjad 2024-05-10"),
  "the two rounds named with their dates")
local function row(page, text)
  local i = page:find(text, 1, true)
  if not i then return "" end
  local s = page:sub(1, i):match(".*()<tr") or i
  local e = page:find("</tr>", i, true) or #page
  return page:sub(s, e)
end
local changed = row(cmp, "Hur trivs du i skolan?")
ok(has(changed, SV["staff.compare.question_changed"]) and has(changed, OLD_SV)
  and has(changed, 'class="changed"') and has(changed, SV["staff.compare.changed"]),
  "a question worded differently between the rounds is marked in words")
local removed = row(cmp, "Borttagen fråga?")
ok(has(removed, SV["staff.compare.removed"]) and has(removed, SV["staff.compare.not_asked"]),
  "a question only the before round had is marked removed, not asked after")
local same = row(cmp, set.index.home_welcome.text.sv)
ok(has(same, SV["staff.compare.same"]) and not has(same, 'class="changed"'), "an unchanged answer says so")
local afraid = row(cmp, "Händer det att du är rädd för att gå hem?")
ok(has(afraid, "Ja, ofta") and has(afraid, "Nej") and has(afraid, SV["staff.compare.changed"]),
  "a changed answer: both answers in words, marked changed")
ok(has(cmp, '<blockquote') == false and has(cmp, 'class="own" dir="rtl" lang="ar"')
  and has(cmp, "&lt;script&gt;"), "free text in the child's language, escaped")
ok(has(cmp, 'role="img"') and has(cmp, "<svg") and has(cmp, "Trygghet: risk 3 före och 0 efter"),
  "a chart per area with before and after as its name")
ok(has(cmp, "3 av ") and has(cmp, "(ned 3)"), "the area table says how the score moved, in words")
ok(has(cmp, "Larm som svaren ger: 1 i omgång 1 och 0 i omgång 2."),
  "each round's alerts counted with its own set")

local cmp_en = compare(data({ before = cd.before, after = cd.after }, EN, "en"))
check("compare (en reader)", cmp_en)
ok(has(cmp_en, EN["staff.compare.question_changed"]) and has(cmp_en, OLD_EN),
  "the comparison in English")
ok(next(missing) == nil, "no string missing after all" .. keys_of(missing))

print("1.." .. n)
os.exit(failed == 0 and 0 or 1)
