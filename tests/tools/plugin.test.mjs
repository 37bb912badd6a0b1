// The plugin authors' tools: `beratta plugin check|graph|dump|po`, run as
// built (BERATTA_BUILD, else ./build) on the fixtures in
// tests/fixtures/plugins (check-* break one rule each; layer-* exercise
// every extension step) and on the demo plugin.  The tools read no
// configuration; the Lua runtime is BERATTA_LUA_DIR, else ./lua (two
// tests leave it out: the build tree's binary finds ./lua by itself, a copy
// elsewhere does not).  Whatever a test writes goes to a temporary copy,
// never into the tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD = process.env.BERATTA_BUILD
  ? path.resolve(process.env.BERATTA_BUILD)
  : path.join(ROOT, 'build');
const BERATTA = path.join(BUILD, 'beratta');
const LUA_DIR = process.env.BERATTA_LUA_DIR
  ? path.resolve(process.env.BERATTA_LUA_DIR)
  : path.join(ROOT, 'lua');
const FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'plugins');
const DOT = '/usr/bin/dot';

// Runs beratta with args in cwd (the fixtures by default); returns
// { code, out, err, lines } (lines: stdout's non-empty lines).
function run(args, { cwd = FIXTURES, env = {} } = {}) {
  const r = spawnSync(BERATTA, args, {
    cwd,
    encoding: 'utf8',
    timeout: 30000,
    env: { ...process.env, BERATTA_LUA_DIR: LUA_DIR, ...env },
  });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout, err: r.stderr, lines: r.stdout.split('\n').filter(Boolean) };
}

const check = (dir, opts) => run(['plugin', 'check', dir], opts);

function dump(dir, opts) {
  const r = run(['plugin', 'dump', dir], opts);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out);
}

// "plugin/file.lua:N" for the nth line of a fixture file holding snippet.
function at(rel, snippet, nth = 1, base = FIXTURES) {
  const lines = fs.readFileSync(path.join(base, rel), 'utf8').split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].includes(snippet) && ++seen === nth) return `${rel}:${i + 1}`;
  }
  throw new Error(`${rel}: no line ${nth} with ${snippet}`);
}

// The report line that starts with "where: " and holds fragment.
function lineWith(r, fragment) {
  return r.lines.find((l) => l.includes(fragment));
}

// A temporary folder holding copies of the named plugins (from the
// fixtures, or from plugins/ for 'demo'); removed by the returned cleanup.
function copies(...names) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beratta-tools-'));
  for (const n of names) {
    const from = n === 'demo' ? path.join(ROOT, 'plugins', 'demo') : path.join(FIXTURES, n);
    fs.cpSync(from, path.join(dir, n), { recursive: true });
  }
  return { dir, done: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function write(dir, rel, text) {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
}

function versionOf(r) {
  const l = r.lines.find((x) => x.startsWith('version: '));
  return l && l.slice('version: '.length);
}

// Fills every empty msgstr of a PO text (not the header's) with fill(key).
function fillPo(text, fill) {
  const lines = text.split('\n');
  let ctx = null;
  for (let i = 0; i < lines.length; i++) {
    const m = /^msgctxt "(.*)"$/.exec(lines[i]);
    if (m) ctx = m[1];
    if (lines[i] === 'msgstr ""' && ctx !== null && !(lines[i + 1] || '').startsWith('"')) {
      lines[i] = `msgstr "${fill(ctx)}"`;
      ctx = null;
    }
  }
  return lines.join('\n');
}

function msgfmtCheck(file) {
  return spawnSync('msgfmt', ['--check', '-o', '/dev/null', file], { encoding: 'utf8' });
}

// ---------------------------------------------------------------------
// check

test('check: the demo plugin has no error and all its languages at 100%', () => {
  const r = check(path.join(ROOT, 'plugins', 'demo'));
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /^coverage sv: 100% \((\d+)\/\1\)/m);
  assert.match(r.out, /^coverage en: 100% \((\d+)\/\1\)/m);
  assert.match(r.out, /^coverage ar: 100% \((\d+)\/\1\)/m);
  assert.match(r.out, /^coverage fa: 100% \((\d+)\/\1\)/m);
  assert.match(r.lines.at(-1), /^0 errors, \d+ warnings?$/);
});

test('check: a condition on an unknown question is an error at the condition', () => {
  const r = check('check-unknown-cond');
  assert.equal(r.code, 1);
  assert.ok(r.lines.includes(`${at('check-unknown-cond/init.lua', 'question = "home_adlut"')}: `
    + 'error: home_talk when: condition names unknown question home_adlut'), r.out);
});

