// staff.mjs: what the staff tests share (a helper, not a test): accounts
// made with `beratta staff demo` (a demo tenant only: a fixed password and
// TOTP seed, enrolled at once), TOTP codes computed here (RFC 6238), a
// client that logs in through the real pages, and a second tenant behind
// its own nginx port for the cross-tenant cells.
//
//   const s = await start({ prepare: otherTenant });
//   unit(s, 'Skola A');
//   const acc = account(s, { login: 'anna', units: ['Skola A'] });
//   const c = staff(s);
//   await c.loginAs(acc);      // 303 to /staff/ when it worked
//   const other = staff(s, { base: otherBase(s) });

import { execFileSync, spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { BUILD, Client, csrfOf, freePort, waitFor } from './stack.mjs';

export const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
export const PASSWORD = 'ett långt lösenord för test';

// base32 (RFC 4648) to bytes.
function base32(s) {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0;
  const out = [];
  for (const ch of s.replace(/[\s=]/g, '').toUpperCase()) {
    value = (value << 5) | abc.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// The TOTP (6 digits, 30 s, SHA-1) of seed at time step.
export function totpAt(seed, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = crypto.createHmac('sha1', base32(seed)).update(msg).digest();
  const o = h[h.length - 1] & 15;
  const n = (h.readUInt32BE(o) & 0x7fffffff) % 1000000;
  return String(n).padStart(6, '0');
}

export const stepNow = () => Math.floor(Date.now() / 1000 / 30);

// Waits until the current 30-second step has at least `margin` seconds
// left and is `margin` seconds old, so a code computed now is judged in
// the same step by the server.
export async function midStep(margin = 3) {
  await waitFor(() => {
    const inStep = (Date.now() / 1000) % 30;
    return inStep >= margin && inStep <= 30 - margin;
  }, { timeoutMs: 40000, intervalMs: 100, what: 'the middle of a TOTP step' });
}

function beratta(s, args) {
  return execFileSync(path.join(BUILD, 'beratta'), ['-c', s.conf, ...args], {
    encoding: 'utf8', timeout: 30000, stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function unit(s, name, kind = 'school', tenant = 'demo') {
  beratta(s, ['unit', 'add', tenant, name, kind]);
}

// An enrolled account: { login, password, seed, recovery: [10 codes] }.
export function account(s, { login, name = login, admin = false, units = [],
  password = PASSWORD, seed = SEED, tenant = 'demo' }) {
  const args = ['staff', 'demo'];
  if (admin) args.push('-a');
  for (const u of units) args.push('-u', u);
  args.push(tenant, login, name, password, seed);
  const out = beratta(s, args);
  const m = /recovery codes: (.*)$/m.exec(out);
  return { login, password, seed, tenant, recovery: m ? m[1].trim().split(/\s+/) : [] };
}

// An account waiting for activation: { login, url } (the link printed).
export function invited(s, { login, name = login, admin = false, units = [], tenant = 'demo' }) {
  const args = ['staff', 'add', '-b', s.base];
  if (admin) args.push('-a');
  for (const u of units) args.push('-u', u);
  args.push(tenant, login, name);
  const out = beratta(s, args);
  const url = out.split('\n').find((l) => l.startsWith('http'));
  return { login, url };
}

export function cli(s, args) {
  return beratta(s, args);
}

// The last TOTP step each account used: the server refuses a step not
// later than the last, so a second login of the same account uses the
// next step (one step of drift is allowed), or waits for one.
const used = new Map();

export async function freshCode(acc) {
  const key = `${acc.tenant}/${acc.login}`;
  for (;;) {
    const now = stepNow();
    const last = used.get(key) ?? -Infinity;
    const step = Math.max(now - 1, last + 1);
    if (step <= now + 1) {
      // A step at the window's edge needs a margin inside the current step.
      if (step !== now) await midStep(2);
      if (stepNow() === now) {
        used.set(key, step);
        return totpAt(acc.seed, step);
      }
      continue;
    }
    await waitFor(() => stepNow() > now, { timeoutMs: 35000, intervalMs: 200, what: 'the next TOTP step' });
  }
}

export class Staff extends Client {
  // GET /staff/ then POST /staff/login with the page's token.
  async password(login, password) {
    const page = await this.get('/staff/');
    return this.post('/staff/login', { csrf: csrfOf(page.text), login, password });
  }

  // The second step with code (a TOTP or a recovery code).
  async factor(code) {
    const page = await this.get('/staff/factor');
    return this.post('/staff/factor', { csrf: csrfOf(page.text) ?? '', code });
  }

  // Password, then a fresh TOTP: the last response (303 to /staff/).
  async loginAs(acc) {
    const r = await this.password(acc.login, acc.password);
    if (r.status !== 303 || r.location !== '/staff/factor') return r;
    return this.factor(await freshCode(acc));
  }

  // The CSRF token of a staff page (GET path first).
  async token(urlPath = '/staff/') {
    const page = await this.get(urlPath);
    return csrfOf(page.text);
  }
}

export function staff(s, opts) {
  return new Staff(s, opts);
}

// prepare() for start(): a second tenant "other" (demo plugin, demo = true)
// reached through a second nginx port, whose requests carry
// BERATTA_TENANT=other.  s.otherPort is its port.
export async function otherTenant(s) {
  s.otherPort = await freePort();
  fs.appendFileSync(s.conf, '\ntenants[#tenants + 1] = { name = "other", ' +
    'hosts = { "other.invalid" }, plugin = "demo", language = "sv", demo = true }\n');
  const conf = fs.readFileSync(s.nginxConf, 'utf8');
  const server = `
  server {
    listen 127.0.0.1:${s.otherPort};
    server_name _;
    location / {
      include /etc/nginx/fastcgi_params;
      fastcgi_param BERATTA_TENANT other;
      fastcgi_keep_conn on;
      fastcgi_pass berattad;
    }
  }
}
`;
  fs.writeFileSync(s.nginxConf, conf.replace(/}\s*$/, server));
}

export function otherBase(s) {
  return `http://127.0.0.1:${s.otherPort}`;
}

// The text of the QR code in an SVG, read back with zbarimg (Debian
// zbar-tools), as a phone would read the printed slip.
export function decodeQr(svg) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'beratta-qr-'));
  try {
    const file = path.join(tmp, 'slip.svg');
    fs.writeFileSync(file, svg);
    const r = spawnSync('zbarimg', ['--nodbus', '-q', '--raw', file], { encoding: 'utf8', timeout: 20000 });
    assert.equal(r.status, 0, `zbarimg reads the slip's SVG: ${r.stderr}`);
    return r.stdout.trim();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
