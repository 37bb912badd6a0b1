// hostile.test.mjs: malformed and hostile requests through nginx to the
// daemon.  Each one gets a clear refusal — an error page in Swedish with
// status 400 or 413 where the daemon answers, a redirect to the start for a
// session that is not one — and changes nothing that is stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, child, raw, langOf, questionOf } from './stack.mjs';

const T = { timeout: 60000 };
const E400 = 'Vi kunde inte läsa det som skickades. Inget har ändrats.';
const E403 = 'Formuläret hade gått ut eller kom inte från den här sidan.';
const E404 = 'Sidan finns inte.';
const E413 = 'Det som skickades är för långt. Inget har ändrats.';
const SQLI = "' OR 1=1 --";

let s;
let n = 0;

before(async () => {
  s = await start({ workers: 2, threads: 4 });
});

after(async () => {
  if (s) await s.stop();
});

// A logged-in child on its first question.
async function loggedIn(name) {
  n += 1;
  const lbl = `hostile-${name}-${n}`;
  const [code] = s.invite(1, lbl);
  const c = child(s);
  const r = await c.login(code);
  assert.equal(r.status, 303, r.text);
  const q = await c.get('/q');
  assert.equal(q.status, 200);
  return { c, label: lbl, code };
}

function snapshot() {
  return {
    answers: s.count('answers'),
    sessions: s.count('sessions'),
    invitations: s.count('invitations'),
    responses: s.count('responses'),
  };
}

function assertPage(r, status, text) {
  assert.equal(r.status, status, `${r.status}: ${r.text.slice(0, 500)}`);
  assert.equal(langOf(r.text), 'sv');
  assert.ok(r.text.includes(text), `expected "${text}" in ${r.text.slice(0, 500)}`);
  assert.ok(r.text.includes('href="/"'), 'a way back');
}

// POSTs body (a raw urlencoded string) to /answer as a logged-in child
// and checks the refusal page and that nothing changed.
async function refused(name, body, status, text) {
  const { c } = await loggedIn(name);
  const was = snapshot();
  const r = await c.post('/answer', typeof body === 'function' ? body(c) : body);
  assertPage(r, status, text);
  assert.deepEqual(snapshot(), was, 'nothing stored');
  // The child can go on afterwards.
  const ok = await c.answer('home_feel', 'good');
  assert.equal(ok.status, 303);
  return r;
}

test('invalid UTF-8 in a form value (%C3%28) is 400', T, async () => {
  await refused('utf8', (c) => `csrf=${c.csrf}&q=home_feel&answer=%C3%28`, 400, E400);
});

test('an overlong UTF-8 form (%C0%AF) is 400', T, async () => {
  await refused('overlong', (c) => `csrf=${c.csrf}&q=home_feel&answer=%C0%AF`, 400, E400);
});

test('a NUL byte (%00) in a form value is 400', T, async () => {
  await refused('nul', (c) => `csrf=${c.csrf}&q=home_feel&answer=good%00`, 400, E400);
});

test('a UTF-16 surrogate (%ED%A0%80) in a form value is 400', T, async () => {
  await refused('surrogate', (c) => `csrf=${c.csrf}&q=home_feel&answer=%ED%A0%80`, 400, E400);
});

test('CR/LF in a field name is 400', T, async () => {
  await refused('crlf', (c) => `csrf=${c.csrf}&q=home_feel&ans%0D%0Awer=good`, 400, E400);
});

test('a 1 MB field is 413', T, async () => {
  await refused('mb', (c) => `csrf=${c.csrf}&q=home_worry&answer=${'a'.repeat(1024 * 1024)}`, 413, E413);
});

test('10,000 fields are 413', T, async () => {
  await refused('fields', (c) => `csrf=${c.csrf}&q=home_feel&answer=good&${'x=1&'.repeat(10000)}`, 413, E413);
});

test('a parameter given twice (q) is 400', T, async () => {
  await refused('dup', (c) => `csrf=${c.csrf}&q=home_feel&q=home_adult&answer=good`, 400, E400);
});

test('a CSRF token given twice is refused (403)', T, async () => {
  await refused('dupcsrf', (c) => `csrf=${c.csrf}&csrf=${c.csrf}&q=home_feel&answer=good`, 403, E403);
});

test('broken percent escapes are 400', T, async () => {
  for (const bad of ['good%G1', 'good%4', 'good%', '%%41', '%zz']) {
    await refused(`escape-${bad}`, (c) => `csrf=${c.csrf}&q=home_feel&answer=${bad}`, 400, E400);
  }
});

