// The administrator's commands over the adults' side: `beratta unit`,
// `beratta staff` and `beratta audit`, run as built (BERATTA_BUILD, else
// ./build) on a configuration from `./dev stack-conf` in a temporary
// folder; no daemon runs.  A session of staff, where a command has to end
// it, is written into the tenant's database with the sqlite3 shell.  Each
// behaviour has its refusal next to it: wrong usage (exit 2), a demo
// account on a tenant that is not a demo, an audit trail changed by hand.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD = process.env.BERATTA_BUILD
  ? path.resolve(process.env.BERATTA_BUILD)
  : path.join(ROOT, 'build');
const BERATTA = path.join(BUILD, 'beratta');
const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const PASSWORD = 'ett långt lösenord för test';
const LINK = /^(http:\/\/beratta\.test\/staff\/activate\?t=)([A-Za-z0-9_-]{43})$/;

let dir;
let conf;
let db;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beratta-staff-'));
  execFileSync(path.join(ROOT, 'dev'), ['stack-conf', dir, '1', BUILD],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 15000 });
  conf = path.join(dir, 'beratta.conf.lua');
  db = path.join(dir, 'data', 'demo.db');
  // A second tenant that is not a demo (no demo = true).
  fs.appendFileSync(conf, '\ntenants[#tenants + 1] = { name = "plain", ' +
    'hosts = { "plain.invalid" }, plugin = "demo", language = "sv" }\n');
});

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// Runs beratta -c CONF args; { code, out, err, lines }.
function run(args) {
  const r = spawnSync(BERATTA, ['-c', conf, ...args], {
    encoding: 'utf8',
    timeout: 30000,
    env: { ...process.env, BERATTA_CONFIG: '/nonexistent/beratta.conf.lua' },
  });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout, err: r.stderr, lines: r.stdout.split('\n').filter(Boolean) };
}

function ok(args) {
  const r = run(args);
  assert.equal(r.code, 0, `beratta ${args.join(' ')}: ${r.err}`);
  return r;
}

function sql(text) {
  return execFileSync('sqlite3', ['-bail', '-cmd', '.timeout 10000', db], {
    input: text, encoding: 'utf8', timeout: 20000, stdio: ['pipe', 'pipe', 'pipe'],
  }).trim();
}

// A staff session of login, as a login through the pages leaves one.
function session(login) {
  const hash = crypto.randomBytes(32).toString('hex');
  const now = Date.now() * 1000;
  sql(`INSERT INTO staff_sessions (token_hash, staff_id, stage, csrf, created_at, seen_at)
    SELECT x'${hash}', id, 2, 'csrf', ${now}, ${now} FROM staff WHERE login = '${login}';`);
}

const sessions = (login) => Number(sql(`SELECT count(*) FROM staff_sessions
  WHERE staff_id = (SELECT id FROM staff WHERE login = '${login}');`));

// The line of `staff list` for login, as its tab-separated fields.
function listed(login) {
  const line = ok(['staff', 'list', 'demo']).lines.find((l) => l.startsWith(`${login}\t`));
  assert.ok(line, `${login} in staff list`);
  return line.split('\t');
}

// ---------------------------------------------------------------------
// unit

test('unit add and list: the units, one a line, name and kind tab-separated', () => {
  assert.equal(ok(['unit', 'add', 'demo', 'Skola A', 'school']).out, '');
  ok(['unit', 'add', 'demo', 'Elevhälsan Norr', 'student_health']);
  const r = ok(['unit', 'list', 'demo']);
  assert.ok(r.lines.includes('Skola A\tschool'), r.out);
  assert.ok(r.lines.includes('Elevhälsan Norr\tstudent_health'), r.out);
  assert.equal(sql("SELECT count(*) FROM audit WHERE action = 'unit_add' AND actor = 'beratta';"), '2');
});