test('check: an extension step on an unknown question is an error in the layer', () => {
  const r = check('check-step-unknown');
  assert.equal(r.code, 1);
  assert.ok(r.lines.includes(`${at('check-step-unknown/init.lua', 'move = "home_adlut"')}: `
    + 'error: layer 2 steps[2]: unknown question id home_adlut'), r.out);
});

test('check: a duplicate question id is an error at its second definition', () => {
  const r = check('check-dupid');
  assert.equal(r.code, 1);
  assert.ok(r.lines.includes(`${at('check-dupid/init.lua', 'id = "feel"', 2)}: `
    + 'error: feel: duplicate question id feel'), r.out);
});

test('check: a follow-up under an option its question lacks is unreachable', () => {
  const r = check('check-unreachable');
  assert.equal(r.code, 1);
  assert.ok(r.lines.includes(`${at('check-unreachable/init.lua', 'equals = "maybe"')}: `
    + 'error: home_adult followups[1]: never true: home_adult has no option maybe'), r.out);
  const l = lineWith(r, 'home_adult_who: unreachable');
  assert.ok(l && l.startsWith(`${at('check-unreachable/init.lua', 'id = "home_adult_who"')}: error: `), r.out);
});

test('check: a number condition above the maximum is never true', () => {
  const r = check('check-never-number');
  assert.equal(r.code, 1);
  const l = lineWith(r, 'never true: at_least 8 > max 7');
  assert.ok(l && l.startsWith('check-never-number/init.lua:') && l.includes(': error: '), r.out);
  const u = lineWith(r, 'sleep_why: unreachable');
  assert.ok(u && u.startsWith(`${at('check-never-number/init.lua', 'id = "sleep_why"')}: error: `), r.out);
});

test("check: an option without a text in the set's language is an error", () => {
  const r = check('check-option-text');
  assert.equal(r.code, 1);
  assert.ok(r.lines.includes(`${at('check-option-text/init.lua', 'id = "sometimes"')}: error: `
    + "friends_break.sometimes: option has no text in sv (the set's language)"), r.out);
});

test("check: an option's problem is placed at the option under its own question", () => {
  const t = copies();
  try {
    write(t.dir, 'opts/init.lua', `return { id = "opts", language = "sv", areas = { { id = "a", title = "A",
  questions = {
    { id = "p", type = "single", text = "P", options = { { id = "yes", text = "Ja" }, { id = "no", text = "Nej" } } },
    { id = "q", type = "single", text = "Q", options = {
        { id = "yes", text = "Ja" },
        { id = "no", text = { en = "No" } } } },
  } } } }
`);
    const r = check(path.join(t.dir, 'opts'));
    assert.equal(r.code, 1);
    assert.ok(r.lines.includes(`${at('opts/init.lua', '{ id = "no", text = { en', 1, t.dir)}: error: `
      + "q.no: option has no text in sv (the set's language)"), r.out);
  } finally {
    t.done();
  }
});

test('check: an invalid ICU message in a translation is an error at its line', () => {
  const r = check('check-icu');
  assert.equal(r.code, 1);
  const l = lineWith(r, 'family_count: invalid ICU message (en)');
  assert.ok(l && l.startsWith(`${at('check-icu/translations/en.lua', '["family_count"]')}: error: `), r.out);
});

test('check: a named ICU argument is an error (the C API takes positional ones)', () => {
  const r = check('check-icu');
  assert.equal(r.code, 1);
  const l = lineWith(r, 'family_named: invalid ICU message (sv): named argument {count}');
  assert.ok(l && l.startsWith(`${at('check-icu/init.lua', '{count}')}: error: `), r.out);
  assert.equal(lineWith(r, 'invalid ICU message (en): named'), undefined, 'a positional {0} is fine');
});

test('check: plural, select, quoted braces and apostrophes are valid ICU messages', () => {
  const valid = ["Don't know", 'It\'\'s', '{0}', '{0,number}', '{0,plural,one{# syskon} other{# syskon}}',
    '{0,select,a{x} other{y}}', "'{'not an argument'}'", "a '{count}' b", '{0,choice,0#none|1#one}'];
  const t = copies();
  try {
    const qs = valid.map((v, i) => `{ id = "q${i}", type = "info", text = ${JSON.stringify(v)} },`);
    write(t.dir, 'icu/init.lua', `return { id = "icu", language = "sv", areas = { { id = "a", title = "A",
  questions = {\n${qs.join('\n')}\n} } } }\n`);
    const r = check(path.join(t.dir, 'icu'));
    assert.equal(r.code, 0, r.out);
    assert.equal(r.lines.at(-1), '0 errors, 0 warnings');
  } finally {
    t.done();
  }
});

