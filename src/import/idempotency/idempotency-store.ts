/**
 * The Idempotency-Key rows: claiming a key for one request (a UNIQUE (workspace, key) row: of two concurrent requests
 * exactly one inserts it), storing its answer, and purging keys past their 24 hours. Everything lives in the database,
 * so it holds across replicas and restarts, with or without Redis.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { databaseErrorCode } from '../../common/database-errors';
import { newId } from '../../common/object-id';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { IdempotencyKey, StoredResponse } from './idempotency-key.entity';
import { every } from '../../common/every';

/** How long a key answers with its first request's result. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

const PURGE_EVERY_MS = 60 * 60 * 1000;
const PURGE_PAGE = 1000;
/** Another request inserted the key first (or InnoDB picked this insert as a deadlock victim): read it again. */
const LOST_RACE = new Set([
  'ER_DUP_ENTRY',
  'ER_LOCK_DEADLOCK',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
  'SQLITE_CONSTRAINT_UNIQUE',
]);

/** What a request with a key may do: run (it holds the key now), replay an answer, or neither. */
export type Claim =
  | { kind: 'claimed'; claimId: string }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'running' }
  | { kind: 'reused' };

@Injectable()
export class IdempotencyStore implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyStore.name);
  private stopPurging?: () => void;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(IdempotencyKey) private readonly keys: Repository<IdempotencyKey>,
  ) {}

  onApplicationBootstrap(): void {
    void this.purgeQuietly();
    this.stopPurging = every(PURGE_EVERY_MS, () => void this.purgeQuietly());
  }

  onApplicationShutdown(): void {
    this.stopPurging?.();
  }

  /** Whether a live request holds this key right now (checked before the upload is read). */
  async isRunning(workspaceId: string, key: string): Promise<boolean> {
    const row = await this.keys.findOneBy({ workspaceId, key });
    return row !== null && this.isLive(row, new Date()) && row.state === 'running';
  }

  /**
   * Claims the key for a request with this fingerprint. A key left `running` by a dead process (not refreshed for
   * IMPORT_STALE_AFTER_MS, the imports' own rule) or past its 24 hours is taken over as if it were new.
   */
  async claim(workspaceId: string, key: string, fingerprint: string): Promise<Claim> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = new Date();
      const claimId = newId();
      const fresh = {
        claimId,
        fingerprint,
        state: 'running' as const,
        response: null,
        createdAt: now,
        updatedAt: now,
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEY_TTL_MS),
      };
      const row = await this.keys.findOneBy({ workspaceId, key });
      if (!row) {
        try {
          await this.keys.insert({ workspaceId, key, ...fresh });
          return { kind: 'claimed', claimId };
        } catch (error) {
          if (LOST_RACE.has(databaseErrorCode(error) ?? '')) continue;
          throw error;
        }
      }
      if (this.isLive(row, now)) {
        if (row.fingerprint !== fingerprint) return { kind: 'reused' };
        return row.state === 'done' && row.response ? { kind: 'replay', response: row.response } : { kind: 'running' };
      }
      // Only the request that still sees the old claim takes it over.
      const taken = await this.keys.update({ workspaceId, key, claimId: row.claimId }, fresh);
      if (taken.affected === 1) return { kind: 'claimed', claimId };
    }
    return { kind: 'running' };
  }

  /** Stores the answer of the request holding the claim; from now on the key replays it. */
  async finish(workspaceId: string, key: string, claimId: string, response: StoredResponse): Promise<void> {
    // The JSON column takes any body; TypeORM's deep-partial type cannot follow an `unknown` inside it.
    const done = { state: 'done', response, updatedAt: new Date() } as QueryDeepPartialEntity<IdempotencyKey>;
    await this.keys.update({ workspaceId, key, claimId }, done);
  }

  /** Frees the key (the request failed on our side, 5xx): sending it again runs the import again. */
  async release(workspaceId: string, key: string, claimId: string): Promise<void> {
    await this.keys.delete({ workspaceId, key, claimId });
  }

  /** Keeps a running claim fresh every IMPORT_STALE_AFTER_MS / 6; returns the stopper. */
  heartbeat(workspaceId: string, key: string, claimId: string): () => void {
    return every(this.config.import.staleAfterMs / 6, () => {
      this.keys
        .update({ workspaceId, key, claimId, state: 'running' }, { updatedAt: new Date() })
        .catch(() => undefined); // a missed beat is harmless: the next one comes before the claim goes stale
    });
  }

  /**
   * Deletes keys past their 24 hours: a page selected first, then deleted by primary key in one statement (a DELETE by
   * `expires_at` would lock a range of the index on MySQL, in the way of new claims).
   */
  async purgeExpired(now = new Date()): Promise<number> {
    let purged = 0;
    for (;;) {
      const expired = await this.keys.find({
        select: { workspaceId: true, key: true },
        where: { expiresAt: LessThan(now) },
        take: PURGE_PAGE,
      });
      if (expired.length > 0) await this.keys.createQueryBuilder().delete().where(expired).execute();
      purged += expired.length;
      if (expired.length < PURGE_PAGE) return purged;
    }
  }

  private isLive(row: IdempotencyKey, now: Date): boolean {
    if (row.expiresAt <= now) return false;
    return row.state === 'done' || now.getTime() - row.updatedAt.getTime() < this.config.import.staleAfterMs;
  }

  private async purgeQuietly(): Promise<void> {
    try {
      const purged = await this.purgeExpired();
      if (purged > 0) this.logger.log(`Purged ${purged} expired idempotency key(s)`);
    } catch (error) {
      this.logger.error({ err: error }, 'Could not purge expired idempotency keys');
    }
  }
}
