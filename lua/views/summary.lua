-- views/summary.lua: the body of two staff pages about one child.
-- S.round(data) is the summary of one round, in the order a professional
-- needs it: the alerts (each with its guidance, the answers that raised it
-- and the form that marks it handled), each life area's risks and
-- resources (a chart, the same facts in words and as a table), what the
-- child wants help with and whom they want to talk to, the child's own
-- words, what they left out or did not understand, what they changed, and
-- every answer with the wording the child saw.  S.compare(data) sets two
-- rounds of one child side by side, each scored with its own set.
--
-- Both return a list of nodes for html.render; the page around them (the
-- heading, the child's facts, the actions, the way back) is
-- views/staff.lua's.  The charts are inline SVG made of elements like the
-- rest of the page, so every text in them is escaped: nothing here is raw.
-- Answers given under an older set version are read with that version's
-- set (data.canonicals, read once per call).  Nothing here reaches storage
-- or secrets.
local h = require "html"
local Q = require "questions"
local L = require "views.layout"

local S = {}
local fmt = L.fmt

---------------------------------------------------------------------------
-- What every part needs: the reader's strings, the sets by version, the
-- child's language.

-- A call's context: d the data, t its strings, ctx the child's (age band),
-- child the facts of the child, set_of(version) the set of a version.
local function context(data)
  local cache = {}
  local function set_of(version)
    if version == nil or version == data.version then return data.set end
    local s = cache[version]
    if s == nil then
      local text = data.canonicals and data.canonicals[version]
      local good, got = false, nil
      if type(text) == "string" then good, got = pcall(Q.from_canonical, text) end
      s = good and got or data.set
      cache[version] = s
    end
    return s
  end
  local child = data.child or {}
  return { d = data, t = data.t, set_of = set_of, child = child,
    ctx = data.ctx or { age = child.age } }
end

-- A UI string, or its key when the catalogue has none (never nil).
local function tr(cx, key)
  return cx.t[key] or key
end

-- The version a round is scored with: that of its latest answer.  The
-- versions are hashes that say nothing of time, so: r.latest_version when
-- the core gives it; else the current version when any answer is under it
-- (or names none); else the version most answers were given under.
local function latest(data, r)
  if r.latest_version ~= nil then return r.latest_version end
  local count, best = {}, nil
  for id in pairs(r.answers or {}) do
    local v = r.versions and r.versions[id]
    if v == nil or v == data.version then return data.version end
    count[v] = (count[v] or 0) + 1
  end
  for v, c in pairs(count) do
    if best == nil or c > count[best] or (c == count[best] and v < best) then best = v end
  end
  return best or data.version
end

-- A round as scored with its set: its answers, versions, active questions
-- (list and by id), the answers of those (live) and Q.summary's result.
local function scored(cx, set, r)
  local answers = r.answers or {}
  local active = Q.active(set, answers, cx.ctx)
  local live, is_active = {}, {}
  for _, q in ipairs(active) do
    is_active[q.id] = true
    live[q.id] = answers[q.id]
  end
  return { set = set, answers = answers, versions = r.versions or {}, active = active,
    is_active = is_active, live = live, summary = Q.summary(set, answers, cx.ctx),
    round = r.round, started = r.started }
end

-- The set question id was asked in for round sc and the question there:
-- that of its answer's version, else (no answer) the round's set; the
-- round's question when that version lacks it.  q is nil when neither
-- knows the id.
local function asked_in(cx, sc, id)
  local set
  if sc.answers[id] == nil then
    set = sc.set
  else
    set = cx.set_of(sc.versions[id])
  end
  local q = set.index[id]
  if q then return set, q end
  return sc.set, sc.set.index[id]
end

-- Whether an answer to id was given under another version than the
-- current one (and that version could be read).
local function is_older(cx, sc, id)
  local v = sc.versions[id]
  return v ~= nil and v ~= cx.d.version and cx.set_of(v) ~= cx.d.set
end

-- A set's text in lang (the reader's by default); one that fell back to
-- another language carries that language and a mark in the reader's.
local function marked(cx, s, fell, lang)
  if s == nil then return "" end
  if not fell then return s end
  return { h.span { lang = lang, dir = "auto", s },
    h.span { class = "fallback", lang = cx.d.lang, " (", tr(cx, "staff.summary.fallback"), ")" } }
end

local function text_of(cx, set, t, lang)
  return marked(cx, Q.text(set, t, lang or cx.d.lang))
end

-- A question's wording in lang (the reader's by default), with the age
-- variant the child had.
local function asked(cx, set, q, lang)
  return marked(cx, Q.question_text(set, q, lang or cx.d.lang, cx.ctx))
end

-- What the child typed, exactly, in the child's language and direction
-- (the direction from the text when the language is not known).
local function own(cx, text, tag)
  local c = cx.child
  return h[tag or "span"] { class = "own", lang = c.lang, dir = c.lang and c.dir or "auto", text }
end

