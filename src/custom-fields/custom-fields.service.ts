import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { newId } from '../common/object-id';
import { customFieldKey } from './custom-field-limits';
import { CustomField } from './custom-field.entity';

@Injectable()
export class CustomFieldsService {
  constructor(@InjectRepository(CustomField) private readonly fields: Repository<CustomField>) {}

  list(workspaceId: string): Promise<CustomField[]> {
    return this.fields.find({ where: { workspaceId }, order: { nameKey: 'ASC' } });
  }

  /**
   * Registers the names a workspace has not used before and returns, for every name, the one to
   * store: an existing definition wins, so "industry" lands in the workspace's "Industry".
   */
  async register(workspaceId: string, names: string[]): Promise<Map<string, string>> {
    const wanted = new Map<string, string>();
    for (const name of names) if (!wanted.has(customFieldKey(name))) wanted.set(customFieldKey(name), name);
    if (wanted.size === 0) return new Map();

    const find = () => this.fields.find({ where: { workspaceId, nameKey: In([...wanted.keys()]) } });
    let existing = await find();
    const missing = [...wanted].filter(([key]) => !existing.some((f) => f.nameKey === key));
    if (missing.length > 0) {
      const now = new Date();
      // orIgnore: a definition a concurrent import registered first stands.
      await this.fields
        .createQueryBuilder()
        .insert()
        .values(missing.map(([nameKey, name]) => ({ id: newId(), workspaceId, name, nameKey, createdAt: now })))
        .orIgnore()
        .execute();
      existing = await find();
    }
    const canonical = new Map(existing.map((f) => [f.nameKey, f.name]));
    return new Map(names.map((name) => [name, canonical.get(customFieldKey(name)) ?? name]));
  }
}
