// a11y.test.mjs: axe-core finds no WCAG 2.1 A/AA violation on any page a
// child can see — start, secret, every question type of the demo set, the
// follow-up, errors, overview, help, care, thanks, a 404 — in Swedish and
// in Arabic.  Every page of a walk is checked before the test fails, so
// one run names every problem.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { start } from '../http/stack.mjs';
import { launch, context, texts, walk } from './browser.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const T_MS = { timeout: 120000 };
let s, browser;

before(async () => {
  s = await start({ workers: 2, threads: 4 });
  browser = await launch();
}, { timeout: 60000 });

after(async () => {
  if (browser) await browser.close().catch(() => {});
  if (s) await s.stop();
}, { timeout: 30000 });

// One line per violation: page, rule, impact, what, and where.
function describe(name, v) {
  const where = v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary
    ?.replace(/\s+/g, ' ').slice(0, 200)}`).join(' | ');
  return `${name}: ${v.id} (${v.impact}) ${v.help} — ${where}`;
}

async function axeWalk(t, lang) {
  const T = texts(lang);
  const [code] = s.invite(1, `browser-axe-${lang}`);
  const ctx = await context(t, browser);
  const page = await ctx.newPage();
  const found = [];
  const pages = [];
  await walk(page, s.base, code, T, async (p, name) => {
    const r = await new AxeBuilder({ page: p }).withTags(TAGS).analyze();
    pages.push(name);
    for (const v of r.violations) found.push(describe(name, v));
  });
  assert.ok(pages.length >= 16, `every page was checked: ${pages.join(', ')}`);
  assert.deepEqual(found, [], `axe violations:\n${found.join('\n')}`);
}

test('axe: no WCAG 2.1 A/AA violation on any page of the journey, in Swedish', T_MS, async (t) => {
  await axeWalk(t, 'sv');
});

test('axe: no WCAG 2.1 A/AA violation on any page of the journey, in Arabic', T_MS, async (t) => {
  await axeWalk(t, 'ar');
});
