// staff.test.mjs: the staff side through nginx and the real daemon.
// Logging in with a password and a second factor (TOTP, a step of drift,
// no replay; a recovery code once), a new session token at each step,
// the same answer for an unknown login and a wrong password, throttling
// per account (never per address), idle time and lifetime, "log out
// everywhere", a child's session and an adult's never opening each
// other's pages, activation from a link with a password checked for
// strength and a second factor enrolled by QR code, the audit trail (its
// rows, its chain, never an answer in it), and hostile input on every
// form: the clear error page, and nothing stored changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { BUILD, start, child, csrfOf, langOf } from './stack.mjs';
import {
  account, invited, unit, cli, staff, totpAt, stepNow, midStep, freshCode,
  otherTenant, otherBase,
} from './staff.mjs';

const T = { timeout: 120000 };
const UNIT = 'Skola A';
const E400 = 'Vi kunde inte läsa det som skickades. Inget har ändrats.';
const E403 = 'Formuläret hade gått ut eller kom inte från den här sidan.';
const E413 = 'Det som skickades är för långt. Inget har ändrats.';
// The staff pages' messages (locales/sv.po).
const FAILED = 'Användarnamnet eller lösenordet stämmer inte.';
const LOCKED = 'För många försök misslyckades, så inloggningen är låst en stund.';
const FACTOR_FAILED = 'Koden fungerade inte.';
const PW_WEAK = 'Lösenordet är för lätt att gissa.';
const PW_SHORT = 'Lösenordet är för kort.';
const PW_USER = 'Lösenordet får inte innehålla ditt användarnamn.';
const PW_MISMATCH = 'De två lösenorden är inte likadana.';
// A password libpwquality takes, and one its dictionary refuses.
const GOOD = 'Blåbärssoppa i vinterkvällen 42';
const WEAK = 'password123456';

let s;

before(async () => {
  s = await start({ prepare: otherTenant });
  unit(s, UNIT);
  unit(s, 'Skola B');
});

after(async () => {
  if (s) await s.stop();
});

// The Set-Cookie of name in a response, or undefined.
function setCookie(r, name) {
  return r.setCookies.find((c) => c.startsWith(`${name}=`));
}

function assertFlags(sc) {
  assert.ok(sc, 'a Set-Cookie');
  assert.match(sc, /; HttpOnly(;|$)/, sc);
  assert.match(sc, /; SameSite=Strict(;|$)/, sc);
  assert.match(sc, /; Path=\/(;|$)/, sc);
  assert.doesNotMatch(sc, /; Secure/, `no Secure over plain http: ${sc}`);
}

function assertPage(r, status, text) {
  assert.equal(r.status, status, `${r.status}: ${r.text.slice(0, 600)}`);
  assert.equal(langOf(r.text), 'sv');
  assert.ok(r.text.includes(text), `expected "${text}" in ${r.text.slice(0, 600)}`);
  assert.ok(r.text.includes('href="/"'), 'a way back');
}

const staffId = (login) => Number(s.db(`SELECT id FROM staff WHERE login = '${login}';`));
const sessionsOf = (login) => Number(s.db(`SELECT count(*) FROM staff_sessions WHERE staff_id =
  (SELECT id FROM staff WHERE login = '${login}');`));

// Logged in as acc through the real pages; the client.
async function loggedIn(acc, opts) {
  const c = staff(s, opts);
  const r = await c.loginAs(acc);
  assert.equal(r.status, 303, r.text.slice(0, 600));
  assert.equal(r.location, '/staff/');
  return c;
}

// What the QR code of an <svg> says, read back by zbarimg from the SVG
// itself (through ImageMagick's SVG delegate, librsvg2-bin, which ./dev
// installs).
function decodeQr(svg) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'beratta-qr-'));
  try {
    const file = path.join(tmp, 'qr.svg');
    fs.writeFileSync(file, svg);
    const r = spawnSync('zbarimg', ['--nodbus', '-q', '--raw', file], { encoding: 'utf8', timeout: 20000 });
    assert.equal(r.status, 0, `zbarimg reads the SVG: ${r.stderr}`);
    return r.stdout.trim();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// beratta audit verify demo: { status, stdout, stderr }.
function verify() {
  return spawnSync(path.join(BUILD, 'beratta'), ['-c', s.conf, 'audit', 'verify', 'demo'],
    { encoding: 'utf8', timeout: 30000 });
}

// ---------------------------------------------------------------------
// Logging in.

test('password and TOTP log in: 303 to /staff/, the cookie HttpOnly, SameSite=Strict, Path=/, pages no-store', T, async () => {
  const acc = account(s, { login: 'login-ok', units: [UNIT] });
  const c = staff(s);
  const page = await c.get('/staff/');
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('cache-control'), 'no-store');
  assert.ok(csrfOf(page.text), 'the login form has a CSRF token');
  assert.match(page.text, /name="password"/);
  const r1 = await c.post('/staff/login', { csrf: csrfOf(page.text), login: acc.login, password: acc.password });
  assert.equal(r1.status, 303, r1.text.slice(0, 600));
  assert.equal(r1.location, '/staff/factor');
  assertFlags(setCookie(r1, 'beratta_staff'));
  const half = c.cookie('beratta_staff');
  assert.ok(half);
  const f = await c.get('/staff/factor');
  assert.equal(f.status, 200);
  assert.equal(f.headers.get('cache-control'), 'no-store');
  const r2 = await c.post('/staff/factor', { csrf: csrfOf(f.text), code: await freshCode(acc) });
  assert.equal(r2.status, 303, r2.text.slice(0, 600));
  assert.equal(r2.location, '/staff/');
  assertFlags(setCookie(r2, 'beratta_staff'));
  const full = c.cookie('beratta_staff');
  assert.notEqual(full, half, 'a new token once the second factor is right');
  for (const p of ['/staff/', '/staff/sessions', '/staff/recovery']) {
    const r = await c.get(p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers.get('cache-control'), 'no-store', p);
  }
  assert.doesNotMatch((await c.get('/staff/')).text, /name="password"/, 'logged in: no login form');
  assert.equal(sessionsOf(acc.login), 1, 'the half-done session ended');
  // The token of the password step opens nothing any more.
  const old = staff(s);
  old.setCookie('beratta_staff', half);
  for (const p of ['/staff/sessions', '/staff/factor', '/staff/recovery', '/staff/enrol']) {
    const r = await old.get(p);
    assert.equal(r.status, 303, p);
    assert.equal(r.location, '/staff/', p);
  }
  const login = await old.get('/staff/');
  assert.equal(login.status, 200);
  assert.match(login.text, /name="password"/, 'the login page, as for nobody');
  // Nor does it at the factor step.
  const again = await old.post('/staff/factor', { csrf: csrfOf(f.text), code: '123456' });
  assert.equal(again.status, 303);
  assert.equal(again.location, '/staff/');
});

