// path.test.mjs: the child's thin path end to end, through nginx to the
// real daemon: start page, login, questions with a follow-up, the end page,
// languages, security headers, error pages, refusals, and what the log and
// the database keep (and never keep).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, child, raw, csrfOf, questionOf, langOf } from './stack.mjs';

const T = { timeout: 60000 };
const SV = {
  start: 'Välkommen',
  feel: 'Hur har du det hemma just nu?',
  worry: 'Vill du berätta mer om hur det är hemma?',
  adult: 'Finns det en vuxen hemma som lyssnar på dig?',
  breaks: 'Har du någon att vara med på rasterna?',
  thanks: 'Tack för att du berättade',
  invalid: 'Välj ett av svaren, eller något av alternativen längst ner.',
  wrongCode: 'Koden eller hemlisen stämde inte.',
  codeFormat: 'En kod har 12 bokstäver och siffror',
  e400: 'Vi kunde inte läsa det som skickades. Inget har ändrats.',
  e403: 'Formuläret hade gått ut eller kom inte från den här sidan.',
  e404: 'Sidan finns inte.',
  e405: 'Det går inte att göra på den här sidan.',
  e413: 'Det som skickades är för långt. Inget har ändrats.',
  back: 'Tillbaka till början',
};

let s;
const clients = [];	// every client, for the log test at the end
const sentCodes = [];	// every code typed, as typed
const sentTexts = [];	// every free text sent
let labels = 0;

before(async () => {
  s = await start({ workers: 2, threads: 4 });
});

after(async () => {
  if (s) await s.stop();
});

function newChild(opts) {
  const c = child(s, opts);
  clients.push(c);
  return c;
}

function label(name) {
  labels += 1;
  return `path-${name}-${labels}`;
}

// A child logged in with a fresh code (typed as given by typed(code));
// returns the client, the code and the first question page.
async function loggedIn(name, { typed = (x) => x, headers } = {}) {
  const lbl = label(name);
  const [code] = s.invite(1, lbl);
  const c = newChild({ headers });
  const t = typed(code);
  sentCodes.push(code, t);
  const r = await c.login(t);
  assert.equal(r.status, 303, `login of ${lbl}: ${r.text}`);
  assert.equal(r.location, '/q');
  const page = await c.get('/q');
  assert.equal(page.status, 200);
  return { c, code, label: lbl, page };
}

// Answers q and returns the next page (a question page or the thanks page).
async function step(c, q, value, extra) {
  if (typeof value === 'string' && value.length > 0 && !/^[a-z_]+$/.test(value)) sentTexts.push(value);
  const r = await c.answer(q, value, extra);
  assert.equal(r.status, 303, `answer ${q}=${value}: ${r.status} ${r.text.slice(0, 300)}`);
  assert.equal(r.location, '/q');
  return c.page();
}

// The answers stored for a child's invitation label, oldest first.
function stored(lbl) {
  return s.rows(`SELECT a.question, a.value, a.answered_at, a.replaced_at
    FROM answers a JOIN responses r ON r.id = a.response_id
    JOIN invitations i ON i.id = r.invitation_id
    WHERE i.label = '${lbl}' ORDER BY a.id;`);
}

function counts() {
  return { answers: s.count('answers'), sessions: s.count('sessions') };
}

function assertErrorPage(r, status, text) {
  assert.equal(r.status, status, r.text.slice(0, 400));
  assert.equal(langOf(r.text), 'sv');
  assert.ok(r.text.includes(text), `expected "${text}" in: ${r.text.slice(0, 600)}`);
  assert.ok(r.text.includes(`<a class="button" href="/">${SV.back}</a>`), 'a link back to the start');
}

test('GET / shows the Swedish start page and sets the pre-login cookie', T, async () => {
  const c = newChild();
  const r = await c.get('/');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8$/);
  assert.equal(langOf(r.text), 'sv');
  assert.match(r.text, /<html dir="ltr" lang="sv">/);
  for (const t of [SV.start, 'Din kod', 'Börja', 'Här kan du berätta hur du har det hemma']) {
    assert.ok(r.text.includes(t), t);
  }
  const pre = r.setCookies.find((x) => x.startsWith('beratta_pre='));
  assert.ok(pre, `a beratta_pre cookie in ${r.setCookies}`);
  assert.match(pre, /^beratta_pre=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
  // The form repeats the cookie (double-submit CSRF before login).
  assert.equal(csrfOf(r.text), c.cookie('beratta_pre'));
});

