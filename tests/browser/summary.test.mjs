// summary.test.mjs: the professional's pages of the children in the real
// browser, with the standard set and the demo's children (Elin in Swedish,
// Yasmin in Arabic with an alert, Sam with two rounds), made through the
// stack by tests/http/demo-children.mjs as ./dev run makes them.  The
// list, each summary and the comparison have no axe-core WCAG 2.1 A/AA
// violation and nothing wider than a 320 px screen; a summary printed to
// PDF keeps its first page as an artefact; a group's slips, invited in
// Swedish and in Arabic through the form, print to PDF six to an A4 page,
// and every QR code on them, read back with zbarimg, opens the start page
// with its code in the fragment.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { ROOT, child, csrfOf, start } from '../http/stack.mjs';
import { PASSWORD, SEED, account, staff, unit } from '../http/staff.mjs';
import { middle, walk } from '../http/walk.mjs';
import { ARTEFACTS, launch, context, go, open, assertNoOverflow } from './browser.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const NARROW = { width: 320, height: 640 };
const T_MS = { timeout: 240000 };
let s, browser, cookie, elin;

before(async () => {
  s = await start({
    prepare: (st) => {
      fs.writeFileSync(st.conf, fs.readFileSync(st.conf, 'utf8').replace('plugin = "demo"', 'plugin = "standard"'));
    },
  });
  browser = await launch();
  unit(s, 'Demoskolan');
  account(s, { login: 'kurator', units: ['Demoskolan'] });
  const out = execFileSync('node', [path.join(ROOT, 'tests', 'http', 'demo-children.mjs'), s.base, 'kurator',
    PASSWORD, SEED, '--bench'], { encoding: 'utf8', timeout: 180000 }).trim().split(' ');
  [cookie, elin] = out;
  assert.ok(cookie && elin, 'the demo children are made and the professional is logged in');
}, T_MS);

after(async () => {
  if (browser) await browser.close().catch(() => {});
  if (s) await s.stop();
}, { timeout: 30000 });

// A logged-in professional's page, with JavaScript (axe needs it).
async function professional(t, opts = {}) {
  const ctx = await context(t, browser, { viewport: NARROW, ...opts });
  await ctx.addCookies([{ name: 'beratta_staff', value: cookie, domain: '127.0.0.1', path: '/',
    httpOnly: true, sameSite: 'Strict' }]);
  return ctx.newPage();
}

function roundOf(label, round = 1) {
  return s.rows(`SELECT id FROM invitations WHERE label = '${label}' AND round = ${round}`)[0].id;
}

async function checked(page, name) {
  const r = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const found = r.violations.map((v) => `${name}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3)
    .map((n) => n.target.join(' ')).join(' | ')}`);
  try {
    await assertNoOverflow(page, name);
  } catch (e) {
    found.push(e.message);
  }
  return found;
}

test('the list, the summaries and the comparison: no axe violation, nothing wider than 320 px, in Swedish and with an Arabic child\'s words', T_MS, async (t) => {
  const page = await professional(t);
  const found = [];
  await open(page, s.base, '/staff/');
  assert.match(await page.locator('#alerts-heading').innerText(), /\S/, 'the alerts come first');
  found.push(...await checked(page, 'the list'));
  await open(page, s.base, `/staff/child?id=${elin}`);
  found.push(...await checked(page, 'Elin\'s summary'));
  await open(page, s.base, `/staff/child?id=${roundOf('Yasmin')}`);
  const words = page.locator('[lang="ar"][dir="rtl"]', { hasText: 'زوج أمي يصرخ كثيرًا' });
  assert.ok(await words.count() > 0, 'Yasmin\'s own words, marked Arabic and right to left');
  found.push(...await checked(page, 'Yasmin\'s summary'));
  await open(page, s.base, `/staff/compare?id=${roundOf('Sam', 2)}&with=${roundOf('Sam')}`);
  found.push(...await checked(page, 'Sam\'s two rounds'));
  assert.deepEqual(found, []);
});

test('a summary printed to PDF: its first page kept as an artefact', T_MS, async (t) => {
  const page = await professional(t, { viewport: { width: 1000, height: 800 } });
  await open(page, s.base, `/staff/child?id=${roundOf('Yasmin')}`);
  fs.mkdirSync(ARTEFACTS, { recursive: true });
  const all = await page.pdf({ format: 'A4', printBackground: true });
  const first = path.join(ARTEFACTS, 'summary-first-page.pdf');
  await page.pdf({ path: first, format: 'A4', printBackground: true, pageRanges: '1' });
  assert.ok(pages(all) >= 1 && pages(fs.readFileSync(first)) === 1, 'the first page of the summary');
  await page.emulateMedia({ media: 'print' });
  for (const sel of ['header.top', 'form.logout', 'form[action="/staff/alert"]']) {
    for (const el of await page.locator(sel).all()) {
      assert.equal(await el.isVisible(), false, `${sel} is not printed`);
    }
  }
});

// The number of pages of a PDF.
function pages(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
}

