import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { finalize, Observable } from 'rxjs';
import { AuthenticatedRequest } from '../../auth/current-workspace.decorator';
import { AppError, ErrorCode } from '../../common/app-error';
import { ShutdownState } from '../../common/lifecycle.module';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { REDIS_CLIENT } from '../../redis/redis.module';
import { SharedSlotLeases } from './shared-slot-leases';

const RETRY_AFTER_SECONDS = 5;

/**
 * Bounds the imports running at once, per API key, per workspace and in this process. A request over a bound
 * gets 429 RATE_LIMITED with Retry-After before its body is read: no queue, no memory build-up.
 * With Redis the per-workspace and per-key bounds hold across all replicas (SharedSlotLeases); the per-process bound
 * is always this process's own. One instance per process, shared by ImportSlotsInterceptor (which takes and returns
 * the slots) and graceful shutdown (which waits for them).
 */
@Injectable()
export class ImportSlots {
  private running = 0;
  private readonly perWorkspace = new Map<string, number>();
  private readonly perKey = new Map<string, number>();
  /** Redis leases held by this process, by workspace and key: any one of a pair's leases can be given back. */
  private readonly leases = new Map<string, string[]>();
  private readonly shared?: SharedSlotLeases;
  private idleWaiters: Array<() => void> = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly shutdown: ShutdownState,
    @Inject(REDIS_CLIENT) redis: Redis | null,
  ) {
    if (redis && config.redis) {
      this.shared = new SharedSlotLeases(redis, config.redis.keyPrefix, config.import.slotLeaseMs);
    }
  }

  /** Takes a slot for an import of this workspace by this key, or throws 503 (shutting down) / 429 (over a bound). */
  async acquire(workspaceId: string, apiKeyId: string): Promise<void> {
    const { maxConcurrent, maxConcurrentPerWorkspace, maxConcurrentPerKey } = this.config.import;
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
    if ((this.perKey.get(apiKeyId) ?? 0) >= maxConcurrentPerKey) {
      throw busy(`This API key is running ${maxConcurrentPerKey} imports already.`);
    }
    // Counted here before Redis answers, so that concurrent requests cannot overrun this process's bound meanwhile.
    this.running++;
    increment(this.perWorkspace, workspaceId);
    increment(this.perKey, apiKeyId);
    if (this.shared) await this.acquireShared(workspaceId, apiKeyId);
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

  release(workspaceId: string, apiKeyId: string): void {
    const lease = this.leases.get(pairKey(workspaceId, apiKeyId))?.pop();
    if (lease) void this.shared?.release(lease);
    this.releaseLocal(workspaceId, apiKeyId);
  }

  private async acquireShared(workspaceId: string, apiKeyId: string): Promise<void> {
    const { maxConcurrentPerWorkspace, maxConcurrentPerKey } = this.config.import;
    let outcome: Awaited<ReturnType<SharedSlotLeases['acquire']>>;
    try {
      outcome = await this.shared!.acquire(workspaceId, apiKeyId, {
        workspace: maxConcurrentPerWorkspace,
        key: maxConcurrentPerKey,
      });
    } catch {
      this.releaseLocal(workspaceId, apiKeyId);
      throw new AppError(
        ErrorCode.SERVICE_UNAVAILABLE,
        `The import slot store (Redis) is unreachable. Try again in ${RETRY_AFTER_SECONDS} seconds.`,
        { 'Retry-After': String(RETRY_AFTER_SECONDS) },
      );
    }
    if ('full' in outcome) {
      this.releaseLocal(workspaceId, apiKeyId);
      throw outcome.full === 'workspace'
        ? busy(`This workspace is running ${maxConcurrentPerWorkspace} imports already.`)
        : busy(`This API key is running ${maxConcurrentPerKey} imports already.`);
    }
    const pair = pairKey(workspaceId, apiKeyId);
    this.leases.set(pair, [...(this.leases.get(pair) ?? []), outcome.lease]);
  }

  private releaseLocal(workspaceId: string, apiKeyId: string): void {
    this.running--;
    decrement(this.perWorkspace, workspaceId);
    decrement(this.perKey, apiKeyId);
    const pair = pairKey(workspaceId, apiKeyId);
    if (this.leases.get(pair)?.length === 0) this.leases.delete(pair);
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

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & SlotHolder>();
    const { workspaceId, apiKeyId } = request.auth;
    await this.slots.acquire(workspaceId, apiKeyId);
    let held = true;
    request.releaseImportSlot = () => {
      if (held) this.slots.release(workspaceId, apiKeyId);
      held = false;
    };
    return next.handle().pipe(finalize(() => request.releaseImportSlot?.()));
  }
}

/** A request holding an import slot: it may give it back early (a preview writes nothing, so it needs none). */
export interface SlotHolder {
  releaseImportSlot?: () => void;
}

function busy(reason: string): AppError {
  return new AppError(ErrorCode.RATE_LIMITED, `${reason} Try again in ${RETRY_AFTER_SECONDS} seconds.`, {
    'Retry-After': String(RETRY_AFTER_SECONDS),
  });
}

function pairKey(workspaceId: string, apiKeyId: string): string {
  return `${workspaceId} ${apiKeyId}`;
}

function increment(counts: Map<string, number>, id: string): void {
  counts.set(id, (counts.get(id) ?? 0) + 1);
}

function decrement(counts: Map<string, number>, id: string): void {
  const left = (counts.get(id) ?? 1) - 1;
  if (left > 0) counts.set(id, left);
  else counts.delete(id);
}
