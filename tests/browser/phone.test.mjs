// phone.test.mjs: the standard set on a phone (390 x 844 CSS pixels), as
// a child first meets it: the header leaves room for the question (at
// least three options of the first question on the screen), several
// choices look unlike one choice before anything is chosen, the start
// button does not touch the code field, phone numbers stay on one line in
// Arabic, and with large text (the browser's text size at 200%) the
// header folds into a menu so that the question and its first answer are
// on the screen.  Right to left as well as left to right.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { start, child } from '../http/stack.mjs';
import {
  launch, context, texts, firstLogin, questionId, open, go, where, assertNoOverflow,
} from './browser.mjs';

const T_MS = { timeout: 90000 };
const PHONE = { width: 390, height: 844 };
let s, browser, n = 0;

before(async () => {
  s = await start({
    workers: 1,
    threads: 4,
    prepare(st) {
      const conf = fs.readFileSync(st.conf, 'utf8');
      const edited = conf.replace(/plugin = "[a-z_-]+"/, 'plugin = "standard"');
      assert.notEqual(edited, conf, 'the tenant serves the standard set');
      fs.writeFileSync(st.conf, edited);
    },
  });
  browser = await launch();
}, { timeout: 60000 });

after(async () => {
  if (browser) await browser.close().catch(() => {});
  if (s) await s.stop();
}, { timeout: 30000 });

// A phone in lang; with big, the browser's text size doubled (as a
// child's "large text" setting does: 32 px instead of 16 px).
async function phone(t, lang, { big = false, js = true } = {}) {
  const ctx = await context(t, browser, { viewport: PHONE, javaScriptEnabled: js });
  // The language a child chose before, kept in its cookie.
  if (lang !== 'sv') await ctx.addCookies([{ name: 'lang', value: lang, url: s.base }]);
  const page = await ctx.newPage();
  if (big) {
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 26 } });
  }
  return page;
}

// A phone at the first question of the standard set.
async function atFirstQuestion(t, lang, opts) {
  const page = await phone(t, lang, opts);
  const [code] = s.invite(1, `phone-${lang}-${++n}`);
  await firstLogin(page, s.base, code, texts(lang));
  assert.equal(await questionId(page), 'home_live_with', 'the first question of the standard set');
  if (opts?.big && opts?.js !== false) {
    await page.waitForFunction(() => !document.querySelector('details.more').open);
  }
  return page;
}

// Boxes of what the first screen shows: the header, the heading, and each
// option (their labels), in CSS pixels from the top of the screen.
function screen(page) {
  return page.evaluate(() => {
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height };
    };
    return {
      height: window.innerHeight,
      width: document.documentElement.clientWidth,
      root: parseFloat(getComputedStyle(document.documentElement).fontSize),
      header: box(document.querySelector('header.top')),
      h1: box(document.querySelector('h1')),
      options: [...document.querySelectorAll('.options label')].map(box),
    };
  });
}

function onScreen(m, b) {
  return b.top >= 0 && b.bottom <= m.height && b.left >= 0 && b.right <= m.width;
}

for (const lang of ['sv', 'ar']) {
  test(`at 390 x 844 the header is compact and three options of the first question are on the screen (${lang})`, T_MS, async (t) => {
    const page = await atFirstQuestion(t, lang);
    const m = await screen(page);
    assert.ok(m.header.height <= m.height * 0.2, `the header takes ${m.header.height} of ${m.height} px`);
    const seen = m.options.filter((b) => onScreen(m, b)).length;
    assert.ok(seen >= 3, `${seen} options fully on the screen: ${JSON.stringify(m.options.slice(0, 4))}`);
    assert.equal(await page.locator('.progress .steps li').count(), 10, 'one step per area');
    const where = await page.locator('.progress .where').innerText();
    assert.ok(where.includes(lang === 'sv' ? 'Område 1 av 10: Hemma' : 'الموضوع ١ من ١٠: في البيت'), where);
    await assertNoOverflow(page, `first question (${lang})`);
  });
}

// The mark of the first option of the page: its shape, and on which side
// of the label it sits.
function mark(page) {
  return page.evaluate(() => {
    const label = document.querySelector('.options label');
    const before = getComputedStyle(label, '::before');
    const s = getComputedStyle(label);
    return {
      radius: before.borderTopLeftRadius,
      width: parseFloat(before.width),
      content: before.content,
      start: parseFloat(s.paddingInlineStart),
      left: parseFloat(s.paddingLeft),
      right: parseFloat(s.paddingRight),
    };
  });
}