test('unit add: a name taken already is refused (exit 1), nothing added', () => {
  const before = sql('SELECT count(*) FROM units;');
  const r = run(['unit', 'add', 'demo', 'Skola A', 'other']);
  assert.equal(r.code, 1);
  assert.match(r.err, /has a unit 'Skola A' already/);
  assert.equal(sql('SELECT count(*) FROM units;'), before);
});

test('unit: a kind not in the list, an empty or too long name, or wrong arguments exit 2', () => {
  const before = sql('SELECT count(*) FROM units;');
  for (const args of [
    ['unit', 'add', 'demo', 'Skola B', 'castle'],
    ['unit', 'add', 'demo', '', 'school'],
    ['unit', 'add', 'demo', 'x'.repeat(101), 'school'],
  ]) {
    const r = run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, /a name of 1\.\.100 bytes of text and a kind: school, student_health/);
  }
  for (const args of [['unit'], ['unit', 'add', 'demo', 'Skola B'], ['unit', 'list'],
    ['unit', 'remove', 'demo', 'Skola A'], ['unit', 'list', 'demo', 'extra']]) {
    const r = run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, /^usage: beratta unit add TENANT NAME KIND \| list TENANT$/m);
  }
  assert.equal(sql('SELECT count(*) FROM units;'), before);
});

// ---------------------------------------------------------------------
// staff

test('staff add prints a one-time link; only the keyed hash of its token is kept', () => {
  const r = ok(['staff', 'add', '-u', 'Skola A', '-b', 'http://beratta.test', 'demo', 'anna', 'Anna Andersson']);
  assert.equal(r.lines[0], 'anna: activation link (valid 72 hours, shown only now):');
  const m = LINK.exec(r.lines[1]);
  assert.ok(m, r.out);
  const token = m[2];
  const row = s1(`SELECT hex(activation_hash) AS h, activation_until AS u, password_hash IS NULL AS nopw,
    totp_sealed IS NULL AS nototp, admin FROM staff WHERE login = 'anna';`);
  assert.equal(row.h.length, 64, 'a 32-byte hash');
  const raw = Buffer.from(token, 'base64url');
  assert.equal(raw.length, 32);
  assert.notEqual(row.h, raw.toString('hex').toUpperCase(), 'not the token itself');
  assert.ok(row.u > Date.now() * 1000 + 71 * 3600e6 && row.u < Date.now() * 1000 + 73 * 3600e6, 'valid 72 hours');
  assert.deepEqual([row.nopw, row.nototp, row.admin], [1, 1, 0]);
  // Nowhere in the database: neither the token nor its bytes.
  const dump = sql('.dump');
  assert.ok(!dump.includes(token), 'the token is not stored');
  assert.ok(!dump.toUpperCase().includes(raw.toString('hex').toUpperCase()), 'nor its bytes');
  assert.ok(!fs.readFileSync(db).includes(token), 'nor in the file');
  assert.equal(sql(`SELECT u.name FROM staff_units su JOIN units u ON u.id = su.unit_id
    JOIN staff s ON s.id = su.staff_id WHERE s.login = 'anna';`), 'Skola A');
  assert.equal(sql("SELECT count(*) FROM audit WHERE action = 'staff_add' AND detail = 'anna';"), '1');
});

test('staff add without -b: the link is at https:// and the tenant\'s first host', () => {
  const r = ok(['staff', 'add', 'demo', 'utan-bas', 'Utan Bas']);
  assert.match(r.lines[1], /^https:\/\/127\.0\.0\.1\/staff\/activate\?t=[A-Za-z0-9_-]{43}$/);
});

