// Logging in: the secret chosen the first time and its rules, the same
// answer for a wrong code and a wrong secret, throttling per code (never
// per address) with lockout and unlock, sessions (a new token at every
// login, logout, idle timeout), cookie flags with and without TLS, and
// codes and secrets typed with Arabic or Persian digits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { start, child, csrfOf, BUILD } from './stack.mjs';

const T = { timeout: 60000 };
const WRONG = 'Koden eller hemlisen stämde inte.';
const LOCKED = 'Det har blivit för många försök. Vänta en kvart';
const LOCKED_HARD = 'Be den vuxna som gav dig koden att öppna den igen.';
let s;
let n = 0;

before(async () => {
  s = await start({
    workers: 1,
    threads: 4,
    prepare(st) {
      // A second address of the same nginx that tells the daemon it is
      // behind TLS, as a TLS server block would.
      const file = path.join(st.dir, 'nginx.conf');
      const conf = fs.readFileSync(file, 'utf8');
      const m = /listen 127\.0\.0\.1:(\d+);/.exec(conf);
      const tls = `
  server {
    listen 127.0.0.5:${m[1]};
    location / {
      include /etc/nginx/fastcgi_params;
      fastcgi_param HTTPS on;
      fastcgi_pass unix:${st.dir}/berattad.sock;
    }
  }
}`;
      fs.writeFileSync(file, conf.replace(/}\s*$/, tls));
      const c = fs.readFileSync(st.conf, 'utf8').replace(/hosts = \{ "127\.0\.0\.1", "localhost" \}/,
        'hosts = { "127.0.0.1", "localhost", "127.0.0.5" }');
      fs.writeFileSync(st.conf, c);
    },
  });
});

after(async () => {
  if (s) await s.stop();
});

function code() {
  return s.invite(1, `login-${++n}`)[0];
}

// Enters a code and a secret from a fresh browser; returns the answer.
async function attempt(c, theCode, secret) {
  const start = await c.get('/');
  const l = await c.post('/login', { csrf: csrfOf(start.text), code: theCode });
  if (l.status !== 303) return l;
  const page = await c.get('/secret');
  const fields = { csrf: csrfOf(page.text), secret };
  if (/name="again"/.test(page.text)) fields.again = secret;
  return c.post('/secret', fields);
}

test('the first time, the child chooses a secret, typed twice; it is stored only as an argon2id hash', T, async () => {
  const c = child(s);
  const k = code();
  const start = await c.get('/');
  await c.post('/login', { csrf: csrfOf(start.text), code: k });
  const page = await c.get('/secret');
  assert.match(page.text, /Välj din hemlis/);
  assert.match(page.text, /name="again"/);
  assert.match(page.text, /autocomplete="new-password"/);
  const r = await c.post('/secret', { csrf: csrfOf(page.text), secret: 'sol och måne', again: 'sol och måne' });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/q');
  const hash = s.db(`SELECT secret_hash FROM invitations WHERE label = 'login-${n}';`);
  assert.match(hash, /^\$argon2id\$v=19\$m=65536,t=2,p=1\$/);
  assert.ok(!s.db('SELECT group_concat(secret_hash) FROM invitations;').includes('sol och'));
  // From then on both are needed: the page asks to enter it, not choose.
  const d = child(s);
  const st = await d.get('/');
  await d.post('/login', { csrf: csrfOf(st.text), code: k });
  const again = await d.get('/secret');
  assert.match(again.text, /Skriv din hemlis/);
  assert.doesNotMatch(again.text, /name="again"/);
  assert.match(again.text, /autocomplete="current-password"/);
});

test('a new secret that is too short, does not match its repetition, or is an obvious PIN is refused with why', T, async () => {
  const k = code();
  const cases = [
    [{ secret: 'kort', again: 'kort' }, 'Hemlisen behöver minst 8 tecken.'],
    [{ secret: 'sol och måne', again: 'sol och mane' }, 'De två var inte likadana.'],
    [{ secret: '123456', again: '123456' }, 'Den pinkoden är för lätt att gissa.'],
    [{ secret: '48291', again: '48291' }, 'En pinkod behöver minst 6 siffror.'],
  ];
  for (const [fields, message] of cases) {
    const c = child(s);
    const st = await c.get('/');
    await c.post('/login', { csrf: csrfOf(st.text), code: k });
    const page = await c.get('/secret');
    const r = await c.post('/secret', { csrf: csrfOf(page.text), ...fields });
    assert.equal(r.status, 400, message);
    assert.ok(r.text.includes(message), `${message} in the page`);
    assert.equal(c.cookie('beratta'), undefined);
  }
  assert.equal(s.db(`SELECT secret_hash IS NULL FROM invitations WHERE label = 'login-${n}';`), '1',
    'nothing was stored');
  // A PIN of 6 digits where the tenant allows it.
  assert.equal((await attempt(child(s), k, '482916')).status, 303);
});

