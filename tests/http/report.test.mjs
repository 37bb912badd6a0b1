// report.test.mjs: the reports of mapping rounds, on rounds with known
// counts answered through the real stack (the demo set).  Counts are kept
// as answers commit (and move when a child changes an answer); a report
// waits for the round to close; a group under 10 respondents is not shown;
// a group whose report would difference against the whole round is
// refused; cells of 1-4 and their complements are hidden in the page and
// the CSV (the page never carries their numbers); free text is never
// shown, only how many wrote something.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { csrfOf, start } from './stack.mjs';
import { account, staff, unit } from './staff.mjs';
import { csvOf, many, mapper } from './mapping.mjs';

const T = { timeout: 240000 };
const SECRET_WORDS = 'mitt hemliga ord i en kartläggning';
let s, pro, unitId, round, group, answer, close;

before(async () => {
  s = await start();
  unit(s, 'Skola A');
  unitId = String(s.rows("SELECT id FROM units WHERE name = 'Skola A'")[0].id);
  pro = staff(s);
  assert.equal((await pro.loginAs(account(s, { login: 'pro', units: ['Skola A'] }))).location, '/staff/');
  ({ round, group, answer, close } = mapper(s, pro, unitId));
}, T);

after(async () => {
  await s?.stop();
});

let big;

test('counts kept as answers commit; the report waits for the round to close', T, async () => {
  big = await round('Trivsel', 'Stor; 20\nLiten; 10\nMellan; 20');
  const stor = group(big, 'Stor');
  const kids = await answer(stor, [
    ...many(9, { home_feel: 'good', home_adult: 'yes', friends_break: 'always' }),
    ...many(2, { home_feel: 'bad', home_worry: SECRET_WORDS, home_adult: 'no', friends_break: 'always' }),
    { home_feel: 'bad', home_worry: 'något annat', home_adult: 'yes', friends_break: 'sometimes' },
  ]);
  await answer(group(big, 'Liten'), many(6, { home_feel: 'ok', home_adult: 'yes', friends_break: 'always' }));
  await answer(group(big, 'Mellan'), many(10, { home_feel: 'good', home_adult: 'yes', friends_break: 'rarely' }));
  const counts = () => Object.fromEntries(s.rows(`SELECT question, value, n FROM mapping_counts WHERE group_id = ${stor}`)
    .map((r) => [`${r.question}/${r.value}`, r.n]));
  let c = counts();
  assert.equal(c['/respondents'], 12);
  assert.equal(c['home_feel/good'], 9);
  assert.equal(c['home_feel/bad'], 3);
  assert.equal(c['home_worry/t'], 3, 'words are counted, never what they say');
  assert.ok(!JSON.stringify(s.rows('SELECT * FROM mapping_counts')).includes('hemliga'));
  // A child changes an answer: the counts move with it.
  await kids[0].get('/q');
  const r = await kids[0].post('/answer', { csrf: kids[0].csrf ?? csrfOf((await kids[0].get('/overview')).text),
    q: 'friends_break', answer: 'rarely', from: 'overview' });
  assert.equal(r.status, 303);
  c = counts();
  assert.equal(c['friends_break/always'], 10);
  assert.equal(c['friends_break/rarely'], 1);
  assert.equal(c['/respondents'], 12, 'still twelve respondents');
  const open = await pro.get(`/staff/mapping/report?id=${big}`);
  assert.equal(open.status, 200);
  assert.ok(open.text.includes('Rapporten visas när omgången är stängd'));
  assert.ok(!/\b12\b av/.test(open.text), 'no number before the round is closed');
  const csv = await pro.get(`/staff/mapping/report.csv?id=${big}`);
  assert.deepEqual(csvOf(csv.text), { '/refused': 'open' });
});

