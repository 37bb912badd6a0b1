// stack.mjs: a real Berätta stack for the HTTP tests — nginx on 127.0.0.1
// in front of berattad on a unix socket, in a temporary directory — and a
// small cookie-keeping client that behaves like a child's browser.
//
// This file is a helper, not a test: `node --test tests/http/` runs only
// files named *.test.mjs (and the like), never stack.mjs.
//
//   const s = await start({ workers: 2, threads: 4 });
//   const [code] = s.invite(1, 'label');
//   const c = child(s);
//   await c.login(code);
//   ...
//   await s.stop();
//
// Every wait is bounded in time; every process started here is stopped by
// stop(), and killed if the test process exits without calling it.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUILD = process.env.BERATTA_BUILD
  ? path.resolve(process.env.BERATTA_BUILD)
  : path.join(ROOT, 'build');
export const HOST = '127.0.0.1';
// The secret test children choose when they first log in.
export const DEFAULT_SECRET = 'sol och måne';

// Default time limit of one HTTP request made by a test.
export const REQUEST_TIMEOUT_MS = 15000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Processes alive right now, killed if the test process goes away early.
// The daemon and nginx each lead their own process group (spawned
// detached), so a group kill also reaches the daemon's workers.
const live = new Set();
process.on('exit', () => {
  for (const p of live) {
    try { process.kill(-p.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

// Sends sig to the process group led by pid; false if there is none.
function killGroup(pid, sig) {
  try {
    process.kill(-pid, sig);
    return true;
  } catch {
    return false;
  }
}

// Polls fn (sync or async) until it returns a truthy value, every
// intervalMs, for at most timeoutMs; returns that value or throws.
export async function waitFor(fn, { timeoutMs = 10000, intervalMs = 25, what = 'condition' } = {}) {
  const until = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= until) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}` +
        (last ? ` (last error: ${last.message})` : ''));
    }
    await sleep(intervalMs);
  }
}

// A TCP port on 127.0.0.1 that was free a moment ago.
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// True if the process exists and is not a zombie.
export function isAlive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

// Watches a spawned process; .exited resolves with { code, signal }.
function track(proc) {
  live.add(proc);
  proc.exited = new Promise((resolve) => {
    proc.once('exit', (code, signal) => {
      live.delete(proc);
      resolve({ code, signal });
    });
    proc.once('error', (err) => {
      live.delete(proc);
      proc.failed = err;
      resolve({ code: null, signal: null, error: err });
    });
  });
  return proc;
}

function hasExited(proc) {
  return proc.exitCode !== null || proc.signalCode !== null || proc.failed !== undefined;
}

// Resolves with the exit of proc, or with null after ms.
export function exitWithin(proc, ms) {
  let timer;
  return Promise.race([
    proc.exited,
    new Promise((resolve) => { timer = setTimeout(() => resolve(null), ms); }),
  ]).finally(() => clearTimeout(timer));
}

// SIGTERM, then SIGKILL if it is still there after ms.
async function terminate(proc, ms = 10000) {
  if (!proc || hasExited(proc)) return proc ? proc.exited : null;
  try { proc.kill('SIGTERM'); } catch { /* gone */ }
  const r = await exitWithin(proc, ms);
  if (r) return r;
  try { proc.kill('SIGKILL'); } catch { /* gone */ }
  return exitWithin(proc, 5000);
}

class Stack {
  constructor(dir, { workers, threads }) {
    this.dir = dir;
    this.workers = workers;
    this.threads = threads;
    this.conf = path.join(dir, 'beratta.conf.lua');
    this.nginxConf = path.join(dir, 'nginx.conf');
    this.socket = path.join(dir, 'berattad.sock');
    this.logPath = path.join(dir, 'daemon.log');
    this.dbPath = path.join(dir, 'data', 'demo.db');
    this.daemon = null;
    this.nginx = null;
    this.stopped = false;
    this.savedLog = null;
  }

  // The master's pid: the process we started, or under a supervisor the
  // one in the pid file (it changes when the master is started again).
  get masterPid() {
    if (!this.daemon) return null;
    if (!this.supervised) return this.daemon.pid;
    try {
      return Number(fs.readFileSync(path.join(this.dir, 'berattad.pid'), 'utf8').trim()) || null;
    } catch {
      return null;
    }
  }

  get base() {
    return `http://${HOST}:${this.port}`;
  }

  // The daemon's stderr so far (kept after stop()).
  log() {
    if (this.savedLog !== null) return this.savedLog;
    try {
      return fs.readFileSync(this.logPath, 'utf8');
    } catch {
      return '';
    }
  }

  // Runs berattad in the foreground, stderr appended to DIR/daemon.log;
  // supervised, under a loop that starts it again whenever it exits, as
  // systemd's Restart=always does (doc/berattad.service).
  spawnDaemon() {
    const fd = fs.openSync(this.logPath, 'a');
    const bin = path.join(BUILD, 'berattad');
    try {
      this.daemon = track(this.supervised
        ? spawn('sh', ['-c', `while :; do '${bin}' -c '${this.conf}'; sleep 0.2; done`], {
          cwd: this.dir, stdio: ['ignore', fd, fd], detached: true,
        })
        : spawn(bin, ['-c', this.conf], {
          cwd: this.dir,
          stdio: ['ignore', fd, fd],
          detached: true,
        }));
    } finally {
      fs.closeSync(fd);
    }
  }

  async waitSocket() {
    await waitFor(() => {
      if (hasExited(this.daemon)) {
        throw new Error(`berattad exited early:\n${this.log()}`);
      }
      try {
        return fs.statSync(this.socket).isSocket();
      } catch {
        return false;
      }
    }, { timeoutMs: 10000, what: `${this.socket}` }).catch((e) => {
      throw new Error(`${e.message}\n--- daemon log ---\n${this.log()}`);
    });
  }

  spawnNginx() {
    const out = fs.openSync(path.join(this.dir, 'nginx', 'stderr.log'), 'a');
    try {
      this.nginx = track(spawn('nginx', [
        '-e', path.join(this.dir, 'nginx', 'error.log'),
        '-p', path.join(this.dir, 'nginx'),
        '-c', this.nginxConf,
        '-g', 'daemon off;',
      ], { cwd: this.dir, stdio: ['ignore', out, out], detached: true }));
    } finally {
      fs.closeSync(out);
    }
  }

  nginxLog() {
    let s = '';
    for (const f of ['stderr.log', 'error.log']) {
      try { s += fs.readFileSync(path.join(this.dir, 'nginx', f), 'utf8'); } catch { /* none */ }
    }
    return s;
  }

  // Starts nginx and waits until GET / answers; on a port lost to a race
  // it tries again on another port (at most 3 times).
  async startNginx() {
    for (let attempt = 1; ; attempt++) {
      this.spawnNginx();
      try {
        await waitFor(async () => {
          if (hasExited(this.nginx)) throw new Error('nginx exited');
          const res = await fetch(`${this.base}/`, {
            redirect: 'manual',
            signal: AbortSignal.timeout(2000),
          });
          await res.arrayBuffer();
          return res.status === 200;
        }, { timeoutMs: 10000, intervalMs: 50, what: `GET ${this.base}/` });
        return;
      } catch (e) {
        const nlog = this.nginxLog();
        await terminate(this.nginx, 3000);
        if (attempt < 3 && /Address already in use/.test(nlog)) {
          const old = this.port;
          this.port = await freePort();
          const conf = fs.readFileSync(this.nginxConf, 'utf8')
            .replace(`listen ${HOST}:${old};`, `listen ${HOST}:${this.port};`);
          fs.writeFileSync(this.nginxConf, conf);
          continue;
        }
        throw new Error(`${e.message}\n--- nginx ---\n${nlog}\n--- daemon log ---\n${this.log()}`);
      }
    }
  }

  // A shell that outlives this process only to stop the stack if this
  // process dies without stop() (killed by a test runner's time limit, a
  // closed pipe): it checks every second that this process is there.
  spawnWatchdog() {
    const groups = [this.daemon, this.nginx].filter(Boolean).map((p) => `-${p.pid}`).join(' ');
    const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ` +
      `kill -TERM ${groups} 2>/dev/null; sleep 3; kill -KILL ${groups} 2>/dev/null; ` +
      `rm -rf '${this.dir}'`;
    this.watchdog = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
    this.watchdog.unref();
  }

  // Creates n invitation codes for the demo tenant (with a label, which
  // lets a test find the child's rows) and returns them.
  invite(n = 1, label) {
    const args = ['-c', this.conf, 'invite', '-n', String(n)];
    if (label !== undefined) args.push('-l', label);
    args.push('demo');
    const out = execFileSync(path.join(BUILD, 'beratta'), args, {
      encoding: 'utf8',
      timeout: 15000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const codes = out.split('\n').filter(Boolean);
    if (codes.length !== n) throw new Error(`invite printed ${codes.length} codes, not ${n}`);
    return codes;
  }

  // The master's children (worker pids), zombies left out.
  workerPids() {
    const pid = this.masterPid;
    let text = '';
    try {
      text = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8');
    } catch {
      return [];
    }
    return text.split(/\s+/).filter(Boolean).map(Number).filter(isAlive);
  }

  // Runs SQL with the sqlite3 shell on the tenant's database; its output,
  // trimmed.
  db(sql, { json = false } = {}) {
    const args = ['-bail', '-cmd', '.timeout 10000'];
    if (json) args.push('-json');
    args.push(this.dbPath);
    return execFileSync('sqlite3', args, {
      input: sql,
      encoding: 'utf8',
      timeout: 20000,
      stdio: ['pipe', 'pipe', 'pipe'],
    }).trim();
  }

  // Rows of a query as objects.
  rows(sql) {
    const out = this.db(sql, { json: true });
    return out === '' ? [] : JSON.parse(out);
  }

  // The number of rows of a table.
  count(table) {
    return Number(this.db(`SELECT count(*) FROM ${table};`));
  }

  // Stops nginx and the daemon (SIGTERM, SIGKILL after 10 s), any worker
  // the master left behind, and removes the directory unless
  // BERATTA_KEEP is set.  Safe to call twice and after a failed start.
  async stop() {
    if (this.stopped) return;
    this.stopped = true;
    if (this.watchdog) killGroup(this.watchdog.pid, 'SIGKILL');
    await Promise.all([terminate(this.nginx), terminate(this.daemon)]);
    // Whatever is left of their groups: workers of a master that was
    // killed, workers a test paused.
    for (const p of [this.daemon, this.nginx]) {
      if (p && killGroup(p.pid, 0)) {
        killGroup(p.pid, 'SIGCONT');
        killGroup(p.pid, 'SIGKILL');
      }
    }
    this.savedLog = this.log();
    if (process.env.BERATTA_KEEP) {
      process.stderr.write(`# stack kept in ${this.dir}\n`);
    } else {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

// Starts a stack: configuration from `./dev stack-conf`, then berattad,
// then nginx.  prepare(stack), if given, runs after the configuration is
// written and before anything starts (to edit it).
export async function start({ workers = 2, threads = 4, prepare, supervised = false } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beratta-http-'));
  const s = new Stack(dir, { workers, threads });
  s.supervised = supervised;
  try {
    s.port = await freePort();
    execFileSync(path.join(ROOT, 'dev'), ['stack-conf', dir, String(s.port), BUILD], {
      cwd: ROOT,
      env: { ...process.env, WORKERS: String(workers), THREADS: String(threads) },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 15000,
    });
    if (prepare) await prepare(s);
    s.spawnDaemon();
    await s.waitSocket();
    await s.startNginx();
    s.spawnWatchdog();
    return s;
  } catch (e) {
    await s.stop();
    throw e;
  }
}

// ---------------------------------------------------------------------
// The client.

// The value of the hidden CSRF field of a page, or null.  Attributes are
// rendered sorted by name.
export function csrfOf(html) {
  const m = /<input name="csrf" type="hidden" value="([^"]*)">/.exec(html);
  return m ? m[1] : null;
}

// The question id of a question page (its hidden "q" field), or null.
export function questionOf(html) {
  const m = /<input name="q" type="hidden" value="([^"]*)">/.exec(html);
  return m ? m[1] : null;
}

