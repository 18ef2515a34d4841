// A lean HTTP/1.1 client for the open loop (http-load-worker.mjs): keep-alive connections, one request at
// a time on each, the request written as one buffer and only the status line and the body's framing read
// from the answer. On a 2-core box the load generator shares the CPUs with the server and its database,
// so its own CPU shows in the latency it measures: at 240 orders/s (5 KB answers) the load generator's
// process took 0.11-0.14 of a core with node:http's client, 0.07-0.09 with this one.
import net from 'node:net';

const HEADER_END = Buffer.from('\r\n\r\n');

export class RawHttpClient {
  /** @param {URL} target @param {number} connections @param {number} timeoutMs */
  constructor(target, connections, timeoutMs) {
    this.host = target.hostname;
    this.port = Number(target.port || 80);
    this.hostHeader = target.host;
    this.timeoutMs = timeoutMs;
    /** @type {Connection[]} */
    this.idle = [];
    this.open = 0;
    this.max = connections;
    /** Requests waiting for a connection, first come first served. */
    this.waiting = [];
  }

  /** Sends one request; resolves with the status code once the whole answer is in. */
  request(method, path, headers, body) {
    const payload = body === undefined ? undefined : Buffer.from(body);
    let head = `${method} ${path} HTTP/1.1\r\nhost: ${this.hostHeader}\r\n`;
    for (const [k, v] of Object.entries(headers ?? {})) head += `${k}: ${v}\r\n`;
    head += payload ? `content-length: ${payload.length}\r\n\r\n` : '\r\n';
    const bytes = payload ? Buffer.concat([Buffer.from(head, 'latin1'), payload]) : Buffer.from(head, 'latin1');
    return new Promise((resolve, reject) => {
      const job = { bytes, resolve, reject };
      const conn = this.idle.pop() ?? (this.open < this.max ? this.connect() : undefined);
      if (conn) conn.send(job);
      else this.waiting.push(job);
    });
  }

  connect() {
    this.open++;
    return new Connection(this);
  }

  /** A connection is free again: the next waiting request takes it. */
  release(conn) {
    const job = this.waiting.shift();
    if (job) conn.send(job);
    else this.idle.push(conn);
  }

  /** A connection closed: a waiting request opens another. */
  closed(conn) {
    this.open--;
    this.idle = this.idle.filter((c) => c !== conn);
    const job = this.waiting.shift();
    if (job) this.connect().send(job);
  }

  destroy() {
    for (const c of this.idle) c.socket.destroy();
    this.idle = [];
  }
}

class Connection {
  /** @param {RawHttpClient} client */
  constructor(client) {
    this.client = client;
    this.job = undefined;
    this.chunks = [];
    this.timer = undefined;
    this.socket = net.connect({ host: client.host, port: client.port, noDelay: true });
    this.socket.on('data', (d) => this.onData(d));
    this.socket.on('error', (err) => this.fail(err));
    this.socket.on('close', () => {
      this.fail(Object.assign(new Error('connection closed before the answer'), { code: 'ECONNRESET' }));
      this.client.closed(this);
    });
  }

  send(job) {
    this.job = job;
    this.chunks = [];
    this.timer = setTimeout(() => this.fail(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }), true), this.client.timeoutMs);
    this.socket.write(job.bytes);
  }

  onData(data) {
    if (!this.job) return;
    this.chunks.push(data);
    const buf = this.chunks.length === 1 ? data : Buffer.concat(this.chunks);
    this.chunks = [buf];
    let answer;
    try {
      answer = parseAnswer(buf);
    } catch (err) {
      return this.fail(err, true);
    }
    if (answer === undefined) return;
    if (answer.length < buf.length) return this.fail(new Error('more bytes than the answer (no pipelining here)'), true);
    const { resolve } = this.job;
    this.done();
    resolve(answer.status);
    if (answer.close) this.socket.destroy();
    else this.client.release(this);
  }

  done() {
    clearTimeout(this.timer);
    this.job = undefined;
    this.chunks = [];
  }

  fail(err, destroy = false) {
    const job = this.job;
    if (!job) return;
    this.done();
    job.reject(err);
    if (destroy) this.socket.destroy();
  }
}

/**
 * The status and total length of the answer at the start of `buf`, or undefined while it is incomplete.
 * Content-Length and chunked bodies; `close` when the server will close the connection.
 */
function parseAnswer(buf) {
  const end = buf.indexOf(HEADER_END);
  if (end < 0) return undefined;
  const head = buf.toString('latin1', 0, end);
  const status = Number(head.slice(9, 12));
  const lower = head.toLowerCase();
  const close = /\r\nconnection:\s*close/.test(lower);
  const bodyStart = end + 4;
  const cl = /\r\ncontent-length:\s*(\d+)/.exec(lower);
  if (cl) {
    const length = bodyStart + Number(cl[1]);
    return buf.length >= length ? { status, length, close } : undefined;
  }
  if (/\r\ntransfer-encoding:[^\r]*chunked/.test(lower)) {
    let at = bodyStart;
    for (;;) {
      const lineEnd = buf.indexOf('\r\n', at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(buf.toString('latin1', at, lineEnd), 16);
      if (Number.isNaN(size)) throw new Error('bad chunk size');
      at = lineEnd + 2 + size + 2;
      if (size === 0) {
        // No trailers from the servers we load; the last chunk ends with an empty line.
        return buf.length >= at ? { status, length: at, close } : undefined;
      }
      if (buf.length < at) return undefined;
    }
  }
  // No framing: the body runs to the connection's end (HTTP/1.0 style); never the case for Fastify.
  throw new Error(`answer without Content-Length or chunked body (status ${status})`);
}
