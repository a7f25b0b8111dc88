/**
 * How many runs each fuzz property makes. The numbers in the test files are CI's (together
 * at least 10^6 inputs); TCPWIRE_FUZZ_SCALE multiplies them (0.01 for a quick look, and for
 * Stryker, which runs the suite once per mutant).
 */
export const FUZZ_SCALE = Number(process.env.TCPWIRE_FUZZ_SCALE ?? '1');

/** `n` runs, scaled, at least 1. */
export function runs(n: number): number {
  return Math.max(1, Math.round(n * (Number.isFinite(FUZZ_SCALE) && FUZZ_SCALE > 0 ? FUZZ_SCALE : 1)));
}
