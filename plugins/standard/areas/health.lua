-- Body and health: sleep, tiredness, meals, movement, pain, illness; for the
-- older bands tobacco, alcohol and drugs.
local C = require "areas.common"

local OLDER = { "13-15", "16-18" }

return {
  id = "health",
  title = { sv = "Kropp och hälsa", en = "Body and health" },
  questions = {
    {
      id = "health_feel",
      type = "faces",
      steps = 5,
      text = {
        sv = "Hur mår din kropp just nu?",
        en = "How does your body feel right now?",
      },
      options = C.faces5,
    },
    {
      id = "health_sleep",
      type = "faces",
      steps = 5,
      text = {
        sv = "Hur sover du på nätterna?",
        en = "How do you sleep at night?",
      },
      options = C.faces5,
      followups = {
        {
          when = { any_of = { "ok", "bad", "very_bad" } },
          questions = {
            {
              id = "health_sleep_nights",
              type = "number",
              min = 0,
              max = 7,
              text = {
                sv = "Hur många nätter den senaste veckan sov du dåligt?",
                en = "How many nights in the last week did you sleep badly?",
              },
              easy = {
                sv = "Tänk på förra veckan. Hur många nätter sov du dåligt?",
                en = "Think about last week. How many nights did you sleep badly?",
              },
              hint = {
                sv = "Skriv en siffra från 0 till 7.",
                en = "Write a number from 0 to 7.",
              },
            },
            {
              id = "health_sleep_why",
              type = "multi",
              text = {
                sv = "Vad gör det svårt att sova?",
                en = "What makes it hard to sleep?",
              },
              options = {
                { id = "falling_asleep", text = { sv = "Jag har svårt att somna", en = "I find it hard to fall asleep" } },
                { id = "waking_up", text = { sv = "Jag vaknar på natten", en = "I wake up in the night" } },
                { id = "nightmares", text = { sv = "Jag har mardrömmar", en = "I have nightmares" } },
                { id = "worries", text = { sv = "Jag tänker på saker som oroar mig", en = "I think about things that worry me" } },
                { id = "noise_at_home", text = { sv = "Det är stökigt hemma på natten", en = "It is noisy at home at night" }, risk = 1 },
                { id = "screens", text = { sv = "Jag är uppe med mobilen eller spel", en = "I stay up with my phone or games" } },
                { id = "pain", text = { sv = "Jag har ont", en = "I am in pain" } },
                { id = "other", text = { sv = "Något annat", en = "Something else" } },
              },
            },
          },
        },
      },
    },
    {
      id = "health_tired",
      type = "single",
      text = {
        sv = "Hur ofta är du trött i skolan?",
        en = "How often are you tired at school?",
      },
      options = {
        { id = "hardly_ever", text = { sv = "Nästan aldrig", en = "Hardly ever" } },
        { id = "sometimes", text = { sv = "Ibland", en = "Sometimes" } },
        { id = "often", text = { sv = "Ofta", en = "Often" }, risk = 1 },
        { id = "every_day", text = { sv = "Nästan varje dag", en = "Almost every day" }, risk = 2 },
      },
    },
    {
      id = "health_breakfast",
      type = "single",
      text = {
        sv = "Hur ofta äter du frukost innan skolan?",
        en = "How often do you eat breakfast before school?",
      },
      options = {
        { id = "every_day", text = { sv = "Varje dag", en = "Every day" }, resource = 1 },
        { id = "some_days", text = { sv = "Några dagar i veckan", en = "A few days a week" } },
        { id = "rarely", text = { sv = "Sällan eller aldrig", en = "Rarely or never" }, risk = 1 },
      },
    },
    {
      id = "health_move",
      type = "single",
      text = {
        sv = "Hur ofta rör du på dig så att du blir andfådd? Till exempel när du springer, cyklar eller leker.",
        en = "How often do you move so much that you get out of breath? For example when you run, cycle or play.",
      },
      easy = {
        sv = "Hur ofta springer, leker eller rör du dig så att du blir varm och flåsig?",
        en = "How often do you run, play or move so much that you get warm and puffed out?",
      },
      options = {
        { id = "every_day", text = { sv = "Nästan varje dag", en = "Almost every day" }, resource = 1 },
        { id = "some_days", text = { sv = "Några dagar i veckan", en = "A few days a week" } },
        { id = "rarely", text = { sv = "Sällan", en = "Rarely" }, risk = 1 },
      },
    },
    {
      id = "health_pain",
      type = "single",
      text = {
        sv = "Hur ofta har du haft ont någonstans i kroppen den senaste månaden?",
        en = "How often have you had pain somewhere in your body in the last month?",
      },
      easy = {
        sv = "Hur ofta har du ont i kroppen?",
        en = "How often does your body hurt?",
      },
      options = {
        { id = "hardly_ever", text = { sv = "Nästan aldrig", en = "Hardly ever" } },
        { id = "sometimes", text = { sv = "Ibland", en = "Sometimes" } },
        { id = "often", text = { sv = "Ofta", en = "Often" }, risk = 1 },
        { id = "every_day", text = { sv = "Nästan varje dag", en = "Almost every day" }, risk = 2 },
      },
      followups = {
        {
          when = { any_of = { "sometimes", "often", "every_day" } },
          questions = {
            {
              id = "health_pain_where",
              type = "multi",
              text = {
                sv = "Var gör det ont?",
                en = "Where does it hurt?",
              },
              options = {
                { id = "head", text = { sv = "I huvudet", en = "My head" } },
                { id = "stomach", text = { sv = "I magen", en = "My stomach" } },
                { id = "back", text = { sv = "I ryggen", en = "My back" } },
                { id = "elsewhere", text = { sv = "Någon annanstans", en = "Somewhere else" } },
              },
            },
          },
        },
      },
    },
    {
      id = "health_illness",
      type = "yesno",
      text = {
        sv = "Har du någon sjukdom som du behöver hjälp med?",
        en = "Do you have an illness that you need help with?",
      },
      hint = {
        sv = "Till exempel astma, diabetes eller något annat.",
        en = "For example asthma, diabetes or something else.",
      },
      followups = {
        {
          when = { equals = "yes" },
          questions = {
            {
              id = "health_illness_help",
              type = "yesno",
              text = {
                sv = "Får du den hjälp du behöver?",
                en = "Do you get the help you need?",
              },
              options = {
                { id = "yes", text = C.yes, resource = 1 },
                { id = "no", text = C.no, risk = 1 },
                { id = "dont_know", text = C.dont_know },
              },
            },
          },
        },
      },
    },
    {
      id = "health_tobacco",
      type = "single",
      ages = OLDER,
      text = {
        sv = "Har du rökt, snusat eller vejpat den senaste månaden?",
        en = "In the last month, have you smoked, used snus or vaped?",
      },
      options = {
        { id = "no", text = C.no },
        { id = "once_or_twice", text = { sv = "Ja, någon gång", en = "Yes, once or twice" } },
        { id = "every_week", text = { sv = "Ja, varje vecka", en = "Yes, every week" }, risk = 1 },
        { id = "every_day", text = { sv = "Ja, varje dag", en = "Yes, every day" }, risk = 2 },
      },
    },
    {
      id = "health_alcohol",
      type = "single",
      ages = OLDER,
      text = {
        sv = "Har du druckit alkohol den senaste månaden?",
        en = "Have you drunk alcohol in the last month?",
      },
      options = {
        { id = "no", text = C.no },
        { id = "once_or_twice", text = { sv = "Ja, en eller ett par gånger", en = "Yes, once or a couple of times" } },
        { id = "every_week", text = { sv = "Ja, varje vecka", en = "Yes, every week" }, risk = 2 },
      },
      followups = {
        {
          when = { any_of = { "once_or_twice", "every_week" } },
          questions = {
            {
              id = "health_drunk",
              type = "single",
              text = {
                sv = "Har du varit full den senaste månaden?",
                en = "Have you been drunk in the last month?",
              },
              options = {
                { id = "no", text = C.no },
                { id = "once", text = { sv = "Ja, en gång", en = "Yes, once" }, risk = 1 },
                { id = "several", text = { sv = "Ja, flera gånger", en = "Yes, several times" }, risk = 2 },
              },
            },
          },
        },
      },
    },
    {
      id = "health_drugs",
      type = "yesno",
      ages = OLDER,
      text = {
        sv = "Har du använt droger det senaste året? Till exempel hasch, marijuana eller tabletter för att bli påverkad.",
        en = "Have you used drugs in the last year? For example hash, weed or pills to get high.",
      },
      options = {
        { id = "yes", text = C.yes, risk = 2 },
        { id = "no", text = C.no },
        { id = "dont_know", text = C.dont_know },
      },
    },
  },
}
