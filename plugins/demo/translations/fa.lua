-- Persian texts of the demo set (machine-drafted: to be reviewed by a
-- fluent speaker before use).
return {
  ["area.home"] = "خانه",
  ["area.friends"] = "دوستان",
  ["home_feel"] = "الان در خانه حالت چطور است؟",
  ["home_feel.very_good"] = "خیلی خوب",
  ["home_feel.good"] = "خوب",
  ["home_feel.ok"] = "معمولی",
  ["home_feel.bad"] = "بد",
  ["home_feel.very_bad"] = "خیلی بد",
  ["home_worry"] = "دوست داری بیشتر بگویی که در خانه چطور است؟",
  ["home_worry.hint"] = "هر قدر که دوست داری، کم یا زیاد، بنویس.",
  ["home_adult"] = "آیا در خانه یک بزرگسال هست که به حرف‌هایت گوش بدهد؟",
  ["home_adult.yes"] = "بله",
  ["home_adult.no"] = "نه",
  ["home_adult.dont_know"] = "نمی‌دانم",
  ["friends_break"] = "آیا در زنگ تفریح کسی را داری که با او باشی؟",
  ["friends_break.always"] = "بله، تقریباً همیشه",
  ["friends_break.sometimes"] = "گاهی",
  ["friends_break.rarely"] = "به‌ندرت یا هیچ‌وقت",
}
