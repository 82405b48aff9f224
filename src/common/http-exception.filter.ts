import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { toErrorResponse } from './error-response.js';
import { pickLanguage } from './messages/index.js';

/** The one place HTTP errors are shaped, and worded in the language the request asks for (Accept-Language, zh-CN by default). */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    const { body, headers, unexpected } = toErrorResponse(exception, pickLanguage(req.headers['accept-language']));
    if (unexpected) this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    if (res.headersSent) return;
    res.status(body.statusCode).set(headers).vary('Accept-Language').json(body);
  }
}