test('an unknown login and a wrong password get the same answer (403), both counted', T, async () => {
  const acc = account(s, { login: 'same-answer' });
  const failures = s.count('login_failures');
  const a = staff(s);
  const ra = await a.password('ingen-sadan', 'ett helt fel lösenord');
  const b = staff(s);
  const rb = await b.password(acc.login, 'ett helt fel lösenord');
  for (const r of [ra, rb]) {
    assert.equal(r.status, 403);
    assert.ok(r.text.includes(FAILED), r.text.slice(0, 600));
    assert.equal(setCookie(r, 'beratta_staff'), undefined, 'no session');
  }
  const norm = (r, login) => r.text.replaceAll(csrfOf(r.text), 'CSRF').replaceAll(login, 'LOGIN');
  assert.equal(norm(ra, 'ingen-sadan'), norm(rb, acc.login), 'the same page');
  assert.equal(s.count('login_failures'), failures + 2, 'each login typed counts, known or not');
  assert.equal(sessionsOf(acc.login), 0);
});

test('a failed login of a login that does not exist is audited without breaking the chain', T, async () => {
  const before = s.count('audit');
  const r = await staff(s).password('finns-inte', 'ett helt fel lösenord');
  assert.equal(r.status, 403);
  const rows = s.rows(`SELECT action, staff_id FROM audit WHERE id > ${before};`);
  assert.deepEqual(rows, [{ action: 'login_failed', staff_id: null }]);
  const v = verify();
  assert.equal(v.status, 0, v.stdout + v.stderr);
});

test('5 wrong passwords lock the account: the right one is refused too; another account logs in from the same client', T, async () => {
  const a = account(s, { login: 'throttle-a' });
  const b = account(s, { login: 'throttle-b' });
  const c = staff(s);
  for (let i = 1; i <= 4; i++) {
    const r = await c.password(a.login, `fel lösenord nummer ${i}`);
    assert.equal(r.status, 403);
    assert.ok(r.text.includes(FAILED), `try ${i}: the usual answer`);
    assert.ok(!r.text.includes(LOCKED), `try ${i}: not locked yet`);
  }
  const fifth = await c.password(a.login, 'fel lösenord nummer 5');
  assert.equal(fifth.status, 403);
  assert.ok(fifth.text.includes(LOCKED), 'the fifth wrong try locks');
  const right = await c.password(a.login, a.password);
  assert.equal(right.status, 403);
  assert.ok(right.text.includes(LOCKED), 'locked: the right password is refused too');
  assert.equal(setCookie(right, 'beratta_staff'), undefined);
  assert.equal(sessionsOf(a.login), 0);
  const rows = s.rows('SELECT failures, locked_until FROM login_failures WHERE failures = 5;');
  assert.equal(rows.length, 1, JSON.stringify(rows));
  const now = Date.now() * 1000;
  assert.ok(rows[0].locked_until > now + 50e6, 'locked');
  // Per account, never per address: the same client, another account.
  const other = await c.loginAs(b);
  assert.equal(other.status, 303);
  assert.equal(other.location, '/staff/');
  // The lock ends after its time (moved into the past here); the right
  // password works again and, with the second factor, the count is forgotten.
  s.db('UPDATE login_failures SET locked_until = 1 WHERE failures = 5;');
  await loggedIn(a);
  assert.equal(s.rows('SELECT failures FROM login_failures WHERE failures = 5;').length, 0);
  assert.equal(Number(s.db(`SELECT count(*) FROM audit WHERE action = 'login_failed' AND actor = '${a.login}';`)), 5);
  // For a minute (account_locked_until), not a child's quarter of an hour.
  assert.ok(rows[0].locked_until <= now + 61e6,
    `locked for a minute: until ${rows[0].locked_until}, ${(rows[0].locked_until - now) / 1e6} s from now`);
});

