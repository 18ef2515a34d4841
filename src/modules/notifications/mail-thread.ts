import { Worker } from 'node:worker_threads';
import type { NodemailerError } from 'nodemailer/lib/errors';
import type { EmailMessage } from './mail-transport.js';

export type MailThreadSetup = { kind: 'smtp'; from: string; options: object } | { kind: 'eml'; dir: string; from: string };

interface Sent {
  messageId: string;
  response: string;
}

/** A failure as the thread reports it: the fields of nodemailer's error that `classifySmtpError` reads. */
type ThreadFailure = Pick<NodemailerError, 'message' | 'code' | 'response' | 'responseCode' | 'command' | 'permanent' | 'rejected'> & {
  rejectedErrors?: Array<{ responseCode?: number }>;
};

type Reply = { id: number; sent: Sent[]; error?: ThreadFailure };

/** A batch as the thread sent it: every message up to the first that failed, which `error` says why; the ones after it were not tried. */
export interface BatchSent {
  sent: Sent[];
  error?: Error & ThreadFailure;
}

/**
 * The e-mail transport's thread (mail-sender.worker.mjs): nodemailer builds and sends each message there,
 * off the event loop the HTTP requests share. Built and written on that loop, an order confirmation took
 * ~0.35 ms of it (the composer's streams, three file operations), ~0.02 ms handed to the thread (3,000
 * e-mails, eventLoopUtilization). Messages go in batches (one hand-off and one reply each, `sendBatch`),
 * answered by id; the thread starts with the first one and again after `close` or a crash (the batches it
 * held fail, messages it had sent included, and their notifications are retried), and it holds the process
 * up only while it has work.
 */
export class MailThread {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { worker: Worker; resolve(batch: BatchSent): void; reject(err: Error): void }>();

  constructor(private readonly setup: MailThreadSetup) {}

  /**
   * The messages sent in order by the thread, up to the first that fails (the rest are not tried): what
   * sending them one by one and stopping at a failure does, with one hand-off to the thread and one reply
   * instead of one each per message. Throws if `signal` has already aborted; rejects only when the thread
   * itself fails (it crashed or was closed).
   */
  sendBatch(mails: readonly EmailMessage[], signal?: AbortSignal): Promise<BatchSent> {
    signal?.throwIfAborted();
    const id = this.nextId++;
    const worker = this.started();
    const abort = (): void => worker.postMessage({ abort: id });
    return new Promise<BatchSent>((resolve, reject) => {
      worker.postMessage({ id, mails });
      this.pending.set(id, { worker, resolve, reject });
      // The thread holds the process up while it has work, not when idle.
      worker.ref();
      signal?.addEventListener('abort', abort, { once: true });
    }).finally(() => signal?.removeEventListener('abort', abort));
  }

  /** Lets the thread finish (SMTP connections closed), or stops it after 5 s. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ close: true });
    const timer = setTimeout(() => void worker.terminate(), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./mail-sender.worker.mjs', import.meta.url), { workerData: this.setup });
    worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!this.holds(worker)) worker.unref();
      waiting?.resolve({ sent: reply.sent, ...(reply.error ? { error: Object.assign(new Error(reply.error.message), reply.error) } : {}) });
    });
    const fail = (err: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, waiting] of this.pending) {
        if (waiting.worker !== worker) continue;
        this.pending.delete(id);
        waiting.reject(err);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the e-mail thread exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private holds(worker: Worker): boolean {
    for (const waiting of this.pending.values()) if (waiting.worker === worker) return true;
    return false;
  }
}