test('staff add: a login taken, an unknown unit, a bad login or name are refused; nothing added', () => {
  const before = sql('SELECT count(*) FROM staff;');
  let r = run(['staff', 'add', 'demo', 'anna', 'Anna Igen']);
  assert.equal(r.code, 1);
  assert.match(r.err, /has an account 'anna' already/);
  assert.equal(r.out, '', 'no link');
  r = run(['staff', 'add', '-u', 'Ingen Sådan', 'demo', 'bertil', 'Bertil']);
  assert.equal(r.code, 1);
  assert.match(r.err, /no unit 'Ingen Sådan'/);
  for (const login of ['A', 'Anna', '-anna', 'an na', 'x'.repeat(65), 'åsa']) {
    r = run(['staff', 'add', 'demo', login, 'Namn']);
    assert.equal(r.code, 2, login);
    assert.match(r.err, /a login of 2\.\.64 of a-z, 0-9/);
  }
  r = run(['staff', 'add', 'demo', 'cecilia', 'x'.repeat(101)]);
  assert.equal(r.code, 2);
  r = run(['staff', 'add', 'demo', 'cecilia', '   ']);
  assert.equal(r.code, 2, 'a name of only spaces');
  assert.equal(sql('SELECT count(*) FROM staff;'), before);
});

test('staff list: each account with its roles, units and state', () => {
  ok(['staff', 'demo', '-a', '-u', 'Skola A', '-u', 'Elevhälsan Norr', 'demo', 'chef', 'Chefen', PASSWORD, SEED]);
  ok(['staff', 'add', 'demo', 'halvvags', 'Halvvägs']);
  // Activated (a password) but the second factor not yet set up.
  sql("UPDATE staff SET password_hash = '$argon2id$x', activation_hash = NULL WHERE login = 'halvvags';");
  ok(['staff', 'add', 'demo', 'borta', 'Borta']);
  ok(['staff', 'disable', 'demo', 'borta']);
  assert.deepEqual(listed('anna'), ['anna', 'Anna Andersson', '-', 'Skola A', 'waiting for activation']);
  assert.deepEqual(listed('halvvags'), ['halvvags', 'Halvvägs', '-', '-', 'second factor not set up']);
  const chef = listed('chef');
  assert.deepEqual([chef[0], chef[1], chef[2], chef[4]], ['chef', 'Chefen', 'administrator', 'active']);
  assert.deepEqual(chef[3].split(', ').sort(), ['Elevhälsan Norr', 'Skola A']);
  assert.equal(listed('borta')[4], 'disabled');
  // Sorted by login.
  const logins = ok(['staff', 'list', 'demo']).lines.map((l) => l.split('\t')[0]);
  assert.deepEqual(logins, [...logins].sort());
});

test('staff demo: an account with the given password and seed, enrolled, with ten recovery codes', () => {
  const r = ok(['staff', 'demo', '-u', 'Skola A', 'demo', 'demo-anna', 'Demo Anna', PASSWORD, SEED]);
  const m = /^demo-anna: recovery codes:((?: [A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}){10})$/.exec(r.out.trim());
  assert.ok(m, r.out);
  assert.equal(new Set(m[1].trim().split(' ')).size, 10);
  const row = s1(`SELECT password_hash AS pw, totp_sealed IS NOT NULL AS totp, activation_hash IS NULL AS used
    FROM staff WHERE login = 'demo-anna';`);
  assert.match(row.pw, /^\$argon2id\$/);
  assert.deepEqual([row.totp, row.used], [1, 1]);
  assert.ok(!sql('.dump').includes(SEED), 'the seed is stored sealed');
  assert.equal(sql(`SELECT count(*) FROM recovery_codes WHERE used_at IS NULL AND staff_id =
    (SELECT id FROM staff WHERE login = 'demo-anna');`), '10');
  for (const code of m[1].trim().split(' ')) assert.ok(!sql('.dump').includes(code), 'codes only hashed');
});

test('staff demo: refused (exit 1) on a tenant without demo = true; a bad seed is a usage error', () => {
  ok(['unit', 'add', 'plain', 'Skola P', 'school']);
  const plain = path.join(dir, 'data', 'plain.db');
  const count = () => execFileSync('sqlite3', [plain, 'SELECT count(*) FROM staff;'], { encoding: 'utf8' }).trim();
  const r = run(['staff', 'demo', 'plain', 'demo-p', 'Demo P', PASSWORD, SEED]);
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.match(r.err, /^beratta staff demo: tenant plain is not a demo tenant \(demo = true in its configuration\)$/m);
  assert.equal(count(), '0', 'no account made');
  const bad = run(['staff', 'demo', 'demo', 'demo-q', 'Demo Q', PASSWORD, 'not base32!']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /SEED must be base32 of 20 bytes/);
});

