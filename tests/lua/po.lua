-- po.lua: reads a UI catalogue (locales/*.po) for the view tests: msgctxt
-- is the key, msgstr the text.
local po = {}

function po.read(file)
  local f = assert(io.open(file, "r"))
  local out, key, field = {}, nil, nil
  local function unq(s)
    return (s:match('^%s*"(.*)"%s*$') or ""):gsub("\\(.)", { n = "\n", t = "\t", ['"'] = '"', ["\\"] = "\\" })
  end
  for line in f:lines() do
    if line:match("^msgctxt ") then
      key, field = unq(line:sub(9)), "ctx"
    elseif line:match("^msgid ") then
      field = "id"
    elseif line:match("^msgstr ") then
      field = "str"
      if key then out[key] = unq(line:sub(8)) end
    elseif line:match('^%s*"') then
      if field == "ctx" and key then key = key .. unq(line)
      elseif field == "str" and key then out[key] = out[key] .. unq(line) end
    elseif line:match("^%s*$") then
      key, field = nil, nil
    end
  end
  f:close()
  return out
end

return po
