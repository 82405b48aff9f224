import type { ErrorCode, FieldError, RowError } from '../contracts/errors.js';
import { EN } from './messages/en.js';
import type { FieldIssue } from './messages/constraints.js';
import type { MessageParams } from './messages/types.js';
import type { RowText } from './messages/rows.js';

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

/** A row error as a feature reports it: the English text, and what the other languages need to say it. */
export type RowProblem = RowError & { text?: RowText; issue?: FieldIssue };

export interface ErrorDetails {
  errors?: FieldError[];
  /** Field problems by rule: the filter words them in the reader's language (they become `errors`). */
  issues?: FieldIssue[];
  rows?: RowProblem[];
  retryAfterSeconds?: number;
}

export class DomainError extends Error {
  /** The details of the message (ids, statuses…) when it is a template of the catalogues (common/messages). */
  readonly params?: MessageParams;

  /**
   * `message`: the details for the code's template in the catalogues (the English text is the English
   * catalogue's), or an English text of its own (other languages then use the code's general text).
   */
  constructor(
    readonly code: ErrorCode,
    readonly kind: ErrorKind,
    message: string | MessageParams,
    readonly details: ErrorDetails = {},
  ) {
    super(typeof message === 'string' ? message : EN[code](message));
    if (typeof message !== 'string') this.params = message;
  }

  get status(): number {
    return STATUS_OF_KIND[this.kind];
  }
}
