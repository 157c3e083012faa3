import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/property/**/*.test.ts', 'test/fixtures/**/*.test.ts'],
    pool: 'threads',
    testTimeout: 60000,
  },
});
