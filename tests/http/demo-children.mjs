// demo-children.mjs: the demo's children, made by `./dev run` through the
// running stack as a professional and the children would: the demo
// professional invites three children on the web, and each child logs in
// with the slip's code and answers the standard set, so the summaries, the
// alert and the comparison a newcomer opens are real.
//   Elin: answers in Swedish; school is hard, wants help with schoolwork.
//   Yasmin: answers in Arabic, with her own words; an adult at home has
//     hurt her: an alert for the professional.
//   Sam: two rounds, before and after help against bullying.
// Run only against the demo tenant (its staff have fixed passwords and a
// fixed TOTP seed, which no other tenant allows).  Does nothing when the
// children are there already.
//
//   node tests/http/demo-children.mjs http://127.0.0.1:8080 LOGIN PASSWORD SEED [--bench]
// With --bench (bench/run) it prints one line: the professional's session
// cookie and the id of Elin's round, whose summary the benchmark reads.
import { Client, csrfOf } from './stack.mjs';
import { stepNow, totpAt } from './staff.mjs';
import { middle, walk } from './walk.mjs';

const [base, login, password, seed, flag] = process.argv.slice(2);
if (!seed) {
  process.stderr.write('usage: demo-children.mjs BASE LOGIN PASSWORD SEED\n');
  process.exit(2);
}
const stack = { base };
const SECRET = 'demo hemlis';

const ELIN = {
  home_live_with: ['mum', 'dad', 'siblings'], home_siblings: 'good', home_homes: 'one',
  home_feel: 'good', home_safe: 'yes', home_welcome: 'yes', home_adult_talk: 'yes',
  home_arguments: 'sometimes', home_worry_adult: 'no', home_food: 'always', home_chores: 'sometimes',
  friends_have: 'several', friends_feel: 'good', friends_trust: 'yes', friends_break: 'always',
  friends_lonely: 'sometimes', friends_belong: 'yes', friends_left_out: 'hardly_ever',
  friends_bullied: 'no', friends_bully_others: 'no',
  school_like: 'bad', school_adult: 'sometimes', school_work: 'very_hard',
  school_hard: ['maths', 'focus', 'noise'], school_support: 'no', school_absent: 'a_few',
  school_absent_why: ['tired', 'worried'], school_safe: 'yes', school_way: 'yes',
  school_best: 'Slöjden och rasterna med Nora.',
  free_time_feel: 'good', free_time_do: ['sport', 'friends', 'music'], free_time_club: 'yes',
  health_feel: 'ok', health_sleep: 'bad', health_sleep_nights: '2', health_sleep_why: ['worries', 'screens'],
  health_tired: 'often', feelings_mood: 'ok', feelings_worry: 'often', feelings_worry_what: ['school', 'future'],
  feelings_stress: 'often', feelings_self: 'sometimes', feelings_life_meaningless: 'no',
  feelings_selfharm_thoughts: 'no', future_proud: 'yes', future_proud_what: 'Att jag lärde mig spela gitarr.',
  help_wanted: ['schoolwork', 'feelings'], help_own_words: 'Jag vill ha hjälp med matten och med att sova bättre.',
  help_talk_to: ['counsellor', 'parent'], help_talk_soon: 'soon', help_how_was_it: 'good',
};

const YASMIN = {
  home_live_with: ['mum', 'step_parent'], home_homes: 'one', home_feel: 'bad',
  home_feel_more: 'زوج أمي يصرخ كثيرًا وأحيانًا يضربني. أنا خائفة عندما يعود إلى البيت.',
  home_safe: 'sometimes', home_unsafe_what: ['angry_adult', 'adult_hurts'], home_welcome: 'sometimes',
  home_adult_talk: 'no', home_arguments: 'often', home_arguments_who: ['adults', 'adult_and_me'],
  friends_have: 'one', friends_feel: 'good', friends_trust: 'yes',
  school_like: 'good', school_adult: 'yes', school_work: 'okay', school_safe: 'yes',
  school_best: 'أحب حصة الرسم ومعلمتي.',
  safety_afraid_home: 'often', safety_hurt_adult: 'yes', safety_hurt_adult_when: 'last_week',
  safety_can_tell: 'yes', feelings_mood: 'bad', feelings_sad: 'often', feelings_life_meaningless: 'no',
  feelings_selfharm_thoughts: 'no', future_trust: ['teacher', 'school_adult'],
  help_wanted: ['home', 'safety'], help_own_words: 'أريد أن يساعد أحدٌ أمي. لا أريد أن يعرف زوج أمي أنني قلت هذا.',
  help_talk_to: ['counsellor'], help_talk_soon: 'soon', help_how_was_it: 'ok',
};

