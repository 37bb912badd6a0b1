// mapping.mjs: mapping rounds driven over HTTP by a professional, for the
// tests of reports: a round with its groups, a group's slips answered by
// children through the real stack, closing, and a report's CSV as a map.
import assert from 'node:assert/strict';

import { child, csrfOf } from './stack.mjs';
import { walk } from './walk.mjs';

// The rounds of unitId made and answered by pro (a logged-in staff client)
// on the stack s.
export function mapper(s, pro, unitId) {
  async function round(name, groups, { opens = '2026-01-01', closes = '2099-12-31' } = {}) {
    const page = await pro.get('/staff/mapping');
    const r = await pro.post('/staff/mapping', { csrf: csrfOf(page.text), unit: unitId, name, opens, closes, groups });
    assert.equal(r.status, 303);
    return String(s.rows(`SELECT id FROM mapping_rounds WHERE name = '${name}'`)[0].id);
  }

  function group(roundId, name) {
    return String(s.rows(`SELECT id FROM mapping_groups WHERE round_id = ${roundId} AND name = '${name}'`)[0].id);
  }

  // Answers with the slips of a group: one child per entry of answers
  // (walk's answers; the rest "I don't want to answer").  The children.
  async function answer(groupId, answers) {
    const page = await pro.get('/staff/mapping');
    assert.equal((await pro.post('/staff/mapping/slips', { csrf: csrfOf(page.text), id: groupId,
      count: String(answers.length) })).status, 303);
    const sheet = await pro.get('/staff/slips');
    const codes = [...sheet.text.matchAll(/class="slip-code"[^>]*>([^<]+)</g)].map((m) => m[1]);
    assert.equal(codes.length, answers.length);
    const kids = [];
    for (const [i, a] of answers.entries()) {
      const c = child(s);
      assert.equal((await c.login(codes[i])).location, '/q');
      await walk(c, a);
      kids.push(c);
    }
    return kids;
  }

  async function close(roundId) {
    const page = await pro.get('/staff/mapping');
    assert.equal((await pro.post('/staff/mapping/close', { csrf: csrfOf(page.text), id: roundId })).status, 303);
  }

  return { round, group, answer, close };
}

// n copies of answers a.
export const many = (n, a) => Array.from({ length: n }, () => ({ ...a }));

// A report's CSV as { "question/value": the rest of the line }.
export function csvOf(text) {
  return Object.fromEntries(text.trim().split('\r\n').slice(1).map((l) => {
    const [q, v, ...rest] = l.split(',');
    return [`${q}/${v}`, rest.join(',')];
  }));
}
