-- staff_views.lua tests: the staff's pages (lua/views/staff.lua) through
-- host.page as the core calls it, with the real UI strings of
-- locales/sv.po and en.po: every page renders, escapes what people typed,
-- carries its CSRF token in every form that posts, labels every field,
-- heads its tables, and uses no string the catalogues lack (TAP).
local root = arg[1] or "."
package.path = root .. "/lua/?.lua;" .. root .. "/tests/lua/?.lua;" .. package.path
-- What the core hands the runtime (core/plugin.c: plugin_push_core).
local AGES = { "6-9", "10-12", "13-15", "16-18" }
core = { ages = AGES } -- luacheck: ignore
local host = require "host"
local staff = require "views.staff"
local Q = require "questions"

-- The tenant's set, as the core loads it: the staff's pages of a child
-- render its answers through it.
local SET_DEF = { id = "t", language = "sv", languages = { "sv", "en" }, areas = {
  { id = "home", title = { sv = "Hemma" }, questions = {
    { id = "feel", type = "yesno", text = { sv = "Mår du bra?", en = "Are you well?" } },
    { id = "n", type = "number", min = 0, max = 9, text = { sv = "Hur många?" } },
    { id = "x", type = "text", text = { sv = "Något mer?" } },
  } } } }
host.load_set({ SET_DEF }, "sv", {})

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

