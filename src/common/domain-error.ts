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

export interface FieldError {
  field: string;
  messages: string[];
}

/** A problem with one row of an uploaded file: the line to fix, the column if one is to blame. */
export interface RowError {
  line: number;
  field?: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: string,
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
