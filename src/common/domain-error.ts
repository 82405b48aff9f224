import type { ErrorCode, FieldError, RowError } from '../contracts/errors.js';

/**
 * What went wrong, in the domain's words: a stable code (`FEATURE.REASON`) clients can branch on and
 * a message a person can act on. Services throw these; one filter turns them into HTTP/WS errors.
 */
export type ErrorKind =
  | 'invalid' // 400
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'too_large' // 413
  | 'unsupported_type' // 415
  | 'rate_limited' // 429
  | 'unavailable'; // 503

export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly kind: ErrorKind,
    message: string,
    readonly details: { errors?: FieldError[]; rows?: RowError[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }

  get status(): number {
    return STATUS_OF_KIND[this.kind];
  }
}
