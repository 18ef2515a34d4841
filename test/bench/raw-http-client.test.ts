import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module of the load generator, without types
import { RawHttpClient } from '../../bench/lib/raw-http-client.mjs';

/** The open loop's HTTP client (bench/lib/raw-http-client.mjs) against a node:http server. */
describe('the load generator HTTP client', () => {
  let server: http.Server;
  let target: URL;
  const connections = new Set<unknown>();
  const received: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        const path = req.url!;
        if (path.startsWith('/chunked')) {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('a'.repeat(5000));
          setTimeout(() => res.end('b'.repeat(3000)), 5);
        } else if (path.startsWith('/close')) {
          res.writeHead(503, { connection: 'close', 'content-length': '2' });
          res.end('no');
        } else if (path.startsWith('/silent')) {
          // never answers
        } else if (path.startsWith('/slow')) {
          setTimeout(() => res.writeHead(201, { 'content-length': String(body.length) }).end(body), 20);
        } else {
          res.writeHead(201, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
          res.end(body);
        }
      });
    });
    server.on('connection', (socket) => connections.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    target = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends method, path, headers and body, and answers the status once the whole body is in', async () => {
    const client = new RawHttpClient(target, 2, 5_000);
    const body = JSON.stringify({ note: 'héllo €', lines: Array.from({ length: 200 }, (_, i) => i) });
    const status = await client.request('POST', '/v1/orders?x=1', { 'content-type': 'application/json', 'idempotency-key': 'k-1' }, body);
    expect(status).toBe(201);
    const last = received.at(-1)!;
    expect(last).toMatchObject({ method: 'POST', url: '/v1/orders?x=1', body });
    expect(last.headers['idempotency-key']).toBe('k-1');
    expect(last.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(await client.request('GET', '/chunked', {}, undefined)).toBe(200);
    client.destroy();
  });

  it('keeps at most its connections open, queues the rest in arrival order, and reuses them', async () => {
    const before = connections.size;
    const client = new RawHttpClient(target, 3, 5_000);
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => client.request('POST', `/slow/${i}`, {}, `body-${i}`)));
    expect(statuses).toEqual(Array(30).fill(201));
    expect(connections.size - before).toBe(3);
    const order = received.filter((r) => r.url.startsWith('/slow/')).map((r) => Number(r.url.slice('/slow/'.length)));
    // Each connection takes the oldest waiting request when it frees up: the first three go first.
    expect(order.slice(0, 3).sort()).toEqual([0, 1, 2]);
    client.destroy();
  });

  it('reconnects after a server that closes the connection, and reports time-outs', async () => {
    const client = new RawHttpClient(target, 1, 200);
    expect(await client.request('GET', '/close', {}, undefined)).toBe(503);
    expect(await client.request('POST', '/echo', {}, 'after close')).toBe(201);
    await expect(client.request('GET', '/silent', {}, undefined)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    // The timed-out connection was dropped: the next request gets a new one.
    expect(await client.request('POST', '/echo', {}, 'after time-out')).toBe(201);
    client.destroy();
  });
});