test('after 5 wrong secrets the code locks: even the right secret is refused, and the count is per code', T, async () => {
  const k = code();
  assert.equal((await attempt(child(s), k, 'rätt hemlis')).status, 303);
  for (let i = 1; i <= 4; i++) {
    const r = await attempt(child(s), k, `fel hemlis ${i}`);
    assert.equal(r.status, 403);
    assert.ok(r.text.includes(WRONG), `try ${i}: the usual answer`);
  }
  const fifth = await attempt(child(s), k, 'fel hemlis 5');
  assert.equal(fifth.status, 403);
  assert.ok(fifth.text.includes(LOCKED), 'the fifth wrong try locks the code');
  const right = await attempt(child(s), k, 'rätt hemlis');
  assert.equal(right.status, 403);
  assert.ok(right.text.includes(LOCKED), 'locked: the right secret is refused too');
  assert.equal(right.setCookies.some((x) => x.startsWith('beratta=')), false);
  // The same address, another code: not blocked.
  const other = code();
  assert.equal((await attempt(child(s), other, 'en annan hemlis')).status, 303,
    'another child behind the same address logs in');
  // The lock ends after its time (moved into the past here); then the right
  // secret works and the count starts again.
  s.db(`UPDATE login_failures SET locked_until = 1;`);
  assert.equal((await attempt(child(s), k, 'rätt hemlis')).status, 303);
  assert.equal(s.count('login_failures'), 0, 'a good login forgets the failures');
});

test('a wrong code counts and locks in the same way as a wrong secret', T, async () => {
  const wrong = '2345-6789-ABCD';
  for (let i = 1; i <= 4; i++) {
    const r = await attempt(child(s), wrong, `gissning ${i}`);
    assert.equal(r.status, 403);
    assert.ok(r.text.includes(WRONG));
  }
  const fifth = await attempt(child(s), wrong, 'gissning 5');
  assert.ok(fifth.text.includes(LOCKED), 'a code that does not exist locks alike');
  s.db('DELETE FROM login_failures;');
});

test('after 20 failures the code stays locked until beratta unlock; the secret is kept', T, async () => {
  const k = code();
  assert.equal((await attempt(child(s), k, 'min hemlis!')).status, 303);
  assert.equal((await attempt(child(s), k, 'fel')).status, 403);
  // 19 failures so far (the 15 minutes, 30 and 60 minutes between them
  // are skipped here), then one more.
  s.db('UPDATE login_failures SET failures = 19, locked_until = 0;');
  const r = await attempt(child(s), k, 'fel igen');
  assert.ok(r.text.includes(LOCKED_HARD), 'the 20th failure locks it for good');
  s.db('UPDATE login_failures SET locked_until = locked_until;');
  assert.ok((await attempt(child(s), k, 'min hemlis!')).text.includes(LOCKED_HARD));
  const out = execFileSync(path.join(BUILD, 'beratta'), ['-c', s.conf, 'unlock', 'demo', k.toLowerCase()],
    { encoding: 'utf8' });
  assert.match(out, /unlocked \(20 failed tries forgotten\)/);
  assert.equal((await attempt(child(s), k, 'min hemlis!')).status, 303, 'the same secret works again');
});

test('a code and a PIN typed with Arabic or Persian digits work', T, async () => {
  const k = code();
  const ascii = '482916';
  assert.equal((await attempt(child(s), k, ascii)).status, 303);
  const arabic = '٤٨٢٩١٦';
  const persian = '۴۸۲۹۱۶';
  const digits = { 0: '٠', 1: '١', 2: '٢', 3: '٣', 4: '٤', 5: '٥', 6: '٦', 7: '٧', 8: '٨', 9: '٩' };
  const arabicCode = k.replace(/[0-9]/g, (d) => digits[d]);
  assert.equal((await attempt(child(s), arabicCode, arabic)).status, 303, 'Arabic-Indic digits');
  assert.equal((await attempt(child(s), `\u200f${k}\u200f`, persian)).status, 303,
    'Persian digits and right-to-left marks');
});

