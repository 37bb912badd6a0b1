-- locate.lua: finds the file and line a problem of a set comes from.  The
-- set is data, so its problems name a place in the data ("home_feel
-- followups[1]", "layer 2 steps[3]"); this looks for the ids they mention
-- in the plugins' source texts, `id = "x"` first, then any quoted "x".
local L = {}

local function lines_upto(text, pos)
  local n = 1
  for _ in text:sub(1, pos):gmatch("\n") do n = n + 1 end
  return n
end

local function find(sources, files, word)
  if not word then return nil end
  local plain = word:gsub("%p", "%%%0")
  for _, pat in ipairs({ "id%s*=%s*[\"']" .. plain .. "[\"']", "[\"']" .. plain .. "[\"']" }) do
    for _, f in ipairs(files) do
      local pos = sources[f]:find(pat)
      if pos then return f .. ":" .. lines_upto(sources[f], pos) end
    end
  end
  return nil
end

-- locate(sources, chain, problem) -> "file:line" or "file", or nil.
-- sources maps "plugin/file.lua" to its text; chain is the list of plugin
-- tables (each with _plugin, its name), base first.
function L.locate(sources, chain, p)
  local files = {}
  local layer = p.where:match("^layer (%d+)")
  local scope = layer and chain[tonumber(layer)] and chain[tonumber(layer)]._plugin
  for f in pairs(sources or {}) do
    if not scope or f:sub(1, #scope + 1) == scope .. "/" then files[#files + 1] = f end
  end
  -- init.lua first, then the rest in order.
  table.sort(files, function(a, b)
    local ia, ib = a:match("/init%.lua$") ~= nil, b:match("/init%.lua$") ~= nil
    if ia ~= ib then return ia end
    return a < b
  end)
  if #files == 0 then return nil end
  local words = {}
  local first = p.where:match("^([%w_]+)")
  if first and first ~= "layer" and first ~= "area" and first ~= "set" then
    words[#words + 1] = first:match("^([%w_]+)")
  end
  local area = p.where:match("^area ([%w_]+)")
  if area then words[#words + 1] = area end
  for w in p.msg:gmatch("([%a][%w_]*)%s*$") do words[#words + 1] = w end
  for w in p.msg:gmatch("id ([%a][%w_]*)") do words[#words + 1] = w end
  for w in p.msg:gmatch("option ([%a][%w_]*)") do words[#words + 1] = w end
  local opt = p.where:match("^[%w_]+%.([%w_]+)")
  if opt then table.insert(words, 1, opt) end
  for _, w in ipairs(words) do
    local at = find(sources, files, w)
    if at then return at end
  end
  return files[1]
end

-- The problems of a set as lines "file:line: level: where: message".
function L.format(sources, chain, problems)
  local out = {}
  for _, p in ipairs(problems) do
    local at = L.locate(sources, chain, p)
    out[#out + 1] = (at and at .. ": " or "") .. p.level .. ": " .. p.where .. ": " .. p.msg
  end
  return out
end

return L
