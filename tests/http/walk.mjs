// walk.mjs: a child's way through a question set over HTTP, for the
// tests of the staff side: every question gets the answer the test names
// for it, else "I don't want to answer" (or, on an information page,
// "next"), until the closing page.
import { questionOf } from './stack.mjs';

// Answers through the set with c (a logged-in child client): answers maps
// question ids to an option id, a list of them or a text; pick(html, q),
// when given, answers the others (undefined: "I don't want to answer").
// Returns the ids of the questions answered, in order; stops after max
// pages.
export async function walk(c, answers = {}, { max = 400, pick } = {}) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    let page = await c.get('/q');
    if (page.status === 303 && page.location === '/care') page = await c.get('/q');
    if (page.status === 303 && page.location === '/thanks') return seen;
    if (page.status !== 200) throw new Error(`GET /q: ${page.status}`);
    const q = questionOf(page.text);
    if (q === null) throw new Error('a question page without its question');
    let r;
    const picked = q in answers ? answers[q] : pick?.(page.text, q);
    if (picked !== undefined) {
      r = await c.answer(q, picked);
    } else if (/name="special"/.test(page.text)) {
      r = await c.answer(q, undefined, { special: 'skip' });
    } else {
      r = await c.answer(q, undefined);
    }
    if (r.status !== 303) throw new Error(`answering ${q}: ${r.status}`);
    seen.push(q);
  }
  throw new Error(`no end after ${max} pages`);
}

// The options a question page offers (the values of its answer fields).
export function optionsOf(html) {
  return [...html.matchAll(/name="answer"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="answer"/g)]
    .map((m) => m[1] ?? m[2]);
}

// A calm middle answer where a page offers one ("no", "ok", "sometimes",
// ...), else none: for the questions a test or the demo does not name.
export function middle(html) {
  const options = optionsOf(html);
  for (const o of ['no', 'ok', 'sometimes', 'mostly', 'hardly_ever', 'some_days', 'okay', 'a_little']) {
    if (options.includes(o)) return o;
  }
  return undefined;
}
