// idle.test.mjs: a child who walks away.  With JavaScript, a page left
// untouched goes back to the start page by itself five seconds after the
// session's idle time (the answers are saved; the next person at the
// screen sees no question and no answer); touching the page keeps it.
// Without JavaScript the page stays, and the server refuses the old
// session all the same.  Time passes on both ends without waiting: the
// browser's clock is Playwright's and jumps forward, and the session's
// last use is moved back in the database as the idle time would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from '../http/stack.mjs';
import { launch, context, texts, h1, where, open, firstLogin } from './browser.mjs';

const IDLE = 1800;	// the stack's session_idle, in seconds
const T_MS = { timeout: 90000 };
let s, browser;

before(async () => {
  s = await start({ workers: 1, threads: 2 });
  browser = await launch();
}, { timeout: 60000 });

after(async () => {
  if (browser) await browser.close().catch(() => {});
  if (s) await s.stop();
}, { timeout: 30000 });

// The server's side of the idle time: the sessions were last used seconds
// earlier than they were (by default: longer ago than session_idle).
function ageSessions(seconds = IDLE + 60) {
  s.db(`UPDATE sessions SET seen_at = seen_at - ${seconds} * 1000000;`);
}

// A child at the first question, in a browser whose clock the test moves.
async function childAtQuestion(t, label, opts = {}) {
  const page = await (await context(t, browser, opts)).newPage();
  if (opts.javaScriptEnabled !== false) await page.clock.install();
  const [code] = s.invite(1, label);
  await firstLogin(page, s.base, code, texts('sv'));
  return page;
}

// Moves the browser's clock on by seconds; true if the page then set off
// for the start page by itself within a second (whatever the server
// answers there).  The clock also runs on in real time while this waits,
// hence the second's margin in the tests.
async function leavesAfter(page, seconds) {
  const left = page.waitForRequest((r) => r.isNavigationRequest() &&
    new URL(r.url()).pathname === '/', { timeout: 1000 }).then(() => true, () => false);
  await page.clock.fastForward(seconds * 1000);
  return left;
}

test('an untouched question page goes back to the start page by itself', T_MS, async (t) => {
  const T = texts('sv');
  const page = await childAtQuestion(t, 'idle');
  assert.equal(await page.locator('body').getAttribute('data-idle'), String(IDLE));
  assert.equal(await leavesAfter(page, IDLE + 2), false, 'the page waits out the idle time and more');
  ageSessions();
  assert.equal(await leavesAfter(page, 3), true, 'the page leaves 5 s after the idle time');
  await page.waitForURL((u) => new URL(u).pathname === '/', { waitUntil: 'load' });
  assert.equal(await h1(page), T.ui['start.heading']);
  assert.equal(await page.locator('form.question, ul.answers').count(), 0,
    'no question and no answer on the screen');
  // The questions need the code again.
  await open(page, s.base, '/q');
  assert.equal(where(page), '/');
});

test('touching the page keeps it; it leaves once the touching stops', T_MS, async (t) => {
  const page = await childAtQuestion(t, 'busy');
  assert.equal(await leavesAfter(page, IDLE), false);
  await page.keyboard.press('Shift');
  assert.equal(await leavesAfter(page, IDLE), false, 'a key press starts the wait again');
  await page.mouse.click(5, 300);
  assert.equal(await leavesAfter(page, IDLE + 2), false, 'so does a tap');
  assert.equal(where(page), '/q');
  ageSessions();
  assert.equal(await leavesAfter(page, 4), true);
  await page.waitForURL((u) => new URL(u).pathname === '/', { waitUntil: 'load' });
  assert.equal(await h1(page), texts('sv').ui['start.heading']);
});

test('typing after a quiet minute keeps the session alive on the server', T_MS, async (t) => {
  const page = await childAtQuestion(t, 'typing');
  const alive = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/alive') alive.push(r);
  });
  // A key at once says nothing to the server: the page was just loaded.
  await page.keyboard.press('Shift');
  await page.clock.fastForward(30 * 1000);
  await page.keyboard.press('Shift');
  assert.equal(alive.length, 0, 'no word to the server within the minute');
  // 25 minutes without a request, on both ends; then the child types.
  await page.clock.fastForward(1500 * 1000);
  ageSessions(1500);
  const told = page.waitForRequest((r) => new URL(r.url()).pathname === '/alive');
  await page.keyboard.press('Shift');
  const res = await (await told).response();
  assert.equal(res.status(), 204);
  await page.keyboard.press('Shift');
  assert.equal(alive.length, 1, 'once, not for every key');
  // 25 more minutes: 50 in all since the page came, yet the session lives.
  ageSessions(1500);
  await open(page, s.base, '/q');
  assert.equal(where(page), '/q');
});

test('without JavaScript the page stays, and the old session is refused', T_MS, async (t) => {
  const page = await childAtQuestion(t, 'nojs', { javaScriptEnabled: false });
  ageSessions();
  assert.equal(where(page), '/q', 'nothing moves the page without JavaScript');
  await open(page, s.base, '/q');
  assert.equal(where(page), '/');
  assert.equal(await h1(page), texts('sv').ui['start.heading']);
});