local only_sv, only_en = {}, {}
for k in pairs(SV) do if EN[k] == nil then only_sv[#only_sv + 1] = k end end
for k in pairs(EN) do if SV[k] == nil then only_en[#only_en + 1] = k end end
ok(#only_sv == 0 and #only_en == 0, "sv.po and en.po have the same keys"
  .. ((#only_sv + #only_en > 0) and (" (only sv: " .. table.concat(only_sv, " ") .. "; only en: "
    .. table.concat(only_en, " ") .. ")") or ""))

-- The strings the staff's pages use: plain {N} values only (what L.fmt
-- fills), no apostrophe that ICU would read as a quote (next to a brace,
-- # or |) and none doubled (the views show the raw pattern).
local bad = {}
for _, cat in ipairs { SV, EN } do
  for k, v in pairs(cat) do
    if k:match("^staff%.") or k:match("^audit%.") or k:match("^unit%.") or k:match("^password%.") then
      local rest = v:gsub("{%d}", "")
      if rest:find("[{}]") or v:find("'[{}#|']") or v == "" then bad[#bad + 1] = k end
    end
  end
end
ok(#bad == 0, "staff strings are plain patterns" .. (#bad > 0 and ": " .. table.concat(bad, " ") or ""))

-- A catalogue that notes every key a page asks for and it lacks (but
-- the audit action the test makes up, which is shown as it is).
local missing = {}
local function strings(cat)
  return setmetatable({}, { __index = function(_, k)
    local v = cat[k]
    if v == nil and k ~= "audit.action.some_new_action" then missing[k] = true end
    return v
  end })
end

---------------------------------------------------------------------------
-- Sample data, with hostile strings where people type.

local EVIL = '<script>alert("x")</script>'
local QUOTE = 'Ö"lund\' & <b>'
local TOKEN = "TOKEN42"

local function data(page_path, extra, cat, lang)
  local d = {
    t = strings(cat or SV), lang = lang or "sv", dir = "ltr", csrf = TOKEN, path = page_path,
    tenant = "demo<i>", lang_action = "/staff/language",
    langs = { { code = "sv", name = "Svenska", dir = "ltr" }, { code = "en", name = "English", dir = "ltr" },
      { code = "ar", name = "العربية", dir = "rtl" } },
    limits = { code = 40, secret = 200, answer = 2000, login = 64, name = 100, unit = 100, label = 200,
      password = 200 },
  }
  for k, v in pairs(extra or {}) do d[k] = v end
  return d
end

local ME = { login = "anna", name = EVIL, admin = false, professional = true }
local ADMIN = { login = "root", name = "Ada", admin = true, professional = false }
local UNITS = { { id = 1, name = "Skola " .. EVIL, kind = "school" }, { id = 2, name = QUOTE, kind = "other" } }
local QR = '<svg xmlns="http://www.w3.org/2000/svg" class="qr" role="img" aria-label="QR"'
  .. ' viewBox="0 0 10 10"><rect width="10" height="10" fill="#fff"/><path fill="#000" d="M4 4h1v1h-1z"/></svg>'

local STATES = { "unused", "not_started", "answering", "finished", "round_locked", "locked_out" }
local KINDS = { "school", "student_health", "social_services", "child_psychiatry", "other" }
local ACTIONS = { "login", "login_failed", "factor", "factor_failed", "logout", "logout_all", "activate",
  "enrol", "recovery_used", "recovery_new", "invite", "read", "unlock", "lock", "reopen", "unit_add",
  "staff_add", "staff_reset", "staff_disable", "staff_roles", "audit_read" }

local children = {}
for i, s in ipairs(STATES) do
  children[i] = { id = i, label = i == 1 and EVIL or (i == 2 and "" or "Kim " .. i),
    age = i == 3 and "" or "10-12", unit = UNITS[1].name, state = s }
end
local people = {
  { id = 1, login = "ada", name = "Ada", admin = true, disabled = false, active = true, enrolled = true, units = "" },
  { id = 2, login = "bo", name = EVIL, admin = false, disabled = false, active = false, enrolled = false,
    units = "Skola A, Skola B", unit_ids = { 1, 2 } },
  { id = 3, login = "cy", name = "Cy", admin = false, disabled = true, active = true, enrolled = true, units = "X" },
}
local rows = {}
for i, a in ipairs(ACTIONS) do
  rows[i] = { id = i, at = "2024-05-01 10:0" .. (i % 10) .. " UTC", actor = i == 1 and EVIL or "anna",
    action = a, child = i == 2 and QUOTE or nil, detail = i == 3 and EVIL or nil, request = "r" .. i }
end
rows[#rows + 1] = { id = 99, at = "2024-05-02 00:00 UTC", actor = "x", action = "some_new_action" }

-- Every page with the data the core gives it (several variants of some).
local PAGES = {
  { "staff_login", "/staff/", {} },
  { "staff_login", "/staff/login", { error = "staff.login.failed", login = EVIL } },
  { "staff_login", "/staff/login", { error = "staff.login.locked", login = "anna" } },
  { "staff_factor", "/staff/factor", {} },
  { "staff_factor", "/staff/factor", { error = "staff.factor.failed" } },
  { "staff_factor", "/staff/factor", { error = "staff.login.locked" } },
  { "staff_activate", "/staff/activate", { invalid = true } },
  { "staff_activate", "/staff/activate", { token = "tok" .. QUOTE, name = EVIL, login = "bo" } },
  { "staff_activate", "/staff/activate", { token = "t", name = "Bo", login = "bo", error = "password.short" } },
  { "staff_activate", "/staff/activate", { token = "t", name = "Bo", login = "bo", error = "password.long" } },
  { "staff_activate", "/staff/activate", { token = "t", name = "Bo", login = "bo", error = "password.weak" } },
  { "staff_activate", "/staff/activate", { token = "t", name = "Bo", login = "bo", error = "password.user" } },
  { "staff_activate", "/staff/activate", { token = "t", name = "Bo", login = "bo",
    error = "staff.activate.mismatch" } },
  { "staff_enrol", "/staff/enrol", { qr = QR, secret = "JBSW Y3DP EHPK 3PXP" } },
  { "staff_enrol", "/staff/enrol", { qr = QR, secret = "JBSW Y3DP EHPK 3PXP", error = "staff.factor.failed" } },
  { "staff_recovery", "/staff/recovery", { me = ME, codes = { "AAAA-BBBB-CCCC", EVIL }, left = 10 } },
  { "staff_recovery", "/staff/recovery", { me = ME, left = 3 } },
  { "staff_home", "/staff/", { me = ME, units = UNITS, children = children, ages = AGES,
    new_code = { code = "K7Q2-M9XH-4RTP", label = EVIL, address = "https://demo.example",
      qr = '<svg class="qr" role="img" aria-label="QR"></svg>' } } },
  { "staff_home", "/staff/", { me = ME, units = UNITS, children = {}, ages = AGES,
    new_code = { code = "K7Q2-M9XH-4RTP", label = "" } } },
  { "staff_home", "/staff/", { me = ADMIN, units = {}, children = {}, ages = AGES } },
  { "staff_home", "/staff/", { me = { login = "x", name = "X", admin = false, professional = false },
    units = {}, children = {}, ages = AGES } },
  { "staff_sessions", "/staff/sessions", { me = ME, sessions = {
    { created = "2024-05-01 10:00 UTC", seen = "2024-05-01 10:05 UTC", agent = EVIL, current = true },
    { created = "2024-04-30 08:00 UTC", seen = "2024-04-30 09:00 UTC", agent = "", current = false } } } },
  { "staff_units", "/staff/units", { me = ADMIN, units = UNITS, kinds = KINDS } },
  { "staff_units", "/staff/units", { me = ADMIN, units = {}, kinds = KINDS, error = "staff.unit.exists" } },
  { "staff_units", "/staff/units", { me = ADMIN, units = UNITS, kinds = KINDS, error = "staff.unit.invalid" } },
  { "staff_people", "/staff/people", { me = ADMIN, people = people, units = UNITS, kinds = KINDS,
    link = { login = EVIL, url = "https://demo.example/staff/activate?t=abc&x=\"1\"" } } },
  { "staff_people", "/staff/people", { me = ADMIN, people = people, units = {}, kinds = KINDS } },
  { "staff_audit", "/staff/audit", { me = ADMIN, rows = rows, actions = ACTIONS,
    filter = { actor = EVIL, child = "", action = "read", from = "2024-05-01", to = "2024-05-02" } } },
  { "staff_audit", "/staff/audit", { me = ADMIN, rows = {}, actions = ACTIONS, filter = {} } },
}
for _, e in ipairs { "staff.people.exists", "staff.people.invalid_login", "staff.people.invalid_name",
  "staff.people.invalid_unit" } do
  PAGES[#PAGES + 1] = { "staff_people", "/staff/people", { me = ADMIN, people = people, units = UNITS,
    kinds = KINDS, error = e } }
end
for _, s in ipairs(STATES) do
  PAGES[#PAGES + 1] = { "staff_child", "/staff/child", { me = ME,
    child = { id = 7, child = 3, round = 1, label = EVIL, age = "13-15", unit = QUOTE, state = s, lang = "ar",
      dir = "rtl", rounds = { { id = 7, round = 1, state = s, started = "2024-05-01 10:00 UTC" },
        { id = 9, round = 2, state = "not_started" } }, started = "2024-05-01 10:00 UTC" },
    answers = { feel = "o:no", x = "t:" .. EVIL .. QUOTE }, versions = {}, history = {}, alerts = {},
    ctx = { age = "13-15" } } }
end
PAGES[#PAGES + 1] = { "staff_child", "/staff/child", { me = ME,
  child = { id = 8, child = 4, round = 1, label = "", age = "", unit = "A", state = "unused",
    rounds = { { id = 8, round = 1, state = "unused" } } }, answers = {}, versions = {}, history = {},
  alerts = {}, ctx = {} } }

PAGES[#PAGES + 1] = { "staff_mapping", "/staff/mapping", { me = ME, units = UNITS, today = "2026-12-06",
  slips_max = 300, rounds = {
    { id = 4, name = EVIL, unit = QUOTE, opens = "2026-01-01", closes = "2026-12-31", groups = {
      { id = 9, name = EVIL, expected = 25, invited = 25, begun = 20, finished = 18 },
      { id = 10, name = "4B", expected = 3, invited = 0, begun = 0, finished = 0 } } },
    { id = 5, name = "Förra året", unit = "A", opens = "2025-01-01", closes = "2025-12-31",
      closed = "2026-01-01 00:00 UTC", groups = { { id = 11, name = "4A", expected = 20, invited = 20,
        begun = 19, finished = 19 } } } } } }
PAGES[#PAGES + 1] = { "staff_mapping", "/staff/mapping", { me = ME, units = {}, rounds = {} } }
PAGES[#PAGES + 1] = { "staff_report", "/staff/mapping/report", { me = ME, report = { id = 4, name = EVIL,
  opens = "2026-01-01", closes = "2026-12-31", closed = "2027-01-01 00:00 UTC",
  groups = { { id = 9, name = EVIL }, { id = 10, name = "4B" } }, respondents = 28, expected = 50,
  alerted = { { value = "alerted", hidden = true }, { value = "not_alerted", hidden = true } },
  questions = { feel = { cells = { { value = "yes", n = 19 }, { value = "no", hidden = true },
    { value = "s:skip", hidden = true }, { value = "gone", n = 5 } } }, n = { cells = { { value = "n:4", n = 12 } } },
    x = { cells = { { value = "t", n = 15 } } } } } } }