test('a staff account is never locked for good: after 20 failures the lock is at most an hour', T, async () => {
  const a = account(s, { login: 'throttle-forever' });
  const keys = () => new Set(s.rows('SELECT hex(code_hash) AS k FROM login_failures;').map((r) => r.k));
  const was = keys();
  assert.equal((await staff(s).password(a.login, 'fel lösenord en gång')).status, 403);
  const mine = [...keys()].filter((k) => !was.has(k));
  assert.equal(mine.length, 1, 'one row for the account');
  const where = `WHERE hex(code_hash) = '${mine[0]}'`;
  // 19 failures so far (the waits between them skipped), then one more.
  s.db(`UPDATE login_failures SET failures = 19, locked_until = 0 ${where};`);
  const r = await staff(s).password(a.login, 'fel lösenord igen');
  assert.equal(r.status, 403);
  assert.ok(r.text.includes(LOCKED));
  const [row] = s.rows(`SELECT failures, locked_until FROM login_failures ${where};`);
  assert.equal(row.failures, 20);
  const now = Date.now() * 1000;
  assert.ok(row.locked_until > now && row.locked_until <= now + 3601e6,
    `locked until ${row.locked_until}: at most an hour from now (${now})`);
});

test('TOTP: a code one step old is accepted, two steps old refused, a code already used refused', T, async () => {
  // One step old.
  const a = account(s, { login: 'totp-old' });
  const c = staff(s);
  assert.equal((await c.password(a.login, a.password)).location, '/staff/factor');
  await midStep();
  const r = await c.factor(totpAt(a.seed, stepNow() - 1));
  assert.equal(r.status, 303, r.text.slice(0, 600));
  assert.equal(r.location, '/staff/');
  // Two steps old.
  const b = account(s, { login: 'totp-older' });
  const d = staff(s);
  assert.equal((await d.password(b.login, b.password)).location, '/staff/factor');
  await midStep();
  const old = await d.factor(totpAt(b.seed, stepNow() - 2));
  assert.equal(old.status, 403);
  assert.ok(old.text.includes(FACTOR_FAILED), old.text.slice(0, 600));
  assert.equal(setCookie(old, 'beratta_staff'), undefined, 'no new session');
  assert.equal((await d.get('/staff/sessions')).location, '/staff/', 'not logged in');
  // The session is still at its second step: a right code now works.
  await midStep();
  const now = await d.factor(totpAt(b.seed, stepNow()));
  assert.equal(now.status, 303);
  assert.equal(now.location, '/staff/');
  // Replay: the same code for a second login of the account.
  const e = account(s, { login: 'totp-replay' });
  const c1 = staff(s);
  const c2 = staff(s);
  assert.equal((await c1.password(e.login, e.password)).location, '/staff/factor');
  assert.equal((await c2.password(e.login, e.password)).location, '/staff/factor');
  await midStep();
  const step = stepNow();
  const code = totpAt(e.seed, step);
  assert.equal((await c1.factor(code)).status, 303);
  const replay = await c2.factor(code);
  assert.equal(replay.status, 403);
  assert.ok(replay.text.includes(FACTOR_FAILED));
  assert.equal((await c2.get('/staff/sessions')).location, '/staff/');
  assert.equal(Number(s.db(`SELECT totp_last FROM staff WHERE login = '${e.login}';`)), step);
  assert.equal(sessionsOf(e.login), 2, 'one logged in, one still at the second step');
  assert.equal(Number(s.db(`SELECT count(*) FROM staff_sessions WHERE stage = 3 AND staff_id = ${staffId(e.login)};`)), 1);
});

test('a recovery code logs in once; the same code a second time is refused', T, async () => {
  const acc = account(s, { login: 'recovery-user' });
  assert.equal(acc.recovery.length, 10);
  const c = staff(s);
  assert.equal((await c.password(acc.login, acc.password)).location, '/staff/factor');
  const r = await c.factor(acc.recovery[0]);
  assert.equal(r.status, 303, r.text.slice(0, 600));
  assert.equal(r.location, '/staff/');
  assert.equal(Number(s.db(`SELECT count(*) FROM recovery_codes WHERE used_at IS NOT NULL AND staff_id = ${staffId(acc.login)};`)), 1);
  const d = staff(s);
  assert.equal((await d.password(acc.login, acc.password)).location, '/staff/factor');
  const again = await d.factor(acc.recovery[0]);
  assert.equal(again.status, 403);
  assert.ok(again.text.includes(FACTOR_FAILED));
  assert.equal((await d.get('/staff/sessions')).location, '/staff/');
  // Another code, typed in lower case without its dashes, works.
  const e = staff(s);
  await e.password(acc.login, acc.password);
  const typed = await e.factor(acc.recovery[1].toLowerCase().replaceAll('-', ''));
  assert.equal(typed.status, 303);
  assert.equal(typed.location, '/staff/');
  assert.equal(Number(s.db(`SELECT count(*) FROM recovery_codes WHERE used_at IS NULL AND staff_id = ${staffId(acc.login)};`)), 8);
});

// ---------------------------------------------------------------------
// Sessions.

