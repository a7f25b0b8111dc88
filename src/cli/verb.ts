/** What a CLI verb declares: its help text, its options, and what it runs. */

import type { ParsedArgs } from './args.js';

export interface Verb {
  help: string;
  /** Options that take a value. */
  valued: readonly string[];
  /** Options that are on/off. */
  flags: readonly string[];
  run: (args: ParsedArgs) => void | Promise<void>;
}
