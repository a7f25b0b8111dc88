/** A small argument parser: `--flag`, `--key value`, `--key=value` and positionals. */

import { TcpWireError } from '../errors.js';

export interface ParsedArgs {
  positional: string[];
  options: Map<string, string | true>;
}

/**
 * Parses `argv` against the known option names. `valued` names take a value.
 * @throws {TcpWireError} `BAD_INPUT` for an unknown option or a missing value.
 */
export function parseArgs(argv: readonly string[], valued: readonly string[], boolean: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (valued.includes(name)) {
        const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
        if (value === undefined) throw new TcpWireError('BAD_INPUT', `option --${name} needs a value`);
        options.set(name, value);
      } else if (boolean.includes(name) && eq < 0) {
        options.set(name, true);
      } else {
        throw new TcpWireError('BAD_INPUT', `unknown option --${name} (see --help)`);
      }
    } else if (a === '-h') {
      options.set('help', true);
    } else {
      positional.push(a);
    }
  }
  return { positional, options };
}

/** The string value of an option, if given. */
export function optString(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  return typeof v === 'string' ? v : undefined;
}
