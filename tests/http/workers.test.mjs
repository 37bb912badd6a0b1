// workers.test.mjs: the master and its workers under load and signals,
// through nginx: a worker killed mid-write is replaced and loses no
// confirmed answer; SIGHUP reloads without a failed request; a broken
// plugin on reload leaves the running set serving; SIGTERM finishes the
// requests in flight and exits cleanly.
//
// The tests share one stack and run in order; the SIGTERM test stops the
// daemon and so comes last.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { start, child, waitFor, isAlive, exitWithin, ROOT } from './stack.mjs';

const WORKERS = 2;
const THREADS = 4;
const T = { timeout: 120000 };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let s;
let labels = 0;

before(async () => {
  s = await start({
    workers: WORKERS,
    threads: THREADS,
    // A copy of the plugins that the broken-plugin test may edit.
    prepare(st) {
      const dir = path.join(st.dir, 'plugins');
      fs.cpSync(path.join(ROOT, 'plugins'), dir, { recursive: true });
      const conf = fs.readFileSync(st.conf, 'utf8');
      const edited = conf.replace(/^plugin_dir = .*$/m, `plugin_dir = "${dir}"`);
      assert.notEqual(edited, conf, 'plugin_dir is set in the configuration');
      fs.writeFileSync(st.conf, edited);
    },
  });
});

after(async () => {
  if (s) await s.stop();
});

// Answers each child keeps giving: one question after another, each time
// the next value, so two attempts in a row at a question never repeat.
const PLAN = [
  ['home_feel', ['very_good', 'good', 'ok', 'bad', 'very_bad']],
  ['home_adult', ['yes', 'no', 'dont_know']],
  ['friends_break', ['always', 'sometimes', 'rarely']],
];

function newChildren(n, name) {
  const kids = [];
  for (let i = 0; i < n; i++) {
    labels += 1;
    const label = `workers-${name}-${labels}`;
    const [code] = s.invite(1, label);
    kids.push({ label, code });
  }
  return kids;
}

// Runs the children in parallel for ms: each logs in (again every
// `relogin` answers) and posts answers.  Returns what happened: the
// answers confirmed by a 303 (per child, per question, in order), the
// statuses seen, failed (502/504 or a dropped connection), hung (no answer
// within the client's time limit) and unexpected responses.
async function load(kids, ms, { relogin = 8 } = {}) {
  const deadline = Date.now() + ms;
  const res = {
    requests: 0, confirmed: 0, failed: 0, hung: 0,
    statuses: {}, unexpected: [], errors: [], answers: new Map(),
  };
  async function call(what, fn, expected) {
    res.requests += 1;
    try {
      const r = await fn();
      res.statuses[r.status] = (res.statuses[r.status] || 0) + 1;
      if (r.status === 502 || r.status === 504) {
        res.failed += 1;
      } else if (!expected.includes(r.status)) {
        res.unexpected.push(`${what}: ${r.status} ${r.location || ''} ${r.text.slice(0, 200)}`);
      }
      return r;
    } catch (e) {
      if (e.name === 'TimeoutError') res.hung += 1;
      else res.failed += 1;
      res.errors.push(`${what}: ${e.name}: ${e.message}${e.cause ? ` (${e.cause.code || e.cause.message})` : ''}`);
      return null;
    }
  }
  async function run({ label, code }) {
    const c = child(s, { timeoutMs: 20000 });
    const mine = new Map(PLAN.map(([q]) => [q, []]));
    res.answers.set(label, mine);
    let k = 0;
    let since = Infinity;
    while (Date.now() < deadline) {
      if (since >= relogin) {
        c.jar.clear();
        c.csrf = null;
        const l = await call('login', () => c.login(code), [303]);
        if (!l || l.status !== 303) continue;
        // The question page, or the thanks page once all is answered: both
        // carry the session's CSRF token.
        const q = await call('GET /q', () => c.page(), [200]);
        if (!q || q.status !== 200) continue;
        since = 0;
      }
      const [qid, values] = PLAN[k % PLAN.length];
      const value = values[Math.floor(k / PLAN.length) % values.length];
      k += 1;
      const r = await call(`answer ${qid}`, () => c.answer(qid, value), [303]);
      if (r && r.status === 303 && r.location === '/q') {
        mine.get(qid).push(value);
        res.confirmed += 1;
        since += 1;
      } else if (r && r.status === 303) {
        since = Infinity;	// the session is gone: log in again
      }
    }
  }
  await Promise.all(kids.map(run));
  return res;
}

