-- views/report.lua: the reports of anonymous mapping rounds (the body
-- of /staff/mapping/report and /staff/mapping/compare; views/staff.lua
-- puts the shell around them).  Every number here passed the core's
-- disclosure control (core/report.c, core/disclose.c): a suppressed count
-- reaches this file as a mark without its number, and which counts of two
-- reports are compared was decided there too.  Nothing here sees a child:
-- only counts of groups.
local h = require "html"
local L = require "views.layout"
local Q = require "questions"

local R = {}
local fmt, tbl = L.fmt, L.table

-- A closed round's counts never change, so a report's body is rendered
-- once for what it shows (the round, the group, the reader's language,
-- the set) and kept: the last KEEP bodies of this tenant's state.  The
-- body carries no token and nothing of the reader; the shell around it
-- (views/staff.lua) is made anew for each request, and the core audits
-- every read before the view is called.
local KEEP = 16
local kept, kept_order = {}, {}

local function keep(key, render)
  local html = kept[key]
  if html == nil then
    html = h.render(render())
    kept[key] = html
    kept_order[#kept_order + 1] = key
    if #kept_order > KEEP then kept[table.remove(kept_order, 1)] = nil end
  end
  return h.raw(html)
end

-- What a side of a report is: its round, group, closing and refusal.
local function side_key(s)
  return table.concat({ tostring(s.id), tostring(s.group), tostring(s.closed), tostring(s.refused),
    tostring(s.version), tostring(s.respondents) }, "\2")
end

-- Text a person typed, isolated from the sentence around it.
local function typed(s)
  return h.bdi { s }
end

---------------------------------------------------------------------------
-- Counts.

-- A count of a report as the core left it: the number, or a dash when it
-- was suppressed (the view never had that number).
local function count_cell(data, cell)
  if cell == nil then return L.number(data, 0) end
  if cell.hidden then
    return h.span { class = "suppressed", "–", h.span { class = "sr", " ", data.t["staff.report.hidden_sr"] } }
  end
  return L.number(data, cell.n)
end

-- What a counted value is called: an option of the question in the
-- reader's language, a special answer, words, a number.
local function value_text(data, q, value)
  local t = data.t
  if value == "s:skip" then return t["staff.report.skip"] end
  if value == "s:unclear" then return t["staff.report.unclear"] end
  if value == "t" then return t["staff.report.words"] end
  local n = value:match("^n:(.*)$")
  if n then return L.number(data, n) end
  local o = q and q.option_index and q.option_index[value]
  if o then return (L.text(data, o.text)) end
  return value
end

-- A count drawn as a bar (server-side SVG, no script), scaled to the
-- largest shown count of its table; a suppressed count has no bar.  The
-- number is in the cell beside it, so the picture is hidden from screen
-- readers; right to left, the bar grows from the right.
local BAR_W = 120

local function bar(data, cell, max, class)
  if cell == nil or cell.hidden or not cell.n or cell.n <= 0 then return "" end
  local w = math.max(1, math.floor(BAR_W * cell.n / max + 0.5))
  local x = data.dir == "rtl" and BAR_W - w or 0
  return h.svg { class = "report-bar" .. (class and (" " .. class) or ""), width = tostring(BAR_W), height = "14",
    viewbox = "0 0 " .. BAR_W .. " 14", ["aria-hidden"] = "true", focusable = "false",
    h.rect { x = tostring(x), y = "1", width = tostring(w), height = "12" } }
end

-- The cells of a counted row by value.
local function by_value(row)
  local by = {}
  for _, c in ipairs(row and row.cells or {}) do by[c.value] = c end
  return by
end

-- The largest shown count of some rows (at least 1, to scale bars by).
local function max_of(...)
  local max = 1
  for i = 1, select("#", ...) do
    for _, c in ipairs((select(i, ...) or {}).cells or {}) do
      if not c.hidden and c.n and c.n > max then max = c.n end
    end
  end
  return max
end

-- One question's counts: its options in the set's order (0 where nobody
-- chose one), then whatever else was counted; each with its bar.
local function question_table(data, q, counted)
  local t = data.t
  local by, cells, seen, max = by_value(counted), {}, {}, max_of(counted)
  for _, o in ipairs(q.options or {}) do
    cells[#cells + 1] = { value_text(data, q, o.id), by[o.id] }
    seen[o.id] = true
  end
  for _, c in ipairs(counted.cells or {}) do
    if not seen[c.value] then cells[#cells + 1] = { value_text(data, q, c.value), c } end
  end
  local rows = {}
  for i, c in ipairs(cells) do rows[i] = { c[1], count_cell(data, c[2]), bar(data, c[2], max) } end
  return h.div { class = "report-question",
    h.h4 { L.text(data, q.text) },
    tbl(t["staff.report.counts"], { t["staff.report.answer"], t["staff.report.count"], t["staff.report.chart"] },
      rows),
  }
end

-- The bands of an area's scores, as the core counts them ("risk:area" and
-- "resource:area", values "0" none, "1" some, "2" much).
local BANDS = { "0", "1", "2" }

-- How many children of the report have no, some or much risk and
-- resource in area a: one table, a bar beside each count.
local function levels_table(data, a, questions)
  local t = data.t
  local risk, res = questions["risk:" .. a.id], questions["resource:" .. a.id]
  if not risk and not res then return nil end
  local rb, sb, max = by_value(risk), by_value(res), max_of(risk, res)
  local rows = {}
  for i, b in ipairs(BANDS) do
    rows[i] = { t["staff.report.band." .. b],
      risk and count_cell(data, rb[b]) or "", risk and bar(data, rb[b], max, "risk") or "",
      res and count_cell(data, sb[b]) or "", res and bar(data, sb[b], max, "resource") or "" }
  end
  return h.div { class = "report-levels",
    h.h4 { t["staff.report.levels"] },
    tbl(fmt(data, t["staff.report.levels_caption"], (L.text(data, a.title))),
      { t["staff.report.level"], t["staff.summary.risk"], t["staff.report.chart"], t["staff.summary.resource"],
        t["staff.report.chart"] }, rows),
  }
end

---------------------------------------------------------------------------
-- One report.

-- The form that picks another report to compare this one with: in this
-- round, the whole round and its other groups; in the unit's other closed
-- rounds, the whole round and the group of the same name (a class against
-- itself a year before).
local function compare_form(data, rp)
  local t = data.t
  local options = {}
  for _, r in ipairs(rp.others or {}) do
    local here = r.id == rp.id
    if not (here and rp.group == nil) then
      options[#options + 1] = h.option { value = tostring(r.id), fmt(data, t["staff.report.whole_of"], r.name) }
    end
    for _, g in ipairs(r.groups or {}) do
      if (here and rp.group ~= g.id) or (not here and rp.group_name == g.name) then
        options[#options + 1] = h.option { value = r.id .. "-" .. g.id,
          fmt(data, t["staff.report.group_of"], r.name, g.name) }
      end
    end
  end
  if #options == 0 then return nil end
  return h.form { class = "box no-print", method = "get", action = "/staff/mapping/compare",
    h.input { type = "hidden", name = "id", value = tostring(rp.id) },
    rp.group and h.input { type = "hidden", name = "group", value = tostring(rp.group) } or nil,
    h.label { ["for"] = "with", t["staff.report.compare"] },
    h.select { id = "with", name = "with", options },
    h.button { type = "submit", class = "secondary", t["staff.report.compare_button"] },
  }
end

-- The report of a closed mapping round (the whole round or one group):
-- a suppressed count reached this view as a mark without a number.
local function report(data)
  local t, rp = data.t, data.report or {}
  local base = "/staff/mapping/report?id=" .. tostring(rp.id)
  local nav = { h.li { rp.group and h.a { href = base, t["staff.report.whole"] }
    or h.span { ["aria-current"] = "page", t["staff.report.whole"] } } }
  for _, g in ipairs(rp.groups or {}) do
    local here = rp.group == g.id
    nav[#nav + 1] = h.li { here and h.span { ["aria-current"] = "page", typed(g.name) }
      or h.a { href = base .. "&group=" .. tostring(g.id), typed(g.name) } }
  end
  local body = {
    h.p { fmt(data, t["staff.mapping.period"], typed(rp.name or ""), rp.opens or "", rp.closes or "") },
    h.nav { class = "report-groups", ["aria-label"] = t["staff.report.groups_nav"], h.ul { nav } },
    h.h2 { rp.group_name and typed(rp.group_name) or t["staff.report.whole"] },
  }
  if rp.refused then
    body[#body + 1] = h.p { class = "note", role = "status", t["staff.report." .. rp.refused] }
  else
    local alerted = (rp.alerted or {})[1]
    body[#body + 1] = h.p { fmt(data, t["staff.report.respondents"], L.number(data, rp.respondents),
      L.number(data, rp.expected)) }
    body[#body + 1] = h.p { t["staff.report.alerted"], " ", h.strong { count_cell(data, alerted) } }
    body[#body + 1] = h.p { class = "note", t["staff.report.alert_guidance"] }
    body[#body + 1] = h.p { class = "hint", t["staff.report.suppression_note"] }
    body[#body + 1] = h.p { class = "hint", t["staff.report.levels_hint"] }
    body[#body + 1] = h.p { class = "no-print", h.a { href = "/staff/mapping/report.csv?id=" .. tostring(rp.id)
      .. (rp.group and ("&group=" .. tostring(rp.group)) or ""), t["staff.report.csv"] } }
    body[#body + 1] = compare_form(data, rp)
    local set = data.set or { areas = {}, order = {} }
    local questions = rp.questions or {}
    for _, a in ipairs(set.areas or {}) do
      local parts = { levels_table(data, a, questions) }
      for _, q in ipairs(set.order or {}) do
        if q.area == a and q.type ~= "info" and questions[q.id] then
          parts[#parts + 1] = question_table(data, q, questions[q.id])
        end
      end
      if #parts > 0 then
        body[#body + 1] = h.section { class = "report-area",
          h.h3 { L.text(data, a.title) },
          parts,
        }
      end
    end
  end
  body[#body + 1] = h.p { class = "no-print", h.a { href = "/staff/mapping", t["staff.report.back"] } }
  return body
end

function R.report(data)
  local rp = data.report or {}
  local others = {}
  for i, r in ipairs(rp.others or {}) do others[i] = tostring(r.id) .. ":" .. tostring(#(r.groups or {})) end
  return keep(table.concat({ "report", tostring(data.lang), tostring(data.version), side_key(rp),
    table.concat(others, ",") }, "\1"), function() return report(data) end)
end

---------------------------------------------------------------------------
-- Two reports.

-- The set a side was last answered under (its canonical form when it is
-- not today's), or today's.
local function sets_of(data)
  local cache = {}
  return function(version)
    if version == nil or version == data.version then return data.set end
    if cache[version] == nil then
      local text = (data.canonicals or {})[version]
      local good, got = false, nil
      if type(text) == "string" then good, got = pcall(Q.from_canonical, text) end
      cache[version] = good and got or data.set
    end
    return cache[version]
  end
end

-- What a question says in the set's own language, with its type and
-- options: two versions differ for a reader when this differs.
local function signature(set, q)
  local out = { tostring(q.type), tostring(q.min), tostring(q.max), (Q.text(set, q.text, set.language)) or "" }
  for _, o in ipairs(q.options or {}) do
    out[#out + 1] = o.id .. "=" .. ((Q.text(set, o.text, set.language)) or "")
  end
  return table.concat(out, "\1")
end

-- A side's name: "Round, the whole round" or "Round, Group".
local function side_name(data, s)
  if s.group_name then return fmt(data, data.t["staff.report.group_of"], s.name, s.group_name) end
  return fmt(data, data.t["staff.report.whole_of"], s.name)
end

-- A side's count with its share: "12 (34 %)", a dash when suppressed,
-- "Not asked" when the question was not in that round.
local function side_cell(data, asked, cell, pct)
  if not asked then return data.t["staff.rcompare.not_asked"] end
  if cell and cell.hidden then return count_cell(data, cell) end
  local n = count_cell(data, cell)
  if pct == nil then return n end
  return fmt(data, data.t["staff.rcompare.share"], n, L.number(data, math.floor(pct + 0.5)))
end

-- The difference in percentage points (whole points: the first side's
-- share less the second's, as "now against then"), or a dash with its
-- reason for screen readers when the core did not compare the two.
local function difference(data, r)
  if r.pa == nil or r.pb == nil then
    return h.span { class = "suppressed", "–", h.span { class = "sr", " ", data.t["staff.rcompare.not_compared"] } }
  end
  local d = math.floor(r.pa - r.pb + 0.5)
  local s = (d > 0 and "+" or d < 0 and "−" or "±") .. L.number(data, math.abs(d))
  return fmt(data, data.t["staff.rcompare.points"], s)
end

-- The rows of a comparison for question id, in value order: the options
-- of q as the set orders them, then the rest.
local function rows_for(q, list)
  local by, out, seen = {}, {}, {}
  for _, r in ipairs(list or {}) do by[r.value] = r end
  for _, o in ipairs(q and q.options or {}) do
    if by[o.id] then out[#out + 1] = by[o.id]; seen[o.id] = true end
  end
  for _, r in ipairs(list or {}) do
    if not seen[r.value] then out[#out + 1] = r end
  end
  return out
end

-- One table of a comparison: a row per value, the two sides and their
-- difference.
local function compare_table(data, caption, label_of, list)
  local t, c = data.t, data.compare
  local rows = {}
  for i, r in ipairs(list) do
    rows[i] = { label_of(r.value), side_cell(data, r.asked_a, r.a, r.pa), side_cell(data, r.asked_b, r.b, r.pb),
      difference(data, r) }
  end
  return tbl(caption, { t["staff.report.answer"], side_name(data, c.a), side_name(data, c.b),
    t["staff.rcompare.difference"] }, rows)
end

-- Two reports side by side: per area the bands of risk and resource, then
-- each question, matched by id across the sets the two were answered
-- under, a question worded differently or asked in one only marked.
local function compare(data)
  local t, c = data.t, data.compare or {}
  local a, b = c.a or {}, c.b or {}
  local body = { h.h2 { side_name(data, a), " – ", side_name(data, b) } }
  for _, s in ipairs { a, b } do
    if s.refused then
      body[#body + 1] = h.p { class = "note", role = "status", h.strong { side_name(data, s), ": " },
        t["staff.report." .. s.refused] }
    end
  end
  if a.refused or b.refused then
    body[#body + 1] = h.p { class = "no-print", h.a { href = "/staff/mapping", t["staff.report.back"] } }
    return body
  end
  for _, s in ipairs { a, b } do
    body[#body + 1] = h.p { fmt(data, t["staff.rcompare.respondents"], side_name(data, s),
      L.number(data, s.respondents), L.number(data, s.expected)) }
  end
  body[#body + 1] = h.p { class = "hint", t["staff.rcompare.intro"] }
  body[#body + 1] = h.p { class = "hint", t["staff.report.suppression_note"] }
  local query = "?id=" .. tostring(a.id) .. (a.group and ("&group=" .. tostring(a.group)) or "")
    .. "&with=" .. tostring(b.id) .. (b.group and ("-" .. tostring(b.group)) or "")
  body[#body + 1] = h.p { class = "no-print", h.a { href = "/staff/mapping/compare.csv" .. query,
    t["staff.rcompare.csv"] } }
  local by = {}
  for _, r in ipairs(c.rows or {}) do
    by[r.question] = by[r.question] or {}
    table.insert(by[r.question], r)
  end
  local set_of = sets_of(data)
  local sa, sb = set_of(a.version), set_of(b.version)
  -- The areas and questions of both sets: the first side's in its order,
  -- then what only the second has.
  local areas, seen = {}, {}
  for _, set in ipairs { sa, sb } do
    for _, area in ipairs(set.areas or {}) do
      if not seen[area.id] then
        seen[area.id] = true
        areas[#areas + 1] = area
      end
    end
  end
  local band = function(v) return t["staff.report.band." .. v] end
  for _, area in ipairs(areas) do
    local parts = {}
    for _, kind in ipairs { "risk", "resource" } do
      local list = by[kind .. ":" .. area.id]
      if list then
        local order = {}
        for _, v in ipairs(BANDS) do
          for _, r in ipairs(list) do
            if r.value == v then order[#order + 1] = r end
          end
        end
        parts[#parts + 1] = h.div { class = "report-levels",
          h.h4 { t["staff.summary." .. kind] },
          compare_table(data, fmt(data, t["staff.report.levels_caption"], (L.text(data, area.title))), band, order),
        }
      end
    end
    local asked = {}
    for _, set in ipairs { sa, sb } do
      for _, q in ipairs(set.order or {}) do
        if q.area and q.area.id == area.id and q.type ~= "info" and by[q.id] and not asked[q.id] then
          asked[q.id] = true
          local qa, qb = sa.index and sa.index[q.id], sb.index and sb.index[q.id]
          local mark
          if qa and qb and signature(sa, qa) ~= signature(sb, qb) then
            mark = h.p { class = "note changed", t["staff.rcompare.changed"] }
          elseif not (qa and qb) then
            mark = h.p { class = "note changed", fmt(data, t["staff.rcompare.only"], side_name(data, qa and a or b)) }
          end
          local shown = qa or qb
          parts[#parts + 1] = h.div { class = "report-question",
            h.h4 { L.text(data, shown.text) },
            mark,
            compare_table(data, t["staff.report.counts"], function(v) return value_text(data, shown, v) end,
              rows_for(shown, by[q.id])),
          }
        end
      end
    end
    if #parts > 0 then
      body[#body + 1] = h.section { class = "report-area", h.h3 { L.text(data, area.title) }, parts }
    end
  end
  body[#body + 1] = h.p { class = "no-print", h.a { href = "/staff/mapping/report" .. "?id=" .. tostring(a.id)
    .. (a.group and ("&group=" .. tostring(a.group)) or ""), t["staff.rcompare.back"] } }
  return body
end

function R.compare(data)
  local c = data.compare or {}
  return keep(table.concat({ "compare", tostring(data.lang), tostring(data.version), side_key(c.a or {}),
    side_key(c.b or {}) }, "\1"), function() return compare(data) end)
end

return R