test('a staff session ends after staff_idle without use, and after staff_lifetime even in use', { timeout: 180000 }, async () => {
  const t = await start({
    workers: 1,
    threads: 2,
    prepare(st) {
      const c = fs.readFileSync(st.conf, 'utf8');
      const edited = c.replace(/demo = true \}/, 'demo = true, staff_idle = 60, staff_lifetime = 300 }');
      assert.notEqual(edited, c, 'the tenant demo in the configuration');
      fs.writeFileSync(st.conf, edited);
    },
  });
  try {
    const acc = account(t, { login: 'idle-user' });
    const login = async () => {
      const c = staff(t);
      const r = await c.loginAs(acc);
      assert.equal(r.status, 303);
      assert.equal(r.location, '/staff/');
      return c;
    };
    const mine = (sql) => t.db(`${sql} WHERE staff_id = (SELECT id FROM staff WHERE login = 'idle-user');`);
    // Idle: 55 s unused is still live; 61 s is not.
    const c = await login();
    assert.equal((await c.get('/staff/sessions')).status, 200);
    mine('UPDATE staff_sessions SET seen_at = seen_at - 55000000');
    assert.equal((await c.get('/staff/sessions')).status, 200, '55 s idle: still live');
    mine('UPDATE staff_sessions SET seen_at = seen_at - 61000000');
    let r = await c.get('/staff/sessions');
    assert.equal(r.status, 303, 'idle');
    assert.equal(r.location, '/staff/');
    // Lifetime: begun 290 s ago and in use is live; 301 s is not.
    const d = await login();
    mine('UPDATE staff_sessions SET created_at = created_at - 290000000');
    assert.equal((await d.get('/staff/sessions')).status, 200, 'within its lifetime');
    mine('UPDATE staff_sessions SET created_at = created_at - 11000000');
    const seen = Number(mine('SELECT max(seen_at) FROM staff_sessions'));
    assert.ok(seen > Date.now() * 1000 - 10e6, 'seen just now');
    r = await d.get('/staff/sessions');
    assert.equal(r.status, 303, 'past its lifetime, though in use');
    assert.equal(r.location, '/staff/');
    assert.equal((await d.get('/staff/')).status, 200, 'the login page');
  } finally {
    await t.stop();
  }
});

test('log out everywhere: both sessions of the account end, another account\'s stays', T, async () => {
  const acc = account(s, { login: 'everywhere' });
  const c1 = await loggedIn(acc);
  const c2 = await loggedIn(acc);
  const bystander = await loggedIn(account(s, { login: 'bystander' }));
  const page = await c1.get('/staff/sessions');
  assert.equal(page.status, 200);
  assert.equal(sessionsOf(acc.login), 2);
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(page.text);
  assert.ok(tbody, 'a table of sessions');
  assert.equal((tbody[1].match(/<tr\b/g) || []).length, 2, 'the page lists both sessions');
  assert.equal((tbody[1].match(/<tr class="current"/g) || []).length, 1, 'this one marked');
  const token1 = c1.cookie('beratta_staff');
  const r = await c1.post('/staff/sessions/end-all', { csrf: csrfOf(page.text) });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/staff/');
  assert.match(setCookie(r, 'beratta_staff') ?? '', /^beratta_staff=;.*Max-Age=0/);
  assert.equal(sessionsOf(acc.login), 0);
  for (const [who, c] of [['this one', c1], ['the other', c2]]) {
    const g = await c.get('/staff/sessions');
    assert.equal(g.status, 303, who);
    assert.equal(g.location, '/staff/', who);
  }
  const replay = staff(s);
  replay.setCookie('beratta_staff', token1);
  assert.equal((await replay.get('/staff/sessions')).location, '/staff/', 'its token ended on the server');
  assert.equal((await bystander.get('/staff/sessions')).status, 200, 'nobody else logged out');
  assert.equal(Number(s.db(`SELECT count(*) FROM audit WHERE action = 'logout_all' AND actor = '${acc.login}';`)), 1);
});

test('a child\'s session never opens a staff page, nor a staff session a child\'s page, nor another tenant\'s', T, async () => {
  const [code] = s.invite(1, 'cross-child');
  const ch = child(s);
  const li = await ch.login(code);
  assert.equal(li.location, '/q');
  let r = await ch.get('/staff/sessions');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/staff/');
  assert.match((await ch.get('/staff/')).text, /name="password"/, 'the staff login page, as for nobody');
  // The child's token in the staff cookie.
  const x = staff(s);
  x.setCookie('beratta_staff', ch.cookie('beratta'));
  r = await x.get('/staff/sessions');
  assert.equal(r.location, '/staff/');
  // A member of staff on the child's pages.
  const acc = account(s, { login: 'cross-staff', units: [UNIT] });
  const st = await loggedIn(acc);
  r = await st.get('/q');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/');
  const y = child(s);
  y.setCookie('beratta', st.cookie('beratta_staff'));
  assert.equal((await y.get('/q')).location, '/', 'the staff token in the child\'s cookie');
  // Both still work where they belong.
  assert.equal((await ch.get('/q')).status, 200);
  assert.equal((await st.get('/staff/sessions')).status, 200);
  // The staff cookie at the other tenant's address opens nothing there.
  const z = staff(s, { base: otherBase(s) });
  z.setCookie('beratta_staff', st.cookie('beratta_staff'));
  r = await z.get('/staff/sessions');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/staff/');
});

// ---------------------------------------------------------------------
// Activation and enrolment.

