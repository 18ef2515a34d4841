/** Fires `count` requests with at most `concurrency` in flight; returns the statuses in request order. */
export async function fireAll(count: number, concurrency: number, send: (i: number) => Promise<number>): Promise<number[]> {
  const statuses = new Array<number>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      statuses[i] = await send(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return statuses;
}

export const tally = (statuses: readonly number[]): Record<number, number> =>
  statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});

export async function postHold(baseUrl: string, key: string, body: unknown, idempotencyKey?: string): Promise<number> {
  const res = await fetch(`${baseUrl}/v1/reservations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}
