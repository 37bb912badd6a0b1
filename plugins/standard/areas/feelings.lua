-- Feelings: mood, happiness, worry, sadness, anger, stress, self-image,
-- what helps; for the older bands, with care, thoughts of self-harm and
-- suicide (general question first, the direct one only after it).
local C = require "areas.common"

local OLDER = { "13-15", "16-18" }

return {
  id = "feelings",
  title = { sv = "Känslor", en = "Feelings" },
  questions = {
    {
      id = "feelings_mood",
      type = "faces",
      steps = 5,
      text = {
        sv = "Hur har du mått den senaste veckan?",
        en = "How have you been feeling in the last week?",
      },
      by_age = {
        ["6-9"] = {
          sv = "Hur har du mått de senaste dagarna?",
          en = "How have you been feeling the last few days?",
        },
      },
      options = C.faces5,
    },
    {
      id = "feelings_happy",
      type = "single",
      text = {
        sv = "Hur ofta känner du dig glad?",
        en = "How often do you feel happy?",
      },
      options = {
        { id = "often", text = { sv = "Ofta", en = "Often" }, resource = 1 },
        { id = "sometimes", text = { sv = "Ibland", en = "Sometimes" } },
        { id = "rarely", text = { sv = "Sällan", en = "Rarely" }, risk = 1 },
      },
    },
    {
      id = "feelings_worry",
      type = "single",
      text = {
        sv = "Hur ofta känner du dig orolig?",
        en = "How often do you feel worried?",
      },
      options = C.how_often,
      followups = {
        {
          when = { any_of = { "often", "almost_always" } },
          questions = {
            {
              id = "feelings_worry_what",
              type = "multi",
              text = {
                sv = "Vad oroar du dig för?",
                en = "What do you worry about?",
              },
              options = {
                { id = "school", text = { sv = "Skolan", en = "School" } },
                { id = "family", text = { sv = "Någon i familjen", en = "Someone in my family" } },
                { id = "friends", text = { sv = "Kompisar", en = "Friends" } },
                { id = "body", text = { sv = "Min kropp eller hälsa", en = "My body or health" } },
                { id = "world", text = { sv = "Saker som händer i världen", en = "Things that happen in the world" } },
                { id = "money", text = { sv = "Pengar", en = "Money" } },
                { id = "future", text = { sv = "Framtiden", en = "The future" } },
                { id = "other", text = { sv = "Något annat", en = "Something else" } },
              },
            },
          },
        },
      },
    },
    {
      id = "feelings_sad",
      type = "single",
      text = {
        sv = "Hur ofta känner du dig ledsen?",
        en = "How often do you feel sad?",
      },
      options = C.how_often,
    },
    {
      id = "feelings_angry",
      type = "single",
      text = {
        sv = "Hur ofta blir du så arg att du inte vet vad du ska göra?",
        en = "How often do you get so angry that you don't know what to do?",
      },
      options = C.how_often,
    },
    {
      id = "feelings_stress",
      type = "single",
      ages = { "10-12", "13-15", "16-18" },
      text = {
        sv = "Hur ofta känner du dig stressad?",
        en = "How often do you feel stressed?",
      },
      options = C.how_often,
    },
    {
      id = "feelings_self",
      type = "single",
      text = {
        sv = "Tycker du om dig själv som du är?",
        en = "Do you like yourself the way you are?",
      },
      options = {
        { id = "mostly", text = { sv = "Ja, för det mesta", en = "Yes, mostly" }, resource = 1 },
        { id = "sometimes", text = { sv = "Ibland", en = "Sometimes" } },
        { id = "rarely", text = { sv = "Nej, sällan", en = "No, rarely" }, risk = 1 },
      },
    },
    {
      id = "feelings_calm",
      type = "multi",
      text = {
        sv = "Vad hjälper dig när du är ledsen, orolig eller arg?",
        en = "What helps you when you are sad, worried or angry?",
      },
      options = {
        { id = "talk", text = { sv = "Att prata med någon", en = "Talking to someone" } },
        { id = "friends", text = { sv = "Att vara med kompisar", en = "Being with friends" } },
        { id = "music", text = { sv = "Att lyssna på musik", en = "Listening to music" } },
        { id = "move", text = { sv = "Att röra på mig", en = "Moving my body" } },
        { id = "animal", text = { sv = "Att vara med ett djur", en = "Being with an animal" } },
        { id = "rest", text = { sv = "Att vila eller vara för mig själv", en = "Resting or being on my own" } },
        { id = "create", text = { sv = "Att rita, skriva eller skapa något", en = "Drawing, writing or making something" } },
        { id = "games", text = { sv = "Att spela eller titta på något", en = "Playing or watching something" } },
        { id = "nothing", text = { sv = "Inget hjälper", en = "Nothing helps" }, risk = 1 },
        { id = "dont_know", text = { sv = "Jag vet inte", en = "I don't know" } },
      },
    },
    {
      id = "feelings_hard_intro",
      type = "info",
      ages = OLDER,
      text = {
        sv = "Nu kommer några frågor om svåra tankar. Många som mår dåligt har sådana tankar ibland. Det är bra att berätta, för då kan en vuxen hjälpa dig. Du kan hoppa över en fråga om du vill.",
        en = "Now come some questions about difficult thoughts. Many people who feel bad have thoughts like these sometimes. It is good to tell, because then an adult can help you. You can skip a question if you want to.",
      },
    },
    {
      id = "feelings_life_meaningless",
      type = "single",
      ages = OLDER,
      text = {
        sv = "Har du känt att livet är meningslöst, den senaste månaden?",
        en = "In the last month, have you felt that life is meaningless?",
      },
      options = {
        { id = "no", text = C.no },
        { id = "sometimes", text = { sv = "Ja, ibland", en = "Yes, sometimes" }, risk = 2 },
        { id = "often", text = { sv = "Ja, ofta", en = "Yes, often" }, risk = 3 },
      },
      followups = {
        {
          when = { any_of = { "sometimes", "often" } },
          questions = {
            {
              id = "feelings_suicide_thoughts",
              type = "yesno",
              text = {
                sv = "Har du haft tankar på att ta ditt liv den senaste månaden?",
                en = "In the last month, have you had thoughts of taking your own life?",
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
                      id = "feelings_suicide_now",
                      type = "yesno",
                      text = {
                        sv = "Har du sådana tankar i dag?",
                        en = "Do you have thoughts like that today?",
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
          },
        },
      },
    },
    {
      id = "feelings_selfharm_thoughts",
      type = "yesno",
      ages = OLDER,
      text = {
        sv = "Har du tänkt på att skada dig själv den senaste månaden?",
        en = "In the last month, have you thought about hurting yourself?",
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
              id = "feelings_selfharm_done",
              type = "yesno",
              text = {
                sv = "Har du skadat dig själv med flit den senaste månaden?",
                en = "In the last month, have you hurt yourself on purpose?",
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
  },
}
