import { describe, expect, it } from 'vitest';
import { tablesDue, type TableActivity } from './vacuum-policy.js';

const quiet: TableActivity = { schema: 'public', table: 'stock_position', reltuples: 1_000, deadTuples: 0, insertedSinceVacuum: 0, modifiedSinceAnalyze: 0, xidAge: 1_000 };
const table = (activity: Partial<TableActivity>): TableActivity => ({ ...quiet, ...activity });

describe('tablesDue (autovacuum default thresholds)', () => {
  it('vacuums a table once its dead tuples pass 50 + 20 % of its rows', () => {
    expect(tablesDue([table({ deadTuples: 250 })])).toEqual([]);
    expect(tablesDue([table({ deadTuples: 251 })])).toEqual([
      { schema: 'public', table: 'stock_position', action: 'vacuum', reason: 'dead_tuples', count: 251, threshold: 250 },
    ]);
  });

  it('analyzes a table once its modifications since the last analyze pass 50 + 10 % of its rows', () => {
    expect(tablesDue([table({ modifiedSinceAnalyze: 150, deadTuples: 250 })])).toEqual([]);
    expect(tablesDue([table({ modifiedSinceAnalyze: 151 })])).toEqual([
      { schema: 'public', table: 'stock_position', action: 'analyze', reason: 'modifications', count: 151, threshold: 150 },
    ]);
  });

  it('never analyzes pg_statistic, which ANALYZE skips (it would be due on every pass), but vacuums it', () => {
    const statistics = table({ schema: 'pg_catalog', table: 'pg_statistic', reltuples: 400, modifiedSinceAnalyze: 5_000 });
    expect(tablesDue([statistics])).toEqual([]);
    expect(tablesDue([{ ...statistics, deadTuples: 200 }])).toMatchObject([{ table: 'pg_statistic', action: 'vacuum' }]);
  });

  it('a vacuum due wins over an analyze (VACUUM (ANALYZE) does both)', () => {
    expect(tablesDue([table({ deadTuples: 400, modifiedSinceAnalyze: 5_000 })]).map((u) => u.action)).toEqual(['vacuum']);
  });

  it('vacuums an append-mostly table after 1,000 + 20 % of its rows were inserted', () => {
    expect(tablesDue([table({ table: 'outbox_event', insertedSinceVacuum: 1_200 })])).toEqual([]);
    expect(tablesDue([table({ table: 'outbox_event', insertedSinceVacuum: 1_201 })])).toMatchObject([{ table: 'outbox_event', action: 'vacuum', reason: 'inserts', threshold: 1_200 }]);
  });

  it('vacuums against xid wraparound past 200 million transactions, whatever its activity', () => {
    expect(tablesDue([table({ xidAge: 200_000_001 })])).toMatchObject([{ action: 'vacuum', reason: 'wraparound' }]);
    expect(tablesDue([table({ xidAge: 200_000_000 })])).toEqual([]);
  });

  it('counts a table never vacuumed nor analyzed (reltuples -1) as empty', () => {
    expect(tablesDue([table({ reltuples: -1, deadTuples: 51 })])).toMatchObject([{ reason: 'dead_tuples', threshold: 50 }]);
    expect(tablesDue([table({ reltuples: -1, modifiedSinceAnalyze: 51 })])).toMatchObject([{ reason: 'modifications', threshold: 50 }]);
    expect(tablesDue([table({ reltuples: -1, deadTuples: 50, modifiedSinceAnalyze: 50 })])).toEqual([]);
  });

  it('lists the tables furthest past their threshold first, and leaves the others out', () => {
    const due = tablesDue([
      table({ table: 'location_pick_load', deadTuples: 300 }), // 1.2 × 250
      table({ table: 'product' }),
      table({ table: 'idempotency_key', modifiedSinceAnalyze: 600 }), // 4 × 150
      table({ table: 'reservation', reltuples: 100_000, deadTuples: 40_000 }), // ≈ 2 × 20,050
    ]);
    expect(due.map((u) => u.table)).toEqual(['idempotency_key', 'reservation', 'location_pick_load']);
  });
});
