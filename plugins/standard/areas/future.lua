-- Future and strengths: what the child is proud of and good at, dreams,
-- plans, adults who believe in them, whom they trust.
local C = require "areas.common"

return {
  id = "future",
  title = { sv = "Framtid och styrkor", en = "Future and strengths" },
  questions = {
    {
      id = "future_proud",
      type = "yesno",
      text = {
        sv = "Finns det något du är stolt över?",
        en = "Is there something you are proud of?",
      },
      options = {
        { id = "yes", text = C.yes, resource = 1 },
        { id = "no", text = C.no },
        { id = "dont_know", text = C.dont_know },
      },
      followups = {
        {
          when = { equals = "yes" },
          questions = {
            {
              id = "future_proud_what",
              type = "text",
              max = 500,
              text = {
                sv = "Vad är du stolt över?",
                en = "What are you proud of?",
              },
            },
          },
        },
      },
    },
    {
      id = "future_good_at",
      type = "multi",
      text = {
        sv = "Vad är du bra på?",
        en = "What are you good at?",
      },
      options = {
        { id = "sport", text = { sv = "Idrott", en = "Sport" } },
        { id = "music", text = { sv = "Musik eller dans", en = "Music or dance" } },
        { id = "create", text = { sv = "Att rita, bygga eller skapa", en = "Drawing, building or making things" } },
        { id = "school_subject", text = { sv = "Ett ämne i skolan", en = "A school subject" } },
        { id = "games", text = { sv = "Spel", en = "Games" } },
        { id = "helping", text = { sv = "Att hjälpa andra", en = "Helping others" } },
        { id = "good_friend", text = { sv = "Att vara en bra kompis", en = "Being a good friend" } },
        { id = "animals", text = { sv = "Att ta hand om djur", en = "Taking care of animals" } },
        { id = "making_laugh", text = { sv = "Att få andra att skratta", en = "Making others laugh" } },
        { id = "other", text = { sv = "Något annat", en = "Something else" } },
      },
    },
    {
      id = "future_feel",
      type = "faces",
      steps = 5,
      text = {
        sv = "Hur känns det när du tänker på framtiden?",
        en = "How do you feel when you think about the future?",
      },
      by_age = {
        ["6-9"] = {
          sv = "Hur känns det när du tänker på när du blir större?",
          en = "How do you feel when you think about when you are older?",
        },
      },
      options = C.faces5,
    },
    {
      id = "future_dream",
      type = "text",
      max = 500,
      text = {
        sv = "Vad drömmer du om? Det kan vara något du vill göra eller bli.",
        en = "What do you dream about? It can be something you want to do or become.",
      },
    },
    {
      id = "future_plans",
      type = "single",
      ages = { "13-15", "16-18" },
      text = {
        sv = "Har du en plan för vad du vill göra när du slutar skolan?",
        en = "Do you have a plan for what you want to do when you finish school?",
      },
      options = {
        { id = "yes", text = C.yes, resource = 1 },
        { id = "a_little", text = { sv = "Lite grann", en = "A little" } },
        { id = "not_yet", text = { sv = "Inte än", en = "Not yet" } },
      },
    },
    {
      id = "future_believes",
      type = "yesno",
      text = {
        sv = "Finns det en vuxen som tror på dig?",
        en = "Is there an adult who believes in you?",
      },
      hint = {
        sv = "Någon som tycker att du är bra och vill att det ska gå bra för dig.",
        en = "Someone who thinks you are great and wants things to go well for you.",
      },
      options = {
        { id = "yes", text = C.yes, resource = 2 },
        { id = "no", text = C.no, risk = 1 },
        { id = "dont_know", text = C.dont_know },
      },
    },
    {
      id = "future_trust",
      type = "multi",
      text = {
        sv = "Vilka litar du på?",
        en = "Who do you trust?",
      },
      options = {
        { id = "parent", text = { sv = "Mamma eller pappa", en = "Mum or dad" } },
        { id = "home_adult", text = { sv = "En annan vuxen där jag bor", en = "Another adult where I live" } },
        { id = "relative", text = { sv = "Någon i släkten", en = "A relative" } },
        { id = "sibling", text = { sv = "Ett syskon", en = "A brother or sister" } },
        { id = "friend", text = { sv = "En kompis", en = "A friend" } },
        { id = "teacher", text = { sv = "En lärare", en = "A teacher" } },
        { id = "school_adult", text = { sv = "En annan vuxen i skolan", en = "Another adult at school" } },
        { id = "leader", text = { sv = "En tränare eller ledare", en = "A coach or leader" } },
        { id = "other", text = { sv = "Någon annan", en = "Someone else" } },
        { id = "nobody", text = { sv = "Ingen just nu", en = "Nobody right now" }, risk = 2 },
      },
    },
  },
}
