// Plugins in the running daemon: a municipal layer served, a plugin that
// loops or eats memory while a child answers (not at load) is stopped with
// a clear page and the worker lives, and versions: stable across reloads,
// new when the set changes, an answer shown as it was asked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { start, child, csrfOf, reload, ROOT, BUILD } from './stack.mjs';

let s;

before(async () => {
  s = await start({
    workers: 2,
    threads: 2,
    prepare(st) {
      const dir = path.join(st.dir, 'plugins');
      fs.cpSync(path.join(ROOT, 'plugins'), dir, { recursive: true });
      for (const p of ['trap', 'kommun', 'leaky']) {
        fs.cpSync(path.join(ROOT, 'tests', 'fixtures', 'plugins', p), path.join(dir, p),
          { recursive: true });
      }
      let conf = fs.readFileSync(st.conf, 'utf8');
      conf = conf.replace(/^plugin_dir = .*$/m, `plugin_dir = "${dir}"`);
      conf = conf.replace(/^lua_budget = .*$/m, '');
      conf = conf.replace(/^tenants = \{[\s\S]*\}\s*$/m, `tenants = {
  { name = "demo", hosts = { "127.0.0.1" }, plugin = "demo", language = "sv" },
  { name = "trap", hosts = { "127.0.0.2" }, plugin = "trap", language = "sv" },
  { name = "kommun", hosts = { "127.0.0.3" }, plugin = "kommun", language = "sv" },
  { name = "leaky", hosts = { "127.0.0.4" }, plugin = "leaky", language = "sv" },
}
`);
      fs.writeFileSync(st.conf, conf);
      // Two more loopback addresses of the same nginx, one per tenant.
      const ngx = fs.readFileSync(path.join(st.dir, 'nginx.conf'), 'utf8');
      fs.writeFileSync(path.join(st.dir, 'nginx.conf'), ngx.replace(/listen 127\.0\.0\.1:(\d+);/,
        'listen 127.0.0.1:$1; listen 127.0.0.2:$1; listen 127.0.0.3:$1; listen 127.0.0.4:$1;'));
    },
  });
});

after(async () => {
  if (s) await s.stop();
});

