// summary.test.mjs: the professional's work through nginx and the real
// daemon, with the standard question set: a group invited at once (a page
// of slips, shown once, in the children's language, each QR code opening
// the start page with its code in the fragment); a child who answers in
// Arabic read by a professional in Swedish; every alert rule of the set
// raised by an answer, first on the start page, handled with a note
// (audited, once); two rounds of one child across two versions of the set,
// side by side.  Refusals (a bad group, an empty note) change nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { child, csrfOf, reload, standardCopy, start } from './stack.mjs';
import { account, decodeQr, staff, unit } from './staff.mjs';
import { middle, walk } from './walk.mjs';

const T = { timeout: 240000 };
let s, pro, unitId;

before(async () => {
  // The standard set, from a copy of plugins/ that a test rewords.
  s = await start({
    prepare: standardCopy,
  });
  unit(s, 'Skola A');
  unitId = String(s.rows("SELECT id FROM units WHERE name = 'Skola A'")[0].id);
  pro = staff(s);
  const r = await pro.loginAs(account(s, { login: 'pro', units: ['Skola A'] }));
  assert.equal(r.location, '/staff/');
}, T);

after(async () => {
  await s?.stop();
});


// The slips of a page: [{ code, lang, dir, svg }].
function slipsOf(html) {
  return [...html.matchAll(/<div class="slip" dir="(\w+)" lang="([\w-]+)">([\s\S]*?)<\/figure>/g)].map((m) => ({
    dir: m[1], lang: m[2],
    code: /class="slip-code"[^>]*>([^<]+)</.exec(m[3])?.[1],
    svg: /<svg[\s\S]*<\/svg>/.exec(m[3])?.[0],
  }));
}

async function invite(fields) {
  const home = await pro.get('/staff/');
  return pro.post('/staff/invite', { csrf: csrfOf(home.text), unit: unitId, ...fields });
}

// One child invited on the web: the code from the start page's slip and
// the round's id.
async function inviteOne(fields) {
  const r = await invite(fields);
  assert.equal(r.status, 303);
  assert.equal(r.location, '/staff/#new-code');
  const home = await pro.get('/staff/');
  const code = /class="slip-code"[^>]*>([^<]+)</.exec(home.text)?.[1];
  assert.ok(code, 'the new code is on the start page');
  const id = String(s.rows('SELECT max(id) AS id FROM invitations')[0].id);
  return { code, id };
}

async function answered(code, answers) {
  const c = child(s);
  assert.equal((await c.login(code)).status, 303, 'the child logs in');
  await walk(c, answers, { pick: middle });
  return c;
}

test('a group invitation gives a page of slips in the children\'s language, shown once', T, async () => {
  const before = s.count('invitations');
  const r = await invite({ labels: 'Ali\n  Bo \n\nCy', lang: 'ar', age: '10-12' });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/staff/slips');
  assert.equal(s.count('slip_batches'), 1, 'the codes wait sealed');
  const sealed = s.db('SELECT hex(sealed) FROM slip_batches');
  const page = await pro.get('/staff/slips');
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('cache-control'), 'no-store');
  const slips = slipsOf(page.text);
  assert.equal(slips.length, 3, 'a slip per child');
  assert.equal(s.count('invitations'), before + 3);
  assert.deepEqual(s.rows(`SELECT label, lang, age_band, round FROM invitations WHERE id > (SELECT max(id) - 3
    FROM invitations) ORDER BY id`), ['Ali', 'Bo', 'Cy'].map((label) => ({ label, lang: 'ar', age_band: '10-12', round: 1 })));
  for (const slip of slips) {
    assert.equal(slip.lang, 'ar');
    assert.equal(slip.dir, 'rtl', 'the slip reads right to left');
    assert.ok(!sealed.includes(Buffer.from(slip.code).toString('hex').toUpperCase()), 'no code in clear in the store');
  }
  assert.match(page.text, /دعوتك إلى Berätta/, 'the instructions in Arabic');
  assert.equal(decodeQr(slips[0].svg), `${s.base}/#code=${slips[0].code}`,
    'the QR code opens the start page with the code in the fragment');
  assert.equal(s.count('slip_batches'), 0, 'the sealed codes are gone once shown');
  const again = await pro.get('/staff/slips');
  assert.equal(slipsOf(again.text).length, 0, 'shown once');
  const c = child(s);
  assert.equal((await c.login(slips[2].code)).location, '/q', 'a slip\'s code logs the child in');
});

