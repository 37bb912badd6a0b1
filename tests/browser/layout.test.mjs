// layout.test.mjs: the pages reflow on small screens.  At 320 CSS pixels
// wide (WCAG 1.4.10) no page of the journey scrolls sideways, in Swedish
// and in Arabic; and at 200% zoom every question page still fits and can
// be answered, its options and buttons inside the screen: a 1280 pixel
// window at 200% (a 640 CSS pixel viewport at device scale 2), and a
// 360 pixel phone with the page zoomed to 200% (CSS zoom on the root).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from '../http/stack.mjs';
import {
  launch, context, texts, walk, assertNoOverflow, firstLogin, questionId,
  choose, write, nextButton, where, go, PHONE, WORRY, WORRY_AR,
} from './browser.mjs';

const T_MS = { timeout: 90000 };
let s, browser;

before(async () => {
  s = await start({ workers: 2, threads: 4 });
  browser = await launch();
}, { timeout: 60000 });

after(async () => {
  if (browser) await browser.close().catch(() => {});
  if (s) await s.stop();
}, { timeout: 30000 });

async function narrow(t, lang) {
  const T = texts(lang);
  const [code] = s.invite(1, `browser-320-${lang}`);
  const ctx = await context(t, browser, { viewport: { width: 320, height: 640 } });
  const page = await ctx.newPage();
  const failed = [];
  let n = 0;
  await walk(page, s.base, code, T, async (p, name) => {
    n += 1;
    try {
      await assertNoOverflow(p, name);
    } catch (e) {
      failed.push(e.message);
    }
  });
  assert.ok(n >= 16, `${n} pages checked`);
  assert.deepEqual(failed, [], failed.join('\n'));
}

// Asserts that every option, the text box and every button of the
// question form lie inside the viewport's width.
async function assertReachable(page, name) {
  const out = await page.evaluate(() => {
    // The root's box, in the same units as the others' (also under zoom).
    const root = document.documentElement.getBoundingClientRect();
    const w = Math.round(root.right);
    const bad = [];
    const els = document.querySelectorAll(
      'form.question label, form.question textarea, form.question button:not([hidden]), .quick-exit');
    for (const el of els) {
      const r = el.getBoundingClientRect();
      if (r.width === 0) continue;
      if (r.left < root.left - 1 || r.right > root.right + 1) bad.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 30)}" ${Math.round(r.left)}..${Math.round(r.right)} of ${w}`);
    }
    return { bad, n: els.length };
  });
  assert.ok(out.n >= 4, `${name}: the form's controls were found`);
  assert.deepEqual(out.bad, [], `${name}: outside the screen: ${out.bad.join(', ')}`);
}

// Each question page at 200%: a window (viewport 640 at device scale 2)
// or a phone (360 wide, the root zoomed to 2 after each page load).
async function zoomed(t, lang, how) {
  const T = texts(lang);
  const [code] = s.invite(1, `browser-zoom-${lang}-${how}`);
  const ctx = await context(t, browser, how === 'window'
    ? { viewport: { width: 640, height: 370 }, deviceScaleFactor: 2 }
    : { viewport: PHONE });
  const page = await ctx.newPage();
  if (how === 'phone') {
    page.on('load', () => page.evaluate(() => { document.documentElement.style.zoom = '2'; }).catch(() => {}));
  }
  await firstLogin(page, s.base, code, T, { language: lang !== 'sv' });
  const seen = [];
  const check = async () => {
    const id = await questionId(page);
    seen.push(id);
    if (how === 'phone') {
      await page.waitForFunction(() => document.documentElement.style.zoom === '2');
    }
    await assertNoOverflow(page, `${id} at 200% (${how})`);
    await assertReachable(page, `${id} at 200% (${how})`);
  };
  await check();
  await choose(page, T, 'home_feel.bad');
  await check();
  await write(page, T, lang === 'sv' ? WORRY : WORRY_AR);
  await check();
  await choose(page, T, 'home_adult.no');
  await check();
  // Answered with what the zoomed page offers: the last option, then Next.
  await page.getByRole('radio', { name: T.set['friends_break.rarely'], exact: true }).check();
  await nextButton(page, T).scrollIntoViewIfNeeded();
  await go(page, nextButton(page, T));
  assert.equal(where(page), '/thanks');
  await assertNoOverflow(page, 'thanks at 200%');
  assert.deepEqual(seen, ['home_feel', 'home_worry', 'home_adult', 'friends_break']);
}

test('at 320 px wide no page of the journey scrolls sideways, in Swedish', T_MS, async (t) => {
  await narrow(t, 'sv');
});

test('at 320 px wide no page of the journey scrolls sideways, in Arabic', T_MS, async (t) => {
  await narrow(t, 'ar');
});

test('at 200% zoom of a 1280 px window every question page fits and can be answered, in Swedish', T_MS, async (t) => {
  await zoomed(t, 'sv', 'window');
});

test('at 200% zoom of a 1280 px window every question page fits and can be answered, in Arabic', T_MS, async (t) => {
  await zoomed(t, 'ar', 'window');
});

test('at 200% zoom on a 360 px phone every question page fits and can be answered, in Swedish', T_MS, async (t) => {
  await zoomed(t, 'sv', 'phone');
});

test('at 200% zoom on a 360 px phone every question page fits and can be answered, in Arabic', T_MS, async (t) => {
  await zoomed(t, 'ar', 'phone');
});
