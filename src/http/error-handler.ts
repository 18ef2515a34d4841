import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { Failure, Result } from '../domain/shared/result.js';
import { accessErrorStatus } from '../modules/access/access.errors.js';
import { availabilityErrorStatus } from '../modules/availability/availability.errors.js';
import { networkErrorStatus } from '../modules/network/network.errors.js';
import { inventoryErrorStatus } from '../modules/inventory/inventory.errors.js';
import { reservationsErrorStatus } from '../modules/reservations/reservations.errors.js';
import { catalogErrorStatus } from '../modules/catalog/catalog.errors.js';
import { channelErrorStatus } from '../modules/channels/channels.errors.js';
import { promiseErrorStatus } from '../modules/promise/promise.errors.js';
import { webhooksErrorStatus } from '../modules/webhooks/webhooks.errors.js';
import { ordersErrorStatus } from '../modules/orders/orders.errors.js';
import { paymentsErrorStatus } from '../modules/payments/payments.errors.js';
import { customersErrorStatus } from '../modules/customers/customers.errors.js';
import { notificationsErrorStatus } from '../modules/notifications/notifications.errors.js';
import { fulfillmentErrorStatus } from '../modules/fulfillment/fulfillment.errors.js';
import { integrationsErrorStatus } from '../modules/integrations/integrations.errors.js';
import { sourcingErrorStatus } from '../modules/sourcing/sourcing.errors.js';
import { returnsErrorStatus } from '../modules/returns/returns.errors.js';
import { trackingErrorStatus } from '../modules/tracking/tracking.errors.js';
import { usersErrorStatus } from '../modules/users/users.errors.js';

/** Codes every context may use. */
export const commonErrorStatus = {
  validation_failed: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  idempotency_key_reused: 422,
  unprocessable: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal_error: 500,
  unavailable: 503,
} as const;

/** THE map from error codes to HTTP statuses: each context declares its codes, this composes them. */
const statusByCode: Record<string, number> = {
  ...commonErrorStatus,
  ...accessErrorStatus,
  ...availabilityErrorStatus,
  ...networkErrorStatus,
  ...inventoryErrorStatus,
  ...reservationsErrorStatus,
  ...catalogErrorStatus,
  ...channelErrorStatus,
  ...promiseErrorStatus,
  ...webhooksErrorStatus,
  ...fulfillmentErrorStatus,
  ...ordersErrorStatus,
  ...paymentsErrorStatus,
  ...customersErrorStatus,
  ...notificationsErrorStatus,
  ...integrationsErrorStatus,
  ...sourcingErrorStatus,
  ...returnsErrorStatus,
  ...trackingErrorStatus,
  ...usersErrorStatus,
};

export function statusFor(code: string): number {
  const status = statusByCode[code];
  if (status === undefined) throw new Error(`error code "${code}" has no HTTP status: declare it in its context's errors file`);
  return status;
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function sendFailure(reply: FastifyReply, failure: Failure): FastifyReply {
  return reply.code(statusFor(failure.code)).send(errorBody(failure.code, failure.message, failure.details));
}

/** Maps a use case result: the value with `status`, or the error body with the code's status. */
export function sendResult<T>(reply: FastifyReply, result: Result<T>, status = 200): FastifyReply {
  if (!result.ok) return sendFailure(reply, result);
  return reply.code(status).send(result.value);
}

const PG_ERRORS: Record<string, [string, string]> = {
  '23505': ['conflict', 'this resource already exists or conflicts with another one'],
  '23503': ['unprocessable', 'a referenced resource does not exist'],
  '23514': ['unprocessable', 'a value breaks a rule of the data model'],
  '22P02': ['validation_failed', 'a value has the wrong format'],
  '22003': ['validation_failed', 'a number is out of range'],
  '22001': ['validation_failed', 'a value is too long'],
};

export function installErrorHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(errorBody('not_found', `no route ${req.method} ${req.url.split('?')[0]}`));
  });

  app.setErrorHandler((err: FastifyError & { code?: string; validation?: unknown }, req, reply) => {
    if (err.validation) {
      return reply.code(400).send(errorBody('validation_failed', err.message, err.validation));
    }
    switch (err.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.code(400).send(errorBody('invalid_json', 'the request body is not valid JSON'));
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.code(413).send(errorBody('payload_too_large', err.message));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.code(415).send(errorBody('unsupported_media_type', err.message));
    }
    if (err instanceof SyntaxError) {
      return reply.code(400).send(errorBody('invalid_json', 'the request body is not valid JSON'));
    }
    const pgCode = typeof err.code === 'string' ? PG_ERRORS[err.code] : undefined;
    if (pgCode) {
      req.log.warn({ err }, 'database rejected a write');
      return reply.code(statusFor(pgCode[0])).send(errorBody(pgCode[0], pgCode[1], { detail: (err as { detail?: string }).detail }));
    }
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send(errorBody(err.statusCode === 413 ? 'payload_too_large' : 'validation_failed', err.message));
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send(errorBody('internal_error', 'an unexpected error occurred; it has been logged'));
  });
}