test('a group of a number of children, without names', T, async () => {
  const r = await invite({ count: '4' });
  assert.equal(r.location, '/staff/slips');
  const slips = slipsOf((await pro.get('/staff/slips')).text);
  assert.equal(slips.length, 4);
  assert.equal(new Set(slips.map((x) => x.code)).size, 4, 'four different codes');
});

test('a bad group is refused with the error page and nothing is made', T, async () => {
  const before = s.count('invitations');
  const children = s.count('children');
  for (const [fields, status] of [
    [{ labels: `Ali\n${'x'.repeat(201)}` }, 400],
    [{ labels: Array.from({ length: 61 }, (_, i) => `Barn ${i}`).join('\n') }, 400],
    [{ count: '61' }, 400],
    [{ count: '0' }, 400],
    [{ year: '20x4' }, 400],
    [{ lang: 'xx' }, 400],
  ]) {
    const r = await invite(fields);
    assert.equal(r.status, status, JSON.stringify(fields).slice(0, 60));
    assert.match(r.text, /<html/, 'a page a person can read');
  }
  assert.equal(s.count('invitations'), before);
  assert.equal(s.count('children'), children);
});

test('a child answers in Arabic; a professional reading in Swedish sees the choices in Swedish and the child\'s words as written, marked Arabic', T, async () => {
  const words = 'زوج أمي يصرخ كثيرًا. أنا خائفة.';
  const { code, id } = await inviteOne({ label: 'Yasmin', lang: 'ar', year: String(new Date().getUTCFullYear() - 11) });
  const c = child(s);
  await c.login(code);
  const q = await c.get('/q');
  assert.match(q.text, /<html[^>]*lang="ar"/, 'the child meets the language chosen for them');
  await walk(c, { home_feel: 'bad', home_feel_more: words, school_work: 'very_hard', help_wanted: ['home'] });
  const reads = s.count('audit');
  const page = await pro.get(`/staff/child?id=${id}`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('cache-control'), 'no-store');
  assert.match(page.text, /<html[^>]*lang="sv"/, 'the page is in the reader\'s language');
  assert.match(page.text, /Hur har du det hemma just nu\?/, 'the question in Swedish');
  assert.match(page.text, /Dåligt/, 'the choice in Swedish');
  assert.match(page.text, /Det är nästan alltid svårt/);
  assert.match(page.text, /Något hemma/, 'what the child wants help with');
  assert.match(page.text, /كيف حالك في البيت الآن؟/, 'the wording the child saw is one click away');
  const marked = new RegExp(`<(\\w+)[^>]*dir="rtl"[^>]*lang="ar"[^>]*>${words}</\\1>`);
  assert.match(page.text, marked, 'the free text exactly as written, in an element marked lang="ar" dir="rtl"');
  assert.equal(s.count('audit'), reads + 1, 'the read is audited');
  assert.deepEqual(s.rows('SELECT action, invitation_id, actor FROM audit ORDER BY id DESC LIMIT 1'),
    [{ action: 'read', invitation_id: Number(id), actor: 'pro' }]);
  assert.equal(s.rows(`SELECT age_band FROM invitations WHERE id = ${id}`)[0].age_band, '10-12',
    'the age band from the birth year');
});

// Each alert rule of the standard set and an answer path that raises it.
const ALERTS = {
  violence_home: { safety_hurt_adult: 'yes' },
  afraid_to_go_home: { safety_afraid_home: 'often' },
  sexual_abuse: { safety_touched: 'yes' },
  self_harm: { feelings_selfharm_thoughts: 'yes' },
  suicidal_thoughts: { feelings_life_meaningless: 'often', feelings_suicide_thoughts: 'yes' },
  threatened: { safety_threatened: 'yes' },
  honour_threat: { safety_forced_marriage: 'yes' },
};

