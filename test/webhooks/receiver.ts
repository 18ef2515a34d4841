import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  /** Request path: tests give each subscription its own. */
  path: string;
  eventId: string;
  deliveryId: string;
  attempt: number;
  signature: string;
  /** The raw body, as a receiver must verify it. */
  body: string;
  event: { eventId: string; position: number; type: string; aggregateType: string; aggregateId: string; payload: unknown };
  /** Receiver's clock at receipt (ms), to check the signature's timestamp against. */
  receivedAt: number;
  /** What the receiver answered: a status, or 'stalled' when it answered too late for the sender. */
  answer: number | 'stalled';
}

export type Behaviour = (r: Omit<Received, 'answer'>, index: number) => number | { stallMs: number };

export interface Receiver {
  url: string;
  received: Received[];
  /** Receipts answered 2xx: what the sender counts as delivered. */
  accepted(): Received[];
  behave: Behaviour;
  close(): Promise<void>;
}

/** A real HTTP endpoint on 127.0.0.1 whose answers the test scripts (fail, stall, recover). */
export async function startReceiver(
  behave: Behaviour = () => 200,
  opts: { now?: () => number; latencyMs?: number } = {},
): Promise<Receiver> {
  const now = opts.now ?? Date.now;
  const received: Received[] = [];
  const receiver: Receiver = {
    url: '',
    received,
    accepted: () => received.filter((r) => typeof r.answer === 'number' && r.answer < 300),
    behave,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const r = {
        path: req.url ?? '',
        eventId: String(req.headers['ordo-event-id']),
        deliveryId: String(req.headers['ordo-delivery-id']),
        attempt: Number(req.headers['ordo-delivery-attempt']),
        signature: String(req.headers['ordo-signature']),
        body,
        event: JSON.parse(body) as Received['event'],
        receivedAt: now(),
      };
      const answer = receiver.behave(r, received.length);
      if (typeof answer === 'number') {
        received.push({ ...r, answer });
        const respond = () => res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : 'receiver says no');
        if (opts.latencyMs) setTimeout(respond, opts.latencyMs).unref();
        else respond();
      } else {
        received.push({ ...r, answer: 'stalled' });
        setTimeout(() => res.writeHead(200).end('too late'), answer.stallMs).unref();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}
