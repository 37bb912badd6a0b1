-- Berätta's standard question set.  Swedish is the original; English is a
-- translation at the same reading level (machine-drafted: have a fluent
-- speaker review it before use).  How the questions are written, the areas
-- and the alerts follow shared/QUESTIONS.md; each area is a module under
-- areas/.  Everything here is plain data.

-- One module per area, in the order they are asked.  (Each require is on
-- its own line: a require in the last place of a table constructor would
-- add every value it returns.)
local HOME = require "areas.home"
local FRIENDS = require "areas.friends"
local SCHOOL = require "areas.school"
local FREE_TIME = require "areas.free_time"
local HEALTH = require "areas.health"
local FEELINGS = require "areas.feelings"
local BEHAVIOUR = require "areas.behaviour"
local SAFETY = require "areas.safety"
local FUTURE = require "areas.future"
local HELP = require "areas.help"

return {
  id = "standard",
  language = "sv",
  languages = { "sv", "en", "ar", "fa" },
  translation_status = { sv = "machine", en = "machine", ar = "machine", fa = "machine" },
  -- Arabic and Persian: machine-drafted from the Swedish (checked against
  -- the English); a fluent speaker must review them before use.  The
  -- Arabic addresses the child only in forms written the same for a boy
  -- and a girl, as locales/ar.po does.  Made with beratta plugin po
  -- export/import: change a PO file and import it again.
  translations = {
    ar = require "translations.ar",
    fa = require "translations.fa",
  },
  name = { sv = "Berätta", en = "Berätta" },

  -- Help contacts for the child: shown after an alert and on the help page.
  help = {
    {
      name = { sv = "BRIS – Barnens rätt i samhället", en = "BRIS – Children's Rights in Society" },
      phone = "116 111",
      url = "https://www.bris.se",
      text = {
        sv = "Prata med en vuxen på BRIS. Du kan ringa, chatta eller mejla. Det är gratis och du behöver inte säga ditt namn.",
        en = "Talk to an adult at BRIS. You can call, chat or email. It is free, and you don't have to say your name.",
      },
    },
    {
      name = { sv = "1177 Vårdguiden", en = "1177 Vårdguiden" },
      phone = "1177",
      url = "https://www.1177.se",
      text = {
        sv = "Om du är sjuk, har ont eller mår dåligt kan du ringa 1177 och få råd. Du kan ringa dygnet runt.",
        en = "If you are ill, in pain or feel bad, you can call 1177 and get advice. You can call at any time of day or night.",
      },
    },
    {
      name = { sv = "112", en = "112" },
      phone = "112",
      text = {
        sv = "Om det är akut: ring 112.",
        en = "If it is an emergency: call 112.",
      },
    },
  },

  areas = { HOME, FRIENDS, SCHOOL, FREE_TIME, HEALTH, FEELINGS, BEHAVIOUR, SAFETY, FUTURE, HELP },

  -- Weights that need a number or a combination of answers; the simple
  -- ones sit on the options themselves.
  scoring = {
    -- Sleeping badly on most nights of the week, and on nearly all.
    { when = { question = "health_sleep_nights", at_least = 4 }, risk = 1 },
    { when = { question = "health_sleep_nights", at_least = 6 }, risk = 1 },
    -- Any alcohol at 13-15 counts (at 16-18 only weekly drinking does).
    {
      area = "health",
      when = { all = {
        { question = "health_alcohol", equals = "once_or_twice" },
        { age = "13-15" },
      } },
      risk = 1,
    },
    -- Lonely and nobody to be with at break time.
    {
      area = "friends",
      when = { all = {
        { question = "friends_lonely", any_of = { "often", "almost_always" } },
        { question = "friends_break", equals = "rarely" },
      } },
      risk = 1,
    },
    -- Finding schoolwork hard and not getting help.
    {
      area = "school",
      when = { all = {
        { question = "school_work", any_of = { "hard", "very_hard" } },
        { question = "school_support", any_of = { "a_little", "no" } },
      } },
      risk = 1,
    },
    -- Caring for the family beyond their age while worried about an adult.
    {
      area = "home",
      when = { all = {
        { question = "home_chores", equals = "often" },
        { question = "home_worry_adult", equals = "yes" },
      } },
      risk = 1,
    },
    -- No adult to talk to, neither at home nor at school.
    {
      area = "future",
      when = { all = {
        { question = "home_adult_talk", equals = "no" },
        { question = "school_adult", equals = "no" },
      } },
      risk = 1,
    },
    -- Ways of calming down, strengths and trusted adults are resources
    -- (counted once, however many are chosen).
    {
      when = { question = "feelings_calm", any_of = {
        "talk", "friends", "music", "move", "animal", "rest", "create", "games" } },
      resource = 1,
    },
    {
      when = { question = "future_good_at", any_of = {
        "sport", "music", "create", "school_subject", "games", "helping", "good_friend",
        "animals", "making_laugh", "other" } },
      resource = 1,
    },
    {
      when = { question = "future_trust", any_of = {
        "parent", "home_adult", "relative", "teacher", "school_adult", "leader" } },
      resource = 2,
    },
  },

  -- Only what needs an adult's action the same day.  The guidance is for
  -- the professional; the message is what the child sees at once, on the
  -- care page, which already thanks the child, says that telling was
  -- right and that an adult will read the answers and help, and lists the
  -- help contacts: a message says only what is its own.
  alerts = {
    {
      id = "violence_home",
      when = { any = {
        { question = "safety_hurt_adult", equals = "yes" },
        { question = "safety_see_violence", equals = "yes" },
        { question = "home_unsafe_what", equals = "adult_hurts" },
      } },
      guidance = {
        sv = "Barnet har svarat att en vuxen hemma har slagit eller gjort barnet illa, eller att barnet har sett eller hört våld mellan vuxna hemma. Det kan betyda att barnet utsätts för våld eller lever med våld i familjen. Båda skadar barnet. Gör i dag: prata med barnet i lugn och ro. Lyssna, ställ öppna frågor (vad hände, när hände det senast, är du rädd för att gå hem i dag) och skriv ner barnets egna ord. Förhör inte barnet och lova inte att hålla det hemligt. Gör en orosanmälan till socialtjänsten i dag (efter kontorstid: socialjouren). Kontakta inte föräldrarna innan du har pratat med socialtjänsten. Vid akut fara: ring 112. Involvera rektor och elevhälsan enligt er rutin.",
        en = "The child has answered that an adult at home has hit or hurt them, or that they have seen or heard violence between adults at home. This may mean that the child is subjected to violence or lives with violence in the family. Both harm the child. Today: talk with the child calmly. Listen, ask open questions (what happened, when it last happened, whether they are afraid to go home today) and write down the child's own words. Do not interrogate the child and do not promise to keep it secret. Report your concern to social services today (orosanmälan till socialtjänsten; after office hours: the social services emergency line, socialjouren). Do not contact the parents before you have talked with social services. If there is acute danger: call 112. Involve the head teacher and student health services according to your routine.",
      },
      message = {
        sv = "Det är aldrig ditt fel när vuxna slår eller gör illa.",
        en = "It is never your fault when adults hit or hurt someone.",
      },
    },
    {
      id = "afraid_to_go_home",
      when = { question = "safety_afraid_home", any_of = { "sometimes", "often" } },
      guidance = {
        sv = "Barnet har svarat att hen ibland eller ofta är rädd för att gå hem. Det kan bero på våld, hot, bråk, missbruk eller något annat hemma. Gör i dag, innan barnet går hem: fråga lugnt vad barnet är rädd för och om hen vågar gå hem i dag. Gör en orosanmälan till socialtjänsten. Om barnet inte vågar gå hem i dag: kontakta socialtjänsten direkt (efter kontorstid: socialjouren) och låt inte barnet gå hem innan det finns en plan. Om du misstänker våld från en förälder: kontakta inte föräldrarna innan du har pratat med socialtjänsten. Vid akut fara: ring 112.",
        en = "The child has answered that they are sometimes or often afraid to go home. This may be because of violence, threats, conflict, substance abuse or something else at home. Today, before the child goes home: calmly ask what the child is afraid of and whether they dare to go home today. Report your concern to social services (orosanmälan till socialtjänsten). If the child does not dare to go home today: contact social services at once (after office hours: socialjouren) and do not let the child go home before there is a plan. If you suspect violence by a parent: do not contact the parents before you have talked with social services. If there is acute danger: call 112.",
      },
      message = {
        sv = "Du har rätt att vara trygg hemma.",
        en = "You have the right to be safe at home.",
      },
    },
    {
      id = "sexual_abuse",
      when = { any = {
        { question = "safety_touched", equals = "yes" },
        { question = "safety_forced_sexual", equals = "yes" },
      } },
      guidance = {
        sv = "Barnet har svarat att någon har rört barnet på ett sexuellt sätt som barnet inte ville, eller har tvingat, lurat eller pressat barnet till något sexuellt, i verkligheten eller på nätet. Det kan vara ett sexuellt övergrepp. Gör i dag: lyssna och ta barnet på allvar. Ställ få och öppna frågor och fråga inte ut barnet om detaljer: barnet kan behöva berätta i ett förhör senare, och ledande frågor kan skada utredningen. Lova inte att hålla det hemligt. Gör en orosanmälan till socialtjänsten i dag; socialtjänsten bedömer polisanmälan och kontakt med Barnahus. Om det kan vara någon i familjen: kontakta inte föräldrarna innan du har pratat med socialtjänsten. Om det hände nyligen eller om barnet är i fara: ring 112.",
        en = "The child has answered that someone has touched them in a sexual way they did not want, or has forced, tricked or pressured them into something sexual, in real life or online. This may be sexual abuse. Today: listen and take the child seriously. Ask few, open questions and do not question the child about details: the child may need to tell their story in a police interview later, and leading questions can harm the investigation. Do not promise to keep it secret. Report your concern to social services today (orosanmälan till socialtjänsten); social services decide on a police report and on contact with Barnahus. If it may be someone in the family: do not contact the parents before you have talked with social services. If it happened recently or the child is in danger: call 112.",
      },
      message = {
        sv = "Det var modigt gjort. Det är aldrig ditt fel.",
        en = "That was brave of you. It is never your fault.",
      },
    },
    {
      id = "self_harm",
      when = { any = {
        { question = "feelings_selfharm_thoughts", equals = "yes" },
        { question = "feelings_selfharm_done", equals = "yes" },
      } },
      guidance = {
        sv = "Barnet har svarat att hen den senaste månaden har tänkt på att skada sig själv, eller har skadat sig själv med flit. Det är ett tecken på att barnet mår mycket dåligt. Gör i dag: prata med barnet i enrum. Fråga vänligt och rakt hur och hur ofta, om det finns sår som behöver vård, och om barnet också har tankar på att ta sitt liv. Involvera skolsköterskan eller elevhälsan samma dag och hjälp barnet vidare till vården (vårdcentral eller barn- och ungdomspsykiatrin, BUP). Vårdnadshavarna bör informeras, utom om det finns oro för våld eller annat hemma: rådgör då först med socialtjänsten. Överväg en orosanmälan.",
        en = "The child has answered that in the last month they have thought about hurting themselves, or have hurt themselves on purpose. This is a sign that the child feels very bad. Today: talk with the child in private. Ask kindly and directly how and how often, whether there are wounds that need care, and whether the child also has thoughts of taking their own life. Involve the school nurse or student health services the same day and help the child on to healthcare (a health centre or child and adolescent psychiatry, BUP). The guardians should be told, unless there is concern about violence or something else at home: then consult social services first. Consider reporting a concern to social services (orosanmälan).",
      },
      message = {
        sv = "Du behöver inte bära det här ensam.",
        en = "You don't have to carry this alone.",
      },
    },
    {
      id = "suicidal_thoughts",
      when = { any = {
        { question = "feelings_suicide_thoughts", equals = "yes" },
        { question = "feelings_suicide_now", equals = "yes" },
      } },
      guidance = {
        sv = "Barnet har svarat att hen har haft tankar på att ta sitt liv den senaste månaden. Ta det på största allvar. Gör i dag, direkt: prata med barnet i enrum och fråga rakt om tankarna finns i dag, om barnet har en plan eller ett sätt, och om hen har försökt förut. Om tankarna finns i dag eller om det finns en plan: lämna inte barnet ensamt, kontakta BUP-akuten eller en psykiatrisk akutmottagning, och ring 112 vid akut fara. Annars: kontakt med elevhälsan och vården (BUP) samma dag. Vårdnadshavarna ska normalt kontaktas samma dag, utom om det finns oro för våld eller annat hemma: rådgör då först med socialtjänsten. Gör en orosanmälan om det finns oro för barnets situation.",
        en = "The child has answered that they have had thoughts of taking their own life in the last month. Take this very seriously. Today, at once: talk with the child in private and ask directly whether the thoughts are there today, whether the child has a plan or a means, and whether they have tried before. If the thoughts are there today or there is a plan: do not leave the child alone, contact the child psychiatric emergency service (BUP-akuten) or a psychiatric emergency unit, and call 112 if there is acute danger. Otherwise: contact student health services and healthcare (BUP) the same day. The guardians should normally be contacted the same day, unless there is concern about violence or something else at home: then consult social services first. Report a concern to social services (orosanmälan) if there is concern about the child's situation.",
      },
      message = {
        sv = "Tankar som de här kan bli lättare när man får prata om dem med någon.",
        en = "Thoughts like these can get easier when you get to talk about them with someone.",
      },
    },
    {
      id = "threatened",
      when = { any = {
        { question = "safety_threatened", equals = "yes" },
        { question = "safety_online_what", equals = "threatened" },
        { question = "behaviour_older_threat", equals = "yes" },
      } },
      guidance = {
        sv = "Barnet har svarat att någon den senaste månaden har hotat att göra barnet illa, har hotat barnet på nätet, eller har hotat barnet när någon äldre försökt få barnet att göra något olagligt. Hotet kan komma från jämnåriga, äldre ungdomar, kriminella nätverk, någon på nätet eller någon i familjen. Gör i dag: fråga vem som hotar, hur, och om barnet är rädd just nu. Gör en plan för barnets säkerhet i dag, till exempel för vägen hem. Om hotet kommer från kriminella, äldre ungdomar eller någon i familjen, eller gäller bilder som sprids: gör en orosanmälan till socialtjänsten i dag. Polisen nås på 114 14; vid akut fara: ring 112. Informera vårdnadshavarna, utom om det är någon i familjen som hotar.",
        en = "The child has answered that in the last month someone has threatened to hurt them, has threatened them online, or has threatened them when someone older tried to get them to do something against the law. The threat may come from peers, older youths, criminal networks, someone online or someone in the family. Today: ask who is threatening, how, and whether the child is afraid right now. Make a plan for the child's safety today, for example for the way home. If the threat comes from criminals, older youths or someone in the family, or concerns pictures being spread: report your concern to social services today (orosanmälan till socialtjänsten). The police can be reached on 114 14; if there is acute danger: call 112. Tell the guardians, unless it is someone in the family who is threatening.",
      },
      message = {
        sv = "Ingen får hota dig.",
        en = "Nobody is allowed to threaten you.",
      },
    },
    {
      id = "honour_threat",
      when = { any = {
        { question = "safety_forced_marriage", equals = "yes" },
        { question = "safety_own_life_threat", equals = "yes" },
        { question = "safety_own_life_what", equals = "marriage" },
      } },
      guidance = {
        sv = "Barnet har svarat att någon har sagt att barnet måste gifta sig mot sin vilja, att någon annan bestämmer vem barnet ska gifta sig med, eller att någon i familjen eller släkten hotar barnet om hen inte gör som de vill. Det kan vara hedersrelaterat våld och förtryck, med risk för tvångsäktenskap eller för att barnet förs utomlands. Gör i dag: prata med barnet i enrum, och använd aldrig en familjemedlem eller släkting som tolk. Fråga om barnet är rädd och om en resa är planerad. Kontakta inte familjen. Gör en orosanmälan till socialtjänsten i dag och säg att oron gäller hedersrelaterat våld och förtryck. Vid akut fara eller om en resa är nära: ring 112. Stöd för dig som arbetar med barnet: Nationella kompetensteamet mot hedersrelaterat våld och förtryck (Länsstyrelsen Östergötland).",
        en = "The child has answered that someone has said they must marry against their will, that someone else decides whom they will marry, or that someone in their family or among their relatives threatens them if they do not do what they want. This may be honour-related violence and oppression, with a risk of forced marriage or of the child being taken abroad. Today: talk with the child in private, and never use a family member or relative as an interpreter. Ask whether the child is afraid and whether a journey is planned. Do not contact the family. Report your concern to social services today (orosanmälan till socialtjänsten) and say that it concerns honour-related violence and oppression. If there is acute danger or a journey is near: call 112. Support for professionals: the national competence team against honour-related violence and oppression (Nationella kompetensteamet, Länsstyrelsen Östergötland).",
      },
      message = {
        sv = "Du har rätt att bestämma över ditt eget liv.",
        en = "You have the right to decide about your own life.",
      },
    },
  },
}
