-- html.lua: the only way pages make HTML.  Elements are built from tables:
--
--   h.p { class = "lead", "Text ", h.strong "bold" }
--
-- String keys are attributes, array items are children.  Every string is
-- escaped; h.raw marks the rare trusted fragment and is visible at its use.
-- URL attributes refuse javascript: and data: schemes.
local h = {}

local escapes = {
  ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
  ['"'] = "&quot;", ["'"] = "&#39;",
}

function h.escape(s)
  s = tostring(s)
  if not s:find("[&<>\"']") then return s end
  return (s:gsub("[&<>\"']", escapes))
end

local Raw = {}
Raw.__index = Raw

-- Marks s as HTML that is inserted as it is.  Use only for markup this
-- program made itself.
function h.raw(s)
  return setmetatable({ html = s }, Raw)
end

local void = {
  area = true, br = true, col = true, hr = true, img = true, input = true,
  link = true, meta = true, source = true,
}
local url_attr = { href = true, src = true, action = true, formaction = true }

local attr_ok = {}

local function valid_attr(name)
  local ok = attr_ok[name]
  if ok == nil then
    ok = name:match("^[a-z][a-z0-9-]*$") ~= nil
    attr_ok[name] = ok
  end
  return ok
end

local function safe_url(v)
  -- Browsers drop tabs, newlines and leading controls before they read the
  -- scheme ("java\tscript:"), so read it without them too.
  local scheme = v:gsub("[%c%s]", ""):match("^([%a][%w+.-]*):")
  if scheme then
    scheme = scheme:lower()
    if scheme ~= "https" and scheme ~= "http" and scheme ~= "tel"
      and scheme ~= "mailto" then
      return "#"
    end
  end
  return v
end

local render

-- Children may have holes (cond and x or nil), so go up to the largest
-- integer key rather than stop at the first nil.
local function render_children(node, out)
  local n = 0
  for k in pairs(node) do
    if math.type(k) == "integer" and k > n then n = k end
  end
  for i = 1, n do
    render(node[i], out)
  end
end

local names = {}

render = function(node, out)
  local t = type(node)
  if t == "string" then
    out[#out + 1] = node:find("[&<>\"']") and node:gsub("[&<>\"']", escapes) or node
  elseif t == "number" then
    out[#out + 1] = h.escape(node)
  elseif t == "table" then
    if getmetatable(node) == Raw then
      out[#out + 1] = node.html
    elseif node.tag then
      local spec = node.spec
      local tag = node.tag
      -- Attribute names, sorted so that pages are byte-for-byte stable.
      local n, maxi = 0, 0
      for k in pairs(spec) do
        if type(k) == "string" then
          n = n + 1
          names[n] = k
        elseif math.type(k) == "integer" and k > maxi then
          maxi = k
        end
      end
      if n > 1 then
        for i = #names, n + 1, -1 do names[i] = nil end
        table.sort(names)
      end
      local parts = { "<", tag }
      for i = 1, n do
        local k = names[i]
        local v = spec[k]
        if not valid_attr(k) then error("bad attribute name " .. k, 2) end
        if v == true then
          parts[#parts + 1] = " " .. k
        elseif v ~= false and v ~= nil then
          v = tostring(v)
          if url_attr[k] then v = safe_url(v) end
          parts[#parts + 1] = " " .. k .. '="' .. h.escape(v) .. '"'
        end
      end
      for i = 1, n do names[i] = nil end
      parts[#parts + 1] = ">"
      out[#out + 1] = table.concat(parts)
      if not void[tag] then
        for i = 1, maxi do render(spec[i], out) end
        out[#out + 1] = "</" .. tag .. ">"
      end
    else
      render_children(node, out)
    end
  elseif t ~= "nil" and t ~= "boolean" then
    error("cannot render a " .. t, 2)
  end
end

-- h.render(node) -> string
function h.render(node)
  local out = {}
  render(node, out)
  return table.concat(out)
end

-- h.div, h.p, ...: element constructors; a string argument is one child.
setmetatable(h, {
  __index = function(self, tag)
    if not tag:match("^[a-z][a-z0-9]*$") then return nil end
    local make = function(spec)
      if type(spec) ~= "table" or getmetatable(spec) == Raw then
        spec = { spec }
      end
      return { tag = tag, spec = spec }
    end
    rawset(self, tag, make)
    return make
  end,
})

return h
