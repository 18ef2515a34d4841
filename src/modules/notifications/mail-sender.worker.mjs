// The e-mail transport's thread (see mail-transport.ts): builds and sends each message off the event loop
// that serves the HTTP requests, through an SMTP server or as an .eml file. Plain JavaScript, so the
// thread needs no TypeScript loader whoever starts it (tsx, vitest, node).
import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import nodemailer from 'nodemailer';
import { mimeMessage } from './mime-message.mjs';

/** @type {{ kind: 'smtp', options: object, from: string } | { kind: 'eml', dir: string, from: string }} */
const setup = workerData;
const smtp = setup.kind === 'smtp' ? nodemailer.createTransport(setup.options) : undefined;
/** Aborts of the batches being sent, by id. */
const aborts = new Map();

async function writeEml(mail) {
  const message = await mimeMessage(mail, setup.from, '\n');
  const file = path.join(setup.dir, `${mail.messageId.replace(/[^A-Za-z0-9.@_-]/g, '')}.eml`);
  // Written synchronously: this thread does nothing else meanwhile, and a small file's open, write and
  // close cost ~55 µs of CPU here against ~240 µs through fs/promises (three trips to libuv's pool and
  // their promises): ~20 % of an order confirmation's CPU in this thread.
  try {
    fs.writeFileSync(file, message);
  } catch (err) {
    // The directory is made when first missing (or removed since), not before every message.
    if (err.code !== 'ENOENT') throw err;
    fs.mkdirSync(setup.dir, { recursive: true });
    fs.writeFileSync(file, message);
  }
  return { messageId: mail.messageId, response: `written to ${file}` };
}

async function sendSmtp(mail, signal) {
  // Sent as built (see mime-message.mjs), not composed again by nodemailer: the envelope is what it would
  // read from From and To, and the Message-ID it reports is the caller's.
  const raw = await mimeMessage(mail, setup.from, '\r\n');
  const envelope = { from: setup.from, to: mail.to };
  const info = await smtp.sendMail({ envelope, raw, messageId: mail.messageId, signal });
  return { messageId: info.serverMessageId ?? info.messageId, response: info.response };
}

/**
 * A batch's messages sent one after the other, as the caller would have sent them one by one, up to the
 * first that fails: the ones after it are not tried (the caller decides, knowing why it failed). One
 * message from the event loop and one reply for the batch instead of one each per message: each wakes a
 * thread, dear on a box whose CPUs are busy.
 */
async function sendBatch(id, mails) {
  const controller = new AbortController();
  aborts.set(id, controller);
  const sent = [];
  try {
    for (const mail of mails) {
      controller.signal.throwIfAborted();
      sent.push(smtp ? await sendSmtp(mail, controller.signal) : await writeEml(mail));
    }
    return { id, sent };
  } catch (err) {
    return { id, sent, error: failure(err) };
  } finally {
    aborts.delete(id);
  }
}

/** What the transport reads of a failure (nodemailer's error fields; a plain object crosses threads). */
function failure(err) {
  const { message, code, response, responseCode, command, permanent, rejected } = err ?? {};
  const rejectedErrors = err?.rejectedErrors?.map((e) => ({ responseCode: e.responseCode }));
  return { message: String(message ?? err), code, response, responseCode, command, permanent, rejected, rejectedErrors };
}

parentPort.on('message', (msg) => {
  if (msg.abort !== undefined) return aborts.get(msg.abort)?.abort();
  if (msg.close) {
    smtp?.close();
    return parentPort.close();
  }
  sendBatch(msg.id, msg.mails).then((reply) => parentPort.postMessage(reply));
});
