/**
 * fast-check's seed. Locally every run draws a new one, so the properties keep exploring.
 * In CI (CI=true) the seed is fixed unless FC_SEED says otherwise, so a submission is judged
 * on a reproducible run; exploring goes on in local runs and in `npm run fuzz`. Either
 * way a failing property prints its seed and path, and FC_SEED=<seed> replays it.
 */
import fc from 'fast-check';

const CI_SEED = 20261125;
const fromEnv = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
const seed = fromEnv ?? (process.env.CI === 'true' ? CI_SEED : undefined);
if (seed !== undefined && Number.isInteger(seed)) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
