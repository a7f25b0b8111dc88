/**
 * TcpView's hot path is fast only while V8 inlines reset(), the option lookup and the getters
 * into the caller's loop (src/view.ts says how it is written for that). V8 decides by bytecode
 * size: a function of at most `--max-inlined-bytecode-size-small` bytes is always inlined, one
 * over `--max-inlined-bytecode-size` never, and a caller takes about
 * `--max-inlined-bytecode-size-cumulative` bytes in all. This test reads those limits from the
 * running engine (`node --v8-options`) and the sizes from its own bytecode of the built library
 * (`--print-bytecode`), so an edit that pushes a getter or reset() over a limit fails here, not
 * only in `npm run bench`. It measures no time.
 */

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

function v8Default(flag: string): number {
  const out = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
  const m = new RegExp(`default: --${flag}=(\\d+)`).exec(out);
  if (!m) throw new Error(`node --v8-options does not list --${flag}`);
  return Number(m[1]);
}

// Runs every function once, so V8 compiles (and prints) its bytecode.
const script = `
const { TcpView } = await import(${JSON.stringify(dist)});
const b = new Uint8Array(40);
b[12] = 0xa0;
b.set([2, 4, 5, 180, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7], 20);
const v = new TcpView(b);
v.reset(b, 0, 40);
globalThis.sink = [v.srcPort, v.dstPort, v.seq, v.ack, v.flagBits, v.window, v.payloadLength, v.mss, v.windowShift, v.tsval, v.tsecr, v.hasTimestamps, v.findOption(5)];
`;

function bytecodeLength(name: string): number {
  const r = spawnSync(process.execPath, ['--print-bytecode', `--print-bytecode-filter=${name}`, '--input-type=module', '-e', script], { encoding: 'utf8' });
  const m = /Bytecode length: (\d+)/.exec(r.stdout);
  if (!m) throw new Error(`no bytecode printed for ${name}: ${r.stderr}`);
  return Number(m[1]);
}

const GETTERS = ['srcPort', 'dstPort', 'seq', 'ack', 'window', 'payloadLength', 'mss', 'windowShift', 'tsval', 'tsecr', 'hasTimestamps'];

describe.runIf(existsSync(dist))("TcpView's hot path fits V8's inlining limits", () => {
  const small = v8Default('max-inlined-bytecode-size-small');
  const single = v8Default('max-inlined-bytecode-size');
  const cumulative = v8Default('max-inlined-bytecode-size-cumulative');

  it('every getter a loop reads is small enough to be inlined always (uint32 results stay unboxed)', () => {
    for (const g of GETTERS) expect(bytecodeLength(`get ${g}`), g).toBeLessThanOrEqual(small);
  });

  it('reset() and the option lookup each fit one inlining, and together with the getters of the bench loop fit one caller', () => {
    const reset = bytecodeLength('reset');
    const find = bytecodeLength('findOptions');
    expect(reset).toBeLessThanOrEqual(single);
    expect(find).toBeLessThanOrEqual(single);
    const loop = reset + find + bytecodeLength('findOption') + bytecodeLength('get flagBits') + GETTERS.reduce((s, g) => s + bytecodeLength(`get ${g}`), 0);
    // V8 keeps a fifth of a candidate's size in reserve when it weighs it: leave that room too.
    expect(loop + 0.2 * find).toBeLessThanOrEqual(cumulative);
  });
});