test('invalid UTF-8 in the path or the query string is 400', T, async () => {
  const { c } = await loggedIn('query');
  const was = snapshot();
  assertPage(await c.get('/q?x=%C3%28'), 400, E400);
  assertPage(await c.get('/q?x=a%00b'), 400, E400);
  const r = await raw(s, 'GET /%C3%28 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  assert.equal(r.status, 400, r.statusLine);
  assert.ok(r.body.includes(E400), r.body);
  assert.deepEqual(snapshot(), was);
});

test('a negative Content-Length is refused at once and stores nothing', T, async () => {
  const { c } = await loggedIn('negcl');
  const was = snapshot();
  const body = `csrf=${c.csrf}&q=home_feel&answer=good`;
  const r = await raw(s, 'POST /answer HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
    `Cookie: beratta=${c.cookie('beratta')}\r\n` +
    'Content-Type: application/x-www-form-urlencoded\r\n' +
    `Content-Length: -${body.length}\r\nConnection: close\r\n\r\n${body}`, { timeoutMs: 5000 });
  assert.ok(!r.timedOut, 'answered or closed within 5 s');
  // nginx refuses it before the daemon sees it (its own page).
  assert.equal(r.status, 400, r.statusLine);
  assert.deepEqual(snapshot(), was);
});

test('a Content-Length larger than the body never hangs and stores nothing', T, async () => {
  const { c } = await loggedIn('longcl');
  const was = snapshot();
  const body = `csrf=${c.csrf}&q=home_feel&answer=good`;
  const head = 'POST /answer HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
    `Cookie: beratta=${c.cookie('beratta')}\r\n` +
    'Content-Type: application/x-www-form-urlencoded\r\n' +
    `Content-Length: ${body.length + 100}\r\nConnection: close\r\n\r\n`;
  // The client sends less than it announced and then has nothing more.
  // Answered (a status line) or closed within the time; nginx may linger
  // after its answer before it closes, which is not a hang.
  const r = await raw(s, head + body, { timeoutMs: 8000, end: true });
  assert.ok(!r.timedOut || r.status !== null, 'answered or closed within 8 s');
  assert.ok(r.status === null || r.status === 400, r.statusLine);
  assert.deepEqual(snapshot(), was);
  // The same, announcing more than the daemon's limit.
  const r2 = await raw(s, head.replace(/Content-Length: \d+/, 'Content-Length: 999999999') + body,
    { timeoutMs: 8000, end: true });
  assert.ok(!r2.timedOut || r2.status !== null, 'answered or closed within 8 s');
  assert.ok(r2.status === null || r2.status === 413 || r2.status === 400, r2.statusLine);
  assert.deepEqual(snapshot(), was);
  // The child's session still works.
  assert.equal((await c.answer('home_feel', 'good')).status, 303);
});

test('SQL metacharacters in every field are refused or stored literally; the database is intact', T, async () => {
  const { c, label: lbl } = await loggedIn('sql');
  const was = snapshot();
  // In the code at login.
  const anon = child(s);
  await anon.get('/');
  assert.equal((await anon.post('/login', { csrf: anon.csrf, code: SQLI })).status, 400);
  assert.equal((await anon.post('/login', { csrf: SQLI, code: SQLI })).status, 403);
  // In the CSRF token, the question id, the answer and the special field.
  assertPage(await c.post('/answer', { csrf: SQLI, q: 'home_feel', answer: 'good' }), 403, E403);
  assertPage(await c.post('/answer', { csrf: c.csrf, q: SQLI, answer: 'good' }), 400, E400);
  const bad = await c.post('/answer', { csrf: c.csrf, q: 'home_feel', answer: SQLI });
  assert.equal(bad.status, 400);
  assert.equal(questionOf(bad.text), 'home_feel');
  const sp = await c.post('/answer', { csrf: c.csrf, q: 'home_feel', special: SQLI });
  assert.equal(sp.status, 400);
  // In a field name, a cookie and the language.
  assert.equal((await c.post('/answer', [['csrf', c.csrf], ['q', 'home_feel'], ['answer', 'bad'], [SQLI, SQLI]])).status, 303);
  assert.equal((await c.post('/language', { csrf: c.csrf, lang: SQLI })).status, 400);
  const other = child(s);
  other.setCookie('beratta', SQLI);
  const q = await other.get('/q');
  assert.equal(q.status, 303);
  assert.equal(q.location, '/');
  // Where free text is allowed it is stored as written.
  assert.equal((await c.answer('home_worry', SQLI)).status, 303);
  const rows = s.rows(`SELECT a.question, a.value FROM answers a
    JOIN responses r ON r.id = a.response_id JOIN invitations i ON i.id = r.invitation_id
    WHERE i.label = '${lbl}' ORDER BY a.id;`);
  assert.deepEqual(rows, [
    { question: 'home_feel', value: 'o:bad' },
    { question: 'home_worry', value: `t:${SQLI}` },
  ]);
  const now = snapshot();
  assert.equal(now.answers, was.answers + 2);
  assert.equal(now.sessions, was.sessions);
  assert.equal(now.invitations, was.invitations);
  assert.equal(s.db('PRAGMA integrity_check;'), 'ok');
  assert.equal(s.db("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name);"),
    'alerts,answers,audit,children,invitations,login_failures,mapping_counts,mapping_groups,mapping_levels,mapping_round_counts,mapping_rounds,' +
    'recovery_codes,' +
    'responses,sessions,set_versions,slip_batches,staff,staff_sessions,staff_units,units');
});

test('../ in the path never leaves the site: 404 (or 400 above the root)', T, async () => {
  const was = snapshot();
  for (const p of ['/static/../etc/passwd', '/q/../dev', '/static/..%2fdev', '/static/%2e%2e/beratta.conf.lua']) {
    const r = await raw(s, `GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    assert.equal(r.status, 404, `${p}: ${r.statusLine}`);
    assert.ok(r.body.includes(E404), `${p}: the daemon's page`);
  }
  // Above the root nginx refuses the request line itself.
  for (const p of ['/../etc/passwd', '/static/../../dev', '/%2e%2e/%2e%2e/etc/passwd']) {
    const r = await raw(s, `GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    assert.ok(r.status === 400 || r.status === 404, `${p}: ${r.statusLine}`);
    assert.ok(!/root:|set -euo|socket =/.test(r.body), `${p}: no file content`);
  }
  assert.deepEqual(snapshot(), was);
});

test('a session cookie with garbage redirects to the start and stores nothing', T, async () => {
  const { c } = await loggedIn('garbage');
  const was = snapshot();
  const csrf = c.csrf;
  for (const junk of ['x', 'A'.repeat(43) + '%', '\u00e5'.repeat(43), 'A'.repeat(5000), '"' + 'a'.repeat(41) + '"']) {
    const g = child(s);
    g.setCookie('beratta', encodeURIComponent(junk).slice(0, 6000));
    const q = await g.get('/q');
    assert.equal(q.status, 303, junk.slice(0, 10));
    assert.equal(q.location, '/');
    const a = await g.post('/answer', { csrf, q: 'home_feel', answer: 'good' });
    assert.equal(a.status, 303);
    assert.equal(a.location, '/');
  }
  assert.deepEqual(snapshot(), was);
});

test('an unknown session token redirects to the start', T, async () => {
  const g = child(s);
  g.setCookie('beratta', Buffer.alloc(32, 7).toString('base64url'));
  const was = snapshot();
  const q = await g.get('/q');
  assert.equal(q.status, 303);
  assert.equal(q.location, '/');
  const a = await g.post('/answer', { csrf: 'A'.repeat(43), q: 'home_feel', answer: 'good' });
  assert.equal(a.status, 303);
  assert.equal(a.location, '/');
  assert.deepEqual(snapshot(), was);
});

test('an expired session redirects to the start and stores nothing', T, async () => {
  const { c, label: lbl } = await loggedIn('expired');
  // The configuration's idle limit is 1800 s: make the session older.
  s.db(`UPDATE sessions SET seen_at = seen_at - 3600 * 1000000, created_at = created_at - 3600 * 1000000
    WHERE invitation_id = (SELECT id FROM invitations WHERE label = '${lbl}');`);
  const was = snapshot();
  const q = await c.get('/q');
  assert.equal(q.status, 303);
  assert.equal(q.location, '/');
  const a = await c.answer('home_feel', 'good');
  assert.equal(a.status, 303);
  assert.equal(a.location, '/');
  assert.deepEqual(snapshot(), was);
});

// The field tables (core/form.c): the router refuses a field that fails
// before any handler runs, with the clear page, and stores nothing.
test('a special answer the form does not offer (special=seen) is 400', T, async () => {
  await refused('special', (c) => `csrf=${c.csrf}&q=home_feel&special=seen`, 400, E400);
});

test('from= anything but overview is 400', T, async () => {
  await refused('from', (c) => `csrf=${c.csrf}&q=home_feel&answer=good&from=https%3A%2F%2Fevil.example`, 400, E400);
});

test('a question id over 64 bytes is 413 and one of the wrong shape is 400', T, async () => {
  await refused('qidlong', (c) => `csrf=${c.csrf}&q=${'a'.repeat(65)}&answer=good`, 413, E413);
  await refused('qidshape', (c) => `csrf=${c.csrf}&q=Home-Feel&answer=good`, 400, E400);
});

test('GET /q?id= over its limit is 413, of the wrong shape 400, unknown 404', T, async () => {
  const { c } = await loggedIn('qid-get');
  assertPage(await c.get(`/q?id=${'a'.repeat(65)}`), 413, E413);
  assertPage(await c.get('/q?id=..%2Fetc'), 400, E400);
  assertPage(await c.get('/q?id=no_such_question'), 404, E404);
  assert.equal((await c.get('/q')).status, 200, 'the child goes on');
});

test('POST /secret with a secret over its limit is 413 and counts no failure', T, async () => {
  const [code] = s.invite(1, 'hostile-secret-long');
  const c = child(s);
  await c.get('/');
  assert.equal((await c.post('/login', { csrf: c.csrf, code })).status, 303);
  await c.get('/secret');
  const was = snapshot();
  const failures = s.count('login_failures');
  assertPage(await c.post('/secret', { csrf: c.csrf, secret: 'x'.repeat(201), again: 'x'.repeat(201) }), 413, E413);
  assert.deepEqual(snapshot(), was, 'nothing stored');
  assert.equal(s.count('login_failures'), failures, 'no failure counted');
});
