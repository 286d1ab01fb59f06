import assert from 'node:assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import yaml from 'js-yaml';
import { recordedSettingsDefaults } from '../../src/engine/bundle';
import { DEFAULTS_FILE, defaultSettings, loadSettings, MAX_RETENTION_DAYS, settingsPath } from '../../src/engine/settings';
import schema from '../../src/engine/settings.schema.json';
import { ConfigError } from '../../src/errors';

let dir: string;

function load(text: string | Buffer): ReturnType<typeof loadSettings> {
  const file = path.join(dir, 'settings.yaml');
  fs.writeFileSync(file, text);
  return loadSettings(file);
}

/** The settings error for a settings text, without the file name. */
function refusal(text: string | Buffer): string {
  try {
    load(text);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message.replace(`${path.join(dir, 'settings.yaml')}`, 'FILE');
  }
  return assert.fail(`accepted: ${String(text)}`);
}

describe('settings', () => {
  it('takes the defaults recorded at build time, which are data.yaml as parsed now', () => {
    const parsed = yaml.load(fs.readFileSync(DEFAULTS_FILE, 'utf8'), { schema: yaml.CORE_SCHEMA });
    assert.deepEqual(recordedSettingsDefaults(), parsed, 'build/manifest.json records the defaults (scripts/policy-manifest.js)');
    assert.deepEqual(defaultSettings(), { ...(parsed as object), waivers: [] });
    const first = defaultSettings();
    first.cloudtrail.required_resource_types.push('changed by a caller');
    assert.ok(!defaultSettings().cloudtrail.required_resource_types.includes('changed by a caller'), 'each call gets its own copy');
  });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-settings-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('retention days: whole numbers from 1 to the maximum, min at most max', () => {
    const bounds = `must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}`;
    for (const value of ['.inf', '-.inf', '.nan', '1e400', '-3', '0', '2.5', '"30"', `${MAX_RETENTION_DAYS + 1}`, 'true', '[30]']) {
      it(`refuses min_days: ${value}, naming the key`, () => {
        assert.equal(refusal(`retention:\n  min_days: ${value}\n`), `settings file FILE: key retention.min_days: ${bounds}`);
      });
    }

    it('refuses the same for max_days, which may also be null (no upper bound)', () => {
      assert.equal(refusal('retention:\n  max_days: .inf\n'), `settings file FILE: key retention.max_days: ${bounds}, or null`);
      assert.equal(load('retention:\n  min_days: 1\n  max_days: null\n').retention.max_days, null);
      assert.deepEqual(load(`retention:\n  min_days: ${MAX_RETENTION_DAYS}\n  max_days: ${MAX_RETENTION_DAYS}\n`).retention, { min_days: MAX_RETENTION_DAYS, max_days: MAX_RETENTION_DAYS });
    });

    it('refuses min_days above max_days, also above the default max_days', () => {
      assert.equal(refusal('retention:\n  min_days: 400\n  max_days: 30\n'), 'settings file FILE: key retention.min_days: 400 is above retention.max_days 30');
      assert.equal(refusal('retention:\n  min_days: 600\n'), 'settings file FILE: key retention.min_days: 600 is above retention.max_days 540 (the default)');
    });

    it('keeps the schema and the documented maximum the same', () => {
      const retention = schema.properties.retention.properties;
      assert.equal(retention.min_days.maximum, MAX_RETENTION_DAYS);
      assert.equal(retention.max_days.maximum, MAX_RETENTION_DAYS);
    });
  });

  it('refuses a waiver reason of blanks, or short once the blanks are left out', () => {
    const waiver = (reason: string) => `waivers:\n  - rule: CS-004\n    resource: x\n    reason: ${JSON.stringify(reason)}\n    expires: "2099-01-01"\n`;
    const message = 'settings file FILE: key waivers[0].reason: give a reason of at least 10 characters (blanks do not count)';
    assert.equal(refusal(waiver(' '.repeat(40))), message);
    assert.equal(refusal(waiver('\t\n  \u00a0 '.repeat(5))), message);
    assert.equal(refusal(waiver('     short     ')), message);
    assert.equal(load(waiver('  ten chars!  ')).waivers[0].reason, '  ten chars!  ');
  });

  describe('hostile files: one line, exit 2, nothing written anywhere else', () => {
    it('refuses YAML nested 100 000 levels deep, in a sentence', () => {
      const depth = 100_000;
      assert.equal(refusal(`severities: ${'['.repeat(depth)}${']'.repeat(depth)}\n`), 'settings file FILE nests too deeply to be settings');
      assert.equal(refusal(`severities: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`), 'settings file FILE nests too deeply to be settings');
    });

    it('refuses __proto__ and constructor keys and leaves Object.prototype untouched', () => {
      const cases: [string, RegExp][] = [
        ['__proto__:\n  polluted: yes\n', /unknown key __proto__$/],
        ['constructor:\n  prototype:\n    polluted: yes\n', /unknown key constructor$/],
        ['retention:\n  __proto__:\n    polluted: yes\n', /unknown key retention\.__proto__$/],
        ['severities:\n  __proto__: high\n', /key severities\.__proto__: not a rule id \(like CS-004\)$/],
        ['severities:\n  constructor: high\n', /key severities\.constructor: not a rule id/],
        ['waivers:\n  - __proto__: {polluted: yes}\n', /unknown key waivers\[0\]\.__proto__$/],
      ];
      for (const [text, message] of cases) assert.match(refusal(text), message, text);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.deepEqual(Object.keys(Object.prototype), []);
    });

    it('refuses a file that is not UTF-8 text', () => {
      assert.equal(refusal(Buffer.from([0x73, 0x65, 0x76, 0xff, 0xfe, 0x3a, 0x0a])), 'settings file FILE is not UTF-8 text');
    });

    it('says what is wrong with an unreadable settings path in words, not an error code', () => {
      assert.throws(() => loadSettings(dir), /^ConfigError: cannot read settings file .*: is a directory, expected a file$/);
      assert.throws(() => loadSettings(path.join(dir, 'missing.yaml')), /: no such file or directory$/);
    });
  });

  describe('./.sescheck.yaml', () => {
    it('is read when present, and skipped only when there is nothing at that name', () => {
      assert.equal(settingsPath(undefined, dir), undefined);
      fs.writeFileSync(path.join(dir, '.sescheck.yaml'), 'severities: {}\n');
      assert.equal(settingsPath(undefined, dir), path.join(dir, '.sescheck.yaml'));
    });

    it('as a dangling symlink is an error naming it, never silently skipped', () => {
      fs.symlinkSync('gone.yaml', path.join(dir, '.sescheck.yaml'));
      const file = settingsPath(undefined, dir);
      assert.equal(file, path.join(dir, '.sescheck.yaml'));
      assert.throws(() => loadSettings(file), (error: unknown) => error instanceof ConfigError && error.message === `settings file ${file} is a symbolic link to gone.yaml, which does not exist`);
    });
  });
});
