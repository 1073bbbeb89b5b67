import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/msw-setup.ts', 'test/setup/reach-probe.ts'],
    // Generous: on a busy machine a healthy test can take many times its quiet-machine time.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
