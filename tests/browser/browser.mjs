// browser.mjs: what the browser tests share — Debian's Chromium driven by
// playwright-core (never a downloaded browser), the texts a child sees in
// Swedish and Arabic, read from the product's own catalogues, and the steps
// of a child's journey as a person takes them: typing, clicking, choosing.
//
// This file is a helper, not a test: `node --test tests/browser/` runs only
// files named *.test.mjs.
//
//   const b = await launch();
//   const ctx = await context(t, b, { viewport: PHONE });
//   const page = await ctx.newPage();
//   ...
//   await b.close();
//
// Every wait is bounded: actions 10 s, navigations 15 s.

import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { ROOT } from '../http/stack.mjs';

export { ROOT };

export const CHROMIUM = process.env.BERATTA_CHROMIUM || '/usr/bin/chromium';
export const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];
export const PHONE = { width: 360, height: 740 };
export const ACTION_MS = 10000;
export const NAV_MS = 15000;
export const SECRET = 'sol och måne';
export const WORRY = 'Det är bråkigt hemma ibland, mest på kvällarna.';
export const WORRY_AR = 'أحيانًا يكون في البيت صراخ، خاصة في المساء.';

// Where screenshots go: BERATTA_ARTEFACTS, else build/artefacts.
export const ARTEFACTS = process.env.BERATTA_ARTEFACTS
  ? path.resolve(ROOT, process.env.BERATTA_ARTEFACTS)
  : path.join(ROOT, 'build', 'artefacts');

// Debian's Chromium, headless.  Never downloads anything.
export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ARGS,
    timeout: 30000,
  });
}

// A fresh context for test t, closed after it (also when it fails).  A
// Swedish phone unless opts say otherwise.
export async function context(t, browser, opts = {}) {
  const ctx = await browser.newContext({ locale: 'sv-SE', viewport: PHONE, ...opts });
  ctx.setDefaultTimeout(ACTION_MS);
  ctx.setDefaultNavigationTimeout(NAV_MS);
  t.after(() => ctx.close().catch(() => {}));
  return ctx;
}

// ---------------------------------------------------------------------
// Texts.

// A PO catalogue as { msgctxt: msgstr }.
function readPo(file) {
  const out = {};
  let field = null, buf = {};
  const flush = () => {
    if (buf.msgctxt !== undefined && buf.msgstr !== undefined) out[buf.msgctxt] = buf.msgstr;
    buf = {};
  };
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    let m;
    if ((m = /^(msgctxt|msgid|msgstr) (".*")$/.exec(line))) {
      if (m[1] === 'msgctxt') flush();
      field = m[1];
      buf[field] = JSON.parse(m[2]);
    } else if ((m = /^(".*")$/.exec(line)) && field) {
      buf[field] += JSON.parse(m[1]);
    } else if (line.trim() === '') {
      field = null;
    }
  }
  flush();
  return out;
}

