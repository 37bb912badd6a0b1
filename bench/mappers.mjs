// bench/mappers.mjs: the children of an open mapping round for bench/run,
// made as a professional would on the web: the demo professional (logged
// in already: the session cookie) makes a round of one group in the unit
// and prints N slips; the codes are printed one a line.
//   node bench/mappers.mjs BASE STAFF_COOKIE N
import { Client, csrfOf } from '../tests/http/stack.mjs';

const [base, cookie, n] = process.argv.slice(2);
const pro = new Client({ base });
pro.setCookie('beratta_staff', cookie);

function check(r, status, what) {
  if (r.status !== status) throw new Error(`${what}: ${r.status}, not ${status}`);
  return r;
}

let page = check(await pro.get('/staff/mapping'), 200, 'the mapping page');
const unit = /<select id="unit"[^>]*><option value="(\d+)"/.exec(page.text)?.[1];
check(await pro.post('/staff/mapping', { csrf: csrfOf(page.text), unit, name: 'Bench open', opens: '2026-01-01',
  closes: '2099-12-31', groups: `Klass 1; ${n}` }), 303, 'a round');
page = check(await pro.get('/staff/mapping'), 200, 'the mapping page');
const round = [...page.text.matchAll(/<section[^>]*class="mapping-round"[\s\S]*?<\/section>/g)].map((m) => m[0])
  .find((x) => x.includes('Bench open')) ?? '';
const group = /name="id" type="hidden" value="(\d+)"/.exec(round)?.[1];
if (!group) throw new Error('no group to print slips for');
check(await pro.post('/staff/mapping/slips', { csrf: csrfOf(page.text), id: group, count: n }), 303, 'slips');
const sheet = check(await pro.get('/staff/slips'), 200, 'the slips');
const codes = [...sheet.text.matchAll(/class="slip-code"[^>]*>([^<]+)</g)].map((m) => m[1].replace(/\s+/g, ''));
if (codes.length !== Number(n)) throw new Error(`${codes.length} slips, not ${n}`);
process.stdout.write(codes.join('\n') + '\n');
