import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { ApiTokensService } from './auth/api-tokens.service.js';
import { SessionsService } from './auth/sessions.service.js';
import { uploadGate } from './auth/upload-gate.js';
import { UPLOAD_ROLES } from './imports/imports.controller.js';
import { installBodyParsers } from './common/body-parsing.js';
import { HttpErrorFilter } from './common/http-exception.filter.js';
import { createValidationPipe } from './common/validation.js';
import type { AppConfig } from './config/config.js';
import { ClusterIoAdapter, clusterAdapterFor } from './realtime/socket-adapter.js';

/** The built dashboard (npm run build:client); the same path from src/ under Jest and from dist/. */
export const CLIENT_DIST = fileURLToPath(new URL('../client/dist', import.meta.url));

const isApiPath = (path: string) => path.startsWith('/api/') || path === '/health';

function tileOrigin(tileUrl: string): string {
  // A template such as https://{s}.tile.example.org/{z}/{x}/{y}.png: allow its host (and subdomains).
  const match = /^(https?:\/\/)([^/]+)/.exec(tileUrl);
  return match ? match[1] + match[2].replace(/^\{s\}\./, '*.') : "'self'";
}

/**
 * Everything around the routes, shared by main.ts and the tests so they run the same application:
 * logging, security headers, CORS, body limit, validation, error shape, OpenAPI and the dashboard.
 * The app must be created with `{ bodyParser: false, bufferLogs: true }`.
 */
export async function configureApp(app: NestExpressApplication, config: AppConfig): Promise<void> {
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  // Behind a proxy (TRUST_PROXY), req.ip is the client's address from X-Forwarded-For: login limiting
  // counts people, not the proxy.
  app.set('trust proxy', config.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'img-src': ["'self'", 'data:', 'blob:', tileOrigin(config.tileUrl), ...(config.tileLabelsUrl ? [tileOrigin(config.tileLabelsUrl)] : [])],
          'connect-src': ["'self'", 'ws:', 'wss:'],
          // The phone view's service worker (/squad/sw.js, scope /squad/).
          'worker-src': ["'self'"],
        },
      },
    }),
  );
  if (config.corsOrigins.length) app.enableCors({ origin: config.corsOrigins.includes('*') ? true : config.corsOrigins });
  const gate = uploadGate(app.get(SessionsService), app.get(ApiTokensService), UPLOAD_ROLES);
  installBodyParsers(app.getHttpAdapter().getInstance(), { json: config.bodyLimit, imports: config.importBodyLimit }, gate);
  app.setGlobalPrefix('api', { exclude: ['health'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter());

  const openApi = new DocumentBuilder()
    .setTitle('Pingji (平急) API')
    .setDescription('Peacetime–emergency switchover and realtime squad dispatch. Log in at /api/auth/login, then send Authorization: Bearer <token>.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi), { jsonDocumentUrl: 'api/docs-json' });

  if (existsSync(CLIENT_DIST)) {
    // The dashboard's files; an API request is not looked for among them (a file-system lookup per request).
    const files = express.static(CLIENT_DIST, { index: 'index.html', maxAge: '1h' });
    app.use((req: Request, res: Response, next: NextFunction) => (isApiPath(req.path) ? next() : files(req, res, next)));
  }

  const cluster = await clusterAdapterFor(config);
  if (cluster) app.useWebSocketAdapter(new ClusterIoAdapter(app, cluster));
}
