-- Answer options that several questions of the standard set share: plain
-- data.  The loader copies every option it reads, so sharing these tables
-- between questions is safe.  Scales run the same way everywhere: the good
-- end first (the youngest children must never meet a scale turned round).
local C = {}

C.yes = { sv = "Ja", en = "Yes" }
C.no = { sv = "Nej", en = "No" }
C.dont_know = { sv = "Vet inte", en = "Don't know" }

-- The face scales, with the built-in texts and faces, and weights.
C.faces5 = {
  { id = "very_good", face = "very_good", text = { sv = "Mycket bra", en = "Very good" }, resource = 2 },
  { id = "good", face = "good", text = { sv = "Bra", en = "Good" }, resource = 1 },
  { id = "ok", face = "ok", text = { sv = "Okej", en = "Okay" } },
  { id = "bad", face = "bad", text = { sv = "Dåligt", en = "Bad" }, risk = 1 },
  { id = "very_bad", face = "very_bad", text = { sv = "Mycket dåligt", en = "Very bad" }, risk = 2 },
}

C.faces3 = {
  { id = "good", face = "good", text = { sv = "Bra", en = "Good" }, resource = 1 },
  { id = "ok", face = "ok", text = { sv = "Okej", en = "Okay" } },
  { id = "bad", face = "bad", text = { sv = "Dåligt", en = "Bad" }, risk = 1 },
}

-- "Do you feel safe ...?"
C.safe = {
  { id = "yes", text = { sv = "Ja, alltid", en = "Yes, always" }, resource = 1 },
  { id = "mostly", text = { sv = "Oftast", en = "Most of the time" } },
  { id = "sometimes", text = { sv = "Ibland", en = "Sometimes" }, risk = 1 },
  { id = "no", text = { sv = "Nej, nästan aldrig", en = "No, hardly ever" }, risk = 2 },
}

-- "Is there someone who ...?"
C.support = {
  { id = "yes", text = { sv = "Ja", en = "Yes" }, resource = 2 },
  { id = "sometimes", text = { sv = "Ibland", en = "Sometimes" }, resource = 1 },
  { id = "no", text = { sv = "Nej", en = "No" }, risk = 1 },
}

-- "How often do you feel ...?" for a hard feeling.
C.how_often = {
  { id = "hardly_ever", text = { sv = "Nästan aldrig", en = "Hardly ever" } },
  { id = "sometimes", text = { sv = "Ibland", en = "Sometimes" } },
  { id = "often", text = { sv = "Ofta", en = "Often" }, risk = 1 },
  { id = "almost_always", text = { sv = "Nästan hela tiden", en = "Almost all the time" }, risk = 2 },
}

return C