test('staff reset: a new link, the password, second factor, recovery codes and sessions gone', () => {
  ok(['staff', 'demo', '-u', 'Skola A', 'demo', 'reset-me', 'Reset Me', PASSWORD, SEED]);
  session('reset-me');
  session('reset-me');
  session('chef');
  assert.equal(sessions('reset-me'), 2);
  const r = ok(['staff', 'reset', '-b', 'http://beratta.test', 'demo', 'reset-me']);
  assert.equal(r.lines[0], 'reset-me: activation link (valid 72 hours, shown only now):');
  assert.match(r.lines[1], LINK);
  assert.equal(sessions('reset-me'), 0, 'its sessions ended');
  assert.equal(sessions('chef'), 1, 'nobody else\'s');
  assert.deepEqual(s1(`SELECT password_hash IS NULL AS a, totp_sealed IS NULL AS b, activation_hash IS NOT NULL AS c
    FROM staff WHERE login = 'reset-me';`), { a: 1, b: 1, c: 1 });
  assert.equal(sql(`SELECT count(*) FROM recovery_codes WHERE staff_id = (SELECT id FROM staff WHERE login = 'reset-me');`), '0');
  assert.equal(listed('reset-me')[4], 'waiting for activation');
  // A second reset: another link; the first no longer the one kept.
  const h1 = sql("SELECT hex(activation_hash) FROM staff WHERE login = 'reset-me';");
  const r2 = ok(['staff', 'reset', 'demo', 'reset-me']);
  assert.notEqual(r2.lines[1], r.lines[1]);
  assert.notEqual(sql("SELECT hex(activation_hash) FROM staff WHERE login = 'reset-me';"), h1);
  assert.equal(sql("SELECT count(*) FROM audit WHERE action = 'staff_reset' AND detail = 'reset-me';"), '2');
});

test('staff disable: the account is disabled and its sessions end; a waiting one\'s link stops working', () => {
  ok(['staff', 'demo', 'demo', 'disable-me', 'Disable Me', PASSWORD, SEED]);
  session('disable-me');
  const r = ok(['staff', 'disable', 'demo', 'disable-me']);
  assert.equal(r.out, 'disable-me: disabled; its sessions have ended\n');
  assert.equal(sessions('disable-me'), 0);
  assert.equal(listed('disable-me')[4], 'disabled');
  assert.equal(sql("SELECT disabled_at IS NOT NULL FROM staff WHERE login = 'disable-me';"), '1');
  assert.equal(sql("SELECT count(*) FROM audit WHERE action = 'staff_disable' AND detail = 'disable-me';"), '1');
  // An account disabled while it waited for activation: its link is gone.
  assert.equal(sql("SELECT activation_hash IS NULL AND disabled_at IS NOT NULL FROM staff WHERE login = 'borta';"), '1');
  // Disabling twice changes nothing more and says so the same way.
  const again = run(['staff', 'disable', 'demo', 'disable-me']);
  assert.equal(again.code, 0, again.err);
  assert.equal(sql("SELECT count(*) FROM audit WHERE action = 'staff_disable' AND detail = 'disable-me';"), '1',
    'no second audit row');
});

test('staff reset and disable: an unknown login is named (exit 1)', () => {
  for (const sub of ['reset', 'disable']) {
    const r = run(['staff', sub, 'demo', 'ingen']);
    assert.equal(r.code, 1, sub);
    assert.match(r.err, /^beratta staff: tenant demo has no account 'ingen'$/m);
    assert.equal(r.out, '');
  }
});