const SAM_BEFORE = {
  home_feel: 'good', home_safe: 'yes', friends_have: 'none', friends_lonely: 'often',
  friends_belong: 'no', friends_left_out: 'often', friends_bullied: 'yes',
  friends_bullied_where: ['breaks', 'online'], friends_bullied_often: 'every_week',
  friends_bullied_adult_knows: 'no', school_like: 'bad', school_safe: 'sometimes',
  school_unsafe_where: ['schoolyard', 'corridors'], school_absent: 'many', school_absent_why: ['someone_mean'],
  feelings_mood: 'bad', feelings_sad: 'often', feelings_self: 'rarely', feelings_life_meaningless: 'no',
  feelings_selfharm_thoughts: 'no', help_wanted: ['bullying'], help_own_words: 'De tar min mobil och skriver elaka saker.',
  help_talk_to: ['teacher'], help_talk_soon: 'soon',
};

const SAM_AFTER = {
  ...SAM_BEFORE,
  friends_have: 'one', friends_feel: 'good', friends_lonely: 'sometimes', friends_belong: 'sometimes',
  friends_left_out: 'sometimes', friends_bullied: 'no', school_like: 'ok', school_safe: 'mostly',
  school_absent: 'a_few', school_absent_why: ['ill'], feelings_mood: 'ok', feelings_sad: 'sometimes',
  feelings_self: 'sometimes', help_wanted: ['nothing'], help_own_words: 'Det är bättre nu. Vi har en vuxen ute på rasterna.',
  help_talk_to: ['teacher'], help_talk_soon: 'not_urgent',
};

function check(r, status, what) {
  if (r.status !== status) throw new Error(`${what}: ${r.status}, not ${status}`);
  return r;
}

// The demo professional, logged in (a TOTP step used already waits for the
// next one).
async function professional() {
  const pro = new Client(stack);
  const page = await pro.get('/staff/');
  check(await pro.post('/staff/login', { csrf: csrfOf(page.text), login, password }), 303, 'password');
  for (let tries = 0; tries < 3; tries++) {
    const f = await pro.get('/staff/factor');
    const r = await pro.post('/staff/factor', { csrf: csrfOf(f.text), code: totpAt(seed, stepNow()) });
    if (r.status === 303 && r.location === '/staff/') return pro;
    await new Promise((ok) => setTimeout(ok, 31000 - (Date.now() % 30000)));
  }
  throw new Error('the demo professional cannot log in');
}

// Invites a child (or, with round, a new round of the child of that
// round) and returns the code from the slip on the start page.
async function invite(pro, fields, round) {
  const home = await pro.get('/staff/');
  if (round) {
    check(await pro.post('/staff/child/round', { csrf: csrfOf(home.text), id: round }), 303, 'new round');
  } else {
    const unit = /<select id="unit"[^>]*><option value="(\d+)"/.exec(home.text)?.[1];
    check(await pro.post('/staff/invite', { csrf: csrfOf(home.text), unit, ...fields }), 303, 'invite');
  }
  const slip = await pro.get('/staff/');
  const code = /class="slip-code"[^>]*>([^<]+)</.exec(slip.text)?.[1];
  if (!code) throw new Error('no slip after the invitation');
  return code;
}

async function answer(code, answers) {
  const c = new Client(stack);
  check(await c.login(code, SECRET), 303, 'child login');
  await walk(c, answers, { pick: middle });
  check(await c.get('/thanks'), 200, 'closing page');
}

// The round id of the child called label on the start page.
async function roundOf(pro, label) {
  const home = await pro.get('/staff/');
  const m = new RegExp(`href="/staff/child\\?id=(\\d+)">${label}<`).exec(home.text);
  return m?.[1];
}

const pro = await professional();
if (await roundOf(pro, 'Elin')) {
  if (flag !== '--bench') process.stdout.write('the demo children are there already\n');
}
else {
  await answer(await invite(pro, { label: 'Elin', age: '13-15', lang: 'sv' }), ELIN);
  await answer(await invite(pro, { label: 'Yasmin', age: '10-12', lang: 'ar' }), YASMIN);
  await answer(await invite(pro, { label: 'Sam', age: '13-15', lang: 'sv' }), SAM_BEFORE);
  await answer(await invite(pro, {}, await roundOf(pro, 'Sam')), SAM_AFTER);
  if (flag !== '--bench') process.stdout.write('made the demo children Elin, Yasmin (an alert) and Sam (two rounds)\n');
}
if (flag === '--bench') {
  process.stdout.write(`${pro.cookie('beratta_staff')} ${await roundOf(pro, 'Elin')}\n`);
}
