import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { newId } from '../common/object-id';
import { Tag } from './tag.entity';

@Injectable()
export class TagsService {
  constructor(@InjectRepository(Tag) private readonly tags: Repository<Tag>) {}

  /** The id of the workspace's tag of this name (case-insensitive), if it has one. */
  async findId(workspaceId: string, name: string): Promise<string | null> {
    return (await this.tags.findOneBy({ workspaceId, nameKey: name.toLowerCase() }))?.id ?? null;
  }

  /** The tag with this name (case-insensitive) in the workspace, created if new; returns its id. */
  async ensure(workspaceId: string, name: string): Promise<string> {
    const nameKey = name.toLowerCase();
    const found = await this.tags.findOneBy({ workspaceId, nameKey });
    if (found) return found.id;
    // orIgnore: if a concurrent import creates the same tag first, its row stands and is read below.
    await this.tags
      .createQueryBuilder()
      .insert()
      .values({ id: newId(), workspaceId, name, nameKey, createdAt: new Date() })
      .orIgnore()
      .execute();
    return (await this.tags.findOneByOrFail({ workspaceId, nameKey })).id;
  }
}
