-- host.lua: what the core calls in a tenant's Lua state.  The core passes
-- plain data (the plugin chain, the child's answers and context, submitted
-- fields) and gets back plain data or HTML; no storage, file or key is
-- reachable from here.  Functions the plugin tools call take (chain, lang,
-- sources, ...) like load_set.
local Q = require "questions"
local locate = require "locate"
local pages = require "pages"

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

function host.next(answers, ctx)
  return Q.next(set, answers, ctx)
end

-- Checks a submission: returns the value to store (or nil and the key of
-- the message to show) and the number of alerts this answer raises that
-- were not raised before, so the child first sees care.
function host.accept(answers, id, submission, ctx)
  local value, why = Q.accept(set, answers, id, submission, ctx)
  if not value then return nil, why, 0 end
  local after = {}
  for k, v in pairs(answers) do after[k] = v end
  after[id] = value
  return value, nil, #Q.new_alerts(set, answers, after, ctx)
end

function host.render(page, data)
  data.set = set
  return pages.render(page, data)
end

return host
