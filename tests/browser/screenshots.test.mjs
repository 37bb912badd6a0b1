// screenshots.test.mjs: pictures of question pages at phone width
// (360×740), in Swedish and in Arabic, kept as artefacts for people to
// look at (build/artefacts/, or BERATTA_ARTEFACTS): the face scale with a
// face chosen, and the follow-up with text written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { start } from '../http/stack.mjs';
import {
  launch, context, texts, firstLogin, questionId, choose, shoot, PHONE, ARTEFACTS,
  WORRY, WORRY_AR,
} from './browser.mjs';

const T_MS = { timeout: 60000 };
let s, browser;

before(async () => {
  s = await start({ workers: 2, threads: 4 });
  browser = await launch();
}, { timeout: 60000 });

after(async () => {
  if (browser) await browser.close().catch(() => {});
  if (s) await s.stop();
}, { timeout: 30000 });

// Width and height of a PNG file, after checking its signature.
function pngSize(file) {
  const b = fs.readFileSync(file);
  assert.ok(b.length > 1000, `${file} is not empty (${b.length} bytes)`);
  assert.deepEqual([...b.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${file} is a PNG`);
  assert.equal(b.toString('latin1', 12, 16), 'IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

async function pictures(t, lang) {
  const T = texts(lang);
  const [code] = s.invite(1, `browser-shots-${lang}`);
  const ctx = await context(t, browser, { viewport: PHONE });
  const page = await ctx.newPage();
  await firstLogin(page, s.base, code, T, { language: lang !== 'sv' });
  assert.equal(await questionId(page), 'home_feel');
  // Every web font and image has arrived before the picture.
  await page.evaluate(() => document.fonts.ready);
  await page.getByRole('radio', { name: T.set['home_feel.bad'], exact: true }).check();
  const files = [await shoot(page, `question-${lang}-360.png`)];
  await choose(page, T, 'home_feel.bad');
  assert.equal(await questionId(page), 'home_worry');
  await page.getByRole('textbox').fill(lang === 'sv' ? WORRY : WORRY_AR);
  files.push(await shoot(page, `followup-${lang}-360.png`));
  for (const f of files) {
    assert.ok(f.startsWith(ARTEFACTS), f);
    const { width, height } = pngSize(f);
    assert.equal(width, PHONE.width, `${f} is phone width`);
    assert.ok(height >= PHONE.height, `${f} shows the whole page (${height} px high)`);
  }
}

test('screenshots of question pages at 360×740 in Swedish are saved as artefacts', T_MS, async (t) => {
  await pictures(t, 'sv');
});

test('screenshots of question pages at 360×740 in Arabic are saved as artefacts', T_MS, async (t) => {
  await pictures(t, 'ar');
});
