// The MIME message of a notification e-mail, built directly as one string. nodemailer's composer
// (MailComposer(...).compile().build()) cost ~400-500 µs of CPU per order confirmation (text ~1 KB, html
// ~3.3 KB, two custom headers), almost all of it its stream machinery (the pipelines' AbortSignal and
// DOMException objects, random bytes for the boundary, header normalisation) and ~3 % the quoted-printable
// encoding itself; under the order-intake benchmark the mail thread took ~0.1 of the machine's 2 cores.
// Built here, ~75 µs; sent through the .eml transport, ~200 µs of the process's CPU per message against
// ~580 µs (2,000-message rounds). The encoding is still nodemailer's own (its exported qp, base64,
// mime-funcs and addressparser), with the choices MimeNode makes (which transfer encoding, where a header
// folds, how a display name is quoted or encoded), so the bytes are the composer's, the boundary's random
// part and the Date aside. The few MimeNode rules that are private methods there are mirrored below; the
// tests compare the two outputs byte for byte, so an upgrade that changes them shows. A message with
// anything this builder does not handle (another field, several recipients, a header the composer treats
// apart, an address it would rewrite) is built by the composer.
import crypto from 'node:crypto';
import { domainToASCII } from 'node:url';
import addressparser from 'nodemailer/lib/addressparser';
import * as base64 from 'nodemailer/lib/base64';
import MailComposer from 'nodemailer/lib/mail-composer';
import * as mimeFuncs from 'nodemailer/lib/mime-funcs';
import * as qp from 'nodemailer/lib/qp';

/** @typedef {{ to: string, subject: string, text: string, html: string, headers: Record<string, string>, messageId: string }} EmailMessage */

const MAIL_FIELDS = new Set(['to', 'subject', 'text', 'html', 'headers', 'messageId']);

// Custom header names the composer encodes, places or overrides in a way of their own.
const SPECIAL_HEADERS = new Set([
  'From', 'Sender', 'To', 'Cc', 'Bcc', 'Reply-To', 'In-Reply-To', 'References', 'Subject', 'Message-ID', 'Date',
  'MIME-Version', 'OTP-Token',
]);