for (const lang of ['sv', 'fa']) {
  test(`several choices look unlike one choice before anything is chosen (${lang})`, T_MS, async (t) => {
    const T = texts(lang);
    const page = await atFirstQuestion(t, lang);
    assert.equal(await page.locator('.options input[type=checkbox]').count() > 0, true, 'home_live_with: checkboxes');
    const multi = await mark(page);
    const hint = page.locator('#choose-hint');
    assert.equal(await hint.innerText(), T.ui['answer.multi_hint']);
    assert.match(await page.locator('fieldset').getAttribute('aria-describedby'), /\bchoose-hint\b/,
      'the hint is read with the question');
    await open(page, s.base, '/q?id=home_homes');
    assert.equal(await page.locator('.options input[type=radio]').count(), 2, 'home_homes: radio buttons');
    const single = await mark(page);
    assert.equal(await page.locator('#choose-hint').count(), 0, 'one choice: no hint to choose several');
    assert.ok(single.width > 0 && multi.width > 0, 'both have a mark');
    assert.equal(single.radius, '50%', `one choice: a round mark (${JSON.stringify(single)})`);
    assert.ok(parseFloat(multi.radius) < multi.width / 4, `several: a square mark (${JSON.stringify(multi)})`);
    // The mark sits at the start of the line: on the right in Persian.
    const rtl = T.dir === 'rtl';
    assert.ok(rtl ? multi.right > multi.left : multi.left > multi.right,
      `the mark's room is at the ${rtl ? 'right' : 'left'} (${JSON.stringify(multi)})`);
    // Chosen, a square gets its tick.
    await open(page, s.base, '/q?id=home_live_with');
    await page.locator('.options label').first().click();
    const tick = await page.evaluate(() => getComputedStyle(
      document.querySelector('.options input:checked + label'), '::after').content);
    assert.notEqual(tick, 'none', 'a chosen checkbox shows its tick');
  });
}

for (const big of [false, true]) {
  test(`the start button keeps clear of the code field${big ? ' with large text' : ''}`, T_MS, async (t) => {
    const page = await phone(t, 'sv', { big });
    await open(page, s.base, '/');
    const gap = await page.evaluate(() => {
      const field = document.querySelector('#code').getBoundingClientRect();
      const button = document.querySelector('form.login button[type=submit]').getBoundingClientRect();
      return button.top - field.bottom;
    });
    assert.ok(gap >= 8, `${gap} px between the code field and the button`);
  });
}

test('with large text the header folds into a menu: the question and its first option are on the screen', T_MS, async (t) => {
  const page = await atFirstQuestion(t, 'sv', { big: true });
  const m = await screen(page);
  assert.ok(m.root >= 35, `the text is large (${m.root} px)`);
  assert.ok(m.header.height <= m.height * 0.15, `the header takes ${m.header.height} of ${m.height} px`);
  assert.ok(onScreen(m, m.h1), `the question is on the screen: ${JSON.stringify(m.h1)}`);
  assert.ok(onScreen(m, m.options[0]), `its first option is on the screen: ${JSON.stringify(m.options[0])}`);
  await assertNoOverflow(page, 'first question with large text');
  // The menu holds help, my answers and the language, one tap away.
  const T = texts('sv');
  const overview = page.getByRole('link', { name: T.ui['nav.overview'], exact: true });
  assert.equal(await overview.isVisible(), false, 'folded');
  await page.locator('details.more > summary').click();
  await overview.waitFor({ state: 'visible' });
  assert.ok(await page.locator('#lang').isVisible(), 'the language menu is in it');
  await go(page, overview);
  assert.equal(where(page), '/overview');
});

test('with large text and no script the menu stays open and works', T_MS, async (t) => {
  const page = await atFirstQuestion(t, 'ar', { big: true, js: false });
  const T = texts('ar');
  assert.equal(await page.locator('details.more').getAttribute('open'), '');
  const help = page.getByRole('link', { name: T.ui['nav.help'], exact: true });
  assert.ok(await help.isVisible(), 'the help link shows');
  await assertNoOverflow(page, 'first question with large text, no script');
  await go(page, help);
  assert.equal(where(page), '/help');
});

// Logs a child in over HTTP, raises an alert, and hands the session to
// a browser context: the care page with the help contacts.
async function careIn(t, lang) {
  const c = child(s);
  assert.equal((await c.login(s.invite(1, `phone-care-${++n}`)[0])).status, 303);
  await c.page();
  assert.equal((await c.post('/language', { csrf: c.csrf, lang, next: '/q' })).status, 303);
  await c.page();
  assert.equal((await c.answer('safety_hurt_adult', 'yes')).location, '/care');
  const ctx = await context(t, browser, { viewport: PHONE });
  await ctx.addCookies([...c.jar].map(([name, value]) => ({ name, value, url: s.base })));
  const page = await ctx.newPage();
  await open(page, s.base, '/care');
  return page;
}

for (const lang of ['ar', 'fa']) {
  test(`a phone number stays on one line, left to right, at 390 px (${lang})`, T_MS, async (t) => {
    const page = await careIn(t, lang);
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    const links = await page.evaluate(() => [...document.querySelectorAll('a[href^="tel:"]')].map((a) => ({
      text: a.textContent,
      dir: a.getAttribute('dir'),
      lines: a.getClientRects().length,
      height: a.getBoundingClientRect().height,
      line: parseFloat(getComputedStyle(a).lineHeight),
    })));
    assert.deepEqual(links.map((l) => l.text), ['116 111', '1177', '112'], 'each number once, as dialled');
    for (const l of links) {
      assert.equal(l.dir, 'ltr', `${l.text} is left to right`);
      assert.equal(l.lines, 1, `${l.text} on one line (${JSON.stringify(l)})`);
      assert.ok(l.height < l.line * 1.5, `${l.text} is one line high (${JSON.stringify(l)})`);
    }
    await assertNoOverflow(page, `care (${lang})`);
  });
}
