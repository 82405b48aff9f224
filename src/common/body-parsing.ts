import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler } from 'express';
import type { DomainError } from './domain-error.js';
import { toErrorResponse } from './error-response.js';
import { errorText, pickLanguage } from './messages/index.js';
import type { ErrorBody } from '../contracts/errors.js';
import { inspectInput, textProblem } from './input-boundary.js';

/** Uploaded files (CSV, GeoJSON) come in as text under this path, with their own, larger limit. */
const IMPORTS_PATH = '/api/imports';

/**
 * `uploadGate` (authentication and role, from the headers) before any upload's body is read; then
 * JSON bodies up to `limits.json`, uploaded files as text up to `limits.imports`, and the errors body
 * parsing raises answered in the API's error shape (Nest's exception filters never see them: they
 * happen before routing).
 */
export function installBodyParsers(server: Express, limits: { json: string; imports: string }, uploadGate?: RequestHandler): void {
  // Before the uploads' parser: who may upload is known from the headers, so a refused upload is never read.
  if (uploadGate) server.use(IMPORTS_PATH, uploadGate);
  // First: a body parsed here is not parsed again by express.json (body-parser skips parsed requests).
  server.use(IMPORTS_PATH, express.text({ type: () => true, limit: limits.imports }));
  server.use(express.json({ limit: limits.json }));
  server.use(inputBoundary);
  const onParseError: ErrorRequestHandler = (err: { type?: string; status?: number }, req, res, next) => {
    let body: ErrorBody | undefined;
    const lang = pickLanguage(req.headers['accept-language']);
    if (err.type === 'entity.too.large') {
      const uploads = req.originalUrl.startsWith(IMPORTS_PATH);
      const limit = lang === 'en' ? (uploads ? `${limits.imports} for uploaded files` : limits.json) : uploads ? `上传文件 ${limits.imports}` : limits.json;
      body = { statusCode: 413, code: 'REQUEST.TOO_LARGE', message: errorText('REQUEST.TOO_LARGE', lang, { limit }) };
    } else if (err.type === 'entity.parse.failed') {
      body = { statusCode: 400, code: 'REQUEST.MALFORMED_JSON', message: errorText('REQUEST.MALFORMED_JSON', lang) };
    } else if (err.status && err.status >= 400 && err.status < 500) {
      body = { statusCode: err.status, code: 'REQUEST.UNREADABLE_BODY', message: errorText('REQUEST.UNREADABLE_BODY', lang) };
    }
    if (!body) return next(err);
    res.status(body.statusCode).json(body);
  };
  server.use(onParseError);
}

/** What a request carries that no route may see: see inspectInput (depth, control characters, bad Unicode). */
export function inspectRequest(req: Request): DomainError | undefined {
  let path: string | undefined;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    path = undefined; // not valid percent-encoding: the router answers that with 400 itself
  }
  const pathProblem = path === undefined ? undefined : textProblem(path);
  if (pathProblem) return inspectInput(path, 'The path');
  const body: unknown = req.body;
  // Uploaded files arrive as text (imports): the whole file is one string to check.
  return inspectInput(req.query, 'The query string') ?? inspectInput(body, typeof body === 'string' ? 'The uploaded file' : 'The request body');
}

/** Runs before routing, guards and validation, on every request: before login too. */
const inputBoundary: RequestHandler = (req, res, next) => {
  const problem = inspectRequest(req);
  if (!problem) return next();
  const { body } = toErrorResponse(problem, pickLanguage(req.headers['accept-language']));
  res.status(body.statusCode).json(body);
};
