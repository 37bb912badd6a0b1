-- views/staff.lua: the staff's views, under /staff/: logging in (the
-- password, then the second factor), activating an account and enrolling
-- its authenticator app, recovery codes, one's sessions, the children of
-- one's units (invite, read, unlock, lock), and for administrators the
-- units, the staff and the audit trail.  Each page is a function of the
-- data the core loaded and checked (data.t holds the UI strings in
-- data.lang) and returns a tree for html.render; every string is escaped,
-- and the only raw markup is the QR code's SVG, which the core drew.
-- Nothing here reaches storage or secrets, and nothing is cached: the
-- pages show what the core read for this request.
local h = require "html"
local L = require "views.layout"

local V = {}
local fmt = L.fmt

-- A UI string, or its key when the catalogue has none (never nil, so it
-- can be joined).
local function tr(data, key)
  return data.t[key] or key
end

local function csrf(data)
  return h.input { type = "hidden", name = "csrf", value = data.csrf }
end

-- A limit of the core's form gate (core/form.c) as a maxlength.
local function limit(data, name, default)
  return tostring(data.limits and data.limits[name] or default)
end

-- Ids joined for aria-describedby, the nil ones left out; nil if none.
local function ids(...)
  local out = {}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    if v then out[#out + 1] = v end
  end
  return #out > 0 and table.concat(out, " ") or nil
end

-- The page's error, as the form's first paragraph, id for the fields
-- that aria-describedby points at it.
local function error_p(data, id)
  if not data.error then return nil end
  return h.p { class = "error", role = "alert", id = id, tr(data, data.error) }
end

-- Text a person typed, isolated from the sentence around it (a name in
-- one script inside a sentence in another).
local function typed(s)
  return h.bdi { s }
end

---------------------------------------------------------------------------
-- The shell.

-- The header's links: (path, key, for administrators only).
local NAV = {
  { "/staff/", "staff.nav.home" },
  { "/staff/mapping", "staff.nav.mapping", "mapper" },
  { "/staff/sessions", "staff.nav.sessions" },
  { "/staff/units", "staff.nav.units", true },
  { "/staff/people", "staff.nav.people", true },
  { "/staff/audit", "staff.nav.audit", true },
}

local function is_current(data, href)
  return data.path == href or (href == "/staff/" and data.path == "/staff")
end

-- A staff page: the header (the name and the tenant; logged in, the links,
-- the language menu and the logout form), the page's heading, a notice,
-- and body.  o.title is the key of the page's title; o.heading the h1
-- when it is not the title.
local function layout(data, o, body)
  local t, me = data.t, data.me
  local title = tr(data, o.title)
  local links
  if me then
    links = {}
    for _, n in ipairs(NAV) do
      if not n[3] or me.admin or (n[3] == "mapper" and me.professional) then
        links[#links + 1] = h.a { href = n[1],
          ["aria-current"] = is_current(data, n[1]) and "page" or nil, tr(data, n[2]) }
      end
    end
  end
  local full = title .. " – " .. tr(data, "site.title")
  if data.error then full = fmt(data, tr(data, "staff.title.error"), full) end
  return L.document(data, h.div { class = "staff",
    h.h1 { o.heading or title },
    data.notice and h.p { class = "note", role = "status", tr(data, data.notice) } or nil,
    body,
  }, {
    title = full,
    header = {
      h.span { class = "brand", t["site.title"],
        data.tenant and data.tenant ~= "" and { " ", h.span { class = "tenant", data.tenant } } or nil },
      links and h.nav { class = "links", ["aria-label"] = t["staff.nav.label"], links } or nil,
      L.lang_menu(data),
      me and h.form { class = "logout", method = "post", action = "/staff/logout",
        csrf(data),
        h.button { type = "submit", class = "small secondary", t["staff.logout"] },
      } or nil,
    },
  })
end

local tbl = L.table

-- A small form of one button that posts id to action (the actions in a
-- table's rows and on a child's page).  who names the row's object for
-- screen readers ("Disable" alone says not whom).
local function action_form(data, action, id, text, who, class)
  return h.form { class = "inline", method = "post", action = action,
    csrf(data),
    h.input { type = "hidden", name = "id", value = id },
    h.button { type = "submit", class = class or "small secondary", text,
      who and h.span { class = "sr", " ", who } or nil },
  }
end

-- A select of values (strings), each shown as shown(value); a first empty
-- option when empty_text is given.
local function select_of(id, values, shown, chosen, empty_text, attrs)
  local options = {}
  if empty_text then
    options[1] = h.option { value = "", selected = (chosen == nil or chosen == "") or nil, empty_text }
  end
  for _, v in ipairs(values or {}) do
    options[#options + 1] = h.option { value = v, selected = chosen ~= nil and tostring(v) == chosen or nil,
      shown(v) }
  end
  local spec = { id = id, name = id, options }
  for k, v in pairs(attrs or {}) do spec[k] = v end
  return h.select(spec)
end

---------------------------------------------------------------------------
-- Logging in.

function V.staff_login(data)
  local t = data.t
  local err = data.error and "login-error" or nil
  local invalid = data.error == "staff.login.failed" and "true" or nil
  return layout(data, { title = "staff.title.login" }, {
    h.p { class = "lead", t["staff.login.intro"] },
    h.form { class = "box", method = "post", action = "/staff/login",
      csrf(data),
      error_p(data, "login-error"),
      h.label { ["for"] = "login", t["staff.login.login"] },
      h.input { type = "text", id = "login", name = "login", autocomplete = "username",
        autocapitalize = "none", spellcheck = "false", required = true,
        maxlength = limit(data, "login", 64), value = data.login, dir = "ltr",
        ["aria-describedby"] = err, ["aria-invalid"] = invalid },
      h.label { ["for"] = "password", t["staff.login.password"] },
      h.input { type = "password", id = "password", name = "password",
        autocomplete = "current-password", required = true,
        maxlength = limit(data, "password", 200),
        ["aria-describedby"] = err, ["aria-invalid"] = invalid },
      h.button { type = "submit", t["staff.login.submit"] },
    },
    h.p { class = "hint", t["staff.login.forgot"] },
    h.p { class = "hint", t["staff.login.child"], " ", h.a { href = "/", t["staff.login.child_link"] } },
  })
end

-- The second step: the code of the authenticator app, or a recovery code
-- (which has letters, so the keyboard is not forced to digits).
function V.staff_factor(data)
  local t = data.t
  return layout(data, { title = "staff.title.factor" }, {
    h.p { class = "lead", t["staff.factor.intro"] },
    h.form { class = "box", method = "post", action = "/staff/factor",
      csrf(data),
      error_p(data, "code-error"),
      h.label { ["for"] = "code", t["staff.factor.code"] },
      h.p { class = "hint", id = "code-hint", t["staff.factor.hint"] },
      h.input { type = "text", id = "code", name = "code", autocomplete = "one-time-code",
        autocapitalize = "characters", spellcheck = "false", required = true, dir = "ltr",
        ["aria-describedby"] = ids(data.error and "code-error", "code-hint"),
        ["aria-invalid"] = data.error == "staff.factor.failed" and "true" or nil },
      h.button { type = "submit", t["staff.login.submit"] },
    },
    h.p { class = "hint", t["staff.login.forgot"] },
  })
end

-- Choosing a password from an activation link.
function V.staff_activate(data)
  local t = data.t
  if data.invalid then
    return layout(data, { title = "staff.title.activate_invalid" }, {
      h.p { class = "lead", t["staff.activate.invalid"] },
    })
  end
  local err = data.error
  local mismatch = err == "staff.activate.mismatch"
  return layout(data, { title = "staff.title.activate" }, {
    h.p { class = "lead", fmt(data, t["staff.activate.intro"], typed(data.name or ""),
      h.strong { dir = "ltr", data.login or "" }) },
    h.form { class = "box", method = "post", action = "/staff/activate",
      csrf(data),
      h.input { type = "hidden", name = "token", value = data.token },
      -- For password managers: the account the new password belongs to.
      h.input { type = "text", hidden = true, autocomplete = "username", value = data.login,
        readonly = true },
      error_p(data, "password-error"),
      h.label { ["for"] = "password", t["staff.activate.password"] },
      h.p { class = "hint", id = "password-hint", t["staff.activate.hint"] },
      h.input { type = "password", id = "password", name = "password", required = true,
        autocomplete = "new-password", maxlength = limit(data, "password", 200),
        ["aria-describedby"] = ids(err and not mismatch and "password-error", "password-hint"),
        ["aria-invalid"] = err and not mismatch and "true" or nil },
      h.label { ["for"] = "again", t["staff.activate.again"] },
      h.input { type = "password", id = "again", name = "again", required = true,
        autocomplete = "new-password", maxlength = limit(data, "password", 200),
        ["aria-describedby"] = mismatch and "password-error" or nil,
        ["aria-invalid"] = mismatch and "true" or nil },
      h.button { type = "submit", t["staff.activate.submit"] },
    },
  })
end

-- Enrolling the authenticator app: the QR code (SVG the core drew) and
-- the key to type by hand, then a code to show it works.
function V.staff_enrol(data)
  local t = data.t
  return layout(data, { title = "staff.title.enrol" }, {
    h.p { class = "lead", t["staff.enrol.intro"] },
    h.ol { class = "steps-list",
      h.li(t["staff.enrol.step1"]),
      h.li(t["staff.enrol.step2"]),
      h.li(t["staff.enrol.step3"]),
    },
    data.qr and h.figure { class = "qr",
      -- Raw: the SVG of core/qr.c (its label escaped there), never text
      -- from a request.
      h.raw(data.qr),
      h.figcaption { t["staff.enrol.qr_caption"] },
    } or nil,
    h.p { t["staff.enrol.manual"] },
    h.p { class = "secret", h.code { lang = "en", dir = "ltr", data.secret or "" } },
    h.p { class = "hint", t["staff.enrol.secret_hint"] },
    h.form { class = "box", method = "post", action = "/staff/enrol",
      csrf(data),
      error_p(data, "code-error"),
      h.label { ["for"] = "code", t["staff.enrol.code"] },
      h.p { class = "hint", id = "code-hint", t["staff.enrol.code_hint"] },
      h.input { type = "text", id = "code", name = "code", autocomplete = "one-time-code",
        inputmode = "numeric", spellcheck = "false", required = true, dir = "ltr",
        ["aria-describedby"] = ids(data.error and "code-error", "code-hint"),
        ["aria-invalid"] = data.error and "true" or nil },
      h.button { type = "submit", t["staff.enrol.submit"] },
    },
  })
end

-- The recovery codes, once, right after they were made; afterwards how
-- many are left and a way to make new ones.
function V.staff_recovery(data)
  local t = data.t
  local left = math.type(data.left) and h.p { fmt(data, t["staff.recovery.left"], data.left) } or nil
  if data.codes then
    local items = {}
    for i, c in ipairs(data.codes) do
      items[i] = h.li { h.code { lang = "en", dir = "ltr", c } }
    end
    return layout(data, { title = "staff.title.recovery" }, {
      h.p { class = "note", t["staff.recovery.save"] },
      h.p { t["staff.recovery.use"] },
      h.ol { class = "codes", ["aria-label"] = t["staff.recovery.list"], items },
      left,
      h.p { h.a { class = "button", href = "/staff/", t["staff.recovery.continue"] } },
    })
  end
  return layout(data, { title = "staff.title.recovery" }, {
    h.p { class = "lead", t["staff.recovery.gone"] },
    left,
    h.form { class = "box", method = "post", action = "/staff/recovery/new",
      csrf(data),
      h.button { type = "submit", t["staff.recovery.new"] },
    },
  })
end

---------------------------------------------------------------------------
-- The children.

local function age_text(data, age)
  if age == nil or age == "" then return data.t["staff.age.none"] end
  return fmt(data, tr(data, "staff.age.years"), L.number(data, age))
end

-- What a child is called on the staff's pages: the label given at the
-- invitation, else "Child 12".
local function child_name(data, c)
  if c.label and c.label ~= "" then return c.label end
  return fmt(data, tr(data, "staff.children.unnamed"), c.id)
end

local function state_text(data, state)
  if state == nil then return "" end
  return data.t["staff.state." .. tostring(state)] or tostring(state)
end

-- A slip for a child: the address, the code grouped for reading aloud,
-- what to do, and a QR code that opens the start page with the code
-- filled in (the code in the address's fragment, which no server sees).
-- Its words are in the child's language (slip.t, slip.lang, slip.dir),
-- whatever the page's.
local function slip_card(slip, address)
  local st = slip.t or {}
  return h.div { class = "slip", lang = slip.lang, dir = slip.dir,
    h.p { class = "slip-heading", st.heading },
    (slip.label and slip.label ~= "") and h.p { class = "slip-for", typed(slip.label) } or nil,
    h.ol {
      h.li { st.step_address, " ", h.strong { dir = "ltr", address or "" } },
      h.li { st.step_code, " ", h.strong { class = "slip-code", lang = "en", dir = "ltr", slip.code } },
      h.li(st.step_secret),
    },
    slip.qr and h.figure { class = "qr-figure",
      h.raw(slip.qr),
      h.figcaption(st.qr_caption),
    } or nil,
  }
end

-- The new code, shown once after the invitation, a new round or a
-- renewal (the core sends the browser to /staff/#new-code, so it is on
-- the screen and focused), with its slip.  Printing the page prints only
-- the slip (the stylesheet).
local function new_code(data)
  local t, n = data.t, data.new_code
  if not n then return nil end
  return h.div { class = "once print-slips", role = "status", id = "new-code", tabindex = "-1",
    h.h2(t["staff.invite.new_heading"]),
    h.p { (n.label and n.label ~= "") and fmt(data, t["staff.invite.new_for"], typed(n.label))
      or t["staff.invite.new"] },
    h.p { class = "big-code", h.code { lang = "en", dir = "ltr", n.code } },
    h.p { t["staff.invite.once"] },
    h.p { class = "hint", t["staff.slip.print_hint"] },
    slip_card(n, n.address),
  }
end

-- One's units, to invite a child in.
local function unit_select(data)
  local options = {}
  for i, u in ipairs(data.units) do
    options[i] = h.option { value = u.id, u.name }
  end
  return h.select { id = "unit", name = "unit", required = true, options }
end

-- The languages of the question set, each named in itself.
-- (The header's language menu has the id "lang": this one is
-- "child-lang".)
local function lang_select(data)
  local names = {}
  for _, l in ipairs(data.langs or {}) do names[l.code] = l end
  local options = { h.option { value = "", selected = true, data.t["staff.invite.lang_any"] } }
  for _, code in ipairs(data.set and data.set.languages or {}) do
    local l = names[code]
    options[#options + 1] = h.option { value = code, lang = code, dir = l and l.dir or nil,
      l and l.name or code }
  end
  return h.select { id = "child-lang", name = "lang", ["aria-describedby"] = "lang-hint", options }
end

local function invite_form(data)
  local t = data.t
  local group = tostring(data.group_max or 60)
  return h.section { ["aria-labelledby"] = "invite-heading",
    h.h2 { id = "invite-heading", t["staff.invite.heading"] },
    h.p(t["staff.invite.intro"]),
    h.form { class = "box", method = "post", action = "/staff/invite",
      csrf(data),
      h.label { ["for"] = "unit", t["staff.invite.unit"] },
      unit_select(data),
      h.label { ["for"] = "label", t["staff.invite.label"] },
      h.p { class = "hint", id = "label-hint", t["staff.invite.label_hint"] },
      h.input { type = "text", id = "label", name = "label", autocomplete = "off",
        maxlength = limit(data, "label", 200), dir = "auto", ["aria-describedby"] = "label-hint" },
      h.label { ["for"] = "age", t["staff.invite.age"] },
      h.p { class = "hint", id = "age-hint", t["staff.invite.age_hint"] },
      select_of("age", data.ages, function(a) return age_text(data, a) end, nil,
        t["staff.age.none"], { ["aria-describedby"] = "age-hint" }),
      h.label { ["for"] = "year", t["staff.invite.year"] },
      h.p { class = "hint", id = "year-hint", t["staff.invite.year_hint"] },
      h.input { type = "text", id = "year", name = "year", inputmode = "numeric",
        pattern = "[0-9]{4}", maxlength = "4", autocomplete = "off", class = "short",
        ["aria-describedby"] = "year-hint" },
      h.label { ["for"] = "child-lang", t["staff.invite.lang"] },
      h.p { class = "hint", id = "lang-hint", t["staff.invite.lang_hint"] },
      lang_select(data),
      h.details { class = "group",
        h.summary(t["staff.invite.group"]),
        h.p { class = "hint", id = "group-hint", fmt(data, t["staff.invite.group_hint"], L.number(data, group)) },
        h.label { ["for"] = "labels", t["staff.invite.labels"] },
        h.textarea { id = "labels", name = "labels", rows = "6", dir = "auto",
          maxlength = limit(data, "labels", 12120), ["aria-describedby"] = "group-hint", "" },
        h.label { ["for"] = "count", t["staff.invite.count"] },
        h.input { type = "number", id = "count", name = "count", min = "1", max = group,
          inputmode = "numeric", class = "short" },
      },
      h.button { type = "submit", t["staff.invite.submit"] },
    },
  }
end

-- The round's name: "Round 2".
local function round_text(data, c)
  return fmt(data, tr(data, "staff.round.name"), L.number(data, c.round or 1))
end

-- The alerts not yet handled, before anything else on the start page.
local function alert_list(data, children)
  local t = data.t
  local items = {}
  for _, c in ipairs(children) do
    if (c.alerts or 0) > 0 then
      items[#items + 1] = h.li {
        h.a { href = "/staff/child?id=" .. tostring(c.id) .. "#alerts",
          child_name(data, c), ", ", round_text(data, c) },
        " – ", fmt(data, t["staff.alerts.count"], c.alerts),
      }
    end
  end
  if #items == 0 then return nil end
  return h.section { class = "alerts-first", ["aria-labelledby"] = "alerts-heading",
    h.h2 { id = "alerts-heading", t["staff.alerts.heading"] },
    h.p(t["staff.alerts.intro"]),
    h.ul { items },
  }
end

-- The start page: unhandled alerts, the children of one's units with
-- their rounds, and the invitation form; an administrator without units
-- reads no child and is sent to the admin pages.
function V.staff_home(data)
  local t, me = data.t, data.me or {}
  local units = data.units or {}
  local body = { new_code(data) }
  if #units > 0 then
    local children = data.children or {}
    body[#body + 1] = alert_list(data, children)
    local list
    if #children == 0 then
      list = h.p(t["staff.children.none"])
    else
      local rows = {}
      for i, c in ipairs(children) do
        rows[i] = {
          h.a { href = "/staff/child?id=" .. tostring(c.id), child_name(data, c) },
          h.span { class = "nowrap", round_text(data, c) },
          h.span { class = "nowrap", age_text(data, c.age) },
          c.unit,
          state_text(data, c.state),
          (c.alerts or 0) > 0 and h.strong { class = "alert-mark", fmt(data, t["staff.alerts.count"], c.alerts) }
            or t["staff.alerts.none"],
          class = (c.alerts or 0) > 0 and "has-alert" or nil,
        }
      end
      list = tbl(t["staff.children.caption"], { t["staff.children.label"], t["staff.round.heading"],
        t["staff.children.age"], t["staff.children.unit"], t["staff.children.state"],
        t["staff.alerts.column"] }, rows)
    end
    body[#body + 1] = h.section { ["aria-labelledby"] = "children-heading",
      h.h2 { id = "children-heading", t["staff.children.heading"] },
      list,
    }
    body[#body + 1] = invite_form(data)
  elseif me.admin then
    body[#body + 1] = h.p(t["staff.home.admin"])
    body[#body + 1] = h.ul { class = "admin-links",
      h.li { h.a { href = "/staff/units", t["staff.nav.units"] } },
      h.li { h.a { href = "/staff/people", t["staff.nav.people"] } },
      h.li { h.a { href = "/staff/audit", t["staff.nav.audit"] } },
    }
  else
    body[#body + 1] = h.p(t["staff.home.nothing"])
  end
  return layout(data, { title = "staff.title.home",
    heading = fmt(data, t["staff.home.heading"], typed(me.name or "")) }, body)
end

-- A group's slips, shown once, several to a printed A4 page.
function V.staff_slips(data)
  local t = data.t
  local slips = data.slips or {}
  local body
  if #slips == 0 then
    body = { h.p(t["staff.slips.gone"]), h.p { h.a { href = "/staff/", t["staff.child.back"] } } }
  else
    local cards = {}
    for i, s in ipairs(slips) do cards[i] = slip_card(s, data.address) end
    body = {
      h.p { role = "status", fmt(data, t["staff.slips.intro"], #slips) },
      h.p(t["staff.invite.once"]),
      h.p { class = "hint", t["staff.slips.print_hint"] },
      h.div { class = "slip-sheet print-slips", cards },
      h.p { h.a { href = "/staff/", t["staff.child.back"] } },
    }
  end
  return layout(data, { title = "staff.title.slips" }, body)
end

-- The child's rounds, each with its state, a link to its summary and to
-- the comparison with this one.
local function rounds_list(data, c)
  local t = data.t
  local rows = {}
  for i, r in ipairs(c.rounds or {}) do
    local this = r.id == c.id
    rows[i] = {
      this and h.span { ["aria-current"] = "page", round_text(data, r) }
        or h.a { href = "/staff/child?id=" .. tostring(r.id), round_text(data, r) },
      r.started or t["staff.round.not_started"],
      state_text(data, r.state),
      (not this) and r.started and c.started and h.a { href = "/staff/compare?id=" .. tostring(c.id)
        .. "&with=" .. tostring(r.id), fmt(data, t["staff.round.compare"], round_text(data, r)) } or "",
      class = this and "current" or nil,
    }
  end
  return tbl(t["staff.round.caption"], { t["staff.round.heading"], t["staff.round.started"],
    t["staff.children.state"], t["staff.round.compare_heading"] }, rows)
end

-- The facts of a child: age, unit, language, state.
local function child_facts(data, c)
  local t = data.t
  local names = {}
  for _, l in ipairs(data.langs or {}) do names[l.code] = l.name end
  return h.dl { class = "facts",
    h.dt(t["staff.children.age"]), h.dd { age_text(data, c.age),
      c.birth_year and { " (", fmt(data, t["staff.child.born"], L.number(data, tostring(c.birth_year))), ")" } or nil },
    h.dt(t["staff.children.unit"]), h.dd { c.unit or "" },
    h.dt(t["staff.child.lang"]), h.dd { c.lang and h.span { lang = c.lang, dir = c.dir, names[c.lang] or c.lang }
      or t["staff.child.lang_unknown"] },
    h.dt(t["staff.children.state"]), h.dd { state_text(data, c.state) },
  }
end

-- The page of a round, rendered once for what it shows: the round, its
-- child and their rounds, the answers as they are now (the response's
-- gen), the set's version, the alerts and how they were handled, the
-- reader and their language.  A reader who comes back (the conversation,
-- a print) gets the same markup without the set being walked again; the
-- core has still read the answers and written the read's audit row for
-- this request.  The form tokens stay marks (L.split puts each request's
-- own in).  A few pages are kept per tenant state, the oldest dropped
-- first.
local PAGES_KEPT = 16
local kept, kept_order = {}, {}

local function round_key(r)
  return table.concat({ tostring(r.id), tostring(r.round), tostring(r.state), tostring(r.started),
    tostring(r.finished), tostring(r.alerts), tostring(r.gen) }, "\2")
end

local function page_key(data)
  local c, me = data.child or {}, data.me or {}
  local parts = { data.lang, tostring(data.tenant), tostring(me.login), tostring(me.name), tostring(me.admin),
    tostring(data.version), tostring(data.latest_version), tostring(#(data.history or {})), round_key(c),
    tostring(c.child), tostring(c.label), tostring(c.age), tostring(c.unit), tostring(c.lang),
    tostring(c.birth_year) }
  for _, r in ipairs(c.rounds or {}) do parts[#parts + 1] = round_key(r) end
  for _, a in ipairs(data.alerts or {}) do
    parts[#parts + 1] = table.concat({ a.id, a.raised or "", a.handled or "", a.by or "", a.note or "" }, "\0")
  end
  return table.concat(parts, "\1")
end

local function kept_page(data, render)
  local key = page_key(data)
  local html = kept[key]
  if html == nil then
    html = h.render(render(data))
    kept[key] = html
    kept_order[#kept_order + 1] = key
    if #kept_order > PAGES_KEPT then
      kept[table.remove(kept_order, 1)] = nil
    end
  end
  return h.raw(html)
end

-- A round of a child: the facts, the summary (this read is in the audit
-- trail), the rounds, and what can be done with the code now.
local function child_page(data)
  local t = data.t
  local c = data.child or {}
  local actions = {}
  local function act(path, key)
    actions[#actions + 1] = h.div { class = "action",
      h.p { class = "hint", t["staff.child." .. key .. "_hint"] },
      action_form(data, path, c.id, t["staff.child." .. key], nil, "secondary"),
    }
  end
  if c.state == "locked_out" then act("/staff/child/unlock", "unlock") end
  if c.state == "answering" or c.state == "finished" then act("/staff/child/lock", "lock") end
  if c.state == "round_locked" then act("/staff/child/reopen", "reopen") end
  act("/staff/child/renew", "renew")
  if c.child and c.child > 0 then act("/staff/child/round", "round") end
  return layout(data, { title = "staff.title.child",
    heading = { child_name(data, c), " – ", round_text(data, c) } }, {
    child_facts(data, c),
    h.p { class = "hint", t["staff.child.audited"] },
    require("views.summary").round(data),
    h.section { class = "no-print", ["aria-labelledby"] = "rounds-heading",
      h.h2 { id = "rounds-heading", t["staff.round.list"] },
      rounds_list(data, c),
    },
    #actions > 0 and h.section { class = "no-print", ["aria-labelledby"] = "actions-heading",
      h.h2 { id = "actions-heading", t["staff.child.actions"] },
      actions,
    } or nil,
    h.p { class = "no-print", h.a { href = "/staff/", t["staff.child.back"] } },
  })
end

function V.staff_child(data)
  return kept_page(data, child_page)
end

---------------------------------------------------------------------------
-- Anonymous mapping.

-- One group of a round: its name, how many are expected, invited, begun
-- and finished (counts of the group, never of a child), and, while the
-- round is open, the form that prints its slips.
local function group_row(data, r, g)
  local t = data.t
  local slips
  if not r.closed then
    local id = "count-" .. tostring(g.id)
    slips = h.form { class = "inline", method = "post", action = "/staff/mapping/slips",
      csrf(data),
      h.input { type = "hidden", name = "id", value = g.id },
      h.label { ["for"] = id, class = "sr", fmt(data, t["staff.mapping.slips_for"], typed(g.name)) },
      h.input { type = "number", id = id, name = "count", min = "1", max = tostring(data.slips_max or 300),
        value = tostring(math.max(1, (g.expected or 1) - (g.invited or 0))), class = "short", inputmode = "numeric" },
      h.button { type = "submit", class = "small secondary", t["staff.mapping.slips"],
        h.span { class = "sr", " ", typed(g.name) } },
    }
  end
  return { typed(g.name), L.number(data, g.expected), L.number(data, g.invited), L.number(data, g.begun),
    L.number(data, g.finished), slips or "" }
end

local function mapping_round(data, r)
  local t = data.t
  local rows = {}
  for i, g in ipairs(r.groups or {}) do rows[i] = group_row(data, r, g) end
  local heading = "round-" .. tostring(r.id)
  return h.section { class = "mapping-round", id = heading, ["aria-labelledby"] = heading .. "-h",
    h.h3 { id = heading .. "-h", typed(r.name) },
    h.p { fmt(data, t["staff.mapping.period"], r.unit or "", r.opens, r.closes), " ",
      r.closed and h.strong { fmt(data, t["staff.mapping.closed"], r.closed) } or t["staff.mapping.open"] },
    tbl(fmt(data, t["staff.mapping.groups_caption"], r.name), { t["staff.mapping.group"],
      t["staff.mapping.expected"], t["staff.mapping.invited"], t["staff.mapping.begun"],
      t["staff.mapping.finished"], r.closed and "" or t["staff.mapping.slips"] }, rows),
    r.closed and h.p { h.a { href = "/staff/mapping/report?id=" .. tostring(r.id),
      fmt(data, t["staff.mapping.report"], typed(r.name)) } } or nil,
    (not r.closed) and h.div { class = "action",
      h.p { class = "hint", t["staff.mapping.close_hint"] },
      action_form(data, "/staff/mapping/close", r.id, t["staff.mapping.close"], r.name, "secondary"),
    } or nil,
  }
end

-- The report of a closed mapping round (the whole round or one group),
-- and two reports side by side (views/report.lua): every number passed
-- the core's disclosure control.
function V.staff_report(data)
  return layout(data, { title = "staff.title.report" }, require("views.report").report(data))
end

function V.staff_report_compare(data)
  return layout(data, { title = "staff.title.rcompare" }, require("views.report").compare(data))
end

-- The mapping rounds of the units one may map in, and the form that makes
-- one.
function V.staff_mapping(data)
  local t = data.t
  local rounds = {}
  for i, r in ipairs(data.rounds or {}) do rounds[i] = mapping_round(data, r) end
  local units = {}
  for i, u in ipairs(data.units or {}) do units[i] = h.option { value = u.id, u.name } end
  return layout(data, { title = "staff.title.mapping" }, {
    h.p(t["staff.mapping.intro"]),
    h.section { ["aria-labelledby"] = "rounds-heading",
      h.h2 { id = "rounds-heading", t["staff.mapping.rounds"] },
      #rounds > 0 and rounds or h.p(t["staff.mapping.none"]),
    },
    #units > 0 and h.section { ["aria-labelledby"] = "new-round-heading",
      h.h2 { id = "new-round-heading", t["staff.mapping.new"] },
      h.form { class = "box", method = "post", action = "/staff/mapping",
        csrf(data),
        h.label { ["for"] = "unit", t["staff.invite.unit"] },
        h.select { id = "unit", name = "unit", required = true, units },
        h.label { ["for"] = "name", t["staff.mapping.name"] },
        h.input { type = "text", id = "name", name = "name", required = true, autocomplete = "off",
          maxlength = limit(data, "label", 200), dir = "auto" },
        h.label { ["for"] = "opens", t["staff.mapping.opens"] },
        h.input { type = "date", id = "opens", name = "opens", required = true, value = data.today },
        h.label { ["for"] = "closes", t["staff.mapping.closes"] },
        h.p { class = "hint", id = "closes-hint", t["staff.mapping.closes_hint"] },
        h.input { type = "date", id = "closes", name = "closes", required = true,
          ["aria-describedby"] = "closes-hint" },
        h.label { ["for"] = "groups", t["staff.mapping.groups"] },
        h.p { class = "hint", id = "groups-hint", t["staff.mapping.groups_hint"] },
        h.textarea { id = "groups", name = "groups", rows = "6", required = true, dir = "auto",
          maxlength = limit(data, "groups", 20000), ["aria-describedby"] = "groups-hint", "" },
        h.button { type = "submit", t["staff.mapping.create"] },
      },
    } or nil,
  })
end

-- Two rounds of a child side by side (both reads are in the audit trail).
function V.staff_compare(data)
  local t = data.t
  local c = data.child or {}
  local b, a = data.before or {}, data.after or {}
  return layout(data, { title = "staff.title.compare",
    heading = { child_name(data, c), " – ", fmt(data, t["staff.comparison.rounds"],
      round_text(data, b), round_text(data, a)) } }, {
    child_facts(data, c),
    h.p { class = "hint", t["staff.child.audited"] },
    require("views.summary").compare(data),
    h.p { class = "no-print", h.a { href = "/staff/child?id=" .. tostring(c.id), t["staff.comparison.back"] } },
  })
end

---------------------------------------------------------------------------
-- One's sessions.

function V.staff_sessions(data)
  local t = data.t
  local rows = {}
  for i, s in ipairs(data.sessions or {}) do
    rows[i] = {
      s.created, s.seen,
      { h.span { dir = "ltr", (s.agent and s.agent ~= "") and s.agent or t["staff.sessions.unknown"] },
        s.current and { " ", h.strong { class = "tag", t["staff.sessions.current"] } } or nil },
      class = s.current and "current" or nil,
    }
  end
  return layout(data, { title = "staff.title.sessions" }, {
    h.p { class = "lead", t["staff.sessions.intro"] },
    tbl(t["staff.title.sessions"], { t["staff.sessions.created"], t["staff.sessions.seen"],
      t["staff.sessions.agent"] }, rows),
    h.form { class = "box", method = "post", action = "/staff/sessions/end-all",
      csrf(data),
      h.p { class = "hint", id = "end-all-hint", t["staff.sessions.end_all_hint"] },
      h.button { type = "submit", ["aria-describedby"] = "end-all-hint", t["staff.sessions.end_all"] },
    },
    h.h2(t["staff.title.recovery"]),
    h.p(t["staff.sessions.recovery_hint"]),
    h.p { h.a { href = "/staff/recovery", t["staff.recovery.list"] } },
  })
end

---------------------------------------------------------------------------
-- Administration.

local function kind_text(data, kind)
  return data.t["unit.kind." .. tostring(kind)] or tostring(kind)
end

-- The units and the form that adds one (data.form, when the core hands it
-- back after a refusal: what was typed, { name =, kind = }).
function V.staff_units(data)
  local t = data.t
  local units = data.units or {}
  local rows = {}
  for i, u in ipairs(units) do rows[i] = { u.name, kind_text(data, u.kind) } end
  local err = data.error and "unit-error" or nil
  local typed_back = data.form or {}
  return layout(data, { title = "staff.title.units" }, {
    h.p { class = "lead", t["staff.units.intro"] },
    #units == 0 and h.p(t["staff.units.none"])
      or tbl(t["staff.title.units"], { t["staff.units.name"], t["staff.units.kind"] }, rows),
    h.section { ["aria-labelledby"] = "unit-add-heading",
      h.h2 { id = "unit-add-heading", t["staff.units.add"] },
      h.form { class = "box", method = "post", action = "/staff/units",
        csrf(data),
        error_p(data, "unit-error"),
        h.label { ["for"] = "name", t["staff.units.name"] },
        h.input { type = "text", id = "name", name = "name", required = true, autocomplete = "off",
          maxlength = limit(data, "unit", 100), dir = "auto", value = typed_back.name,
          ["aria-describedby"] = err, ["aria-invalid"] = err and "true" or nil },
        h.label { ["for"] = "kind", t["staff.units.kind"] },
        select_of("kind", data.kinds, function(k) return kind_text(data, k) end, typed_back.kind, nil,
          { required = true }),
        h.button { type = "submit", t["staff.units.add"] },
      },
    },
  })
end

-- A person's status: disabled, waiting for activation, activated but the
-- app not set up, or active.
local function person_status(data, p)
  local t = data.t
  if p.disabled then return t["staff.people.disabled"] end
  if not p.active then return t["staff.people.waiting"] end
  if p.enrolled == false then return t["staff.people.not_enrolled"] end
  return t["staff.people.active"]
end

local function person_role(data, p)
  local t = data.t
  local roles = {}
  if p.admin then roles[#roles + 1] = t["staff.people.admin_role"] end
  if p.units and p.units ~= "" then roles[#roles + 1] = t["staff.people.professional_role"] end
  if #roles == 0 then return t["staff.people.no_role"] end
  return table.concat(roles, ", ")
end

-- The activation link, shown once after an account was added or reset
-- (#new-link, as #new-code).
local function new_link(data)
  local t, l = data.t, data.link
  if not l then return nil end
  return h.div { class = "once", role = "status", id = "new-link", tabindex = "-1",
    h.h2(t["staff.people.link_heading"]),
    h.p { fmt(data, t["staff.people.link_for"], h.strong { dir = "ltr", l.login or "" }) },
    h.p { class = "link", dir = "ltr", h.code { l.url } },
    h.p { t["staff.people.link_once"] },
  }
end

-- A checkbox for each unit of the tenant (name "unit"), those in ticked
-- (by id as a string) ticked; ids start with prefix, so that each form of
-- a page has its own.
local function unit_checks(data, prefix, ticked)
  local units = {}
  for i, u in ipairs(data.units or {}) do
    local id = prefix .. "unit-" .. tostring(u.id)
    units[i] = h.div { class = "check",
      h.input { type = "checkbox", id = id, name = "unit", value = u.id, checked = ticked[tostring(u.id)] },
      h.label { ["for"] = id, u.name, " ", h.span { class = "hint", "(", kind_text(data, u.kind), ")" } },
    }
  end
  return units
end

-- The form that changes a person's roles: administrator or not, and the
-- units they are a professional of; folded in a <details> (works without
-- the script), its fields' ids unique per person.
local function roles_form(data, p)
  local t = data.t
  local mine = {}
  for _, id in ipairs(p.unit_ids or {}) do mine[tostring(id)] = true end
  local prefix = "roles-" .. tostring(p.id)
  local units = unit_checks(data, prefix .. "-", mine)
  return h.details { class = "roles",
    h.summary { t["staff.people.roles"], h.span { class = "sr", " ", p.name } },
    h.form { method = "post", action = "/staff/people/roles",
      csrf(data),
      h.input { type = "hidden", name = "id", value = p.id },
      h.div { class = "check",
        h.input { type = "checkbox", id = prefix .. "-admin", name = "admin", value = "1", checked = p.admin },
        h.label { ["for"] = prefix .. "-admin", t["staff.people.admin_label"] },
      },
      h.fieldset {
        h.legend(t["staff.people.units_legend"]),
        #units > 0 and units or h.p { class = "hint", t["staff.people.units_none"] },
      },
      h.button { type = "submit", class = "small", t["staff.people.roles_submit"],
        h.span { class = "sr", " ", p.name } },
    },
  }
end

-- The staff, each with its actions, and the form that adds a person
-- (data.form after a refusal: { login =, name =, admin = bool, units =
-- { id, ... } }).
function V.staff_people(data)
  local t = data.t
  local people = data.people or {}
  local rows = {}
  for i, p in ipairs(people) do
    rows[i] = {
      p.name,
      h.span { dir = "ltr", p.login },
      (p.units and p.units ~= "") and p.units or t["staff.people.no_units"],
      person_role(data, p),
      person_status(data, p),
      not p.disabled and {
        action_form(data, "/staff/people/reset", p.id, t["staff.people.reset"], p.name),
        action_form(data, "/staff/people/disable", p.id, t["staff.people.disable"], p.name),
        roles_form(data, p),
      } or nil,
      class = p.disabled and "disabled" or nil,
    }
  end
  local e = data.error
  local login_err = (e == "staff.people.invalid_login" or e == "staff.people.exists") and "person-error" or nil
  local name_err = e == "staff.people.invalid_name" and "person-error" or nil
  local unit_err = e == "staff.people.invalid_unit" and "person-error" or nil
  local typed_back = data.form or {}
  local ticked = {}
  for _, u in ipairs(typed_back.units or {}) do ticked[tostring(u)] = true end
  local units = unit_checks(data, "", ticked)
  return layout(data, { title = "staff.title.people" }, {
    new_link(data),
    h.p { class = "lead", t["staff.people.intro"] },
    h.p { class = "hint", t["staff.people.actions_hint"] },
    tbl(t["staff.title.people"], { t["staff.people.name"], t["staff.login.login"], t["staff.people.units"],
      t["staff.people.role"], t["staff.people.status"], t["staff.people.actions"] }, rows),
    h.section { ["aria-labelledby"] = "person-add-heading",
      h.h2 { id = "person-add-heading", t["staff.people.add"] },
      h.form { class = "box", method = "post", action = "/staff/people",
        csrf(data),
        error_p(data, "person-error"),
        h.label { ["for"] = "login", t["staff.login.login"] },
        h.p { class = "hint", id = "login-hint", t["staff.people.login_hint"] },
        h.input { type = "text", id = "login", name = "login", required = true, autocomplete = "off",
          autocapitalize = "none", spellcheck = "false", dir = "ltr", maxlength = limit(data, "login", 64),
          value = typed_back.login,
          ["aria-describedby"] = ids(login_err, "login-hint"), ["aria-invalid"] = login_err and "true" or nil },
        h.label { ["for"] = "name", t["staff.people.name"] },
        h.input { type = "text", id = "name", name = "name", required = true, autocomplete = "off",
          maxlength = limit(data, "name", 100), dir = "auto", value = typed_back.name,
          ["aria-describedby"] = name_err, ["aria-invalid"] = name_err and "true" or nil },
        h.div { class = "check",
          h.input { type = "checkbox", id = "admin", name = "admin", value = "1", checked = typed_back.admin and true },
          h.label { ["for"] = "admin", t["staff.people.admin_label"] },
        },
        h.fieldset { ["aria-describedby"] = unit_err,
          h.legend(t["staff.people.units_legend"]),
          #units > 0 and units or h.p { class = "hint", t["staff.people.units_none"], " ",
            h.a { href = "/staff/units", t["staff.nav.units"] } },
        },
        h.button { type = "submit", t["staff.people.submit"] },
      },
    },
  })
end

function V.staff_audit(data)
  local t = data.t
  local f = data.filter or {}
  local rows = {}
  for i, r in ipairs(data.rows or {}) do
    rows[i] = {
      h.span { class = "when", r.at },
      h.span { dir = "ltr", r.actor },
      t["audit.action." .. tostring(r.action)] or r.action,
      r.child,
      r.detail,
      r.request and h.code { dir = "ltr", r.request } or nil,
    }
  end
  local function text_field(id, key)
    return h.div { class = "field",
      h.label { ["for"] = id, t[key] },
      h.input { type = "text", id = id, name = id, value = f[id], autocomplete = "off", dir = "auto" },
    }
  end
  local function date_field(id, key)
    return h.div { class = "field",
      h.label { ["for"] = id, t[key] },
      h.input { type = "date", id = id, name = id, value = f[id], dir = "ltr" },
    }
  end
  return layout(data, { title = "staff.title.audit" }, {
    h.p { class = "lead", t["staff.audit.intro"] },
    h.section { ["aria-labelledby"] = "audit-search-heading",
      h.h2 { id = "audit-search-heading", t["staff.audit.search"] },
      h.form { class = "filter", method = "get", action = "/staff/audit",
        text_field("actor", "staff.audit.actor"),
        text_field("child", "staff.audit.child"),
        h.div { class = "field",
          h.label { ["for"] = "action", t["staff.audit.action"] },
          select_of("action", data.actions, function(a) return t["audit.action." .. a] or a end,
            f.action, t["staff.audit.all"]),
        },
        date_field("from", "staff.audit.from"),
        date_field("to", "staff.audit.to"),
        h.div { class = "field submit", h.button { type = "submit", t["staff.audit.submit"] } },
      },
    },
    h.h2(t["staff.audit.events"]),
    #rows == 0 and h.p(t["staff.audit.none"])
      or tbl(t["staff.audit.events"], { t["staff.audit.at"], t["staff.audit.col_actor"],
        t["staff.audit.col_action"], t["staff.audit.col_child"], t["staff.audit.detail"],
        t["staff.audit.request"] }, rows),
  })
end

---------------------------------------------------------------------------

-- The views by name; nothing else here is a page.
local VIEWS = {
  staff_login = V.staff_login, staff_factor = V.staff_factor,
  staff_activate = V.staff_activate, staff_enrol = V.staff_enrol,
  staff_recovery = V.staff_recovery, staff_home = V.staff_home,
  staff_child = V.staff_child, staff_sessions = V.staff_sessions,
  staff_units = V.staff_units, staff_people = V.staff_people,
  staff_audit = V.staff_audit, staff_slips = V.staff_slips,
  staff_compare = V.staff_compare, staff_mapping = V.staff_mapping,
  staff_report = V.staff_report, staff_report_compare = V.staff_report_compare,
}

-- Renders page with data as the pieces between its CSRF tokens and the
-- token (the contract of views/child.lua's P.parts).  Raises an error for
-- an unknown page.
function V.parts(page, data)
  local view = VIEWS[page]
  if view == nil then
    error("unknown page " .. tostring(page), 0)
  end
  return L.split(view, data), data.csrf == nil and "" or tostring(data.csrf)
end

return V
