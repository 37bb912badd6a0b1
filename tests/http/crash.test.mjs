// Crash safety: under a running answer load, workers are killed with
// SIGKILL again and again and the master once.  Every answer that got a
// success response must be in the database, the database must be intact,
// the service must come back by itself (the master under a supervisor, as
// systemd runs it: doc/berattad.service), and no request may hang.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, child, isAlive, waitFor } from './stack.mjs';

const CHILDREN = 10;
const SECONDS = 6;
let s;

before(async () => {
  s = await start({ workers: 2, threads: 4, supervised: true });
});

after(async () => {
  if (s) await s.stop();
});

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

test('SIGKILL of workers and of the master under load loses no acknowledged answer', { timeout: 120000 }, async () => {
  const codes = s.invite(CHILDREN, 'crash');
  const kids = [];
  for (let i = 0; i < CHILDREN; i++) {
    const c = child(s, { timeoutMs: 10000 });
    const r = await c.login(codes[i]);
    assert.equal(r.status, 303);
    assert.equal((await c.get('/q')).status, 200);
    // home_feel bad opens the free-text follow-up home_worry, which each
    // child then answers again and again with a unique text.
    assert.equal((await c.answer('home_feel', 'bad')).status, 303);
    assert.equal((await c.get('/q')).status, 200);
    kids.push({ c, i, acked: [], failed: 0, hung: 0 });
  }
  const stopAt = Date.now() + SECONDS * 1000;
  const load = kids.map(async (k) => {
    let n = 0;
    while (Date.now() < stopAt) {
      const text = `barn ${k.i} svar ${n++}`;
      try {
        const r = await k.c.answer('home_worry', text);
        if (r.status === 303) {
          k.acked.push(text);
        } else {
          k.failed++;
          // After a failure the page (and its CSRF token) may be stale.
          try { await k.c.get('/q?id=home_worry'); } catch { /* retried next round */ }
          await sleep(20);
        }
      } catch (e) {
        if (e.name === 'TimeoutError') k.hung++;
        k.failed++;
        await sleep(20);
      }
    }
  });
  let killedWorkers = 0;
  let killedMaster = false;
  const firstMaster = s.masterPid;
  const killer = (async () => {
    while (Date.now() < stopAt - 500) {
      await sleep(400);
      if (!killedMaster && Date.now() > stopAt - SECONDS * 500) {
        process.kill(s.masterPid, 'SIGKILL');
        killedMaster = true;
        continue;
      }
      const pids = s.workerPids();
      if (pids.length > 0) {
        try { process.kill(pids[0], 'SIGKILL'); killedWorkers++; } catch { /* gone already */ }
      }
    }
  })();
  await Promise.all([...load, killer]);
  const acked = kids.reduce((a, k) => a + k.acked.length, 0);
  const failed = kids.reduce((a, k) => a + k.failed, 0);
  const hung = kids.reduce((a, k) => a + k.hung, 0);
  process.stdout.write(`# ${acked} answers acknowledged, ${failed} failed during kills, ${hung} hung; `
    + `${killedWorkers} workers and ${killedMaster ? 1 : 0} master killed\n`);
  assert.ok(killedMaster && killedWorkers >= 5, 'the kills happened');
  assert.ok(acked > CHILDREN, 'answers were acknowledged');
  assert.equal(hung, 0, 'no request waited forever');

  // The service came back by itself: a new master and its workers.
  await waitFor(() => s.masterPid && s.masterPid !== firstMaster && isAlive(s.masterPid)
    && s.workerPids().length === 2, { timeoutMs: 20000, what: 'a new master with 2 workers' });
  const again = child(s);
  assert.equal((await again.get('/')).status, 200, 'the start page answers again');

  // Every acknowledged answer is stored.
  const stored = new Set(s.db(`SELECT value FROM answers WHERE question = 'home_worry';`).split('\n'));
  const missing = [];
  for (const k of kids) {
    for (const text of k.acked) if (!stored.has(`t:${text}`)) missing.push(text);
  }
  assert.deepEqual(missing, [], 'every acknowledged answer is in the database');
  // One current answer per child, the last one acknowledged or a later one.
  for (const k of kids) {
    const cur = s.db(`SELECT a.value FROM answers a JOIN responses r ON r.id = a.response_id
      JOIN invitations i ON i.id = r.invitation_id
      WHERE i.label = 'crash' AND a.question = 'home_worry' AND a.replaced_at IS NULL
      AND a.value LIKE 't:barn ${k.i} svar %';`).split('\n').filter(Boolean);
    assert.equal(cur.length, 1, `child ${k.i} has one current answer`);
  }
  assert.equal(s.db('PRAGMA integrity_check;'), 'ok');
});
