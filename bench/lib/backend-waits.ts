import type pg from 'pg';

/** One look at a database's active backends: when (epoch ms), and what each waits on ('CPU' when running). */
export interface WaitSample {
  at: number;
  waits: string[];
}

/**
 * Samples what the active backends of `database` wait on (pg_stat_activity) every `everyMs` until
 * stopped, through `client`; `withQuery`: each wait followed by the start of the statement.
 */
export function sampleBackendWaits(client: Pick<pg.Client, 'query'>, database: string, opts: { everyMs: number; withQuery?: boolean }): { stop(): Promise<WaitSample[]> } {
  const what = opts.withQuery ? ` || '  ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 40)` : '';
  const samples: WaitSample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const r = await client.query<{ w: string }>(
        `SELECT coalesce(wait_event_type, 'CPU') || ':' || coalesce(wait_event, '-')${what} AS w
           FROM pg_stat_activity WHERE state = 'active' AND datname = $1 AND pid <> pg_backend_pid()`,
        [database],
      );
      samples.push({ at: Date.now(), waits: r.rows.map((row) => row.w) });
      await new Promise((resolve) => setTimeout(resolve, opts.everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return samples;
    },
  };
}
