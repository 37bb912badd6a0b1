-- Behaviour: helping others, rules, fights, sorting out conflicts, peer
-- pressure, breaking the law, police, being pressured or recruited by
-- older youths or groups.
local C = require "areas.common"

return {
  id = "behaviour",
  title = { sv = "Regler och bråk", en = "Rules and trouble" },
  questions = {
    {
      id = "behaviour_helps_others",
      type = "single",
      text = {
        sv = "Hur ofta hjälper du andra? Till exempel en kompis som är ledsen.",
        en = "How often do you help others? For example a friend who is sad.",
      },
      options = {
        { id = "often", text = { sv = "Ofta", en = "Often" }, resource = 1 },
        { id = "sometimes", text = { sv = "Ibland", en = "Sometimes" } },
        { id = "rarely", text = { sv = "Sällan", en = "Rarely" } },
      },
    },
    {
      id = "behaviour_rules",
      type = "single",
      text = {
        sv = "Hur går det för dig att följa reglerna i skolan?",
        en = "How are you doing with following the rules at school?",
      },
      options = {
        { id = "well", text = { sv = "Det går bra", en = "It goes well" }, resource = 1 },
        { id = "okay", text = { sv = "Det går okej", en = "It goes okay" } },
        { id = "hard", text = { sv = "Det är ofta svårt", en = "It is often hard" }, risk = 1 },
      },
    },
    {
      id = "behaviour_fights",
      type = "single",
      text = {
        sv = "Hur ofta har du varit med i ett slagsmål den här terminen?",
        en = "How often have you been in a fight this term?",
      },
      by_age = {
        ["6-9"] = {
          sv = "Hur ofta har du slagits med någon den här terminen?",
          en = "How often have you fought with someone this term?",
        },
      },
      options = {
        { id = "never", text = { sv = "Inte alls", en = "Not at all" } },
        { id = "once", text = { sv = "En gång", en = "Once" } },
        { id = "a_few_times", text = { sv = "Några gånger", en = "A few times" }, risk = 1 },
        { id = "many_times", text = { sv = "Många gånger", en = "Many times" }, risk = 2 },
      },
    },
    {
      id = "behaviour_sort_out",
      type = "single",
      text = {
        sv = "Om det blir bråk, finns det en vuxen som hjälper dig att reda ut det?",
        en = "If there is trouble with someone, is there an adult who helps you sort it out?",
      },
      options = C.support,
    },
    {
      id = "behaviour_peer_pressure",
      type = "single",
      text = {
        sv = "Händer det att kompisar får dig att göra saker som du egentligen inte vill?",
        en = "Do friends ever get you to do things that you don't really want to do?",
      },
      easy = {
        sv = "Händer det att kompisar vill att du ska göra något som du inte vill?",
        en = "Do friends ever want you to do something you don't want to do?",
      },
      options = {
        { id = "hardly_ever", text = { sv = "Nej, nästan aldrig", en = "No, hardly ever" } },
        { id = "sometimes", text = { sv = "Ja, ibland", en = "Yes, sometimes" } },
        { id = "often", text = { sv = "Ja, ofta", en = "Yes, often" }, risk = 1 },
      },
    },
    {
      id = "behaviour_law",
      type = "yesno",
      ages = { "10-12", "13-15", "16-18" },
      text = {
        sv = "Har du gjort något olagligt den här terminen? Till exempel snattat eller förstört saker med flit.",
        en = "Have you done something against the law this term? For example stealing from a shop or breaking things on purpose.",
      },
      easy = {
        sv = "Har du tagit saker från en affär eller förstört saker med flit den här terminen?",
        en = "This term, have you taken things from a shop or broken things on purpose?",
      },
      options = {
        { id = "yes", text = C.yes, risk = 1 },
        { id = "no", text = C.no },
        { id = "dont_know", text = C.dont_know },
      },
    },
    {
      id = "behaviour_older_pressure",
      type = "yesno",
      ages = { "10-12", "13-15", "16-18" },
      text = {
        sv = "Har någon äldre försökt få dig att göra något olagligt? Till exempel gömma, bära eller sälja saker åt dem.",
        en = "Has someone older tried to get you to do something against the law? For example hiding, carrying or selling things for them.",
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
              id = "behaviour_older_threat",
              type = "yesno",
              text = {
                sv = "Har de hotat dig?",
                en = "Have they threatened you?",
              },
              options = {
                { id = "yes", text = C.yes, risk = 3 },
                { id = "no", text = C.no },
                { id = "dont_know", text = C.dont_know },
              },
            },
          },
        },
      },
    },
    {
      id = "behaviour_friends_crime",
      type = "yesno",
      ages = { "13-15", "16-18" },
      text = {
        sv = "Har du kompisar som gör olagliga saker? Till exempel säljer droger eller stjäl.",
        en = "Do you have friends who do things against the law? For example selling drugs or stealing.",
      },
      options = {
        { id = "yes", text = C.yes, risk = 1 },
        { id = "no", text = C.no },
        { id = "dont_know", text = C.dont_know },
      },
    },
    {
      id = "behaviour_police",
      type = "yesno",
      ages = { "13-15", "16-18" },
      text = {
        sv = "Har polisen pratat med dig för att de trodde att du hade gjort något olagligt, det senaste året?",
        en = "In the last year, have the police talked to you because they thought you had done something against the law?",
      },
      options = {
        { id = "yes", text = C.yes, risk = 2 },
        { id = "no", text = C.no },
        { id = "dont_know", text = C.dont_know },
      },
    },
  },
}
