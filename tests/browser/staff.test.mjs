// staff.test.mjs: the staff pages in the real browser, without JavaScript
// and 320 px wide: a professional logs in (password, then the code of the
// authenticator app), invites a child, reads the child's page, lists their
// sessions and makes new recovery codes; an administrator manages units
// and staff and filters the audit trail; a new colleague activates their
// account and enrols the second factor from the QR code, which is
// scanned back from a screenshot.  Every page, errors included, in Swedish
// and in English, has no axe-core WCAG 2.1 A/AA violation and nothing
// wider than the screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { start } from '../http/stack.mjs';
import { account, freshCode, invited, totpAt, stepNow, midStep, unit } from '../http/staff.mjs';
import { ARTEFACTS, launch, context, go, open, assertNoOverflow, shoot } from './browser.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const NARROW = { width: 320, height: 640 };
const T_MS = { timeout: 180000 };
let s, browser;

before(async () => {
  s = await start({ workers: 2, threads: 4 });
  browser = await launch();
  unit(s, 'Skola A');
}, { timeout: 60000 });

after(async () => {
  if (browser) await browser.close().catch(() => {});
  if (s) await s.stop();
}, { timeout: 30000 });

function describe(name, v) {
  const where = v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary
    ?.replace(/\s+/g, ' ').slice(0, 200)}`).join(' | ');
  return `${name}: ${v.id} (${v.impact}) ${v.help} — ${where}`;
}

// axe-core cannot run in a page without JavaScript, so each page, as the
// browser without JavaScript has it, is checked again in a page with
// JavaScript at the same address and width (axePage, set up per walk).
let axePage;

// Checks the page: axe, width, the language asked for; collects problems.
async function check(page, name, lang, found) {
  await axePage.setContent(await page.content(), { waitUntil: 'load' });
  const r = await new AxeBuilder({ page: axePage }).withTags(TAGS).analyze();
  for (const v of r.violations) found.push(describe(`${lang} ${name}`, v));
  try {
    await assertNoOverflow(page, `${lang} ${name}`);
  } catch (e) {
    found.push(e.message);
  }
  const got = await page.locator('html').getAttribute('lang');
  if (got !== lang) found.push(`${lang} ${name}: <html lang="${got}">`);
}

async function submit(page, selector) {
  await go(page, page.locator(`${selector} button[type=submit]`).first());
}

async function chooseEnglish(page) {
  await page.locator('#lang').selectOption('en');
  await go(page, page.locator('form.lang button[type=submit]'));
}

async function staffWalk(t, lang) {
  const found = [];
  const pro = account(s, { login: `pro-${lang}`, units: ['Skola A'] });
  const admin = account(s, { login: `admin-${lang}`, admin: true });
  const ctx = await context(t, browser, { javaScriptEnabled: false, viewport: NARROW });
  const page = await ctx.newPage();
  const axeCtx = await context(t, browser, { viewport: NARROW });
  axePage = await axeCtx.newPage();
  await open(axePage, s.base, '/staff/');

  await open(page, s.base, '/staff/');
  if (lang === 'en') await chooseEnglish(page);
  await check(page, 'login', lang, found);
  await page.locator('#login').fill(pro.login);
  await page.locator('#password').fill('not the password at all');
  await submit(page, 'form[action="/staff/login"]');
  assert.equal(new URL(page.url()).pathname, '/staff/login');
  await check(page, 'login refused', lang, found);
  await page.locator('#login').fill(pro.login);
  await page.locator('#password').fill(pro.password);
  await submit(page, 'form[action="/staff/login"]');
  assert.equal(new URL(page.url()).pathname, '/staff/factor');
  await check(page, 'second factor', lang, found);
  await page.locator('#code').fill('000000');
  await submit(page, 'form[action="/staff/factor"]');
  await check(page, 'second factor refused', lang, found);
  await page.locator('#code').fill(await freshCode(pro));
  await submit(page, 'form[action="/staff/factor"]');
  assert.equal(new URL(page.url()).pathname, '/staff/');
  await check(page, 'start, no children', lang, found);

  await page.locator('#label').fill(`A.B. ${lang}`);
  await submit(page, 'form[action="/staff/invite"]');
  const code = await page.locator('.big-code code').textContent();
  assert.match(code ?? '', /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/, 'the new code is shown');
  await check(page, 'start, a new code', lang, found);
  await go(page, page.getByRole('link', { name: `A.B. ${lang}` }));
  assert.equal(new URL(page.url()).pathname, '/staff/child');
  await check(page, 'a child', lang, found);
  await open(page, s.base, '/staff/sessions');
  await check(page, 'sessions', lang, found);
  await open(page, s.base, '/staff/recovery');
  await check(page, 'recovery codes', lang, found);
  await submit(page, 'form[action="/staff/recovery/new"]');
  assert.equal(await page.locator('ol li').count(), 10, 'ten new recovery codes');
  await check(page, 'new recovery codes', lang, found);
  await shoot(page, `staff-recovery-${lang}.png`);

  // The administrator, in a browser of their own.
  const actx = await context(t, browser, { javaScriptEnabled: false, viewport: NARROW });
  const apage = await actx.newPage();
  await open(apage, s.base, '/staff/');
  if (lang === 'en') await chooseEnglish(apage);
  await apage.locator('#login').fill(admin.login);
  await apage.locator('#password').fill(admin.password);
  await submit(apage, 'form[action="/staff/login"]');
  await apage.locator('#code').fill(await freshCode(admin));
  await submit(apage, 'form[action="/staff/factor"]');
  await check(apage, 'start of an administrator', lang, found);
  await open(apage, s.base, '/staff/units');
  await check(apage, 'units', lang, found);
  await apage.locator('#name').fill(`Elevhälsan ${lang}`);
  await apage.locator('#kind').selectOption('student_health');
  await submit(apage, 'form[action="/staff/units"]');
  assert.equal(await apage.getByRole('rowheader', { name: `Elevhälsan ${lang}` }).count(), 1);
  await apage.locator('#name').fill(`Elevhälsan ${lang}`);
  await submit(apage, 'form[action="/staff/units"]');
  await check(apage, 'units, a name taken', lang, found);
  await open(apage, s.base, '/staff/people');
  await check(apage, 'staff', lang, found);
  await apage.locator('#login').fill(`ny-${lang}`);
  await apage.locator('#name').fill('Ny Kollega');
  await apage.locator('form[action="/staff/people"] input[name=unit]').first().check();
  await submit(apage, 'form[action="/staff/people"]');
  const link = await apage.locator('.once code').textContent();
  assert.match(link ?? '', /\/staff\/activate\?t=/, 'the activation link is shown once');
  await check(apage, 'staff, a link', lang, found);
  // Their roles, changed in the folded form of their row (no script).
  await apage.locator('details.roles summary').last().click();
  const roles = apage.locator('form[action="/staff/people/roles"]').last();
  await roles.locator('input[name=admin]').check();
  await check(apage, 'staff, roles open', lang, found);
  await go(apage, roles.locator('button[type=submit]'));
  assert.equal(new URL(apage.url()).pathname, '/staff/people');
  await apage.locator('#login').fill('Not A Login!');
  await apage.locator('#name').fill('X');
  await submit(apage, 'form[action="/staff/people"]');
  await check(apage, 'staff, a bad login', lang, found);
  await open(apage, s.base, '/staff/audit?action=read');
  assert.ok(await apage.locator('table tbody tr').count() >= 1, 'the read of the child is in the trail');
  await check(apage, 'audit trail', lang, found);

  // The new colleague activates the account from the link.
  const nctx = await context(t, browser, { javaScriptEnabled: false, viewport: NARROW });
  const npage = await nctx.newPage();
  await npage.goto(link, { waitUntil: 'load' });
  if (lang === 'en') await chooseEnglish(npage);
  await check(npage, 'activation', lang, found);
  await npage.locator('#password').fill('password123456');
  await npage.locator('#again').fill('password123456');
  await submit(npage, 'form[action="/staff/activate"]');
  await check(npage, 'activation, a weak password', lang, found);
  await npage.locator('#password').fill('ett eget långt lösenord');
  await npage.locator('#again').fill('ett eget långt lösenord');
  await submit(npage, 'form[action="/staff/activate"]');
  assert.equal(new URL(npage.url()).pathname, '/staff/enrol');
  await check(npage, 'enrolment', lang, found);
  // The QR code as a person's phone sees it: a screenshot, decoded.
  fs.mkdirSync(ARTEFACTS, { recursive: true });
  const png = path.join(ARTEFACTS, `staff-enrol-qr-${lang}.png`);
  await npage.locator('svg.qr').screenshot({ path: png });
  const uri = execFileSync('zbarimg', ['--nodbus', '-q', '--raw', png], { encoding: 'utf8' }).trim();
  const secret = new URL(uri).searchParams.get('secret');
  const shown = (await npage.locator('code').filter({ hasText: /^[A-Z2-7 ]{39}$/ }).first().textContent()).replace(/ /g, '');
  assert.equal(secret, shown, 'the QR code holds the seed shown for typing');
  await midStep();
  await npage.locator('#code').fill(totpAt(secret, stepNow()));
  await submit(npage, 'form[action="/staff/enrol"]');
  assert.equal(new URL(npage.url()).pathname, '/staff/recovery');
  await check(npage, 'first recovery codes', lang, found);

  assert.deepEqual(found, [], `problems:\n${found.join('\n')}`);
}

test('staff pages without JavaScript at 320 px, in Swedish: axe and width', T_MS, async (t) => {
  await staffWalk(t, 'sv');
});

test('staff pages without JavaScript at 320 px, in English: axe and width', T_MS, async (t) => {
  await staffWalk(t, 'en');
});

test('a slip\'s QR address opens the start page with the code filled in, and the fragment gone', T_MS, async (t) => {
  const [code] = s.invite(1, 'slip-browser');
  const ctx = await context(t, browser, { viewport: NARROW });
  const page = await ctx.newPage();
  await page.goto(`${s.base}/#code=${code}`, { waitUntil: 'load' });
  assert.equal(await page.locator('#code').inputValue(), code);
  assert.equal(new URL(page.url()).hash, '', 'the code left the address bar');
  await go(page, page.locator('form.login button[type=submit]'));
  assert.equal(new URL(page.url()).pathname, '/secret');
});
