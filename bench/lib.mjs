// Where the bench loads tcpwire from: the build in dist/ (what `npm run bench`
// just built), or another build directory named by TCPWIRE_BENCH_DIST (to
// compare two builds, or to measure while someone else rebuilds dist/).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const distUrl = process.env.TCPWIRE_BENCH_DIST
  ? pathToFileURL(`${resolve(process.env.TCPWIRE_BENCH_DIST)}/`)
  : new URL('../dist/', import.meta.url);

export const tcpwire = await import(new URL('index.js', distUrl).href);
