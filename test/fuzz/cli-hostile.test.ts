/**
 * The CLI on bad input (issue 6), where test/cli and test/capture/cli-pcap.test.ts do not already
 * go: every verb that reads hex, a file or standard input, given invalid hex, odd-length hex, empty
 * input, a missing file or a directory, answers with exit code 1 and one line on stderr
 * ("tcpwire: CODE: message"), nothing on stdout, and no stack trace.
 */

import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin', 'tcpwire.js');
const dir = mkdtempSync(join(tmpdir(), 'tcpwire-hostile-'));
const empty = join(dir, 'empty.pcap');
const garbage = join(dir, 'garbage.pcap');
writeFileSync(empty, new Uint8Array(0));
writeFileSync(garbage, 'not a capture at all\n');

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npx tsup` (npm test builds it first)');
});

function tcpwire(args: string[], input = ''): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [bin, ...args], { cwd: root, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
}

const SYN = 'c35000500000000100000000500220008e6d0000';

describe('bad input on the command line: exit 1, one line, no stack trace', () => {
  it.each([
    ['checksum: invalid hex', ['checksum', '45zz', '--src', '10.0.0.1', '--dst', '10.0.0.2'], '', 'BAD_HEX'],
    ['checksum: odd-length hex', ['checksum', '450', '--src', '10.0.0.1', '--dst', '10.0.0.2'], '', 'BAD_HEX'],
    ['checksum: empty standard input', ['checksum', '-', '--src', '10.0.0.1', '--dst', '10.0.0.2'], '', 'BAD_HEX'],
    ['decode: whitespace on standard input', ['decode', '-'], ' \n\t\n', 'BAD_HEX'],
    ['decode: a non-ASCII character', ['decode', `${SYN.slice(0, 10)}é`], '', 'BAD_HEX'],
    ['decode: hex of 19 bytes', ['decode', SYN.slice(0, 38)], '', 'TRUNCATED'],
    ['decode: no argument at all', ['decode'], '', 'BAD_INPUT'],
    ['decode --pcap: a missing file', ['decode', '--pcap', join(dir, 'missing.pcap')], '', 'BAD_INPUT'],
    ['decode --pcap: a directory', ['decode', '--pcap', dir], '', 'BAD_INPUT'],
    ['decode --pcap: an empty file', ['decode', '--pcap', empty], '', 'TRUNCATED'],
    ['decode --pcap: a text file', ['decode', '--pcap', garbage], '', 'BAD_MAGIC'],
    ['decode --pcap -: empty standard input', ['decode', '--pcap', '-'], '', 'TRUNCATED'],
    ['decode --pcap -: hex on standard input', ['decode', '--pcap', '-'], SYN, 'BAD_MAGIC'],
    ['check: a missing file', ['check', join(dir, 'missing.pcap')], '', 'BAD_INPUT'],
    ['check: a directory', ['check', dir], '', 'BAD_INPUT'],
    ['check: an empty file', ['check', empty], '', 'TRUNCATED'],
    ['check -: empty standard input', ['check', '-'], '', 'TRUNCATED'],
    ['encode: whitespace on standard input', ['encode'], '  \n', 'BAD_INPUT'],
    ['encode: a JSON array', ['encode'], '[1,2]', 'BAD_INPUT'],
    ['encode: a null port', ['encode'], '{"srcPort": null}', 'OUT_OF_RANGE'],
    ['encode: payload of odd-length hex', ['encode'], '{"payload": "abc"}', 'BAD_HEX'],
    ['seq: a negative number', ['seq', 'add', '-1', '1'], '', 'OUT_OF_RANGE'],
  ])('%s', (_, args, input, code) => {
    const r = tcpwire(args as string[], input as string);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^tcpwire: ${code}\\b`));
    expect(r.stderr).not.toMatch(/\n\s+at |Error:|node:internal|internal error/);
  });
});
