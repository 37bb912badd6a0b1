// slip.test.mjs: the invitation slip and a renewed code.  After inviting
// a child, the professional's start page shows the code once as a slip to
// print, whose QR code (read back with zbarimg from the SVG) opens the
// start page with the code in the address's fragment, never in its query.
// A lost code renewed: the old code stops working at once and the child's
// session ends; with the new code and the same secret the child is back
// at their answers; the renewal is in the audit trail.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { child, questionOf, start } from './stack.mjs';
import { account, decodeQr, staff, unit } from './staff.mjs';

let s, pro;

before(async () => {
  s = await start();
  unit(s, 'Skola A');
  pro = staff(s);
  const r = await pro.loginAs(account(s, { login: 'pro', units: ['Skola A'] }));
  assert.equal(r.location, '/staff/');
});

after(async () => {
  await s?.stop();
});


// Invites (or renews) and returns the new code the start page shows once.
async function newCode(r) {
  assert.equal(r.status, 303);
  assert.equal(r.location, '/staff/#new-code');
  const page = await pro.get('/staff/');
  const m = /<code dir="ltr" lang="en">([A-Z0-9-]{14})<\/code>/.exec(page.text);
  assert.ok(m, 'the new code is on the start page');
  return { code: m[1], page: page.text };
}

let code, invite;

test('the slip: the address, the code, and a QR code with the code in the fragment', async () => {
  const { code: c, page } = await newCode(await pro.post('/staff/invite',
    { csrf: await pro.token(), unit: String(s.rows('SELECT id FROM units')[0].id), label: 'Slip' }));
  code = c;
  invite = s.rows("SELECT id FROM invitations WHERE label = 'Slip'")[0].id;
  const slip = page.slice(page.indexOf('class="slip"'));
  assert.ok(slip.includes(s.base), 'the address to go to');
  const svg = /<svg[^]*?<\/svg>/.exec(slip);
  assert.ok(svg, 'the slip has its QR code');
  const url = decodeQr(svg[0]);
  assert.equal(url, `${s.base}/#code=${code}`);
  assert.equal(new URL(url).search, '', 'nothing in the query string');
  const again = await pro.get('/staff/');
  assert.ok(!again.text.includes(code), 'shown once');
});

test('a renewed code: the old one refused at once, the secret and answers kept, audited', async () => {
  const c = child(s);
  assert.equal((await c.login(code)).location, '/q');
  const q = questionOf((await c.page()).text);
  assert.equal(q, 'home_feel');
  assert.equal((await c.answer(q, 'good')).status, 303);
  const answers = s.count('answers');

  const { code: fresh } = await newCode(await pro.post('/staff/child/renew',
    { csrf: await pro.token(), id: String(invite) }));
  assert.notEqual(fresh, code);
  assert.equal((await c.get('/q')).location, '/', "the child's session ended");

  const old = child(s);
  const r = await old.login(code);
  assert.equal(r.status, 403, 'the old code no longer opens');
  const back = child(s);
  assert.equal((await back.login(fresh)).location, '/q', 'the new code and the same secret');
  assert.equal(s.count('answers'), answers, 'the answers are kept');
  assert.notEqual(questionOf((await back.page()).text), q, 'and the child goes on where they were');
  assert.deepEqual(s.rows("SELECT actor, child FROM audit WHERE action = 'renew'"),
    [{ actor: 'pro', child: 'Slip' }]);
});
