/**
 * The tcpwire command-line tool (Node only). Each verb lives in its own file
 * under ./commands; this file only dispatches and turns errors into one line.
 */

import { TcpWireError } from '../errors.js';
import { parseArgs } from './args.js';
import { CHECK_HELP, checkCommand } from './commands/check.js';
import { CHECKSUM_HELP, checksumCommand } from './commands/checksum.js';
import { DECODE_HELP, decodeCommand } from './commands/decode.js';
import { DEMO_HELP, demoCommand } from './commands/demo.js';
import { ENCODE_HELP, encodeCommand } from './commands/encode.js';
import { HANDSHAKE_HELP, handshakeCommand } from './commands/handshake.js';
import { SEQ_HELP, seqCommand } from './commands/seq.js';
import type { Verb } from './verb.js';

export const MAIN_HELP = `tcpwire: build and parse real TCP segments, byte for byte

usage: tcpwire <verb> [arguments]   (tcpwire <verb> --help for each)

verbs:
  decode HEX|-           decode a TCP segment: fields, options, annotated hex dump
  decode --pcap FILE|-   decode every TCP segment of a pcap/pcapng capture (--json, --relative)
  encode                 JSON segment on stdin -> hex
  checksum HEX|-         compute and verify the checksum over the pseudo-header
  seq add|diff|cmp A B   sequence arithmetic modulo 2^32
  demo                   decode a real captured Linux SYN, step by step
  handshake              build a three-way handshake byte for byte (--explain, --pcap)
  check FILE|-           find and check every handshake in a pcap/pcapng capture

Exit codes: 0 success, 1 bad input (one line on stderr: code, offset, message),
3 check --strict found a handshake that breaks a rule.`;

const VERBS: Record<string, Verb> = {
  decode: { help: DECODE_HELP, valued: ['src', 'dst', 'pcap'], flags: ['json', 'relative'], run: decodeCommand },
  encode: { help: ENCODE_HELP, valued: ['src', 'dst'], flags: [], run: encodeCommand },
  checksum: { help: CHECKSUM_HELP, valued: ['src', 'dst'], flags: ['json'], run: checksumCommand },
  seq: { help: SEQ_HELP, valued: [], flags: [], run: seqCommand },
  demo: { help: DEMO_HELP, valued: [], flags: [], run: demoCommand },
  handshake: { help: HANDSHAKE_HELP, valued: ['client', 'server', 'isn-client', 'isn-server', 'profile', 'window', 'mss', 'pcap'], flags: ['json', 'explain'], run: handshakeCommand },
  check: { help: CHECK_HELP, valued: [], flags: ['json', 'strict'], run: checkCommand },
};

/** Runs the CLI with `argv` (without node and script). Returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const v = topic === undefined ? undefined : VERBS[topic];
    process.stdout.write(`${v ? v.help : MAIN_HELP}\n`);
    return name === undefined ? 1 : 0;
  }
  if (name === '--version') {
    process.stdout.write('tcpwire 0.1.0\n');
    return 0;
  }
  const verb = VERBS[name];
  try {
    if (verb === undefined) throw new TcpWireError('BAD_INPUT', `unknown verb "${name}" (tcpwire --help lists them)`);
    const args = parseArgs(rest, verb.valued, [...verb.flags, 'help']);
    if (args.options.has('help')) {
      process.stdout.write(`${verb.help}\n`);
      return 0;
    }
    const code = await verb.run(args);
    return typeof code === 'number' ? code : 0;
  } catch (e) {
    if (e instanceof TcpWireError) {
      const at = e.offset >= 0 ? ` at byte ${e.offset}` : '';
      process.stderr.write(`tcpwire: ${e.code}${at}: ${e.message}\n`);
      return 1;
    }
    const err = e as NodeJS.ErrnoException;
    if (err && typeof err.code === 'string' && err.code === 'EPIPE') return 0;
    process.stderr.write(`tcpwire: internal error: ${err?.message ?? String(e)}\n`);
    return 2;
  }
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`tcpwire: internal error: ${String(e)}\n`);
    process.exitCode = 2;
  },
);
