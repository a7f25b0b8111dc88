import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The live interop suite needs root and network namespaces: vitest.interop.config.ts runs it.
    exclude: [...configDefaults.exclude, 'test/interop/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
