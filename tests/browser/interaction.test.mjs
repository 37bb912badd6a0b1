// interaction.test.mjs: what a child does with the keyboard, "Leave
// quickly", and "Read aloud", in a real Chromium with JavaScript on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import { start, HOST } from '../http/stack.mjs';
import {
  launch, context, texts, firstLogin, questionId, choose, where, h1, open, go,
} from './browser.mjs';

const T_MS = { timeout: 60000 };
let s, browser, neutral, labels = 0;

// "Leave quickly" goes to the tenant's neutral page, another site: here a
// small server on loopback, so that nothing leaves the machine.
const NEUTRAL = '<!DOCTYPE html><html lang="en"><title>Search</title><h1>A neutral page</h1></html>';

before(async () => {
  neutral = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(NEUTRAL);
  });
  await new Promise((resolve) => neutral.listen(0, HOST, resolve));
  const away = `http://${HOST}:${neutral.address().port}/`;
  s = await start({
    workers: 2,
    threads: 4,
    prepare: (st) => {
      const conf = fs.readFileSync(st.conf, 'utf8');
      const edited = conf.replace('allow_pin = true', `allow_pin = true, quick_exit = "${away}"`);
      assert.notEqual(edited, conf, 'the tenant of the test stack takes a quick_exit');
      fs.writeFileSync(st.conf, edited);
    },
  });
  s.away = away;
  browser = await launch();
}, { timeout: 60000 });

after(async () => {
  if (browser) await browser.close().catch(() => {});
  if (s) await s.stop();
  if (neutral) await new Promise((resolve) => neutral.close(resolve));
}, { timeout: 30000 });

// A fresh child logged in (in lang, chosen in the menu) on its first
// question; returns { ctx, page, T }.
async function loggedIn(t, lang = 'sv', { init } = {}) {
  const T = texts(lang);
  labels += 1;
  const [code] = s.invite(1, `browser-interaction-${labels}`);
  const ctx = await context(t, browser);
  if (init) await ctx.addInitScript(init);
  const page = await ctx.newPage();
  await firstLogin(page, s.base, code, T, { language: lang !== 'sv' });
  assert.equal(await questionId(page), 'home_feel');
  return { ctx, page, T };
}

// The focused element: { tag, cls, text, id, type, value, checked }.
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return {
      tag: el.tagName.toLowerCase(),
      cls: el.className,
      text: el.textContent.trim(),
      id: el.id,
      name: el.getAttribute('name'),
      value: el.value,
      checked: el.checked,
    };
  });
}

// The outline of the focused element, or (for a radio button hidden
// behind its label) of its label.
function focusRing(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    if (el.matches('.options input')) el = document.querySelector(`label[for="${el.id}"]`);
    const s = getComputedStyle(el);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor };
  });
}

function assertRing(ring, what) {
  assert.notEqual(ring.style, 'none', `${what}: a visible focus outline (${JSON.stringify(ring)})`);
  assert.ok(ring.width >= 2, `${what}: the outline is at least 2 px (${JSON.stringify(ring)})`);
}