// As MimeNode's: the addresses it writes bare, and the local parts it keeps unquoted.
const PLAIN_ADDRESS = /^[^\s"(),:;<>@[\\\]]+@[^\s"(),:;<>@[\\\]]+$/;
const ATEXT = "[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~]";
const ASCII_DOT_ATOM = new RegExp('^' + ATEXT + '+(?:\\.' + ATEXT + '+)*$');
// As nodemailer's normalizeDomain: characters kept away from the URL parser's domain mapping.
const URL_PARSER_UNSAFE = /[/\\?#%\x00-\x20\x7F]/;
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

// Input is encoded in slices of this many bytes by qp.Encoder; a body within one slice is encoded here as
// the encoder does it, a longer one goes to the composer.
const QP_SLICE = 64 * 1024;

/**
 * The message as `MailComposer({ from, ...mail, newline })` builds it, with `newline` ('\n' for an .eml
 * file, '\r\n' for SMTP) ending every line.
 * @param {EmailMessage} mail
 * @param {string} from
 * @param {'\n' | '\r\n'} newline
 * @returns {Promise<Buffer>}
 */
export async function mimeMessage(mail, from, newline) {
  return (
    leanMimeMessage(mail, from, newline) ??
    (await new MailComposer({ from, ...mail, newline: newline === '\n' ? 'unix' : 'windows' }).compile().build())
  );
}

/**
 * The message built directly, or undefined when it carries something only the composer handles.
 * @param {EmailMessage} mail
 * @param {string} from
 * @param {'\n' | '\r\n'} newline
 * @returns {Buffer | undefined}
 */
export function leanMimeMessage(mail, from, newline) {
  for (const key of Object.keys(mail)) if (!MAIL_FIELDS.has(key)) return undefined;
  const { to, subject, text, html, headers, messageId } = mail;
  if (!nonEmpty(to) || !nonEmpty(subject) || !nonEmpty(text) || !nonEmpty(html) || !nonEmpty(messageId)) return undefined;
  if (!nonEmpty(from)) return undefined;

  let head = '';
  if (headers !== undefined) {
    if (headers === null || typeof headers !== 'object' || Array.isArray(headers) || Object.hasOwn(headers, 'key')) return undefined;
    for (const name of Object.keys(headers)) {
      const value = headers[name];
      const key = normalizeHeaderKey(name);
      if (typeof value !== 'string' || !key || SPECIAL_HEADERS.has(key) || /^Content-/i.test(key)) return undefined;
      const encoded = encodeHeaderText(value.replace(/\r?\n|\r/g, ' '));
      if (encoded.trim()) head += mimeFuncs.foldLines(`${key}: ${encoded}`, 76) + '\r\n';
    }
  }
  const fromValue = fromHeader(from);
  const toValue = addressHeader(to);
  if (fromValue === undefined || toValue === undefined) return undefined;
  head += mimeFuncs.foldLines(`From: ${fromValue}`, 76) + '\r\n';
  head += mimeFuncs.foldLines(`To: ${toValue}`, 76) + '\r\n';
  head += mimeFuncs.foldLines(`Subject: ${encodeHeaderText(subject.replace(/\r?\n|\r/g, ' '))}`, 76) + '\r\n';
  head += mimeFuncs.foldLines(`Message-ID: ${messageIdValue(messageId)}`, 76) + '\r\n';
  head += `Date: ${new Date().toUTCString().replace(/GMT/, '+0000')}\r\nMIME-Version: 1.0\r\n`;

  const textPart = part('text/plain; charset=utf-8', text);
  const htmlPart = part('text/html; charset=utf-8', html);
  if (textPart === undefined || htmlPart === undefined) return undefined;
  const boundary = `--_NmP-${boundaryBase()}-Part_1`;
  head += mimeFuncs.foldLines(`Content-Type: ${mimeFuncs.buildHeaderValue({ value: 'multipart/alternative', params: { boundary } })}`, 76);

  const message = `${head}\r\n\r\n--${boundary}\r\n${textPart}\r\n--${boundary}\r\n${htmlPart}\r\n--${boundary}--\r\n`;
  // The composer's newline streams: '\n' drops every CR (LeUnix), '\r\n' puts a CR before a lone LF (LeWindows).
  return Buffer.from(newline === '\n' ? message.replaceAll('\r', '') : message.replace(/(?<!\r)\n/g, '\r\n'), 'utf8');
}

const nonEmpty = (value) => typeof value === 'string' && value.length > 0;

/** A text/* leaf of the composer: its two headers, a blank line and the body in the transfer encoding MimeNode picks. */
function part(contentType, content) {
  if (mimeFuncs.isPlainText(content) && !mimeFuncs.hasLongerLines(content, 76)) {
    return `Content-Type: ${contentType}\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${content}`;
  }
  if (textEncoding(content) === 'B') {
    return `Content-Type: ${contentType}\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64.wrap(base64.encode(content), 76)}`;
  }
  const body = quotedPrintable(content);
  return body === undefined ? undefined : `Content-Type: ${contentType}\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${body}`;
}

/**
 * The body as qp.Encoder writes it when it gets it in one chunk: the whitespace that ends the input held
 * back and encoded after the rest, the last line of each step rewrapped with what follows it.
 */
function quotedPrintable(content) {
  const bytes = Buffer.from(content, 'utf8');
  if (bytes.length > QP_SLICE) return undefined;
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0x09)) end--;
  let out = '';
  let line = '';
  const step = (slice) => {
    const wrapped = qp.wrap(line + qp.encode(slice), 76);
    const lf = wrapped.lastIndexOf('\n');
    line = wrapped.substring(lf + 1);
    out += wrapped.substring(0, lf + 1);
  };
  if (end > 0) step(bytes.subarray(0, end));
  if (end < bytes.length) step(bytes.subarray(end));
  return out + line;
}

