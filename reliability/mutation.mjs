#!/usr/bin/env node
/**
 * `npm run mutation [-- GROUP...]`: Stryker over tcpwire's core, one run per group of files
 * (stryker.config.mjs, GROUPS), then docs/MUTATION.md written from the JSON reports
 * (reports/mutation/GROUP.json). `--summary` only rewrites the summary from the reports there;
 * `--force` runs every mutant again instead of reusing the incremental results.
 *
 * A surviving mutant is either killed by a test (test/mutation-kills/, test/fuzz/) or explained
 * in reliability/equivalent-mutants.json as equivalent: no input can tell it from the original.
 * Slow: 1 to 13 minutes a group on two cores, 49 minutes for all eight (2026-12-07); a rerun
 * reuses the results of unchanged mutants (incremental). Not run in CI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GROUPS } from '../stryker.config.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const summaryOnly = args.includes('--summary');
const groups = args.filter((a) => !a.startsWith('--'));
const selected = groups.length > 0 ? groups : Object.keys(GROUPS);
for (const g of selected) if (!(g in GROUPS)) throw new Error(`unknown group ${g}: one of ${Object.keys(GROUPS).join(', ')}`);

if (!summaryOnly) {
  for (const g of selected) {
    console.log(`\n=== mutation testing: ${g} (${GROUPS[g].join(', ')})`);
    // --force: every mutant again, none of the incremental results reused (after a change Stryker cannot see, such as the seed).
    const run = ['run', 'stryker.config.mjs', ...(args.includes('--force') ? ['--force'] : [])];
    const r = spawnSync(process.execPath, [join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js'), ...run], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, STRYKER_GROUP: g },
    });
    if (r.status !== 0) console.error(`stryker exited ${r.status} for ${g}`);
  }
}

// --- docs/MUTATION.md from the reports ---------------------------------------------------------
const explained = JSON.parse(readFileSync(join(root, 'reliability', 'equivalent-mutants.json'), 'utf8'));
const explain = (file, m) =>
  explained.find(
    (e) => e.file === file && e.line === m.location.start.line && e.mutator === m.mutatorName && (e.replacement === undefined || e.replacement === m.replacement),
  );

const rows = [];
const pct = (a, b) => (b === 0 ? '100.0%' : `${((100 * a) / b).toFixed(1)}%`);
const runs = [];
// The newest test file among those whose tests reach a mutant of the group (Stryker's perTest
// coverage names them): a group whose report is older ran without that version of it. A test
// file that reaches none of the group's mutants cannot change its score.
function newestCoveringTest(report) {
  const fileOf = new Map();
  for (const [file, t] of Object.entries(report.testFiles ?? {})) for (const test of t.tests) fileOf.set(test.id, file);
  const files = new Set();
  for (const f of Object.values(report.files)) for (const m of f.mutants) for (const id of m.coveredBy ?? []) if (fileOf.has(id)) files.add(fileOf.get(id));
  let newest = 0;
  for (const file of files) if (existsSync(join(root, file))) newest = Math.max(newest, statSync(join(root, file)).mtimeMs);
  return newest;
}
const survivors = [];
const ignored = [];
let total = { killed: 0, survived: 0, timeout: 0, noCoverage: 0, ignored: 0, explained: 0 };
for (const g of Object.keys(GROUPS)) {
  const path = join(root, 'reports', 'mutation', `${g}.json`);
  if (!existsSync(path)) {
    rows.push(`| ${g} | (not run yet) | | | | | | |`);
    runs.push(`| ${g} | not run yet | | | | |`);
    continue;
  }
  const report = JSON.parse(readFileSync(path, 'utf8'));
  const when = statSync(path).mtime;
  const newestTest = newestCoveringTest(report);
  const gt = { detected: 0, valid: 0, explained: 0 };
  const mutants = Object.values(report.files).reduce((n, f) => n + f.mutants.length, 0);
  runs.push(null);
  const runIndex = runs.length - 1;
  const runLine = () =>
    `| ${g} | ${when.toISOString().slice(0, 16).replace('T', ' ')} UTC | ${mutants} | ${pct(gt.detected, gt.valid)} | ${pct(gt.detected, gt.valid - gt.explained)} | ${when.getTime() < newestTest ? 'kill tests were added after this run: not counted yet' : 'all current tests'} |`;
  for (const [file, data] of Object.entries(report.files).sort()) {
    const c = { killed: 0, survived: 0, timeout: 0, noCoverage: 0, ignored: 0, explained: 0 };
    for (const m of data.mutants) {
      const s = m.status;
      if (s === 'Killed') c.killed++;
      else if (s === 'Timeout') c.timeout++;
      else if (s === 'Ignored') {
        c.ignored++;
        ignored.push({ file, m });
      } else if (s === 'Survived' || s === 'NoCoverage') {
        const e = explain(file, m);
        // kind "open": a survivor understood but not killed; it still counts as undetected
        if (e && e.kind !== 'open') c.explained++;
        if (s === 'Survived') c.survived++;
        else c.noCoverage++;
        survivors.push({ file, m, why: e === undefined ? undefined : e.kind === 'open' ? `**not killed**: ${e.why}` : e.why });
      }
    }
    for (const k of Object.keys(total)) total[k] += c[k];
    gt.detected += c.killed + c.timeout;
    gt.valid += c.killed + c.timeout + c.survived + c.noCoverage;
    gt.explained += c.explained;
    const detected = c.killed + c.timeout;
    const valid = detected + c.survived + c.noCoverage;
    const score = valid === 0 ? 100 : (100 * detected) / valid;
    const scoreEq = valid - c.explained === 0 ? 100 : (100 * detected) / (valid - c.explained);
    rows.push(
      `| ${g} | ${file} | ${c.killed + c.timeout} | ${c.survived + c.noCoverage} | ${c.explained} | ${c.ignored} | ${score.toFixed(1)}% | ${scoreEq.toFixed(1)}% |`,
    );
  }
  runs[runIndex] = runLine();
}
const detected = total.killed + total.timeout;
const valid = detected + total.survived + total.noCoverage;
const overall = valid === 0 ? 0 : (100 * detected) / valid;
const overallEq = valid - total.explained === 0 ? 0 : (100 * detected) / (valid - total.explained);

const survivorLines = survivors
  .sort((a, b) => a.file.localeCompare(b.file) || a.m.location.start.line - b.m.location.start.line)
  .map(({ file, m, why }) => {
    const where = `${file}:${m.location.start.line}`;
    const what = `${m.mutatorName}${m.replacement !== undefined ? ` → \`${String(m.replacement).replace(/\s+/g, ' ').slice(0, 80)}\`` : ''}`;
    return `- ${where} ${what}${m.status === 'NoCoverage' ? ' (no test reaches it)' : ''}: ${why ?? '**not yet explained or killed**'}`;
  });

const md = `# Mutation testing

\`npm run mutation\` runs [Stryker](https://stryker-mutator.io) 9.5 (vitest runner, \`perTest\`
coverage) over tcpwire's core, one group of files at a time (\`stryker.config.mjs\`), with the tests
listed in \`reliability/vitest.mutation.config.ts\`. Stryker changes one thing in the code (a
condition, an operator, a constant, a branch) and runs the tests that reach it: the mutant is
*killed* when a test fails. A *surviving* mutant is a change no test noticed: either a missing test
(then \`test/mutation-kills/\` has one now) or an *equivalent* mutant, one that no input can tell
from the original; each of those is explained below. This file is written by
\`node reliability/mutation.mjs --summary\` from the JSON reports (\`reports/mutation/\`, not committed).

Score = detected / (detected + undetected), as Stryker counts it (killed and timed-out mutants are
detected; survivors and mutants no test reaches are not). "Without equivalents" leaves out the
explained equivalent mutants, which no test can detect. A survivor marked **not killed** is
understood but has no test yet; it counts as undetected in both scores. A group is marked when a
test file that reaches its mutants (as Stryker's per-test coverage names them) changed after its
last run: its score does not count the change until \`npm run mutation -- GROUP\` runs again
(results of unchanged mutants are reused, so a rerun takes minutes). The property tests run with
CI's fast-check seed (\`FC_SEED\`, set in \`stryker.config.mjs\`), so the same code and tests give
the same result, and \`npm run mutation -- --force\` reruns every mutant.

Tests written for the survivors are in \`test/mutation-kills/\` (one file per part of the core, among
them every error sentence and the handshake module's answers, each held to what its test case put
in: the code, the offset, and the values, fields, bounds and rules the sentence must name; no
snapshots); the equivalent mutants are explained in \`reliability/equivalent-mutants.json\`.

**Overall: ${overall.toFixed(1)}% (${detected} detected of ${valid}); without the ${total.explained} explained equivalent mutants ${overallEq.toFixed(1)}%.**
Ignored (not run, see below): ${total.ignored}.

| group | last run | mutants | score | without equivalents | tests |
| --- | --- | ---: | ---: | ---: | --- |
${runs.join('\n')}

| group | file | detected | undetected | of which equivalent | ignored | score | score without equivalents |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}

## Surviving mutants

${survivorLines.length > 0 ? survivorLines.join('\n') : 'None.'}

## Ignored mutants

Stryker's \`ignoreStatic\`: ${total.ignored} mutants sit in code that runs only while a module loads
(constant tables, literals evaluated once) and in no test. Testing one means reloading the whole
suite for it, hours on two cores; they are left out of the score. Files with ignored mutants:
${[...new Set(ignored.map((i) => i.file))].map((f) => `\`${f}\` (${ignored.filter((i) => i.file === f).length})`).join(', ') || 'none'}.
`;
writeFileSync(join(root, 'docs', 'MUTATION.md'), md);
console.log(`docs/MUTATION.md: overall ${overall.toFixed(1)}%, ${survivors.length} undetected (${total.explained} explained), ${total.ignored} ignored`);
