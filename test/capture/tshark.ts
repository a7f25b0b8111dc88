/** Running tshark from tests: is it there, and its fields for a capture. */

import { spawnSync } from 'node:child_process';

export const hasTshark: boolean = spawnSync('tshark', ['-v'], { stdio: 'ignore' }).status === 0;

/** Lines of stderr that are not the harmless "running as root" notice. */
export function realWarnings(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() !== '' && !l.includes('could be dangerous'));
}

/** tshark -T fields for a file: one array of field values per frame, and its warnings. */
export function tsharkFields(path: string, fields: readonly string[], prefs: readonly string[] = []): { rows: string[][]; warnings: string[] } {
  const args = ['-n', '-r', path, ...prefs.flatMap((p) => ['-o', p]), '-T', 'fields', '-E', 'separator=\t', ...fields.flatMap((f) => ['-e', f])];
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  const rows = r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
  return { rows, warnings: realWarnings(r.stderr) };
}
