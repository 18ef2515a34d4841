// The .eml writer's thread (see emlFileTransport in mail-transport.ts): builds each message with
// nodemailer's composer and writes it, off the event loop that serves the HTTP requests. Plain
// JavaScript, so the thread needs no TypeScript loader whoever starts it (tsx, vitest, node).
import fs from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import MailComposer from 'nodemailer/lib/mail-composer';

/** @param {{ file: string, dir: string, mail: object }} job */
async function write({ file, dir, mail }) {
  const message = await new MailComposer({ ...mail, newline: 'unix' }).compile().build();
  try {
    await fs.writeFile(file, message);
  } catch (err) {
    // The directory is made when first missing (or removed since), not before every message.
    if (err.code !== 'ENOENT') throw err;
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(file, message);
  }
}

parentPort.on('message', (job) => {
  write(job).then(
    () => parentPort.postMessage({ id: job.id }),
    (err) => parentPort.postMessage({ id: job.id, error: { message: String(err?.message ?? err), code: err?.code } }),
  );
});
