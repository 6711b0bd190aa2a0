/**
 * A real PostgreSQL for one test file: `const pg = pgForThisFile()` at the top level starts a throwaway
 * cluster before the file's tests and removes it after. No mocks.
 */
import { afterAll, beforeAll } from 'vitest';
import { startCluster, type ClusterOptions, type PgCluster } from '../../bench/pg-cluster.ts';

export { startCluster, type PgCluster };

/** Test clusters skip fsync: a crash of the machine is not what these tests are about. */
const TEST_SETTINGS = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };

export function pgForThisFile(options: ClusterOptions = {}): { get: () => PgCluster } {
  let cluster: PgCluster | null = null;
  beforeAll(async () => {
    cluster = await startCluster({ ...options, settings: { ...TEST_SETTINGS, ...options.settings } });
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);
  return {
    get: () => {
      if (!cluster) throw new Error('the PostgreSQL cluster is not running (pgForThisFile() must be called at the top of the test file)');
      return cluster;
    },
  };
}