// Checks that every confirmed answer is in the database, in the order it
// was given, for each child and question (answers whose request failed may
// be there too: a worker can die after its commit).
function assertStored(res) {
  for (const [label, perQ] of res.answers) {
    const rows = s.rows(`SELECT a.question, a.value FROM answers a
      JOIN responses r ON r.id = a.response_id JOIN invitations i ON i.id = r.invitation_id
      WHERE i.label = '${label}' ORDER BY a.id;`);
    for (const [q, values] of perQ) {
      const confirmed = values.filter((v, i) => i === 0 || v !== values[i - 1]);
      const inDb = rows.filter((r) => r.question === q).map((r) => r.value.replace(/^o:/, ''));
      let j = 0;
      for (const v of confirmed) {
        while (j < inDb.length && inDb[j] !== v) j += 1;
        assert.ok(j < inDb.length,
          `${label} ${q}: confirmed ${JSON.stringify(confirmed)} but stored ${JSON.stringify(inDb)}`);
        j += 1;
      }
    }
  }
}

function report(t, what, res, extra = '') {
  t.diagnostic(`${what}: ${res.requests} requests, ${res.confirmed} answers confirmed, ` +
    `${res.failed} failed, ${res.hung} hung, statuses ${JSON.stringify(res.statuses)}${extra}`);
  for (const e of res.errors.slice(0, 5)) t.diagnostic(`  ${e}`);
}

function cmdlineHas(pid, text) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
  } catch {
    return false;
  }
}

// Processes (by /proc) whose command line names this stack's configuration.
function processesOfStack() {
  const found = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    if (cmdlineHas(e, s.conf) && isAlive(Number(e))) found.push(Number(e));
  }
  return found;
}

function countOf(re) {
  return (s.log().match(re) || []).length;
}

async function workersBack(excluded) {
  return waitFor(() => {
    const p = s.workerPids();
    return p.length === WORKERS && p.every((x) => !excluded.includes(x)) ? p : null;
  }, { timeoutMs: 15000, intervalMs: 50, what: `${WORKERS} new workers` });
}

test('a worker killed with SIGKILL while answers are posted is replaced, and no confirmed answer is lost', T, async (t) => {
  const kids = newChildren(12, 'kill');
  const killed = [];
  const RUN_MS = 4000;
  const until = Date.now() + RUN_MS - 300;
  const killer = (async () => {
    while (Date.now() < until) {
      await sleep(500);
      const pid = s.workerPids().find((p) => !killed.includes(p));
      if (pid && cmdlineHas(pid, s.conf)) {
        process.kill(pid, 'SIGKILL');
        killed.push(pid);
      }
    }
  })();
  const res = await load(kids, RUN_MS);
  await killer;
  report(t, 'SIGKILL', res, `, ${killed.length} workers killed`);
  assert.ok(killed.length >= 4, `killed ${killed.length} workers`);
  assert.equal(res.hung, 0, `requests without an answer: ${res.errors.join('; ')}`);
  assert.deepEqual(res.unexpected.slice(0, 10), []);
  assert.ok(res.confirmed >= 30, `only ${res.confirmed} answers confirmed`);
  // A killed worker takes at most its threads' requests with it: a request
  // waiting on a connection nginx kept to it is sent again on another.
  assert.ok(res.failed <= killed.length * THREADS, `${res.failed} failed requests for ${killed.length} kills`);
  // The master lives on and the workers are back to the configured number.
  assert.equal(s.daemon.exitCode, null);
  assert.ok(isAlive(s.masterPid), 'the master is alive');
  const now = await workersBack(killed);
  t.diagnostic(`workers now ${now.join(' ')}`);
  for (const pid of killed) {
    assert.ok(new RegExp(`worker ${pid} killed by signal 9`).test(s.log()), `the log tells of ${pid}`);
  }
  // They serve, and every confirmed answer is in the database.
  const c = child(s);
  for (let i = 0; i < 6; i++) assert.equal((await c.get('/')).status, 200);
  assertStored(res);
  assert.equal(s.db('PRAGMA integrity_check;'), 'ok');
});