test('staff: wrong arguments exit 2 with the usage', () => {
  for (const args of [
    ['staff'],
    ['staff', 'frobnicate', 'demo'],
    ['staff', 'add', 'demo', 'only-login'],
    ['staff', 'add', 'demo', 'a', 'b', 'c'],
    ['staff', 'add', '-x', 'demo', 'xx', 'Xx'],
    ['staff', 'list'],
    ['staff', 'reset', 'demo'],
    ['staff', 'reset', '-a', 'demo', 'anna'],
    ['staff', 'disable', '-u', 'Skola A', 'demo', 'anna'],
    ['staff', 'demo', 'demo', 'xx', 'Xx', PASSWORD],
  ]) {
    const r = run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, /^usage: beratta staff add \[-a\] \[-u UNIT\]\.\.\. \[-b URL\] TENANT LOGIN NAME \|$/m,
      `${args.join(' ')}: ${r.err}`);
    assert.equal(r.out, '');
  }
  assert.equal(listed('anna')[4], 'waiting for activation', 'nothing changed');
});

test('staff, unit, audit --help: the usage on stdout, exit 0', () => {
  for (const cmd of ['staff', 'unit', 'audit']) {
    const r = run([cmd, '--help']);
    assert.equal(r.code, 0, cmd);
    assert.match(r.out, new RegExp(`^usage: beratta \\[-c FILE\\] ${cmd} `));
  }
});

// ---------------------------------------------------------------------
// audit

function verify() {
  return run(['audit', 'verify', 'demo']);
}

// Runs change (SQL) on the trail with its triggers dropped, checks what
// verify says, and puts the database back as it was.
function tampered(change) {
  const copy = path.join(dir, 'before-tamper.db');
  sql(`.backup '${copy}'`);
  try {
    sql(`DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; ${change}`);
    return verify();
  } finally {
    sql(`.restore '${copy}'`);
    fs.rmSync(copy, { force: true });
  }
}

test('audit verify: the chain of every row so far holds (exit 0)', () => {
  const n = sql('SELECT count(*) FROM audit;');
  assert.ok(Number(n) >= 8, `${n} rows`);
  const r = verify();
  assert.equal(r.code, 0, r.out + r.err);
  assert.equal(r.out, `audit trail of demo: ${n} rows, the chain holds\n`);
});

test('audit: the trail refuses UPDATE and DELETE while its triggers are there', () => {
  assert.throws(() => sql("UPDATE audit SET actor = 'mallory' WHERE id = 1;"), /append-only/);
  assert.throws(() => sql('DELETE FROM audit WHERE id = 1;'), /append-only/);
  assert.equal(verify().code, 0);
});

test('audit verify: a row whose actor was changed by hand is named (exit 1)', () => {
  const r = tampered("UPDATE audit SET actor = 'mallory' WHERE id = 3;");
  assert.equal(r.code, 1, r.out);
  assert.equal(r.out, 'audit trail of demo: row 3: its content was changed (the 2 rows before it hold)\n');
  assert.equal(verify().code, 0, 'put back');
});

test('audit verify: a row deleted by hand is named by the row after the gap (exit 1)', () => {
  const r = tampered('DELETE FROM audit WHERE id = 4;');
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /^audit trail of demo: row 5: a row before it was removed \(the 3 rows before it hold\)$/m);
});

test('audit verify: two rows whose ids were swapped are found at the first of them (exit 1)', () => {
  const r = tampered('UPDATE audit SET id = -2 WHERE id = 2; UPDATE audit SET id = 2 WHERE id = 3; ' +
    'UPDATE audit SET id = 3 WHERE id = -2;');
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /^audit trail of demo: row 2: /m);
  assert.match(r.out, /\(the 1 rows before it hold\)$/m);
});

test('audit verify: a row\'s hash recomputed without the key does not pass', () => {
  // Changing the content and putting any hash that is not keyed fails.
  const r = tampered("UPDATE audit SET detail = 'x', hash = randomblob(32) WHERE id = 5;");
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /row 5: its content was changed/);
});

