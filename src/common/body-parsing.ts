import express, { type ErrorRequestHandler, type Express } from 'express';
import type { ErrorBody } from './error-response.js';

/** Uploaded files (CSV, GeoJSON) come in as text under this path, with their own, larger limit. */
const IMPORTS_PATH = '/api/imports';

/**
 * JSON bodies up to `limits.json`, uploaded files as text up to `limits.imports`, and the errors body
 * parsing raises answered in the API's error shape (Nest's exception filters never see them: they
 * happen before routing).
 */
export function installBodyParsers(server: Express, limits: { json: string; imports: string }): void {
  // First: a body parsed here is not parsed again by express.json (body-parser skips parsed requests).
  server.use(IMPORTS_PATH, express.text({ type: () => true, limit: limits.imports }));
  server.use(express.json({ limit: limits.json }));
  const onParseError: ErrorRequestHandler = (err: { type?: string; status?: number }, req, res, next) => {
    let body: ErrorBody | undefined;
    if (err.type === 'entity.too.large') {
      const limit = req.originalUrl.startsWith(IMPORTS_PATH) ? `${limits.imports} for uploaded files` : limits.json;
      body = { statusCode: 413, code: 'REQUEST.TOO_LARGE', message: `The request body is larger than the limit of ${limit}.` };
    } else if (err.type === 'entity.parse.failed') {
      body = { statusCode: 400, code: 'REQUEST.MALFORMED_JSON', message: 'The request body is not valid JSON.' };
    } else if (err.status && err.status >= 400 && err.status < 500) {
      body = { statusCode: err.status, code: 'REQUEST.UNREADABLE_BODY', message: 'The request body could not be read.' };
    }
    if (!body) return next(err);
    res.status(body.statusCode).json(body);
  };
  server.use(onParseError);
}