test('activation: a weak or mismatched password is refused (400); a good one leads to enrolling the second factor by QR code', T, async (t) => {
  const inv = invited(s, { login: 'ny-kollega', name: 'Ny Kollega', units: [UNIT] });
  assert.ok(inv.url.startsWith(`${s.base}/staff/activate?t=`), inv.url);
  const link = inv.url.slice(s.base.length);
  const token = new URL(inv.url).searchParams.get('t');
  const c = staff(s);
  const page = await c.get(link);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('cache-control'), 'no-store');
  const csrf = csrfOf(page.text);
  assert.ok(csrf);
  const noPassword = () => s.db(`SELECT password_hash IS NULL AND totp_pending IS NULL
    AND activation_hash IS NOT NULL FROM staff WHERE login = 'ny-kollega';`);
  for (const [why, password, again, message] of [
    ['in the dictionary', WEAK, WEAK, PW_WEAK],
    ['too short', 'kort', 'kort', PW_SHORT],
    ['the login in it', 'ny-kollega-ny-kollega', 'ny-kollega-ny-kollega', PW_USER],
    ['not the same twice', GOOD, `${GOOD}!`, PW_MISMATCH],
  ]) {
    const r = await c.post('/staff/activate', { csrf, token, password, again });
    assert.equal(r.status, 400, `${why}: ${r.text.slice(0, 600)}`);
    assert.ok(r.text.includes(message), `${why}: "${message}" in the page`);
    assert.ok(csrfOf(r.text), `${why}: the form again`);
    assert.equal(setCookie(r, 'beratta_staff'), undefined, why);
    assert.equal(noPassword(), '1', `${why}: nothing stored`);
  }
  const ok = await c.post('/staff/activate', { csrf, token, password: GOOD, again: GOOD });
  assert.equal(ok.status, 303, ok.text.slice(0, 600));
  assert.equal(ok.location, '/staff/enrol');
  assertFlags(setCookie(ok, 'beratta_staff'));
  const row = s.rows(`SELECT password_hash, totp_pending IS NOT NULL AS pending, totp_sealed IS NULL AS unsealed,
    activation_hash IS NULL AS used FROM staff WHERE login = 'ny-kollega';`)[0];
  assert.match(row.password_hash, /^\$argon2id\$/);
  assert.deepEqual([row.pending, row.unsealed, row.used], [1, 1, 1]);
  // Until the factor is set up, nothing else opens.
  assert.equal((await c.get('/staff/sessions')).location, '/staff/');
  assert.equal((await c.get('/staff/')).location, '/staff/enrol');
  // The enrol page: the seed to type, in groups of four, and its QR code.
  const enrol = await c.get('/staff/enrol');
  assert.equal(enrol.status, 200);
  assert.equal(enrol.headers.get('cache-control'), 'no-store');
  const shown = /<code\b[^>]*>([^<]*)<\/code>/.exec(enrol.text);
  assert.ok(shown, 'the seed in <code>');
  assert.match(shown[1].trim(), /^[A-Z2-7]{4}( [A-Z2-7]{4}){7}$/, 'base32 in groups of 4');
  const secret = shown[1].replace(/\s/g, '');
  assert.equal(secret.length, 32);
  assert.ok(!s.db('.dump').includes(secret), 'the seed is stored sealed');
  const svg = /<svg\b[^>]*\bclass="qr"[^>]*>[\s\S]*?<\/svg>/.exec(enrol.text);
  assert.ok(svg, 'an inline <svg class="qr">');
  const uri = decodeQr(svg[0]);
  assert.match(uri, /^otpauth:\/\/totp\/[^?]*ny-kollega\?/);
  assert.equal(new URL(uri).searchParams.get('secret'), secret);
  assert.equal(new URL(uri).searchParams.get('digits'), '6');
  assert.equal(new URL(uri).searchParams.get('period'), '30');
  // A wrong code, then the right one.
  await midStep();
  const near = new Set([-1, 0, 1].map((k) => totpAt(secret, stepNow() + k)));
  const wrong = ['000000', '111111', '222222', '333333'].find((x) => !near.has(x));
  const csrf2 = csrfOf(enrol.text);
  const bad = await c.post('/staff/enrol', { csrf: csrf2, code: wrong });
  assert.equal(bad.status, 403);
  assert.ok(bad.text.includes(FACTOR_FAILED));
  assert.equal(s.db("SELECT totp_sealed IS NULL FROM staff WHERE login = 'ny-kollega';"), '1');
  await midStep();
  const half = c.cookie('beratta_staff');
  const good = await c.post('/staff/enrol', { csrf: csrf2, code: totpAt(secret, stepNow()) });
  assert.equal(good.status, 303, good.text.slice(0, 600));
  assert.equal(good.location, '/staff/recovery');
  assert.notEqual(c.cookie('beratta_staff'), half, 'a new token once logged in');
  assert.equal(s.db("SELECT totp_sealed IS NOT NULL AND totp_pending IS NULL FROM staff WHERE login = 'ny-kollega';"), '1');
  // The recovery codes, shown once.
  const rec = await c.get('/staff/recovery');
  assert.equal(rec.status, 200);
  const ol = /<ol\b[^>]*>([\s\S]*?)<\/ol>/.exec(rec.text);
  assert.ok(ol, 'the codes in an <ol>');
  const codes = [...ol[1].matchAll(/[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/g)].map((m) => m[0]);
  assert.equal(codes.length, 10, ol[1]);
  assert.equal(new Set(codes).size, 10);
  const reload = await c.get('/staff/recovery');
  assert.equal(reload.status, 200);
  for (const code of codes) assert.ok(!reload.text.includes(code), 'shown only once');
  assert.equal(Number(s.db(`SELECT count(*) FROM recovery_codes WHERE used_at IS NULL AND staff_id = ${staffId('ny-kollega')};`)), 10);
  // The link is used up.
  const twice = await staff(s).get(link);
  assert.equal(twice.status, 404);
  const d = staff(s);
  const p2 = await d.get('/staff/');
  const post2 = await d.post('/staff/activate', { csrf: csrfOf(p2.text), token, password: GOOD, again: GOOD });
  assert.equal(post2.status, 404);
  // The new account logs in with its password and a code it was shown.
  const e = staff(s);
  assert.equal((await e.password('ny-kollega', GOOD)).location, '/staff/factor');
  const inAgain = await e.factor(codes[0]);
  assert.equal(inAgain.status, 303);
  assert.equal(inAgain.location, '/staff/');
});

