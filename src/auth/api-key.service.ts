import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, Repository } from 'typeorm';
import { AppError, ErrorCode, NotFoundError, ValidationError } from '../common/app-error';
import { isObjectId, newId } from '../common/object-id';
import { ApiKey, ApiKeyKind } from './api-key.entity';
import { claimedKind, displayPrefix, generateApiKey, hashApiKey, isWellFormedKey, sameHash } from './api-key';
import { AuthContext } from './auth-context';
import { User } from './user.entity';
import { WorkspaceMember } from './workspace-member.entity';
import { Workspace } from './workspace.entity';

export interface CreatedKey {
  key: string;
  record: ApiKey;
}

const INVALID_KEY = 'Invalid or revoked API key. Check the key, or create a new one with "npm run cli -- key:create".';

@Injectable()
export class ApiKeyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    @InjectRepository(WorkspaceMember) private readonly members: Repository<WorkspaceMember>,
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Workspace) private readonly workspaces: Repository<Workspace>,
  ) {}

  /** Resolves a presented key and the optional X-Workspace-Id header to the workspace it may act on. */
  async authenticate(key: string, requestedWorkspaceId: string | undefined): Promise<AuthContext> {
    if (!isWellFormedKey(key)) throw new AppError(ErrorCode.UNAUTHORIZED, INVALID_KEY);
    const hash = hashApiKey(key);
    const record = await this.keys.findOneBy({ keyHash: hash });
    if (!record || !sameHash(record.keyHash, hash) || record.revokedAt !== null || record.kind !== claimedKind(key)) {
      throw new AppError(ErrorCode.UNAUTHORIZED, INVALID_KEY);
    }
    const workspaceId =
      record.kind === 'workspace'
        ? this.workspaceKeyTarget(record, requestedWorkspaceId)
        : await this.platformKeyTarget(record, requestedWorkspaceId);
    return { workspaceId, apiKeyId: record.id, keyKind: record.kind, userId: record.userId };
  }

  private workspaceKeyTarget(record: ApiKey, requested: string | undefined): string {
    if (requested !== undefined && requested !== record.workspaceId) {
      throw new AppError(ErrorCode.FORBIDDEN, 'This API key belongs to another workspace than X-Workspace-Id names.');
    }
    return record.workspaceId!;
  }

  private async platformKeyTarget(record: ApiKey, requested: string | undefined): Promise<string> {
    const userId = record.userId!;
    if (requested !== undefined) {
      const member = isObjectId(requested) && (await this.members.existsBy({ userId, workspaceId: requested }));
      if (!member)
        // Not echoed: the header is attacker-chosen text, and naming it back helps nobody fix the request.
        throw new AppError(
          ErrorCode.FORBIDDEN,
          "This API key's user is not a member of the workspace X-Workspace-Id names.",
        );
      return requested;
    }
    const memberships = await this.members.find({ where: { userId }, select: { workspaceId: true } });
    const user = await this.users.findOneBy({ id: userId });
    const defaultId = user?.defaultWorkspaceId;
    if (defaultId && memberships.some((m) => m.workspaceId === defaultId)) return defaultId;
    if (memberships.length === 1) return memberships[0].workspaceId;
    if (memberships.length === 0)
      throw new AppError(ErrorCode.FORBIDDEN, "This API key's user belongs to no workspace.");
    throw new ValidationError(
      `This platform key's user belongs to ${memberships.length} workspaces. Name one in the X-Workspace-Id header.`,
    );
  }

  /** Creates a workspace and its first workspace key. */
  async createWorkspace(name: string): Promise<{ workspace: Workspace } & CreatedKey> {
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 200) throw new ValidationError('A workspace name needs 1 to 200 characters.');
    return this.dataSource.transaction(async (manager) => {
      const workspace = await manager.save(Workspace, { id: newId(), name: trimmed, createdAt: new Date() });
      const created = await this.insertKey(manager, { kind: 'workspace', workspaceId: workspace.id, name: 'default' });
      return { workspace, ...created };
    });
  }

  /** A workspace key, or a platform key for a user (created if new) who becomes a member of the workspace. */
  async createKey(options: { workspaceId: string; platformUserEmail?: string; name?: string }): Promise<CreatedKey> {
    const { workspaceId, platformUserEmail } = options;
    if (!isObjectId(workspaceId) || !(await this.workspaces.existsBy({ id: workspaceId }))) {
      throw new NotFoundError(`Workspace "${workspaceId}" not found.`);
    }
    return this.dataSource.transaction(async (manager) => {
      if (platformUserEmail === undefined) {
        return this.insertKey(manager, { kind: 'workspace', workspaceId, name: options.name ?? 'cli' });
      }
      const user = await this.ensureMember(manager, platformUserEmail, workspaceId);
      return this.insertKey(manager, { kind: 'platform', userId: user.id, name: options.name ?? 'cli' });
    });
  }

  /** Revokes the key with this id, display prefix or full text; effective on the next request. */
  async revoke(idOrPrefix: string): Promise<ApiKey> {
    const wanted = idOrPrefix.trim().replace(/…$/, '');
    const matches = await this.keys.find({
      where: isObjectId(wanted)
        ? { id: wanted }
        : isWellFormedKey(wanted)
          ? [{ prefix: wanted }, { keyHash: hashApiKey(wanted) }]
          : { prefix: wanted },
    });
    if (matches.length === 0) throw new NotFoundError(`No API key has the id or prefix "${wanted}". See "key:list".`);
    if (matches.length > 1)
      throw new ValidationError(`Several keys have the prefix "${wanted}"; revoke by id instead.`);
    const [record] = matches;
    if (record.revokedAt === null) {
      record.revokedAt = new Date();
      await this.keys.update({ id: record.id }, { revokedAt: record.revokedAt });
    }
    return record;
  }

  /** Workspace keys of a workspace and platform keys of its members. */
  async list(workspaceId: string): Promise<ApiKey[]> {
    const members = await this.members.find({ where: { workspaceId }, select: { userId: true } });
    const userIds = members.map((m) => m.userId);
    const where = [{ workspaceId }, ...userIds.map((userId) => ({ userId, workspaceId: IsNull() }))];
    return this.keys.find({ where, order: { createdAt: 'ASC' } });
  }

  /**
   * BOOTSTRAP_API_KEY makes sure that key exists, for a "Default" workspace. Without it, a first
   * start with no key at all (outside production) creates one; it is returned, with its workspace, to be shown once.
   */
  async ensureStartupKey(options: {
    bootstrapKey?: string;
    createIfNone: boolean;
  }): Promise<({ workspace: Workspace } & CreatedKey) | null> {
    const { bootstrapKey } = options;
    if (bootstrapKey) {
      if (await this.keys.existsBy({ keyHash: hashApiKey(bootstrapKey) })) return null;
      await this.dataSource.transaction(async (manager) => {
        const workspace = await this.defaultWorkspace(manager);
        await this.insertKey(
          manager,
          { kind: 'workspace', workspaceId: workspace.id, name: 'bootstrap' },
          bootstrapKey,
        );
      });
      return null;
    }
    if (!options.createIfNone || (await this.keys.count()) > 0) return null;
    return this.dataSource.transaction(async (manager) => {
      const workspace = await this.defaultWorkspace(manager);
      const created = await this.insertKey(manager, {
        kind: 'workspace',
        workspaceId: workspace.id,
        name: 'first start',
      });
      return { workspace, ...created };
    });
  }

  private async defaultWorkspace(manager: EntityManager): Promise<Workspace> {
    const existing = await manager.findOne(Workspace, { where: { name: 'Default' }, order: { createdAt: 'ASC' } });
    return existing ?? manager.save(Workspace, { id: newId(), name: 'Default', createdAt: new Date() });
  }

  private async ensureMember(manager: EntityManager, email: string, workspaceId: string): Promise<User> {
    const normalized = email.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+$/.test(normalized)) throw new ValidationError(`"${email}" is not an email address.`);
    let user = await manager.findOneBy(User, { email: normalized });
    if (!user) {
      user = await manager.save(User, {
        id: newId(),
        email: normalized,
        defaultWorkspaceId: workspaceId,
        createdAt: new Date(),
      });
    }
    if (!(await manager.existsBy(WorkspaceMember, { userId: user.id, workspaceId }))) {
      await manager.insert(WorkspaceMember, { userId: user.id, workspaceId, createdAt: new Date() });
    }
    return user;
  }

  private async insertKey(
    manager: EntityManager,
    owner: { kind: ApiKeyKind; workspaceId?: string; userId?: string; name: string },
    key: string = generateApiKey(owner.kind),
  ): Promise<CreatedKey> {
    const record = manager.create(ApiKey, {
      id: newId(),
      kind: owner.kind,
      keyHash: hashApiKey(key),
      prefix: displayPrefix(key),
      workspaceId: owner.workspaceId ?? null,
      userId: owner.userId ?? null,
      name: owner.name,
      createdAt: new Date(),
      revokedAt: null,
    });
    await manager.insert(ApiKey, record);
    return { key, record };
  }
}
