import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { translateBodyParserErrors } from './common/error.filter';
import { ErrorEnvelopeDto } from './common/swagger';
import { AppConfig } from './config/app-config';

/** Everything about the HTTP app that is not a module: shared by main.ts and the e2e tests. */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  app.use(helmet());
  app.disable('x-powered-by');
  if (config.corsOrigins.length > 0) {
    // Browsers hide response headers outside the CORS safelist unless they are exposed.
    app.enableCors({ origin: config.corsOrigins, exposedHeaders: ['Retry-After', 'X-Request-Id'] });
  }
  app.useBodyParser('json', { limit: '100kb' });
  app.useBodyParser('urlencoded', { limit: '100kb', extended: false, parameterLimit: 100 });
  app.use(translateBodyParserErrors);
  // Exit 0 after a graceful shutdown (Nest would re-raise the signal) and let pino flush on 'exit'.
  app.enableShutdownHooks([], { useProcessExit: true });
  setUpSwagger(app);
}

function setUpSwagger(app: NestExpressApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Leadport API')
      .setDescription(
        'Import messy lead CSVs and get clean, de-duplicated leads. Every response is an envelope: ' +
          '`{"success": true, "data": …}` or `{"success": false, "error": {"code", "message"}}`.',
      )
      .setVersion('1')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'sk_… or sk_user_…' }, 'apiKey')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The API key as a Bearer token' }, 'bearer')
      .addSecurityRequirements('apiKey')
      .addSecurityRequirements('bearer')
      .build(),
    { extraModels: [ErrorEnvelopeDto] },
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
