import express, { type ErrorRequestHandler, type Express } from 'express';
import type { ErrorBody } from './error-response.js';

/**
 * JSON bodies up to `limit`, and the errors body parsing raises answered in the API's error shape
 * (Nest's exception filters never see them: they happen before routing).
 */
export function installJsonBodyParser(server: Express, limit: string): void {
  server.use(express.json({ limit }));
  const onParseError: ErrorRequestHandler = (err: { type?: string; status?: number }, _req, res, next) => {
    let body: ErrorBody | undefined;
    if (err.type === 'entity.too.large') {
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
