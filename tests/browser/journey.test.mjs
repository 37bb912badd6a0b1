// journey.test.mjs: a child's whole journey in a real Chromium, through
// nginx to the real daemon, at phone width — in Swedish, in Arabic (chosen
// in the language menu, and kept with the child across logins and
// devices), and in Swedish without JavaScript.  Each step asserts what a
// person sees: headings, question texts, the follow-up appearing and going,
// the earlier text back in its box, and the thank-you page's list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from '../http/stack.mjs';
import {
  launch, context, texts, h1, where, assertLang, questionId, go, open,
  chooseLanguage, enterCode, enterSecret, choose, write, nextButton,
  textOf, WORRY, WORRY_AR,
} from './browser.mjs';

const T_MS = { timeout: 90000 };
// A few headings as written, not read from the catalogues the pages use.
const SEEN = {
  sv: { start: 'Välkommen', overview: 'Mina svar', thanks: 'Tack för att du berättade' },
  ar: { start: 'أهلًا بك', overview: 'إجاباتي', thanks: 'شكرًا لأنك أخبرتنا' },
};
let s, browser, labels = 0;

before(async () => {
  s = await start({ workers: 2, threads: 4 });
  browser = await launch();
}, { timeout: 60000 });

after(async () => {
  if (browser) await browser.close().catch(() => {});
  if (s) await s.stop();
}, { timeout: 30000 });

// Asserts a question page for question id: its heading, language, and
// whether "read aloud" shows.
async function assertQuestion(page, T, id, { js }) {
  assert.equal(where(page).split('?')[0], '/q', `at ${where(page)}`);
  assert.equal(await questionId(page), id);
  await assertLang(page, T);
  // The heading: the area (for screen readers) and the question.
  const hd = await h1(page);
  assert.ok(hd.endsWith(T.set[id]), `heading "${hd}" shows the question "${T.set[id]}"`);
  assert.equal(await page.locator('button.read-aloud').isVisible(), js,
    `"read aloud" is ${js ? 'shown with' : 'hidden without'} JavaScript`);
}

// The rows of the overview, or of the thank-you page's list of what the
// child said, as [asked, said].
async function answerRows(page) {
  return page.locator('ul.answers > li').evaluateAll((lis) => lis.map((li) => [
    li.querySelector('.asked').innerText.trim(),
    li.querySelector('.said').innerText.trim(),
  ]));
}

// Opens the overview's "Change" link of question id.
async function change(page, T, id) {
  const name = `${T.ui['overview.change']}: ${T.set[id]}`;
  await go(page, page.getByRole('link', { name, exact: true }));
  assert.equal(where(page), `/q?id=${id}&from=overview`);
}