// ---------------------------------------------------------------------
// The audit trail.

test('the audit trail: a row for each action, its chain verifies, and never an answer in it', T, async () => {
  const actions = new Set(s.rows('SELECT DISTINCT action FROM audit;').map((r) => r.action));
  for (const a of ['login', 'login_failed', 'factor', 'factor_failed', 'activate', 'enrol', 'logout_all']) {
    assert.ok(actions.has(a), `an audit row for ${a} (have: ${[...actions].join(', ')})`);
  }
  assert.ok(!actions.has('recovery_used'), 'a recovery code is a factor row, not an action of its own');
  assert.equal(Number(s.db(`SELECT count(*) FROM audit WHERE action = 'factor'
    AND detail = 'recovery code' AND actor = 'recovery-user';`)), 2);
  assert.equal(Number(s.db(`SELECT count(*) FROM audit WHERE action = 'factor_failed'
    AND detail = 'enrolment' AND actor = 'ny-kollega';`)), 1);
  assert.equal(Number(s.db("SELECT count(*) FROM audit WHERE action = 'activate' AND actor = 'ny-kollega';")), 1);
  // Every row carries the request's id.
  assert.equal(Number(s.db("SELECT count(*) FROM audit WHERE request IS NULL OR request = '';")), 0);
  // A child answers in free text; a professional of its unit reads it.
  const marker = `markor${crypto.randomBytes(6).toString('hex')}`;
  const label = 'audit-child';
  const [code] = cli(s, ['invite', '-u', UNIT, '-l', label, 'demo']).split('\n').filter(Boolean);
  const ch = child(s);
  assert.equal((await ch.login(code)).location, '/q');
  assert.equal((await ch.get('/q')).status, 200);
  assert.equal((await ch.answer('home_feel', 'bad')).status, 303);
  assert.equal((await ch.answer('home_worry', `det är ${marker} hemma`)).status, 303);
  assert.equal(Number(s.db(`SELECT count(*) FROM answers WHERE value LIKE '%${marker}%';`)), 1, 'the answer is stored');
  const id = Number(s.db(`SELECT id FROM invitations WHERE label = '${label}';`));
  const pro = await loggedIn(account(s, { login: 'reader', units: [UNIT] }));
  const page = await pro.get(`/staff/child?id=${id}`);
  assert.equal(page.status, 200, page.text.slice(0, 600));
  assert.ok(page.text.includes(marker), 'the professional reads the answer');
  const reads = s.rows(`SELECT actor, child, unit_id, staff_id FROM audit WHERE action = 'read' AND invitation_id = ${id};`);
  assert.deepEqual(reads, [{ actor: 'reader', child: label, unit_id: Number(s.db(`SELECT id FROM units WHERE name = '${UNIT}';`)),
    staff_id: staffId('reader') }]);
  const all = s.db('SELECT * FROM audit;');
  assert.ok(!all.includes(marker), 'no answer text in the audit trail');
  assert.ok(!s.db('SELECT hex(prev) || hex(hash) FROM audit;').includes(Buffer.from(marker).toString('hex').toUpperCase()));
  // The chain holds.
  const v = verify();
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /^audit trail of demo: \d+ rows, the chain holds$/m);
});

// ---------------------------------------------------------------------
// Hostile input.

// Everything the staff forms could change.
function snapshot() {
  return {
    staff: s.db(`SELECT group_concat(id || ':' || login || ':' || ifnull(password_hash, '-') || ':' ||
      ifnull(totp_pending, '-') || ':' || ifnull(hex(activation_hash), '-') || ':' ||
      ifnull(disabled_at, '-') || ':' || admin, ' ') FROM staff;`),
    units: s.count('units'),
    staff_units: s.count('staff_units'),
    invitations: s.count('invitations'),
    audit: s.count('audit'),
    login_failures: s.db("SELECT ifnull(sum(failures), 0) || '/' || count(*) FROM login_failures;"),
    staff_sessions: s.db("SELECT group_concat(hex(token_hash) || stage, ' ') FROM staff_sessions;"),
    recovery: s.db('SELECT count(*) FROM recovery_codes WHERE used_at IS NULL;'),
  };
}

// Each case: a request (method, path, raw body), the status and page it
// gets; nothing stored may change.
async function refusedAll(c, cases) {
  for (const [method, urlPath, body, status, text] of cases) {
    const was = snapshot();
    const r = method === 'GET' ? await c.get(urlPath) : await c.post(urlPath, body);
    const what = `${method} ${urlPath} ${typeof body === 'string' ? body.slice(0, 80) : ''}`;
    assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
    assertPage(r, status, text);
    assert.deepEqual(snapshot(), was, `${what}: nothing stored`);
  }
}

const long = (n) => 'a'.repeat(n);