test('check: plugins do not see the runtime\'s icu table', () => {
  const t = copies();
  try {
    write(t.dir, 'peek/init.lua', `return { id = icu == nil and "hidden" or "seen", language = "sv",
  areas = { { id = "a", title = "A", questions = { { id = "q", type = "info", text = "Hej" } } } } }\n`);
    assert.equal(dump(path.join(t.dir, 'peek')).id, 'hidden');
  } finally {
    t.done();
  }
});

test('check: a scoring rule on an unknown option is an error at the rule', () => {
  const r = check('check-rules');
  assert.equal(r.code, 1);
  assert.ok(r.lines.includes(`${at('check-rules/init.lua', '"terrible"')}: `
    + 'error: scoring[1]: never true: school_like has no option terrible'), r.out);
});

test('check: an alert rule on an unknown option is an error at the rule', () => {
  const r = check('check-rules');
  assert.equal(r.code, 1);
  assert.ok(r.lines.includes(`${at('check-rules/init.lua', '"awful"')}: `
    + 'error: alerts[1]: never true: school_like has no option awful'), r.out);
});

test('check: incomplete coverage is a warning naming the missing keys', () => {
  const r = check('check-coverage');
  assert.equal(r.code, 0, r.out);
  assert.ok(r.lines.includes('coverage sv: 100% (6/6)'), r.out);
  assert.ok(r.lines.includes('coverage en: 50% (3/6); missing: home_adult, home_adult.hint, '
    + 'home_adult.dad'), r.out);
  assert.equal(r.lines.at(-1), '0 errors, 1 warning');
});

test('check: at most 20 missing keys are named, then how many more', () => {
  const t = copies();
  try {
    const qs = Array.from({ length: 25 }, (_, i) =>
      `{ id = "q${String(i + 1).padStart(2, '0')}", type = "info", text = { sv = "Text ${i + 1}" } },`);
    write(t.dir, 'many/init.lua', `return { id = "many", language = "sv", languages = { "sv", "en" },
  areas = { { id = "a", title = { sv = "A", en = "A" }, questions = {\n${qs.join('\n')}\n} } } }\n`);
    const r = check(path.join(t.dir, 'many'));
    assert.equal(r.code, 0, r.out);
    const names = Array.from({ length: 20 }, (_, i) => `q${String(i + 1).padStart(2, '0')}`);
    assert.ok(r.lines.includes(`coverage en: 4% (1/26); missing: ${names.join(', ')} and 5 more`), r.out);
  } finally {
    t.done();
  }
});

test('check: a condition on a question asked later is a warning', () => {
  const r = check('check-later');
  assert.equal(r.code, 0, r.out);
  assert.ok(r.lines.includes(`${at('check-later/init.lua', 'id = "home_talk"')}: warning: `
    + 'home_talk when: condition looks at home_worry, which is asked later'), r.out);
});

test("check: a follow-up whose age bands exclude its parent's is a warning", () => {
  const r = check('check-ages');
  assert.equal(r.code, 0, r.out);
  const l = lineWith(r, 'home_party: unreachable for every child whose age is known');
  assert.ok(l && l.startsWith(`${at('check-ages/init.lua', 'id = "home_party"')}: warning: `), r.out);
});

test('check: problems are sorted by file and line, counted on the last line', () => {
  for (const d of fs.readdirSync(FIXTURES).filter((n) => n.startsWith('check-'))) {
    const r = check(d);
    const placed = r.lines.map((l) => /^([^:\s]+):(\d+): (error|warning): /.exec(l)).filter(Boolean);
    for (let i = 1; i < placed.length; i++) {
      const [a, b] = [placed[i - 1], placed[i]];
      assert.ok(a[1] < b[1] || (a[1] === b[1] && Number(a[2]) <= Number(b[2])), `${d}:\n${r.out}`);
    }
    const errors = r.lines.filter((l) => / error: /.test(l)).length;
    const m = /^(\d+) errors?, (\d+) warnings?$/.exec(r.lines.at(-1));
    assert.ok(m, `${d}: last line ${r.lines.at(-1)}`);
    assert.equal(Number(m[1]), errors, `${d}:\n${r.out}`);
    assert.equal(r.code, errors > 0 ? 1 : 0, d);
  }
});

test('check: the translation status is shown with the coverage', () => {
  const r = check('layer-steps');
  assert.equal(r.code, 0, r.out);
  assert.ok(r.lines.includes('coverage en: 100% (28/28); translation: reviewed'), r.out);
  assert.match(r.out, /^coverage fa: 7% \(2\/28\); missing: .* and 6 more; translation: machine$/m);
});

test('check: a plugin that does not load is an error naming file and line', () => {
  const r = check('broken');
  assert.equal(r.code, 1);
  assert.match(r.err, /broken\/init\.lua:4:/);
});

test('check: needs no configuration', () => {
  const r = check('layer-base', { env: { BERATTA_CONFIG: '/nonexistent/beratta.conf.lua' } });
  assert.equal(r.code, 0, r.out + r.err);
});