PAGES[#PAGES + 1] = { "staff_report", "/staff/mapping/report", { me = ME, report = { id = 4, name = "R",
  opens = "2026-01-01", closes = "2026-12-31", group = 10, group_name = "4B",
  groups = { { id = 10, name = "4B" } }, refused = "differencing" } } }
PAGES[#PAGES + 1] = { "staff_report", "/staff/mapping/report", { me = ME, report = { id = 4, name = "R",
  opens = "2026-01-01", closes = "2026-12-31", groups = {}, refused = "open" } } }

local function render(page, d)
  local parts, csrf = host.page(page, d)
  return table.concat(parts, csrf), parts
end

---------------------------------------------------------------------------
-- What every page must do.

-- The attributes of each tag named tag in html, as tables.
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

local function check_common(name, html, parts, d)
  local problems = {}
  local function no(what) problems[#problems + 1] = what end
  -- Escaping: no hostile markup comes out as markup.
  if has(html, "<script>alert") or has(html, "<b>") or has(html, "<i>") then no("unescaped input") end
  -- The token: only where the core joins it, once per form that posts
  -- and once in the language menu's.
  if has(table.concat(parts), TOKEN) then no("token inside a piece") end
  local posts = count(html, 'method="post"')
  local tokens = count(html, '<input name="csrf" type="hidden" value="' .. TOKEN .. '">')
  if posts ~= tokens or tokens ~= #parts - 1 then no("csrf " .. posts .. "/" .. tokens .. "/" .. (#parts - 1)) end
  -- Ids unique; aria-describedby names ids that exist; every field labelled.
  local ids = {}
  for id in html:gmatch(' id="([^"]*)"') do
    if ids[id] then no("duplicate id " .. id) end
    ids[id] = true
  end
  for list in html:gmatch('aria%-describedby="([^"]*)"') do
    for id in list:gmatch("%S+") do if not ids[id] then no("describedby " .. id) end end
  end
  for _, tag in ipairs { "input", "select", "textarea" } do
    for _, a in ipairs(tags(html, tag)) do
      if a.type ~= "hidden" and not a.hidden then
        if not a.id or not has(html, 'for="' .. a.id .. '"') then
          no("unlabelled " .. tag .. " " .. tostring(a.name))
        end
      end
    end
  end
  for _, a in ipairs(tags(html, "input")) do
    if a.type == "password" and a.autocomplete ~= "current-password" and a.autocomplete ~= "new-password" then
      no("password without autocomplete")
    end
  end
  -- Headings: one h1, first; never a level skipped.
  local prev = 0
  for level in html:gmatch("<h(%d)[%s>]") do
    level = tonumber(level)
    if (prev == 0 and level ~= 1) or level > prev + 1 or (prev > 0 and level == 1) then
      no("heading order h" .. prev .. " h" .. level)
    end
    prev = level
  end
  if prev == 0 then no("no heading") end
  -- Tables: captioned, in their scrolling region, every th scoped.
  local tables = count(html, "<table")
  if count(html, "<caption") ~= tables then no("table without caption") end
  if count(html, '<div aria-label="') < tables
    or count(html, 'class="table-wrap" role="region" tabindex="0"') ~= tables then
    no("table without its region")
  end
  for _, a in ipairs(tags(html, "th")) do
    if a.scope ~= "col" and a.scope ~= "row" then no("th without scope") end
  end
  -- The shell.
  if not has(html, "<title>") or not has(html, " – Berätta") then no("title") end
  if not has(html, 'action="/staff/language"') then no("language menu") end
  if d.me and not has(html, 'action="/staff/logout"') then no("logout form") end
  if not d.me and has(html, 'action="/staff/logout"') then no("logout without a session") end
  if d.error and not has(html, 'role="alert"') then no("error without role=alert") end
  if d.error and not has(html, "<title>" .. d.t["staff.title.error"]:gsub("{0}.*", "")) then no("error title") end
  ok(#problems == 0, name .. ": " .. (#problems == 0 and "escaped, tokens, labels, headings, tables"
    or table.concat(problems, "; ")))