/**
 * 16 hex digits, unpredictable for each message as the composer's are (a body may carry text a customer
 * typed, line breaks included), but from randomUUID's cached entropy: ~0.3 µs, against ~3 µs for the
 * composer's randomBytes(8).
 */
function boundaryBase() {
  const uuid = crypto.randomUUID();
  return uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(14, 18);
}

// The thread's From is the same for every message.
let lastFrom = '';
let lastFromValue;
function fromHeader(from) {
  if (from !== lastFrom) {
    lastFromValue = addressHeader(from);
    lastFrom = from;
  }
  return lastFromValue;
}

/**
 * One address as MimeNode writes it in From or To (display name quoted or encoded, domain in its ASCII
 * form), or undefined for what it would rewrite further: a list, a group, no '@', a non-ASCII or quoted
 * local part, a domain literal or a domain the URL parser refuses.
 */
function addressHeader(value) {
  const parsed = addressparser(value);
  if (parsed.length !== 1 || parsed[0].group || !parsed[0].address) return undefined;
  const { name, address } = parsed[0];
  const normalized = address.replace(/[\x00-\x1F\x7F<>]+/g, ' ').trim();
  const at = normalized.lastIndexOf('@');
  if (at <= 0 || normalized.endsWith(']')) return undefined;
  const local = normalized.slice(0, at);
  const domain = normalized.slice(at + 1);
  if (!ASCII_DOT_ATOM.test(local) || URL_PARSER_UNSAFE.test(domain)) return undefined;
  const asciiDomain = domainToASCII(domain);
  if (!asciiDomain) return undefined;
  const addr = `${local}@${asciiDomain}`;
  if (!name) return PLAIN_ADDRESS.test(addr) ? addr : `<${addr}>`;
  return `${encodeAddressName(name)} <${addr}>`;
}

/** As MimeNode's _encodeAddressName. */
function encodeAddressName(name) {
  if (/^[\w ]*$/.test(name)) return name;
  if (/^[\x20-\x7e]*$/.test(name)) return mimeFuncs.quoteString(name);
  return mimeFuncs.encodeWord(name, textEncoding(name), 52);
}

/** As MimeNode's _encodeHeaderText: encoded words for non-ASCII, control characters or quotes. */
function encodeHeaderText(value) {
  return CONTROL.test(value)
    ? mimeFuncs.encodeWord(value, textEncoding(value), 52)
    : mimeFuncs.encodeWords(value, textEncoding(value), 52, true);
}

/** As MimeNode's encodeHeaderValue for Message-ID. */
function messageIdValue(value) {
  let id = value.replace(/\r?\n|\r/g, ' ').replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, '');
  if (id.charAt(0) !== '<') id = '<' + id;
  if (id.charAt(id.length - 1) !== '>') id += '>';
  return id;
}

/** As MimeNode's _getTextEncoding: Q when Latin letters outnumber the non-ASCII and control characters, else B. */
function textEncoding(value) {
  let nonLatin = 0;
  let latin = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x08 || code === 0x0b || code === 0x0c || (code >= 0x0e && code <= 0x1f) || code >= 0x80) nonLatin++;
    else if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) latin++;
  }
  return nonLatin < latin ? 'Q' : 'B';
}

/** As MimeNode's _normalizeHeaderKey. */
function normalizeHeaderKey(key) {
  return key
    .replace(/[\s\x00-\x20\x7f:]/g, '')
    .toLowerCase()
    .replace(/^X-SMTPAPI$|^(MIME|DKIM|ARC|BIMI)\b|^OTP(?=-Token$)|^[a-z]|-(SPF|FBL|ID|MD5)$|-[a-z]/gi, (c) => c.toUpperCase())
    .replace(/^Content-Features$/i, 'Content-features');
}
