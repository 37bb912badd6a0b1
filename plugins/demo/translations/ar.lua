-- Arabic texts of the demo set (machine-drafted: to be reviewed by a
-- fluent speaker before use).
return {
  ["area.home"] = "في البيت",
  ["area.friends"] = "الأصدقاء",
  ["home_feel"] = "كيف حالك في البيت الآن؟",
  ["home_feel.very_good"] = "جيد جدًا",
  ["home_feel.good"] = "جيد",
  ["home_feel.ok"] = "لا بأس",
  ["home_feel.bad"] = "سيئ",
  ["home_feel.very_bad"] = "سيئ جدًا",
  ["home_worry"] = "هل تحب أن تحكي أكثر عن الحال في البيت؟",
  ["home_worry.hint"] = "يمكنك أن تكتب كثيرًا أو قليلًا كما تحب.",
  ["home_adult"] = "هل يوجد في البيت شخص كبير يستمع إليك؟",
  ["home_adult.yes"] = "نعم",
  ["home_adult.no"] = "لا",
  ["home_adult.dont_know"] = "لا أعرف",
  ["friends_break"] = "هل لديك من تكون معه في الاستراحة؟",
  ["friends_break.always"] = "نعم، في أغلب الأوقات",
  ["friends_break.sometimes"] = "أحيانًا",
  ["friends_break.rarely"] = "نادرًا أو أبدًا",
}
