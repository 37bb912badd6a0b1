// mapping-compare.test.mjs: what mapping reports count of the question
// set's scoring, and reports compared, through nginx and the real daemon
// with the standard set: each child is counted once per area as none,
// some or much risk and resource, and the counts move when an answer
// does; group against group of one round; a round against an earlier one
// answered under another version of the set, matched by question id with
// the reworded question marked; a count suppressed on either side is not
// compared, in the page or the CSV; refusals carry over; every comparison
// shown is audited.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { csrfOf, reload, standardCopy, start } from './stack.mjs';
import { account, staff, unit } from './staff.mjs';
import { csvOf, many, mapper } from './mapping.mjs';

const T = { timeout: 300000 };
let s, pro, unitId, round, group, answer, close;

before(async () => {
  s = await start({
    prepare: standardCopy,
  });
  unit(s, 'Skola A');
  unitId = String(s.rows("SELECT id FROM units WHERE name = 'Skola A'")[0].id);
  pro = staff(s);
  assert.equal((await pro.loginAs(account(s, { login: 'pro', units: ['Skola A'] }))).location, '/staff/');
  ({ round, group, answer, close } = mapper(s, pro, unitId));
}, T);

after(async () => {
  await s?.stop();
});

// What a group counts, as { "question/value": n }.
function counts(groupId) {
  return Object.fromEntries(s.rows(`SELECT question, value, n FROM mapping_counts WHERE group_id = ${groupId} AND n > 0`)
    .map((r) => [`${r.question}/${r.value}`, r.n]));
}

// Every area and kind counts each respondent exactly once.
function eachOnce(c) {
  const sums = {};
  for (const [k, n] of Object.entries(c)) {
    const m = /^((?:risk|resource):\w+)\/[012]$/.exec(k);
    if (m) sums[m[1]] = (sums[m[1]] ?? 0) + n;
  }
  assert.ok(Object.keys(sums).length >= 10, 'the standard set scores risk and resources in its areas');
  for (const [k, n] of Object.entries(sums)) assert.equal(n, c['/respondents'], `${k}: each respondent once`);
  return sums;
}

let last, a, b;

test('each child counted once per area as none, some or much risk and resource; the counts move with an answer', T, async () => {
  last = await round('Trivsel 2025', 'A; 12\nB; 12');
  a = group(last, 'A');
  b = group(last, 'B');
  const kidsA = await answer(a, many(12, { home_welcome: 'yes' }));
  await answer(b, [...many(7, { home_welcome: 'no' }), ...many(5, {})]);
  let ca = counts(a);
  const cb = counts(b);
  eachOnce(ca);
  eachOnce(cb);
  assert.equal(ca['risk:home/0'], 12, 'nobody in A has a risk at home');
  assert.equal(ca['resource:home/0'], undefined, 'everyone in A has a resource at home');
  assert.equal((ca['resource:home/1'] ?? 0) + (ca['resource:home/2'] ?? 0), 12);
  assert.equal(cb['risk:home/0'], 5, 'the five who did not answer have none');
  assert.equal((cb['risk:home/1'] ?? 0) + (cb['risk:home/2'] ?? 0), 7, 'the seven who are not welcome have some');
  assert.equal(cb['resource:home/0'], 12);
  // A child of A changes the answer: one band moves out, one in.
  const k = kidsA[0];
  const r = await k.post('/answer', { csrf: csrfOf((await k.get('/overview')).text), q: 'home_welcome',
    answer: 'no', from: 'overview' });
  assert.equal(r.status, 303);
  ca = counts(a);
  eachOnce(ca);
  assert.equal(ca['risk:home/0'], 11);
  assert.equal(ca['resource:home/0'], 1);
  assert.equal(ca['/respondents'], 12, 'still twelve');
  await close(last);
  const page = await pro.get(`/staff/mapping/report?id=${last}&group=${b}`);
  assert.equal(page.status, 200);
  assert.ok(page.text.includes('Risker och resurser'), 'the report shows the areas\' risk and resources');
  assert.ok(page.text.includes('Erbjud alla barn i gruppen ett samtal'), 'what to do instead of an alert per child');
  const levels = /<div class="report-levels">[\s\S]*?<\/table>/.exec(page.text)?.[0] ?? '';
  assert.ok(/<th scope="row">Inga<\/th><td>5<\/td>/.test(levels), 'five with no risk at home, in the table');
  const csv = csvOf((await pro.get(`/staff/mapping/report.csv?id=${last}&group=${b}`)).text);
  assert.equal(csv['risk:home/0'], '5');
  assert.equal(csv['resource:home/0'], '12');
});

