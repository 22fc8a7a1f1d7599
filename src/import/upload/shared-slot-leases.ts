/**
 * Import slots shared by all replicas through Redis: one sorted set of leases per workspace and per API key, each
 * lease scored by its expiry. Acquiring checks and takes both bounds in one Lua script (atomic); the replica renews
 * its leases while their imports run, so a replica that dies without releasing frees its slots when they expire.
 */
import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { every } from '../../common/every';

/** Drops expired leases, then takes a lease in both sets if each is under its bound. 0: taken, 1/2: which is full. */
const ACQUIRE = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local leaseMs = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 1 end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then return 2 end
for i = 1, 2 do
  redis.call('ZADD', KEYS[i], now + leaseMs, ARGV[1])
  redis.call('PEXPIRE', KEYS[i], leaseMs)
end
return 0`;

/** Pushes a lease's expiry forward (re-adding it if Redis lost it: the import is still running). */
const RENEW = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local leaseMs = tonumber(ARGV[2])
for i = 1, 2 do
  redis.call('ZADD', KEYS[i], now + leaseMs, ARGV[1])
  redis.call('PEXPIRE', KEYS[i], leaseMs)
end
return 0`;

type Leases = Redis & {
  acquireImportSlot(workspaceSet: string, keySet: string, lease: string, ...limits: number[]): Promise<number>;
  renewImportSlot(workspaceSet: string, keySet: string, lease: string, leaseMs: number): Promise<number>;
};

/** What acquire found: the lease taken, or which bound is full. */
export type LeaseOutcome = { lease: string } | { full: 'workspace' | 'key' };

interface HeldLease {
  lease: string;
  workspaceId: string;
  apiKeyId: string;
}

export class SharedSlotLeases {
  private readonly logger = new Logger(SharedSlotLeases.name);
  private readonly redis: Leases;
  private readonly held = new Map<string, HeldLease>();
  private stopRenewal?: () => void;

  constructor(
    redis: Redis,
    private readonly keyPrefix: string,
    private readonly leaseMs: number,
  ) {
    this.redis = redis as Leases;
    // defineCommand runs the script by its SHA (EVALSHA) and loads it when Redis does not know it yet.
    this.redis.defineCommand('acquireImportSlot', { numberOfKeys: 2, lua: ACQUIRE });
    this.redis.defineCommand('renewImportSlot', { numberOfKeys: 2, lua: RENEW });
  }

  async acquire(
    workspaceId: string,
    apiKeyId: string,
    limits: { workspace: number; key: number },
  ): Promise<LeaseOutcome> {
    const lease = randomBytes(12).toString('hex');
    const [workspaceSet, keySet] = this.sets(workspaceId, apiKeyId);
    const result = await this.redis.acquireImportSlot(
      workspaceSet,
      keySet,
      lease,
      this.leaseMs,
      limits.workspace,
      limits.key,
    );
    if (result === 1) return { full: 'workspace' };
    if (result === 2) return { full: 'key' };
    this.held.set(lease, { lease, workspaceId, apiKeyId });
    this.stopRenewal ??= every(Math.floor(this.leaseMs / 3), () => void this.renewAll());
    return { lease };
  }

  /** Gives a lease back; if Redis cannot be reached, it expires by itself. */
  async release(lease: string): Promise<void> {
    const held = this.held.get(lease);
    if (!held) return;
    this.held.delete(lease);
    if (this.held.size === 0) this.stopRenewing();
    const [workspaceSet, keySet] = this.sets(held.workspaceId, held.apiKeyId);
    try {
      await this.redis.multi().zrem(workspaceSet, lease).zrem(keySet, lease).exec();
    } catch (error) {
      this.logger.warn(`Could not release an import slot (it expires in ${this.leaseMs} ms): ${String(error)}`);
    }
  }

  private async renewAll(): Promise<void> {
    for (const { lease, workspaceId, apiKeyId } of this.held.values()) {
      try {
        await this.redis.renewImportSlot(...this.sets(workspaceId, apiKeyId), lease, this.leaseMs);
      } catch (error) {
        this.logger.warn(`Could not renew an import slot: ${String(error)}`);
      }
    }
  }

  private stopRenewing(): void {
    this.stopRenewal?.();
    this.stopRenewal = undefined;
  }

  private sets(workspaceId: string, apiKeyId: string): [string, string] {
    const base = `${this.keyPrefix}:import-slots`;
    return [`${base}:workspace:${workspaceId}`, `${base}:key:${apiKeyId}`];
  }
}