// The lang attribute of the page's <html> element.
export function langOf(html) {
  const m = /<html\b[^>]*\blang="([^"]*)"/.exec(html);
  return m ? m[1] : null;
}

function formBody(fields) {
  if (typeof fields === 'string') return fields;
  if (Array.isArray(fields)) return new URLSearchParams(fields).toString();
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    if (v !== undefined && v !== null) p.append(k, v);
  }
  return p.toString();
}

export class Client {
  // base: another loopback address of the same nginx (a tenant chosen by
  // host name), else the stack's.
  constructor(stack, { headers = {}, timeoutMs = REQUEST_TIMEOUT_MS, base } = {}) {
    this.stack = stack;
    this.base = base ?? stack.base;
    this.jar = new Map();
    this.headers = headers;
    this.timeoutMs = timeoutMs;
    this.csrf = null;	// from the last page that had one
    this.secrets = new Set();	// every cookie value and CSRF token seen
  }

  cookie(name) {
    return this.jar.get(name);
  }

  setCookie(name, value) {
    this.jar.set(name, value);
  }

  cookieHeader() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  // Applies Set-Cookie headers: a value, or deletion by Max-Age=0.
  keep(setCookies) {
    for (const sc of setCookies) {
      const [pair, ...attrs] = sc.split(';');
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const maxAge = attrs.map((a) => a.trim()).find((a) => /^max-age=/i.test(a));
      if ((maxAge && Number(maxAge.split('=')[1]) <= 0) || value === '') {
        this.jar.delete(name);
      } else {
        this.jar.set(name, value);
        this.secrets.add(value);
      }
    }
  }

