import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The portable library (index: no Node built-ins, runs in browsers, Deno and Bun)
    // and tcpwire/node (files and streams), built together so the code they share sits
    // in one chunk: a TcpWireError from either entry is the same class.
    entry: { index: 'src/index.ts', node: 'src/node.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: true,
    target: 'es2022',
    platform: 'neutral',
    external: [/^node:/],
  },
  {
    // The Node-only command-line tool.
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
]);