test('audit list: tab-separated rows, newest first; -a, -t, -c and -n filter', () => {
  const all = ok(['audit', 'list', 'demo']).lines.map((l) => l.split('\t'));
  assert.equal(all.length, Number(sql('SELECT count(*) FROM audit;')));
  for (const f of all) {
    assert.equal(f.length, 7, f.join('|'));
    assert.match(f[1], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  }
  const ids = all.map((f) => Number(f[0]));
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
  assert.equal(ids[0], Number(sql('SELECT max(id) FROM audit;')));
  // A row as stored: id, time, actor, action, child, detail, request.
  const row = s1(`SELECT id, actor, action, detail FROM audit WHERE action = 'staff_disable' AND detail = 'disable-me';`);
  const shown = all.find((f) => Number(f[0]) === row.id);
  assert.deepEqual([shown[2], shown[3], shown[4], shown[5], shown[6]],
    ['beratta', 'staff_disable', '-', 'disable-me', 'command line']);
  // -t: one action.
  const resets = ok(['audit', 'list', '-t', 'staff_reset', 'demo']).lines.map((l) => l.split('\t'));
  assert.equal(resets.length, 2);
  assert.ok(resets.every((f) => f[3] === 'staff_reset'));
  // -a: one actor (an enrolment of a demo account is in its own name).
  const own = ok(['audit', 'list', '-a', 'demo-anna', 'demo']).lines.map((l) => l.split('\t'));
  assert.deepEqual(own.map((f) => f[3]), ['enrol']);
  assert.equal(ok(['audit', 'list', '-a', 'nobody', 'demo']).out, '');
  // -a and -t together.
  assert.equal(ok(['audit', 'list', '-a', 'beratta', '-t', 'unit_add', 'demo']).lines.length,
    Number(sql("SELECT count(*) FROM audit WHERE actor = 'beratta' AND action = 'unit_add';")));
  // -c: a child's label.
  ok(['invite', '-u', 'Skola A', '-l', 'barn-7', 'demo']);
  const child = ok(['audit', 'list', '-c', 'barn-7', 'demo']).lines.map((l) => l.split('\t'));
  assert.deepEqual(child.map((f) => [f[3], f[4]]), [['invite', 'barn-7']]);
  // -n: at most N rows, the newest.
  const max = Number(sql('SELECT max(id) FROM audit;'));
  const two = ok(['audit', 'list', '-n', '2', 'demo']).lines.map((l) => Number(l.split('\t')[0]));
  assert.deepEqual(two, [max, max - 1]);
});

test('audit: wrong arguments exit 2 with the usage', () => {
  for (const args of [['audit'], ['audit', 'check', 'demo'], ['audit', 'verify'],
    ['audit', 'verify', 'demo', 'extra'], ['audit', 'list'], ['audit', 'list', '-n', '0', 'demo'],
    ['audit', 'list', '-n', 'x', 'demo'], ['audit', 'list', '-z', 'demo'], ['audit', 'list', 'demo', 'extra']]) {
    const r = run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, /^usage: beratta audit verify TENANT \| list \[-a ACTOR\] \[-c CHILD\] \[-t ACTION\] \[-n N\] TENANT$/m,
      `${args.join(' ')}: ${r.err}`);
  }
});

test('audit verify and list: an unknown tenant is an error (exit 1)', () => {
  for (const sub of ['verify', 'list']) {
    const r = run(['audit', sub, 'nosuch']);
    assert.equal(r.code, 1, sub);
    assert.match(r.err, /no tenant 'nosuch'/);
  }
});

// One row of a query as an object.
function s1(query) {
  const out = execFileSync('sqlite3', ['-json', '-cmd', '.timeout 10000', db], {
    input: query, encoding: 'utf8', timeout: 20000,
  }).trim();
  const rows = out === '' ? [] : JSON.parse(out);
  assert.equal(rows.length, 1, `${query}: ${out}`);
  return rows[0];
}
