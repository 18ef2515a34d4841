import { checkEventTypePatterns, EVENT_TYPES } from '../../domain/events/event-types.js';
import { fail, type Failure } from '../../domain/shared/result.js';

/** An absolute http(s) URL without credentials (they would end up in logs and the delivery log). */
export function checkWebhookUrl(url: string): Failure | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail('invalid_webhook_url', `"${url}" is not an absolute URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return fail('invalid_webhook_url', `webhooks are sent over http or https, not ${parsed.protocol.replace(':', '')}`);
  }
  if (parsed.username || parsed.password) return fail('invalid_webhook_url', 'put no credentials in the URL: verify the Ordo-Signature header instead');
  return undefined;
}

/** Filters must be well formed and match at least one event type Ordo emits. */
export function checkEventTypes(patterns: readonly string[]): Failure | undefined {
  const { malformed, unknown } = checkEventTypePatterns(patterns);
  if (malformed.length > 0) {
    return fail('validation_failed', 'event type filters are an event type (order.shipped), a family (order.*) or *', { malformed });
  }
  if (unknown.length > 0) return fail('unknown_event_type', `no event type matches ${unknown.join(', ')}`, { unknown, knownTypes: EVENT_TYPES });
  return undefined;
}
