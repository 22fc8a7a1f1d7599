import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { setFlagsFromString } from 'node:v8';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { ApiKeyService } from './auth/api-key.service';
import { loadConfig } from './config/app-config';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  // An import allocates its file's rows fast and drops them at the end. V8's own policy then lets garbage grow to up
  // to 4× the live heap before a full collection; a fixed factor keeps the peak near the live data, at about the same
  // speed (docs/performance.md). The flag is read at every collection, so setting it now takes effect.
  if (config.heapGrowingPercent > 0) setFlagsFromString(`--heap-growing-percent=${config.heapGrowingPercent}`);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  configureApp(app, config);
  const newKey = await app.get(ApiKeyService).ensureStartupKey({
    bootstrapKey: config.bootstrapApiKey,
    createIfNone: config.env !== 'production',
  });
  await app.listen(config.port);

  const base = `http://localhost:${config.port}`;
  const lines = [`Leadport is listening on ${base} (API docs: ${base}/docs)`];
  if (newKey) {
    lines.push(
      `First start: created workspace "Default" with API key ${newKey}`,
      'Keep it now; it is not shown again.',
    );
  } else if (!config.bootstrapApiKey) {
    lines.push('Need an API key? Run: npm run cli -- workspace:create "My team"');
  }
  // Printed, not logged: the log never carries keys.
  console.log(lines.join('\n'));
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