test('a fresh code typed in lowercase with spaces logs in: 303 to /q with a strict session cookie', T, async () => {
  const lbl = label('login');
  const [code] = s.invite(1, lbl);
  assert.match(code, /^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
  const typed = code.toLowerCase().replace(/-/g, ' ');
  sentCodes.push(code, typed);
  const c = newChild();
  const before = s.count('sessions');
  const r = await c.login(typed);
  assert.equal(r.status, 303);
  assert.equal(r.location, '/q');
  const sc = r.setCookies.find((x) => x.startsWith('beratta='));
  assert.ok(sc, `a session cookie in ${r.setCookies}`);
  assert.match(sc, /^beratta=[A-Za-z0-9_-]{43}; /);
  const attrs = sc.split(';').slice(1).map((a) => a.trim());
  assert.ok(attrs.includes('HttpOnly'), sc);
  assert.ok(attrs.includes('SameSite=Strict'), sc);
  assert.ok(attrs.includes('Path=/'), sc);
  assert.ok(!attrs.some((a) => /^secure$/i.test(a)), `no Secure over plain http: ${sc}`);
  // The pre-login cookie is deleted at login.
  assert.ok(r.setCookies.some((x) => /^beratta_pre=; .*Max-Age=0/.test(x)), r.setCookies.join(' | '));
  assert.equal(c.cookie('beratta_pre'), undefined);
  assert.equal(s.count('sessions'), before + 1);
  const q = await c.get('/q');
  assert.equal(q.status, 200);
  assert.equal(questionOf(q.text), 'home_feel');
  assert.ok(q.text.includes(SV.feel));
});

test('the session token is not stored: the sessions table holds only its hash', T, async () => {
  const { c } = await loggedIn('hash');
  const token = c.cookie('beratta');
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  const rawHex = Buffer.from(token, 'base64url').toString('hex').toUpperCase();
  assert.equal(rawHex.length, 64);
  const dump = s.db('.dump');
  assert.ok(!dump.includes(token), 'the token text is in the database');
  assert.ok(!dump.toUpperCase().includes(rawHex), 'the token bytes are in the database');
  const rows = s.rows('SELECT hex(token_hash) AS h, length(token_hash) AS n, csrf FROM sessions;');
  assert.ok(rows.length >= 1);
  for (const row of rows) {
    assert.equal(row.n, 32);
    assert.notEqual(row.h, rawHex);
    assert.notEqual(row.csrf, token);
  }
});

test('answering home_feel "very_bad" asks the follow-up home_worry next', T, async () => {
  const { c, page } = await loggedIn('worry');
  assert.equal(questionOf(page.text), 'home_feel');
  const next = await step(c, 'home_feel', 'very_bad');
  assert.equal(next.status, 200);
  assert.equal(questionOf(next.text), 'home_worry');
  assert.ok(next.text.includes(SV.worry));
  assert.ok(next.text.includes('<textarea'), 'a free-text answer');
});

test('a child who answers "good" never sees home_worry and goes on to home_adult', T, async () => {
  const { c, page } = await loggedIn('good');
  const seen = [questionOf(page.text)];
  let p = await step(c, 'home_feel', 'good');
  seen.push(questionOf(p.text));
  assert.equal(questionOf(p.text), 'home_adult');
  assert.ok(p.text.includes(SV.adult));
  p = await step(c, 'home_adult', 'yes');
  seen.push(questionOf(p.text));
  p = await step(c, 'friends_break', 'always');
  assert.ok(p.text.includes(SV.thanks));
  assert.deepEqual(seen, ['home_feel', 'home_adult', 'friends_break']);
  assert.ok(!p.text.includes(SV.worry));
});

test('answering every question ends at /thanks: "Tack för att du berättade"', T, async () => {
  const { c, label: lbl } = await loggedIn('thanks');
  await step(c, 'home_feel', 'bad');
  await step(c, 'home_worry', 'Det är bråkigt ibland.');
  await step(c, 'home_adult', 'dont_know');
  const r = await c.answer('friends_break', 'rarely');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/q');
  const q = await c.get('/q');
  assert.equal(q.status, 303);
  assert.equal(q.location, '/thanks');
  const t = await c.get('/thanks');
  assert.equal(t.status, 200);
  assert.equal(langOf(t.text), 'sv');
  assert.ok(t.text.includes(`<h1>${SV.thanks}</h1>`), t.text);
  assert.ok(t.text.includes('Dina svar är sparade.'));
  const [resp] = s.rows(`SELECT r.finished_at FROM responses r JOIN invitations i
    ON i.id = r.invitation_id WHERE i.label = '${lbl}';`);
  assert.ok(Number.isInteger(resp.finished_at), 'the response is marked finished');
});

test('/thanks before the last answer sends the child back to the questions', T, async () => {
  const { c } = await loggedIn('early');
  const r = await c.get('/thanks');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/q');
});

test('every answer is stored with its time in microseconds and its tagged value', T, async () => {
  const { c, label: lbl } = await loggedIn('stored');
  const text = `Mamma och pappa bråkar ofta – ${Date.now()}`;
  const t0 = Date.now() * 1000;
  await step(c, 'home_feel', 'very_bad');
  await step(c, 'home_worry', text);
  await step(c, 'home_adult', undefined, { special: 'skip' });
  const end = await step(c, 'friends_break', undefined, { special: 'unclear' });
  const t1 = Date.now() * 1000;
  assert.ok(end.text.includes(SV.thanks));
  const rows = stored(lbl);
  assert.deepEqual(rows.map((r) => [r.question, r.value]), [
    ['home_feel', 'o:very_bad'],
    ['home_worry', `t:${text}`],
    ['home_adult', 's:skip'],
    ['friends_break', 's:unclear'],
  ]);
  let last = 0;
  for (const r of rows) {
    assert.ok(Number.isInteger(r.answered_at), `integer time: ${r.answered_at}`);
    // Microseconds since 1970, within this test's window (1 ms slack for
    // the clock readings' rounding).
    assert.ok(r.answered_at >= t0 - 1000 && r.answered_at <= t1 + 1000,
      `${r.question} answered_at ${r.answered_at} not in [${t0}, ${t1}]`);
    assert.ok(r.answered_at >= last, 'in the order answered');
    last = r.answered_at;
    assert.equal(r.replaced_at, null);
  }
});

// The page a secret attempt answers with, without its one-time tokens.
function withoutTokens(html) {
  return html.replace(/value="[A-Za-z0-9_-]{43}"/g, 'value=""');
}

test('a wrong code and a wrong secret get the same 403 page, and neither starts a session', T, async () => {
  const before = counts();
  // A well-formed code that no invitation has.
  const a = newChild();
  const start = await a.get('/');
  const l = await a.post('/login', { csrf: csrfOf(start.text), code: '2345-6789-ABCD' });
  assert.equal(l.status, 303);
  assert.equal(l.location, '/secret', 'a wrong code is not told apart here');
  const ask = await a.get('/secret');
  assert.ok(!ask.text.includes('name="again"'), 'it is asked for a secret, as a used code is');
  const wrongCode = await a.post('/secret', { csrf: csrfOf(ask.text), secret: 'vad som helst' });
  // A real code whose child chose a secret, with another secret.
  const [code] = s.invite(1, label('wrongsecret'));
  sentCodes.push(code);
  const first = newChild();
  assert.equal((await first.login(code)).status, 303);
  const b = newChild();
  const bs = await b.get('/');
  await b.post('/login', { csrf: csrfOf(bs.text), code });
  const bask = await b.get('/secret');
  const wrongSecret = await b.post('/secret', { csrf: csrfOf(bask.text), secret: 'vad som helst' });
  assert.equal(wrongCode.status, 403);
  assert.equal(wrongSecret.status, 403);
  assert.equal(withoutTokens(wrongCode.text), withoutTokens(wrongSecret.text), 'the same page for both');
  assert.ok(wrongCode.text.includes(SV.wrongCode));
  assert.ok(wrongCode.text.includes('aria-invalid="true"'));
  assert.equal(langOf(wrongCode.text), 'sv');
  for (const r of [wrongCode, wrongSecret]) {
    assert.ok(!r.setCookies.some((x) => x.startsWith('beratta=')), 'no session cookie');
  }
  assert.equal(a.cookie('beratta'), undefined);
  assert.equal(b.cookie('beratta'), undefined);
  const now = counts();
  assert.equal(now.sessions, before.sessions + 1, 'only the right login made a session');
});

test('a malformed code is told how a code looks, and starts nothing', T, async () => {
  const c = newChild();
  const before = counts();
  const start = await c.get('/');
  const r = await c.post('/login', { csrf: csrfOf(start.text), code: 'hej!' });
  assert.equal(r.status, 400);
  assert.ok(r.text.includes(SV.codeFormat));
  assert.equal(c.cookie('beratta_code'), undefined);
  assert.deepEqual(counts(), before);
});

test('GET /q without a session redirects to /', T, async () => {
  const c = newChild();
  const r = await c.get('/q');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/');
  assert.equal(r.text, '');
});

test('Accept-Language: en gives the English pages', T, async () => {
  const c = newChild({ headers: { 'accept-language': 'en' } });
  const r = await c.get('/');
  assert.equal(r.status, 200);
  assert.equal(langOf(r.text), 'en');
  assert.ok(r.text.includes('<h1>Welcome</h1>'), r.text);
  assert.ok(!r.text.includes(SV.start));
  // The questions too.
  const lbl = label('en');
  const [code] = s.invite(1, lbl);
  sentCodes.push(code);
  const l = await c.login(code);
  assert.equal(l.status, 303);
  const q = await c.get('/q');
  assert.equal(langOf(q.text), 'en');
  assert.ok(q.text.includes('How are things at home right now?'));
  // And the error pages.
  const e = await c.get('/no-such-page');
  assert.equal(e.status, 404);
  assert.equal(langOf(e.text), 'en');
  assert.ok(e.text.includes('The page could not be found.'));
});

test('the language chosen with POST /language wins over Accept-Language', T, async () => {
  const c = newChild({ headers: { 'accept-language': 'sv-SE,sv;q=0.9' } });
  const r = await c.get('/');
  assert.equal(langOf(r.text), 'sv');
  const p = await c.post('/language', { csrf: csrfOf(r.text), lang: 'en', next: '/' });
  assert.equal(p.status, 303);
  assert.equal(p.location, '/');
  const lc = p.setCookies.find((x) => x.startsWith('lang='));
  assert.ok(lc, p.setCookies.join(' | '));
  assert.match(lc, /^lang=en; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
  const again = await c.get('/');
  assert.equal(langOf(again.text), 'en');
  assert.ok(again.text.includes('<h1>Welcome</h1>'));
  // Without the cookie the header decides again.
  c.jar.delete('lang');
  const back = await c.get('/');
  assert.equal(langOf(back.text), 'sv');
});

test('POST /language without the CSRF token is refused and sets no cookie', T, async () => {
  const c = newChild();
  await c.get('/');
  const p = await c.post('/language', { lang: 'en', next: '/' });
  assert.equal(p.status, 403);
  assert.ok(!p.setCookies.some((x) => x.startsWith('lang=')));
});

test('every dynamic response has no-store, a strict CSP, nosniff and a Referrer-Policy', T, async () => {
  const { c } = await loggedIn('headers');
  const anon = newChild();
  const responses = {
    'GET / (anonymous)': await anon.get('/'),
    'POST /login wrong code': await anon.post('/login', { csrf: anon.csrf, code: 'hej' }),
    'GET /q anonymous (303)': await anon.get('/q'),
    'GET /q': await c.get('/q'),
    'POST /answer invalid (400)': await c.answer('home_feel', 'nope'),
    'POST /answer (303)': await c.answer('home_feel', 'ok'),
    'GET /nope (404)': await c.get('/nope'),
    'GET /answer (405)': await c.get('/answer'),
    'POST /answer no csrf (403)': await c.post('/answer', { q: 'home_adult', answer: 'yes' }),
    'POST 100 KB (413)': await c.post('/answer', { csrf: c.csrf, q: 'home_adult', answer: 'x'.repeat(100 * 1024) }),
  };
  for (const [what, r] of Object.entries(responses)) {
    const h = r.headers;
    assert.equal(h.get('cache-control'), 'no-store', what);
    const csp = h.get('content-security-policy');
    assert.ok(csp, `${what}: a Content-Security-Policy`);
    const directives = csp.split(';').map((d) => d.trim());
    assert.ok(directives.includes("default-src 'none'"), `${what}: ${csp}`);
    assert.ok(directives.includes("frame-ancestors 'none'"), `${what}: ${csp}`);
    assert.ok(!csp.includes('unsafe-inline'), `${what}: ${csp}`);
    assert.ok(!csp.includes('unsafe-eval'), `${what}: ${csp}`);
    assert.equal(h.get('x-content-type-options'), 'nosniff', what);
    assert.ok(h.get('referrer-policy'), `${what}: a Referrer-Policy`);
    assert.equal(h.get('referrer-policy'), 'no-referrer', what);
  }
});

test('nginx serves the stylesheet itself: 200, text/css', T, async () => {
  const c = newChild();
  const r = await c.get('/static/beratta.css');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/css/);
  assert.ok(r.text.length > 100);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(!/\/static\//.test(s.log()), 'the daemon never saw the request');
});

test('an unknown path is a Swedish 404 page with a link back to the start', T, async () => {
  const c = newChild();
  const r = await c.get('/finns-inte');
  assertErrorPage(r, 404, SV.e404);
  assert.ok(r.text.includes('<h1>Något gick fel</h1>'));
});

test('GET /answer is 405 with an Allow header', T, async () => {
  const c = newChild();
  const r = await c.get('/answer');
  assertErrorPage(r, 405, SV.e405);
  assert.ok(r.headers.get('allow'), 'an Allow header');
  assert.match(r.headers.get('allow'), /POST/);
});

test('a 100 KB POST body gets the daemon\'s Swedish 413 page, not nginx\'s', T, async () => {
  const { c } = await loggedIn('big');
  const before = counts();
  const r = await c.post('/answer', { csrf: c.csrf, q: 'home_feel', answer: 'x'.repeat(100 * 1024) });
  assertErrorPage(r, 413, SV.e413);
  assert.ok(!/nginx/i.test(r.text), 'not nginx\'s page');
  assert.deepEqual(counts(), before);
});

test('a request for an unknown host name is 404', T, async () => {
  const r = await raw(s, 'GET / HTTP/1.1\r\nHost: nope.example\r\nConnection: close\r\n\r\n');
  assert.equal(r.status, 404, r.statusLine);
  assert.ok(!r.body.includes(SV.start), 'not the start page');
  assert.ok(!/Set-Cookie/i.test(r.text.split('\r\n\r\n')[0]), 'no cookie for an unknown host');
  // The configured host names do reach the tenant.
  const ok = await raw(s, 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
  assert.equal(ok.status, 200);
});

async function csrfRefused(name, fields) {
  const { c, label: lbl } = await loggedIn(name);
  const before = counts();
  const r = await c.post('/answer', fields(c));
  assertErrorPage(r, 403, SV.e403);
  assert.deepEqual(counts(), before);
  assert.deepEqual(stored(lbl), []);
  // The child's own token still works afterwards.
  const ok = await c.answer('home_feel', 'good');
  assert.equal(ok.status, 303);
}

test('an answer without a CSRF token is 403 and stores nothing', T, async () => {
  await csrfRefused('nocsrf', () => ({ q: 'home_feel', answer: 'good' }));
});

test('an answer with a wrong CSRF token is 403 and stores nothing', T, async () => {
  await csrfRefused('badcsrf', (c) => ({
    csrf: c.csrf.slice(0, -4) + (c.csrf.endsWith('AAAA') ? 'BBBB' : 'AAAA'),
    q: 'home_feel',
    answer: 'good',
  }));
});

test('an answer with another session\'s CSRF token is 403 and stores nothing', T, async () => {
  const other = await loggedIn('othercsrf-a');
  await csrfRefused('othercsrf-b', () => ({ csrf: other.c.csrf, q: 'home_feel', answer: 'good' }));
});

test('an answer to a question that is not active is 400 and stores nothing', T, async () => {
  const { c, label: lbl } = await loggedIn('inactive');
  await step(c, 'home_feel', 'good');
  const before = counts();
  const r = await c.answer('home_worry', 'Det här ska inte sparas');
  assertErrorPage(r, 400, SV.e400);
  assert.deepEqual(counts(), before);
  assert.deepEqual(stored(lbl).map((x) => x.question), ['home_feel']);
  // A question id that does not exist at all is the same.
  const r2 = await c.answer('no_such_question', 'x');
  assert.equal(r2.status, 400);
  assert.deepEqual(counts(), before);
});

test('an option the question does not have is 400 and shows the question again with the message', T, async () => {
  const { c, label: lbl } = await loggedIn('badoption');
  const before = counts();
  const r = await c.answer('home_feel', 'fantastic');
  assert.equal(r.status, 400);
  assert.equal(questionOf(r.text), 'home_feel');
  assert.ok(r.text.includes(SV.feel), 'the question again');
  assert.ok(r.text.includes(`<p class="error" id="answer-error" role="alert">${SV.invalid}</p>`), r.text);
  assert.ok(csrfOf(r.text), 'a form to answer again');
  assert.deepEqual(counts(), before);
  assert.deepEqual(stored(lbl), []);
});

test('a POST answer ends with 303, so reloading the page never resubmits', T, async () => {
  const { c, label: lbl } = await loggedIn('reload');
  const r = await c.answer('home_feel', 'ok');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/q');
  assert.equal(r.text, '');
  const n = s.count('answers');
  // What the browser shows (and reloads) is the GET the 303 led to.
  for (let i = 0; i < 3; i++) {
    const p = await c.get(r.location);
    assert.equal(p.status, 200);
    assert.equal(questionOf(p.text), 'home_adult');
  }
  assert.equal(s.count('answers'), n);
  assert.equal(stored(lbl).length, 1);
});

test('free text with <script> is stored as written and never shown unescaped', T, async () => {
  const { c, label: lbl } = await loggedIn('script');
  const text = `<script>alert("hej")</script> & 'citat' <img src=x onerror=alert(1)>`;
  const pages = [];
  pages.push((await step(c, 'home_feel', 'very_bad')).text);
  pages.push((await step(c, 'home_worry', text)).text);
  const rows = stored(lbl);
  assert.equal(rows[1].value, `t:${text}`, 'stored exactly as written');
  // The question page shows the text again (an answer the set refuses,
  // longer than the question's 1000 characters, re-renders home_worry
  // with what is stored).
  const again = await c.answer('home_worry', 'x'.repeat(1001));
  assert.equal(again.status, 400);
  assert.equal(questionOf(again.text), 'home_worry');
  const escaped = '&lt;script&gt;alert(&quot;hej&quot;)&lt;/script&gt; &amp; &#39;citat&#39; &lt;img src=x onerror=alert(1)&gt;';
  assert.ok(again.text.includes(`>${escaped}</textarea>`), again.text);
  pages.push(again.text);
  pages.push((await c.page()).text);
  for (const p of pages) {
    // The only script is the site's own file; no inline script at all.
    const scripts = p.match(/<script[^>]*>/g) ?? [];
    assert.deepEqual(scripts, ['<script defer src="/static/beratta.js">'], 'only our own script');
    assert.ok(!p.includes('<img'), 'no injected element');
  }
});

test('the daemon log has one line per request: method, path, status and microseconds', T, async () => {
  const c = newChild();
  const probe = `/log-probe-${Math.random().toString(36).replace(/[^a-z]/g, '')}`;
  for (let i = 0; i < 3; i++) assert.equal((await c.get(probe)).status, 404);
  assert.equal((await c.post(probe, { a: '1' })).status, 404);
  const log = s.log();
  const req = /^berattad-worker\[(\d+)\]: (GET|POST|HEAD|PUT|DELETE|OPTIONS|-) (\S+) (\d{3}) (\d+)us$/;
  const other = /^berattad(-worker)?\[\d+\]: (info|warn|error): [a-z_]+: /;
  const lines = log.split('\n').filter(Boolean);
  for (const line of lines) {
    assert.ok(req.test(line) || other.test(line), `an unexpected log line: ${line}`);
  }
  const mine = lines.map((l) => req.exec(l)).filter((m) => m && m[3] === probe);
  assert.equal(mine.filter((m) => m[2] === 'GET').length, 3);
  assert.equal(mine.filter((m) => m[2] === 'POST').length, 1);
  for (const m of mine) assert.equal(m[4], '404');
  // Every request this file made is there: at least the logins and answers.
  const logins = lines.filter((l) => / POST \/login 303 \d+us$/.test(l)).length;
  assert.ok(logins >= 10, `${logins} logins logged`);
});

test('the daemon log never holds a code, a cookie, a CSRF token or an answer text', T, async () => {
  // Runs last: everything this file sent is in clients, sentCodes, sentTexts.
  const log = s.log();
  const secrets = new Set();
  for (const c of clients) for (const x of c.secrets) secrets.add(x);
  assert.ok(secrets.size > 20, `${secrets.size} tokens collected`);
  for (const code of sentCodes) {
    secrets.add(code);
    secrets.add(code.replace(/[- ]/g, ''));
  }
  assert.ok(sentTexts.length >= 3);
  for (const t of sentTexts) secrets.add(t);
  for (const x of secrets) {
    if (x.length < 6 || /^(en|sv)$/.test(x)) continue;
    assert.ok(!log.includes(x), `the log contains ${JSON.stringify(x)}`);
  }
  // Codes in any spelling: the code alphabet, 12 in a row.
  const looks = /[2-9A-HJ-NP-Z]{4}[- ]?[2-9A-HJ-NP-Z]{4}[- ]?[2-9A-HJ-NP-Z]{4}/;
  const suspicious = log.split('\n').map((l) => l.replace(/\/tmp\/\S+/g, '')).filter((l) => looks.test(l));
  assert.deepEqual(suspicious, [], 'nothing that looks like a code');
});