function decodeAll(png) {
  const r = spawnSync('zbarimg', ['--nodbus', '-q', '--raw', png], { encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0, `zbarimg reads the printed slips: ${r.stderr}`);
  return r.stdout.trim().split('\n').filter(Boolean).sort();
}

for (const [lang, dir] of [['sv', 'ltr'], ['ar', 'rtl']]) {
  test(`a group's slips in ${lang} print six to an A4 page, every QR code opening the start page with its code`, T_MS, async (t) => {
    const page = await professional(t, { javaScriptEnabled: false, viewport: { width: 1000, height: 800 } });
    await open(page, s.base, '/staff/');
    await page.locator('details.group summary').click();
    await page.locator('#labels').fill(['Alva', 'Bilal', 'Cleo', 'Dino', 'Ebba', 'Farah', 'Gus', 'Hana'].join('\n'));
    await page.locator('#child-lang').selectOption(lang);
    await go(page, page.locator('form[action="/staff/invite"] button[type=submit]'));
    assert.equal(new URL(page.url()).pathname, '/staff/slips');
    const slips = page.locator('.slip');
    assert.equal(await slips.count(), 8);
    for (const slip of await slips.all()) {
      assert.equal(await slip.getAttribute('lang'), lang);
      assert.equal(await slip.getAttribute('dir'), dir);
    }
    const codes = (await page.locator('.slip-code').allInnerTexts()).map((c) => `${s.base}/#code=${c.trim()}`).sort();
    fs.mkdirSync(ARTEFACTS, { recursive: true });
    const pdf = await page.pdf({ path: path.join(ARTEFACTS, `slips-${lang}.pdf`), format: 'A4', printBackground: true });
    assert.equal(pages(pdf), 2, 'eight slips: six on the first A4 page, two on the second');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header.top').isVisible(), false, 'only the slips are printed');
    const png = path.join(ARTEFACTS, `slips-${lang}.png`);
    await page.screenshot({ path: png, fullPage: true });
    assert.deepEqual(decodeAll(png), codes, 'each printed QR code decodes to the start page with its code in the fragment');
  });
}

test('the mapping page: a round made with the form, without JavaScript; no axe violation, nothing wider than 320 px', T_MS, async (t) => {
  const page = await professional(t, { javaScriptEnabled: false });
  await open(page, s.base, '/staff/mapping');
  await page.locator('#name').fill('Trivsel vt 2027');
  await page.locator('#opens').fill('2027-01-10');
  await page.locator('#closes').fill('2027-02-10');
  await page.locator('#groups').fill('Klass 4A; 25\nKlass 4B; 23');
  await go(page, page.locator('form[action="/staff/mapping"] button[type=submit]'));
  assert.equal(new URL(page.url()).pathname, '/staff/mapping');
  assert.equal(await page.locator('.mapping-round').count(), 1);
  const axe = await professional(t);
  await open(axe, s.base, '/staff/mapping');
  assert.deepEqual(await checked(axe, 'the mapping page'), []);
});

test('a mapping report and a comparison: bars beside the numbers, suppressed cells as dashes, risk and resources per area; no axe violation at 320 px, without JavaScript too; print without menus', T_MS, async (t) => {
  const pro = staff(s);
  pro.setCookie('beratta_staff', cookie);
  let page = await pro.get('/staff/mapping');
  const unitId = /<select id="unit" name="unit" required><option value="(\d+)"/.exec(page.text)[1];
  assert.equal((await pro.post('/staff/mapping', { csrf: csrfOf(page.text), unit: unitId, name: 'Trivsel rapport',
    opens: '2026-01-01', closes: '2099-12-31', groups: 'Klass 6A; 25' })).status, 303);
  const round = s.rows("SELECT id FROM mapping_rounds WHERE name = 'Trivsel rapport'")[0].id;
  const group = s.rows(`SELECT id FROM mapping_groups WHERE round_id = ${round}`)[0].id;
  page = await pro.get('/staff/mapping');
  assert.equal((await pro.post('/staff/mapping/slips', { csrf: csrfOf(page.text), id: group, count: '12' })).status, 303);
  const codes = [...(await pro.get('/staff/slips')).text.matchAll(/class="slip-code"[^>]*>([^<]+)</g)].map((m) => m[1]);
  for (const [i, code] of codes.entries()) {
    const c = child(s);
    await c.login(code);
    await walk(c, { home_feel: i < 3 ? 'bad' : 'good' }, { pick: middle });
  }
  page = await pro.get('/staff/mapping');
  assert.equal((await pro.post('/staff/mapping/close', { csrf: csrfOf(page.text), id: round })).status, 303);
  const found = [];
  for (const js of [true, false]) {
    const p = await professional(t, { javaScriptEnabled: js });
    await open(p, s.base, `/staff/mapping/report?id=${round}`);
    assert.ok(await p.locator('.report-bar').count() > 10, 'bars beside the counts');
    assert.ok(await p.locator('.suppressed').count() >= 2, 'the 3 who felt bad at home, and its complement, as dashes');
    assert.equal(await p.locator('.report-levels').count(), 9, 'risk and resources in each of the nine scored areas');
    if (js) {
      found.push(...await checked(p, 'the mapping report'));
      await p.emulateMedia({ media: 'print' });
      assert.equal(await p.locator('header.top').isVisible(), false, 'printed without the menus');
      await p.emulateMedia({ media: 'screen' });
    } else {
      try {
        await assertNoOverflow(p, 'the mapping report without JavaScript');
      } catch (e) {
        found.push(e.message);
      }
    }
    // "Compare with": the whole round against its class, by the form.
    await p.selectOption('#with', `${round}-${group}`);
    await go(p, p.locator('form[action="/staff/mapping/compare"] button[type=submit]'));
    assert.equal(new URL(p.url()).pathname, '/staff/mapping/compare');
    assert.ok(await p.getByText('procentenheter').count() > 0, 'differences in percentage points');
    if (js) {
      found.push(...await checked(p, 'the comparison'));
      await p.emulateMedia({ media: 'print' });
      assert.equal(await p.locator('header.top').isVisible(), false, 'the comparison printed without the menus');
    } else {
      try {
        await assertNoOverflow(p, 'the comparison without JavaScript');
      } catch (e) {
        found.push(e.message);
      }
    }
  }
  assert.deepEqual(found, []);
});