test('hostile input on the login form: the clear error page, no try counted, no audit row', T, async () => {
  const acc = account(s, { login: 'hostile-login' });
  const c = staff(s);
  const csrf = csrfOf((await c.get('/staff/')).text);
  const L = (rest) => `csrf=${csrf}&${rest}`;
  await refusedAll(c, [
    ['POST', '/staff/login', L('login=%FF&password=ett+helt+fel+l%C3%B6senord'), 400, E400],
    ['POST', '/staff/login', L('login=hostile-login&password=fel%C3%28fel+fel+fel'), 400, E400],
    ['POST', '/staff/login', L('login=hostile-login&password=fel%G1felfelfelfel'), 400, E400],
    ['POST', '/staff/login', L('login=hostile%00login&password=ett+helt+fel+l%C3%B6senord'), 400, E400],
    ['POST', '/staff/login', L(`login=${long(129)}&password=ett+helt+fel`), 413, E413],
    ['POST', '/staff/login', L(`login=hostile-login&password=${long(201)}`), 413, E413],
    ['POST', '/staff/login', L('login=hostile-login'), 400, E400],
    ['POST', '/staff/login', L('password=ett+helt+fel+l%C3%B6senord'), 400, E400],
    ['POST', '/staff/login', L('login=a&login=b&password=ett+helt+fel'), 400, E400],
    ['POST', '/staff/login', 'csrf=wrong&login=hostile-login&password=ett+helt+fel', 403, E403],
    ['POST', '/staff/login', 'login=hostile-login&password=ett+helt+fel', 403, E403],
  ]);
  assert.equal((await c.password(acc.login, acc.password)).location, '/staff/factor', 'the form still works');
});

test('hostile input on the second factor: the clear error page, no failure counted, the session still at its step', T, async () => {
  const acc = account(s, { login: 'hostile-factor' });
  const c = staff(s);
  assert.equal((await c.password(acc.login, acc.password)).location, '/staff/factor');
  const csrf = csrfOf((await c.get('/staff/factor')).text);
  await refusedAll(c, [
    ['POST', '/staff/factor', `csrf=${csrf}&code=%FF`, 400, E400],
    ['POST', '/staff/factor', `csrf=${csrf}&code=12%2`, 400, E400],
    ['POST', '/staff/factor', `csrf=${csrf}&code=${'1'.repeat(65)}`, 413, E413],
    ['POST', '/staff/factor', `csrf=${csrf}`, 400, E400],
    ['POST', '/staff/factor', `csrf=${csrf}&code=123456&code=654321`, 400, E400],
    ['POST', '/staff/factor', 'csrf=wrong&code=123456', 403, E403],
  ]);
  const r = await c.factor(await freshCode(acc));
  assert.equal(r.status, 303);
  assert.equal(r.location, '/staff/');
});

test('hostile input on activation: the clear error page, the link still unused', T, async () => {
  const inv = invited(s, { login: 'hostile-activate' });
  const link = inv.url.slice(s.base.length);
  const token = new URL(inv.url).searchParams.get('t');
  const c = staff(s);
  const csrf = csrfOf((await c.get(link)).text);
  const pw = encodeURIComponent(GOOD);
  await refusedAll(c, [
    ['GET', '/staff/activate?t=%FF', null, 400, E400],
    ['GET', `/staff/activate?t=${long(65)}`, null, 413, E413],
    ['POST', '/staff/activate', `csrf=${csrf}&token=%FF&password=${pw}&again=${pw}`, 400, E400],
    ['POST', '/staff/activate', `csrf=${csrf}&token=${long(65)}&password=${pw}&again=${pw}`, 413, E413],
    ['POST', '/staff/activate', `csrf=${csrf}&token=${token}&password=${long(201)}&again=${pw}`, 413, E413],
    ['POST', '/staff/activate', `csrf=${csrf}&token=${token}&password=${pw}&again=%C3%28`, 400, E400],
    ['POST', '/staff/activate', `csrf=${csrf}&token=${token}&password=${pw}`, 400, E400],
    ['POST', '/staff/activate', `csrf=${csrf}&password=${pw}&again=${pw}`, 400, E400],
    ['POST', '/staff/activate', `csrf=${csrf}&token=${token}&token=${token}&password=${pw}&again=${pw}`, 400, E400],
    ['POST', '/staff/activate', `csrf=wrong&token=${token}&password=${pw}&again=${pw}`, 403, E403],
  ]);
  // An unknown or malformed token is "no such link" (404), and changes nothing.
  const was = snapshot();
  assert.equal((await c.get('/staff/activate?t=abc')).status, 404);
  assert.equal((await c.post('/staff/activate', { csrf, token: 'A'.repeat(43), password: GOOD, again: GOOD })).status, 404);
  assert.deepEqual(snapshot(), was);
  const r = await c.post('/staff/activate', { csrf, token, password: GOOD, again: GOOD });
  assert.equal(r.status, 303, 'the link still works');
  assert.equal(r.location, '/staff/enrol');
});