test('after closing: the whole round and a group, small cells and their complements hidden in the page and the CSV', T, async () => {
  await close(big);
  const page = await pro.get(`/staff/mapping/report?id=${big}`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('cache-control'), 'no-store');
  assert.ok(page.text.includes('28 av 50 barn svarade'), 'respondents against expected');
  const whole = csvOf((await pro.get(`/staff/mapping/report.csv?id=${big}`)).text);
  assert.equal(whole['/respondents'], '28');
  assert.equal(whole['home_feel/good'], '19');
  assert.equal(whole['home_feel/bad'], 'suppressed', '3 is hidden');
  assert.equal(whole['home_feel/ok'], 'suppressed', 'the smallest other cell (6) with it');
  assert.equal(whole['home_worry/t'], 'suppressed');
  const stor = group(big, 'Stor');
  const g = csvOf((await pro.get(`/staff/mapping/report.csv?id=${big}&group=${stor}`)).text);
  assert.equal(g['/respondents'], '12');
  assert.equal(g['home_adult/no'], 'suppressed');
  assert.equal(g['home_adult/yes'], 'suppressed', '10 hidden with the 2, or the 2 could be worked out');
  assert.equal(g['friends_break/always'], '10');
  assert.equal(g['friends_break/rarely'], 'suppressed');
  assert.equal(g['friends_break/sometimes'], 'suppressed');
  const html = await pro.get(`/staff/mapping/report?id=${big}&group=${stor}`);
  assert.ok(!html.text.includes(SECRET_WORDS) && !html.text.includes('något annat'), 'free text never shown');
  const row = (label) => new RegExp(`<th scope="row">${label}</th><td>(<span class="suppressed">|[^<]*)`).exec(html.text)?.[1];
  assert.equal(row('Ja'), '<span class="suppressed">', 'a hidden cell carries no number');
  assert.equal((html.text.match(/class="suppressed"/g) || []).length,
    Object.values(g).filter((v) => v === 'suppressed').length, 'the page hides the cells the CSV hides');
  assert.equal(s.rows("SELECT count(*) AS n FROM audit WHERE action = 'mapping_report'")[0].n, 4,
    'each report shown is in the audit trail');
});

test('a group of fewer than 10 is not shown, nor a group whose report would difference against the whole round', T, async () => {
  const liten = csvOf((await pro.get(`/staff/mapping/report.csv?id=${big}&group=${group(big, 'Liten')}`)).text);
  assert.deepEqual(liten, { '/refused': 'few' });
  const page = await pro.get(`/staff/mapping/report?id=${big}&group=${group(big, 'Liten')}`);
  assert.ok(page.text.includes('minst 10 barn') && !/\b6\b av/.test(page.text));
  const school = await round('Skola', 'A; 20\nB; 10');
  await answer(group(school, 'A'), many(12, { home_feel: 'good', home_adult: 'yes', friends_break: 'always' }));
  await answer(group(school, 'B'), many(6, { home_feel: 'bad', home_worry: 'x', home_adult: 'no', friends_break: 'rarely' }));
  await close(school);
  const whole = csvOf((await pro.get(`/staff/mapping/report.csv?id=${school}`)).text);
  assert.equal(whole['/respondents'], '18', 'the whole school is shown');
  const a = csvOf((await pro.get(`/staff/mapping/report.csv?id=${school}&group=${group(school, 'A')}`)).text);
  assert.deepEqual(a, { '/refused': 'differencing' }, 'all but a class of 6: refused');
  const html = await pro.get(`/staff/mapping/report?id=${school}&group=${group(school, 'A')}`);
  assert.ok(html.text.includes('resten av omgången är så liten'));
});

test('an unknown round or group is 404; a group of another round is 404', T, async () => {
  assert.equal((await pro.get('/staff/mapping/report?id=999999')).status, 404);
  const other = await round('Annan', 'X; 12');
  assert.equal((await pro.get(`/staff/mapping/report?id=${big}&group=${group(other, 'X')}`)).status, 404);
});
