// access.test.mjs: the access matrix of the staff pages, through nginx and
// the real daemon.  Who (nobody; a professional of unit A; of unit B; an
// administrator; an administrator who is also a professional of A; staff
// of another tenant presenting their cookie; a child with a session; a
// professional of A presenting their cookie to the other tenant) × every
// staff route × the object's unit (A or B).  Every cell is asserted,
// refusals included.  The routes are read from core/router.c: a staff
// route without its row here fails the test, so none is added without
// its row.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { BUILD, ROOT, child, csrfOf, start } from './stack.mjs';
import { account, otherBase, otherTenant, staff, unit } from './staff.mjs';

const T = { timeout: 240000 };

// What a cell expects: the page (200), on its way (a 303 to where the
// action leads), back to the login (303 to /staff/), forbidden (403), not
// found (404: no such object, or not this person's).
const OK = 'ok', GO = 'go', LOGIN = 'login', FORBID = 'forbidden', GONE = 'notfound';

const ACTORS = ['none', 'proA', 'proB', 'admin', 'adminProA', 'other', 'child', 'proAatOther'];

// Expected cells by actor, in ACTORS order.
const row = (...cells) => Object.fromEntries(ACTORS.map((a, i) => [a, cells[i]]));

// Shorthands for the usual shapes.
const publicPage = row(OK, OK, OK, OK, OK, OK, OK, OK);
const anyStaff = (c) => row(LOGIN, c, c, c, c, LOGIN, LOGIN, LOGIN);
const adminOnly = (c) => row(LOGIN, FORBID, FORBID, c, c, LOGIN, LOGIN, LOGIN);

