import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { ShutdownState } from '../../common/lifecycle.module';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ImportSlots } from '../upload/import-slots';
import { ImportService } from '../import.service';
import { ImportsService } from './import-history.service';

/**
 * Start: imports a dead process left `processing` are marked `interrupted` (now, and every
 * staleAfterMs). SIGTERM: readiness fails, no new connections or imports, in-flight imports get
 * SHUTDOWN_TIMEOUT_MS to finish, the rest are marked interrupted; then Nest closes the pool.
 */
@Injectable()
export class ImportLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ImportLifecycle.name);
  private sweeper?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly shutdown: ShutdownState,
    private readonly slots: ImportSlots,
    private readonly importer: ImportService,
    private readonly records: ImportsService,
    private readonly http: HttpAdapterHost,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sweep();
    this.sweeper = setInterval(() => void this.sweep(), this.config.import.staleAfterMs);
    this.sweeper.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.shutdown.shuttingDown = true;
    clearInterval(this.sweeper);
    const server = this.http.httpAdapter?.getHttpServer() as Server | undefined;
    if (server?.listening) {
      server.close(); // no new connections; Nest's own close later waits for the open ones
      server.closeIdleConnections();
    }
    if (this.slots.active > 0) {
      this.logger.log(
        `Shutting down: waiting up to ${this.config.shutdownTimeoutMs} ms for ${this.slots.active} import(s)`,
      );
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.config.shutdownTimeoutMs)));
      await Promise.race([this.slots.whenIdle(), timeout]);
      clearTimeout(timer);
    }
    await this.importer.interruptRunning();
  }

  private async sweep(): Promise<void> {
    try {
      const count = await this.records.markStaleInterrupted(this.config.import.staleAfterMs);
      if (count > 0) this.logger.warn(`Marked ${count} import(s) left by a stopped process as interrupted`);
    } catch (error) {
      this.logger.error({ err: error }, 'Could not check for interrupted imports');
    }
  }
}