test('keyboard: skip link, then "Leave quickly", options chosen with arrows and space, Enter submits', T_MS, async (t) => {
  const { page, T } = await loggedIn(t);
  // The stylesheet draws focus for keyboard users.
  const rule = await page.evaluate(() => [...document.styleSheets].flatMap((sh) => [...sh.cssRules])
    .some((r) => /:focus-visible/.test(r.selectorText || '') && r.style.outlineStyle
      && r.style.outlineStyle !== 'none'));
  assert.ok(rule, 'a :focus-visible rule with an outline');

  await page.keyboard.press('Tab');
  let f = await focused(page);
  assert.equal(f.cls, 'skip', `first Tab: the skip link, not ${JSON.stringify(f)}`);
  const skip = await page.locator('a.skip').boundingBox();
  assert.ok(skip && skip.x >= 0 && skip.x + skip.width <= 360, 'the focused skip link is on the screen');
  await page.keyboard.press('Tab');
  f = await focused(page);
  assert.equal(f.cls, 'quick-exit', `second Tab: "Leave quickly", not ${JSON.stringify(f)}`);
  assert.equal(f.text, T.ui['nav.leave']);
  assertRing(await focusRing(page), '"Leave quickly"');

  // On to the answers.
  for (let i = 0; i < 25 && !(f.tag === 'input' && f.name === 'answer'); i++) {
    await page.keyboard.press('Tab');
    f = await focused(page);
  }
  assert.equal(f.name, 'answer', 'Tab reaches the options');
  assert.equal(f.value, 'very_good', 'the first option first');
  assertRing(await focusRing(page), 'an option');
  await page.keyboard.press('Space');
  assert.equal((await focused(page)).checked, true, 'Space chooses');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  f = await focused(page);
  assert.equal(f.value, 'bad', 'the arrows move to "bad"');
  assert.equal(f.checked, true, 'and choose it');
  assert.equal(await page.getByRole('radio', { name: T.set['home_feel.bad'], exact: true }).isChecked(), true);
  assertRing(await focusRing(page), 'an option chosen with the arrows');

  // Enter submits the answer: the follow-up of a bad answer comes.
  await go(page, () => page.keyboard.press('Enter'));
  assert.equal(where(page), '/q');
  assert.equal(await questionId(page), 'home_worry', 'Enter sent the answer');

  // In the text box Enter is a new line; Tab to "Next" and Enter sends it.
  await page.getByRole('textbox', { name: T.ui['answer.text_label'] }).focus();
  await page.keyboard.type('Det är lugnt nu.');
  await page.keyboard.press('Tab');
  f = await focused(page);
  assert.equal(f.text, T.ui['answer.next'], `Tab from the text goes to "Next", not ${JSON.stringify(f)}`);
  assertRing(await focusRing(page), '"Next"');
  await go(page, () => page.keyboard.press('Enter'));
  assert.equal(await questionId(page), 'home_adult');
});

test('"Leave quickly" replaces the page: Back does not return to a question, and the session is over', T_MS, async (t) => {
  const { ctx, page, T } = await loggedIn(t);
  const away = s.away;
  await choose(page, T, 'home_feel.ok');
  assert.equal(await questionId(page), 'home_adult');
  const before = await page.evaluate(() => history.length);

  await go(page, page.getByRole('link', { name: T.ui['nav.leave'], exact: true }));
  assert.equal(page.url(), away, 'at the neutral page');
  assert.equal(await h1(page), 'A neutral page');
  assert.equal(await page.evaluate(() => history.length), before, 'the question page was replaced, not added to');

  // Back: never a question again.
  const back = await page.goBack({ waitUntil: 'load' });
  assert.ok(back === null || back.status() < 400 || back.status() === 303, 'back loads');
  assert.equal(await page.locator('form.question').count(), 0, `no question after Back (at ${page.url()})`);
  assert.notEqual(where(page), '/q', 'Back does not show /q');
  const text = await page.locator('body').innerText();
  assert.ok(!text.includes(T.set.home_adult) && !text.includes(T.set.home_feel), 'no question text after Back');

  // The session is over: /q sends to the start.
  const r = await ctx.request.get(`${s.base}/q`, { maxRedirects: 0 });
  assert.equal(r.status(), 303);
  assert.equal(r.headers().location, '/');
  await open(page, s.base, '/q');
  assert.equal(where(page), '/');
});

// Records what the page asks the speech synthesis to say.
function fakeSpeech() {
  const spoken = [];
  const fake = {
    speaking: false, pending: false, paused: false,
    speak(u) { spoken.push({ text: u.text, lang: u.lang }); },
    cancel() {}, pause() {}, resume() {},
    getVoices() { return []; },
    addEventListener() {}, removeEventListener() {},
  };
  Object.defineProperty(window, 'speechSynthesis', { configurable: true, get: () => fake });
  Object.defineProperty(window, '__spoken', { value: spoken });
}

async function readAloud(t, lang) {
  const { page, T } = await loggedIn(t, lang, { init: fakeSpeech });
  const button = page.getByRole('button', { name: T.ui['question.read'] });
  assert.ok(await button.isVisible(), '"Read aloud" shows with JavaScript');
  await button.click();
  const spoken = await page.evaluate(() => window.__spoken);
  assert.equal(spoken.length, 1, 'one utterance');
  assert.equal(spoken[0].lang, lang);
  assert.ok(spoken[0].text.includes(T.set.home_feel), `"${spoken[0].text}" says the question`);
  assert.ok(spoken[0].text.includes(T.set['home_feel.very_bad']), 'and the answers');
}

test('"Read aloud" speaks the question and its answers in Swedish (lang sv)', T_MS, async (t) => {
  await readAloud(t, 'sv');
});

test('"Read aloud" speaks the question and its answers in Arabic (lang ar)', T_MS, async (t) => {
  await readAloud(t, 'ar');
});