test('SIGHUP under load reloads twice without a single failed request', T, async (t) => {
  const kids = newChildren(6, 'hup');
  const first = await workersBack([]);
  const reloads = countOf(/: reloading /g);
  const failedReloads = countOf(/reload failed/g);
  const RUN_MS = 3000;
  const gens = [first];
  const t0 = Date.now();
  const hupper = (async () => {
    for (const at of [700, 1700]) {
      await sleep(Math.max(0, t0 + at - Date.now()));
      const old = s.workerPids();
      process.kill(s.masterPid, 'SIGHUP');
      gens.push(await workersBack(old));
    }
  })();
  const res = await load(kids, RUN_MS);
  await hupper;
  report(t, 'SIGHUP', res, `, generations ${gens.map((g) => g.join('+')).join(' -> ')}`);
  assert.equal(res.hung, 0, res.errors.join('; '));
  assert.equal(res.failed, 0, `failed requests: ${res.errors.join('; ')} ${JSON.stringify(res.statuses)}`);
  assert.deepEqual(res.unexpected.slice(0, 10), []);
  assert.ok(res.confirmed >= 20, `only ${res.confirmed} answers confirmed`);
  for (const st of Object.keys(res.statuses)) assert.ok(st === '200' || st === '303', `status ${st}`);
  // Two new generations, each of the configured size, none sharing a pid.
  assert.equal(countOf(/: reloading /g), reloads + 2, 'the log tells of both reloads');
  assert.equal(countOf(/reload failed/g), failedReloads);
  const all = gens.flat();
  assert.equal(new Set(all).size, all.length, `pids ${all.join(' ')}`);
  const last = await workersBack(gens[0].concat(gens[1]));
  assert.equal(last.length, WORKERS);
  assertStored(res);
});

// Waits until every worker has loaded its plugins (it logs its question
// set), or has run for 2 s.
async function workersLoaded() {
  return waitFor(() => {
    const pids = s.workerPids();
    const log = s.log();
    return pids.length === WORKERS && pids.every((pid) =>
      new RegExp(`berattad-worker\\[${pid}\\]: .*tenant demo: question set`).test(log) ||
      ageMs(pid) > 2000) ? pids : null;
  }, { timeoutMs: 15000, intervalMs: 50, what: 'workers to load their plugins' });
}

function ageMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = Number(fields[19]);
    const uptime = Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    return (uptime - startTicks / 100) * 1000;
  } catch {
    return 0;
  }
}


// The line of demo/init.lua that the broken-plugin test breaks.
let BROKEN_LINE = 0;

function initLua() {
  return path.join(s.dir, 'plugins', 'demo', 'init.lua');
}