  // One request; returns { status, headers, text, location, setCookies }.
  async request(method, urlPath, { body, headers = {}, timeoutMs } = {}) {
    const h = { ...this.headers, ...headers };
    const ck = this.cookieHeader();
    if (ck && !('cookie' in h) && !('Cookie' in h)) h.cookie = ck;
    const res = await fetch(this.base + urlPath, {
      method,
      body,
      headers: h,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs ?? this.timeoutMs),
    });
    const text = await res.text();
    const setCookies = res.headers.getSetCookie();
    this.keep(setCookies);
    const csrf = csrfOf(text);
    if (csrf) {
      this.csrf = csrf;
      this.secrets.add(csrf);
    }
    return {
      status: res.status,
      headers: res.headers,
      text,
      location: res.headers.get('location'),
      setCookies,
    };
  }

  get(urlPath, opts = {}) {
    return this.request('GET', urlPath, opts);
  }

  // POST of urlencoded fields: an object, a list of [key, value] pairs
  // (keys may repeat), or a body string sent as it is.
  post(urlPath, fields, opts = {}) {
    return this.request('POST', urlPath, {
      ...opts,
      body: formBody(fields),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(opts.headers || {}) },
    });
  }

  // GET / then POST /login with the page's CSRF token and the code, then
  // the secret: chosen the first time (typed twice), entered after.
  // Returns the last response (303 to /q on success).
  async login(code, secret = DEFAULT_SECRET) {
    const start = await this.get('/');
    if (start.status !== 200) return start;
    const r = await this.post('/login', { csrf: csrfOf(start.text), code });
    if (r.status !== 303 || r.location !== '/secret') return r;
    const page = await this.get('/secret');
    if (page.status !== 200) return page;
    const fields = { csrf: csrfOf(page.text), secret };
    if (/name="again"/.test(page.text)) fields.again = secret;
    return this.post('/secret', fields);
  }

  // GET /q, following a redirect to /thanks; returns the page.
  async page() {
    let r = await this.get('/q');
    if (r.status === 303 && r.location === '/thanks') r = await this.get('/thanks');
    return r;
  }

  // POSTs an answer with the session's CSRF token: value is an option id
  // or a text (several values: an array); extra fields go as they are.
  answer(q, value, extra = {}) {
    const pairs = [['csrf', this.csrf ?? ''], ['q', q]];
    for (const v of value === undefined ? [] : [].concat(value)) pairs.push(['answer', v]);
    for (const [k, v] of Object.entries(extra)) pairs.push([k, v]);
    return this.post('/answer', pairs);
  }
}

