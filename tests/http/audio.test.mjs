// Recorded read-aloud audio through the real nginx: the question page
// names the file of the plugin that defines it, nginx serves exactly that
// file with an audio type, and nothing else of the plugin folder (its Lua,
// a path that climbs out) is served under /audio/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { start, child, ROOT, BUILD } from './stack.mjs';

let s;
let plugins;

before(async () => {
  s = await start({
    workers: 1,
    threads: 2,
    prepare(st) {
      plugins = path.join(st.dir, 'plugins');
      fs.mkdirSync(plugins);
      fs.cpSync(path.join(ROOT, 'tests', 'fixtures', 'plugins', 'audio'),
        path.join(plugins, 'audio'), { recursive: true });
      // A file next to the plugin folder that must never be reachable.
      fs.writeFileSync(path.join(st.dir, 'private.ogg'), 'not for the web\n');
      let conf = fs.readFileSync(st.conf, 'utf8');
      conf = conf.replace(/^plugin_dir = .*$/m, `plugin_dir = "${plugins}"`);
      conf = conf.replace(/plugin = "[a-z_-]+"/, 'plugin = "audio"');
      fs.writeFileSync(st.conf, conf);
      // nginx serves the same plugin folder as the daemon loads.
      const ngx = fs.readFileSync(st.nginxConf, 'utf8');
      const served = ngx.replace(/alias [^;]*\/plugins\/\$1\/\$2;/, `alias ${plugins}/$1/$2;`);
      assert.notEqual(served, ngx, 'nginx.conf has the /audio/ location');
      fs.writeFileSync(st.nginxConf, served);
    },
  });
});

after(async () => {
  if (s) await s.stop();
});

function invite() {
  return execFileSync(path.join(BUILD, 'beratta'), ['-c', s.conf, 'invite', 'demo'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function audioOf(html) {
  const m = /data-audio="([^"]*)"/.exec(html);
  return m ? m[1] : null;
}

test('the question page names the recorded audio of its language', async () => {
  const c = child(s);
  const r = await c.login(invite());
  assert.equal(r.status, 303);
  const page = await c.page();
  assert.equal(page.status, 200);
  assert.equal(audioOf(page.text), '/audio/audio/sounds/feel.sv.ogg');
  // English has no recording: the button reads with the browser's voice.
  await c.post('/language', { csrf: c.csrf, lang: 'en', next: '/q' });
  const en = await c.page();
  assert.match(en.text, /lang="en"/);
  assert.equal(audioOf(en.text), null);
});

test('nginx serves the file itself, as audio, cacheable', async () => {
  const res = await fetch(`${s.base}/audio/audio/sounds/feel.sv.ogg`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'audio/ogg');
  assert.match(res.headers.get('cache-control') ?? '', /max-age=3600/);
  const body = Buffer.from(await res.arrayBuffer());
  assert.deepEqual(body,
    fs.readFileSync(path.join(plugins, 'audio', 'sounds', 'feel.sv.ogg')));
});

test('nothing but audio files of a plugin is served under /audio/', async () => {
  for (const p of [
    '/audio/audio/init.lua',
    '/audio/audio/sounds/missing.ogg',
    '/audio/audio/../private.ogg',
    '/audio/audio/%2e%2e/private.ogg',
    '/audio/audio/..%2f..%2fprivate.ogg',
    '/audio/../private.ogg',
    '/audio/Audio/sounds/feel.sv.ogg',
  ]) {
    const res = await fetch(s.base + p);
    const text = await res.text();
    assert.notEqual(res.status, 200, `${p} is not served`);
    assert.doesNotMatch(text, /not for the web|return \{/, `${p} shows no file`);
  }
});