test('check: --lua-dir names the runtime when BERATTA_LUA_DIR is wrong', () => {
  const r = run(['plugin', 'check', '--lua-dir', LUA_DIR, 'layer-base'],
    { env: { BERATTA_LUA_DIR: '/nonexistent' } });
  assert.equal(r.code, 0, r.out + r.err);
});

test('check: without a Lua runtime it says where it looked', () => {
  const r = check('layer-base', { env: { BERATTA_LUA_DIR: '/nonexistent' } });
  assert.equal(r.code, 1);
  assert.match(r.err, /no Lua runtime in \/nonexistent/);
});

// As the README says, from a clone: build/beratta with no BERATTA_LUA_DIR
// (and no --lua-dir) uses the Lua runtime of the tree it was built from,
// not an installed one; a copy elsewhere (an installed binary) never does.
function withoutLuaDir() {
  const env = { ...process.env };
  delete env.BERATTA_LUA_DIR;
  return env;
}

test('check: run from its build tree, the tool finds its own Lua runtime', () => {
  const r = spawnSync(BERATTA, ['plugin', 'check', 'plugins/standard'], {
    cwd: ROOT, encoding: 'utf8', timeout: 60000, env: withoutLuaDir(),
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^0 errors, \d+ warnings?$/m);
  const help = spawnSync(BERATTA, ['plugin', '--help'], { encoding: 'utf8', env: withoutLuaDir() });
  assert.ok(help.stdout.includes(`${path.join(ROOT, 'lua')}, as run from its build tree`), help.stdout);
});

test('check: a copy of the binary outside the build tree does not use the build tree', () => {
  const t = copies();
  try {
    const copy = path.join(t.dir, 'beratta');
    fs.copyFileSync(BERATTA, copy);
    fs.chmodSync(copy, 0o755);
    const help = spawnSync(copy, ['plugin', '--help'], { encoding: 'utf8', env: withoutLuaDir() });
    assert.equal(help.status, 0, help.stderr);
    assert.ok(!help.stdout.includes(path.join(ROOT, 'lua')), help.stdout);
    const r = spawnSync(copy, ['plugin', 'check', 'layer-base'], {
      cwd: FIXTURES, encoding: 'utf8', timeout: 30000, env: withoutLuaDir(),
    });
    assert.ok(!r.stderr.includes(path.join(ROOT, 'lua')), r.stderr);
  } finally {
    t.done();
  }
});

test('check: a missing folder argument is a usage error', () => {
  const r = run(['plugin', 'check']);
  assert.equal(r.code, 2);
  assert.match(r.err, /usage: beratta plugin check/);
});

test('plugin --help lists every tool', () => {
  const r = run(['plugin', '--help']);
  assert.equal(r.code, 0);
  for (const c of ['check', 'graph', 'dump', 'po export', 'po import']) {
    assert.match(r.out, new RegExp(`^  ${c} `, 'm'));
  }
});

// ---------------------------------------------------------------------
// versions

test('version: the same across two loads', () => {
  const a = versionOf(check('layer-base'));
  const b = versionOf(check('layer-base'));
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.equal(a, b);
});

test('version: a changed text changes it', () => {
  const t = copies('layer-base');
  try {
    const before = versionOf(check(path.join(t.dir, 'layer-base')));
    assert.equal(before, versionOf(check('layer-base')), 'a copy elsewhere has the same version');
    const f = path.join(t.dir, 'layer-base', 'init.lua');
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('Har ni husdjur?', 'Har ni ett husdjur?'));
    const after = versionOf(check(path.join(t.dir, 'layer-base')));
    assert.match(after, /^[0-9a-f]{64}$/);
    assert.notEqual(after, before);
  } finally {
    t.done();
  }
});

test('version: not printed for a set with errors', () => {
  assert.equal(versionOf(check('check-dupid')), undefined);
});

test('version: the daemon serves the demo under the version check prints', async () => {
  const { start } = await import('../http/stack.mjs');
  const version = versionOf(check(path.join(ROOT, 'plugins', 'demo')));
  const s = await start({ workers: 1, threads: 1 });
  try {
    const m = /tenant demo: question set ([0-9a-f]{12})/.exec(s.log());
    assert.ok(m, s.log());
    assert.equal(m[1], version.slice(0, 12));
  } finally {
    await s.stop();
  }
});

// ---------------------------------------------------------------------
// layers: every step, seen through dump

test('layer: add puts a question after one, before one and at the end of an area', () => {
  const d = dump('layer-steps');
  const byId = Object.fromEntries(d.order.map((q) => [q.id, q]));
  assert.equal(byId.school_lunch.type, 'yesno');
  assert.deepEqual(d.areas.find((a) => a.id === 'school').questions, ['school_like', 'school_last']);
  assert.ok(byId.home_first && byId.school_last);
  assert.equal(d.texts.school_lunch.sv, 'Äter du skollunch?');
});

