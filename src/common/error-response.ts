import { HttpException } from '@nestjs/common';
import { DomainError, type RowProblem } from './domain-error.js';
import type { ErrorBody, ErrorCode, FieldError, RowError } from '../contracts/errors.js';
import { DEFAULT_LANG, errorText, issueText, type FieldIssue, type Lang } from './messages/index.js';
import { ROW_CATALOGUES } from './messages/rows.js';
import { isTransientConflict } from './transaction-retry.js';

export interface ErrorResponse {
  body: ErrorBody;
  headers: Record<string, string>;
  /** True when nothing the client sent explains it: worth logging with the stack. */
  unexpected: boolean;
}

const HTTP_CODES: Record<number, ErrorCode> = {
  400: 'REQUEST.INVALID',
  401: 'AUTH.UNAUTHORIZED',
  403: 'AUTH.FORBIDDEN',
  404: 'ROUTE.NOT_FOUND',
  405: 'ROUTE.METHOD_NOT_ALLOWED',
  409: 'REQUEST.CONFLICT',
  413: 'REQUEST.TOO_LARGE',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  429: 'REQUEST.RATE_LIMITED',
};

// Node/pg errors that mean "the database is not reachable right now", not "the request was bad".
const DB_DOWN = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|Connection terminated|timeout exceeded when trying to connect|Query read timeout|statement timeout|PGlite is closed|Cannot use a pool after calling end|too many clients/i;
// SQLSTATE classes PostgreSQL uses for connection loss and shutdown.
const DB_DOWN_SQLSTATE = /^(08|57P0[1-3]|53300)/;

/** Field issues grouped by field, each in the reader's language. */
function fieldErrors(issues: FieldIssue[], lang: Lang): FieldError[] {
  const byField = new Map<string, string[]>();
  for (const issue of issues) {
    const list = byField.get(issue.field) ?? [];
    list.push(issueText(issue, lang));
    byField.set(issue.field, list);
  }
  return [...byField].map(([field, messages]) => ({ field, messages }));
}

function rowError({ text, issue, ...row }: RowProblem, lang: Lang): RowError {
  if (lang === 'en') return row;
  if (text) return { ...row, message: ROW_CATALOGUES[lang][text.key](text.params ?? {}) };
  if (issue) return { ...row, message: issueText(issue, lang) };
  return row;
}

/** A domain error in the reader's language: its template with its details, else its own (English) text or the code's general text. */
function fromDomainError(e: DomainError, lang: Lang): ErrorBody {
  const body: ErrorBody = { statusCode: e.status, code: e.code, message: e.message };
  if (e.details.issues?.length) {
    body.errors = fieldErrors(e.details.issues, lang);
    body.message = body.errors.flatMap((f) => f.messages).join('; ');
  } else {
    if (e.params || lang !== 'en') body.message = errorText(e.code, lang, e.params);
    if (e.details.errors) body.errors = e.details.errors;
  }
  if (e.details.rows) body.rows = e.details.rows.map((r) => rowError(r, lang));
  return body;
}

function fromHttpException(e: HttpException, lang: Lang): ErrorResponse {
  const statusCode = e.getStatus();
  const raw = e.getResponse();
  let message = e.message;
  if (typeof raw === 'object' && raw !== null && 'message' in raw) {
    const m = (raw as { message: unknown }).message;
    message = Array.isArray(m) ? m.join('; ') : String(m);
  }
  if (statusCode === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE)/.test(message)) {
    message = `No such route: ${message.replace(/^Cannot /, '')}`;
  }
  const code = HTTP_CODES[statusCode] ?? (statusCode >= 500 ? 'INTERNAL' : 'REQUEST.INVALID');
  // Nest's own texts are English; other languages get the code's text (with the route for a 404).
  if (lang !== 'en') message = errorText(code, lang, code === 'ROUTE.NOT_FOUND' ? { route: message.replace(/^No such route: /, '') } : {});
  return { body: { statusCode, code, message }, headers: {}, unexpected: statusCode >= 500 };
}

/**
 * Any thrown value → the error shape of API.md, its message in `lang` (pickLanguage of the request's
 * Accept-Language); `code` stays the same in every language. Internals never reach the client.
 */
export function toErrorResponse(exception: unknown, lang: Lang = DEFAULT_LANG): ErrorResponse {
  const response = untranslated(exception, lang);
  if (!(exception instanceof DomainError) && !(exception instanceof HttpException)) response.body.message = errorText(response.body.code, lang);
  return response;
}

function untranslated(exception: unknown, lang: Lang): ErrorResponse {
  if (exception instanceof DomainError) {
    const headers: Record<string, string> = {};
    if (exception.details.retryAfterSeconds !== undefined) headers['Retry-After'] = String(exception.details.retryAfterSeconds);
    return { body: fromDomainError(exception, lang), headers, unexpected: false };
  }
  if (exception instanceof HttpException) return fromHttpException(exception, lang);
  const err = exception as { message?: string; code?: string; driverError?: { code?: string } } | undefined;
  const sqlState = err?.driverError?.code ?? err?.code;
  if (DB_DOWN.test(String(err?.message)) || (sqlState && DB_DOWN_SQLSTATE.test(sqlState))) {
    return {
      body: { statusCode: 503, code: 'DB.UNAVAILABLE', message: 'The database is not reachable right now; try again shortly.' },
      headers: { 'Retry-After': '5' },
      unexpected: true,
    };
  }
  if (sqlState && (sqlState.startsWith('22') || sqlState === '23502' || sqlState === '23514')) {
    // A value PostgreSQL would not store (data exception, a required column left null, a CHECK): the
    // input boundary and the DTOs should have refused it; if one slips through, it is still the
    // client's value — 400, logged as unexpected so the missing rule gets written.
    return {
      body: { statusCode: 400, code: 'REQUEST.UNSTORABLE_VALUE', message: 'A value in the request cannot be stored (out of range, missing or malformed); check the fields and try again.' },
      headers: {},
      unexpected: true,
    };
  }
  if (isTransientConflict(exception)) {
    // Aborted twice to resolve a conflict with other transactions (retryOnConflict ran it once more).
    return {
      body: { statusCode: 409, code: 'DB.CONFLICT', message: 'The change collided with others made at the same moment and was not applied; try again.' },
      headers: { 'Retry-After': '1' },
      unexpected: false,
    };
  }
  return {
    body: { statusCode: 500, code: 'INTERNAL', message: 'Something went wrong on our side; it has been logged.' },
    headers: {},
    unexpected: true,
  };
}
