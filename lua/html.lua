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
  return (tostring(s):gsub("[&<>\"']", escapes))
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

local function valid_attr(name)
  return name:match("^[a-z][a-z0-9-]*$") ~= nil
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

render = function(node, out)
  local t = type(node)
  if t == "string" or t == "number" then
    out[#out + 1] = h.escape(node)
  elseif t == "table" then
    if getmetatable(node) == Raw then
      out[#out + 1] = node.html
    elseif node.tag then
      local spec = node.spec
      out[#out + 1] = "<" .. node.tag
      local names = {}
      for k in pairs(spec) do
        if type(k) == "string" then names[#names + 1] = k end
      end
      table.sort(names)
      for _, k in ipairs(names) do
        local v = spec[k]
        if not valid_attr(k) then error("bad attribute name " .. k, 2) end
        if v == true then
          out[#out + 1] = " " .. k
        elseif v ~= false and v ~= nil then
          v = tostring(v)
          if url_attr[k] then v = safe_url(v) end
          out[#out + 1] = " " .. k .. '="' .. h.escape(v) .. '"'
        end
      end
      out[#out + 1] = ">"
      if not void[node.tag] then
        render_children(spec, out)
        out[#out + 1] = "</" .. node.tag .. ">"
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
  __index = function(_, tag)
    if not tag:match("^[a-z][a-z0-9]*$") then return nil end
    return function(spec)
      if type(spec) ~= "table" or getmetatable(spec) == Raw then
        spec = { spec }
      end
      return { tag = tag, spec = spec }
    end
  end,
})

return h