// Each route: its method and path, the variants of its object and what
// each actor gets.  fields(ctx) gives the form or query; `spare` rows end
// the actor's session, so they use a second session of theirs.
const ROUTES = [
  { method: 'GET', path: '/staff', cases: [{ name: 'without the slash',
    expect: row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN) }] },
  { method: 'GET', path: '/staff/', cases: [{ expect: publicPage }] },
  { method: 'POST', path: '/staff/login', csrf: 'pre',
    cases: [{ name: 'wrong password', fields: () => ({ login: 'nobody', password: 'x'.repeat(12) }),
      expect: row(FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID) }] },
  { method: 'GET', path: '/staff/factor',
    cases: [{ expect: row(LOGIN, FORBID, FORBID, FORBID, FORBID, LOGIN, LOGIN, LOGIN) }] },
  { method: 'POST', path: '/staff/factor',
    cases: [{ fields: () => ({ code: '000000' }),
      expect: row(LOGIN, FORBID, FORBID, FORBID, FORBID, LOGIN, LOGIN, LOGIN) }] },
  { method: 'GET', path: '/staff/activate',
    cases: [{ name: 'unknown link', query: '?t=' + 'A'.repeat(43),
      expect: row(GONE, GONE, GONE, GONE, GONE, GONE, GONE, GONE) }] },
  { method: 'POST', path: '/staff/activate',
    cases: [{ name: 'unknown link', fields: () => ({ token: 'A'.repeat(43), password: 'x'.repeat(20), again: 'x'.repeat(20) }),
      expect: row(GONE, GONE, GONE, GONE, GONE, GONE, GONE, GONE) }] },
  { method: 'GET', path: '/staff/enrol',
    cases: [{ expect: row(LOGIN, FORBID, FORBID, FORBID, FORBID, LOGIN, LOGIN, LOGIN) }] },
  { method: 'POST', path: '/staff/enrol',
    cases: [{ fields: () => ({ code: '000000' }),
      expect: row(LOGIN, FORBID, FORBID, FORBID, FORBID, LOGIN, LOGIN, LOGIN) }] },
  { method: 'GET', path: '/staff/recovery', cases: [{ expect: anyStaff(OK) }] },
  { method: 'POST', path: '/staff/recovery/new', cases: [{ expect: anyStaff(GO) }] },
  { method: 'POST', path: '/staff/language',
    cases: [{ fields: () => ({ lang: 'en', next: '/staff/sessions' }), expect: row(GO, GO, GO, GO, GO, GO, GO, GO) }] },
  { method: 'GET', path: '/staff/sessions', cases: [{ expect: anyStaff(OK) }] },
  { method: 'POST', path: '/staff/invite', cases: [
    { name: 'in unit A', fields: (c) => ({ unit: c.unitA, label: 'X' }),
      expect: row(LOGIN, GO, FORBID, FORBID, GO, LOGIN, LOGIN, LOGIN) },
    { name: 'in unit B', fields: (c) => ({ unit: c.unitB, label: 'Y' }),
      expect: row(LOGIN, FORBID, GO, FORBID, FORBID, LOGIN, LOGIN, LOGIN) },
    { name: 'in no such unit', fields: () => ({ unit: '999999' }),
      expect: row(LOGIN, FORBID, FORBID, FORBID, FORBID, LOGIN, LOGIN, LOGIN) },
  ] },
  { method: 'GET', path: '/staff/child', cases: [
    { name: 'of unit A', query: (c) => `?id=${c.childA}`,
      expect: row(LOGIN, OK, GONE, FORBID, OK, LOGIN, LOGIN, LOGIN) },
    { name: 'of unit B', query: (c) => `?id=${c.childB}`,
      expect: row(LOGIN, GONE, OK, FORBID, GONE, LOGIN, LOGIN, LOGIN) },
    { name: 'of no unit', query: (c) => `?id=${c.childNone}`,
      expect: row(LOGIN, GONE, GONE, FORBID, GONE, LOGIN, LOGIN, LOGIN) },
    { name: 'that does not exist', query: () => '?id=999999',
      expect: row(LOGIN, GONE, GONE, FORBID, GONE, LOGIN, LOGIN, LOGIN) },
  ] },
  ...['unlock', 'lock', 'reopen', 'renew'].map((what) => ({
    method: 'POST', path: `/staff/child/${what}`, cases: [
      { name: 'of unit A', fields: (c) => ({ id: c.childA }),
        expect: row(LOGIN, GO, GONE, FORBID, GO, LOGIN, LOGIN, LOGIN) },
      { name: 'of unit B', fields: (c) => ({ id: c.childB }),
        expect: row(LOGIN, GONE, GO, FORBID, GONE, LOGIN, LOGIN, LOGIN) },
    ],
  })),
  { method: 'POST', path: '/staff/child/round', cases: [
    { name: 'of unit A', fields: (c) => ({ id: c.childA }),
      expect: row(LOGIN, GO, GONE, FORBID, GO, LOGIN, LOGIN, LOGIN) },
    { name: 'of unit B', fields: (c) => ({ id: c.childB }),
      expect: row(LOGIN, GONE, GO, FORBID, GONE, LOGIN, LOGIN, LOGIN) },
    { name: 'of no unit', fields: (c) => ({ id: c.childNone }),
      expect: row(LOGIN, GONE, GONE, FORBID, GONE, LOGIN, LOGIN, LOGIN) },
  ] },
  { method: 'GET', path: '/staff/compare', cases: [
    { name: 'two rounds of a child of unit A', query: (c) => `?id=${c.childA}&with=${c.childA2}`,
      expect: row(LOGIN, OK, GONE, FORBID, OK, LOGIN, LOGIN, LOGIN) },
    { name: 'two rounds of a child of unit B', query: (c) => `?id=${c.childB2}&with=${c.childB}`,
      expect: row(LOGIN, GONE, OK, FORBID, GONE, LOGIN, LOGIN, LOGIN) },
    { name: 'rounds of two children', query: (c) => `?id=${c.childA}&with=${c.childA3}`,
      expect: row(LOGIN, GONE, GONE, FORBID, GONE, LOGIN, LOGIN, LOGIN) },
    { name: 'a round of unit A with one of unit B', query: (c) => `?id=${c.childA}&with=${c.childB}`,
      expect: row(LOGIN, GONE, GONE, FORBID, GONE, LOGIN, LOGIN, LOGIN) },
  ] },
  { method: 'POST', path: '/staff/alert', cases: [
    { name: 'raised in unit A', fields: (c) => ({ id: c.childA, alert: 'matrix_alert', note: `handled by ${c.actor}` }),
      expect: row(LOGIN, GO, GONE, FORBID, GO, LOGIN, LOGIN, LOGIN) },
    { name: 'raised in unit B', fields: (c) => ({ id: c.childB, alert: 'matrix_alert', note: 'x' }),
      expect: row(LOGIN, GONE, GO, FORBID, GONE, LOGIN, LOGIN, LOGIN) },
    { name: 'never raised, not in the set', fields: (c) => ({ id: c.childA, alert: 'no_such_alert', note: 'x' }),
      expect: row(LOGIN, GONE, GONE, FORBID, GONE, LOGIN, LOGIN, LOGIN) },
  ] },
  { method: 'GET', path: '/staff/slips', cases: [
    { name: 'none waiting', expect: row(LOGIN, OK, OK, OK, OK, LOGIN, LOGIN, LOGIN) },
  ] },
  { method: 'GET', path: '/staff/mapping', cases: [{ expect: row(LOGIN, OK, OK, OK, OK, LOGIN, LOGIN, LOGIN) }] },
  { method: 'POST', path: '/staff/mapping', cases: [
    { name: 'in unit A', fields: (c) => ({ unit: c.unitA, name: `Enkät ${c.actor}`, opens: '2026-01-01',
      closes: '2099-12-31', groups: 'Klass 1; 20' }),
      expect: row(LOGIN, GO, FORBID, GO, GO, LOGIN, LOGIN, LOGIN) },
    { name: 'in unit B', fields: (c) => ({ unit: c.unitB, name: `Enkät B ${c.actor}`, opens: '2026-01-01',
      closes: '2099-12-31', groups: 'Klass 1; 20' }),
      expect: row(LOGIN, FORBID, GO, GO, GO, LOGIN, LOGIN, LOGIN) },
  ] },
  { method: 'POST', path: '/staff/mapping/slips', cases: [
    { name: 'a group of unit A', fields: (c) => ({ id: c.groupA, count: '2' }),
      expect: row(LOGIN, GO, GONE, GO, GO, LOGIN, LOGIN, LOGIN) },
    { name: 'a group of unit B', fields: (c) => ({ id: c.groupB, count: '2' }),
      expect: row(LOGIN, GONE, GO, GO, GO, LOGIN, LOGIN, LOGIN) },
  ] },
  // A mapping invitation is no child's: no page of a child finds it.
  { method: 'GET', path: '/staff/child', cases: [
    { name: 'a mapping invitation of unit A', query: (c) => `?id=${c.mappingInvite}`,
      expect: row(LOGIN, GONE, GONE, FORBID, GONE, LOGIN, LOGIN, LOGIN) },
  ] },
  ...['/staff/mapping/report', '/staff/mapping/report.csv'].map((path) => ({
    method: 'GET', path, cases: [
      { name: 'of unit A', query: (c) => `?id=${c.roundA}`, expect: row(LOGIN, OK, GONE, OK, OK, LOGIN, LOGIN, LOGIN) },
      { name: 'of unit B, one group', query: (c) => `?id=${c.roundB}&group=${c.groupB}`,
        expect: row(LOGIN, GONE, OK, OK, OK, LOGIN, LOGIN, LOGIN) },
      { name: 'a group of another round', query: (c) => `?id=${c.roundA}&group=${c.groupB}`,
        expect: row(LOGIN, GONE, GONE, GONE, GONE, LOGIN, LOGIN, LOGIN) },
    ],
  })),
  ...['/staff/mapping/compare', '/staff/mapping/compare.csv'].map((path) => ({
    method: 'GET', path, cases: [
      { name: 'unit A with itself', query: (c) => `?id=${c.roundA}&with=${c.roundA}`,
        expect: row(LOGIN, OK, GONE, OK, OK, LOGIN, LOGIN, LOGIN) },
      { name: 'unit A with unit B', query: (c) => `?id=${c.roundA}&with=${c.roundB}-${c.groupB}`,
        expect: row(LOGIN, GONE, GONE, OK, OK, LOGIN, LOGIN, LOGIN) },
      { name: 'a group of another round', query: (c) => `?id=${c.roundA}&with=${c.roundA}-${c.groupB}`,
        expect: row(LOGIN, GONE, GONE, GONE, GONE, LOGIN, LOGIN, LOGIN) },
    ],
  })),
  { method: 'POST', path: '/staff/mapping/close', cases: [
    { name: 'a round of unit B', fields: (c) => ({ id: c.roundB }),
      expect: row(LOGIN, GONE, GO, GO, GO, LOGIN, LOGIN, LOGIN) },
  ] },
  { method: 'GET', path: '/staff/units', cases: [{ expect: adminOnly(OK) }] },
  { method: 'POST', path: '/staff/units',
    cases: [{ fields: (c) => ({ name: `Enhet ${c.actor}`, kind: 'other' }), expect: adminOnly(GO) }] },
  { method: 'GET', path: '/staff/people', cases: [{ expect: adminOnly(OK) }] },
  { method: 'POST', path: '/staff/people',
    cases: [{ fields: (c) => ({ login: `new-${c.actor.toLowerCase()}`, name: 'Ny', unit: c.unitA }),
      expect: adminOnly(GO) }] },
  { method: 'POST', path: '/staff/people/reset',
    cases: [{ fields: (c) => ({ id: c.victim }), expect: adminOnly(GO) }] },
  { method: 'POST', path: '/staff/people/disable',
    cases: [{ fields: (c) => ({ id: c.victim }), expect: adminOnly(GO) }] },
  { method: 'POST', path: '/staff/people/roles',
    cases: [{ fields: (c) => ({ id: c.victim, unit: c.unitB }), expect: adminOnly(GO) }] },
  { method: 'GET', path: '/staff/audit', cases: [{ expect: adminOnly(OK) }] },
  // Last: they end sessions (end-all every session of the account).
  // Both end at the login, whether they ended a session or there was none;
  // the sessions they end are checked after the matrix.
  { method: 'POST', path: '/staff/sessions/end-all', spare: true,
    cases: [{ expect: row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN) }] },
  { method: 'POST', path: '/staff/logout', spare: true,
    cases: [{ expect: row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN) }] },
];

