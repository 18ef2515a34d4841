import { PostgresDialect, PostgresDriver, type DatabaseConnection, type Driver, type QueryResult, type CompiledQuery } from 'kysely';

/**
 * The end of a statement that also commits its transaction: `DO …;\nCOMMIT` sent as one simple-protocol
 * message (StatementBatch.flush with `commit`). The transaction's last writes and its commit then cost one
 * round trip, and a row lock its last statement takes (a warehouse's pick load of the day, which every
 * order it serves updates) is released by the server itself, not held until the Node process, busy with
 * other requests, gets round to sending COMMIT.
 */
export const COMMIT_TAIL = ';\nCOMMIT';

/** Connections whose transaction a statement ending in COMMIT_TAIL already committed. */
const committed = new WeakSet<DatabaseConnection>();
const watched = new WeakSet<DatabaseConnection>();

/**
 * Kysely's PostgreSQL driver, told about transactions a statement committed: it then sends no COMMIT of
 * its own. Should that statement fail, nothing is marked and the transaction rolls back as usual.
 */
class CommitTailDriver extends PostgresDriver {
  override async acquireConnection(...args: Parameters<Driver['acquireConnection']>): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection(...args);
    if (!watched.has(connection)) {
      watched.add(connection);
      const execute = connection.executeQuery.bind(connection);
      connection.executeQuery = async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
        const result = await execute<R>(query);
        if (query.sql.endsWith(COMMIT_TAIL)) committed.add(connection);
        return result;
      };
    }
    return connection;
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    if (committed.delete(connection)) return;
    return super.commitTransaction(connection);
  }

  override async rollbackTransaction(...args: Parameters<PostgresDriver['rollbackTransaction']>): Promise<void> {
    committed.delete(args[0]);
    return super.rollbackTransaction(...args);
  }
}

/** PostgresDialect with the driver above (the server only: PGlite runs one statement per query). */
export class CommitTailDialect extends PostgresDialect {
  constructor(private readonly settings: ConstructorParameters<typeof PostgresDialect>[0]) {
    super(settings);
  }

  override createDriver(): Driver {
    return new CommitTailDriver(this.settings);
  }
}