const GUIDANCE = {
  violence_home: 'Barnet har svarat att en vuxen hemma har slagit',
  afraid_to_go_home: 'Barnet har svarat att hen ibland eller ofta är rädd',
  sexual_abuse: 'Barnet har svarat att någon har rört barnet',
  self_harm: 'Barnet har svarat att hen den senaste månaden har tänkt på a',
  suicidal_thoughts: 'Barnet har svarat att hen har haft tankar på att ta sitt liv',
  threatened: 'Barnet har svarat att någon den senaste månaden har hotat',
  honour_threat: 'Barnet har svarat att någon har sagt att barnet måste gifta',
};

test('every alert rule of the standard set is raised by an answer, shown first on the start page, and handled once with an audited note', T, async () => {
  // A child without an alert first, so "alerts first" is an order.
  const calm = await inviteOne({ label: 'Lugn', age: '16-18' });
  await answered(calm.code, {});
  for (const [alert, answers] of Object.entries(ALERTS)) {
    const { code, id } = await inviteOne({ label: `Larm ${alert}`, age: '16-18' });
    await answered(code, answers);
    assert.deepEqual(s.rows(`SELECT a.alert FROM alerts a JOIN responses r ON r.id = a.response_id
      WHERE r.invitation_id = ${id}`), [{ alert }], `${alert}: raised, and only it`);
    const home = await pro.get('/staff/');
    const first = home.text.indexOf('id="alerts-heading"');
    const link = home.text.indexOf(`href="/staff/child?id=${id}#alerts"`);
    assert.ok(first > 0 && link > first, `${alert}: on the start page, under the alerts`);
    assert.ok(link < home.text.indexOf('id="children-heading"'), `${alert}: before the list`);
    const rows = [...home.text.matchAll(/<tr class="has-alert">[\s\S]*?href="\/staff\/child\?id=(\d+)"/g)];
    assert.ok(rows.some((m) => m[1] === id), `${alert}: marked in the list`);
    assert.ok(home.text.indexOf(`child?id=${id}"`) < home.text.indexOf(`child?id=${calm.id}"`),
      `${alert}: listed before the child without an alert`);
    const page = await pro.get(`/staff/child?id=${id}`);
    assert.ok(page.text.includes(GUIDANCE[alert]), `${alert}: the guidance is on the summary`);
    assert.ok(page.text.indexOf(GUIDANCE[alert]) < page.text.indexOf('Hur har du det hemma just nu?'),
      `${alert}: before the answers`);
    const empty = await pro.post('/staff/alert', { csrf: csrfOf(page.text), id, alert, note: '   ' });
    assert.equal(empty.status, 400, `${alert}: a note of blanks is refused`);
    const note = `Pratat med barnet om ${alert}.`;
    const r = await pro.post('/staff/alert', { csrf: csrfOf(page.text), id, alert, note });
    assert.equal(r.status, 303);
    assert.equal(r.location, `/staff/child?id=${id}#alerts`);
    const again = await pro.post('/staff/alert', { csrf: csrfOf(page.text), id, alert, note: 'igen' });
    assert.equal(again.status, 303, 'handling it again changes nothing');
    assert.deepEqual(s.rows(`SELECT action, detail, invitation_id FROM audit WHERE action = 'alert'
      AND invitation_id = ${id}`), [{ action: 'alert', detail: alert, invitation_id: Number(id) }]);
    assert.deepEqual(s.rows(`SELECT a.note, s.login FROM alerts a JOIN staff s ON s.id = a.handled_by
      JOIN responses r ON r.id = a.response_id WHERE r.invitation_id = ${id}`), [{ note, login: 'pro' }]);
    const handled = await pro.get(`/staff/child?id=${id}`);
    assert.ok(handled.text.includes(note), `${alert}: the note is shown`);
    const after = await pro.get('/staff/');
    assert.ok(!after.text.includes(`href="/staff/child?id=${id}#alerts"`), `${alert}: no longer first`);
  }
});

test('an alert the set does not have and a round that is not started are 404; nothing changes', T, async () => {
  const { id } = await inviteOne({ label: 'Oanvänd' });
  const home = await pro.get('/staff/');
  const audit = s.count('audit');
  for (const alert of ['violence_home', 'no_such_alert']) {
    const r = await pro.post('/staff/alert', { csrf: csrfOf(home.text), id, alert, note: 'x' });
    assert.equal(r.status, 404);
  }
  assert.equal(s.count('audit'), audit);
});


