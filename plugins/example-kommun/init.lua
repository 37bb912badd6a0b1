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

  -- A layer's help list replaces the standard one, so the standard
  -- contacts are repeated here before the municipality's own.
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
