/**
 * SIGTERM: readiness fails, no new connections or imports, imports in flight get SHUTDOWN_TIMEOUT_MS to finish, the
 * rest stop after their current batches and are marked interrupted; then Nest closes the database pool.
 */
import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { ShutdownState } from '../common/lifecycle.module';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ImportService } from './import.service';
import { ImportSlots } from './upload/import-slots';

@Injectable()
export class ImportShutdown implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ImportShutdown.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly shutdown: ShutdownState,
    private readonly slots: ImportSlots,
    private readonly importer: ImportService,
    private readonly http: HttpAdapterHost,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    this.shutdown.shuttingDown = true;
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
}