export function child(stack, opts) {
  return new Client(stack, opts);
}

// Sends bytes over a fresh TCP connection to the stack's nginx and reads
// until the server closes (or timeoutMs).  With end, the sending side is
// closed after the bytes (a client that gave up: nginx then drops the
// request, so send "Connection: close" and leave end off to read an
// answer).  Returns { status, statusLine, text, body, closed, timedOut, ms }.
export function raw(stack, bytes, { timeoutMs = 5000, end = false } = {}) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const chunks = [];
    let done = false;
    const sock = net.connect({ host: HOST, port: stack.port });
    const finish = (timedOut) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const statusLine = text.split('\r\n')[0] || '';
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
      const body = text.indexOf('\r\n\r\n') >= 0 ? text.slice(text.indexOf('\r\n\r\n') + 4) : '';
      resolve({
        status: m ? Number(m[1]) : null,
        statusLine,
        text,
        body: Buffer.from(body, 'latin1').toString('utf8'),
        closed: !timedOut,
        timedOut,
        ms: Date.now() - t0,
      });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    sock.on('connect', () => {
      sock.write(bytes);
      if (end) sock.end();
    });
    sock.on('data', (d) => chunks.push(d));
    sock.on('close', () => finish(false));
    sock.on('error', () => finish(false));
  });
}

// Sends SIGHUP to the master and waits until the reload is logged and a
// new generation of workers (2) serves.
// A start() prepare that serves the standard set from a copy of plugins/
// in the stack's directory (a test may reword it, then reload).
export function standardCopy(st) {
  fs.cpSync(path.join(ROOT, 'plugins'), path.join(st.dir, 'plugins'), { recursive: true });
  const conf = fs.readFileSync(st.conf, 'utf8')
    .replace(/plugin_dir = "[^"]*"/, `plugin_dir = "${st.dir}/plugins"`)
    .replace('plugin = "demo"', 'plugin = "standard"');
  fs.writeFileSync(st.conf, conf);
}

export async function reload(s) {
  const before = s.log().match(/reloading/g)?.length ?? 0;
  const pids = s.workerPids().join();
  process.kill(s.masterPid, 'SIGHUP');
  await waitFor(() => (s.log().match(/reloading/g)?.length ?? 0) > before, { what: 'reload logged' });
  await waitFor(() => {
    const now = s.workerPids();
    return now.length === 2 && now.join() !== pids;
  }, { what: 'a new generation of workers', timeoutMs: 15000 });
}
