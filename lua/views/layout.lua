-- views/layout.lua: what every family of views shares: the page's shell
-- (document head, skip link, header slot, main, footer slot), the language
-- menu, UI strings with positional values, a set's text with its fallback
-- mark, and the split of a rendered page at its CSRF tokens.  The families
-- (views/child.lua now, staff and report views later) build their pages
-- from these; nothing here reaches storage or secrets.
local h = require "html"
local Q = require "questions"

local L = {}

-- The language menu: a form that posts the choice and comes back to path.
function L.lang_menu(data)
  local options = {}
  for i, l in ipairs(data.langs) do
    options[i] = h.option { value = l.code, selected = l.code == data.lang,
      lang = l.code, dir = l.dir, l.name }
  end
  return h.form { class = "lang", method = "post", action = data.lang_action or "/language",
    h.input { type = "hidden", name = "csrf", value = data.csrf },
    h.input { type = "hidden", name = "next", value = data.path },
    h.label { ["for"] = "lang", data.t["lang.label"] },
    h.select { id = "lang", name = "lang", options },
    h.button { type = "submit", class = "small", data.t["lang.submit"] },
  }
end

-- The page language's own digits (data.digits, from the core: "۰۱۲…" in
-- Persian), each as a string, made once per language.
local digit_sets = {}
local function digits_of(s)
  local d = digit_sets[s]
  if d == nil then
    d = {}
    for _, c in utf8.codes(s) do d[#d + 1] = utf8.char(c) end
    if #d ~= 10 then d = false end
    digit_sets[s] = d
  end
  return d
end

-- A number as running text shows it: in the page language's own digits
-- where it has them.  Codes, phone numbers, number inputs and URLs are no
-- running text and keep 0-9.
function L.number(data, n)
  local s = tostring(n)
  local d = data.digits and digits_of(data.digits)
  if not d then return s end
  return (s:gsub("%d", function(c) return d[c:byte() - 47] end))
end

-- A UI string with positional values: "{0} of {1}".  The strings are
-- ICU MessageFormat (checked by the tests); views fill plain {N} only.
-- Numbers are written in the page's digits (L.number).  Returns a string,
-- or a list of pieces when a value is a tree (a text with its mark).
function L.fmt(data, pattern, ...)
  pattern = pattern or ""
  local args, tree = table.pack(...), false
  for i = 1, args.n do
    if math.type(args[i]) then
      args[i] = L.number(data, args[i])
    elseif type(args[i]) == "table" then
      tree = true
    elseif args[i] == nil then
      args[i] = ""
    end
  end
  if not tree then
    return (pattern:gsub("{(%d)}", function(i) return tostring(args[tonumber(i) + 1] or "") end))
  end
  local out, from = {}, 1
  for at, i, after in pattern:gmatch("(){(%d)}()") do
    out[#out + 1] = pattern:sub(from, at - 1)
    out[#out + 1] = args[tonumber(i) + 1] or ""
    from = after
  end
  out[#out + 1] = pattern:sub(from)
  return out
end

-- The document around a page's body.  opts.header and opts.footer are the
-- family's own header content and footer (or nil); opts.idle puts the
-- session's idle time on the body for the script.
function L.document(data, body, opts)
  opts = opts or {}
  local t = data.t
  return {
    h.raw "<!DOCTYPE html>\n",
    h.html { lang = data.lang, dir = data.dir,
      h.head {
        h.meta { charset = "utf-8" },
        h.meta { name = "viewport", content = "width=device-width, initial-scale=1" },
        h.meta { name = "robots", content = "noindex" },
        h.title(opts.title or t["site.title"]),
        h.link { rel = "icon", type = "image/svg+xml", href = "/static/favicon.svg" },
        h.link { rel = "stylesheet", href = "/static/beratta.css" },
        h.script { src = "/static/beratta.js", defer = true },
      },
      h.body { ["data-idle"] = opts.idle,
        h.a { class = "skip", href = "#main", t["nav.skip"] },
        h.header { class = "top", opts.header },
        h.main { id = "main", class = "page", tabindex = "-1", body },
        opts.footer,
      },
    },
  }
end

-- A set's text in the page's language; one that fell back to another
-- language carries that language's lang and dir and a visible mark.
function L.marked(data, s, fell, lang, class)
  if fell then
    return h.span { class = class,
      h.span { lang = lang, dir = "auto", s },
      h.span { class = "fallback", " (" .. (data.t["text.fallback"] or lang) .. ")" } }
  end
  if class == nil then return s end
  return h.span { class = class, s }
end

function L.text(data, t, class)
  local s, fell, lang = Q.text(data.set, t, data.lang)
  return L.marked(data, s, fell, lang, class)
end

-- A table in a wrapper that scrolls sideways on a narrow screen (and can
-- be focused, so the keyboard scrolls it too).  heads are the column
-- headings, rows lists of cells (holes allowed) whose first cell heads
-- the row; a row's class is rows[i].class.
function L.table(label, heads, rows)
  local head = {}
  for i, x in ipairs(heads) do head[i] = h.th { scope = "col", x } end
  local body = {}
  for i, r in ipairs(rows) do
    local cells = {}
    for j = 1, #heads do
      cells[j] = j == 1 and h.th { scope = "row", r[j] } or h.td { r[j] }
    end
    body[i] = h.tr { class = r.class, cells }
  end
  return h.div { class = "table-wrap", tabindex = "0", role = "region", ["aria-label"] = label,
    h.table {
      h.caption { class = "sr", label },
      h.thead { h.tr { head } },
      h.tbody { body },
    },
  }
end

-- Where a page's CSRF token goes while it is rendered: control characters
-- never pass the input gate, so no text of a page can contain it.
L.MARK = "\1csrf\1"

-- Renders a view's tree with the token left as marks and returns the
-- pieces between them (the core joins them with the request's token, so a
-- kept page makes no garbage).
function L.split(view, data)
  local csrf = data.csrf
  data.csrf = L.MARK
  local html = h.render(view(data))
  data.csrf = csrf
  local parts, n, from = {}, 0, 1
  while true do
    local i, j = html:find(L.MARK, from, true)
    n = n + 1
    if not i then
      parts[n] = html:sub(from)
      break
    end
    parts[n] = html:sub(from, i - 1)
    from = j + 1
  end
  return parts
end

return L
