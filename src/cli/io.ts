/** Node-only input and output helpers for the CLI. */

import { readFileSync, statSync } from 'node:fs';
import { TcpWireError } from '../errors.js';

/** Reads all of standard input as text. */
export async function readStdinText(): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads standard input as bytes. */
export async function readStdinBytes(): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
  const b = Buffer.concat(chunks);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * Reads a whole file as bytes, with a one-line error for a missing file or a directory.
 * @throws {TcpWireError} `BAD_INPUT`.
 */
export function readFileBytes(path: string): Uint8Array {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new TcpWireError('BAD_INPUT', `cannot read ${path}: no such file`);
  }
  if (isDir) throw new TcpWireError('BAD_INPUT', `cannot read ${path}: it is a directory, not a file`);
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Writes a line to standard output. */
export function out(line: string): void {
  process.stdout.write(`${line}\n`);
}
