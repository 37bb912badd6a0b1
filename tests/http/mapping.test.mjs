// mapping.test.mjs: anonymous mapping rounds through nginx and the real
// daemon.  A professional makes a round with its groups, prints a group's
// slips (shown once, in an order of their own), children answer with
// them; the list shows counts of groups only; no page of a child reaches a
// mapping invitation; closing the round (by hand, or after its last day at
// the next login) leaves no code hash, secret or session of the round in
// the database file or its log, every answer still there to be counted,
// and the codes no longer log in.  Bad rounds are refused and make
// nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';

import { child, csrfOf, start } from './stack.mjs';
import { account, cli, staff, unit } from './staff.mjs';
import { middle, walk } from './walk.mjs';

const T = { timeout: 240000 };
let s, pro, unitId;

before(async () => {
  s = await start();
  unit(s, 'Skola A');
  unitId = String(s.rows("SELECT id FROM units WHERE name = 'Skola A'")[0].id);
  pro = staff(s);
  const r = await pro.loginAs(account(s, { login: 'pro', units: ['Skola A'] }));
  assert.equal(r.location, '/staff/');
}, T);

after(async () => {
  await s?.stop();
});

async function makeRound(name, groups, { opens = '2026-01-01', closes = '2099-12-31' } = {}) {
  const page = await pro.get('/staff/mapping');
  return pro.post('/staff/mapping', { csrf: csrfOf(page.text), unit: unitId, name, opens, closes, groups });
}

async function slips(groupId, count) {
  const page = await pro.get('/staff/mapping');
  const r = await pro.post('/staff/mapping/slips', { csrf: csrfOf(page.text), id: groupId, count: String(count) });
  if (r.status !== 303) return { status: r.status, codes: [] };
  const sheet = await pro.get('/staff/slips');
  return { status: 303, codes: [...sheet.text.matchAll(/class="slip-code"[^>]*>([^<]+)</g)].map((m) => m[1]), sheet };
}

function groupOf(round, name) {
  return String(s.rows(`SELECT g.id FROM mapping_groups g JOIN mapping_rounds r ON r.id = g.round_id
    WHERE r.name = '${round}' AND g.name = '${name}'`)[0].id);
}

// The bytes of the tenant's database and its log, as hex.
function fileHex() {
  return ['', '-wal'].map((x) => {
    try {
      return fs.readFileSync(s.dbPath + x).toString('hex').toUpperCase();
    } catch {
      return '';
    }
  }).join('');
}

