-- questions.lua tests: the question-set language, flow, layers, scoring,
-- alerts, variants and versions, through lua/questions.lua directly (TAP).
local root = arg[1] or "."
package.path = root .. "/lua/?.lua;" .. package.path
-- What the core hands the runtime (core/plugin.c: plugin_push_core).
core = { ages = { "6-9", "10-12", "13-15", "16-18" } } -- luacheck: ignore
local Q = require "questions"

local n, failed = 0, 0
local function ok(cond, what)
  n = n + 1
  print((cond and "ok " or "not ok ") .. n .. " - " .. what)
  if not cond then failed = failed + 1 end
end
local function has_problem(set, level, fragment)
  for _, p in ipairs(set.problems) do
    if p.level == level and (p.where .. ": " .. p.msg):find(fragment, 1, true) then return true end
  end
  return false
end
local function ids(list)
  local out = {}
  for _, q in ipairs(list) do out[#out + 1] = q.id end
  return table.concat(out, " ")
end

-- A base set with nested follow-ups, scoring, an alert and age bands.
local function base()
  return {
    id = "t", language = "sv", languages = { "sv", "en" },
    help = { { name = { sv = "BRIS" }, phone = "116 111" } },
    areas = {
      { id = "home", title = { sv = "Hemma", en = "Home" }, questions = {
        { id = "feel", type = "faces", steps = 3, text = { sv = "Hur är det?", en = "How is it?" },
          easy = { sv = "Hur mår du?" }, by_age = { ["6-9"] = { sv = "Mår du bra hemma?" } },
          options = {
            { id = "good", text = { sv = "Bra" }, resource = 1 },
            { id = "ok", text = { sv = "Okej" } },
            { id = "bad", text = { sv = "Dåligt" }, risk = 2 },
          },
          followups = { { when = { equals = "bad" }, questions = {
            { id = "why", type = "multi", text = { sv = "Varför?" }, options = {
              { id = "fights", text = { sv = "Bråk" } },
              { id = "hit", text = { sv = "Någon slår" } },
            }, followups = { { when = { equals = "hit" }, questions = {
              { id = "who", type = "text", max = 20, text = { sv = "Vem?" } },
            } } } },
          } } } },
        { id = "adult", type = "yesno", text = { sv = "Finns en vuxen?" } },
        { id = "nights", type = "number", min = 0, max = 7, text = { sv = "Hur många kvällar?" } },
        { id = "drugs", type = "yesno", ages = { "13-15", "16-18" }, text = { sv = "Droger?" } },
      } },
      { id = "help", title = { sv = "Hjälp" }, questions = {
        { id = "want", type = "multi", role = "help_wanted", text = { sv = "Hjälp med?" },
          options = { { id = "school", text = { sv = "Skolan" } }, { id = "home", text = { sv = "Hemma" } } } },
      } },
    },
    scoring = { { when = { question = "nights", at_least = 4 }, risk = 1 } },
    alerts = { { id = "hit", when = { question = "why", equals = "hit" },
      guidance = { sv = "Ring soc.", en = "Call social services." },
      message = { sv = "Det var rätt att berätta." } } },
  }
end

local set = Q.load(base(), "sv")
ok(#Q.errors(set) == 0, "a good set loads without errors")
ok(ids(set.order) == "feel why who adult nights drugs want", "order: a question, its follow-ups, then its sibling")

-- Branching, deactivation, reactivation.
local a = {}
ok(Q.next(set, a) == "feel", "the first question comes first")
a.feel = "o:bad"
ok(Q.next(set, a) == "why", "a follow-up appears after the answer it hangs on")
a.why = "m:fights hit"
ok(Q.next(set, a) == "who", "a nested follow-up appears (any depth)")
a.who = "t:pappa"
ok(Q.next(set, a) == "adult", "then the next sibling")
a.feel = "o:good"
ok(ids(Q.active(set, a)) == "feel adult nights drugs want",
  "changing the answer deactivates the follow-ups")
ok(a.why == "m:fights hit" and a.who == "t:pappa", "the inactive answers are kept")
ok(select(2, Q.accept(set, a, "why", { answer = { "fights" } })) == "answer.inactive",
  "an answer to an inactive question is refused")
a.feel = "o:bad"
ok(ids(Q.active(set, a)):find("feel why who adult", 1, true) == 1,
  "changing back brings the follow-ups back with their answers")

-- Accepting answers.
ok(Q.accept(set, {}, "feel", { answer = { "ok" } }) == "o:ok", "single choice accepted")
ok(select(2, Q.accept(set, {}, "feel", { answer = { "nope" } })) == "answer.invalid", "unknown option refused")
ok(select(2, Q.accept(set, {}, "feel", { answer = { "ok", "bad" } })) == "answer.invalid",
  "two answers to a single choice refused")
ok(Q.accept(set, { feel = "o:bad" }, "why", { answer = { "hit", "fights", "hit" } }) == "m:fights hit",
  "several choices sorted and without duplicates")
-- "I don't understand" on a question with easier words shows them first
-- (this was recorded at once before the easy-read contract).
ok(select(2, Q.accept(set, {}, "feel", { special = "unclear" })) == "answer.easy",
  "\"I don't understand\" where there are easier words: shown them first, nothing to store")
ok(Q.accept(set, {}, "feel", { special = "unclear", easy = true }) == "s:unclear",
  "\"I don't understand\" from the easier words is an answer")
ok(Q.accept(set, {}, "adult", { special = "unclear" }) == "s:unclear",
  "\"I don't understand\" without easier words is an answer at once")
ok(Q.accept(set, {}, "adult", { special = "skip" }) == "s:skip", "\"I don't want to answer\" is an answer")
ok(select(2, Q.accept(set, {}, "adult", { special = "later" })) == "answer.invalid", "an unknown way out is refused")
ok(Q.accept(set, {}, "nights", { answer = { "7" } }) == "n:7", "a number in range")
ok(select(2, Q.accept(set, {}, "nights", { answer = { "8" } })) == "answer.invalid", "a number out of range")
ok(select(2, Q.accept(set, { feel = "o:bad", why = "m:hit" }, "who",
  { answer = { string.rep("å", 21) } })) == "answer.too_long", "text over max characters (not bytes)")
ok(Q.accept(set, { feel = "o:bad", why = "m:hit" }, "who", { answer = { string.rep("å", 20) } }) ~= nil,
  "text of exactly max characters")

-- Age bands and variants.
ok(not ids(Q.active(set, {}, { age = "10-12" })):find("drugs"), "a question outside the child's age band is not asked")
ok(ids(Q.active(set, {}, { age = "16-18" })):find("drugs"), "inside the band it is asked")
ok(ids(Q.active(set, {}, {})):find("drugs"), "a child of unknown band is asked")
local q = set.index.feel
ok(Q.question_text(set, q, "sv", { age = "6-9" }) == "Mår du bra hemma?", "the age band's wording")
ok(Q.question_text(set, q, "sv", { easy = true }) == "Hur mår du?", "the easy-read wording")
ok(Q.question_text(set, q, "sv", { easy = true, age = "6-9" }) == "Hur mår du?",
  "asked for, the easy-read wording comes before the age band's")
ok(Q.question_text(set, q, "en", { easy = true }) == "How is it?",
  "an easy-read wording not in the child's language is not shown")
ok(Q.question_text(set, q, "en", {}) == "How is it?", "the text in the child's language")
local s, fell, lang = Q.text(set, set.index.adult.text, "en")
ok(s == "Finns en vuxen?" and fell and lang == "sv", "a missing translation falls back, marked, with its language")

-- Scoring, alerts, roles.
local sum = Q.summary(set, { feel = "o:bad", why = "m:hit", nights = "n:5", want = "m:home" })
ok(sum.areas[1].risk == 3 and sum.areas[1].resource == 0, "risks add up per area (option weight + rule)")
ok(#sum.alerts == 1 and sum.alerts[1].id == "hit", "the alert rule is raised")
ok(sum.help_wanted[1] == "want", "the help-wanted question is found")
local off = Q.summary(set, { feel = "o:good", why = "m:hit" })
ok(#off.alerts == 0 and off.areas[1].resource == 1, "answers to inactive questions do not count")
ok(#Q.new_alerts(set, { feel = "o:bad" }, { feel = "o:bad", why = "m:hit" }) == 1,
  "the answer that raises an alert is seen as new")
ok(#Q.new_alerts(set, { feel = "o:bad", why = "m:hit" }, { feel = "o:bad", why = "m:hit", adult = "o:yes" }) == 0,
  "an alert already raised is not new")
ok(#Q.summary(set, { feel = "s:skip" }).areas[1].risks == 0, "\"I don't want to answer\" is never a risk")
-- The bands a mapping round counts: per area and kind the set can score,
-- none (0), some (under half the most), much (half or more).
local full = { feel = "o:bad", why = "m:hit", nights = "n:5", want = "m:home" }
local area1, max1 = set.areas[1].id, Q.area_max(set)[set.areas[1].id]
local lv = Q.levels(set, full, {})
ok(max1.risk > 0 and lv:find(area1 .. ":risk:" .. (3 * 2 >= max1.risk and 2 or 1), 1, true) ~= nil,
  "levels: a risk of 3 is banded against the most the area can score")
local kinds = 0
for _, m in pairs(Q.area_max(set)) do
  kinds = kinds + (m.risk > 0 and 1 or 0) + (m.resource > 0 and 1 or 0)
end
local empty = Q.levels(set, {}, {})
ok(select(2, empty:gsub("%S+", "")) == kinds and not empty:find(":[12]"),
  "levels: every area and kind the set scores, none without answers")
ok(Q.levels(set, { feel = "s:skip" }, {}) == empty, "levels: \"I don't want to answer\" is no risk")


-- Errors the loader finds.
local function broken(edit)
  local def = base()
  edit(def)
  return Q.load(def, "sv")
end
ok(has_problem(broken(function(d) d.areas[1].questions[2].id = "feel" end), "error", "duplicate question id feel"),
  "duplicate question id")
ok(has_problem(broken(function(d) d.areas[1].questions[1].followups[1].when = { equals = "awful" } end),
  "error", "never true: feel has no option awful"), "a condition on an unknown option is never true")
ok(has_problem(broken(function(d) d.scoring[1].when.question = "nope" end), "error",
  "unknown question nope"), "a scoring rule on an unknown question")
ok(has_problem(broken(function(d) d.alerts[1].when = { question = "why", equals = "kick" } end), "error",
  "why has no option kick"), "an alert on an unknown option")
ok(has_problem(broken(function(d) d.scoring[1].when.at_least = 9 end), "error", "at_least 9 > max 7"),
  "a number condition above the range")
ok(has_problem(broken(function(d) d.areas[1].questions[2].type = "slider" end), "error", "unknown type slider"),
  "an unknown type")
ok(has_problem(broken(function(d) d.areas[1].questions[1].options[2].text = nil end), "error",
  "option text is missing"), "an option without text")

ok(has_problem(broken(function(d) d.scoring[1].when.at_least = "3" end), "error", "at_least must be an integer"),
  "a condition bound that is not an integer is an error, not a crash")
ok(has_problem(broken(function(d) d.alerts[2] = d.alerts[1] end), "error", "duplicate alert id hit"),
  "a duplicate alert id")

-- Recorded audio: a file of the plugin's own folder, served from it.
do
  local def = base()
  def._plugin = "base"
  def.areas[1].questions[2].audio = { sv = "audio/adult.sv.ogg" }
  local a = Q.load(def, "sv")
  ok(#Q.errors(a) == 0 and a.index.adult.audio_plugin == "base", "audio names the plugin that serves it")
  ok(has_problem(broken(function(d) d.areas[1].questions[2].audio = { sv = "../../etc/passwd.ogg" } end),
    "error", "audio for sv must be a file in the plugin's folder"), "audio outside the plugin's folder is refused")
  ok(has_problem(broken(function(d) d.areas[1].questions[2].audio = { sv = "audio/x.exe" } end),
    "error", "audio for sv"), "audio of another kind is refused")
end

-- Municipal layers.
local layer = {
  extends = "t", id = "kommun", languages = { "sv", "en", "fa" },
  name = { sv = "Kommunen" },
  help = { { name = { sv = "Kommunens kurator" }, phone = "000" } },
  steps = {
    { add = { id = "lunch", type = "yesno", text = { sv = "Äter du lunch?" } }, after = "adult" },
    { add_area = { id = "local", title = { sv = "Här" }, questions = {
      { id = "park", type = "yesno", text = { sv = "Parken?" } } } }, before = "help" },
    { remove = "drugs" },
    { move = "want", before = "feel" },
    { reword = "adult", text = { sv = "Finns det en vuxen som lyssnar?" }, options = { no = { sv = "Nej, ingen" } } },
    { rescore = "feel", options = { ok = { risk = 1 } } },
  },
  translations = { fa = { feel = "حالت در خانه چطور است؟" } },
}
local ext = Q.load({ base(), layer }, "sv")
ok(#Q.errors(ext) == 0, "a layer applies without errors")
ok(ids(ext.order) == "want feel why who adult lunch nights park", "add, add_area, remove and move give the new order")
ok(ext.index.want.area.id == "home", "a moved question belongs to its new area")
ok(ext.index.adult.text.sv == "Finns det en vuxen som lyssnar?", "reword changes the text")
ok(ext.index.adult.option_index.no.text.sv == "Nej, ingen", "reword changes an option's text")
ok(ext.index.feel.option_index.ok.risk == 1, "rescore changes an option's weight")
ok(ext.name.sv == "Kommunen" and ext.help[1].phone == "000", "name and help contacts come from the layer")
ok(ext.index.feel.text.fa == "حالت در خانه چطور است؟", "a layer's translations reach the texts")
ok(#Q.errors(Q.load(base(), "sv")) == 0 and set.index.nights, "the base is unchanged by the layer")
local added = Q.load({ base(), { help_add = { { name = { sv = "Kuratorn" }, phone = "001" } } } }, "sv")
ok(#added.help == 2 and added.help[1].phone == "116 111" and added.help[2].phone == "001",
  "help_add puts a layer's contacts after the base's")
local bad = Q.load({ base(), { steps = { { remove = "nope" }, { move = "feel", after = "who" } } } }, "sv")
ok(has_problem(bad, "error", "unknown question id nope"), "a step naming an unknown id is an error")
ok(has_problem(bad, "error", "cannot move a question into its own follow-ups"), "a move into itself is refused")
ok(has_problem(Q.load({ base(), { steps = { { remove = "nights" } } } }, "sv"), "error",
  "condition names unknown question nights"), "removing a question a scoring rule needs is an error")

-- Versions: canonical form stable, changing with content, readable back.
local c1 = Q.canonical(Q.load(base(), "sv"))
ok(c1 == Q.canonical(Q.load(base(), "sv")), "the canonical form is the same for the same content")
local def2 = base()
def2.areas[1].questions[1].text.sv = "Hur har du det?"
local set2 = Q.load(def2, "sv")
ok(Q.canonical(set2) ~= c1, "the canonical form changes when a text changes")
local old = Q.from_canonical(c1)
ok(old.index.feel.text.sv == "Hur är det?" and set2.index.feel.text.sv == "Hur har du det?",
  "an old version read back has the old wording")
ok(Q.next(old, { feel = "o:bad" }) == "why", "an old version still branches")
ok(Q.summary(old, { feel = "o:bad" }).areas[1].risk == 2, "an old version still scores")

-- Information pages and options that say "none".
local function small()
  return {
    id = "s", language = "sv", languages = { "sv", "fa" },
    help = { { name = { sv = "BRIS" }, phone = "116 111" }, { name = { sv = "112" }, phone = "112" } },
    areas = {
      { id = "a", title = { sv = "Trygghet", fa = "امنیت" }, questions = {
        { id = "intro", type = "info", text = { sv = "Nu kommer några frågor." } },
        { id = "n", type = "number", min = 0, max = 20, text = { sv = "Hur många?" } },
      } },
      { id = "help", title = { sv = "Hjälp" }, questions = {
        { id = "want", type = "multi", role = "help_wanted", text = { sv = "Hjälp med?" }, options = {
          { id = "school", text = { sv = "Skolan" } },
          { id = "nothing", none = true, text = { sv = "Inget just nu" } },
        } },
      } },
    },
  }
end
local info = Q.load(small(), "sv")
ok(#Q.errors(info) == 0, "a set with an information page and a none option loads")
ok(Q.accept(info, {}, "intro", {}) == "s:seen", "an information page is read and gone on from")
ok(select(2, Q.accept(info, {}, "intro", { special = "skip" })) == "answer.invalid",
  "an information page takes no \"I don't want to answer\"")
ok(select(2, Q.accept(info, {}, "intro", { special = "unclear" })) == "answer.invalid",
  "an information page takes no \"I don't understand\"")
local declined = Q.summary(info, { intro = "s:skip", n = "s:skip" })
ok(#declined.skipped == 1 and declined.skipped[1] == "n", "an information page is never counted as declined")
ok(info.index.want.option_index.nothing.none == true and not info.index.want.option_index.school.none,
  "an option keeps its none mark")
local some, only = Q.said_options(info.index.want, "m:nothing")
ok(#some == 0 and only, "\"nothing\" alone says none")
some, only = Q.said_options(info.index.want, "m:nothing school")
ok(#some == 1 and some[1].id == "school" and not only, "\"nothing\" with another option is left out")
ok(Q.from_canonical(Q.canonical(info)).index.want.option_index.nothing.none == true,
  "the none mark is kept in the canonical form")
local c_none = Q.canonical(info)
local def3 = small()
def3.areas[2].questions[1].options[2].none = nil
ok(Q.canonical(Q.load(def3, "sv")) ~= c_none, "the none mark is part of the version")
def3.areas[2].questions[1].options[2].none = "yes"
ok(has_problem(Q.load(def3, "sv"), "error", "none is true or left out"), "none must be true")

-- The views: numbers in the page's digits, information pages never
-- listed, a contact named by its number shown once.
local h = require "html"
local L = require "views.layout"
local P = require "views.child"
local FA = "۰۱۲۳۴۵۶۷۸۹"
ok(L.number({ digits = FA }, 310) == "۳۱۰" and L.number({}, 310) == "310",
  "a number in the page's own digits, or 0-9")
ok(L.fmt({ digits = FA }, "{0} از {1}", 3, 10) == "۳ از ۱۰", "fmt writes numbers in the page's digits")
ok(L.fmt({}, "Område {0} av {1}: {2}", 3, 10, "Skolan") == "Område 3 av 10: Skolan", "fmt fills strings as they are")
ok(h.render(L.fmt({}, "{0}: {1}", 1, h.b "x")) == "1: <b>x</b>", "fmt with a tree gives pieces")
local list = h.render(P.answer_list({ set = info, lang = "sv", t = {}, digits = FA,
  answers = { intro = "s:skip", n = "n:12" } }))
ok(not list:find("Nu kommer", 1, true), "the answer list never lists an information page")
ok(list:find("۱۲", 1, true), "a number answered is shown in the page's digits")
local T = setmetatable({}, { __index = function(_, k) return k end })
local data = { set = info, lang = "sv", dir = "ltr", t = T, langs = {}, path = "/help", csrf = "x" }
local help = h.render(P.help(data))
ok(help:find('<strong><a dir="ltr" href="tel:112">112</a></strong>', 1, true)
  and not help:find("112</strong><span>", 1, true), "a contact named by its number shows it once")
ok(help:find('<a dir="ltr" href="tel:116111">116 111</a>', 1, true), "a phone number keeps its digits")
local FA_T = setmetatable({ ["progress.position"] = "موضوع {0} از {1}: {2}" }, { __index = T })
local page = h.render(P.question({ set = info, lang = "fa", dir = "rtl", t = FA_T, langs = {}, path = "/q",
  csrf = "x", digits = FA, question = "n", answers = {}, ctx = {} }))
ok(page:find("موضوع ۱ از ۲: امنیت", 1, true), "progress in the page's digits, with the area's name")
ok(page:find('type="number"', 1, true) and not page:find("answer.multi_hint", 1, true),
  "a number question: an input of its own, no hint to choose several")

print("1.." .. n)
os.exit(failed == 0 and 0 or 1)