test('layer: add_area puts the area after the one named', () => {
  const d = dump('layer-steps');
  assert.deepEqual(d.areas.map((a) => a.id), ['home', 'local', 'school']);
  assert.deepEqual(d.texts['area.local'], { sv: 'Här', en: 'Here', fa: 'اینجا' });
});

test('layer: remove takes out a question and a whole area', () => {
  const d = dump('layer-steps');
  const ids = d.order.map((q) => q.id);
  for (const gone of ['home_pets', 'school_lunch_old', 'free_screen']) assert.ok(!ids.includes(gone), gone);
  assert.ok(!d.areas.some((a) => a.id === 'free'));
  assert.equal(d.texts.home_pets, undefined);
});

test('layer: move puts questions before, after and into another area, in asking order', () => {
  const d = dump('layer-steps');
  assert.deepEqual(d.order.map((q) => q.id), ['home_adult', 'home_feel', 'home_worry', 'home_first',
    'local_park', 'school_lunch', 'school_like', 'school_last']);
  assert.deepEqual(d.areas.map((a) => a.questions), [['home_adult', 'home_feel', 'home_first'],
    ['local_park', 'school_lunch'], ['school_like', 'school_last']]);
  const lunch = d.order.find((q) => q.id === 'school_lunch');
  assert.equal(lunch.area, 'local');
  const worry = d.order.find((q) => q.id === 'home_worry');
  assert.equal(worry.parent, 'home_feel');
});

test('layer: reword changes a text and an option, keeping the other languages', () => {
  const base = dump('layer-base');
  const d = dump('layer-steps');
  assert.equal(base.texts.home_feel.sv, 'Hur är det hemma?');
  assert.equal(d.texts.home_feel.sv, 'Hur har du det hemma?');
  assert.equal(d.texts.home_feel.en, 'How is it at home?');
  assert.deepEqual(d.texts['home_feel.bad'], { sv: 'Inte bra', en: 'Bad' });
});

test("layer: reword of an area changes its title", () => {
  const d = dump('layer-steps');
  assert.deepEqual(d.texts['area.school'], { sv: 'Skolan', en: 'School' });
});

test("layer: rescore changes an option's weight", () => {
  const base = dump('layer-base');
  const d = dump('layer-steps');
  const bad = (x) => x.order.find((q) => q.id === 'school_like').options.find((o) => o.id === 'bad');
  assert.equal(bad(base).risk, 1);
  assert.equal(bad(d).risk, 3);
  assert.ok(d.rules.some((r) => r.area === 'school' && r.risk === 3 && r.when === 'school_like: equals bad'));
});

test("layer: languages replace the base's list", () => {
  assert.deepEqual(dump('layer-base').languages, ['sv', 'en']);
  assert.deepEqual(dump('layer-steps').languages, ['sv', 'en', 'fa']);
});

test("layer: name is merged by language", () => {
  assert.deepEqual(dump('layer-steps').name, { sv: 'Lager', en: 'Base' });
});

test("layer: branding is merged by key", () => {
  assert.deepEqual(dump('layer-steps').branding, { logo: 'base.svg', colors: { accent: '#7a3e8e' } });
});

test("layer: help replaces the base's contacts", () => {
  assert.deepEqual(dump('layer-steps').help,
    [{ name: { sv: 'Kommunen', en: 'The municipality' }, phone: '123 45' }]);
});

test("layer: translation_status is merged by language", () => {
  assert.deepEqual(dump('layer-steps').translation_status, { en: 'reviewed', fa: 'machine' });
});

test("layer: the layer's translations are merged into the texts", () => {
  const d = dump('layer-steps');
  assert.equal(d.texts.home_feel.fa, 'حال شما در خانه چطور است؟');
  assert.equal(d.texts.home_adult.fa, undefined);
});

test("layer: the layer's alerts are added to the base's", () => {
  const d = dump('layer-steps');
  assert.deepEqual(d.alerts.map((a) => [a.id, a.when]), [['no_lunch', 'school_lunch: equals no']]);
});

test('layer: a layer can extend a layer', () => {
  const d = dump('layer-top');
  assert.deepEqual(d.order.map((q) => q.id), ['home_adult', 'home_feel', 'home_worry',
    'local_park', 'school_lunch', 'school_like', 'school_last']);
  assert.deepEqual(d.name, { sv: 'Lager', en: 'Top' });
  assert.equal(d.id, 'layer_steps');
});

