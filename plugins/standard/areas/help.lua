-- Help: what the child wants help with (a list and their own words), whom
-- they would like to talk to, and whether soon.
return {
  id = "help",
  title = { sv = "Hjälp", en = "Help" },
  questions = {
    {
      id = "help_wanted",
      type = "multi",
      role = "help_wanted",
      text = {
        sv = "Vill du ha hjälp med något?",
        en = "Would you like help with something?",
      },
      options = {
        { id = "home", text = { sv = "Något hemma", en = "Something at home" } },
        { id = "friends", text = { sv = "Kompisar", en = "Friends" } },
        { id = "bullying", text = { sv = "Att någon är elak mot mig", en = "Someone being mean to me" } },
        { id = "schoolwork", text = { sv = "Skolarbetet", en = "Schoolwork" } },
        { id = "feelings", text = { sv = "Mina känslor", en = "My feelings" } },
        { id = "body", text = { sv = "Min kropp, sömn eller mat", en = "My body, sleep or food" } },
        { id = "safety", text = { sv = "Att känna mig trygg", en = "Feeling safe" } },
        { id = "free_time", text = { sv = "Fritiden", en = "Free time" } },
        { id = "other", text = { sv = "Något annat", en = "Something else" } },
        -- none: the closing page says "you do not want help right now" in
        -- a sentence instead of listing this option.
        { id = "nothing", none = true, text = { sv = "Nej, inget just nu", en = "No, nothing right now" } },
      },
    },
    {
      id = "help_own_words",
      type = "text",
      max = 1500,
      text = {
        sv = "Vill du berätta något mer med dina egna ord?",
        en = "Would you like to say anything more in your own words?",
      },
      hint = {
        sv = "Till exempel vad du vill ha hjälp med. Du kan också hoppa över.",
        en = "For example what you would like help with. You can also skip this.",
      },
    },
    {
      id = "help_talk_to",
      type = "multi",
      role = "talk_to",
      text = {
        sv = "Vem skulle du vilja prata med?",
        en = "Who would you like to talk to?",
      },
      options = {
        { id = "teacher", text = { sv = "En lärare", en = "A teacher" } },
        { id = "counsellor", text = { sv = "Kuratorn", en = "The school counsellor" } },
        { id = "nurse", text = { sv = "Skolsköterskan", en = "The school nurse" } },
        { id = "parent", text = { sv = "Mamma, pappa eller en annan vuxen hemma", en = "Mum, dad or another adult at home" } },
        { id = "someone_else", text = { sv = "Någon annan", en = "Someone else" } },
        { id = "nobody", none = true, text = { sv = "Ingen just nu", en = "Nobody right now" } },
      },
      followups = {
        {
          when = { equals = "someone_else" },
          questions = {
            {
              id = "help_talk_to_who",
              type = "text",
              max = 200,
              text = {
                sv = "Vem vill du prata med?",
                en = "Who would you like to talk to?",
              },
            },
          },
        },
        {
          when = { ["not"] = { equals = "nobody" } },
          questions = {
            {
              id = "help_talk_soon",
              type = "single",
              text = {
                sv = "Vill du prata med någon snart?",
                en = "Would you like to talk to someone soon?",
              },
              options = {
                { id = "soon", text = { sv = "Ja, så snart som möjligt", en = "Yes, as soon as possible" } },
                { id = "not_urgent", text = { sv = "Ja, men det är inte bråttom", en = "Yes, but it is not urgent" } },
                { id = "not_now", text = { sv = "Nej, inte just nu", en = "No, not right now" } },
              },
            },
          },
        },
      },
    },
    {
      id = "help_how_was_it",
      type = "faces",
      steps = 3,
      text = {
        sv = "Hur kändes det att svara på frågorna?",
        en = "How did it feel to answer the questions?",
      },
    },
  },
}
