import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { json } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { PUBLIC_OPERATION_EXTENSION } from './auth/public.decorator';
import { JSON_TYPES, refuseDeepBodies, translateBodyParserErrors } from './common/request-bodies';
import { ErrorEnvelopeDto } from './common/swagger';
import { AppConfig } from './config/app-config';

const SUPPRESSIONS_BODY_LIMIT = '4mb';

/** Everything about the HTTP app that is not a module: shared by main.ts and the e2e tests. */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  app.use(helmet());
  app.disable('x-powered-by');
  if (config.corsOrigins.length > 0) {
    // Browsers hide response headers outside the CORS safelist unless they are exposed.
    app.enableCors({
      origin: config.corsOrigins,
      exposedHeaders: ['Retry-After', 'X-Request-Id', 'Idempotent-Replayed'],
    });
  }
  // POST /v1/suppressions takes up to 10,000 entries of up to 320 characters: more than 100 KB.
  app
    .getHttpAdapter()
    .getInstance()
    .post('/v1/suppressions', json({ limit: SUPPRESSIONS_BODY_LIMIT, type: JSON_TYPES }));
  app.useBodyParser('json', { limit: '100kb', type: JSON_TYPES });
  app.useBodyParser('urlencoded', { limit: '100kb', extended: false, parameterLimit: 100 });
  app.use(translateBodyParserErrors);
  app.use(refuseDeepBodies);
  // Exit 0 after a graceful shutdown (Nest would re-raise the signal) and let pino flush on 'exit'.
  app.enableShutdownHooks([], { useProcessExit: true });
  if (config.docsEnabled) setUpSwagger(app);
}

function setUpSwagger(app: NestExpressApplication): void {
  const keyHelp =
    'A workspace key (`sk_…`) or a platform key (`sk_user_…`). Either header is enough: fill in X-Api-Key or ' +
    'Bearer, not both (two different keys are refused).';
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Leadport API')
      .setDescription(
        'Import messy lead CSVs and get clean, de-duplicated leads. Every response is an envelope: ' +
          '`{"success": true, "data": …}` or `{"success": false, "error": {"code", "message"}}`.\n\n' +
          'Every route but the health probes needs an API key, sent as `X-Api-Key: <key>` or ' +
          "`Authorization: Bearer <key>`. A lost key is replaced from the server's shell: " +
          '`npm run cli -- workspace:list`, then `npm run cli -- key:create --workspace <id or name>`.',
      )
      .setVersion(packageVersion())
      // Relative: the server that serves this document, whatever host or proxy it is reached through.
      .addServer('/', 'This server')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key', description: `API key. ${keyHelp}` }, 'apiKey')
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'sk_… API key',
          description: `API key as a Bearer token. ${keyHelp}`,
        },
        'bearer',
      )
      // Two requirements, not one with both schemes: either one is enough.
      .addSecurityRequirements('apiKey')
      .addSecurityRequirements('bearer')
      .build(),
    { extraModels: [ErrorEnvelopeDto] },
  );
  openPublicOperations(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

/** Routes marked @Public() need no key: `security: []` overrides the document's requirements (and drops the lock). */
function openPublicOperations(document: OpenAPIObject): void {
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path) as Array<Record<string, unknown>>) {
      if (operation && typeof operation === 'object' && operation[PUBLIC_OPERATION_EXTENSION] === true) {
        delete operation[PUBLIC_OPERATION_EXTENSION];
        operation.security = [];
      }
    }
  }
}

/** The version in package.json, found from dist/src or src (tests) alike. */
function packageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  throw new Error(`No package.json above ${__dirname}`);
}
