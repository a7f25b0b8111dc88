/**
 * Each fuzz test file records what it generated in test-output/fuzz-counts/<file>.json
 * (and prints it); test/fuzz/global-setup.ts adds the files up at the end of the run and
 * prints the total, so a reader of CI's output sees how many inputs were tried.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import type { FuzzStats } from './invariants.js';

export const COUNTS_DIR = new URL('../../test-output/fuzz-counts/', import.meta.url);

/**
 * Writes and prints a file's counts: `generated` distinct inputs (each may go through several
 * targets), and per target the calls made, the slowest call and the error codes seen.
 */
export function reportStats(file: string, generated: number, targets: Record<string, FuzzStats>): number {
  const total = generated;
  const lines: string[] = [];
  const json: Record<string, { inputs: number; returned: number; threw: number; slowestMs: number; codes: Record<string, number> }> = {};
  for (const [name, s] of Object.entries(targets)) {
    json[name] = { inputs: s.inputs, returned: s.returned, threw: s.threw, slowestMs: s.slowestMs, codes: Object.fromEntries(s.codes) };
    lines.push(
      `  ${name}: ${s.inputs} calls (${s.returned} decoded, ${s.threw} TcpWireError), slowest call ${s.slowestMs.toFixed(1)} ms`,
    );
  }
  mkdirSync(COUNTS_DIR, { recursive: true });
  writeFileSync(new URL(`${file}.json`, COUNTS_DIR), JSON.stringify({ file, total, targets: json }, null, 1));
  console.log(`fuzz ${file}: ${total} generated inputs\n${lines.join('\n')}`);
  return total;
}

/** The bound every single call must stay under: generous, so that a loaded machine never makes it flaky. */
export const CALL_BUDGET_MS = 1000;