test('every login gets a new session token; one the browser brought along ends', T, async () => {
  // A token that is already in the browser (planted, or left from before).
  const other = child(s);
  assert.equal((await attempt(other, code(), 'sol och måne')).status, 303);
  const planted = other.cookie('beratta');
  const c = child(s);
  const st = await c.get('/');
  c.setCookie('beratta', planted);
  await c.post('/login', { csrf: csrfOf(st.text), code: code() });
  const page = await c.get('/secret');
  const r = await c.post('/secret', { csrf: csrfOf(page.text), secret: 'sol och måne', again: 'sol och måne' });
  assert.equal(r.status, 303);
  assert.notEqual(c.cookie('beratta'), planted, 'a new token');
  const stale = child(s);
  stale.setCookie('beratta', planted);
  const q = await stale.get('/q');
  assert.equal(q.status, 303, 'the token brought along no longer works');
  assert.equal(q.location, '/');
});

test('logout ends the session on the server, not only in the browser', T, async () => {
  const c = child(s);
  assert.equal((await attempt(c, code(), 'sol och måne')).status, 303);
  const token = c.cookie('beratta');
  const q = await c.get('/q');
  const out = await c.post('/logout', { csrf: csrfOf(q.text) });
  assert.equal(out.status, 303);
  assert.ok(out.setCookies.some((x) => /^beratta=;.*Max-Age=0/.test(x)));
  const replay = child(s);
  replay.setCookie('beratta', token);
  assert.equal((await replay.get('/q')).location, '/');
});

test('an idle session ends after the tenant\'s idle time, and the answers stay', T, async () => {
  const c = child(s);
  const r0 = await attempt(c, code(), 'sol och måne');
  assert.equal(r0.status, 303, r0.text.slice(0, 3000));
  assert.equal((await c.get('/q')).status, 200);
  assert.equal((await c.answer('home_feel', 'good')).status, 303);
  s.db('UPDATE sessions SET seen_at = seen_at - 1900 * 1000000;');
  const r = await c.get('/q');
  assert.equal(r.location, '/');
  assert.equal(s.db(`SELECT count(*) FROM answers a JOIN responses r ON r.id = a.response_id
    JOIN invitations i ON i.id = r.invitation_id WHERE i.label = 'login-${n}';`), '1');
});

test('a page in use keeps its session: GET /alive starts the idle time again', T, async () => {
  const c = child(s);
  assert.equal((await attempt(c, code(), 'sol och måne')).status, 303);
  const token = c.cookie('beratta');
  const seen = () => Number(s.db(`SELECT seen_at FROM sessions s JOIN invitations i
    ON i.id = s.invitation_id WHERE i.label = 'login-${n}';`));
  // 25 of the 30 idle minutes gone; the child is still typing.
  s.db(`UPDATE sessions SET seen_at = seen_at - 1500 * 1000000 WHERE invitation_id =
    (SELECT id FROM invitations WHERE label = 'login-${n}');`);
  const before = seen();
  const r = await c.get('/alive');
  assert.equal(r.status, 204);
  assert.equal(r.text, '');
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.equal(r.headers.get('content-type'), null);
  assert.ok(seen() >= before + 1400 * 1000000, 'the session was used just now');
  // 25 more minutes: without /alive the session would be gone by now.
  s.db(`UPDATE sessions SET seen_at = seen_at - 1500 * 1000000 WHERE invitation_id =
    (SELECT id FROM invitations WHERE label = 'login-${n}');`);
  assert.equal((await c.get('/q')).status, 200);
  // Nothing but a live session is kept alive; the route takes only GET.
  const stranger = child(s);
  stranger.setCookie('beratta', token.slice(0, -4) + 'AAAA');
  const none = await stranger.get('/alive');
  assert.equal(none.status, 303);
  assert.equal(none.location, '/');
  assert.equal((await c.post('/alive', { csrf: c.csrf })).status, 405);
});

test('"leave quickly" ends the session at once and goes to a neutral page', T, async () => {
  const c = child(s);
  assert.equal((await attempt(c, code(), 'sol och måne')).status, 303);
  const token = c.cookie('beratta');
  const r = await c.get('/leave');
  assert.equal(r.status, 303);
  assert.equal(r.location, 'https://www.google.com/');
  const replay = child(s);
  replay.setCookie('beratta', token);
  assert.equal((await replay.get('/q')).location, '/');
});

