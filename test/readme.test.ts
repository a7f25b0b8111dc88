// Every ```js block in README.md runs as written (importing 'tcpwire' by its own
// package name, so the built package is what is tested) and prints what its
// `// prints:` comments say.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1] as string);

describe('README examples', () => {
  it('has examples to run', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });
  blocks.forEach((code, i) => {
    it(`example ${i + 1} prints what it says`, () => {
      const expected = [...code.matchAll(/^\s*\/\/ prints: (.*)$/gm)].map((m) => (m[1] as string).trim());
      expect(expected.length).toBeGreaterThan(0);
      const dir = join(root, 'test-output');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `readme-example-${i + 1}.mjs`);
      writeFileSync(file, code);
      const r = spawnSync(process.execPath, [file], { cwd: root, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout.trim().split('\n')).toEqual(expected);
    });
  });
});