// A translation table of a question set: { key = "text" } in Lua.
function readLuaTable(file) {
  const out = {};
  const re = /\["([^"]+)"\]\s*=\s*"((?:[^"\\]|\\.)*)"/g;
  const src = fs.readFileSync(file, 'utf8');
  let m;
  while ((m = re.exec(src))) out[m[1]] = m[2];
  return out;
}

// The demo set's texts in Swedish (its own language, plugins/demo/init.lua;
// the built-in option texts of lua/questions.lua).
const SV_SET = {
  'area.home': 'Hemma',
  'area.friends': 'Kompisar',
  home_feel: 'Hur har du det hemma just nu?',
  'home_feel.very_good': 'Mycket bra',
  'home_feel.good': 'Bra',
  'home_feel.ok': 'Okej',
  'home_feel.bad': 'Dåligt',
  'home_feel.very_bad': 'Mycket dåligt',
  home_worry: 'Vill du berätta mer om hur det är hemma?',
  'home_worry.hint': 'Du kan skriva så mycket eller lite du vill.',
  home_adult: 'Finns det en vuxen hemma som lyssnar på dig?',
  'home_adult.yes': 'Ja',
  'home_adult.no': 'Nej',
  'home_adult.dont_know': 'Vet inte',
  friends_break: 'Har du någon att vara med på rasterna?',
  'friends_break.always': 'Ja, nästan alltid',
  'friends_break.sometimes': 'Ibland',
  'friends_break.rarely': 'Sällan eller aldrig',
};

const cache = new Map();

// { ui, set, name, dir }: the product's strings (locales/LANG.po) and the
// demo set's texts in lang.
export function texts(lang) {
  if (cache.has(lang)) return cache.get(lang);
  const ui = readPo(path.join(ROOT, 'locales', `${lang}.po`));
  const set = lang === 'sv' ? SV_SET
    : readLuaTable(path.join(ROOT, 'plugins', 'demo', 'translations', `${lang}.lua`));
  for (const k of Object.keys(SV_SET)) {
    assert.ok(set[k], `the demo set has no ${lang} text for ${k}`);
  }
  for (const k of ['start.heading', 'secret.choose_heading', 'nav.overview', 'thanks.heading']) {
    assert.ok(ui[k], `locales/${lang}.po has no ${k}`);
  }
  const T = {
    lang,
    dir: ['ar', 'fa'].includes(lang) ? 'rtl' : 'ltr',
    name: { sv: 'svenska', ar: 'العربية', fa: 'فارسی', en: 'English' }[lang],
    ui,
    set,
  };
  cache.set(lang, T);
  return T;
}

// ---------------------------------------------------------------------
// Looking at a page.

// Text of the first element matching sel, whitespace collapsed.
export async function textOf(page, sel) {
  const s = await page.locator(sel).first().innerText({ timeout: ACTION_MS });
  return s.replace(/\s+/g, ' ').trim();
}

export async function h1(page) {
  return textOf(page, 'h1');
}

// The page's path and query.
export function where(page) {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

// Asserts lang and dir of <html> and, on a page in another language than
// Swedish, that no Swedish text of the product or the set shows (a string
// missing from a catalogue falls back to Swedish).
export async function assertLang(page, T) {
  const lang = await page.locator('html').getAttribute('lang');
  const dir = await page.locator('html').getAttribute('dir');
  assert.equal(lang, T.lang, `lang of ${where(page)}`);
  assert.equal(dir, T.dir, `dir of ${where(page)}`);
  if (T.lang === 'sv') return;
  const sv = texts('sv');
  const body = await page.locator('body').innerText();
  const leaks = [];
  for (const [table, mine] of [[sv.ui, T.ui], [sv.set, T.set]]) {
    for (const [k, v] of Object.entries(table)) {
      if (v.length >= 4 && !v.includes('{') && v !== mine[k] && body.includes(v)) leaks.push(`${k}: "${v}"`);
    }
  }
  assert.deepEqual(leaks, [], `Swedish on the ${T.lang} page ${where(page)}`);
}

// The question id of a question page (its hidden field), or null.
export async function questionId(page) {
  const q = page.locator('form.question input[name=q]');
  return (await q.count()) ? q.getAttribute('value') : null;
}

// ---------------------------------------------------------------------
// Acting like a child.

// Clicks what loc finds (or runs act, a function) and waits until the page
// it leads to has loaded (a POST answered by 303 and the GET after it
// included).
export async function go(page, act) {
  const nav = page.waitForEvent('framenavigated', {
    predicate: (f) => f === page.mainFrame(),
    timeout: NAV_MS,
  });
  nav.catch(() => {});	// awaited below; not unhandled if act fails
  await (typeof act === 'function' ? act() : act.click());
  await nav;
  await page.waitForLoadState('load', { timeout: NAV_MS });
}

// Goes to urlPath as if typed in the address bar; returns the response.
export function open(page, base, urlPath) {
  return page.goto(base + urlPath, { waitUntil: 'load' });
}

// Picks a language in the menu of the page and changes to it.
export async function chooseLanguage(page, T) {
  await page.locator('#lang').selectOption({ label: T.name });
  await go(page, page.locator('form.lang button[type=submit]'));
}

// Types the code on the start page and goes on.
export async function enterCode(page, code) {
  await page.locator('#code').fill(code);
  await go(page, page.locator('form.login button[type=submit]'));
}

// On the secret page: types the secret (twice when choosing).
export async function enterSecret(page, secret = SECRET, again = secret) {
  await page.locator('#secret').fill(secret);
  if (await page.locator('#again').count()) await page.locator('#again').fill(again);
  await go(page, page.locator('form.login button[type=submit]'));
}

// The next button of a question page.
export function nextButton(page, T) {
  return page.locator('form.question').getByRole('button', { name: T.ui['answer.next'], exact: true });
}

// Chooses the option with the text of key (a radio button, by its
// visible label) and goes on.
export async function choose(page, T, key) {
  await page.getByRole('radio', { name: T.set[key], exact: true }).check();
  await go(page, nextButton(page, T));
}

// Writes text as the answer and goes on.
export async function write(page, T, text) {
  await page.getByRole('textbox', { name: T.ui['answer.text_label'] }).fill(text);
  await go(page, nextButton(page, T));
}

// Logs a fresh child in from the start page: code, secret chosen twice.
// Returns at the first question.
export async function firstLogin(page, base, code, T, { language = false } = {}) {
  await open(page, base, '/');
  if (language) await chooseLanguage(page, T);
  await enterCode(page, code);
  await enterSecret(page);
  assert.equal(where(page), '/q');
}

// Asserts that nothing overflows the page horizontally.
export async function assertNoOverflow(page, name) {
  const m = await page.evaluate(() => {
    const d = document.documentElement;
    const wide = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && (r.right > d.clientWidth + 1 || r.left < -1)) {
        const s = getComputedStyle(el);
        // The skip link waits off-screen on purpose; clipped screen-reader
        // text has no visible width.
        if (el.classList.contains('skip') || s.position === 'absolute') continue;
        wide.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
      }
    }
    return { scroll: d.scrollWidth, client: d.clientWidth, wide: wide.slice(0, 5) };
  });
  assert.ok(m.scroll <= m.client,
    `${name}: scrollWidth ${m.scroll} > clientWidth ${m.client}; too wide: ${m.wide.join(', ')}`);
}

// Saves a screenshot as an artefact; returns its path.
export async function shoot(page, name) {
  fs.mkdirSync(ARTEFACTS, { recursive: true });
  const file = path.join(ARTEFACTS, name);
  await page.screenshot({ path: file, fullPage: true, timeout: ACTION_MS });
  return file;
}

// ---------------------------------------------------------------------
// Every page of a journey.

// Walks a fresh child (code) through every page a child can see, in
// language T (chosen in the menu when not Swedish), calling
// `await check(page, name)` on each: the start page (also with an error),
// help, choosing the secret (also with an error), every question type of
// the demo set (and a refused answer), the follow-up, the overview, care,
// the thank-you page, a 404, and after logging out the secret entered
// (also wrong).  The names say where it was.
export async function walk(page, base, code, T, check) {
  const at = async (name, urlPath) => {
    if (urlPath !== undefined) assert.equal(where(page), urlPath, `${name} at ${urlPath}`);
    await assertLang(page, T);
    await check(page, name);
  };
  await open(page, base, '/');
  if (T.lang !== 'sv') await chooseLanguage(page, T);
  await at('start', '/');
  await enterCode(page, 'hej');
  await at('start with a refused code', '/login');
  await open(page, base, '/help');
  await at('help before login', '/help');
  await open(page, base, '/');
  await enterCode(page, code);
  await at('secret: choose', '/secret');
  await enterSecret(page, SECRET, `${SECRET} x`);
  await at('secret: choose, typed differently twice', '/secret');
  await enterSecret(page);
  await at('question: faces', '/q');
  await go(page, nextButton(page, T));
  await at('question: faces, no answer chosen', '/answer');
  await choose(page, T, 'home_feel.very_bad');
  await at('question: follow-up, free text', '/q');
  await write(page, T, T.lang === 'sv' ? WORRY : WORRY_AR);
  await at('question: yes/no', '/q');
  await go(page, page.getByRole('link', { name: T.ui['nav.overview'], exact: true }));
  await at('overview', '/overview');
  await go(page, page.getByRole('link', { name: T.ui['nav.help'], exact: true }));
  await at('help', '/help');
  await open(page, base, '/care');
  await at('care', '/care');
  await go(page, page.getByRole('link', { name: T.ui['care.continue'], exact: true }));
  await choose(page, T, 'home_adult.dont_know');
  await at('question: single choice', '/q');
  await choose(page, T, 'friends_break.rarely');
  await at('thanks', '/thanks');
  const r = await open(page, base, '/no-such-page');
  assert.equal(r.status(), 404);
  await at('error page (404)', '/no-such-page');
  await open(page, base, '/thanks');
  await go(page, page.getByRole('button', { name: T.ui.logout, exact: true }));
  await enterCode(page, code);
  await at('secret: enter', '/secret');
  await enterSecret(page, `${SECRET} x`);
  await at('secret: enter, wrong', '/secret');
}