end

local pages = {}
for i, p in ipairs(PAGES) do
  local name, path, extra = p[1], p[2], p[3]
  local d = data(path, extra)
  local good, html, parts = pcall(render, name, d)
  if not good then
    ok(false, name .. " #" .. i .. " renders: " .. tostring(html))
  else
    check_common(name .. " #" .. i, html, parts, d)
    pages[i] = html
  end
end
local function keys_of(t)
  local o = {}
  for k in pairs(t) do o[#o + 1] = k end
  table.sort(o)
  return #o > 0 and ": " .. table.concat(o, " ") or ""
end
ok(next(missing) == nil, "every string the pages ask for is in sv.po" .. keys_of(missing))

-- The same pages in English.
for _, p in ipairs(PAGES) do
  pcall(render, p[1], data(p[2], p[3], EN, "en"))
end
ok(next(missing) == nil, "every string the pages ask for is in en.po" .. keys_of(missing))

---------------------------------------------------------------------------
-- Each page's own content.

local function page(i) return pages[i] or "" end
local login, login_failed, login_locked = page(1), page(2), page(3)
ok(has(login, 'action="/staff/login"') and has(login, 'autocomplete="username"')
  and has(login, 'autocomplete="current-password"') and has(login, 'maxlength="64"')
  and has(login, 'name="password"'), "login: the form, its fields and their autocomplete")
ok(not has(login, 'role="alert"') and not has(login, "<nav"), "login: no error, no staff menu before logging in")
ok(has(login_failed, SV["staff.login.failed"]) and has(login_failed, 'aria-invalid="true"')
  and has(login_failed, 'aria-describedby="login-error"'), "login: a failure is told and tied to the fields")
ok(has(login_failed, 'value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"'),
  "login: the typed login comes back escaped")
ok(has(login_locked, SV["staff.login.locked"]), "login: the lock is told")
ok(has(login, "<title>" .. SV["staff.title.login"] .. " – Berätta</title>")
  and has(login_failed, "<title>Fel: " .. SV["staff.title.login"]), "login: the title, marked on an error")
ok(has(login, 'demo&lt;i&gt;'), "the tenant's name is in the header, escaped")

local factor = page(4)
ok(has(factor, 'action="/staff/factor"') and has(factor, 'autocomplete="one-time-code"')
  and not has(factor, "inputmode") and has(factor, SV["staff.factor.hint"]),
  "factor: a code field that takes recovery codes too")
ok(has(page(5), SV["staff.factor.failed"]) and has(page(5), 'aria-describedby="code-error code-hint"'),
  "factor: a wrong code is told")
ok(has(page(6), SV["staff.login.locked"]), "factor: the lock is told")

ok(has(page(7), SV["staff.activate.invalid"]) and not has(page(7), "<form method")
  and not has(page(7), 'name="password"'), "activate: an invalid link has no form")
local act = page(8)
ok(has(act, 'action="/staff/activate"') and has(act, 'name="token" type="hidden" value="tokÖ&quot;lund&#39; &amp;')
  and count(act, 'autocomplete="new-password"') == 2 and has(act, 'name="again"')
  and has(act, SV["staff.activate.hint"]), "activate: token, two new passwords and the rule")
ok(has(act, "<bdi>&lt;script&gt;") and has(act, '<strong dir="ltr">bo</strong>'),
  "activate: the name and login shown")
for i, e in ipairs { "password.short", "password.long", "password.weak", "password.user" } do
  ok(has(page(8 + i), SV[e]) and has(page(8 + i), 'aria-describedby="password-error password-hint"'),
    "activate: " .. e .. " is told at the password")
end
ok(has(page(13), SV["staff.activate.mismatch"]) and has(page(13), 'aria-describedby="password-error" '
  .. 'aria-invalid="true" autocomplete="new-password" id="again"'), "activate: a mismatch is told at the second field")

local enrol = page(14)
ok(has(enrol, '<figure class="qr"><svg xmlns="http://www.w3.org/2000/svg"') and has(enrol, "<figcaption>"),
  "enrol: the QR code's SVG as it is, in a figure with a caption")
ok(has(enrol, '<code dir="ltr" lang="en">JBSW Y3DP EHPK 3PXP</code>') and has(enrol, 'action="/staff/enrol"')
  and has(enrol, 'autocomplete="one-time-code"') and count(enrol, "<li>") >= 3,
  "enrol: steps, the key to type and the code field")
ok(has(page(15), SV["staff.factor.failed"]), "enrol: a wrong code is told")

local rec, rec_gone = page(16), page(17)
ok(has(rec, "<ol") and has(rec, ">AAAA-BBBB-CCCC</code>") and has(rec, "&lt;script&gt;")
  and has(rec, SV["staff.recovery.save"]) and has(rec, 'href="/staff/"'), "recovery: the codes once, with the warning")
ok(not has(rec, "/staff/recovery/new"), "recovery: no renewal while the codes are shown")
ok(has(rec_gone, SV["staff.recovery.gone"]) and has(rec_gone, 'action="/staff/recovery/new"')
  and has(rec_gone, "Oanvända reservkoder: 3"), "recovery: gone, how many are left, make new ones")

local home = page(18)
ok(has(home, "Välkommen, <bdi>&lt;script&gt;"), "home: greets by name, escaped")
ok(has(home, 'href="/staff/child?id=1"') and has(home, 'href="/staff/child?id=6"')
  and has(home, ">Barn 2</a>"), "home: each child links to its page; one without a label by number")
for _, s in ipairs(STATES) do
  ok(has(home, SV["staff.state." .. s]), "home: the state " .. s .. " in words")
end
ok(has(home, "10-12 år") and has(home, SV["staff.age.none"]), "home: ages in words")
ok(has(home, 'action="/staff/invite"') and has(home, '<select id="unit" name="unit" required>')
  and has(home, '<option value="2">Ö&quot;lund') and has(home, 'maxlength="200"')
  and has(home, '<option selected value="">' .. SV["staff.age.none"]) and has(home, '<option value="16-18">'),
  "home: the invitation form with units, label and ages")
ok(has(home, 'id="new-code" role="status" tabindex="-1"')
  and has(home, '<code dir="ltr" lang="en">K7Q2-M9XH-4RTP</code>')
  and has(home, SV["staff.invite.once"]), "home: the new code once, in a status box")
ok(has(home, 'class="slip"') and has(home, '<strong dir="ltr">https://demo.example</strong>')
  and has(home, '<svg class="qr" role="img" aria-label="QR"></svg>')
  and has(home, '<strong class="slip-code" dir="ltr" lang="en">K7Q2-M9XH-4RTP</strong>'),
  "home: the slip to print: the address, the code, the QR code")
ok(has(home, '<a aria-current="page" href="/staff/">') and has(home, 'href="/staff/sessions"')
  and not has(home, 'href="/staff/units"'), "home: the menu marks the page, no admin links for a professional")
ok(has(page(19), SV["staff.children.none"]) and has(page(19), SV["staff.invite.new"])
  and not has(page(19), "<table"), "home: no children yet; a new code without a label")
ok(has(page(20), SV["staff.home.admin"]) and has(page(20), '<a href="/staff/audit">')
  and not has(page(20), "/staff/invite"), "home: an administrator without units reads no children")
ok(has(page(21), SV["staff.home.nothing"]) and not has(page(21), "/staff/invite"), "home: nothing to do yet")

local sess = page(22)
ok(has(sess, "2024-05-01 10:05 UTC") and has(sess, SV["staff.sessions.current"])
  and has(sess, SV["staff.sessions.unknown"]) and has(sess, 'action="/staff/sessions/end-all"')
  and has(sess, 'href="/staff/recovery"'), "sessions: the table, this one marked, log out everywhere")

local units = page(23)
ok(has(units, SV["unit.kind.school"]) and has(units, "Skola &lt;script&gt;") and has(units, 'action="/staff/units"')
  and has(units, 'maxlength="100"'), "units: the table with kinds in words, and the form")
for _, k in ipairs(KINDS) do
  ok(has(units, '<option value="' .. k .. '">' .. SV["unit.kind." .. k] .. "</option>"), "units: kind " .. k)
end
ok(has(units, '<a aria-current="page" href="/staff/units">') and has(units, 'href="/staff/audit"'),
  "units: an administrator's menu")
ok(has(page(24), SV["staff.unit.exists"]) and has(page(24), SV["staff.units.none"])
  and has(page(24), 'aria-describedby="unit-error"'), "units: a taken name is told at the field")
ok(has(page(25), SV["staff.unit.invalid"]), "units: an invalid name is told")

local ppl = page(26)
ok(has(ppl, SV["staff.people.waiting"]) and has(ppl, SV["staff.people.disabled"])
  and has(ppl, SV["staff.people.active"]),
  "people: each status in words")
ok(count(ppl, 'action="/staff/people/reset"') == 2 and count(ppl, 'action="/staff/people/disable"') == 2,
  "people: reset and disable for each account not disabled")
ok(has(ppl, '<input name="id" type="hidden" value="2">') and has(ppl, '<span class="sr"> &lt;script&gt;'),
  "people: each row's buttons name their person")
ok(has(ppl, 'action="/staff/people"') and has(ppl, 'name="admin" type="checkbox" value="1"')
  and has(ppl, '<legend>') and has(ppl, 'name="unit" type="checkbox" value="1"'),
  "people: the form with the admin box and the units")
ok(has(ppl, "https://demo.example/staff/activate?t=abc&amp;x=&quot;1&quot;") and has(ppl, SV["staff.people.link_once"])
  and has(ppl, 'id="new-link" role="status"'), "people: the activation link once, escaped")
ok(count(ppl, 'action="/staff/people/roles"') == 2 and has(ppl, 'checked id="roles-2-unit-1"')
  and has(ppl, 'checked id="roles-2-unit-2"') and has(ppl, 'checked id="roles-1-admin"')
  and not has(ppl, 'checked id="roles-2-admin"') and not has(ppl, 'checked id="roles-1-unit-1"'),
  "people: each account's roles form, its units and administrator role ticked")
ok(has(page(27), SV["staff.people.units_none"]), "people: no units yet")
local again = render("staff_people", data("/staff/people", { me = ADMIN, people = {}, units = UNITS, kinds = KINDS,
  error = "staff.people.invalid_name", form = { login = "new", name = EVIL, admin = true, units = { 2 } } }))
ok(has(again, 'id="login" maxlength="64" name="login" required spellcheck="false" type="text" value="new"')
  and has(again, 'value="&lt;script&gt;') and has(again, 'checked id="admin"')
  and has(again, 'checked id="unit-2"') and not has(again, 'checked id="unit-1"'),
  "people: a refused form comes back as typed (data.form)")
for i, e in ipairs { "staff.people.exists", "staff.people.invalid_login", "staff.people.invalid_name",
  "staff.people.invalid_unit" } do
  ok(has(page(29 + i), SV[e]) and has(page(29 + i), "person-error"), "people: " .. e .. " is told")
end

local audit = page(28)
ok(has(audit, 'method="get"') and has(audit, 'action="/staff/audit"') and has(audit, 'type="date"')
  and has(audit, 'value="2024-05-01"') and has(audit, '<option selected value="read">')
  and has(audit, '<option value="">' .. SV["staff.audit.all"]), "audit: the filter, filled in")
ok(has(audit, 'id="actor" name="actor" type="text" value="&lt;script&gt;'), "audit: the filter escaped")
local words = true
for _, a in ipairs(ACTIONS) do words = words and has(audit, SV["audit.action." .. a]) end
ok(words and has(audit, "some_new_action"), "audit: every action in words, an unknown one as it is")
ok(has(audit, 'Ö&quot;lund') and has(audit, '<code dir="ltr">r1</code>'), "audit: child and request shown")
ok(has(page(29), SV["staff.audit.none"]) and not has(page(29), "<table"), "audit: nothing found")

local first_child = 34
local child = page(first_child)
ok(has(child, "<h1>&lt;script&gt;") and has(child, "<dl") and has(child, "13-15 år")
  and has(child, SV["staff.child.audited"]), "child: the label, the facts, the audit note")
ok(has(child, "Mår du bra?") and has(child, "&lt;script&gt;") and not has(child, "<script>alert"),
  "child: the answers through the set, what the child wrote escaped")
ok(has(child, 'href="/staff/child?id=9"') and has(child, SV["staff.round.list"]),
  "child: the child's other rounds")
local expect = { locked_out = "unlock", answering = "lock", finished = "lock", round_locked = "reopen" }
for i, s in ipairs(STATES) do
  local p = page(first_child - 1 + i)
  local want = expect[s]
  local got = {}
  for _, a in ipairs { "unlock", "lock", "reopen" } do
    if has(p, 'action="/staff/child/' .. a .. '"') then got[#got + 1] = a end
  end
  ok(table.concat(got, " ") == (want or "") and (not want or has(p, '<input name="id" type="hidden" value="7">'))
    and has(p, 'action="/staff/child/renew"') and has(p, 'action="/staff/child/round"'),
    "child: " .. s .. " offers " .. (want or "nothing") .. ", a new code and a new round")
end
ok(has(page(first_child + #STATES), ">Barn 8 – Omgång 1</h1>"),
  "child: no answers yet; no label, so by number, and the round")

---------------------------------------------------------------------------
-- With the set: the question in its words and the answer as the child chose.

local d = data("/staff/child", { me = ME, set = Q.load({ SET_DEF }, "sv"), version = "v1",
  child = { id = 7, child = 3, round = 1, label = "K", age = "", unit = "A", state = "finished",
    rounds = { { id = 7, round = 1, state = "finished" } } },
  answers = { feel = "o:no", n = "n:4" }, versions = { feel = "v1", n = "v1" }, history = {}, alerts = {},
  ctx = {} }, EN, "en")
local parts, token = staff.parts("staff_child", d)
local withset = table.concat(parts, token)
ok(has(withset, "Are you well?") and has(withset, ">No<") and has(withset, "Hur många?"),
  "child: with the set, questions and answers in words (a fallback text marked)")

---------------------------------------------------------------------------
-- Mapping reports with the set: risk and resources per area, comparisons.

local function page_of(name, d)
  local ps, tok = staff.parts(name, d)
  return table.concat(ps, tok)
end

local rep = page_of("staff_report", data("/staff/mapping/report", { me = ME, set = Q.load({ SET_DEF }, "sv"),
  report = { id = 4, name = "R", opens = "2026-01-01", closes = "2026-12-31", groups = {}, respondents = 28,
    expected = 30, alerted = { { value = "alerted", hidden = true }, { value = "not_alerted", hidden = true } },
    others = { { id = 3, name = "Förra " .. EVIL, groups = { { id = 9, name = "4A" } } } },
    questions = {
      ["risk:home"] = { cells = { { value = "0", n = 20 }, { value = "1", hidden = true }, { value = "2", hidden = true } } },
      ["resource:home"] = { cells = { { value = "0", n = 12 }, { value = "2", n = 16 } } },
      feel = { cells = { { value = "yes", n = 28 } } } } } }))
local levels = rep:match('<div class="report%-levels">.-</table>') or ""
ok(has(levels, "<th scope=\"row\">Inga</th><td>20</td>") and count(levels, 'class="suppressed"') == 2
  and has(levels, "<td>16</td>") and count(levels, "<svg") == 3,
  "report: risk and resources per area, hidden bands without a number or a bar")
ok(has(rep, 'action="/staff/mapping/compare"') and has(rep, '<option value="3">')
  and not has(rep, '<option value="3-9">') and has(rep, "Förra &lt;script&gt;"),
  "report: the unit's other closed rounds to compare with (whole: a group of another name is not offered)")
local grep_ = page_of("staff_report", data("/staff/mapping/report", { me = ME, set = Q.load({ SET_DEF }, "sv"),
  report = { id = 5, name = "R", group = 12, group_name = "4A", opens = "2026-01-01", closes = "2026-12-31",
    groups = { { id = 12, name = "4A" }, { id = 13, name = "4B" } }, respondents = 14, expected = 20,
    alerted = {}, questions = {},
    others = { { id = 5, name = "R", groups = { { id = 12, name = "4A" }, { id = 13, name = "4B" } } },
      { id = 3, name = "Förra", groups = { { id = 9, name = "4A" }, { id = 10, name = "4B" } } } } } }))
ok(has(grep_, '<option value="5">') and has(grep_, '<option value="5-13">') and not has(grep_, '<option value="5-12">')
  and has(grep_, '<option value="3-9">') and not has(grep_, '<option value="3-10">'),
  "report of a group: the whole round, its other groups, the same group in another round")

local cmp = page_of("staff_report_compare", data("/staff/mapping/compare", { me = ME,
  set = Q.load({ SET_DEF }, "sv"), version = "v1", canonicals = {},
  compare = {
    a = { id = 4, name = "2026", respondents = 14, expected = 20, version = "v1", groups = {} },
    b = { id = 3, name = "2025", group = 9, group_name = EVIL, respondents = 24, expected = 30, version = "v0",
      groups = {} },
    rows = {
      { question = "feel", value = "yes", asked_a = true, asked_b = true, a = { value = "yes", n = 9 },
        b = { value = "yes", n = 11 }, pa = 9 / 14 * 100, pb = 11 / 24 * 100 },
      { question = "feel", value = "no", asked_a = true, asked_b = true, a = { value = "no", hidden = true },
        b = { value = "no", n = 8 } },
      { question = "n", value = "n:4", asked_a = false, asked_b = true, b = { value = "n:4", n = 12 } },
    } } }))
ok(has(cmp, "9 (64 %)") and has(cmp, "+18 procentenheter"),
  "compare: counts with their shares, the difference in whole points (first less second)")
ok(count(cmp, "(jämförs inte)") == 2 and has(cmp, "Inte frågat") and not has(cmp, "(0 %)"),
  "compare: a hidden count or a question not asked is not compared")
ok(has(cmp, "2025, &lt;script&gt;") and not has(cmp, "<script>"), "compare: names escaped")
ok(has(cmp, 'href="/staff/mapping/compare.csv?id=4&amp;with=3-9"'), "compare: the CSV of the same comparison")
ok(has(cmp, "2025, <bdi>") or has(cmp, "2025, &lt;"), "compare: the group's name in the side's name")

ok(not pcall(host.page, "staff_nope", data("/staff/", {})), "an unknown staff page is an error")
ok(next(missing) == nil, "no string missing after all" .. keys_of(missing))

print("1.." .. n)
os.exit(failed == 0 and 0 or 1)