let s;
const ctx = {};
const clients = {};
const spares = {};

before(async () => {
  s = await start({ prepare: otherTenant });
  unit(s, 'Enhet A');
  unit(s, 'Enhet B');
  unit(s, 'Annan enhet', 'school', 'other');
  const ids = Object.fromEntries(s.rows('SELECT name, id FROM units').map((r) => [r.name, r.id]));
  ctx.unitA = String(ids['Enhet A']);
  ctx.unitB = String(ids['Enhet B']);
  const accounts = {
    proA: account(s, { login: 'pro-a', units: ['Enhet A'] }),
    proB: account(s, { login: 'pro-b', units: ['Enhet B'] }),
    admin: account(s, { login: 'admin', admin: true }),
    adminProA: account(s, { login: 'admin-a', admin: true, units: ['Enhet A'] }),
    other: account(s, { login: 'other', admin: true, units: ['Annan enhet'], tenant: 'other' }),
  };
  account(s, { login: 'victim' });
  ctx.victim = String(s.rows("SELECT id FROM staff WHERE login = 'victim'")[0].id);
  // The children: one in each unit (started, so lock and unlock have a
  // round), one in no unit (made by the admin tool without -u).
  for (const [key, u] of [['childA', 'Enhet A'], ['childB', 'Enhet B'], ['childNone', null]]) {
    const { execFileSync } = await import('node:child_process');
    const args = ['-c', s.conf, 'invite', '-l', key];
    if (u) args.push('-u', u);
    args.push('demo');
    const code = execFileSync(path.join(BUILD, 'beratta'), args, { encoding: 'utf8' }).trim();
    const c = child(s);
    await c.login(code);
    ctx[key] = String(s.rows(`SELECT id FROM invitations WHERE label = '${key}'`)[0].id);
    if (key === 'childA') clients.child = c;
  }
  // Second rounds (of childA and childB) and a child of unit A besides,
  // for the comparison; an alert raised in the first rounds of A and B.
  for (const [key, of] of [['childA2', 'childA'], ['childB2', 'childB']]) {
    const childId = s.rows(`SELECT child_id FROM invitations WHERE id = ${ctx[of]}`)[0].child_id;
    s.db(`INSERT INTO invitations (code_hash, label, created_at, unit_id, child_id, round)
      SELECT randomblob(32), label, created_at, unit_id, child_id, 2 FROM invitations WHERE id = ${ctx[of]};`);
    ctx[key] = String(s.rows(`SELECT id FROM invitations WHERE child_id = ${childId} AND round = 2`)[0].id);
  }
  {
    execFileSync(path.join(BUILD, 'beratta'), ['-c', s.conf, 'invite', '-l', 'childA3', '-u', 'Enhet A', 'demo'],
      { encoding: 'utf8' });
    ctx.childA3 = String(s.rows("SELECT id FROM invitations WHERE label = 'childA3'")[0].id);
  }
  for (const of of ['childA', 'childB']) {
    s.db(`INSERT INTO responses (invitation_id, set_version, started_at)
      SELECT ${ctx[of]}, 'matrix', 1 WHERE NOT EXISTS
      (SELECT 1 FROM responses WHERE invitation_id = ${ctx[of]});`);
    s.db(`INSERT INTO alerts (response_id, alert, raised_at)
      SELECT id, 'matrix_alert', 1 FROM responses WHERE invitation_id = ${ctx[of]};`);
  }
  // A mapping round in each unit, with a group each and an invitation of
  // unit A's group.
  for (const [key, u] of [['A', ctx.unitA], ['B', ctx.unitB]]) {
    s.db(`INSERT INTO mapping_rounds (unit_id, name, opens, closes, created_at)
      VALUES (${u}, 'Runda ${key}', '2026-01-01', '2099-12-31', 1);
      INSERT INTO mapping_groups (round_id, name, expected) VALUES (last_insert_rowid(), 'Grupp ${key}', 12);`);
    ctx[`round${key}`] = String(s.rows(`SELECT id FROM mapping_rounds WHERE name = 'Runda ${key}'`)[0].id);
    ctx[`group${key}`] = String(s.rows(`SELECT id FROM mapping_groups WHERE name = 'Grupp ${key}'`)[0].id);
  }
  s.db(`INSERT INTO invitations (code_hash, created_at, group_id) VALUES (randomblob(32), 1, ${ctx.groupA});`);
  ctx.mappingInvite = String(s.rows(`SELECT id FROM invitations WHERE group_id = ${ctx.groupA}`)[0].id);
  for (const [name, acc] of Object.entries(accounts)) {
    const base = name === 'other' ? otherBase(s) : undefined;
    const c = staff(s, { base });
    const r = await c.loginAs(acc);
    assert.equal(r.status, 303, `${name} logs in`);
    assert.equal(r.location, '/staff/');
    // A second session for the rows that end one.
    const spare = staff(s, { base });
    assert.equal((await spare.loginAs(acc)).status, 303, `${name} logs in a second time`);
    if (name === 'other') {
      // Their cookie, presented to this tenant.
      clients.other = staff(s);
      clients.other.jar = new Map(c.jar);
      spares.other = staff(s);
      spares.other.jar = new Map(spare.jar);
    } else {
      clients[name] = c;
      spares[name] = spare;
    }
  }
  clients.none = staff(s);
  spares.none = staff(s);
  spares.child = clients.child;
  clients.proAatOther = staff(s, { base: otherBase(s) });
  clients.proAatOther.jar = new Map(clients.proA.jar);
  spares.proAatOther = staff(s, { base: otherBase(s) });
  spares.proAatOther.jar = new Map(spares.proA.jar);
}, T);

