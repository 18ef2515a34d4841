/**
 * Expected business outcomes (insufficient stock, forbidden transition, unknown SKU) are values, not
 * exceptions: use cases return `Result`, and the HTTP layer maps `code` to a status in one place.
 * Bugs and infrastructure failures are thrown.
 */
export interface Failure {
  ok: false;
  code: string;
  message: string;
  details?: unknown;
}
export interface Success<T> {
  ok: true;
  value: T;
}
export type Result<T> = Success<T> | Failure;

export const ok = <T>(value: T): Success<T> => ({ ok: true, value });
export const fail = (code: string, message: string, details?: unknown): Failure => ({
  ok: false,
  code,
  message,
  details,
});

/** Thrown form of a Failure, for code paths that must abort a transaction (rolls everything back). */
export class BusinessError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  static of(failure: Failure): BusinessError {
    return new BusinessError(failure.code, failure.message, failure.details);
  }
  toFailure(): Failure {
    return fail(this.code, this.message, this.details);
  }
}
