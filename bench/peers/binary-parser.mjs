// The declarative peer: test/oracle/binary-parser-tcp.ts (the same parser the
// tests use as an oracle), bundled with esbuild into a temporary module so plain
// Node can import it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export async function loadBinaryParser() {
  try {
    const esbuild = await import('esbuild');
    const entry = fileURLToPath(new URL('../../test/oracle/binary-parser-tcp.ts', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'tcpwire-bench-'));
    const outfile = join(dir, 'binary-parser-tcp.mjs');
    await esbuild.build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile, logLevel: 'error' });
    const mod = await import(pathToFileURL(outfile).href);
    rmSync(dir, { recursive: true, force: true }); // loaded: the file is no longer needed
    const version = JSON.parse(await (await import('node:fs/promises')).readFile(fileURLToPath(new URL('../../node_modules/binary-parser/package.json', import.meta.url)), 'utf8')).version;
    return { parse: mod.parseWithBinaryParser, version };
  } catch (e) {
    return { parse: null, reason: `binary-parser peer could not be built (${e.message})` };
  }
}
