/**
 * The published type declarations (dist/*.d.ts, built by tsup) type-check in a consumer's strict
 * project with isolatedModules and skipLibCheck off: nothing in them names a declaration the
 * bundle left out (the layout's const enums, say), and the layout's constants keep their
 * literal types. Found when a mask declared as `= Word12.FLAGS_MASK` named an enum the
 * bundled .d.ts did not carry.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

describe.runIf(existsSync(join(root, 'dist', 'index.d.ts')))('the published .d.ts', () => {
  it('type-checks in a strict isolatedModules consumer, for both entries and both module kinds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcpwire-dts-'));
    try {
      const body = (from: string, node: string) => `
import { FIELD, FLAG, FLAGS_MASK, HEADER_LEN, OPTION_KIND, OPTION_LEN, RESERVED_MASK, TcpView, decodeSegment } from ${JSON.stringify(from)};
import { openCapture } from ${JSON.stringify(node)};
const seq: 4 = FIELD.SEQ;
const mask: 0x01ff = FLAGS_MASK;
const header: 20 = HEADER_LEN;
const reserved: 0x0e00 = RESERVED_MASK;
const kinds: number[] = [OPTION_KIND.MSS, OPTION_LEN.TIMESTAMPS, FLAG.SYN];
const view: TcpView = new TcpView(new Uint8Array(20));
export const all = [seq, mask, header, reserved, kinds, view.nextOption(-1), decodeSegment, openCapture];
`;
      writeFileSync(join(dir, 'esm.mts'), body(join(root, 'dist', 'index.js'), join(root, 'dist', 'node.js')));
      writeFileSync(join(dir, 'cjs.cts'), body(join(root, 'dist', 'index.cjs'), join(root, 'dist', 'node.cjs')));
      const r = spawnSync(
        process.execPath,
        [tsc, '--strict', '--isolatedModules', '--skipLibCheck', 'false', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', '--typeRoots', join(root, 'node_modules', '@types'), '--noEmit', join(dir, 'esm.mts'), join(dir, 'cjs.cts')],
        { encoding: 'utf8' },
      );
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