-- The words of a stored answer to q of set in the reader's language.
local function words(cx, set, q, value)
  if value == nil then return tr(cx, "staff.summary.answer_none") end
  if value == "s:skip" then return tr(cx, "staff.summary.answer_skip") end
  if value == "s:unclear" then return tr(cx, "staff.summary.answer_unclear") end
  if value == "s:seen" then return tr(cx, "staff.summary.answer_seen") end
  local typed = value:match("^t:(.*)$")
  if typed then return own(cx, typed) end
  local n = value:match("^n:(.*)$")
  if n then return L.number(cx.d, n) end
  local ids = Q.chosen(value)
  if #ids == 0 then return value end
  local out = {}
  for _, id in ipairs(ids) do
    local o = q and q.option_index and q.option_index[id]
    if #out > 0 then out[#out + 1] = ", " end
    out[#out + 1] = o and text_of(cx, set, o.text) or id
  end
  return out
end

-- The ids of a list (a table of id = true), in the order of set, those it
-- lacks after them by id.
local function in_order(set, ids)
  local list = {}
  for id in pairs(ids) do list[#list + 1] = id end
  local pos = set.position or {}
  table.sort(list, function(a, b)
    local pa, pb = pos[a], pos[b]
    if pa and pb then return pa < pb end
    if pa or pb then return pa ~= nil end
    return a < b
  end)
  return list
end

-- The parts of a condition that each speak of one question, with whether
-- they sit under a "not", and each part as a condition of its own.
local LEAF_KEYS = { "question", "equals", "any_of", "at_least", "at_most", "answered" }
local leaf_of = setmetatable({}, { __mode = "k" })

local function leaves(c, out, negated)
  if type(c) ~= "table" then return out end
  if c.question ~= nil and (c.equals ~= nil or c.any_of ~= nil or c.at_least ~= nil
    or c.at_most ~= nil or c.answered ~= nil) then
    local leaf = leaf_of[c]
    if leaf == nil then
      leaf = {}
      for _, k in ipairs(LEAF_KEYS) do leaf[k] = c[k] end
      leaf_of[c] = leaf
    end
    out[#out + 1] = { id = c.question, c = leaf, negated = negated }
  end
  for _, k in ipairs { "all", "any" } do
    if type(c[k]) == "table" then
      for _, sub in ipairs(c[k]) do leaves(sub, out, negated) end
    end
  end
  if c["not"] ~= nil then leaves(c["not"], out, not negated) end
  return out
end

-- The questions of a condition that make it hold for round sc: those
-- whose own part holds; when none does (the rule no longer holds), those
-- the child answered.  In the order of the round's set.
local function causes(cx, sc, when)
  local holds, answered = {}, {}
  local any = false
  for _, l in ipairs(leaves(when, {}, false)) do
    if sc.answers[l.id] ~= nil then answered[l.id] = true end
    if not l.negated and Q.test(l.c, sc.live, cx.ctx) then
      holds[l.id] = true
      any = true
    end
  end
  return in_order(sc.set, any and holds or answered)
end

-- "Question: answer" for question id of round sc.
local function question_answer(cx, sc, id)
  local set, q = asked_in(cx, sc, id)
  return { h.span { class = "q", q and asked(cx, set, q) or id }, ": ",
    h.strong { class = "a", words(cx, set, q, sc.answers[id]) } }
end

local tbl = L.table

-- A section with its h2 (id for the contents and aria-labelledby).
local function section(id, class, heading, body)
  return h.section { id = id, class = class, ["aria-labelledby"] = id .. "-h",
    h.h2 { id = id .. "-h", heading },
    body,
  }
end

-- A number for an SVG attribute: at most one decimal, no exponent.
local function coord(x)
  return (string.format("%.1f", x):gsub("%.0$", ""))
end

---------------------------------------------------------------------------
-- Scores.

-- The most each area can score (per area { risk =, resource = }).
local area_max = Q.area_max

-- The answers behind an area's score of kind "risk" or "resource" in
-- round sc: one line per group of questions a holding rule speaks of (a
-- question's options, or a combination), with the weight they give.
local function reasons(cx, sc, area, kind)
  local lines, at = {}, {}
  for _, r in ipairs(sc.set.rules or {}) do
    local w = r[kind]
    if r.area == area and type(w) == "number" and w > 0 and Q.test(r.when, sc.live, cx.ctx) then
      local ids = causes(cx, sc, r.when)
      local key = table.concat(ids, " ")
      local line = at[key]
      if line == nil then
        line = { ids = ids, weight = 0 }
        at[key] = line
        lines[#lines + 1] = line
      end
      line.weight = line.weight + w
    end
  end
  return lines
end

-- Whether the child answered any question of an area in round sc.
local function area_answered(sc, area)
  for _, q in ipairs(sc.active) do
    if q.area.id == area and q.type ~= "info" and sc.answers[q.id] ~= nil then return true end
  end
  return false
end

-- A chart of bars as inline SVG, made of elements (every text escaped):
-- each bar's label and number above it, the bar on a track of the whole
-- scale, drawn from the line's start (the right on a right-to-left page).
-- bars are { label =, value =, max =, class = "risk"|"resource", none =
-- true when there are no answers to score }; name is the chart's
-- accessible name (the same facts in words).
local W, ROW, BAR = 300, 36, 12
local FILL = { risk = "#a3261b", resource = "#1f5f8b" }

local function chart(cx, name, bars)
  local rtl = cx.d.dir == "rtl"
  local parts = { h.title { name } }
  for i, b in ipairs(bars) do
    local y = (i - 1) * ROW
    local frac = (not b.none and b.max > 0 and b.value > 0) and math.min(b.value / b.max, 1) or 0
    local w = frac * W
    parts[#parts + 1] = h.text { class = "label", x = rtl and W or 0, y = y + 14, ["font-size"] = "14",
      fill = "#1d2327", b.none and fmt(cx.d, tr(cx, "staff.summary.bar_none"), b.label)
        or fmt(cx.d, tr(cx, "staff.summary.bar"), b.label, b.value, b.max) }
    parts[#parts + 1] = h.rect { class = "track", x = "0.5", y = coord(y + 19.5), width = W - 1,
      height = BAR, rx = "3", fill = "#ffffff", stroke = "#7a8791" }
    if w > 0 then
      parts[#parts + 1] = h.rect { class = "bar " .. b.class, x = coord(rtl and W - w or 0), y = y + 19,
        width = coord(w), height = BAR + 1, rx = "3", fill = FILL[b.class] }
    end
  end
  return h.svg { class = "sum-chart", role = "img", ["aria-label"] = name, focusable = "false",
    viewbox = "0 0 " .. W .. " " .. (#bars * ROW), direction = rtl and "rtl" or "ltr",
    ["text-anchor"] = "start", parts }
end

---------------------------------------------------------------------------
-- The round's parts.

-- The rule of an alert id: in the round's set, else today's, else any
-- version's the data has.
local function find_rule(cx, sc, id)
  local function in_set(set)
    for _, r in ipairs(set and set.alerts or {}) do
      if r.id == id then return r end
    end
    return nil
  end
  local r = in_set(sc.set) or in_set(cx.d.set)
  if r then return r end
  local versions = {}
  for v in pairs(cx.d.canonicals or {}) do versions[#versions + 1] = v end
  table.sort(versions)
  for _, v in ipairs(versions) do
    r = in_set(cx.set_of(v))
    if r then return r, cx.set_of(v) end
  end
  return nil
end

-- The form that marks an alert handled, with the note of what was done.
local function handle_form(cx, id, rule_id, heading)
  local d, t = cx.d, cx.t
  return h.form { class = "alert-handle", method = "post", action = "/staff/alert",
    h.input { type = "hidden", name = "csrf", value = d.csrf },
    h.input { type = "hidden", name = "id", value = cx.child.id },
    h.input { type = "hidden", name = "alert", value = rule_id },
    h.label { ["for"] = id, t["staff.alert.note_label"] },
    h.p { class = "hint", id = id .. "-hint", t["staff.alert.note_hint"] },
    h.textarea { id = id, name = "note", rows = "3", required = true, dir = "auto",
      maxlength = tostring(d.limits and d.limits.note or 500), ["aria-describedby"] = id .. "-hint", "" },
    h.button { type = "submit", t["staff.alert.submit"], h.span { class = "sr", " (", heading, ")" } },
  }
end

-- One alert: e = { rule =, set =, stored = the core's row or nil, holds =
-- whether the answers raise it now }; i its number on the page.
local function alert_item(cx, sc, e, i)
  local d, t = cx.d, cx.t
  local stored, rule = e.stored, e.rule
  local open = not (stored and stored.handled)
  local id = "sum-alert-" .. i
  local heading = fmt(d, tr(cx, open and "staff.alert.open" or "staff.alert.handled"), i)
  local body = { h.h3 { id = id .. "-h", heading } }
  local function add(x) body[#body + 1] = x end
  if stored then
    add(h.p { class = "when", fmt(d, tr(cx, "staff.alert.raised"), stored.raised or "") })
  else
    add(h.p { class = "when", t["staff.alert.raised_unknown"] })
  end
  if stored and not e.holds then add(h.p { class = "gone", t["staff.alert.gone"] }) end
  if rule then
    add(h.h4(t["staff.alert.guidance"]))
    add(h.p { class = "guidance", text_of(cx, e.set or sc.set, rule.guidance) })
    local ids = causes(cx, sc, rule.when)
    if #ids > 0 then
      local items = {}
      for j, qid in ipairs(ids) do items[j] = h.li { question_answer(cx, sc, qid) } end
      add(h.h4(e.holds and t["staff.alert.answers"] or t["staff.alert.answers_now"]))
      add(h.ul { class = "sum-qa", items })
    end
  else
    add(h.p { fmt(d, tr(cx, "staff.alert.unknown_rule"), h.code { dir = "ltr", tostring(stored and stored.id) }) })
  end
  if open then
    add(handle_form(cx, id .. "-note", rule and rule.id or stored.id, heading))
  else
    add(h.p { class = "handled-by", stored.by
      and fmt(d, tr(cx, "staff.alert.handled_by"), stored.handled, h.bdi { stored.by })
      or fmt(d, tr(cx, "staff.alert.handled_at"), stored.handled) })
    if stored.note and stored.note ~= "" then
      add(h.div { class = "typed-note",
        h.p { class = "label", t["staff.alert.note"] },
        h.p { class = "typed", dir = "auto", h.bdi { stored.note } },
      })
    end
  end
  return h.article { class = "sum-alert " .. (open and "open" or "handled"), ["aria-labelledby"] = id .. "-h",
    body }
end

-- 1. The alerts: the stored ones and those the answers raise now without
-- a stored row; the ones not handled first.
local function alerts_part(cx, sc)
  local d, t = cx.d, cx.t
  local holds = {}
  for _, r in ipairs(sc.summary.alerts) do holds[r.id] = r end
  local entries, stored_ids = {}, {}
  for _, a in ipairs(d.alerts or {}) do
    stored_ids[a.id] = true
    local rule, set = find_rule(cx, sc, a.id)
    entries[#entries + 1] = { stored = a, rule = rule, set = set, holds = holds[a.id] ~= nil }
  end
  for _, r in ipairs(sc.summary.alerts) do
    if not stored_ids[r.id] then entries[#entries + 1] = { rule = r, holds = true } end
  end
  for i, e in ipairs(entries) do
    e.n, e.open = i, not (e.stored and e.stored.handled)
  end
  table.sort(entries, function(a, b)
    if a.open ~= b.open then return a.open end
    return a.n < b.n
  end)
  local body, open = {}, 0
  for i, e in ipairs(entries) do
    if e.open then open = open + 1 end
    body[i] = alert_item(cx, sc, e, i)
  end
  local lead
  if #entries == 0 then
    lead = h.p { class = "sum-none", t["staff.alert.none"] }
  elseif open > 0 then
    lead = h.p { class = "sum-open-count", h.strong { fmt(d, tr(cx, "staff.alert.open_count"), open) } }
  else
    lead = h.p { t["staff.alert.all_handled"] }
  end
  return section("alerts", "sum-alerts" .. (open > 0 and " has-open" or ""), t["staff.alert.heading"],
    { lead, body })
end

-- The lines of reasons as a list ("Question: answer (counts 2)").
local function reason_list(cx, sc, lines)
  local items = {}
  for i, line in ipairs(lines) do
    local pairs_ = {}
    for j, qid in ipairs(line.ids) do
      if j > 1 then pairs_[#pairs_ + 1] = h.br {} end
      pairs_[#pairs_ + 1] = question_answer(cx, sc, qid)
    end
    items[i] = h.li { pairs_, " ", h.span { class = "weight",
      fmt(cx.d, tr(cx, "staff.summary.weight"), line.weight) } }
  end
  return h.ul { class = "sum-qa", items }
end

-- 2. The life areas: a table of all, then each area's chart and reasons.
local function areas_part(cx, sc)
  local d, t = cx.d, cx.t
  local max = area_max(sc.set)
  local rows, parts = {}, {}
  for _, a in ipairs(sc.summary.areas) do
    local area = sc.set.area_index[a.id]
    local m = max[a.id] or { risk = 0, resource = 0 }
    if area and (m.risk > 0 or m.resource > 0) then
      local title = Q.text(sc.set, area.title, d.lang) or a.id
      local answered = area_answered(sc, a.id)
      local function cell(v, most)
        if not answered then return t["staff.summary.no_answers"] end
        return fmt(d, tr(cx, "staff.summary.of"), v, most)
      end
      rows[#rows + 1] = { text_of(cx, sc.set, area.title), cell(a.risk, m.risk), cell(a.resource, m.resource) }
      local id = "sum-area-" .. a.id
      local body
      if not answered then
        body = h.p { class = "hint", t["staff.summary.area_unanswered"] }
      else
        local risks, resources = reasons(cx, sc, a.id, "risk"), reasons(cx, sc, a.id, "resource")
        body = {
          chart(cx, fmt(d, tr(cx, "staff.summary.chart"), title, a.risk, m.risk, a.resource, m.resource), {
            { label = t["staff.summary.risk"], value = a.risk, max = m.risk, class = "risk" },
            { label = t["staff.summary.resource"], value = a.resource, max = m.resource, class = "resource" },
          }),
          h.h4(t["staff.summary.risks"]),
          #risks > 0 and reason_list(cx, sc, risks) or h.p { class = "hint", t["staff.summary.no_risks"] },
          h.h4(t["staff.summary.resources"]),
          #resources > 0 and reason_list(cx, sc, resources)
            or h.p { class = "hint", t["staff.summary.no_resources"] },
        }
      end
      parts[#parts + 1] = h.section { class = "sum-area", ["aria-labelledby"] = id,
        h.h3 { id = id, text_of(cx, sc.set, area.title) },
        body,
      }
    end
  end
  return section("sum-areas", "sum-areas", t["staff.summary.areas"], {
    h.p { class = "hint", t["staff.summary.areas_intro"] },
    tbl(t["staff.summary.areas_table"], { t["staff.summary.area"], t["staff.summary.risk"],
      t["staff.summary.resource"] }, rows),
    parts,
  })
end

-- The answered, active follow-ups of q (any depth) in round sc.
local function followups(cx, sc, q, out)
  for _, g in ipairs(q.followups or {}) do
    for _, f in ipairs(g.questions) do
      if sc.is_active[f.id] and f.type ~= "info" and sc.answers[f.id] ~= nil then
        out[#out + 1] = h.li { question_answer(cx, sc, f.id) }
      end
      followups(cx, sc, f, out)
    end
  end
  return out
end

-- The active questions of a role, each with what the child chose (an
-- option marked none in a sentence) and the answered follow-ups.
local function role_part(cx, sc, role, heading, none_key)
  local t = cx.t
  local body = {}
  for _, q in ipairs(sc.active) do
    if q.role == role then
      local v = sc.answers[q.id]
      local set, vq = asked_in(cx, sc, q.id)
      vq = vq or q
      local said
      if v == nil then
        said = h.p { class = "hint", t["staff.summary.role_unanswered"] }
      elseif vq.option_index and v:sub(1, 2) ~= "s:" then
        local some, only_none = Q.said_options(vq, v)
        if only_none then
          said = h.p { class = "sum-said", h.strong { t[none_key] } }
        else
          local items = {}
          for i, o in ipairs(some) do items[i] = h.li { text_of(cx, set, o.text) } end
          said = h.ul { class = "sum-chosen", items }
        end
      else
        said = h.p { class = "sum-said", h.strong { words(cx, set, vq, v) } }
      end
      local more = followups(cx, sc, q, {})
      body[#body + 1] = h.div { class = "sum-role",
        h.p { class = "asked", asked(cx, set, vq) },
        said,
        #more > 0 and h.ul { class = "sum-qa", more } or nil,
      }
    end
  end
  if #body == 0 then return nil end
  return { h.h3(heading), body }
end

-- 3. What the child wants help with and whom they want to talk to.
local function help_part(cx, sc)
  local t = cx.t
  local wanted = role_part(cx, sc, "help_wanted", t["staff.summary.help_wanted"], "staff.summary.help_none")
  local talk = role_part(cx, sc, "talk_to", t["staff.summary.talk_to"], "staff.summary.talk_none")
  return section("sum-help", "sum-help", t["staff.summary.help"], {
    wanted, talk,
    not wanted and not talk and h.p { class = "hint", t["staff.summary.role_unanswered"] } or nil,
  })
end

-- 4. Every free text the child wrote, exactly, in the child's language;
-- one to a question that no longer applies (the child changed an answer
-- it hung on) says so.
local function words_part(cx, sc)
  local t = cx.t
  local ids = {}
  for id, v in pairs(sc.answers) do
    if type(v) == "string" and v:sub(1, 2) == "t:" then ids[id] = true end
  end
  local items = {}
  for i, id in ipairs(in_order(sc.set, ids)) do
    local set, q = asked_in(cx, sc, id)
    items[i] = h.li {
      h.p { class = "asked", q and asked(cx, set, q) or id },
      own(cx, sc.answers[id]:sub(3), "blockquote"),
      not sc.is_active[id] and h.p { class = "hint", t["staff.summary.inactive"] } or nil,
    }
  end
  return section("sum-words", "sum-words", t["staff.summary.own_words"], #items == 0
    and h.p { class = "hint", t["staff.summary.own_words_none"] }
    or { h.p { class = "hint", t["staff.summary.own_words_intro"] }, h.ul { class = "sum-own", items } })
end

-- 5. What the child did not want to answer or did not understand.
local function left_out_part(cx, sc)
  local d, t = cx.d, cx.t
  local function list(ids, key)
    if #ids == 0 then return nil end
    local items = {}
    for i, id in ipairs(ids) do
      local set, q = asked_in(cx, sc, id)
      items[i] = h.li { q and asked(cx, set, q) or id,
        q and q.area and h.span { class = "hint", " (", text_of(cx, set, q.area.title), ")" } or nil }
    end
    return { h.h3(fmt(d, tr(cx, key), #ids)), h.ul { class = "sum-left-out", items } }
  end
  local skipped, unclear = sc.summary.skipped, sc.summary.unclear
  return section("sum-left-out", "sum-left-out", t["staff.summary.left_out"],
    #skipped + #unclear == 0 and h.p { class = "hint", t["staff.summary.left_out_none"] } or {
      h.p { t["staff.summary.left_out_intro"] },
      list(skipped, "staff.summary.skipped"),
      list(unclear, "staff.summary.unclear"),
    })
end

-- 6. What the child changed: per question, the earlier answers (each with
-- its time, read with the set it was given under) and the answer now.
local function changes_part(cx, sc)
  local d, t = cx.d, cx.t
  local by_q, order = {}, {}
  for _, e in ipairs(d.history or {}) do
    if e.question ~= nil then
      if not by_q[e.question] then
        by_q[e.question] = {}
        order[#order + 1] = e.question
      end
      local list = by_q[e.question]
      list[#list + 1] = e
    end
  end
  if #order == 0 then
    return section("sum-changes", "sum-changes", t["staff.summary.changes"],
      h.p { class = "hint", t["staff.summary.changes_none"] })
  end
  local rows = {}
  for i, id in ipairs(order) do
    local set, q = asked_in(cx, sc, id)
    local earlier = {}
    for j, e in ipairs(by_q[id]) do
      local eset = cx.set_of(e.version)
      local eq = eset.index[id] or q
      earlier[j] = h.li { e.at and h.span { class = "when", e.at, ": " } or nil, words(cx, eset, eq, e.value) }
    end
    rows[i] = { q and asked(cx, set, q) or id, h.ol { class = "sum-earlier", earlier },
      words(cx, set, q, sc.answers[id]) }
  end
  return section("sum-changes", "sum-changes", t["staff.summary.changes"],
    tbl(t["staff.summary.changes"], { t["staff.summary.question"], t["staff.summary.earlier"],
      t["staff.summary.now"] }, rows))
end

-- What joins the words of a list in a language ("a, b"; Arabic and
-- Persian have their own comma).
local LIST_SEP = { ar = "، ", fa = "، " }

-- The name of the child's language, in that language, from the menu's
-- list (else its code).
local function lang_name(cx, code)
  for _, l in ipairs(cx.d.langs or {}) do
    if l.code == code then return h.span { lang = code, dir = l.dir, l.name } end
  end
  return h.span { lang = code, code }
end

-- The question as the child saw it (in the child's language, the age's
-- variant) and the chosen options in those words, one click away; nil
-- when the child read the reader's language or the language is unknown.
local function child_saw(cx, set, q, value)
  local c, d = cx.child, cx.d
  if not c.lang or c.lang == d.lang then return nil end
  local dir = c.dir or "auto"
  local chosen = {}
  if q.option_index then
    for _, id in ipairs(Q.chosen(value)) do
      local o = q.option_index[id]
      if o then
        if #chosen > 0 then chosen[#chosen + 1] = LIST_SEP[c.lang] or ", " end
        chosen[#chosen + 1] = text_of(cx, set, o.text, c.lang)
      end
    end
  end
  return h.details { class = "child-saw",
    h.summary { fmt(d, tr(cx, "staff.summary.child_saw"), lang_name(cx, c.lang)) },
    h.p { class = "asked", lang = c.lang, dir = dir, asked(cx, set, q, c.lang) },
    #chosen > 0 and h.p { class = "said", lang = c.lang, dir = dir, chosen } or nil,
  }
end

-- 7. Every answer, area by area in the order asked: the question in the
-- reader's language, the answer in words, the child's wording one click
-- away; each read with the set of its version.
local function all_part(cx, sc)
  local d, t = cx.d, cx.t
  local groups, by_area = {}, {}
  for _, q in ipairs(sc.active) do
    if q.type ~= "info" then
      local g = by_area[q.area.id]
      if not g then
        g = { area = q.area, items = {}, missing = 0 }
        by_area[q.area.id] = g
        groups[#groups + 1] = g
      end
      local v = sc.answers[q.id]
      if v == nil then
        g.missing = g.missing + 1
      else
        local set, vq = asked_in(cx, sc, q.id)
        vq = vq or q
        g.items[#g.items + 1] = h.li {
          h.p { class = "asked", asked(cx, set, vq) },
          h.p { class = "said", words(cx, set, vq, v) },
          is_older(cx, sc, q.id) and h.p { class = "hint", t["staff.summary.older_version"] } or nil,
          child_saw(cx, set, vq, v),
        }
      end
    end
  end
  local parts, any = {}, false
  for _, g in ipairs(groups) do
    if #g.items > 0 then
      any = true
      local id = "sum-all-" .. g.area.id
      parts[#parts + 1] = h.section { class = "sum-all-area", ["aria-labelledby"] = id,
        h.h3 { id = id, text_of(cx, sc.set, g.area.title) },
        h.ul { class = "answers sum-answers", g.items },
        g.missing > 0 and h.p { class = "hint", fmt(d, tr(cx, "staff.summary.unanswered_count"), g.missing) }
          or nil,
      }
    end
  end
  return section("sum-all", "sum-all", t["staff.summary.all"],
    any and parts or h.p { class = "hint", t["staff.summary.all_none"] })
end

-- The parts of a round in order: the id of each one's section (the core
-- sends the browser to #alerts after an alert is handled), its heading's
-- key for the contents, and the function that makes it.
local PARTS = {
  { "alerts", "staff.alert.heading", alerts_part },
  { "sum-areas", "staff.summary.areas", areas_part },
  { "sum-help", "staff.summary.help", help_part },
  { "sum-words", "staff.summary.own_words", words_part },
  { "sum-left-out", "staff.summary.left_out", left_out_part },
  { "sum-changes", "staff.summary.changes", changes_part },
  { "sum-all", "staff.summary.all", all_part },
}

-- S.round(data) -> list of nodes: the summary of one round (see the head
-- of the file; data as the core hands it: set, version, canonicals, ctx,
-- child, answers, versions, history, alerts, csrf, limits, t, lang, dir).
-- Scored and alerted with the set of the round's latest answer.
function S.round(data)
  local cx = context(data)
  local sc = scored(cx, cx.set_of(latest(data, data)), data)
  local links, body = {}, {}
  for i, p in ipairs(PARTS) do
    links[i] = h.li { h.a { href = "#" .. p[1], cx.t[p[2]] } }
    body[i] = p[3](cx, sc)
  end
  return {
    h.div { class = "sum sum-round",
      h.nav { class = "sum-contents", ["aria-label"] = cx.t["staff.summary.contents"], h.ol(links) },
      body,
    },
  }
end

---------------------------------------------------------------------------
-- Two rounds.

-- What a question says in the languages that matter here (the set's own,
-- the reader's, the child's), with the age's variant, its type, range and
-- options: two versions of a question differ for the reader when this
-- differs.
local function question_sig(cx, set, q)
  local out = { tostring(q.type), tostring(q.min), tostring(q.max) }
  local langs = { set.language, cx.d.lang, cx.child.lang }
  for _, lang in ipairs(langs) do
    out[#out + 1] = (Q.question_text(set, q, lang, cx.ctx)) or ""
    for _, o in ipairs(q.options or {}) do
      out[#out + 1] = o.id .. "=" .. ((Q.text(set, o.text, lang)) or "")
    end
  end
  return table.concat(out, "\1")
end

-- The change in a score as words: "(up 1)".
local function delta(cx, before, after)
  local d = cx.d
  if after > before then return fmt(d, tr(cx, "staff.compare.up"), after - before) end
  if after < before then return fmt(d, tr(cx, "staff.compare.down"), before - after) end
  return tr(cx, "staff.compare.same_value")
end

-- The areas of both rounds: the after round's in order, then those only
-- the before round has.
local function both_areas(a, b)
  local out, seen = {}, {}
  for _, sc in ipairs { b, a } do
    for _, area in ipairs(sc.set.areas) do
      if not seen[area.id] then
        seen[area.id] = true
        out[#out + 1] = { id = area.id, area = area, set = sc.set }
      end
    end
  end
  return out
end

local function score_of(sc, id)
  for _, a in ipairs(sc.summary.areas) do
    if a.id == id then return a end
  end
  return { risk = 0, resource = 0 }
end

-- The areas before and after: one table, then a chart per area.
local function compare_areas(cx, a, b)
  local d, t = cx.d, cx.t
  local ma, mb = area_max(a.set), area_max(b.set)
  local rows, figures = {}, {}
  for _, x in ipairs(both_areas(a, b)) do
    local xa, xb = ma[x.id] or { risk = 0, resource = 0 }, mb[x.id] or { risk = 0, resource = 0 }
    local m = { risk = math.max(xa.risk, xb.risk), resource = math.max(xa.resource, xb.resource) }
    if m.risk > 0 or m.resource > 0 then
      local sa, sb = score_of(a, x.id), score_of(b, x.id)
      local ans_a, ans_b = area_answered(a, x.id), area_answered(b, x.id)
      local title = Q.text(x.set, x.area.title, d.lang) or x.id
      -- A score, and after it how it moved since the before round.
      local function cell(answered, v, most, was)
        if not answered then return t["staff.summary.no_answers"] end
        local s = fmt(d, tr(cx, "staff.summary.of"), v, most)
        if was == nil then return s end
        return { s, " ", h.span { class = "delta", delta(cx, was, v) } }
      end
      rows[#rows + 1] = { text_of(cx, x.set, x.area.title),
        cell(ans_a, sa.risk, m.risk), cell(ans_b, sb.risk, m.risk, ans_a and sa.risk or nil),
        cell(ans_a, sa.resource, m.resource),
        cell(ans_b, sb.resource, m.resource, ans_a and sa.resource or nil) }
      if ans_a or ans_b then
        local function bar(key, sc, answered, v, most, class)
          return { label = fmt(d, tr(cx, key), sc.round), value = v, max = most, class = class,
            none = not answered }
        end
        figures[#figures + 1] = h.figure { class = "sum-figure",
          h.figcaption { text_of(cx, x.set, x.area.title) },
          chart(cx, fmt(d, tr(cx, "staff.compare.chart"), title,
            ans_a and sa.risk or t["staff.summary.no_answers"], ans_b and sb.risk or t["staff.summary.no_answers"],
            m.risk, ans_a and sa.resource or t["staff.summary.no_answers"],
            ans_b and sb.resource or t["staff.summary.no_answers"], m.resource), {
            bar("staff.compare.risk_round", a, ans_a, sa.risk, m.risk, "risk"),
            bar("staff.compare.risk_round", b, ans_b, sb.risk, m.risk, "risk"),
            bar("staff.compare.resource_round", a, ans_a, sa.resource, m.resource, "resource"),
            bar("staff.compare.resource_round", b, ans_b, sb.resource, m.resource, "resource"),
          }),
        }
      end
    end
  end
  return section("cmp-areas", "sum-areas", t["staff.compare.areas"], {
    h.p { class = "hint", t["staff.summary.areas_intro"] },
    h.p { fmt(d, tr(cx, "staff.compare.alerts"), #a.summary.alerts, a.round, #b.summary.alerts, b.round) },
    tbl(t["staff.compare.areas_table"], { t["staff.summary.area"],
      fmt(d, tr(cx, "staff.compare.risk_round"), a.round), fmt(d, tr(cx, "staff.compare.risk_round"), b.round),
      fmt(d, tr(cx, "staff.compare.resource_round"), a.round),
      fmt(d, tr(cx, "staff.compare.resource_round"), b.round) }, rows),
    h.div { class = "sum-figures", figures },
  })
end

-- Whether question id belongs to round sc: its set has it, or the child
-- answered it (under a version that had it).
local function in_round(sc, id)
  return sc.answers[id] ~= nil or sc.set.index[id] ~= nil
end

-- One question's row: the question (and how the before round asked it,
-- when it changed), both answers, and the change in words.
local function compare_row(cx, a, b, id)
  local d, t = cx.d, cx.t
  local in_a, in_b = in_round(a, id), in_round(b, id)
  local va, vb = a.answers[id], b.answers[id]
  local seta, qa = asked_in(cx, a, id)
  local setb, qb = asked_in(cx, b, id)
  local notes, class = {}, "changed"
  local function note(key, strong)
    if #notes > 0 then notes[#notes + 1] = h.br {} end
    notes[#notes + 1] = strong and h.strong { t[key] } or t[key]
  end
  local cell_a = in_a and words(cx, seta, qa, va) or h.em { t["staff.compare.not_asked"] }
  local cell_b = in_b and words(cx, setb, qb, vb) or h.em { t["staff.compare.not_asked"] }
  local was
  if not in_a then
    note("staff.compare.new", true)
  elseif not in_b then
    note("staff.compare.removed", true)
  else
    local ver_a = a.versions[id] or (va ~= nil and d.version) or nil
    local ver_b = b.versions[id] or (vb ~= nil and d.version) or nil
    local qchanged = va ~= nil and vb ~= nil and ver_a ~= ver_b and qa and qb
      and question_sig(cx, seta, qa) ~= question_sig(cx, setb, qb)
    if va == vb and not qchanged then
      note("staff.compare.same")
      class = nil
    else
      note(va == vb and "staff.compare.same" or "staff.compare.changed", va ~= vb)
    end
    if qchanged then
      note("staff.compare.question_changed", true)
      local old, new = Q.question_text(seta, qa, d.lang, cx.ctx), Q.question_text(setb, qb, d.lang, cx.ctx)
      if old ~= new then
        was = h.span { class = "hint was", fmt(d, tr(cx, "staff.compare.was_asked"), a.round, asked(cx, seta, qa)) }
      end
    end
  end
  local set, q = setb, qb
  if not q then set, q = seta, qa end
  return { { q and asked(cx, set, q) or id, was and { h.br {}, was } or nil }, cell_a, cell_b, notes, class = class }
end

-- The questions of both rounds per area (the after round's order, then
-- what only the before round has), each answered in at least one.
local function compare_questions(cx, a, b)
  local d, t = cx.d, cx.t
  local groups, by_area, seen = {}, {}, {}
  local function add(id, area, set)
    if seen[id] then return end
    seen[id] = true
    local g = by_area[area.id]
    if not g then
      g = { area = area, set = set, ids = {} }
      by_area[area.id] = g
      groups[#groups + 1] = g
    end
    g.ids[#g.ids + 1] = id
  end
  for _, sc in ipairs { b, a } do
    for _, q in ipairs(sc.set.order) do
      if q.type ~= "info" then add(q.id, q.area, sc.set) end
    end
  end
  -- Answers to questions neither round's set has (older versions).
  for _, sc in ipairs { b, a } do
    local ids = {}
    for id in pairs(sc.answers) do
      if not seen[id] then ids[id] = true end
    end
    for _, id in ipairs(in_order(sc.set, ids)) do
      local set, q = asked_in(cx, sc, id)
      if q and q.area and q.type ~= "info" then add(id, q.area, set) end
    end
  end
  local parts = {}
  for _, g in ipairs(groups) do
    local rows = {}
    for _, id in ipairs(g.ids) do
      local va, vb = a.answers[id], b.answers[id]
      if (va ~= nil and va ~= "s:seen") or (vb ~= nil and vb ~= "s:seen") then
        rows[#rows + 1] = compare_row(cx, a, b, id)
      end
    end
    if #rows > 0 then
      local title = Q.text(g.set, g.area.title, d.lang) or g.area.id
      local id = "cmp-area-" .. g.area.id
      parts[#parts + 1] = h.section { class = "sum-compare-area", ["aria-labelledby"] = id,
        h.h3 { id = id, text_of(cx, g.set, g.area.title) },
        tbl(title, { t["staff.summary.question"], fmt(d, tr(cx, "staff.compare.round"), a.round),
          fmt(d, tr(cx, "staff.compare.round"), b.round), t["staff.compare.change"] }, rows),
      }
    end
  end
  return section("cmp-questions", "sum-compare", t["staff.compare.questions"],
    #parts > 0 and parts or h.p { class = "hint", t["staff.compare.none"] })
end

-- S.compare(data) -> list of nodes: two rounds of one child side by side
-- (data.before and data.after: { id, round, started, answers, versions },
-- with set, version, canonicals, ctx, child, t, lang, dir).  Each round is
-- scored with the set of its latest answer; questions are matched by id.
function S.compare(data)
  local cx = context(data)
  local rounds = {}
  for i, r in ipairs { data.before or {}, data.after or {} } do
    local sc = scored(cx, cx.set_of(latest(data, r)), r)
    sc.round = r.round or i
    rounds[i] = sc
  end
  local a, b = rounds[1], rounds[2]
  local function fact(sc, key)
    return { h.dt(cx.t[key]), h.dd { sc.started
      and fmt(data, tr(cx, "staff.compare.started"), sc.round, sc.started)
      or fmt(data, tr(cx, "staff.compare.round"), sc.round) } }
  end
  return {
    h.div { class = "sum sum-compare-page",
      h.dl { class = "facts", fact(a, "staff.compare.before"), fact(b, "staff.compare.after") },
      compare_areas(cx, a, b),
      compare_questions(cx, a, b),
    },
  }
end

return S
