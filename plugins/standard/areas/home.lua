-- Home and family: who the child lives with, feeling safe and welcome,
-- adults who listen, arguments, worries about an adult, food, chores.
local C = require "areas.common"

return {
  id = "home",
  title = { sv = "Hemma", en = "Home" },
  questions = {
    {
      id = "home_live_with",
      type = "multi",
      text = {
        sv = "Vilka bor du med?",
        en = "Who do you live with?",
      },
      hint = {
        sv = "Om du bor i flera hem kan du välja alla som du bor med.",
        en = "If you live in more than one home, you can choose everyone you live with.",
      },
      options = {
        { id = "mum", text = { sv = "Mamma", en = "Mum" } },
        { id = "dad", text = { sv = "Pappa", en = "Dad" } },
        { id = "step_parent", text = { sv = "Bonusmamma eller bonuspappa", en = "Stepmum or stepdad" } },
        { id = "siblings", text = { sv = "Syskon", en = "Brothers or sisters" } },
        { id = "grandparents", text = { sv = "Mormor, morfar, farmor eller farfar", en = "Grandma or grandpa" } },
        { id = "foster_parents", text = { sv = "Familjehemsföräldrar", en = "Foster parents" } },
        { id = "staff", text = { sv = "Personal på ett boende", en = "Staff at a group home" } },
        { id = "someone_else", text = { sv = "Någon annan", en = "Someone else" } },
      },
      followups = {
        {
          when = { equals = "siblings" },
          questions = {
            {
              id = "home_siblings",
              type = "faces",
              steps = 3,
              text = {
                sv = "Hur har du det med dina syskon?",
                en = "How are things with your brothers or sisters?",
              },
              options = C.faces3,
            },
          },
        },
      },
    },
    {
      id = "home_homes",
      type = "single",
      text = {
        sv = "Har du ett hem eller flera hem?",
        en = "Do you have one home or more than one?",
      },
      hint = {
        sv = "Till exempel om du bor ibland hos mamma och ibland hos pappa.",
        en = "For example, if you live some of the time with your mum and some of the time with your dad.",
      },
      options = {
        { id = "one", text = { sv = "Ett hem", en = "One home" } },
        { id = "two_or_more", text = { sv = "Två hem eller fler", en = "Two homes or more" } },
      },
      followups = {
        {
          when = { equals = "two_or_more" },
          questions = {
            {
              id = "home_homes_feel",
              type = "faces",
              steps = 3,
              text = {
                sv = "Hur känns det att bo i flera hem?",
                en = "How does it feel to live in more than one home?",
              },
              options = C.faces3,
            },
          },
        },
      },
    },
    {
      id = "home_feel",
      type = "faces",
      steps = 5,
      text = {
        sv = "Hur har du det hemma just nu?",
        en = "How are things at home right now?",
      },
      options = C.faces5,
      followups = {
        {
          when = { any_of = { "very_good", "good" } },
          questions = {
            {
              id = "home_best",
              type = "text",
              max = 500,
              text = {
                sv = "Vad är det bästa med att vara hemma?",
                en = "What is the best thing about being at home?",
              },
              hint = {
                sv = "Du kan skriva lite eller mycket. Du kan också hoppa över.",
                en = "You can write a little or a lot. You can also skip this.",
              },
            },
          },
        },
        {
          when = { any_of = { "bad", "very_bad" } },
          questions = {
            {
              id = "home_feel_more",
              type = "text",
              max = 1000,
              text = {
                sv = "Vill du berätta mer om hur det är hemma?",
                en = "Would you like to tell more about how it is at home?",
              },
              hint = {
                sv = "Du kan skriva lite eller mycket. Du kan också hoppa över.",
                en = "You can write a little or a lot. You can also skip this.",
              },
            },
          },
        },
      },
    },
    {
      id = "home_safe",
      type = "single",
      text = {
        sv = "Känner du dig trygg hemma?",
        en = "Do you feel safe at home?",
      },
      hint = {
        sv = "Trygg betyder att du inte behöver vara rädd.",
        en = "Safe means that you don't need to be afraid.",
      },
      options = C.safe,
      followups = {
        {
          when = { any_of = { "sometimes", "no" } },
          questions = {
            {
              id = "home_unsafe_what",
              type = "multi",
              text = {
                sv = "Vad gör att det känns otryggt hemma?",
                en = "What makes home feel unsafe?",
              },
              options = {
                { id = "arguing", text = { sv = "Vuxna bråkar eller skriker", en = "Adults argue or shout" }, risk = 1 },
                { id = "angry_adult", text = { sv = "En vuxen blir ofta arg", en = "An adult often gets angry" }, risk = 1 },
                { id = "adult_hurts", text = { sv = "En vuxen gör mig illa", en = "An adult hurts me" }, risk = 3 },
                { id = "drinking", text = { sv = "Någon dricker för mycket alkohol", en = "Someone drinks too much alcohol" }, risk = 1 },
                { id = "alone", text = { sv = "Jag är ofta ensam hemma", en = "I am often home alone" }, risk = 1 },
                { id = "sibling", text = { sv = "Ett syskon är elakt mot mig", en = "A brother or sister is mean to me" }, risk = 1 },
                { id = "worried", text = { sv = "Jag är orolig för någon i familjen", en = "I am worried about someone in my family" } },
                { id = "other", text = { sv = "Något annat", en = "Something else" } },
              },
            },
          },
        },
      },
    },
    {
      id = "home_welcome",
      type = "single",
      text = {
        sv = "Känner du dig välkommen hemma?",
        en = "Do you feel welcome at home?",
      },
      easy = {
        sv = "Känns det bra att komma hem?",
        en = "Does it feel good to come home?",
      },
      options = {
        { id = "yes", text = C.yes, resource = 1 },
        { id = "sometimes", text = { sv = "Ibland", en = "Sometimes" } },
        { id = "no", text = C.no, risk = 2 },
      },
    },
    {
      id = "home_adult_talk",
      type = "single",
      text = {
        sv = "Finns det en vuxen hemma som du kan prata med när något är svårt?",
        en = "Is there an adult at home you can talk to when something is hard?",
      },
      easy = {
        sv = "Finns det en vuxen hemma som lyssnar på dig när du är ledsen?",
        en = "Is there an adult at home who listens to you when you are sad?",
      },
      options = C.support,
    },
    {
      id = "home_arguments",
      type = "single",
      text = {
        sv = "Hur ofta blir det bråk hemma? Tänk på den senaste månaden.",
        en = "How often is there arguing at home? Think about the last month.",
      },
      easy = {
        sv = "Hur ofta bråkar eller skriker någon hemma?",
        en = "How often does someone at home argue or shout?",
      },
      options = {
        { id = "hardly_ever", text = { sv = "Nästan aldrig", en = "Hardly ever" } },
        { id = "sometimes", text = { sv = "Ibland", en = "Sometimes" } },
        { id = "often", text = { sv = "Ofta", en = "Often" }, risk = 1 },
        { id = "every_day", text = { sv = "Nästan varje dag", en = "Almost every day" }, risk = 2 },
      },
      followups = {
        {
          when = { any_of = { "often", "every_day" } },
          questions = {
            {
              id = "home_arguments_who",
              type = "multi",
              text = {
                sv = "Vilka bråkar?",
                en = "Who argues?",
              },
              options = {
                { id = "adults", text = { sv = "Vuxna med varandra", en = "Adults with each other" }, risk = 1 },
                { id = "adult_and_me", text = { sv = "En vuxen och jag", en = "An adult and me" }, risk = 1 },
                { id = "siblings", text = { sv = "Syskon", en = "Brothers or sisters" } },
                { id = "someone_else", text = { sv = "Någon annan", en = "Someone else" } },
              },
            },
          },
        },
      },
    },
    {
      id = "home_worry_adult",
      type = "yesno",
      text = {
        sv = "Är du orolig för någon av de vuxna i din familj?",
        en = "Are you worried about any of the adults in your family?",
      },
      easy = {
        sv = "Är du orolig för mamma, pappa eller en annan vuxen hemma?",
        en = "Are you worried about mum, dad or another adult at home?",
      },
      options = {
        { id = "yes", text = C.yes, risk = 1 },
        { id = "no", text = C.no },
        { id = "dont_know", text = C.dont_know },
      },
      followups = {
        {
          when = { equals = "yes" },
          questions = {
            {
              id = "home_worry_what",
              type = "multi",
              text = {
                sv = "Vad är du orolig för?",
                en = "What are you worried about?",
              },
              options = {
                { id = "ill", text = { sv = "Någon är sjuk", en = "Someone is ill" } },
                { id = "sad", text = { sv = "Någon är ofta ledsen eller trött", en = "Someone is often sad or tired" } },
                { id = "alcohol", text = { sv = "Någon dricker för mycket alkohol", en = "Someone drinks too much alcohol" }, risk = 1 },
                { id = "drugs", text = { sv = "Någon tar droger", en = "Someone takes drugs" }, risk = 1 },
                { id = "money", text = { sv = "Pengarna räcker inte", en = "There is not enough money" }, risk = 1 },
                { id = "other", text = { sv = "Något annat", en = "Something else" } },
              },
            },
          },
        },
      },
    },
    {
      id = "home_food",
      type = "single",
      text = {
        sv = "Finns det mat hemma när du är hungrig?",
        en = "Is there food at home when you are hungry?",
      },
      options = {
        { id = "always", text = { sv = "Ja, alltid", en = "Yes, always" } },
        { id = "mostly", text = { sv = "Oftast", en = "Most of the time" }, risk = 1 },
        { id = "not_always", text = { sv = "Nej, inte alltid", en = "No, not always" }, risk = 2 },
      },
    },
    {
      id = "home_chores",
      type = "single",
      text = {
        sv = "Behöver du ta hand om saker hemma som vuxna brukar göra? Till exempel passa syskon, laga mat eller handla.",
        en = "Do you have to take care of things at home that adults usually do? For example looking after brothers or sisters, cooking or shopping.",
      },
      easy = {
        sv = "Måste du göra vuxensaker hemma? Till exempel passa syskon eller laga mat.",
        en = "Do you have to do grown-up jobs at home? For example look after brothers or sisters, or cook.",
      },
      options = {
        { id = "hardly_ever", text = { sv = "Nej, nästan aldrig", en = "No, hardly ever" } },
        { id = "sometimes", text = { sv = "Ja, ibland", en = "Yes, sometimes" } },
        { id = "often", text = { sv = "Ja, ofta", en = "Yes, often" }, risk = 1 },
      },
    },
  },
}
