-- host.lua: what the core calls in a tenant's Lua state.  The core passes
-- plain data (the plugin chain, the child's answers and context, submitted
-- fields) and gets back plain data or HTML; no storage, file or key is
-- reachable from here.  Functions the plugin tools call take (chain, lang,
-- sources, ...) like load_set.
local Q = require "questions"
local locate = require "locate"
local pages = require "views.child"

local host = {}
local set

-- Prepares the environment a plugin runs in (it has the sandbox's allow
-- list already); returns it.
function host.plugin_env(env)
  return env
end

-- Loads the chain (base first), refuses it on any error, keeps the set and
-- returns its canonical form (the core hashes it into the version).
function host.load_set(chain, lang, sources)
  local s = Q.load(chain, lang)
  local errors = {}
  for _, line in ipairs(locate.format(sources, chain, s.problems)) do
    if line:find(": error: ", 1, true) then errors[#errors + 1] = line end
  end
  if #errors > 0 then
    error(table.concat(errors, "; "), 0)
  end
  set = s
  return Q.canonical(s)
end

-- The active questions of a request's answers, worked out once: the core
-- hands the same answers table to every call of one request and nothing
-- here changes it.  Weak keys: it goes with the request.
local memo = setmetatable({}, { __mode = "k" })

local function active(answers, ctx)
  local age = ctx and ctx.age or ""
  local m = memo[answers]
  if m and m.age == age then return m.list end
  local list = Q.active(set, answers, ctx)
  memo[answers] = { age = age, list = list }
  return list
end

function host.next(answers, ctx)
  return Q.next(set, answers, ctx, active(answers, ctx))
end

function host.is_active(answers, id, ctx)
  return Q.is_active(set, answers, id, ctx, active(answers, ctx))
end

-- Checks a submission: returns the value to store (or nil and the key of
-- the message to show) and the ids of the alerts this answer raises that
-- were not raised before (space-separated, "" for none): the core keeps
-- them for the professional, and the child first sees care.
-- The fourth result is the state of the page the child goes to next
-- (pages.state; nil when all is answered): the core keeps it with the
-- answer, so that page is found without the answers (host.cached).
-- In a mapping round (ctx.mapping) the fifth is the bands of the child's
-- scores after the answer (Q.levels), which the core counts in the group.
function host.accept(answers, id, submission, ctx)
  local before = active(answers, ctx)
  local value, why = Q.accept(set, answers, id, submission, ctx, before)
  if not value then return nil, why, "" end
  local after = {}
  for k, v in pairs(answers) do after[k] = v end
  after[id] = value
  local now = Q.active(set, after, ctx)
  local ids = {}
  for i, r in ipairs(Q.new_alerts(set, answers, after, ctx, before, now)) do ids[i] = r.id end
  return value, nil, table.concat(ids, " "), now.next and pages.state(set, after, ctx, now, now.next) or nil,
    ctx and ctx.mapping and Q.levels(set, after, ctx, now) or nil
end

-- Whether the set has an alert rule of id (a professional marks it
-- handled).
function host.alert_known(id)
  for _, r in ipairs(set.alerts) do
    if r.id == id then return true end
  end
  return false
end

-- The cached page of the next question from a state host.accept gave
-- ("": the first page, for a child with no answers yet): its pieces, the
-- CSRF token and the question's id; or nil.
local first = {}

function host.cached(state, data)
  if state == "" then
    local age = data.ctx and data.ctx.age or false
    state = first[age]
    if state == nil then
      local none = {}
      local list = Q.active(set, none, data.ctx)
      state = list.next and pages.state(set, none, data.ctx, list, list.next) or false
      first[age] = state
    end
    if not state then return nil end
  end
  return pages.cached(data, state)
end

-- The page as the core writes it: the pieces between its CSRF tokens, and
-- the token (pages.parts).  The staff's pages ("staff_...") are their own
-- family (views/staff.lua), loaded the first time one is asked for; their
-- data.answers is a list of rows, not a child's answers to walk.
local staff_views

function host.page(page, data)
  data.set = set
  if page:sub(1, 6) == "staff_" then
    staff_views = staff_views or require "views.staff"
    return staff_views.parts(page, data)
  end
  if data.answers then data.active = active(data.answers, data.ctx) end
  return pages.parts(page, data)
end

-- The page as one string (the tests and tools).
function host.render(page, data)
  local parts, csrf = host.page(page, data)
  return table.concat(parts, csrf)
end

---------------------------------------------------------------------------
-- The plugin tools (`beratta plugin ...`).  Each loads the chain as
-- load_set does but keeps every problem instead of refusing the set; the
-- modules they use are required only here, so a tenant's state never
-- loads them.

-- check -> report lines (problems "file:line: level: where: message"
-- sorted by file and line, then coverage per language), the number of
-- errors and of warnings, and the canonical form (the core hashes it into
-- the version, as the daemon does).
function host.check(chain, lang, sources)
  local s = Q.load(chain, lang)
  local lines, errors, warnings = require("tools.check").report(s, chain, sources)
  return lines, errors, warnings, Q.canonical(s)
end

-- graph -> the set's tree as Graphviz DOT, and the number of errors.
function host.graph(chain, lang, _sources)
  local s = Q.load(chain, lang)
  return require("tools.graph").dot(s), #Q.errors(s)
end

-- dump -> the set as loaded, as JSON (or its canonical form).
function host.dump(chain, lang, sources, canonical)
  local s = Q.load(chain, lang)
  if canonical then return Q.canonical(s) .. "\n" end
  return require("tools.check").dump(s, chain, sources)
end

-- po_export(..., target) -> the PO catalogue of every text for target,
-- and notes for the user; or nil and why.
function host.po_export(chain, lang, _sources, target)
  return require("tools.po").export(Q.load(chain, lang), target)
end

-- po_import(..., text, file) -> the Lua text of translations/LANG.lua,
-- LANG, and report lines; or nil and why.  file names the PO file.
function host.po_import(chain, lang, sources, text, file)
  local plugin = chain[#chain]._plugin
  return require("tools.po").import(Q.load(chain, lang), text, file, plugin,
    sources[tostring(plugin) .. "/init.lua"])
end

return host
