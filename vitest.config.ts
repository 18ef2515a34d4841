import { defineConfig } from 'vitest/config';

// Three projects: pure unit tests (once), and the integration suites on embedded PGlite and on the
// PostgreSQL server. Files named *.pg.test.ts (races, several processes) only make sense on the server.
const integration = ['test/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts'] } },
      {
        test: {
          name: 'pglite',
          include: integration,
          exclude: ['test/**/*.pg.test.ts'],
          env: { ORDO_TEST_DB: 'pglite' },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'postgres',
          include: integration,
          env: { ORDO_TEST_DB: 'postgres' },
          globalSetup: ['test/support/global-setup-postgres.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
