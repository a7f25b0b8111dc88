// Mutation testing of tcpwire's core (issue 6): `npm run mutation` (reliability/mutation.mjs)
// runs Stryker once per group of files below and writes docs/MUTATION.md from the JSON reports.
// One group by hand: STRYKER_GROUP=codec npx stryker run
// Slow on two shared cores: concurrency 2, perTest coverage (each mutant runs only the tests
// that reach it). Not run in CI.

/** The core's files, by group. */
export const GROUPS = {
  primitives: ['src/seq.ts', 'src/checksum.ts', 'src/flags.ts', 'src/range.ts', 'src/hex.ts', 'src/address.ts', 'src/pseudo-header.ts'],
  options: ['src/options.ts'],
  decode: ['src/segment.ts', 'src/view.ts'],
  encode: ['src/encode.ts', 'src/json.ts'],
  ip: ['src/ip/*.ts'],
  capture: ['src/capture/pcap.ts', 'src/capture/pcapng.ts', 'src/capture/link.ts', 'src/capture/record.ts', 'src/capture/parser.ts'],
  reader: ['src/capture/reader.ts'],
  handshake: ['src/handshake/*.ts'],
};

const group = process.env.STRYKER_GROUP;
if (group !== undefined && !(group in GROUPS)) throw new Error(`STRYKER_GROUP ${group}: one of ${Object.keys(GROUPS).join(', ')}`);
// The fuzz properties at 1% of CI's size: 10,000 inputs, still enough to kill what they kill.
process.env.TCPWIRE_FUZZ_SCALE ??= '0.01';
// CI's fast-check seed (test/setup/fast-check-seed.ts), so that a run's results can be had again.
process.env.FC_SEED ??= '20261125';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'reliability/vitest.mutation.config.ts' },
  mutate: group === undefined ? Object.values(GROUPS).flat() : GROUPS[group],
  coverageAnalysis: 'perTest',
  // A mutant reached only while modules load (a constant table, a literal evaluated once) would
  // need the whole suite reloaded per mutant: hours here. Those are reported as Ignored and
  // listed in docs/MUTATION.md; mutants also reached inside tests are run with those tests.
  ignoreStatic: true,
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  timeoutMS: 20_000,
  timeoutFactor: 2,
  reporters: ['progress', 'json', 'html', 'clear-text'],
  jsonReporter: { fileName: `reports/mutation/${group ?? 'all'}.json` },
  htmlReporter: { fileName: `reports/mutation/${group ?? 'all'}.html` },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false },
  // Results are kept per group (reports/mutation/GROUP-incremental.json, gitignored): a second run
  // tests again only the mutants whose code or covering tests changed.
  incremental: true,
  incrementalFile: `reports/mutation/${group ?? 'all'}-incremental.json`,
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  ignorePatterns: ['dist', 'coverage', 'reports', 'test-output', 'playground/dist', 'fuzz/.build', 'fuzz/.corpus', 'fuzz/.crashes', 'bench'],
  thresholds: { high: 95, low: 90, break: null },
};
