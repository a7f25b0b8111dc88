#!/usr/bin/env node
/**
 * `npm run fuzz [-- TARGET...]`: coverage-guided fuzzing with Jazzer.js (libFuzzer in process).
 *
 * 1. Makes the prebuilt libFuzzer addon load on this glibc (./jazzer-glibc-compat.mjs).
 * 2. Bundles each target in ./targets (TypeScript, importing tcpwire's src/ directly) with esbuild
 *    into one CommonJS file under fuzz/.build/: Jazzer.js instruments code as Node's CommonJS
 *    loader loads it, and the bundle holds tcpwire's code itself (outside node_modules, which
 *    Jazzer leaves uninstrumented), so every branch of the library feeds the coverage guidance.
 * 3. Runs each target for FUZZ_SECONDS (default 30) on its working corpus fuzz/.corpus/TARGET
 *    (gitignored; new interesting inputs land there), seeded from fixtures/fuzz/TARGET
 *    (committed, made by fuzz/make-corpus.mjs). A crash is saved as fuzz/.crashes/TARGET-crash-*
 *    and the run goes on to the next target; the exit code is 1 if any target crashed.
 *
 * Environment: FUZZ_SECONDS (per target), FUZZ_TIMEOUT_MS (per input, default 2000),
 * FUZZ_RSS_MB (libFuzzer's memory limit, default 2048).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const TARGETS = ['decode-segment', 'options', 'pcap', 'pcapng', 'decode-cli'];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const targets = wanted.length > 0 ? wanted : TARGETS;
for (const t of targets) if (!TARGETS.includes(t)) throw new Error(`unknown fuzz target ${t}: one of ${TARGETS.join(', ')}`);
const seconds = Number(process.env.FUZZ_SECONDS ?? 30);
const timeout = Number(process.env.FUZZ_TIMEOUT_MS ?? 2000);
const rss = Number(process.env.FUZZ_RSS_MB ?? 2048);

const compat = spawnSync(process.execPath, [join(here, 'jazzer-glibc-compat.mjs')], { stdio: 'inherit' });
if (compat.status !== 0) process.exit(compat.status ?? 1);

const outdir = join(here, '.build');
await build({
  entryPoints: targets.map((t) => join(here, 'targets', `${t}.ts`)),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outdir,
  outExtension: { '.js': '.cjs' },
  sourcemap: 'inline',
  logLevel: 'warning',
});

const jazzer = join(root, 'node_modules', '@jazzer.js', 'core', 'dist', 'cli.js');
const crashes = join(here, '.crashes');
mkdirSync(crashes, { recursive: true });
const results = [];
for (const t of targets) {
  const corpus = join(here, '.corpus', t);
  mkdirSync(corpus, { recursive: true });
  const seeds = join(root, 'fixtures', 'fuzz', t);
  const dirs = [corpus, ...(existsSync(seeds) ? [seeds] : [])];
  const before = readdirSync(crashes).length;
  console.log(`\n=== fuzz ${t}: ${seconds} s, corpus ${dirs.map((d) => d.slice(root.length + 1)).join(' + ')}`);
  const args = [
    jazzer,
    join(outdir, `${t}.cjs`),
    ...dirs,
    ...(t === 'decode-cli' ? [] : ['--sync']),
    `--timeout=${timeout}`,
    '--',
    `-max_total_time=${seconds}`,
    `-rss_limit_mb=${rss}`,
    `-artifact_prefix=${join(crashes, `${t}-`)}`,
    '-print_final_stats=1',
  ];
  const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });
  const found = readdirSync(crashes).length - before;
  results.push({ target: t, status: r.status, found });
}
console.log('\n=== fuzz summary');
for (const r of results) console.log(`${r.target}: exit ${r.status}${r.found > 0 ? `, ${r.found} crash file(s) in fuzz/.crashes/` : ''}`);
process.exit(results.some((r) => r.status !== 0) ? 1 : 0);