test('dump --canonical prints the canonical form', () => {
  const r = run(['plugin', 'dump', '--canonical', 'layer-base']);
  assert.equal(r.code, 0);
  assert.match(r.out, /^return \{\["alerts"\]=/);
});

// ---------------------------------------------------------------------
// graph

test('graph: a cluster per area and a node per question', () => {
  const r = run(['plugin', 'graph', 'layer-steps']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^digraph "layer_steps" \{/);
  for (const a of ['home', 'local', 'school']) assert.match(r.out, new RegExp(`subgraph "cluster_${a}" \\{`));
  assert.match(r.out, /"home_feel" \[label="home_feel \(faces\)\\nHur har du det hemma\?"\];/);
  assert.match(r.out, /"home_adult" -> "home_feel";/);
});

test('graph: a follow-up edge is dashed and labelled with its condition', () => {
  const r = run(['plugin', 'graph', path.join(ROOT, 'plugins', 'demo')]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /"home_feel" -> "home_worry" \[style=dashed, label="any of: bad, very_bad"\];/);
  const l = run(['plugin', 'graph', 'layer-base']);
  assert.match(l.out, /"home_feel" -> "home_worry" \[style=dashed, label="equals bad"\];/);
});

test('graph: conditions in words: age, not, another question, function', () => {
  const t = copies();
  try {
    write(t.dir, 'conds/init.lua', `return { id = "conds", language = "sv", areas = { { id = "a", title = "A",
  questions = {
    { id = "p", type = "yesno", text = "P?", followups = {
      { when = { age = { "6-9", "10-12" } }, questions = { { id = "c1", type = "info", text = "1" } } },
      { when = { ["not"] = { equals = "yes" } }, questions = { { id = "c2", type = "info", text = "2" } } },
      { when = function(answers) return answers.p ~= nil end,
        questions = { { id = "c3", type = "info", text = "3" } } },
    } },
    { id = "r", type = "yesno", text = "R?", when = { question = "p", equals = "no" } },
  } } } }
`);
    const r = run(['plugin', 'graph', path.join(t.dir, 'conds')]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /"p" -> "c1" \[style=dashed, label="age: 6-9, 10-12"\];/);
    assert.match(r.out, /"p" -> "c2" \[style=dashed, label="not \(equals yes\)"\];/);
    assert.match(r.out, /"p" -> "c3" \[style=dashed, label="function"\];/);
    assert.match(r.out, /"r" \[label="r \(yesno\)\\nR\?\\nwhen: p: equals no"\];/);
  } finally {
    t.done();
  }
});

test('graph: a long text is shortened and quotes are escaped', () => {
  const r = run(['plugin', 'graph', 'check-po']);
  assert.equal(r.code, 0, r.err);
  const m = /"home_feel" \[label="(.*)"\];/.exec(r.out);
  assert.ok(m, r.out);
  // At most 40 characters of text, the last one an ellipsis.
  assert.equal(m[1], 'home_feel (faces)\\nHur är det \\"hemma\\" – just nu? Tänk på d…');
});

test('graph: -o FILE.svg draws with dot, or writes FILE.dot and says graphviz is missing', () => {
  const t = copies();
  try {
    const svg = path.join(t.dir, 'demo.svg');
    const r = run(['plugin', 'graph', '-o', svg, path.join(ROOT, 'plugins', 'demo')]);
    assert.equal(r.code, 0, r.err);
    if (fs.existsSync(DOT)) {
      assert.match(fs.readFileSync(svg, 'utf8'), /<svg/);
    } else {
      assert.ok(!fs.existsSync(svg));
      assert.match(fs.readFileSync(path.join(t.dir, 'demo.dot'), 'utf8'), /^digraph "demo"/);
      assert.match(r.err, /graphviz is not installed/);
    }
    assert.deepEqual(fs.readdirSync(t.dir).filter((f) => /XXXXXX|\.svg\.|\.dot\./.test(f)), [],
      'no temporary file is left');
  } finally {
    t.done();
  }
});

test('graph: -o FILE.dot writes the DOT there', () => {
  const t = copies();
  try {
    const out = path.join(t.dir, 'g.dot');
    const r = run(['plugin', 'graph', '-o', out, 'layer-base']);
    assert.equal(r.code, 0, r.err);
    assert.equal(fs.readFileSync(out, 'utf8'), run(['plugin', 'graph', 'layer-base']).out);
  } finally {
    t.done();
  }
});

// ---------------------------------------------------------------------
// po

test('po export: msgfmt --check accepts the catalogue, escapes and long lines too', () => {
  const t = copies();
  try {
    for (const [dir, lang] of [['check-po', 'en'], [path.join(ROOT, 'plugins', 'demo'), 'fa']]) {
      const r = run(['plugin', 'po', 'export', dir, lang]);
      assert.equal(r.code, 0, r.err);
      const f = path.join(t.dir, `${lang}.po`);
      fs.writeFileSync(f, r.out);
      const m = msgfmtCheck(f);
      assert.equal(m.status, 0, m.stderr);
      assert.equal(m.stderr, '', 'no warning either');
    }
  } finally {
    t.done();
  }
});

test('po export: key in msgctxt, the set language in msgid, what it is in a comment', () => {
  const r = run(['plugin', 'po', 'export', 'check-po', 'en']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^"Language: en\\n"$/m);
  assert.match(r.out, /^"Content-Type: text\/plain; charset=UTF-8\\n"$/m);
  assert.match(r.out, /#\. question home_feel \(faces\)\nmsgctxt "home_feel"\nmsgid ""\n"Hur är det \\"hemma\\" – just nu\?\\n"\n/);
  assert.match(r.out, /#\. option bad of question home_feel \(faces\)\nmsgctxt "home_feel.bad"\nmsgid "Dåligt"\nmsgstr "Bad"\n/);
  assert.match(r.out, /#\. hint of question home_feel \(faces\)\nmsgctxt "home_feel.hint"\n/);
  assert.match(r.out, /msgctxt "alert.home_bad.guidance"\nmsgid "Prata med barnet i dag."\nmsgstr ""\n/);
  for (const l of r.out.split('\n')) assert.ok([...l].length <= 79, `wrapped: ${l}`);
});

test('po export: an existing translation is in msgstr', () => {
  const r = run(['plugin', 'po', 'export', 'layer-steps', 'fa']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /msgctxt "home_feel"\nmsgid "Hur har du det hemma\?"\nmsgstr "حال شما در خانه چطور است؟"\n/);
});

test('po export: a language code that is not one is a usage error', () => {
  const r = run(['plugin', 'po', 'export', 'layer-base', 'Persian']);
  assert.equal(r.code, 2);
});

test('po round trip: translated by marker, imported, the language is at 100%', () => {
  const t = copies('demo');
  try {
    const dir = path.join(t.dir, 'demo');
    const po = run(['plugin', 'po', 'export', dir, 'so']);
    assert.equal(po.code, 0, po.err);
    const file = path.join(t.dir, 'so.po');
    fs.writeFileSync(file, fillPo(po.out, (key) => `[so] ${key}`));
    assert.equal(msgfmtCheck(file).status, 0);
    const r = run(['plugin', 'po', 'import', dir, file]);
    assert.equal(r.code, 0, r.out + r.err);
    const tr = fs.readFileSync(path.join(dir, 'translations', 'so.lua'), 'utf8');
    assert.match(tr, /^-- so\.lua: generated by beratta plugin po import from so\.po\./);
    assert.match(tr, /Do not edit by hand/);
    assert.match(tr, /\["home_feel"\] = "\[so\] home_feel",/);
    assert.match(r.out, /^(\d+) texts imported, 0 unknown, 0 untranslated$/m);
    assert.match(r.out, /^hint: demo\/init\.lua does not use it yet: add "so" to languages, and translations = \{ so = require "translations\.so" \}$/m);
    const init = path.join(dir, 'init.lua');
    let src = fs.readFileSync(init, 'utf8').replace(/languages = \{([^}]*)\},/, 'languages = {$1, "so" },');
    src = /translations = \{/.test(src)
      ? src.replace(/translations = \{/, 'translations = {\n    so = require "translations.so",')
      : src.replace(/(languages = \{[^}]*\},)/, '$1\n  translations = { so = require "translations.so" },');
    fs.writeFileSync(init, src);
    const c = check(dir);
    assert.equal(c.code, 0, c.out);
    assert.match(c.out, /^coverage so: 100% \((\d+)\/\1\)/m);
    const d = dump(dir);
    assert.equal(d.texts['home_feel.bad'].so, '[so] home_feel.bad');
    assert.doesNotMatch(run(['plugin', 'po', 'import', dir, file]).out, /^hint:/m,
      'no hint once init.lua uses the file');
  } finally {
    t.done();
  }
});

test('po round trip: quotes, backslashes, tabs and line breaks survive gettext tools', () => {
  const t = copies('check-po');
  try {
    const dir = path.join(t.dir, 'check-po');
    const file = path.join(t.dir, 'en.po');
    fs.writeFileSync(file, run(['plugin', 'po', 'export', dir, 'en']).out);
    // msgen copies each msgid into an empty msgstr, re-wrapping as gettext does.
    const filled = spawnSync('msgen', ['-o', file, file], { encoding: 'utf8' });
    assert.equal(filled.status, 0, filled.stderr);
    const r = run(['plugin', 'po', 'import', dir, file]);
    assert.equal(r.code, 0, r.err);
    const init = path.join(dir, 'init.lua');
    fs.writeFileSync(init, fs.readFileSync(init, 'utf8').replace('alerts = {',
      'translations = { en = require "translations.en" },\n  alerts = {'));
    const d = dump(dir);
    assert.equal(d.texts.home_feel.en, d.texts.home_feel.sv);
    assert.match(d.texts.home_feel.en, /"hemma".*\n.*\t.*C:\\mapp\\fil\.$/s);
    assert.equal(check(dir).code, 0);
  } finally {
    t.done();
  }
});

const PO_HEAD = `msgid ""
msgstr ""
"Language: fa\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
`;

test('po import: a key the set does not know is a warning and left out', () => {
  const t = copies('demo');
  try {
    const file = path.join(t.dir, 'fa.po');
    fs.writeFileSync(file, `${PO_HEAD}
msgctxt "home_feel"
msgid "Hur har du det hemma just nu?"
msgstr "X"

msgctxt "no_such_question"
msgid "Finns inte"
msgstr "Y"
`);
    const r = run(['plugin', 'po', 'import', path.join(t.dir, 'demo'), file]);
    assert.equal(r.code, 0, r.err);
    assert.ok(r.lines.includes(`${at('fa.po', 'msgctxt "no_such_question"', 1, t.dir)}: warning: `
      + 'no_such_question: unknown text (not in the set); left out'), r.out);
    assert.match(r.out, /^1 text imported, 1 unknown, \d+ untranslated$/m);
    const tr = fs.readFileSync(path.join(t.dir, 'demo', 'translations', 'fa.lua'), 'utf8');
    assert.match(tr, /\["home_feel"\] = "X",/);
    assert.doesNotMatch(tr, /no_such_question/);
  } finally {
    t.done();
  }
});

test('po import: fuzzy entries are not imported', () => {
  const t = copies('demo');
  try {
    const file = path.join(t.dir, 'fa.po');
    fs.writeFileSync(file, `${PO_HEAD}
#, fuzzy
msgctxt "home_feel"
msgid "Hur har du det hemma just nu?"
msgstr "Gissning"

msgctxt "home_adult"
msgid "Finns det en vuxen hemma som lyssnar på dig?"
msgstr "Säker"
`);
    const r = run(['plugin', 'po', 'import', path.join(t.dir, 'demo'), file]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^1 text imported, 0 unknown, \d+ untranslated \(1 fuzzy, not imported\)$/m);
    const tr = fs.readFileSync(path.join(t.dir, 'demo', 'translations', 'fa.lua'), 'utf8');
    assert.match(tr, /\["home_adult"\] = "Säker",/);
    assert.doesNotMatch(tr, /Gissning/);
  } finally {
    t.done();
  }
});

test('po import: obsolete entries are not imported', () => {
  const t = copies('demo');
  try {
    const file = path.join(t.dir, 'fa.po');
    fs.writeFileSync(file, `${PO_HEAD}
msgctxt "home_adult"
msgid "Finns det en vuxen hemma som lyssnar på dig?"
msgstr "Säker"

#~ msgctxt "home_feel"
#~ msgid "Hur har du det hemma just nu?"
#~ msgstr "Gammal"
`);
    const r = run(['plugin', 'po', 'import', path.join(t.dir, 'demo'), file]);
    assert.equal(r.code, 0, r.err);
    const tr = fs.readFileSync(path.join(t.dir, 'demo', 'translations', 'fa.lua'), 'utf8');
    assert.doesNotMatch(tr, /Gammal/);
    assert.match(r.out, /^1 text imported, 0 unknown/m);
  } finally {
    t.done();
  }
});

test('po import: a catalogue without a Language header is refused', () => {
  const t = copies('demo');
  try {
    const file = path.join(t.dir, 'x.po');
    fs.writeFileSync(file, 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n');
    const r = run(['plugin', 'po', 'import', path.join(t.dir, 'demo'), file]);
    assert.equal(r.code, 1);
    assert.match(r.err, /Language/);
    assert.deepEqual(fs.readdirSync(path.join(t.dir, 'demo', 'translations')).sort(), ['ar.lua', 'fa.lua'],
      'nothing written');
  } finally {
    t.done();
  }
});

test('po import: a malformed catalogue is refused with its line', () => {
  const t = copies('demo');
  try {
    const file = path.join(t.dir, 'fa.po');
    fs.writeFileSync(file, `${PO_HEAD}\nmsgctxt "home_feel"\nmsgid "Hur"\nmsgstr "oops\n`);
    const r = run(['plugin', 'po', 'import', path.join(t.dir, 'demo'), file]);
    assert.equal(r.code, 1);
    assert.match(r.err, /fa\.po:8: a quoted string was expected/);
  } finally {
    t.done();
  }
});
