import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { finalize, Observable } from 'rxjs';
import { AuthenticatedRequest } from '../../auth/current-workspace.decorator';
import { AppError, ErrorCode } from '../../common/app-error';
import { ShutdownState } from '../../common/lifecycle.module';
import { APP_CONFIG, AppConfig } from '../../config/app-config';

const RETRY_AFTER_SECONDS = 5;

/**
 * Bounds the imports running at once, per workspace and in this process. A request over the bound
 * gets 429 RATE_LIMITED with Retry-After before its body is read: no queue, no memory build-up.
 * One instance per process, shared by ImportSlotsInterceptor (which takes and returns the slots)
 * and graceful shutdown (which waits for them).
 */
@Injectable()
export class ImportSlots {
  private running = 0;
  private readonly perWorkspace = new Map<string, number>();
  private idleWaiters: Array<() => void> = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly shutdown: ShutdownState,
  ) {}

  /** Takes a slot for an import of this workspace, or throws 503 (shutting down) / 429 (over a bound). */
  acquire(workspaceId: string): void {
    const { maxConcurrent, maxConcurrentPerWorkspace } = this.config.import;
    if (this.shutdown.shuttingDown) {
      throw new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'The server is shutting down. Send the import again.', {
        'Retry-After': String(RETRY_AFTER_SECONDS),
      });
    }
    if (this.running >= maxConcurrent) {
      throw busy(`The server is running ${maxConcurrent} imports already.`);
    }
    if ((this.perWorkspace.get(workspaceId) ?? 0) >= maxConcurrentPerWorkspace) {
      throw busy(`This workspace is running ${maxConcurrentPerWorkspace} imports already.`);
    }
    this.running++;
    this.perWorkspace.set(workspaceId, (this.perWorkspace.get(workspaceId) ?? 0) + 1);
  }

  /** Imports in flight in this process. */
  get active(): number {
    return this.running;
  }

  /** Resolves when no import is running (used by graceful shutdown). */
  whenIdle(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  release(workspaceId: string): void {
    this.running--;
    const left = (this.perWorkspace.get(workspaceId) ?? 1) - 1;
    if (left > 0) this.perWorkspace.set(workspaceId, left);
    else this.perWorkspace.delete(workspaceId);
    if (this.running === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((resolve) => resolve());
    }
  }
}

/**
 * Holds an import slot for the whole request (even if its client has gone away). Nest makes its own
 * instance of an interceptor named in @UseInterceptors, so the counts live in the ImportSlots provider.
 */
@Injectable()
export class ImportSlotsInterceptor implements NestInterceptor {
  constructor(private readonly slots: ImportSlots) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const { workspaceId } = context.switchToHttp().getRequest<AuthenticatedRequest>().auth;
    this.slots.acquire(workspaceId);
    return next.handle().pipe(finalize(() => this.slots.release(workspaceId)));
  }
}

function busy(reason: string): AppError {
  return new AppError(ErrorCode.RATE_LIMITED, `${reason} Try again in ${RETRY_AFTER_SECONDS} seconds.`, {
    'Retry-After': String(RETRY_AFTER_SECONDS),
  });
}