test('hostile input on the invitation form and a child\'s page: the clear error page, nothing invited, nothing read', T, async () => {
  const pro = await loggedIn(account(s, { login: 'hostile-pro', units: [UNIT] }));
  const csrf = await pro.token('/staff/');
  const unitA = s.db(`SELECT id FROM units WHERE name = '${UNIT}';`);
  const P = (rest) => `csrf=${csrf}&${rest}`;
  await refusedAll(pro, [
    ...['abc', '0', '-1', '', '1e3', '+1', '01', '%FF'].map((u) =>
      ['POST', '/staff/invite', P(`unit=${u}&label=x`), 400, E400]),
    ['POST', '/staff/invite', P(`unit=${'1'.repeat(19)}`), 413, E413],
    ['POST', '/staff/invite', P('label=x'), 400, E400],
    ['POST', '/staff/invite', P(`unit=${unitA}&label=${long(201)}`), 413, E413],
    ['POST', '/staff/invite', P(`unit=${unitA}&label=%C3%28`), 400, E400],
    ['POST', '/staff/invite', P(`unit=${unitA}&age=5-8`), 400, E400],
    ['POST', '/staff/invite', P(`unit=${unitA}&unit=${unitA}`), 400, E400],
    ['POST', '/staff/invite', `csrf=wrong&unit=${unitA}`, 403, E403],
    ...['abc', '0', '-1', '', '%FF'].map((id) => ['GET', `/staff/child?id=${id}`, null, 400, E400]),
    ['GET', '/staff/child', null, 400, E400],
    ['GET', `/staff/child?id=${'9'.repeat(19)}`, null, 413, E413],
    ...['unlock', 'lock', 'reopen'].flatMap((what) => ['abc', '0', '-1'].map((id) =>
      ['POST', `/staff/child/${what}`, P(`id=${id}`), 400, E400])),
  ]);
  const r = await pro.post('/staff/invite', { csrf, unit: unitA, label: 'hostile-ok' });
  assert.equal(r.status, 303, 'the form still works');
});

test('hostile input on the units, people and audit forms: the clear error page, nothing added or changed', T, async () => {
  const admin = await loggedIn(account(s, { login: 'hostile-admin', admin: true }));
  const csrf = await admin.token('/staff/units');
  account(s, { login: 'hostile-victim' });
  const victim = staffId('hostile-victim');
  const P = (rest) => `csrf=${csrf}&${rest}`;
  await refusedAll(admin, [
    // Units.
    ['POST', '/staff/units', P('name=%FF&kind=school'), 400, E400],
    ['POST', '/staff/units', P(`name=${long(101)}&kind=school`), 413, E413],
    ['POST', '/staff/units', P('name=Skola+C'), 400, E400],
    ['POST', '/staff/units', P('kind=school'), 400, E400],
    ['POST', '/staff/units', P('name=Skola+C&kind=castle'), 400, E400],
    ['POST', '/staff/units', P('name=Skola+C&kind=school&kind=other'), 400, E400],
    ['POST', '/staff/units', 'csrf=wrong&name=Skola+C&kind=school', 403, E403],
    // People.
    ['POST', '/staff/people', P(`login=${long(65)}&name=Ny`), 413, E413],
    ['POST', '/staff/people', P(`login=ny-person&name=${long(101)}`), 413, E413],
    ['POST', '/staff/people', P('login=ny-person&name=%FF'), 400, E400],
    ['POST', '/staff/people', P('login=ny-person'), 400, E400],
    ['POST', '/staff/people', P('name=Ny'), 400, E400],
    ['POST', '/staff/people', P('login=ny-person&name=Ny&unit=abc'), 400, E400],
    ['POST', '/staff/people', P('login=ny-person&name=Ny&unit=0'), 400, E400],
    ['POST', '/staff/people', P('login=ny-person&name=Ny&admin=2'), 400, E400],
    ['POST', '/staff/people', P('login=ny-person&name=Ny&admin=yes'), 413, E413],
    ['POST', '/staff/people', 'csrf=wrong&login=ny-person&name=Ny', 403, E403],
    ...['reset', 'disable'].flatMap((what) => [
      ...['abc', '0', '-1', '', `${victim}x`].map((id) => ['POST', `/staff/people/${what}`, P(`id=${id}`), 400, E400]),
      ['POST', `/staff/people/${what}`, P(''), 400, E400],
      ['POST', `/staff/people/${what}`, P(`id=${'1'.repeat(19)}`), 413, E413],
      ['POST', `/staff/people/${what}`, `csrf=wrong&id=${victim}`, 403, E403],
    ]),
    // The audit filter.
    ['GET', '/staff/audit?from=yesterday', null, 400, E400],
    ['GET', '/staff/audit?to=2024%2F01%2F01', null, 400, E400],
    ['GET', '/staff/audit?action=%FF', null, 400, E400],
    ['GET', `/staff/audit?actor=${long(65)}`, null, 413, E413],
    ['GET', `/staff/audit?action=${long(33)}`, null, 413, E413],
    ['GET', `/staff/audit?child=${long(201)}`, null, 413, E413],
    ['GET', '/staff/audit?actor=a&actor=b', null, 400, E400],
  ]);
  // A unit name that passes the field but not the rules (only spaces, a
  // control character) is the units page with why (400), nothing added.
  const was = snapshot();
  for (const name of ['   ', 'Skola\tC']) {
    const r = await admin.post('/staff/units', { csrf, name, kind: 'school' });
    assert.equal(r.status, 400, JSON.stringify(name));
  }
  const r = await admin.post('/staff/people', { csrf, login: 'Ny Person!', name: 'Ny' });
  assert.equal(r.status, 400, 'a login of the wrong characters');
  assert.deepEqual(snapshot(), was);
  // The forms still work.
  assert.equal((await admin.get('/staff/audit?from=2024-01-01&action=login')).status, 200);
  assert.equal((await admin.post('/staff/units', { csrf, name: 'Skola C', kind: 'school' })).status, 303);
});
