// What a child and a newcomer met on a first visit to the standard set
// (the issue "tried as a new user would"), each through the real stack:
// an information page declined, the care page after an alert saying
// things twice, the closing page when the child wants no help, "I don't
// understand the question" answered with easier words, Persian digits in
// running text, and the icon every browser asks for.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { start, child, questionOf, BUILD } from './stack.mjs';

let s;
let n = 0;

before(async () => {
  s = await start({
    workers: 1,
    threads: 2,
    prepare(st) {
      const conf = fs.readFileSync(st.conf, 'utf8');
      const edited = conf.replace(/plugin = "[a-z_-]+"/, 'plugin = "standard"');
      assert.notEqual(edited, conf, 'the tenant serves the standard set');
      fs.writeFileSync(st.conf, edited);
    },
  });
});

after(async () => {
  if (s) await s.stop();
});

// A child logged in at the first question, in lang (chosen in the menu);
// age: an age band for the invitation.
async function fresh(lang, age) {
  const label = `newcomer-${++n}`;
  const args = ['-c', s.conf, 'invite', '-l', label];
  if (age) args.push('-a', age);
  args.push('demo');
  const code = execFileSync(path.join(BUILD, 'beratta'), args, { encoding: 'utf8' }).trim();
  const c = child(s);
  assert.equal((await c.login(code)).status, 303, 'login');
  assert.equal((await c.page()).status, 200);
  if (lang) {
    const r = await c.post('/language', { csrf: c.csrf, lang, next: '/q' });
    assert.equal(r.status, 303);
    assert.match((await c.page()).text, new RegExp(`<html dir="[a-z]+" lang="${lang}">`));
  }
  return { c, label, code };
}

// The child's current answers as [question, value] pairs, in order.
function stored(label) {
  return s.rows(`SELECT a.question, a.value FROM answers a
    JOIN responses r ON r.id = a.response_id JOIN invitations i ON i.id = r.invitation_id
    WHERE i.label = '${label}' AND a.replaced_at IS NULL ORDER BY a.id;`)
    .map((row) => [row.question, row.value]);
}

