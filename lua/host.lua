-- host.lua: what the core calls in a tenant's Lua state.  The core passes
-- plain data (the child's answers, the submitted fields) and gets back
-- plain data or HTML; no storage, file or key is reachable from here.
local Q = require "questions"
local pages = require "pages"

local host = {}
local set

-- Prepares the environment a plugin runs in (it has the sandbox's allow
-- list already); returns it.
function host.plugin_env(env)
  return env
end

-- Takes the plugin's set, checks it, keeps it, and returns its canonical
-- form (the core hashes it into the version).
function host.load_set(def, default_lang)
  set = Q.load(def, default_lang, "plugin")
  return Q.canonical(set)
end

function host.next(answers)
  return Q.next(set, answers)
end

function host.accept(answers, id, submission)
  return Q.accept(set, answers, id, submission)
end

function host.render(page, data)
  data.set = set
  return pages.render(page, data)
end

return host