test('a plugin broken on reload is reported with file and line, and the running set keeps serving', T, async (t) => {
  // A fresh generation that has served no request yet, so that nothing
  // it runs was loaded by a request before the file broke.
  const old = s.workerPids();
  process.kill(s.masterPid, 'SIGHUP');
  await workersBack(old);
  const pids = await workersLoaded();
  const good = fs.readFileSync(initLua(), 'utf8');
  const lines = good.split('\n');
  // The line that opens the areas, wherever it is in the file.
  BROKEN_LINE = lines.findIndex((l) => /^  areas = \{/.test(l)) + 1;
  assert.ok(BROKEN_LINE > 0, 'init.lua has an areas line');
  lines[BROKEN_LINE - 1] = '  this is not Lua (((';
  fs.writeFileSync(initLua(), lines.join('\n'));
  try {
    await brokenReload(t, pids);
  } finally {
    fs.writeFileSync(initLua(), good);
  }
});

async function brokenReload(t, pids) {
  const failed = countOf(/reload failed/g);
  process.kill(s.masterPid, 'SIGHUP');
  await waitFor(() => countOf(/reload failed/g) > failed, { timeoutMs: 15000, what: 'the failed reload in the log' });
  const log = s.log();
  const err = log.split('\n').find((l) => l.includes(`error: `) && l.includes(`demo/init.lua:${BROKEN_LINE}:`));
  assert.ok(err, `the error names init.lua and line ${BROKEN_LINE}:\n${log.split('\n').slice(-10).join('\n')}`);
  t.diagnostic(err);
  // Same workers, same set: the start page and the questions work.
  assert.deepEqual(s.workerPids().sort(), pids.sort());
  const anon = child(s);
  for (let i = 0; i < 12; i++) {
    const r = await anon.get('/');
    assert.equal(r.status, 200, `GET / #${i}: ${r.text.slice(0, 200)}`);
  }
  for (const { code } of newChildren(4, 'broken')) {
    const c = child(s);
    assert.equal((await c.login(code)).status, 303);
    for (let i = 0; i < 3; i++) {
      const q = await c.get('/q');
      assert.equal(q.status, 200, q.text.slice(0, 300));
      assert.ok(q.text.includes('Hur har du det hemma just nu?'));
    }
    assert.equal((await c.answer('home_feel', 'good')).status, 303);
    const next = await c.get('/q');
    assert.equal(next.status, 200);
    assert.ok(next.text.includes('Finns det en vuxen hemma som lyssnar på dig?'));
  }
  assert.deepEqual(s.workerPids().sort(), pids.sort(), 'no worker was replaced');
}

test('after the plugin is fixed, SIGHUP starts a new generation that serves', T, async () => {
  const old = await workersLoaded();
  const reloads = countOf(/: reloading /g);
  const failed = countOf(/reload failed/g);
  process.kill(s.masterPid, 'SIGHUP');
  const now = await workersBack(old);
  assert.equal(countOf(/: reloading /g), reloads + 1);
  assert.equal(countOf(/reload failed/g), failed);
  assert.equal(now.length, WORKERS);
  const [{ code }] = newChildren(1, 'fixed');
  const c = child(s);
  assert.equal((await c.login(code)).status, 303);
  assert.equal((await c.get('/q')).status, 200);
});

// Connections on the daemon's socket, from /proc/net/unix: queued (not
// yet accepted: state 02) and accepted (03).
// The requests waiting at the daemon: new connections not yet accepted
// (/proc/net/unix state 02), and connections nginx keeps with a request
// unread in them (ss: the daemon's end with bytes in its receive queue).
function connectionsToDaemon() {
  const n = { queued: 0, accepted: 0 };
  for (const l of fs.readFileSync('/proc/net/unix', 'utf8').split('\n')) {
    if (!l.endsWith(` ${s.socket}`)) continue;
    const st = l.trim().split(/\s+/)[5];
    if (st === '02') n.queued += 1;
    else if (st === '03') n.accepted += 1;
  }
  for (const l of execFileSync('ss', ['-xn'], { encoding: 'utf8' }).split('\n')) {
    const c = l.trim().split(/\s+/);
    if (c[1] === 'ESTAB' && c[4] === s.socket && Number(c[2]) > 0) n.queued += 1;
  }
  return n;
}

function procState(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return null;
  }
}

// 1 if signal sig is pending for process pid (/proc/PID/status ShdPnd).
function isPending(pid, sig) {
  try {
    const m = /^ShdPnd:\s*([0-9a-f]+)$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m !== null && (BigInt(`0x${m[1]}`) & (1n << BigInt(sig - 1))) !== 0n;
  } catch {
    return false;
  }
}