// The round talked through: the closing page shows without every answer.
function lock(code) {
  execFileSync(path.join(BUILD, 'beratta'), ['-c', s.conf, 'lock', 'demo', code],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

// The text a reader sees of some HTML: tags out, entities read, spaces
// collapsed.
function visible(html) {
  return html.replace(/<[^>]*>/g, ' ').replace(/&(amp|lt|gt|quot|#39);/g, (_, e) => ENTITIES[e])
    .replace(/\s+/g, ' ').trim();
}

// The text of <main>.
function mainText(html) {
  const m = /<main\b[^>]*>([\s\S]*)<\/main>/.exec(html);
  assert.ok(m, 'the page has a <main>');
  return visible(m[1]);
}

function count(text, re) {
  return (text.match(new RegExp(re.source, 'g')) || []).length;
}

// The standard set's texts, as plugins/standard keeps them (sv and en in
// the areas, ar and fa in translations/).
const SAFETY_INTRO = {
  sv: 'Nu kommer några frågor om att vara trygg.',
  en: 'Now come some questions about feeling safe.',
};

test('an information page takes no "I don\'t want to answer": 400, nothing stored, never listed as declined', async () => {
  const { c, label, code } = await fresh();
  const page = await c.get('/q?id=safety_intro');
  assert.equal(page.status, 200);
  assert.ok(page.text.includes(SAFETY_INTRO.sv));
  assert.doesNotMatch(page.text, /name="special"/, 'the page offers no way out: nothing to decline');
  for (const special of ['skip', 'unclear']) {
    const r = await c.answer('safety_intro', undefined, { special });
    assert.equal(r.status, 400, `special=${special} is refused`);
    assert.equal(questionOf(r.text), 'safety_intro', 'the page is shown again');
    assert.deepEqual(stored(label), [], `special=${special} stored nothing`);
  }
  // Read and gone on from: seen, which is no answer to list.
  assert.equal((await c.answer('safety_intro')).status, 303);
  assert.deepEqual(stored(label), [['safety_intro', 's:seen']]);
  // A decline stored before this was refused is not listed either.
  s.db(`UPDATE answers SET value = 's:skip' WHERE question = 'safety_intro' AND response_id =
    (SELECT r.id FROM responses r JOIN invitations i ON i.id = r.invitation_id WHERE i.label = '${label}');`);
  assert.equal((await c.answer('safety_area', 'yes')).status, 303);
  lock(code);
  const thanks = await c.get('/thanks');
  assert.equal(thanks.status, 200);
  assert.ok(!mainText(thanks.text).includes(SAFETY_INTRO.sv), 'the closing page does not list the intro');
  assert.ok(mainText(thanks.text).includes('Känner du dig trygg ute i området där du bor?'),
    'it lists the question answered');
  const overview = await c.get('/overview');
  assert.equal(overview.status, 200);
  assert.ok(!mainText(overview.text).includes(SAFETY_INTRO.sv), '"My answers" does not list the intro');
});

// What care says, per language: thanks for telling, and that an adult
// will read it (each to be said once).
const CARE = {
  sv: { thanks: /Tack för att du berätta/, adult: /En vuxen kommer att läsa/ },
  en: { thanks: /Thank you for telling/, adult: /An adult will read/ },
  ar: { thanks: /شكرًا لأنك أخبرتنا/, adult: /سيقرأ شخص بالغ/ },
  fa: { thanks: /ممنون که به ما گفتی/, adult: /جواب‌هایت را می‌خواند/ },
};

// The sentences of a text (split after . ! ? ؟ and :), trimmed.
function sentences(text) {
  return text.split(/(?<=[.!?؟:])\s+/).map((x) => x.trim()).filter((x) => x.length > 0);
}

for (const lang of ['sv', 'en', 'ar', 'fa']) {
  test(`care after an alert says each thing once, and 112 once (${lang})`, async () => {
    const { c } = await fresh(lang);
    const r = await c.answer('safety_hurt_adult', 'yes');
    assert.equal(r.status, 303);
    assert.equal(r.location, '/care', 'care comes first');
    const care = await c.get('/care');
    assert.equal(care.status, 200);
    const text = mainText(care.text);
    assert.equal(count(text, CARE[lang].thanks), 1, `"thank you for telling" once: ${text}`);
    assert.equal(count(text, CARE[lang].adult), 1, `"an adult will read" once: ${text}`);
    assert.doesNotMatch(text, /112\s*112/, 'the emergency number is shown once');
    assert.match(care.text, /<a dir="ltr" href="tel:112">112<\/a>/, 'and it is a link to call');
    const all = sentences(text);
    assert.deepEqual(all.filter((x, i) => all.indexOf(x) !== i), [], 'no sentence comes twice');
  });
}

test('care after several alerts at once says each thing once', async () => {
  const { c } = await fresh('sv', '13-15');
  for (const [q, v] of [['safety_hurt_adult', 'yes'], ['safety_threatened', 'yes'],
    ['feelings_selfharm_thoughts', 'yes'], ['feelings_life_meaningless', 'often'],
    ['feelings_suicide_thoughts', 'yes']]) {
    const r = await c.answer(q, v);
    assert.equal(r.status, 303, `${q}=${v}`);
  }
  const text = mainText((await c.get('/care')).text);
  assert.equal(count(text, CARE.sv.thanks), 1, text);
  assert.equal(count(text, CARE.sv.adult), 1, text);
  assert.doesNotMatch(text, /116 111.*116 111/, 'the helpline is given once, in the list');
  const all = sentences(text);
  assert.deepEqual(all.filter((x, i) => all.indexOf(x) !== i), [], 'no sentence comes twice');
});

// Answers every question left as a child in a hurry would (an information
// page read, everything else declined) until the closing page comes;
// returns it.
async function finish(c) {
  for (let i = 0; i < 200; i++) {
    const page = await c.page();
    assert.equal(page.status, 200);
    const q = questionOf(page.text);
    if (q === null) return page;
    const info = !/name="special"/.test(page.text);
    const r = await c.answer(q, undefined, info ? {} : { special: 'skip' });
    assert.equal(r.status, 303, q);
  }
  throw new Error('no closing page after 200 questions');
}

test('the closing page says in a sentence that the child wants no help and nobody to talk to now', async () => {
  const { c, label, code } = await fresh();
  assert.equal((await c.answer('help_wanted', 'nothing')).status, 303);
  assert.equal((await c.answer('help_talk_to', 'nobody')).status, 303);
  assert.deepEqual(stored(label), [['help_wanted', 'm:nothing'], ['help_talk_to', 'm:nobody']]);
  const text = mainText((await finish(c)).text);
  assert.ok(!text.includes('Du vill ha hjälp med'), `no list of help wanted: ${text}`);
  assert.ok(!text.includes('Du vill prata med'), `no list of whom to talk to: ${text}`);
  assert.match(text, /Du har sagt att du inte vill ha hjälp med något just nu\. Du har sagt att du inte vill prata med någon just nu\. Det kan du ändra när du vill\./);
  // Once the round is locked it can no longer be changed here, and the
  // page does not say it can.
  lock(code);
  const locked = mainText((await c.get('/thanks')).text);
  assert.match(locked, /Du har sagt att du inte vill ha hjälp med något just nu\./);
  assert.ok(!locked.includes('Det kan du ändra när du vill.'), locked);
});

test('the closing page lists the help a child wants, and leaves out "nothing" chosen with it', async () => {
  const { c, code } = await fresh('en');
  assert.equal((await c.answer('help_wanted', ['friends', 'schoolwork', 'nothing'])).status, 303);
  assert.equal((await c.answer('help_talk_to', 'teacher')).status, 303);
  lock(code);
  const html = (await c.get('/thanks')).text;
  const text = mainText(html);
  assert.match(text, /You would like help with Friends Schoolwork You would like to talk to A teacher/);
  assert.ok(!/<li>[^<]*No, nothing right now/.test(html), '"nothing" is not listed as help wanted');
});

// The standard set's wordings of safety_area.
const AREA = {
  sv: { text: 'Känner du dig trygg ute i området där du bor?', easy: 'Känner du dig trygg när du är ute nära ditt hem?' },
  ar: { text: null, easy: 'هل لديك شعور بالأمان في الخارج قرب بيتك؟' },
};

function h1(html) {
  const m = /<h1 id="question">([\s\S]*?)<\/h1>/.exec(html);
  assert.ok(m, 'a question page');
  return visible(m[1]);
}

test('"I don\'t understand the question": the easy wording first, to answer; asked again, it is recorded', async () => {
  const { c, label } = await fresh();
  const page = await c.get('/q?id=safety_area');
  assert.ok(h1(page.text).endsWith(AREA.sv.text));
  const easy = await c.answer('safety_area', undefined, { special: 'unclear' });
  assert.equal(easy.status, 200, 'shown again, not refused');
  assert.equal(questionOf(easy.text), 'safety_area');
  assert.ok(h1(easy.text).endsWith(AREA.sv.easy), `in easier words: ${h1(easy.text)}`);
  assert.match(easy.text, /<p class="note" id="answer-note" role="status">Här är frågan med enklare ord\.[^<]*<\/p>/,
    'a calm note, announced politely');
  assert.doesNotMatch(easy.text, /role="alert"|class="error"/, 'not an error');
  assert.match(easy.text, /<input name="easy" type="hidden" value="1">/);
  assert.deepEqual(stored(label), [], 'nothing stored yet');
  // Still not understood: recorded as before, and the child goes on.
  const again = await c.answer('safety_area', undefined, { special: 'unclear', easy: '1' });
  assert.equal(again.status, 303);
  assert.equal(again.location, '/q');
  assert.deepEqual(stored(label), [['safety_area', 's:unclear']]);
  // Understood in easier words: the answer is stored as any other.
  await c.answer('safety_hurt_adult', undefined, { special: 'unclear' });
  assert.equal((await c.answer('safety_hurt_adult', 'no', { easy: '1' })).status, 303);
  // Without an easy wording it is recorded at once, as it was.
  const plain = await c.answer('safety_afraid_home', undefined, { special: 'unclear' });
  assert.equal(plain.status, 303);
  assert.deepEqual(stored(label), [['safety_area', 's:unclear'], ['safety_hurt_adult', 'o:no'],
    ['safety_afraid_home', 's:unclear']]);
});

test('the easy wording in Arabic, right to left', async () => {
  const { c } = await fresh('ar');
  const easy = await c.answer('safety_area', undefined, { special: 'unclear' });
  assert.equal(easy.status, 200);
  assert.match(easy.text, /<html dir="rtl" lang="ar">/);
  assert.ok(h1(easy.text).endsWith(AREA.ar.easy), h1(easy.text));
  assert.match(easy.text, /<input name="easy" type="hidden" value="1">/);
});

test('a Persian page shows Persian digits in running text and Western digits in phone numbers', async () => {
  const { c } = await fresh('fa');
  const first = await c.page();
  assert.match(mainText(first.text), /موضوع ۱ از ۱۰/, 'progress in Persian digits');
  assert.doesNotMatch(mainText(first.text), /موضوع 1 از 10/);
  const school = await c.get('/q?id=school_like');
  assert.match(mainText(school.text), /موضوع ۳ از ۱۰/);
  const help = await c.get('/help');
  assert.match(help.text, /<a dir="ltr" href="tel:116111">116 111<\/a>/, 'a phone number stays as it is dialled');
  assert.match(help.text, /<a dir="ltr" href="tel:1177">1177<\/a>/);
  // An Arabic page, in the digits of Arabic.
  const ar = await fresh('ar');
  assert.match(mainText((await ar.c.page()).text), /الموضوع ١ من ١٠/);
});

test('GET /favicon.ico is an icon, never the daemon\'s 404; every page links its icon', async () => {
  const res = await fetch(`${s.base}/favicon.ico`);
  const body = await res.text();
  assert.ok(res.status === 200 || res.status === 204, `status ${res.status}`);
  assert.match(res.headers.get('content-type') ?? '', /^image\//);
  assert.doesNotMatch(body, /<html/, 'not a page');
  const start = await fetch(`${s.base}/`);
  const html = await start.text();
  const link = /<link href="([^"]+)" rel="icon" type="image\/svg\+xml">/.exec(html);
  assert.ok(link, 'the document head links the icon');
  const icon = await fetch(`${s.base}${link[1]}`);
  assert.equal(icon.status, 200);
  assert.equal(icon.headers.get('content-type'), 'image/svg+xml');
  assert.match(await icon.text(), /^<svg /);
});
