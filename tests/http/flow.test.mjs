// The next page from the state an answer left: with each stored answer the
// set's view of the child's next page is kept in the response (the next
// question, the one before it, each area's progress), valid only for the
// response's answers as they were (gen) and the set version that made it.
// GET /q then needs neither the answers nor a walk through the set.  These
// tests show it is kept as it should be, and that a state that does not
// hold (answers changed since, another set version, nonsense) is never
// shown: the page is worked out from the answers instead.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, child, questionOf } from './stack.mjs';

let s;
let n = 0;

before(async () => {
  // One worker: the views' cache is per worker process.
  s = await start({ workers: 1, threads: 2 });
});

after(async () => {
  if (s) await s.stop();
});

const SEP = '\u0001';

async function fresh() {
  const label = `flow-${++n}`;
  const c = child(s);
  const r = await c.login(s.invite(1, label)[0]);
  assert.equal(r.status, 303);
  return { c, label };
}

function response(label) {
  return s.rows(`SELECT r.id, r.gen, r.flow_gen, r.flow_version, r.flow FROM responses r
    JOIN invitations i ON i.id = r.invitation_id WHERE i.label = '${label}';`)[0];
}

test('an answer keeps the state of the next page, for its answers and set version', async () => {
  const { c, label } = await fresh();
  const first = await c.page();
  assert.equal(questionOf(first.text), 'home_feel');
  assert.equal((await c.answer('home_feel', 'good')).status, 303);
  const r = response(label);
  assert.equal(r.gen, 1);
  assert.equal(r.flow_gen, 1);
  assert.match(r.flow_version, /^[0-9a-f]{64}$/);
  assert.equal(s.db(`SELECT count(*) FROM set_versions WHERE version = '${r.flow_version}';`), '1');
  const [next, , , prev] = r.flow.split(SEP);
  assert.equal(next, 'home_adult');
  assert.equal(prev, 'home_feel');
  const page = await c.page();
  assert.equal(questionOf(page.text), 'home_adult');
  // The same answer again changes nothing, and the state still holds.
  assert.equal((await c.answer('home_feel', 'good')).status, 303);
  assert.equal(response(label).gen, 1);
  assert.equal(response(label).flow_gen, 1);
  // Another answer: the state follows it (a follow-up now comes first).
  assert.equal((await c.answer('home_feel', 'bad')).status, 303);
  assert.equal(response(label).gen, 2);
  assert.equal(response(label).flow.split(SEP)[0], 'home_worry');
  assert.equal(questionOf((await c.page()).text), 'home_worry');
});

test('a state that no longer holds is never shown', async () => {
  // B's next page (home_adult) is rendered and so in the views' cache.
  const b = await fresh();
  await b.c.page();
  assert.equal((await b.c.answer('home_feel', 'good')).status, 303);
  assert.equal(questionOf((await b.c.page()).text), 'home_adult');
  const theirs = response(b.label).flow;
  // A's next page is home_worry.
  const { c, label } = await fresh();
  await c.page();
  assert.equal((await c.answer('home_feel', 'bad')).status, 303);
  const { id, flow_version: version } = response(label);
  // B's state in A's response, as if kept before A's answers changed.
  s.db(`UPDATE responses SET flow = '${theirs}', flow_gen = gen - 1 WHERE id = ${id};`);
  assert.equal(questionOf((await c.page()).text), 'home_worry');
  // ... or made by another version of the set.
  s.db(`UPDATE responses SET flow_gen = gen, flow_version = 'x' WHERE id = ${id};`);
  assert.equal(questionOf((await c.page()).text), 'home_worry');
  // Nonsense in the column.
  for (const bad of ['', 'nonsense', `${SEP}${SEP}`, 'home_adult']) {
    s.db(`UPDATE responses SET flow = '${bad}', flow_gen = gen, flow_version = '${version}' WHERE id = ${id};`);
    const p = await c.page();
    assert.equal(p.status, 200);
    assert.equal(questionOf(p.text), 'home_worry');
  }
  // The control: a state that holds is taken as it is (which is why only
  // the answer's own commit may write it).
  s.db(`UPDATE responses SET flow = '${theirs}', flow_gen = gen, flow_version = '${version}' WHERE id = ${id};`);
  assert.equal(questionOf((await c.page()).text), 'home_adult');
});

test('two answers of one child at once leave a page that matches the answers', async () => {
  const { c, label } = await fresh();
  const tab = child(s);
  for (const [k, v] of c.jar) tab.setCookie(k, v);
  await c.page();
  tab.csrf = c.csrf;
  const [a, b] = await Promise.all([c.answer('home_feel', 'bad'), tab.answer('home_feel', 'good')]);
  assert.equal(a.status, 303);
  assert.equal(b.status, 303);
  const value = s.db(`SELECT a.value FROM answers a JOIN responses r ON r.id = a.response_id
    JOIN invitations i ON i.id = r.invitation_id
    WHERE i.label = '${label}' AND a.question = 'home_feel' AND a.replaced_at IS NULL;`);
  const want = value === 'o:bad' ? 'home_worry' : 'home_adult';
  assert.equal(questionOf((await c.page()).text), want);
  const r = response(label);
  assert.ok(r.flow_gen !== r.gen || r.flow.split(SEP)[0] === want,
    'a state kept is the one of the answers stored');
});
