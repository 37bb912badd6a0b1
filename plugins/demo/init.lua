-- A small question set: three questions and one follow-up, enough to try
-- the whole path quickly; the tests use it.  The complete default set is
-- plugins/standard.
return {
  id = "demo",
  language = "sv",
  languages = { "sv", "en", "ar", "fa" },
  translation_status = { sv = "machine", en = "machine", ar = "machine", fa = "machine" },
  translations = {
    ar = require "translations.ar",
    fa = require "translations.fa",
  },
  areas = {
    {
      id = "home",
      title = { sv = "Hemma", en = "Home" },
      questions = {
        {
          id = "home_feel",
          type = "faces",
          steps = 5,
          text = {
            sv = "Hur har du det hemma just nu?",
            en = "How are things at home right now?",
          },
          followups = {
            {
              when = { any_of = { "bad", "very_bad" } },
              questions = {
                {
                  id = "home_worry",
                  type = "text",
                  max = 1000,
                  text = {
                    sv = "Vill du berätta mer om hur det är hemma?",
                    en = "Would you like to tell more about how it is at home?",
                  },
                  hint = {
                    sv = "Du kan skriva så mycket eller lite du vill.",
                    en = "You can write as much or as little as you like.",
                  },
                },
              },
            },
          },
        },
        {
          id = "home_adult",
          type = "yesno",
          text = {
            sv = "Finns det en vuxen hemma som lyssnar på dig?",
            en = "Is there an adult at home who listens to you?",
          },
        },
      },
    },
    {
      id = "friends",
      title = { sv = "Kompisar", en = "Friends" },
      questions = {
        {
          id = "friends_break",
          type = "single",
          text = {
            sv = "Har du någon att vara med på rasterna?",
            en = "Do you have someone to be with at break time?",
          },
          options = {
            { id = "always", text = { sv = "Ja, nästan alltid", en = "Yes, almost always" } },
            { id = "sometimes", text = { sv = "Ibland", en = "Sometimes" } },
            { id = "rarely", text = { sv = "Sällan eller aldrig", en = "Rarely or never" } },
          },
        },
      },
    },
  },
}
