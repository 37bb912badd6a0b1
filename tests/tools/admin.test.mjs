// The administrator's commands over invitations: `beratta invite`, `lock`,
// `unlock` and `status`, run as built (BERATTA_BUILD, else ./build) on a
// configuration from `./dev stack-conf` in a temporary folder; no daemon
// runs.  A child's progress (a secret chosen, a round begun, finished, wrong
// tries) is written into the tenant's database with the sqlite3 shell, found
// by the invitation's label.  Each behaviour has its refusal next to it: an
// unknown code, a malformed one, a database that fails, a wrong tenant.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD = process.env.BERATTA_BUILD
  ? path.resolve(process.env.BERATTA_BUILD)
  : path.join(ROOT, 'build');
const BERATTA = path.join(BUILD, 'beratta');
const CODE = /^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/;
const UNKNOWN = 'AAAA-BBBB-CCCC';
const MIN = 60 * 1000000;

let dir;
let conf;
let db;
let labels = 0;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beratta-admin-'));
  execFileSync(path.join(ROOT, 'dev'), ['stack-conf', dir, '1', BUILD],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 15000 });
  conf = path.join(dir, 'beratta.conf.lua');
  db = path.join(dir, 'data', 'demo.db');
});

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// Runs beratta -c CONF args; { code, out, err, lines }.
function run(args, { config = true } = {}) {
  const r = spawnSync(BERATTA, config ? ['-c', conf, ...args] : args, {
    encoding: 'utf8',
    timeout: 30000,
    env: { ...process.env, BERATTA_CONFIG: '/nonexistent/beratta.conf.lua' },
  });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout, err: r.stderr, lines: r.stdout.split('\n').filter(Boolean) };
}

function sql(text, file = db) {
  return execFileSync('sqlite3', ['-bail', '-cmd', '.timeout 10000', file], {
    input: text, encoding: 'utf8', timeout: 20000, stdio: ['pipe', 'pipe', 'pipe'],
  }).trim();
}

// A new code with a label of its own; returns { code, label }.
function invite() {
  const label = `admin-${++labels}`;
  const r = run(['invite', '-l', label, 'demo']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.lines.length, 1);
  return { code: r.lines[0], label };
}

const ofLabel = (label) => `(SELECT id FROM invitations WHERE label = '${label}')`;
const chooseSecret = (label) => sql(`UPDATE invitations SET secret_hash = '$argon2id$x' WHERE label = '${label}';`);
const beginRound = (label) => sql('INSERT INTO responses (invitation_id, set_version, started_at) '
  + `VALUES (${ofLabel(label)}, 'v', 1);`);
const finish = (label) => sql(`UPDATE responses SET finished_at = 2 WHERE invitation_id = ${ofLabel(label)};`);
const failures = (label, n, until) => sql('INSERT OR REPLACE INTO login_failures '
  + `SELECT code_hash, ${n}, ${until} FROM invitations WHERE label = '${label}';`);

