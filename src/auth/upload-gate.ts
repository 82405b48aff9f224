import type { RequestHandler } from 'express';
import { toErrorResponse } from '../common/error-response.js';
import { pickLanguage } from '../common/messages/index.js';
import type { Role } from '../contracts/auth.js';
import type { ApiTokensService } from './api-tokens.service.js';
import { authenticateHeader, checkRoles } from './auth.guard.js';
import type { SessionsService } from './sessions.service.js';

/** Methods that carry no upload: left to the routes' own guard. */
const NO_BODY = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Mounted before the uploads' body parser (up to IMPORT_BODY_LIMIT): the guard's own check — token,
 * user, role — on the headers alone, so a stranger's 20 MB is refused with 401 (a viewer's with 403)
 * before a byte of it is read. The answer closes the connection (`Connection: close`), so the client
 * need not send the rest and Node discards whatever is in flight. Anything but a refusal (a database
 * that is away) is left to the guard, which answers it as on any other route.
 */
export function uploadGate(sessions: SessionsService, apiTokens: ApiTokensService, roles: readonly Role[]): RequestHandler {
  return (req, res, next) => {
    if (NO_BODY.has(req.method)) return next();
    Promise.resolve()
      .then(() => authenticateHeader(req.headers.authorization, sessions, apiTokens, false))
      .then((user) => {
        checkRoles(user, roles);
        next();
      })
      .catch((e: unknown) => {
        const { body, headers, unexpected } = toErrorResponse(e, pickLanguage(req.headers['accept-language']));
        if (unexpected || body.statusCode >= 500) return next();
        res.set(headers).set('Connection', 'close').status(body.statusCode).json(body);
      });
  };
}
