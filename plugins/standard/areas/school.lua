-- School and learning: liking school, teachers who help, managing the work,
-- what is hard, support, absence and why, safety at school and on the way.
local C = require "areas.common"

return {
  id = "school",
  title = { sv = "Skolan", en = "School" },
  questions = {
    {
      id = "school_like",
      type = "faces",
      steps = 5,
      text = {
        sv = "Hur trivs du i skolan?",
        en = "How do you like being at school?",
      },
      easy = {
        sv = "Hur är det att vara i skolan?",
        en = "What is it like to be at school?",
      },
      options = C.faces5,
    },
    {
      id = "school_adult",
      type = "single",
      text = {
        sv = "Finns det en vuxen i skolan som hjälper dig när du behöver det?",
        en = "Is there an adult at school who helps you when you need it?",
      },
      options = C.support,
    },
    {
      id = "school_work",
      type = "single",
      text = {
        sv = "Hur går det med skolarbetet?",
        en = "How is your schoolwork going?",
      },
      options = {
        { id = "well", text = { sv = "Det går bra", en = "It goes well" }, resource = 1 },
        { id = "okay", text = { sv = "Det går okej", en = "It goes okay" } },
        { id = "hard", text = { sv = "Det är ofta svårt", en = "It is often hard" }, risk = 1 },
        { id = "very_hard", text = { sv = "Det är nästan alltid svårt", en = "It is almost always hard" }, risk = 2 },
      },
    },
    {
      id = "school_hard",
      type = "multi",
      text = {
        sv = "Är något av det här svårt för dig i skolan?",
        en = "Is any of this hard for you at school?",
      },
      options = {
        { id = "reading", text = { sv = "Att läsa", en = "Reading" } },
        { id = "writing", text = { sv = "Att skriva", en = "Writing" } },
        { id = "maths", text = { sv = "Matte", en = "Maths" } },
        { id = "focus", text = { sv = "Att koncentrera mig", en = "Concentrating" } },
        { id = "noise", text = { sv = "Att det är mycket ljud och stök", en = "A lot of noise and commotion" } },
        { id = "getting_started", text = { sv = "Att komma igång med uppgifter", en = "Getting started on tasks" } },
        { id = "swedish", text = { sv = "Att förstå svenska", en = "Understanding Swedish" } },
        { id = "none", text = { sv = "Inget av det här", en = "None of these" } },
      },
    },
    {
      id = "school_support",
      type = "single",
      text = {
        sv = "Får du den hjälp du behöver med skolarbetet?",
        en = "Do you get the help you need with your schoolwork?",
      },
      options = {
        { id = "yes", text = C.yes, resource = 1 },
        { id = "a_little", text = { sv = "Ja, lite", en = "Yes, a little" }, risk = 1 },
        { id = "no", text = C.no, risk = 2 },
        { id = "no_need", text = { sv = "Jag behöver ingen extra hjälp", en = "I don't need extra help" } },
      },
    },
    {
      id = "school_absent",
      type = "single",
      text = {
        sv = "Hur många dagar har du varit borta från skolan den senaste månaden?",
        en = "How many days have you been away from school in the last month?",
      },
      hint = {
        sv = "Tänk på alla dagar du inte var i skolan, också när du var sjuk.",
        en = "Think of all the days you were not at school, also when you were ill.",
      },
      options = {
        { id = "none", text = { sv = "Inga dagar", en = "No days" } },
        { id = "a_few", text = { sv = "Några dagar", en = "A few days" } },
        { id = "many", text = { sv = "Många dagar", en = "Many days" }, risk = 1 },
      },
      followups = {
        {
          when = { any_of = { "a_few", "many" } },
          questions = {
            {
              id = "school_absent_why",
              type = "multi",
              text = {
                sv = "Varför var du borta?",
                en = "Why were you away?",
              },
              options = {
                { id = "ill", text = { sv = "Jag var sjuk", en = "I was ill" } },
                { id = "pain", text = { sv = "Jag hade ont, till exempel i magen eller huvudet", en = "I was in pain, for example in my stomach or head" } },
                { id = "tired", text = { sv = "Jag var för trött", en = "I was too tired" } },
                { id = "worried", text = { sv = "Jag var orolig eller rädd för att gå till skolan", en = "I was worried or afraid to go to school" }, risk = 1 },
                { id = "someone_mean", text = { sv = "Någon i skolan är elak mot mig", en = "Someone at school is mean to me" }, risk = 1 },
                { id = "did_not_want", text = { sv = "Jag ville inte gå", en = "I didn't want to go" } },
                { id = "needed_at_home", text = { sv = "Jag behövde vara hemma och hjälpa till", en = "I had to stay at home and help" }, risk = 1 },
                { id = "trip", text = { sv = "Vi var bortresta", en = "We were away on a trip" } },
                { id = "other", text = { sv = "Något annat", en = "Something else" } },
              },
            },
          },
        },
      },
    },
    {
      id = "school_safe",
      type = "single",
      text = {
        sv = "Känner du dig trygg i skolan?",
        en = "Do you feel safe at school?",
      },
      options = C.safe,
      followups = {
        {
          when = { any_of = { "sometimes", "no" } },
          questions = {
            {
              id = "school_unsafe_where",
              type = "multi",
              text = {
                sv = "Var känns det otryggt?",
                en = "Where does it feel unsafe?",
              },
              options = {
                { id = "classroom", text = { sv = "I klassrummet", en = "In the classroom" } },
                { id = "corridors", text = { sv = "I korridorerna", en = "In the corridors" } },
                { id = "schoolyard", text = { sv = "På skolgården", en = "In the schoolyard" } },
                { id = "toilets", text = { sv = "På toaletterna", en = "In the toilets" } },
                { id = "changing_room", text = { sv = "I omklädningsrummet", en = "In the changing room" } },
                { id = "dining_hall", text = { sv = "I matsalen", en = "In the dining hall" } },
                { id = "elsewhere", text = { sv = "Någon annanstans", en = "Somewhere else" } },
              },
            },
          },
        },
      },
    },
    {
      id = "school_way",
      type = "single",
      text = {
        sv = "Känner du dig trygg på vägen till och från skolan?",
        en = "Do you feel safe on the way to and from school?",
      },
      options = C.safe,
    },
    {
      id = "school_best",
      type = "text",
      max = 500,
      text = {
        sv = "Vad tycker du bäst om i skolan?",
        en = "What do you like best at school?",
      },
      hint = {
        sv = "Det kan vara ett ämne, en lärare, en rast eller något annat.",
        en = "It can be a subject, a teacher, a break or something else.",
      },
    },
  },
}