test('group against group of one round: shares of each, a difference only where both are shown', T, async () => {
  const audit = s.count('audit');
  const page = await pro.get(`/staff/mapping/compare?id=${last}&group=${a}&with=${last}-${b}`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('cache-control'), 'no-store');
  assert.ok(page.text.includes('Trivsel 2025, A') && page.text.includes('Trivsel 2025, B'));
  const csv = csvOf((await pro.get(`/staff/mapping/compare.csv?id=${last}&group=${a}&with=${last}-${b}`)).text);
  assert.equal(csv['/respondents'], '12,12,,,');
  // A: 11 welcome at home and 1 not (hidden, and the 11 with it); B: 7
  // not, 5 who did not want to answer.
  assert.equal(csv['home_welcome/yes'], 'suppressed,0,,,', 'a count hidden on one side is not compared');
  assert.equal(csv['home_welcome/no'], 'suppressed,7,,,');
  assert.equal(csv['home_welcome/s:skip'], '0,5,0.0,41.7,-41.7', 'both shown: compared (the first less the second)');
  assert.ok(page.text.includes('−42 procentenheter'), 'the page gives the difference in points');
  assert.equal(s.count('audit'), audit + 2, 'each comparison shown is in the audit trail');
  assert.equal(s.rows("SELECT count(*) AS n FROM audit WHERE action = 'mapping_compare'")[0].n, 2);
});

test('a round against an earlier one answered under another version of the set: matched by id, the reworded question marked', T, async () => {
  // The municipality rewords a question between the years.
  const file = path.join(s.dir, 'plugins', 'standard', 'areas', 'home.lua');
  const src = fs.readFileSync(file, 'utf8');
  assert.ok(src.includes('Känner du dig välkommen hemma?'));
  fs.writeFileSync(file, src.replace('Känner du dig välkommen hemma?', 'Känner du dig välkommen när du kommer hem?'));
  await reload(s);
  const now = await round('Trivsel 2026', 'A; 14');
  await answer(group(now, 'A'), [...many(9, { home_welcome: 'yes' }), ...many(5, { home_welcome: 'sometimes' })]);
  await close(now);
  const versions = s.rows(`SELECT id, version FROM mapping_rounds WHERE id IN (${last}, ${now}) ORDER BY id`);
  assert.ok(versions[0].version && versions[1].version && versions[0].version !== versions[1].version,
    'each round keeps the version it was answered under');
  const page = await pro.get(`/staff/mapping/compare?id=${now}&with=${last}`);
  assert.equal(page.status, 200);
  assert.ok(page.text.includes('Frågan var formulerad olika i de två omgångarna'), 'the reworded question is marked');
  const marked = page.text.split('formulerad olika').length - 1;
  assert.equal(marked, 1, 'only that question');
  const csv = csvOf((await pro.get(`/staff/mapping/compare.csv?id=${now}&with=${last}`)).text);
  assert.equal(csv['/respondents'], '14,24,,,');
  // 9 of 14 now, 11 of 24 then; 5 now said sometimes, nobody then; 8 then
  // said no, nobody now.
  assert.equal(csv['home_welcome/yes'], '9,11,64.3,45.8,+18.5');
  assert.equal(csv['home_welcome/sometimes'], '5,0,35.7,0.0,+35.7');
  assert.equal(csv['home_welcome/no'], '0,8,0.0,33.3,-33.3');
  // A report of the round from the page offers the other round to compare with.
  const report = await pro.get(`/staff/mapping/report?id=${now}`);
  assert.ok(report.text.includes(`value="${last}"`), 'the whole report offers the earlier round');
  const one = await pro.get(`/staff/mapping/report?id=${now}&group=${group(now, 'A')}`);
  assert.ok(one.text.includes(`value="${last}-${a}"`) && !one.text.includes(`value="${last}-${b}"`),
    'a group\'s report offers the group of the same name a year before');
});

test('a side that would be refused alone is refused in a comparison; unknown rounds are 404', T, async () => {
  const small = await round('Liten 2026', 'X; 12');
  await answer(group(small, 'X'), many(4, {}));
  await close(small);
  const csv = csvOf((await pro.get(`/staff/mapping/compare.csv?id=${small}&with=${last}`)).text);
  assert.deepEqual(csv, { '/refused': 'few,,,,' });
  const page = await pro.get(`/staff/mapping/compare?id=${small}&with=${last}`);
  assert.ok(page.text.includes('minst 10 barn') && !page.text.includes('procentenheter'));
  assert.equal((await pro.get(`/staff/mapping/compare?id=${last}&with=999999`)).status, 404);
  assert.equal((await pro.get(`/staff/mapping/compare?id=${last}&with=${last}-999999`)).status, 404);
  assert.equal((await pro.get(`/staff/mapping/compare?id=${last}&with=x`)).status, 400);
});
