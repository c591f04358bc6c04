import { defineConfig } from 'vitest/config';

// Records replay fixtures into test/fixtures/histories/<version>: ORCA_RECORD_HISTORIES=v2 npx vitest run --project record
const recordProject = {
  test: {
    name: 'record',
    include: ['test/record/**/*.record.ts'],
    globalSetup: ['test/integration/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
};

export default defineConfig({
  test: {
    projects: [
      ...(process.env.ORCA_RECORD_HISTORIES ? [recordProject] : []),
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // One dev server per test run; each file runs its own worker on its own task queue.
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
