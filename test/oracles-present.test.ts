/**
 * Several suites skip themselves when an oracle is missing (tshark, the committed captures, the
 * build in dist/ that the .d.ts, inlining and allocation tests read), so
 * that `npm test` still runs on a machine without them. In CI nothing may be skipped that way:
 * the committed captures must be there everywhere, and with CI=true tshark too (.ci/run and
 * scripts/setup.sh install it). A skipped oracle would otherwise pass in silence.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { captureNames } from './capture/fixtures.js';
import { hasTshark } from './capture/tshark.js';

describe('the oracles the suites skip without', () => {
  it('the committed real captures are there', () => {
    for (const name of ['handshakes-linux.pcap', 'http-v4.pcap', 'http-v6.pcap', 'ecn.pcap', 'sack-loss.pcap']) expect(captureNames, name).toContain(name);
  });
  it.runIf(process.env.CI === 'true')('in CI, tshark is installed', () => {
    expect(hasTshark, 'tshark is missing: .ci/run installs it with apt-get').toBe(true);
  });
  it.runIf(process.env.CI === 'true')('in CI, the build is there (npm test builds before it tests)', () => {
    for (const f of ['index.js', 'index.d.ts', 'cli.js']) expect(existsSync(fileURLToPath(new URL(`../dist/${f}`, import.meta.url))), `dist/${f}`).toBe(true);
  });
});
