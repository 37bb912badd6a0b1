-- Safety: the neighbourhood, being afraid to go home, violence at home
-- (being hurt, seeing violence between adults), threats, sexual abuse,
-- online risks, honour-related control, and whom the child can tell.  A
-- calm introduction page comes first; the general questions before the
-- specific ones.
local C = require "areas.common"

local FROM_10 = { "10-12", "13-15", "16-18" }
local OLDER = { "13-15", "16-18" }

-- "When did it last happen?"
local WHEN = {
  { id = "last_week", text = { sv = "Den senaste veckan", en = "In the last week" } },
  { id = "last_month", text = { sv = "Den senaste månaden", en = "In the last month" } },
  { id = "last_year", text = { sv = "Det senaste året", en = "In the last year" } },
  { id = "longer_ago", text = { sv = "För mer än ett år sedan", en = "More than a year ago" } },
}

return {
  id = "safety",
  title = { sv = "Trygghet", en = "Feeling safe" },
  questions = {
    {
      id = "safety_intro",
      type = "info",
      text = {
        sv = "Nu kommer några frågor om att vara trygg. En del frågor kan kännas jobbiga. Du bestämmer själv vad du vill svara, och du kan alltid hoppa över en fråga.",
        en = "Now come some questions about feeling safe. Some questions may feel hard. You decide what you want to answer, and you can always skip a question.",
      },
      by_age = {
        ["6-9"] = {
          sv = "Nu kommer några frågor om att vara trygg. Du kan hoppa över en fråga om du vill.",
          en = "Now come some questions about feeling safe. You can skip a question if you want to.",
        },
      },
    },
    {
      id = "safety_area",
      type = "single",
      text = {
        sv = "Känner du dig trygg ute i området där du bor?",
        en = "Do you feel safe outdoors in the area where you live?",
      },
      easy = {
        sv = "Känner du dig trygg när du är ute nära ditt hem?",
        en = "Do you feel safe when you are outside near your home?",
      },
      options = C.safe,
    },
    {
      id = "safety_afraid_home",
      type = "single",
      text = {
        sv = "Händer det att du är rädd för att gå hem?",
        en = "Are you ever afraid to go home?",
      },
      options = {
        { id = "no", text = C.no },
        { id = "sometimes", text = { sv = "Ja, ibland", en = "Yes, sometimes" }, risk = 2 },
        { id = "often", text = { sv = "Ja, ofta", en = "Yes, often" }, risk = 3 },
      },
    },
    {
      id = "safety_hurt_adult",
      type = "yesno",
      text = {
        sv = "Har en vuxen hemma slagit dig eller gjort dig illa på något annat sätt?",
        en = "Has an adult at home hit you or hurt you in some other way?",
      },
      easy = {
        sv = "Har en vuxen hemma gjort dig illa?",
        en = "Has an adult at home hurt you?",
      },
      hint = {
        sv = "Det kan vara att slå, sparka, nypa, dra i håret eller något annat som gör ont.",
        en = "It can be hitting, kicking, pinching, pulling hair or something else that hurts.",
      },
      options = {
        { id = "yes", text = C.yes, risk = 3 },
        { id = "no", text = C.no },
        { id = "dont_know", text = C.dont_know },
      },
      followups = {
        {
          when = { equals = "yes" },
          questions = {
            {
              id = "safety_hurt_adult_when",
              type = "single",
              text = {
                sv = "När hände det senast?",
                en = "When did it last happen?",
              },
              options = WHEN,
            },
          },
        },
      },
    },
    {
      id = "safety_see_violence",
      type = "yesno",
      text = {
        sv = "Har du sett eller hört en vuxen hemma slå eller göra illa en annan vuxen?",
        en = "Have you seen or heard an adult at home hit or hurt another adult?",
      },
      options = {
        { id = "yes", text = C.yes, risk = 3 },
        { id = "no", text = C.no },
        { id = "dont_know", text = C.dont_know },
      },
      followups = {
        {
          when = { equals = "yes" },
          questions = {
            {
              id = "safety_see_violence_when",
              type = "single",
              text = {
                sv = "När hände det senast?",
                en = "When did it last happen?",
              },
              options = WHEN,
            },
          },
        },
      },
    },
    {
      id = "safety_threatened",
      type = "yesno",
      text = {
        sv = "Har någon hotat att göra dig illa den senaste månaden?",
        en = "In the last month, has anyone threatened to hurt you?",
      },
      easy = {
        sv = "Har någon sagt att de ska göra dig illa den senaste månaden?",
        en = "In the last month, has anyone said that they will hurt you?",
      },
      options = {
        { id = "yes", text = C.yes, risk = 2 },
        { id = "no", text = C.no },
        { id = "dont_know", text = C.dont_know },
      },
      followups = {
        {
          when = { equals = "yes" },
          questions = {
            {
              id = "safety_threatened_who",
              type = "multi",
              text = {
                sv = "Vem hotade dig?",
                en = "Who threatened you?",
              },
              options = {
                { id = "at_home", text = { sv = "Någon hemma", en = "Someone at home" } },
                { id = "family", text = { sv = "Någon annan i familjen eller släkten", en = "Someone else in my family or among my relatives" } },
                { id = "at_school", text = { sv = "Någon i skolan", en = "Someone at school" } },
                { id = "older", text = { sv = "Någon som är äldre än jag", en = "Someone older than me" } },
                { id = "online", text = { sv = "Någon på nätet", en = "Someone online" } },
                { id = "stranger", text = { sv = "Någon jag inte känner", en = "Someone I don't know" } },
                { id = "other", text = { sv = "Någon annan", en = "Someone else" } },
              },
            },
            {
              id = "safety_threatened_afraid",
              type = "yesno",
              text = {
                sv = "Är du rädd just nu?",
                en = "Are you afraid right now?",
              },
              options = {
                { id = "yes", text = C.yes, risk = 1 },
                { id = "no", text = C.no },
                { id = "dont_know", text = C.dont_know },
              },
            },
          },
        },
      },
    },
    {
      id = "safety_touched",
      type = "yesno",
      text = {
        sv = "Har någon rört dig på ett sexuellt sätt som du inte ville?",
        en = "Has anyone touched you in a sexual way that you did not want?",
      },
      by_age = {
        ["6-9"] = {
          sv = "Har någon rört dig där baddräkten eller badbyxorna sitter, fast du inte ville?",
          en = "Has anyone touched you where your swimsuit or swimming trunks go, when you did not want it?",
        },
        ["10-12"] = {
          sv = "Har någon rört dig där baddräkten eller badbyxorna sitter, fast du inte ville?",
          en = "Has anyone touched you where your swimsuit or swimming trunks go, when you did not want it?",
        },
      },
      easy = {
        sv = "Har någon rört dig där baddräkten eller badbyxorna sitter, fast du inte ville?",
        en = "Has anyone touched you where your swimsuit or swimming trunks go, when you did not want it?",
      },
      hint = {
        sv = "Det är aldrig ditt fel om någon gör så.",
        en = "It is never your fault if someone does that.",
      },
      options = {
        { id = "yes", text = C.yes, risk = 3 },
        { id = "no", text = C.no },
        { id = "dont_know", text = C.dont_know },
      },
      followups = {
        {
          when = { equals = "yes" },
          questions = {
            {
              id = "safety_touched_who",
              type = "multi",
              text = {
                sv = "Vem var det?",
                en = "Who was it?",
              },
              options = {
                { id = "at_home", text = { sv = "Någon jag bor med", en = "Someone I live with" } },
                { id = "family", text = { sv = "Någon annan i familjen eller släkten", en = "Someone else in my family or among my relatives" } },
                { id = "known", text = { sv = "Någon annan som jag känner", en = "Someone else I know" } },
                { id = "stranger", text = { sv = "Någon jag inte känner", en = "Someone I don't know" } },
              },
            },
          },
        },
      },
    },
    {
      id = "safety_forced_sexual",
      type = "yesno",
      ages = OLDER,
      text = {
        sv = "Har någon tvingat, lurat eller pressat dig att göra något sexuellt? Det kan ha hänt i verkligheten eller på nätet.",
        en = "Has anyone forced, tricked or pressured you into doing something sexual? It may have happened in real life or online.",
      },
      hint = {
        sv = "Det är aldrig ditt fel om någon gör så.",
        en = "It is never your fault if someone does that.",
      },
      options = {
        { id = "yes", text = C.yes, risk = 3 },
        { id = "no", text = C.no },
        { id = "dont_know", text = C.dont_know },
      },
    },
    {
      id = "safety_online",
      type = "yesno",
      text = {
        sv = "Har något hänt på nätet den senaste månaden som gjorde dig rädd eller ledsen?",
        en = "In the last month, has something happened online that made you afraid or upset?",
      },
      by_age = {
        ["6-9"] = {
          sv = "Har något på nätet eller i ett spel gjort dig rädd eller ledsen?",
          en = "Has something online or in a game made you afraid or sad?",
        },
      },
      options = {
        { id = "yes", text = C.yes, risk = 1 },
        { id = "no", text = C.no },
        { id = "dont_know", text = C.dont_know },
      },
      followups = {
        {
          when = { equals = "yes" },
          questions = {
            {
              id = "safety_online_what",
              type = "multi",
              text = {
                sv = "Vad hände?",
                en = "What happened?",
              },
              options = {
                { id = "stranger", text = { sv = "Någon jag inte känner skrev till mig", en = "Someone I don't know wrote to me" } },
                { id = "asked_pictures", text = { sv = "Någon bad mig skicka bilder på min kropp", en = "Someone asked me to send pictures of my body" }, risk = 2 },
                { id = "shared_pictures", text = { sv = "Någon spred bilder eller filmer på mig", en = "Someone shared pictures or videos of me" }, risk = 2 },
                { id = "threatened", text = { sv = "Någon hotade mig", en = "Someone threatened me" }, risk = 2 },
                { id = "wanted_to_meet", text = { sv = "Någon ville träffa mig", en = "Someone wanted to meet me" }, risk = 1 },
                { id = "mean_words", text = { sv = "Någon skrev elaka saker", en = "Someone wrote mean things" } },
                { id = "scary", text = { sv = "Jag såg något läskigt", en = "I saw something scary" } },
                { id = "other", text = { sv = "Något annat", en = "Something else" } },
              },
            },
          },
        },
      },
    },
    {
      id = "safety_own_life",
      type = "single",
      ages = FROM_10,
      text = {
        sv = "Får du bestämma lika mycket över ditt liv som andra i din ålder? Till exempel vilka du är med, vad du har på dig och vad du gör på fritiden.",
        en = "Do you get to decide as much about your life as others your age? For example who you spend time with, what you wear and what you do in your free time.",
      },
      by_age = {
        ["10-12"] = {
          sv = "Får du vara med på samma saker som andra i din klass? Till exempel träffa kompisar, idrotta och åka på skolresor.",
          en = "Are you allowed to join in the same things as others in your class? For example seeing friends, doing sport and going on school trips.",
        },
      },
      options = {
        { id = "yes", text = C.yes, resource = 1 },
        { id = "mostly", text = { sv = "För det mesta", en = "Mostly" } },
        { id = "not_much", text = { sv = "Nej, inte så mycket", en = "No, not much" }, risk = 1 },
        { id = "not_at_all", text = { sv = "Nej, inte alls", en = "No, not at all" }, risk = 2 },
      },
      followups = {
        {
          when = { any_of = { "not_much", "not_at_all" } },
          questions = {
            {
              id = "safety_own_life_what",
              type = "multi",
              text = {
                sv = "Vad bestämmer någon annan åt dig?",
                en = "What does someone else decide for you?",
              },
              options = {
                { id = "friends", text = { sv = "Vilka kompisar jag får träffa", en = "Which friends I may see" } },
                { id = "partner", text = { sv = "Om jag får vara ihop med någon", en = "Whether I may go out with someone" } },
                { id = "clothes", text = { sv = "Vad jag får ha på mig", en = "What I may wear" } },
                { id = "free_time", text = { sv = "Vad jag får göra på fritiden", en = "What I may do in my free time" } },
                { id = "education", text = { sv = "Vad jag ska plugga eller jobba med", en = "What I will study or work with" } },
                { id = "phone", text = { sv = "Någon kollar min mobil", en = "Someone checks my phone" } },
                { id = "marriage", text = { sv = "Vem jag ska gifta mig med", en = "Whom I will marry" }, risk = 2 },
                { id = "other", text = { sv = "Något annat", en = "Something else" } },
              },
            },
            {
              id = "safety_own_life_threat",
              type = "yesno",
              text = {
                sv = "Händer det att någon i din familj eller släkt hotar dig, om du inte gör som de vill?",
                en = "Does anyone in your family or among your relatives threaten you if you do not do what they want?",
              },
              options = {
                { id = "yes", text = C.yes, risk = 3 },
                { id = "no", text = C.no },
                { id = "dont_know", text = C.dont_know },
              },
            },
          },
        },
      },
    },
    {
      id = "safety_forced_marriage",
      type = "yesno",
      ages = OLDER,
      text = {
        sv = "Har någon sagt att du måste gifta dig med någon, fast du inte vill?",
        en = "Has anyone said that you must marry someone, even though you do not want to?",
      },
      hint = {
        sv = "Det gäller också förlovning, och giftermål som bara sker i en religiös ceremoni.",
        en = "This also counts for getting engaged, and for a marriage that is only a religious ceremony.",
      },
      options = {
        { id = "yes", text = C.yes, risk = 3 },
        { id = "no", text = C.no },
        { id = "dont_know", text = C.dont_know },
      },
    },
    {
      id = "safety_can_tell",
      type = "yesno",
      text = {
        sv = "Om något gör dig rädd, finns det en vuxen som du kan berätta det för?",
        en = "If something makes you afraid, is there an adult you can tell?",
      },
      options = {
        { id = "yes", text = C.yes, resource = 2 },
        { id = "no", text = C.no, risk = 1 },
        { id = "dont_know", text = C.dont_know },
      },
    },
  },
}