test('two rounds of one child across two versions of the set, side by side, the changed question marked', T, async () => {
  const first = await inviteOne({ label: 'Sam', age: '13-15' });
  await answered(first.code, { friends_lonely: 'often', friends_bullied: 'yes', school_like: 'bad' });
  // The municipality rewords a question between the rounds.
  const file = path.join(s.dir, 'plugins', 'standard', 'areas', 'friends.lua');
  const src = fs.readFileSync(file, 'utf8');
  const old = 'Hur ofta känner du dig ensam? Tänk på den senaste månaden.';
  assert.ok(src.includes(old));
  fs.writeFileSync(file, src.replace(old, 'Hur ofta har du känt dig ensam den senaste månaden?'));
  await reload(s);
  const home = await pro.get(`/staff/child?id=${first.id}`);
  const r = await pro.post('/staff/child/round', { csrf: csrfOf(home.text), id: first.id });
  assert.equal(r.location, '/staff/#new-code');
  const slip = await pro.get('/staff/');
  const code = /class="slip-code"[^>]*>([^<]+)</.exec(slip.text)[1];
  const second = String(s.rows('SELECT max(id) AS id FROM invitations')[0].id);
  assert.deepEqual(s.rows(`SELECT round, label, child_id FROM invitations WHERE id IN (${first.id}, ${second}) ORDER BY id`)
    .map((x) => x.round), [1, 2]);
  await answered(code, { friends_lonely: 'sometimes', friends_bullied: 'no', school_like: 'good' });
  const versions = s.rows(`SELECT DISTINCT a.set_version FROM answers a JOIN responses r ON r.id = a.response_id
    WHERE r.invitation_id IN (${first.id}, ${second})`);
  assert.equal(versions.length, 2, 'the rounds were answered under two versions');
  const audit = s.count('audit');
  const page = await pro.get(`/staff/compare?id=${second}&with=${first.id}`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('cache-control'), 'no-store');
  assert.equal(s.count('audit'), audit + 2, 'both reads audited');
  assert.ok(page.text.includes(old), 'the first round\'s question as it was asked');
  assert.match(page.text, /Omgång 1[\s\S]*Omgång 2/, 'before, then after');
  const row = /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*?ensam(?:(?!<\/tr>)[\s\S])*<\/tr>/.exec(page.text)?.[0] ?? '';
  assert.match(row, /Ofta/, 'the earlier answer');
  assert.match(row, /Ibland/, 'the later answer');
  assert.match(row, /class="[^"]*changed[^"]*"|ändrades|ändrad/i, 'the changed question is marked');
  const other = await inviteOne({ label: 'Annan' });
  const mixed = await pro.get(`/staff/compare?id=${second}&with=${other.id}`);
  assert.equal(mixed.status, 404, 'rounds of two children are not compared');
  // The summary of the second round links the comparison.
  const summary = await pro.get(`/staff/child?id=${second}`);
  assert.ok(summary.text.includes(`/staff/compare?id=${second}&amp;with=${first.id}`));
});

test('a pseudonym and a note with markup and SQL are stored as typed and shown escaped', T, async () => {
  const name = "Robert'); DROP TABLE children;--<b>";
  const { code, id } = await inviteOne({ label: name, age: '16-18' });
  await answered(code, { safety_threatened: 'yes' });
  assert.equal(s.rows(`SELECT pseudonym FROM children WHERE id = (SELECT child_id FROM invitations WHERE id = ${id})`)[0]
    .pseudonym, name);
  const page = await pro.get(`/staff/child?id=${id}`);
  assert.ok(page.text.includes('Robert&#39;); DROP TABLE children;--&lt;b&gt;'), 'the pseudonym escaped');
  assert.ok(!page.text.includes('--<b>'));
  const note = '<script>alert(1)</script> \'; DELETE FROM alerts;--';
  const r = await pro.post('/staff/alert', { csrf: csrfOf(page.text), id, alert: 'threatened', note });
  assert.equal(r.status, 303);
  assert.equal(s.rows(`SELECT note FROM alerts WHERE note IS NOT NULL ORDER BY handled_at DESC LIMIT 1`)[0].note, note);
  const after = await pro.get(`/staff/child?id=${id}`);
  assert.ok(after.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the note escaped');
  assert.ok(!after.text.includes('<script>alert(1)'));
  assert.equal(s.db('PRAGMA integrity_check;'), 'ok');
});