// The whole journey for a child in language T.  Arabic is chosen in the
// menu of the start page, and the second login happens on another device
// (a fresh browser context) to show the choice is kept by the server.
async function journey(t, T, { js = true } = {}) {
  const sv = texts('sv');
  const other = T.lang !== 'sv';
  labels += 1;
  const [code] = s.invite(1, `browser-journey-${T.lang}-${js ? 'js' : 'nojs'}-${labels}`);
  const ctx = await context(t, browser, { javaScriptEnabled: js });
  const page = await ctx.newPage();

  // The start page, in the phone's language (Swedish).
  await open(page, s.base, '/');
  await assertLang(page, sv);
  assert.equal(await h1(page), SEEN.sv.start);
  assert.ok(await page.getByRole('link', { name: sv.ui['nav.leave'] }).isVisible());
  if (other) {
    await chooseLanguage(page, T);
    assert.equal(where(page), '/');
    await assertLang(page, T);
    assert.equal(await h1(page), SEEN[T.lang].start);
    assert.equal(await textOf(page, 'label[for=code]'), T.ui['start.code_label']);
  }

  // The code, then the secret, chosen and typed twice.
  await enterCode(page, code.toLowerCase());
  assert.equal(where(page), '/secret');
  await assertLang(page, T);
  assert.equal(await h1(page), T.ui['secret.choose_heading']);
  assert.ok(await page.getByLabel(T.ui['secret.new_label'], { exact: true }).isVisible());
  assert.ok(await page.getByLabel(T.ui['secret.again_label'], { exact: true }).isVisible());
  await enterSecret(page);

  // home_feel: a bad face brings the follow-up.
  await assertQuestion(page, T, 'home_feel', { js });
  for (const f of ['very_good', 'good', 'ok', 'bad', 'very_bad']) {
    assert.equal(await page.getByRole('radio', { name: T.set[`home_feel.${f}`], exact: true }).count(), 1, f);
    assert.ok(await page.locator(`label[for=opt-${f}]`).isVisible(), `the face "${f}" shows`);
  }
  assert.equal(await page.locator('img.face').count(), 5, 'five faces');
  await choose(page, T, 'home_feel.bad');
  await assertQuestion(page, T, 'home_worry', { js });
  assert.ok((await textOf(page, 'form.question')).includes(T.set['home_worry.hint']));
  const box = page.getByRole('textbox', { name: T.ui['answer.text_label'] });
  assert.equal(await box.inputValue(), '');
  const said = other ? WORRY_AR : WORRY;
  await write(page, T, said);
  await assertQuestion(page, T, 'home_adult', { js });

  // Log out; the session is over.
  await go(page, page.getByRole('button', { name: T.ui.logout, exact: true }));
  assert.equal(where(page), '/');
  await assertLang(page, T);
  assert.equal(await h1(page), T.ui['start.heading']);
  await open(page, s.base, '/q');
  assert.equal(where(page), '/', 'no questions after logging out');

  // Log in again: the code and the secret.  In another language, on
  // another device: a fresh context with none of the first one's cookies.
  let p2 = page;
  if (other) {
    const ctx2 = await context(t, browser, { javaScriptEnabled: js });
    p2 = await ctx2.newPage();
    await open(p2, s.base, '/');
    await assertLang(p2, sv);	// the new device knows nothing yet
  }
  await enterCode(p2, code);
  assert.equal(where(p2), '/secret');
  assert.equal(await h1(p2), (other ? sv : T).ui['secret.enter_heading']);
  assert.equal(await p2.locator('#again').count(), 0, 'the secret is asked once');
  await enterSecret(p2);

  // Back at the first unanswered question, in the child's language.
  await assertQuestion(p2, T, 'home_adult', { js });

  // "My answers": what was said so far.
  await go(p2, p2.getByRole('link', { name: T.ui['nav.overview'], exact: true }));
  assert.equal(where(p2), '/overview');
  await assertLang(p2, T);
  assert.equal(await h1(p2), SEEN[T.lang].overview);
  assert.deepEqual(await answerRows(p2), [
    [T.set.home_feel, T.set['home_feel.bad']],
    [T.set.home_worry, said],
    [T.set.home_adult, T.ui['overview.unanswered']],
    [T.set.friends_break, T.ui['overview.unanswered']],
  ]);

  // A good face: the follow-up goes, from the overview and from the flow.
  await change(p2, T, 'home_feel');
  assert.ok(await p2.getByRole('radio', { name: T.set['home_feel.bad'], exact: true }).isChecked(),
    'the earlier answer is chosen');
  await choose(p2, T, 'home_feel.good');
  assert.equal(where(p2), '/overview');
  assert.deepEqual(await answerRows(p2), [
    [T.set.home_feel, T.set['home_feel.good']],
    [T.set.home_adult, T.ui['overview.unanswered']],
    [T.set.friends_break, T.ui['overview.unanswered']],
  ]);
  assert.ok(!(await textOf(p2, 'main')).includes(said), 'the follow-up text is not shown');
  await go(p2, p2.getByRole('link', { name: T.ui['overview.continue'], exact: true }));
  await assertQuestion(p2, T, 'home_adult', { js });
  const prev = p2.getByRole('link', { name: T.ui['question.back'] });
  assert.equal(await prev.getAttribute('href'), '/q?id=home_feel', 'back leads past no follow-up');
  const gone = await open(p2, s.base, '/q?id=home_worry');
  assert.equal(gone.status(), 404, 'the follow-up cannot be opened');

  // Bad again: the follow-up comes back with what was written.
  await open(p2, s.base, '/overview');
  await change(p2, T, 'home_feel');
  await choose(p2, T, 'home_feel.bad');
  assert.equal(where(p2), '/overview');
  assert.deepEqual(await answerRows(p2), [
    [T.set.home_feel, T.set['home_feel.bad']],
    [T.set.home_worry, said],
    [T.set.home_adult, T.ui['overview.unanswered']],
    [T.set.friends_break, T.ui['overview.unanswered']],
  ]);
  await change(p2, T, 'home_worry');
  await assertQuestion(p2, T, 'home_worry', { js });
  assert.equal(await p2.getByRole('textbox', { name: T.ui['answer.text_label'] }).inputValue(), said,
    'the earlier text is back in the box');
  await go(p2, nextButton(p2, T));
  assert.equal(where(p2), '/overview');

  // The rest, then the end.
  await go(p2, p2.getByRole('link', { name: T.ui['overview.continue'], exact: true }));
  await assertQuestion(p2, T, 'home_adult', { js });
  await choose(p2, T, 'home_adult.yes');
  await assertQuestion(p2, T, 'friends_break', { js });
  for (const o of ['always', 'sometimes', 'rarely']) {
    assert.ok(await p2.getByRole('radio', { name: T.set[`friends_break.${o}`], exact: true }).count());
  }
  await choose(p2, T, 'friends_break.sometimes');
  assert.equal(where(p2), '/thanks');
  await assertLang(p2, T);
  assert.equal(await h1(p2), SEEN[T.lang].thanks);
  assert.ok((await textOf(p2, 'main')).includes(T.ui['thanks.said']));
  assert.deepEqual(await answerRows(p2), [
    [T.set.home_feel, T.set['home_feel.bad']],
    [T.set.home_worry, said],
    [T.set.home_adult, T.set['home_adult.yes']],
    [T.set.friends_break, T.set['friends_break.sometimes']],
  ]);
}

test('Swedish journey at phone width: code, secret, follow-up, logout, login, change, thanks', T_MS, async (t) => {
  await journey(t, texts('sv'));
});

test('Arabic journey: chosen in the menu, right-to-left, kept by the server across devices', T_MS, async (t) => {
  await journey(t, texts('ar'));
});

test('Swedish journey without JavaScript: everything works, "read aloud" stays hidden', T_MS, async (t) => {
  await journey(t, texts('sv'), { js: false });
});