function invite(tenant) {
  return execFileSync(path.join(BUILD, 'beratta'), ['-c', s.conf, 'invite', tenant],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function db(tenant, sql) {
  return execFileSync('sqlite3', [path.join(s.dir, 'data', `${tenant}.db`), sql],
    { encoding: 'utf8' }).trim();
}

async function loggedIn(tenant, host) {
  const c = child(s, host ? { base: `http://${host}:${s.port}` } : {});
  const r = await c.login(invite(tenant));
  assert.equal(r.status, 303, 'login');
  const page = await c.get('/q');
  assert.equal(page.status, 200);
  c.csrf = csrfOf(page.text);
  return { c, page };
}

function versionsInLog() {
  return [...s.log().matchAll(/tenant demo: question set ([0-9a-f]{12})/g)].map((m) => m[1]);
}


test('a municipal layer is served: its new question, its rewording, a removed question gone', async () => {
  const { c, page } = await loggedIn('kommun', '127.0.0.3');
  assert.match(page.text, /Har du ett husdjur\?/);
  assert.equal((await c.answer('home_pet', 'yes')).status, 303);
  const next = await c.get('/q');
  assert.match(next.text, /Hur är det hemma hos dig\?/);
  for (const [q, v] of [['home_feel', 'good'], ['home_adult', 'yes']]) {
    assert.equal((await c.answer(q, v)).status, 303);
  }
  const end = await c.get('/q');
  assert.equal(end.status, 303);
  assert.equal(end.location, '/thanks', 'friends_break was removed, so the set ends');
});

test('an answer that raises an alert is followed by care and the help contacts before any further question', async () => {
  const { c } = await loggedIn('kommun', '127.0.0.3');
  for (const [q, v] of [['home_pet', 'no'], ['home_feel', 'very_bad']]) {
    assert.equal((await c.answer(q, v)).status, 303);
  }
  const r = await c.answer('home_worry', 'Det är bråk');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/care', 'care comes first');
  const care = await c.get('/care');
  assert.equal(care.status, 200);
  assert.match(care.text, /Det var modigt att skriva det\./);
  assert.match(care.text, /116 111/);
  assert.match(care.text, /href="\/q"/, 'then the child can go on');
  assert.equal(care.headers.get('cache-control'), 'no-store');
  // The next answer, raising nothing new, goes on to the next question.
  assert.equal((await c.answer('home_adult', 'yes')).location, '/q');
});

test('a plugin that loops in a condition while a child answers is stopped: a clear page, nothing stored, the worker lives', async () => {
  const { c } = await loggedIn('trap', '127.0.0.2');
  const pids = s.workerPids().join();
  const r = await c.answer('start', 'loop');
  assert.equal(r.status, 500);
  assert.match(r.text, /Ett fel hos oss\. Dina tidigare svar är sparade\./);
  assert.equal(db('trap', 'SELECT count(*) FROM answers'), '0');
  assert.match(s.log(), /trap\/init\.lua:\d+: instruction budget of \d+ exceeded/);
  assert.equal(s.workerPids().join(), pids, 'no worker died');
  // The same tenant's state still works for the next answer.
  assert.equal((await c.answer('start', 'fine')).status, 303);
  assert.equal(db('trap', "SELECT value FROM answers WHERE question = 'start'"), 'o:fine');
});

test('a Lua error that would quote the child\'s answer reaches the log with file and line, never with the answer', async () => {
  const { c } = await loggedIn('leaky', '127.0.0.4');
  const words = 'NOBODY-MAY-READ-THIS-' + process.pid;
  const r = await c.answer('home_words', words);
  assert.equal(r.status, 500);
  assert.match(r.text, /Ett fel hos oss\. Dina tidigare svar är sparade\./);
  assert.equal(db('leaky', 'SELECT count(*) FROM answers'), '0', 'nothing stored');
  const log = s.log();
  assert.match(log, /leaky: host\.accept: a Lua error at leaky\/init\.lua:\d+/);
  assert.ok(!log.includes(words), 'the answer is not in the log');
  assert.equal(log.split('\n').filter((l) => l.includes('leaky: host.accept')).length, 1,
    'the error is logged once');
});

test('a plugin that eats memory in an alert rule while a child answers is stopped, and the worker lives', async () => {
  const { c } = await loggedIn('trap', '127.0.0.2');
  const pids = s.workerPids().join();
  const before = db('trap', 'SELECT count(*) FROM answers');
  const r = await c.answer('start', 'eat');
  assert.equal(r.status, 500);
  assert.match(r.text, /Ett fel hos oss/);
  assert.equal(db('trap', 'SELECT count(*) FROM answers'), before);
  assert.match(s.log(), /memory ceiling of \d+ bytes exceeded/);
  assert.equal(s.workerPids().join(), pids, 'no worker died');
  assert.equal((await c.get('/')).status, 303, 'the tenant still answers');
});

test('the version hash is the same after a reload without changes', async () => {
  const was = versionsInLog();
  await reload(s);
  const now = versionsInLog();
  assert.ok(now.length > was.length);
  assert.equal(now[now.length - 1], was[was.length - 1]);
});

test('after the set changes, a new version is used and an old answer is shown as it was asked', async () => {
  const { c } = await loggedIn('demo');
  assert.equal((await c.answer('home_feel', 'good')).status, 303);
  const v1 = db('demo', "SELECT set_version FROM answers WHERE question = 'home_feel' ORDER BY id DESC LIMIT 1");
  // Reword the question in the served copy of the plugin, then reload.
  const file = path.join(s.dir, 'plugins', 'demo', 'init.lua');
  const src = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, src.replace('Hur har du det hemma just nu?', 'Hur är det hemma, tycker du?'));
  const was = versionsInLog();
  await reload(s);
  const now = versionsInLog();
  assert.notEqual(now[now.length - 1], was[was.length - 1], 'a new version hash');
  for (const [q, v] of [['home_adult', 'yes'], ['friends_break', 'always']]) {
    assert.equal((await c.answer(q, v)).status, 303);
  }
  const v2 = db('demo', "SELECT set_version FROM answers WHERE question = 'friends_break' ORDER BY id DESC LIMIT 1");
  assert.notEqual(v1, v2, 'answers record the version they were given under');
  assert.equal(db('demo', 'SELECT count(*) FROM set_versions'), '2', 'both canonical forms are kept');
  const thanks = await c.page();
  assert.equal(thanks.status, 200);
  assert.match(thanks.text, /Hur har du det hemma just nu\?/, 'the old wording of the old answer');
  assert.doesNotMatch(thanks.text, /Hur är det hemma, tycker du\?/);
  // A new child sees the new wording.
  const fresh = await loggedIn('demo');
  assert.match(fresh.page.text, /Hur är det hemma, tycker du\?/);
});

test('a session cookie of another tenant is no session here, and changes nothing', async () => {
  const { c } = await loggedIn('kommun', '127.0.0.3');
  const token = c.cookie('beratta');
  const before = db('demo', 'SELECT count(*) FROM answers');
  const other = child(s);
  other.setCookie('beratta', token);
  const q = await other.get('/q');
  assert.equal(q.status, 303, 'the demo tenant does not know it');
  assert.equal(q.location, '/');
  const post = await other.post('/answer', { csrf: c.csrf, q: 'home_feel', answer: 'good' });
  assert.equal(post.status, 303);
  assert.equal(post.location, '/');
  assert.equal(db('demo', 'SELECT count(*) FROM answers'), before);
  // And it still works where it belongs.
  assert.equal((await c.get('/q')).status, 200);
});
