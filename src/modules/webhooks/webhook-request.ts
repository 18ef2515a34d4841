import { performance } from 'node:perf_hooks';

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

export interface WebhookResponse {
  /** 2xx: delivered. Anything else (redirects included) is a failed attempt. */
  ok: boolean;
  statusCode: number | null;
  /** Why it failed: `HTTP 500`, `timeout after 5000 ms`, `connect ECONNREFUSED ...`. */
  error: string | null;
  durationMs: number;
  /** The start of the response body, for the delivery log. */
  responseExcerpt: string | null;
}

const EXCERPT_BYTES = 1_024;

/**
 * POSTs one webhook. The timeout covers the whole exchange (connect, headers and the body excerpt); a
 * receiver that stalls is a failed attempt. Never throws. Redirects are not followed: a signed payload
 * should not be forwarded somewhere the subscription did not name.
 */
export async function postWebhook(req: WebhookRequest): Promise<WebhookResponse> {
  const started = performance.now();
  const signal = AbortSignal.timeout(req.timeoutMs);
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const res = await fetch(req.url, { method: 'POST', body: req.body, headers: req.headers, redirect: 'manual', signal });
    const responseExcerpt = await readExcerpt(res);
    const ok = res.status >= 200 && res.status < 300;
    return { ok, statusCode: res.status, error: ok ? null : `HTTP ${res.status}`, durationMs: elapsed(), responseExcerpt };
  } catch (err) {
    const error = signal.aborted ? `timeout after ${req.timeoutMs} ms` : describeNetworkError(err);
    return { ok: false, statusCode: null, error, durationMs: elapsed(), responseExcerpt: null };
  }
}

async function readExcerpt(res: Response): Promise<string | null> {
  if (!res.body) return null;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < EXCERPT_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  const text = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
  return text === '' ? null : text;
}

function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { message?: string; code?: string } }).cause;
  if (cause?.message) return cause.message;
  return err instanceof Error ? err.message : String(err);
}
