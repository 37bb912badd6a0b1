-- An example of a municipal layer: it extends the standard set, sets its
-- own name, colour and help contacts, and shows each kind of step once.
-- Everything municipal here is made up: replace the example number and
-- address with real ones before use.
return {
  extends = "standard",
  id = "example_kommun",
  name = { sv = "Exempelkommunens elevhälsa", en = "Exempelkommun student health services" },
  branding = { colors = { accent = "#7a3e8e" } },
  languages = { "sv", "en", "ar", "fa" },
  -- The layer's own texts in Arabic and Persian (machine-drafted, like the
  -- standard set's); the rest come from the standard set.
  translations = {
    ar = require "translations.ar",
    fa = require "translations.fa",
  },

  -- The municipality's own contact, after the standard set's (help_add;
  -- help = { ... } would replace them instead).
  help_add = {
    -- EXAMPLE ONLY: a made-up number and address.
    {
      name = { sv = "Elevhälsan i Exempelkommun (exempel)", en = "Student health services in Exempelkommun (example)" },
      phone = "000-000 00 00",
      url = "https://www.example.org/elevhalsa",
      text = {
        sv = "Exempel, inte ett riktigt nummer. Här kan du prata med skolsköterskan eller kuratorn på vardagar.",
        en = "Example, not a real number. Here you can talk to the school nurse or the school counsellor on weekdays.",
      },
    },
  },

  steps = {
    -- add: a local question after an existing one.
    {
      add = {
        id = "school_counsellor_known",
        type = "yesno",
        text = {
          sv = "Vet du var du kan hitta kuratorn på din skola?",
          en = "Do you know where to find the school counsellor at your school?",
        },
        options = {
          { id = "yes", text = { sv = "Ja", en = "Yes" }, resource = 1 },
          { id = "no", text = { sv = "Nej", en = "No" } },
          { id = "dont_know", text = { sv = "Vet inte", en = "Don't know" } },
        },
      },
      after = "school_adult",
    },
    -- remove: the municipality asks about wishes for free time elsewhere.
    { remove = "free_time_wish" },
    -- move: bullying others is asked together with fights.
    { move = "friends_bully_others", after = "behaviour_fights" },
    -- reword: the question text and one option's text.
    {
      reword = "school_adult",
      text = {
        sv = "Finns det en vuxen i skolan, till exempel din mentor, som hjälper dig när du behöver det?",
        en = "Is there an adult at school, for example your mentor, who helps you when you need it?",
      },
      options = {
        sometimes = { sv = "Ja, ibland", en = "Yes, sometimes" },
      },
    },
    -- rescore: three to four hours of screens a day already counts.
    {
      rescore = "free_time_screen",
      options = {
        three_four = { risk = 1 },
        five_plus = { risk = 2 },
      },
    },
  },
}
