import { defineConfig } from 'vitest/config';

// The interop suite: live tests against real stacks and tools (root, network
// namespaces). Run with `npm run test:interop`, which builds first.
export default defineConfig({
  test: {
    include: ['test/interop/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