test('nginx keeps its connections to the daemon: twenty requests in a row share one', T, async () => {
  // The load of the tests before leaves idle connections; nginx closes
  // them after its keepalive_timeout of 1 s.
  await waitFor(() => connectionsToDaemon().accepted === 0,
    { timeoutMs: 5000, intervalMs: 50, what: 'idle connections to close' });
  const c = child(s);
  for (let i = 0; i < 20; i++) assert.equal((await c.get('/')).status, 200);
  const open = connectionsToDaemon().accepted;
  assert.ok(open >= 1 && open <= 2, `connections open at the daemon after 20 requests: ${open}`);
});

test('SIGTERM lets the requests in flight finish, then the master exits 0 and leaves nothing behind', T, async (t) => {
  const kids = newChildren(4, 'term');
  const clients = [];
  for (const { code } of kids) {
    const c = child(s, { timeoutMs: 30000 });
    assert.equal((await c.login(code)).status, 303);
    assert.equal((await c.get('/q')).status, 200);
    clients.push(c);
  }
  const workers = s.workerPids();
  assert.equal(workers.length, WORKERS);
  // Requests in flight for certain: the workers are paused (SIGSTOP) while
  // nginx hands the requests to the daemon's socket, SIGTERM arrives, and
  // only then do the workers go on.
  const inflight = [];
  try {
    for (const pid of workers) process.kill(pid, 'SIGSTOP');
    await waitFor(() => workers.every((pid) => procState(pid) === 'T'),
      { timeoutMs: 10000, intervalMs: 10, what: 'the workers to stop' });
    for (const c of clients) {
      inflight.push(c.answer('home_feel', 'ok'));
      inflight.push(c.get('/q'));
      inflight.push(c.get('/'));
    }
    for (const p of inflight) p.catch(() => {});
    const at = await waitFor(() => {
      const n = connectionsToDaemon();
      return n.queued >= inflight.length ? n : null;
    }, { timeoutMs: 15000, intervalMs: 10, what: `${inflight.length} requests at the daemon's socket` });
    t.diagnostic(`at SIGTERM: ${at.queued} requests queued on the socket`);
    process.kill(s.masterPid, 'SIGTERM');
    await waitFor(() => workers.every((pid) => isPending(pid, 15)),
      { timeoutMs: 10000, intervalMs: 10, what: 'the master to pass SIGTERM to its workers' });
  } finally {
    for (const pid of workers) {
      try { process.kill(pid, 'SIGCONT'); } catch { /* gone */ }
    }
  }
  const results = await Promise.allSettled(inflight);
  const statuses = results.map((r) => (r.status === 'fulfilled' ? r.value.status : r.reason.name));
  t.diagnostic(`statuses ${statuses.join(' ')}`);
  for (const st of statuses) assert.ok(st === 200 || st === 303, `a request in flight got ${st}`);
  // The master exits with 0 within a few seconds.
  const exit = await exitWithin(s.daemon, 10000);
  assert.ok(exit, 'the master exited within 10 s');
  assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null });
  assert.ok(!fs.existsSync(s.socket), 'the socket file is removed');
  assert.ok(!fs.existsSync(path.join(s.dir, 'berattad.pid')), 'the pid file is removed');
  for (const pid of workers) assert.ok(!isAlive(pid), `worker ${pid} is gone`);
  assert.deepEqual(processesOfStack(), [], 'no process of the daemon is left');
  assert.match(s.log(), /info: main: stopped/);
  // The answers in flight were stored.
  for (const { label } of kids) {
    assert.equal(s.db(`SELECT a.value FROM answers a JOIN responses r ON r.id = a.response_id
      JOIN invitations i ON i.id = r.invitation_id WHERE i.label = '${label}' AND a.replaced_at IS NULL;`), 'o:ok');
  }
});
