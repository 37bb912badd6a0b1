-- Free time: activities, sport and culture, being outside, screens and
-- games, being bored, missing out because of money.
local C = require "areas.common"

local FROM_10 = { "10-12", "13-15", "16-18" }

return {
  id = "free_time",
  title = { sv = "Fritiden", en = "Free time" },
  questions = {
    {
      id = "free_time_feel",
      type = "faces",
      steps = 5,
      text = {
        sv = "Hur har du det på fritiden?",
        en = "How are things in your free time?",
      },
      hint = {
        sv = "Fritiden är tiden när du inte är i skolan.",
        en = "Free time is the time when you are not at school.",
      },
      options = C.faces5,
    },
    {
      id = "free_time_do",
      type = "multi",
      text = {
        sv = "Vad brukar du göra på fritiden?",
        en = "What do you usually do in your free time?",
      },
      options = {
        { id = "sport", text = { sv = "Idrottar eller tränar", en = "Doing sport or exercise" } },
        { id = "friends", text = { sv = "Träffar kompisar", en = "Seeing friends" } },
        { id = "music", text = { sv = "Spelar musik, sjunger eller dansar", en = "Playing music, singing or dancing" } },
        { id = "create", text = { sv = "Ritar, målar eller bygger saker", en = "Drawing, painting or building things" } },
        { id = "reading", text = { sv = "Läser", en = "Reading" } },
        { id = "games", text = { sv = "Spelar spel", en = "Playing games" } },
        { id = "videos", text = { sv = "Tittar på film eller videor", en = "Watching films or videos" } },
        { id = "youth_centre", text = { sv = "Går till fritidsgården", en = "Going to the youth centre" } },
        { id = "family", text = { sv = "Gör saker med familjen", en = "Doing things with my family" } },
        { id = "other", text = { sv = "Något annat", en = "Something else" } },
      },
    },
    {
      id = "free_time_club",
      type = "yesno",
      text = {
        sv = "Är du med i en förening eller en grupp med en ledare? Till exempel idrott, musik eller scouter.",
        en = "Are you in a club or a group with a leader? For example sport, music or scouts.",
      },
      easy = {
        sv = "Går du på någon aktivitet med en ledare? Till exempel fotboll, dans eller scouter.",
        en = "Do you go to an activity with a leader? For example football, dance or scouts.",
      },
      options = {
        { id = "yes", text = C.yes, resource = 1 },
        { id = "no", text = C.no },
        { id = "dont_know", text = C.dont_know },
      },
    },
    {
      id = "free_time_outside",
      type = "single",
      text = {
        sv = "Hur ofta är du ute på fritiden?",
        en = "How often are you outdoors in your free time?",
      },
      options = {
        { id = "almost_every_day", text = { sv = "Nästan varje dag", en = "Almost every day" }, resource = 1 },
        { id = "some_days", text = { sv = "Några dagar i veckan", en = "A few days a week" } },
        { id = "rarely", text = { sv = "Sällan", en = "Rarely" } },
      },
    },
    {
      id = "free_time_screen",
      type = "single",
      text = {
        sv = "Hur länge är du vid en skärm på fritiden en vanlig dag? Till exempel mobil, dator, surfplatta eller tv.",
        en = "How long are you in front of a screen in your free time on a normal day? For example a phone, computer, tablet or TV.",
      },
      by_age = {
        ["6-9"] = {
          sv = "Hur länge tittar du på skärm eller spelar spel en vanlig dag?",
          en = "How long do you look at screens or play games on a normal day?",
        },
      },
      options = {
        { id = "under_one", text = { sv = "Mindre än 1 timme", en = "Less than 1 hour" } },
        { id = "one_two", text = { sv = "1–2 timmar", en = "1–2 hours" } },
        { id = "three_four", text = { sv = "3–4 timmar", en = "3–4 hours" } },
        { id = "five_plus", text = { sv = "5 timmar eller mer", en = "5 hours or more" }, risk = 1 },
      },
    },
    {
      id = "free_time_screen_much",
      ages = FROM_10,
      type = "single",
      text = {
        sv = "Tycker du själv att du är för mycket vid skärmen?",
        en = "Do you think you spend too much time on screens?",
      },
      options = {
        { id = "no", text = C.no },
        { id = "sometimes", text = { sv = "Ibland", en = "Sometimes" } },
        { id = "yes", text = C.yes, risk = 1 },
      },
    },
    {
      id = "free_time_bored",
      type = "single",
      text = {
        sv = "Hur ofta har du tråkigt på fritiden?",
        en = "How often are you bored in your free time?",
      },
      options = {
        { id = "hardly_ever", text = { sv = "Nästan aldrig", en = "Hardly ever" } },
        { id = "sometimes", text = { sv = "Ibland", en = "Sometimes" } },
        { id = "often", text = { sv = "Ofta", en = "Often" }, risk = 1 },
      },
    },
    {
      id = "free_time_money",
      type = "single",
      text = {
        sv = "Händer det att du missar något roligt för att det kostar för mycket pengar?",
        en = "Do you ever miss out on something fun because it costs too much money?",
      },
      options = {
        { id = "hardly_ever", text = { sv = "Nej, nästan aldrig", en = "No, hardly ever" } },
        { id = "sometimes", text = { sv = "Ja, ibland", en = "Yes, sometimes" }, risk = 1 },
        { id = "often", text = { sv = "Ja, ofta", en = "Yes, often" }, risk = 2 },
      },
    },
    {
      id = "free_time_wish",
      ages = FROM_10,
      type = "text",
      max = 500,
      text = {
        sv = "Vad skulle du vilja göra mer av på fritiden?",
        en = "What would you like to do more of in your free time?",
      },
    },
  },
}
