import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isObjectId } from '../common/object-id';
import { ApiKeyService } from './api-key.service';
import { Workspace } from './workspace.entity';

export interface WorkspaceSummary {
  workspace: Workspace;
  /** Keys that can act on it now: its workspace keys and its members' platform keys, not revoked. */
  activeKeys: number;
}

/** Finding workspaces for the CLI: by id or by exact name, with what a person needs to pick one. */
@Injectable()
export class WorkspacesService {
  constructor(
    @InjectRepository(Workspace) private readonly workspaces: Repository<Workspace>,
    private readonly keys: ApiKeyService,
  ) {}

  /** Every workspace, oldest first. */
  async list(): Promise<WorkspaceSummary[]> {
    const all = await this.workspaces.find({ order: { createdAt: 'ASC', id: 'ASC' } });
    const summaries: WorkspaceSummary[] = [];
    for (const workspace of all) {
      const keys = await this.keys.list(workspace.id);
      summaries.push({ workspace, activeKeys: keys.filter((k) => k.revokedAt === null).length });
    }
    return summaries;
  }

  /** The workspaces whose id is `idOrName`, or else whose name is exactly `idOrName` (names need not be unique). */
  async find(idOrName: string): Promise<Workspace[]> {
    const wanted = idOrName.trim();
    if (isObjectId(wanted)) {
      const byId = await this.workspaces.findOneBy({ id: wanted });
      if (byId) return [byId];
    }
    return this.workspaces.find({ where: { name: wanted }, order: { createdAt: 'ASC', id: 'ASC' } });
  }
}
