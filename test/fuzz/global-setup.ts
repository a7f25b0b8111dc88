/**
 * vitest globalSetup: clears the fuzz counts before the run and prints their sum after it
 * (see ./report.ts). When every fuzz file ran, the sum must reach 10^6 (issue 6).
 */

import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COUNTS_DIR } from './report.js';
import { FUZZ_SCALE } from './scale.js';

export const FUZZ_MINIMUM = 1_000_000;

export function setup(): void {
  rmSync(COUNTS_DIR, { recursive: true, force: true });
}

export function teardown(): void {
  if (!existsSync(COUNTS_DIR)) return;
  const files = readdirSync(COUNTS_DIR).filter((f) => f.endsWith('.json'));
  let total = 0;
  const parts: string[] = [];
  for (const f of files) {
    const { file, total: n } = JSON.parse(readFileSync(new URL(f, COUNTS_DIR), 'utf8')) as { file: string; total: number };
    total += n;
    parts.push(`${file} ${n}`);
  }
  const suite = readdirSync(fileURLToPath(new URL('.', import.meta.url))).filter((f) => f.endsWith('.fuzz.test.ts')).length;
  console.log(`\nfuzz total: ${total} generated inputs in ${files.length} of ${suite} fuzz files (${parts.join(', ')})`);
  // (only at CI's size: npm run coverage and Stryker scale the properties down on purpose)
  if (files.length === suite && FUZZ_SCALE === 1 && total < FUZZ_MINIMUM) {
    throw new Error(`the fuzz properties generated ${total} inputs, fewer than ${FUZZ_MINIMUM}`);
  }
}