test('a round with its groups; a group\'s slips shown once; children answer; only counts of groups are shown', T, async () => {
  const r = await makeRound('Trivsel 2026', 'Klass 4A; 25\nKlass 4B, 3\n\n  Klass 5A\t22  ');
  assert.equal(r.status, 303);
  assert.match(r.location, /^\/staff\/mapping#round-\d+$/);
  assert.deepEqual(s.rows('SELECT name, expected FROM mapping_groups ORDER BY name'),
    [{ name: 'Klass 4A', expected: 25 }, { name: 'Klass 4B', expected: 3 }, { name: 'Klass 5A', expected: 22 }]);
  const { codes, sheet } = await slips(groupOf('Trivsel 2026', 'Klass 4B'), 3);
  assert.equal(codes.length, 3);
  assert.ok(sheet.text.includes('Klass 4B'), 'the slips name the group, not a child');
  assert.equal(s.rows("SELECT count(*) AS n FROM invitations WHERE group_id IS NOT NULL AND unit_id IS NULL AND child_id IS NULL AND label IS NULL")[0].n, 3,
    'the invitations keep nothing but their group');
  assert.equal(s.rows("SELECT count(*) AS n FROM audit WHERE action = 'mapping_slips' AND invitation_id IS NULL")[0].n, 1,
    'one audit row for the group\'s slips, naming no invitation');
  for (const code of codes.slice(0, 2)) {
    const c = child(s);
    assert.equal((await c.login(code)).location, '/q');
    await walk(c, { home_feel: 'good' }, { pick: middle });
    assert.equal((await c.get('/thanks')).status, 200);
  }
  const page = await pro.get('/staff/mapping');
  assert.equal(page.status, 200);
  const row = /<tr>(?:(?!<\/tr>)[\s\S])*Klass 4B(?:(?!<\/tr>)[\s\S])*<\/tr>/.exec(page.text)[0];
  assert.deepEqual([...row.matchAll(/<td>(\d+)<\/td>/g)].map((m) => Number(m[1])), [3, 3, 2, 2],
    'expected, slips, begun, finished');
  const home = await pro.get('/staff/');
  assert.ok(!/Klass 4B/.test(home.text), 'mapping invitations are not children on the start page');
  const ids = s.rows('SELECT id FROM invitations WHERE group_id IS NOT NULL').map((x) => x.id);
  for (const id of ids) {
    for (const path of [`/staff/child?id=${id}`, `/staff/compare?id=${id}&with=${id}`]) {
      assert.equal((await pro.get(path)).status, 404, `${path}: a mapping response is read by no page`);
    }
    const token = csrfOf(home.text);
    for (const action of ['renew', 'round', 'lock', 'unlock']) {
      const x = await pro.post(`/staff/child/${action}`, { csrf: token, id });
      assert.equal(x.status, 404, `${action} of a mapping invitation: 404`);
    }
  }
  assert.equal(s.rows("SELECT count(*) AS n FROM audit WHERE action = 'read'")[0].n, 0, 'nothing was read');
});

test('closing a round by hand erases codes, secrets and sessions from the file; the answers stay; the codes no longer log in', T, async () => {
  await makeRound('Stängs', 'Grupp; 12');
  const { codes } = await slips(groupOf('Stängs', 'Grupp'), 4);
  const kids = [];
  for (const code of codes.slice(0, 3)) {
    const c = child(s);
    await c.login(code);
    await walk(c, { home_feel: 'bad' }, { pick: middle });
    kids.push(c);
  }
  const round = s.rows("SELECT id FROM mapping_rounds WHERE name = 'Stängs'")[0].id;
  const of = `(SELECT id FROM invitations WHERE group_id = ${groupOf('Stängs', 'Grupp')})`;
  const hashes = s.rows(`SELECT hex(code_hash) AS h FROM invitations WHERE id IN ${of}`).map((x) => x.h);
  const secrets = s.rows(`SELECT secret_hash AS h FROM invitations WHERE id IN ${of} AND secret_hash IS NOT NULL`)
    .map((x) => Buffer.from(x.h).toString('hex').toUpperCase());
  const sessions = s.rows(`SELECT hex(token_hash) AS h FROM sessions WHERE invitation_id IN ${of}`).map((x) => x.h);
  assert.equal(hashes.length, 4);
  assert.equal(secrets.length, 3);
  assert.ok(sessions.length >= 3);
  const answers = s.rows(`SELECT count(*) AS n FROM answers WHERE response_id IN
    (SELECT id FROM responses WHERE invitation_id IN ${of})`)[0].n;
  assert.ok(answers >= 3);
  const was = fileHex();
  assert.ok(hashes.every((h) => was.includes(h)) && secrets.every((h) => was.includes(h)),
    'before closing, the file holds the codes\' hashes and the secrets (the search can find them)');
  const page = await pro.get('/staff/mapping');
  const r = await pro.post('/staff/mapping/close', { csrf: csrfOf(page.text), id: round });
  assert.equal(r.status, 303);
  assert.ok(s.rows(`SELECT closed_at FROM mapping_rounds WHERE id = ${round}`)[0].closed_at > 0);
  const hex = fileHex();
  for (const h of [...hashes, ...secrets, ...sessions]) {
    assert.ok(!hex.includes(h), 'no code hash, secret or session of the round is left in the file or its log');
  }
  assert.equal(s.rows(`SELECT count(*) AS n FROM answers WHERE response_id IN
    (SELECT id FROM responses WHERE invitation_id IN ${of})`)[0].n, answers, 'every answer is still there');
  assert.equal(s.rows(`SELECT count(DISTINCT answered_at) AS n FROM answers WHERE response_id IN
    (SELECT id FROM responses WHERE invitation_id IN ${of})`)[0].n, 1, 'no answer\'s time tells one child from another');
  assert.equal(s.rows("SELECT count(*) AS n FROM audit WHERE action = 'mapping_close'")[0].n, 1);
  const q = await kids[0].get('/q');
  assert.equal(q.status, 303, 'the sessions of the round are gone');
  for (const code of codes) {
    const c = child(s);
    const x = await c.login(code);
    const secret = await c.get('/secret');
    assert.ok(x.status !== 303 || x.location !== '/q', 'a code of a closed round does not log in');
    assert.ok(!/name="again"/.test(secret.text), 'nor is a new secret asked for it');
  }
  const slipsAfter = await slips(groupOf('Stängs', 'Grupp'), 2);
  assert.equal(slipsAfter.status, 409, 'a closed round prints no more slips');
});

test('a round past its last day is closed at the next login', T, async () => {
  await makeRound('Förra året', 'Grupp; 12', { opens: '2025-01-01', closes: '2099-12-31' });
  const { codes } = await slips(groupOf('Förra året', 'Grupp'), 2);
  const c = child(s);
  await c.login(codes[0]);
  await walk(c, {}, { pick: middle });
  s.db("UPDATE mapping_rounds SET closes = '2025-12-31' WHERE name = 'Förra året';");
  const other = child(s);
  const r = await other.login(codes[1]);
  assert.ok(r.status !== 303 || r.location !== '/q', 'the code of a round past its last day does not log in');
  const row = s.rows("SELECT closed_at FROM mapping_rounds WHERE name = 'Förra året'")[0];
  assert.ok(row.closed_at > 0, 'closed');
  assert.equal(s.rows("SELECT actor, detail FROM audit WHERE action = 'mapping_close' ORDER BY id DESC LIMIT 1")[0].actor,
    'berattad');
});

test('a bad round is refused with the error page and nothing is made', T, async () => {
  const rounds = s.count('mapping_rounds');
  const groups = s.count('mapping_groups');
  for (const [fields, status] of [
    [{ name: 'X', groups: 'Klass 4A' }, 400],
    [{ name: 'X', groups: 'Klass 4A; 0' }, 400],
    [{ name: 'X', groups: 'Klass 4A; 1001' }, 400],
    [{ name: 'X', groups: 'Klass 4A; 20\nKlass 4A; 21' }, 400],
    [{ name: 'X', groups: '' }, 400],
    [{ name: '', groups: 'A; 2' }, 400],
    [{ name: 'X', groups: 'A; 2', opens: '2026-05-01', closes: '2026-04-01' }, 400],
    [{ name: 'X', groups: 'A; 2', closes: '2026-13' }, 400],
  ]) {
    const page = await pro.get('/staff/mapping');
    const r = await pro.post('/staff/mapping', { csrf: csrfOf(page.text), unit: unitId, opens: '2026-01-01',
      closes: '2099-12-31', ...fields });
    assert.equal(r.status, status, JSON.stringify(fields));
    assert.match(r.text, /<html/);
  }
  assert.equal(s.count('mapping_rounds'), rounds);
  assert.equal(s.count('mapping_groups'), groups);
  const big = await slips(groupOf('Trivsel 2026', 'Klass 4A'), 301);
  assert.equal(big.status, 400, 'at most 300 slips at once');
});

test('beratta mapping close-due closes a round past its last day without a visit', T, async () => {
  await makeRound('Utan besök', 'Grupp; 12');
  await slips(groupOf('Utan besök', 'Grupp'), 2);
  s.db("UPDATE mapping_rounds SET closes = '2025-12-31' WHERE name = 'Utan besök';");
  const out = cli(s, ['mapping', 'close-due', 'demo']);
  assert.match(String(out.stdout ?? out), /1 mapping round closed/);
  assert.ok(s.rows("SELECT closed_at FROM mapping_rounds WHERE name = 'Utan besök'")[0].closed_at > 0);
  assert.equal(s.rows(`SELECT count(*) AS n FROM invitations WHERE group_id = ${groupOf('Utan besök', 'Grupp')}
    AND secret_hash IS NULL`)[0].n, 2);
  const again = cli(s, ['mapping', 'close-due', 'demo']);
  assert.match(String(again.stdout ?? again), /0 mapping rounds closed/);
});
