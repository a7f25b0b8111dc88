import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs, once per mutant (npm run mutation): for each group of source files
 * (STRYKER_GROUP, see stryker.config.mjs), the unit tests of that part of the core, the fuzz
 * properties at 1% of CI's size (TCPWIRE_FUZZ_SCALE) and the kill tests of test/mutation-kills.
 *
 * Never run here: tests that run the built CLI in a subprocess (dist/ is not mutated), the browser
 * test, the live interop suite, and the
 * heaviest whole-capture tests (cut at every byte, relative numbers and the fast scanner over every
 * capture, 100,000-run codec laws), whose rules the fuzz properties check on every mutant too.
 * On two shared cores each of those would cost hours across all mutants.
 */
// test/perf's *-fast tests hold each fast path to a plain reference implementation: no timing in them.
const CODEC = [
  'test/core/*.test.ts',
  'test/perf/{address,checksum,flags,segment,view}-fast.test.ts',
  'test/fuzz/segment.fuzz.test.ts',
  'test/fuzz/text.fuzz.test.ts',
  'test/fuzz/regressions.test.ts',
  'test/fuzz/hostile-encoder.test.ts',
];
const CAPTURE = [
  'test/capture/{synthetic,variants,tshark-agreement,pcap-writer}.test.ts',
  'test/core/captures.test.ts',
  'test/fuzz/capture.fuzz.test.ts',
  'test/fuzz/hostile-capture.test.ts',
];
const BY_GROUP: Record<string, string[]> = {
  primitives: CODEC,
  options: CODEC,
  decode: CODEC,
  encode: CODEC,
  ip: ['test/fuzz/ip.fuzz.test.ts', 'test/fuzz/hostile-encoder.test.ts', ...CAPTURE],
  capture: CAPTURE,
  reader: CAPTURE,
  handshake: ['test/handshake/*.test.ts', 'test/fuzz/text.fuzz.test.ts'],
};
const group = process.env.STRYKER_GROUP ?? '';

export default defineConfig({
  test: {
    include: [...(BY_GROUP[group] ?? ['test/**/*.test.ts']), 'test/mutation-kills/*.test.ts'],
    // fast-check's seed as in CI (stryker.config.mjs sets FC_SEED): a mutant the properties kill
    // in one run is killed in the next, and FC_SEED replays a run. Without it every run drew its
    // own seed, and a mutant the properties met only by chance survived one run in several.
    setupFiles: ['test/setup/fast-check-seed.ts'],
    exclude: [
      ...configDefaults.exclude,
      'test/interop/**',
      'test/playground/**',
      'test/perf/json-bytes-fast.test.ts',
      'test/cli/**',
      'test/fuzz/cli-hostile.test.ts',
      'test/oracle/**',
      'test/demo.test.ts',
      'test/readme.test.ts',
      'test/handshake/cli.test.ts',
      'test/handshake/cli-check.test.ts',
      'test/capture/cli-pcap.test.ts',
      'test/capture/damaged.test.ts',
      'test/capture/relative.test.ts',
      'test/capture/scan.test.ts',
      'test/core/properties.test.ts',
    ],
    passWithNoTests: true,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
