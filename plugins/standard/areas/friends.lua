-- Friends: having friends, loneliness, belonging, being left out, bullying
-- (being bullied and bullying others, at school and online), breaks.
local C = require "areas.common"

return {
  id = "friends",
  title = { sv = "Kompisar", en = "Friends" },
  questions = {
    {
      id = "friends_have",
      type = "single",
      text = {
        sv = "Har du kompisar?",
        en = "Do you have friends?",
      },
      options = {
        { id = "several", text = { sv = "Ja, flera", en = "Yes, several" }, resource = 2 },
        { id = "one", text = { sv = "Ja, en", en = "Yes, one" }, resource = 1 },
        { id = "none", text = { sv = "Nej, inte just nu", en = "No, not right now" }, risk = 2 },
      },
      followups = {
        {
          when = { any_of = { "several", "one" } },
          questions = {
            {
              id = "friends_feel",
              type = "faces",
              steps = 5,
              text = {
                sv = "Hur har du det med dina kompisar?",
                en = "How are things with your friends?",
              },
              options = C.faces5,
            },
            {
              id = "friends_trust",
              type = "yesno",
              text = {
                sv = "Har du en kompis som du kan prata med när något är svårt?",
                en = "Do you have a friend you can talk to when something is hard?",
              },
              options = {
                { id = "yes", text = C.yes, resource = 1 },
                { id = "no", text = C.no },
                { id = "dont_know", text = C.dont_know },
              },
            },
          },
        },
      },
    },
    {
      id = "friends_break",
      type = "single",
      text = {
        sv = "Har du någon att vara med på rasterna?",
        en = "Do you have someone to be with at break time?",
      },
      options = {
        { id = "always", text = { sv = "Ja, nästan alltid", en = "Yes, almost always" }, resource = 1 },
        { id = "sometimes", text = { sv = "Ibland", en = "Sometimes" } },
        { id = "rarely", text = { sv = "Sällan eller aldrig", en = "Rarely or never" }, risk = 1 },
      },
    },
    {
      id = "friends_lonely",
      type = "single",
      text = {
        sv = "Hur ofta känner du dig ensam? Tänk på den senaste månaden.",
        en = "How often do you feel lonely? Think about the last month.",
      },
      options = C.how_often,
    },
    {
      id = "friends_belong",
      type = "single",
      text = {
        sv = "Känner du att du hör till i din klass?",
        en = "Do you feel that you belong in your class?",
      },
      easy = {
        sv = "Känns det som att du är en av dem i din klass?",
        en = "Does it feel like you are one of the group in your class?",
      },
      options = {
        { id = "yes", text = C.yes, resource = 1 },
        { id = "sometimes", text = { sv = "Ibland", en = "Sometimes" } },
        { id = "no", text = C.no, risk = 1 },
      },
    },
    {
      id = "friends_left_out",
      type = "single",
      text = {
        sv = "Händer det att andra lämnar dig utanför? Tänk på den senaste månaden.",
        en = "Do others leave you out? Think about the last month.",
      },
      easy = {
        sv = "Händer det att andra inte låter dig vara med?",
        en = "Do others ever not let you join in?",
      },
      options = {
        { id = "hardly_ever", text = { sv = "Nej, nästan aldrig", en = "No, hardly ever" } },
        { id = "sometimes", text = { sv = "Ja, ibland", en = "Yes, sometimes" } },
        { id = "often", text = { sv = "Ja, ofta", en = "Yes, often" }, risk = 1 },
      },
    },
    {
      id = "friends_bullied",
      type = "yesno",
      text = {
        sv = "Har du blivit mobbad den här terminen?",
        en = "Have you been bullied this term?",
      },
      easy = {
        sv = "Har någon varit elak mot dig många gånger den här terminen?",
        en = "Has someone been mean to you many times this term?",
      },
      hint = {
        sv = "Mobbad betyder att någon är elak mot dig flera gånger. Det kan vara i skolan, på fritiden eller på nätet.",
        en = "Bullied means that someone is mean to you again and again. It can be at school, in your free time or online.",
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
              id = "friends_bullied_where",
              type = "multi",
              text = {
                sv = "Var händer det?",
                en = "Where does it happen?",
              },
              options = {
                { id = "classroom", text = { sv = "I klassrummet", en = "In the classroom" } },
                { id = "breaks", text = { sv = "På rasterna", en = "At break time" } },
                { id = "way_to_school", text = { sv = "På vägen till eller från skolan", en = "On the way to or from school" } },
                { id = "online", text = { sv = "På nätet eller i mobilen", en = "Online or on the phone" } },
                { id = "free_time", text = { sv = "På fritiden", en = "In my free time" } },
                { id = "elsewhere", text = { sv = "Någon annanstans", en = "Somewhere else" } },
              },
            },
            {
              id = "friends_bullied_often",
              type = "single",
              text = {
                sv = "Hur ofta händer det?",
                en = "How often does it happen?",
              },
              options = {
                { id = "a_few_times", text = { sv = "Några gånger den här terminen", en = "A few times this term" } },
                { id = "every_week", text = { sv = "Varje vecka", en = "Every week" }, risk = 1 },
                { id = "every_day", text = { sv = "Nästan varje dag", en = "Almost every day" }, risk = 2 },
              },
            },
            {
              id = "friends_bullied_adult_knows",
              type = "yesno",
              text = {
                sv = "Vet någon vuxen om det?",
                en = "Does an adult know about it?",
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
      id = "friends_bully_others",
      type = "yesno",
      text = {
        sv = "Har du varit med och mobbat någon den här terminen?",
        en = "Have you taken part in bullying someone this term?",
      },
      easy = {
        sv = "Har du varit elak mot någon många gånger den här terminen?",
        en = "Have you been mean to someone many times this term?",
      },
      hint = {
        sv = "Det är bra att svara ärligt. Då kan du få hjälp att sluta.",
        en = "It is good to answer honestly. Then you can get help to stop.",
      },
      options = {
        { id = "yes", text = C.yes, risk = 1 },
        { id = "no", text = C.no },
        { id = "dont_know", text = C.dont_know },
      },
    },
  },
}
