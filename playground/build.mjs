// Builds the playground into playground/dist: main.ts bundled with the library
// straight from src/ (so unused exports are shaken out), the CSS minified, the
// HTML copied. Prints each file's size and the script's gzip size.
//
//   node playground/build.mjs [--no-minify]
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, 'dist');
const minify = !process.argv.includes('--no-minify');

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

await build({
  entryPoints: { main: join(here, 'main.ts'), style: join(here, 'style.css') },
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  minify,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(join(here, 'index.html'), join(outdir, 'index.html'));

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
for (const name of ['index.html', 'main.js', 'style.css']) {
  const bytes = readFileSync(join(outdir, name));
  console.log(`playground/dist/${name.padEnd(10)} ${kib(statSync(join(outdir, name)).size).padStart(9)}  (gzip ${kib(gzipSync(bytes).length)})`);
}
