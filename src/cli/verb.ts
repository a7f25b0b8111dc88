/** What a CLI verb declares: its help text, its options, and what it runs. */

import type { ParsedArgs } from './args.js';

export interface Verb {
  help: string;
  /** Options that take a value. */
  valued: readonly string[];
  /** Options that are on/off. */
  flags: readonly string[];
  /** Returns nothing (exit code 0) or an exit code of its own. */
  run: (args: ParsedArgs) => void | number | Promise<void | number>;
}
