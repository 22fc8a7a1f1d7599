import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { isIPv6 } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { ApiKeyService } from './auth/api-key.service';
import { cliCommand, firstStartMessage } from './cli/commands';
import { AppConfig, loadConfig } from './config/app-config';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  // An import allocates its file's rows fast and drops them at the end. V8's own policy then lets garbage grow to up
  // to 4× the live heap before a full collection; a fixed factor keeps the peak near the live data, at about the same
  // speed (docs/performance.md). The flag is read at every collection, so setting it now takes effect.
  if (config.heapGrowingPercent > 0) setFlagsFromString(`--heap-growing-percent=${config.heapGrowingPercent}`);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
    // A failure to start (e.g. Redis unreachable) reaches the catch below, which prints its message and exits 1.
    abortOnError: false,
  });
  configureApp(app, config);
  const created = await app.get(ApiKeyService).ensureStartupKey({
    bootstrapKey: config.bootstrapApiKey,
    createIfNone: config.env !== 'production',
  });
  await app.listen(config.port, config.host);

  const base = `http://${displayHost(config.host)}:${config.port}`;
  const docs = config.docsEnabled ? ` (API docs: ${base}/docs)` : '';
  const lines = [`Leadport is listening on ${base}${docs}`];
  if (created) {
    // The log records the event; the key itself is only printed, once, outside any log line.
    new Logger('FirstStart').log(
      `Created workspace "${created.workspace.name}" (id ${created.workspace.id}) and its first API key ` +
        `(id ${created.record.id}); the key was printed once, not logged.`,
    );
    lines.push(firstStartMessage(created.workspace, created.key));
  } else if (!config.bootstrapApiKey) {
    lines.push(`Need an API key? Run: ${cliCommand('key:create')}`);
  }
  await printAfterLogs(app, lines.join('\n'));
}

/**
 * Plain text on stdout after the start-up log lines, so it is the last thing a person sees. pino writes
 * asynchronously and its flush() does not wait, so the text joins the stream of the logger that wrote those lines
 * (nestjs-pino's logger outside requests), outside any JSON line.
 */
async function printAfterLogs(app: NestExpressApplication, text: string): Promise<void> {
  const logger = (await app.resolve(PinoLogger)).logger as unknown as Record<symbol, unknown>;
  const stream = logger[pino.symbols.streamSym] as { write?: (chunk: string) => unknown } | undefined;
  if (typeof stream?.write === 'function') stream.write(`${text}\n`);
  else console.log(text);
}

/** A URL host a person can open: the wildcard addresses mean "this machine". */
function displayHost(host: AppConfig['host']): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return isIPv6(host) ? `[${host}]` : host;
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