test('cookies: HttpOnly, SameSite=Strict, Path=/; over TLS also Secure and the __Host- prefix', T, async () => {
  const plain = child(s);
  await attempt(plain, code(), 'sol och måne');
  const all = [];
  const c = child(s);
  const st = await c.get('/');
  all.push(...st.setCookies);
  const k = code();
  const l = await c.post('/login', { csrf: csrfOf(st.text), code: k });
  all.push(...l.setCookies);
  const p = await c.get('/secret');
  const r = await c.post('/secret', { csrf: csrfOf(p.text), secret: 'sol och måne', again: 'sol och måne' });
  all.push(...r.setCookies);
  for (const sc of all) {
    assert.match(sc, /; HttpOnly/, sc);
    assert.match(sc, /; SameSite=Strict/, sc);
    assert.match(sc, /; Path=\//, sc);
    assert.doesNotMatch(sc, /; Secure/, `no Secure over plain http: ${sc}`);
  }
  assert.ok(all.some((x) => x.startsWith('beratta=')), 'the session cookie');
  // Behind TLS.
  const t = child(s, { base: `http://127.0.0.5:${s.port}` });
  const ts = await t.get('/');
  const tl = await t.post('/login', { csrf: csrfOf(ts.text), code: code() });
  const tp = await t.get('/secret');
  const tr = await t.post('/secret', { csrf: csrfOf(tp.text), secret: 'sol och måne', again: 'sol och måne' });
  assert.equal(tr.status, 303);
  const session = tr.setCookies.find((x) => x.startsWith('__Host-beratta='));
  assert.ok(session, tr.setCookies.join('\n'));
  for (const sc of [...ts.setCookies, ...tl.setCookies, ...tr.setCookies]) assert.match(sc, /; Secure/, sc);
  assert.match(tr.headers.get('strict-transport-security') ?? '', /max-age=\d+/);
  assert.equal((await t.get('/q')).status, 200, 'the __Host- cookie is the session there');
});

test('a CSRF token of an earlier session is refused after the child logs in again', T, async () => {
  const k = code();
  const c = child(s);
  assert.equal((await attempt(c, k, 'sol och måne')).status, 303);
  const first = csrfOf((await c.get('/q')).text);
  await c.post('/logout', { csrf: first });
  assert.equal((await attempt(c, k, 'sol och måne')).status, 303);
  const second = csrfOf((await c.get('/q')).text);
  assert.notEqual(first, second, 'a new token with the new session');
  const before = s.count('answers');
  const r = await c.post('/answer', { csrf: first, q: 'home_feel', answer: 'good' });
  assert.equal(r.status, 403);
  assert.equal(s.count('answers'), before, 'nothing stored');
  assert.equal((await c.post('/answer', { csrf: second, q: 'home_feel', answer: 'good' })).status, 303);
});

test('a locked round cannot be changed: answers are refused, the pages say why, beratta lock -r reopens it', T, async () => {
  const k = code();
  const c = child(s);
  assert.equal((await attempt(c, k, 'sol och måne')).status, 303);
  assert.equal((await c.get('/q')).status, 200);
  assert.equal((await c.answer('home_feel', 'good')).status, 303);
  const out = execFileSync(path.join(BUILD, 'beratta'), ['-c', s.conf, 'lock', 'demo', k], { encoding: 'utf8' });
  assert.match(out, /locked/);
  const before = s.count('answers');
  const r = await c.answer('home_feel', 'bad');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/thanks', 'no change: to the end');
  assert.equal(s.count('answers'), before, 'nothing stored');
  assert.equal((await c.get('/q')).location, '/thanks');
  const thanks = await c.get('/thanks');
  assert.equal(thanks.status, 200);
  assert.match(thanks.text, /kan inte ändras här längre/);
  const overview = await c.get('/overview');
  assert.doesNotMatch(overview.text, /href="\/q\?id=/, 'no change links');
  execFileSync(path.join(BUILD, 'beratta'), ['-c', s.conf, 'lock', '-r', 'demo', k]);
  await c.get('/q');
  assert.equal((await c.answer('home_feel', 'bad')).status, 303);
  assert.equal(s.count('answers'), before + 1, 'reopened: the change is stored');
});