// The local time status prints for a lock's end (microseconds).
function localMinute(usec) {
  const d = new Date(Number(usec / 1000n));
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

// ---------------------------------------------------------------------
// invite

test('invite: prints COUNT codes, one a line, for handing out', () => {
  const r = run(['invite', '-n', '3', '-a', '10-12', '-l', 'class 5B', 'demo']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.lines.length, 3);
  for (const c of r.lines) assert.match(c, CODE);
  assert.equal(new Set(r.lines).size, 3);
  assert.equal(sql("SELECT count(*) FROM invitations WHERE label = 'class 5B' AND age_band = '10-12';"), '3');
});

test('invite: an unknown tenant is named, and nothing is made', () => {
  const r = run(['invite', 'nosuch']);
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.match(r.err, new RegExp(`^beratta invite: no tenant 'nosuch' in ${conf}$`, 'm'));
});

test('invite: an age band outside the table is a usage error listing the bands', () => {
  const r = run(['invite', '-a', '5-8', 'demo']);
  assert.equal(r.code, 2);
  assert.match(r.err, /^beratta invite: -a takes an age band: 6-9, 10-12, 13-15 or 16-18$/m);
});

test('invite: a count or a label out of bounds is a usage error', () => {
  assert.match(run(['invite', '-n', '0', 'demo']).err, /-n takes 1\.\.10000/);
  assert.equal(run(['invite', '-n', '10001', 'demo']).code, 2);
  const r = run(['invite', '-l', 'x'.repeat(201), 'demo']);
  assert.equal(r.code, 2);
  assert.match(r.err, /the label must be UTF-8 of at most 200 bytes/);
  assert.equal(run(['invite', '-l', 'ö'.repeat(100), 'demo']).code, 0, '200 bytes of UTF-8 are fine');
});

// ---------------------------------------------------------------------
// status

test('status: a new code is unused; the code is printed as handed out', () => {
  const { code } = invite();
  const typed = code.toLowerCase().replace(/-/g, ' ');
  const r = run(['status', 'demo', typed]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.lines, [`${code}  unused`]);
});

test('status: the states a child goes through, one line per code in order', () => {
  const a = invite(); const b = invite(); const c = invite(); const d = invite();
  chooseSecret(b.label);
  chooseSecret(c.label); beginRound(c.label);
  chooseSecret(d.label); beginRound(d.label); finish(d.label);
  const r = run(['status', 'demo', a.code, b.code, c.code, d.code]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.lines, [
    `${a.code}  unused`,
    `${b.code}  not started`,
    `${c.code}  answering`,
    `${d.code}  finished`,
  ]);
});

test('status: a locked round, and locked out until a time or until beratta unlock', () => {
  const a = invite(); const b = invite(); const c = invite();
  for (const x of [a, b, c]) { chooseSecret(x.label); beginRound(x.label); }
  assert.equal(run(['lock', 'demo', a.code]).code, 0);
  const until = BigInt(Date.now()) * 1000n + 15n * BigInt(MIN);
  failures(b.label, 5, until);
  failures(c.label, 20, '9223372036854775807');
  const r = run(['status', 'demo', a.code, b.code, c.code]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.lines, [
    `${a.code}  locked round`,
    `${b.code}  locked out until ${localMinute(until)} (5 wrong tries)`,
    `${c.code}  locked out until beratta unlock (20 wrong tries)`,
  ]);
  assert.equal(run(['unlock', 'demo', c.code]).code, 0);
  assert.deepEqual(run(['status', 'demo', c.code]).lines, [`${c.code}  answering`]);
});

test('status: a lock that ran out is no lock', () => {
  const a = invite();
  chooseSecret(a.label);
  failures(a.label, 5, 1);
  assert.deepEqual(run(['status', 'demo', a.code]).lines, [`${a.code}  not started`]);
});

test('status: an unknown code is "no such code", the others still answered, exit 1', () => {
  const { code } = invite();
  const r = run(['status', 'demo', UNKNOWN, code]);
  assert.equal(r.code, 1);
  assert.deepEqual(r.lines, [`${UNKNOWN}  no such code`, `${code}  unused`]);
});

test('status: a code of another tenant is no code here', () => {
  const other = path.join(dir, 'two.conf.lua');
  fs.writeFileSync(other, fs.readFileSync(conf, 'utf8').replace(/name = "demo"/, 'name = "other"')
    .replace(/hosts = \{[^}]*\}/, 'hosts = { "other.example" }'));
  const r = spawnSync(BERATTA, ['-c', other, 'invite', 'other'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const s = run(['status', 'demo', r.stdout.trim()]);
  assert.equal(s.code, 1);
  assert.match(s.out, /  no such code$/m);
});

test('status: something that is not a code is a usage error, before anything is read', () => {
  const r = run(['status', 'demo', UNKNOWN, 'K7Q2-M9XH']);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.match(r.err, /^beratta status: 'K7Q2-M9XH' is not a code \(12 letters and digits\)$/m);
  assert.equal(run(['status', 'demo']).code, 2, 'no code at all');
});

// ---------------------------------------------------------------------
// lock and unlock: an unknown code against a known one

test('lock: an unknown code is "no such code"; a known one not started yet says so', () => {
  const u = run(['lock', 'demo', UNKNOWN]);
  assert.equal(u.code, 1);
  assert.equal(u.out, '');
  assert.match(u.err, /^beratta lock: no such code in tenant demo$/m);
  const { code } = invite();
  const k = run(['lock', 'demo', code]);
  assert.equal(k.code, 1);
  assert.match(k.err, new RegExp(`^beratta lock: ${code} has not started answering$`, 'm'));
});

test('lock: a round begun is locked, and -r opens it again', () => {
  const { code, label } = invite();
  chooseSecret(label); beginRound(label);
  const r = run(['lock', 'demo', code]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, `${code}: locked\n`);
  assert.equal(sql(`SELECT locked_at IS NOT NULL FROM responses WHERE invitation_id = ${ofLabel(label)};`), '1');
  const o = run(['lock', '-r', 'demo', code]);
  assert.equal(o.code, 0, o.err);
  assert.equal(o.out, `${code}: reopened\n`);
  assert.equal(sql(`SELECT locked_at IS NULL FROM responses WHERE invitation_id = ${ofLabel(label)};`), '1');
});

test('lock: a malformed code or a wrong tenant', () => {
  const m = run(['lock', 'demo', 'nope']);
  assert.equal(m.code, 2);
  assert.match(m.err, /^beratta lock: 'nope' is not a code$/m);
  const t = run(['lock', 'nosuch', UNKNOWN]);
  assert.equal(t.code, 1);
  assert.match(t.err, /^beratta lock: no tenant 'nosuch' in /m);
  assert.equal(run(['lock', 'demo']).code, 2);
});

test('unlock: an unknown code is "no such code"; a known one forgets its wrong tries', () => {
  const u = run(['unlock', 'demo', UNKNOWN]);
  assert.equal(u.code, 1);
  assert.match(u.err, /^beratta unlock: no such code in tenant demo$/m);
  const { code, label } = invite();
  chooseSecret(label);
  failures(label, 20, '9223372036854775807');
  const k = run(['unlock', 'demo', code.toLowerCase()]);
  assert.equal(k.code, 0, k.err);
  assert.equal(k.out, `${code.toLowerCase()}: unlocked (20 failed tries forgotten)\n`);
  assert.equal(sql(`SELECT count(*) FROM login_failures WHERE code_hash = (SELECT code_hash FROM invitations WHERE label = '${label}');`), '0');
  assert.equal(sql(`SELECT secret_hash IS NOT NULL FROM invitations WHERE label = '${label}';`), '1', 'the secret is kept');
  const again = run(['unlock', 'demo', code]);
  assert.equal(again.code, 0);
  assert.match(again.out, /unlocked \(0 failed tries forgotten\)/);
});

test('unlock: a malformed code is a usage error', () => {
  const r = run(['unlock', 'demo', 'K7Q2']);
  assert.equal(r.code, 2);
  assert.match(r.err, /^beratta unlock: 'K7Q2' is not a code \(12 letters and digits\)$/m);
});

// ---------------------------------------------------------------------
// A database that fails is not an unknown code.

test('lock, unlock, status: a database that fails says so, never "no such code"', () => {
  const broken = path.join(dir, 'broken.conf.lua');
  const data = path.join(dir, 'broken-data');
  fs.mkdirSync(data);
  fs.writeFileSync(broken, fs.readFileSync(conf, 'utf8').replace(/data_dir = "[^"]*"/, `data_dir = "${data}"`));
  const r = spawnSync(BERATTA, ['-c', broken, 'invite', 'demo'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const code = r.stdout.trim();
  sql('PRAGMA foreign_keys = OFF; DROP TABLE sessions; DROP TABLE invitations;', path.join(data, 'demo.db'));
  for (const args of [['lock', 'demo', code], ['unlock', 'demo', code], ['status', 'demo', code]]) {
    const x = spawnSync(BERATTA, ['-c', broken, ...args], { encoding: 'utf8' });
    assert.equal(x.status, 1, `${args[0]}: ${x.stderr}`);
    assert.match(x.stderr, new RegExp(`^beratta ${args[0]}: the database of tenant demo failed \\(see the error above\\)$`, 'm'));
    assert.match(x.stderr, /error: .*no such table: invitations/, 'the failure logged where it happened');
    assert.doesNotMatch(x.stderr, /no such code/);
    assert.doesNotMatch(x.stdout, /no such code/);
  }
});

// ---------------------------------------------------------------------
// Usage

test('every command answers --help on stdout with exit 0, without a configuration', () => {
  for (const c of ['invite', 'lock', 'unlock', 'status', 'plugin']) {
    const r = run([c, '--help'], { config: false });
    assert.equal(r.code, 0, `${c}: ${r.err}`);
    assert.match(r.out, new RegExp(`^usage: beratta (\\[-c FILE\\] )?${c} `, 'm'));
    const h = run(['help', c], { config: false });
    assert.equal(h.code, 0);
    assert.match(h.out, new RegExp(`usage: beratta .*${c}`));
  }
  assert.match(run(['invite', '--help'], { config: false }).out, /AGE_BAND \(6-9, 10-12, 13-15, 16-18\)/);
  const all = run(['--help'], { config: false });
  assert.equal(all.code, 0);
  for (const c of ['invite', 'lock', 'unlock', 'status', 'plugin']) assert.match(all.out, new RegExp(`^  ${c} `, 'm'));
});

test('an unknown command or option is a usage error (exit 2)', () => {
  const r = run(['frobnicate'], { config: false });
  assert.equal(r.code, 2);
  assert.match(r.err, /^beratta: unknown command 'frobnicate'$/m);
  assert.equal(run(['lock', '-x', 'demo', UNKNOWN]).code, 2);
  assert.equal(run([], { config: false }).code, 2);
});

test('a configuration that is not there is an error (exit 1), not a usage error', () => {
  const r = run(['-c', path.join(dir, 'missing.conf.lua'), 'status', 'demo', UNKNOWN], { config: false });
  assert.equal(r.code, 1);
  assert.match(r.err, /missing\.conf\.lua/);
});