after(async () => {
  await s?.stop();
});

// The outcome of a response, in the matrix's words.
function outcome(r) {
  if (r.status === 200) return OK;
  if (r.status === 403) return FORBID;
  if (r.status === 404) return GONE;
  if (r.status === 303) return r.location === '/staff/' ? LOGIN : GO;
  return `status ${r.status}`;
}

test('every staff route in core/router.c has its row in the matrix', () => {
  const src = fs.readFileSync(path.join(ROOT, 'core', 'router.c'), 'utf8');
  const routes = [...src.matchAll(/\{ "(GET|POST)", "(\/staff(?:\/[^"]*)?)"/g)].map((m) => `${m[1]} ${m[2]}`);
  assert.ok(routes.length >= 20, `the staff routes are found (${routes.length})`);
  const rows = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
  assert.deepEqual(routes.filter((r) => !rows.has(r)), [], 'routes without a row');
  assert.deepEqual([...rows].filter((r) => !routes.includes(r)), [], 'rows without a route');
});

for (const route of ROUTES) {
  for (const kase of route.cases) {
    test(`${route.method} ${route.path}${kase.name ? ` (${kase.name})` : ''}: every actor`, T, async () => {
      const got = {};
      for (const actor of ACTORS) {
        const c = (route.spare ? spares : clients)[actor];
        const cctx = { ...ctx, actor };
        const query = typeof kase.query === 'function' ? kase.query(cctx) : (kase.query ?? '');
        let r;
        if (route.method === 'GET') {
          r = await c.get(route.path + query);
        } else {
          // The token a page of this browser carries: the staff start
          // page gives the session's, or sets the pre-login one.
          const csrf = csrfOf((await c.get('/staff/')).text);
          r = await c.post(route.path + query, { csrf: csrf ?? '', ...(kase.fields ? kase.fields(cctx) : {}) });
        }
        got[actor] = outcome(r);
        if (r.status === 500) got[actor] += ` ${s.log().split('\n').slice(-5).join(' | ')}`;
      }
      assert.deepEqual(got, kase.expect);
    });
  }
}

test('log out everywhere ended every session of the staff who used it', async () => {
  assert.equal(s.count('staff_sessions'), 0);
  const r = await clients.proA.get('/staff/sessions');
  assert.equal(outcome(r), LOGIN, 'the main session went with the spare');
});

test('the roles an administrator set are the account\'s, and audited', () => {
  assert.deepEqual(s.rows(`SELECT unit_id FROM staff_units WHERE staff_id = ${ctx.victim}`),
    [{ unit_id: Number(ctx.unitB) }]);
  assert.deepEqual(s.rows("SELECT actor, detail FROM audit WHERE action = 'staff_roles' ORDER BY id"),
    [{ actor: 'admin', detail: 'victim' }, { actor: 'admin-a', detail: 'victim' }]);
});

test('the matrix left the audit trail whole, with the reads of children in it', () => {
  const reads = s.rows("SELECT actor, child FROM audit WHERE action = 'read' ORDER BY id");
  assert.deepEqual(reads.map((r) => `${r.actor}:${r.child}`).sort(),
    ['admin-a:childA', 'pro-a:childA', 'pro-b:childB'].sort());
});
