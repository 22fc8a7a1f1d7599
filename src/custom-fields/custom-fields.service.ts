import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, Repository } from 'typeorm';
import { ValidationError } from '../common/app-error';
import { newId } from '../common/object-id';
import { customFieldKey } from './custom-field-limits';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CustomField } from './custom-field.entity';
import { StatementLimits } from './statement-limits';

export const DEFAULT_PAGE_SIZE = 50;

/** Columns of one custom_fields row: id, workspace_id, name, name_key, created_at. */
const VARIABLES_PER_FIELD = 5;

@Injectable()
export class CustomFieldsService {
  constructor(
    @InjectRepository(CustomField) private readonly fields: Repository<CustomField>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly limits: StatementLimits,
  ) {}

  /** Oldest first (the order an import added them); the cursor is the id of the last field of the previous page. */
  async list(
    workspaceId: string,
    query: { limit?: number; cursor?: string },
  ): Promise<{ customFields: CustomField[]; nextCursor: string | null }> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.fields.find({
      where: { workspaceId, ...(query.cursor ? { id: MoreThan(query.cursor) } : {}) },
      order: { id: 'ASC' },
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    return { customFields: page, nextCursor: rows.length > limit ? page[page.length - 1].id : null };
  }

  /**
   * Refuses (400) names that would take the workspace past MAX_CUSTOM_FIELDS, in the words of what asked: a file's
   * columns (the import, before it writes anything) or a lead edit's `customFields`. Two callers at once may each
   * pass and together exceed the cap by their own additions.
   */
  async assertRoomFor(workspaceId: string, names: string[], asker: 'file' | 'edit' = 'file'): Promise<void> {
    const max = this.config.maxCustomFields;
    const keys = new Set(names.map(customFieldKey));
    if (keys.size === 0) return;
    const count = await this.fields.countBy({ workspaceId });
    if (count + keys.size <= max) return;
    const existing = await this.keysOf(workspaceId);
    const adding = [...keys].filter((key) => !existing.has(key)).length;
    if (count + adding <= max) return;
    const room = `the workspace has ${count.toLocaleString('en')} of at most ${max.toLocaleString('en')}.`;
    throw new ValidationError(
      asker === 'file'
        ? `This file would add ${adding.toLocaleString('en')} new custom fields (columns not mapped to a lead ` +
            `field); ${room} Map those columns to lead fields, or to "skip", in "mapping", or remove them from the file.`
        : `customFields: this would add ${adding.toLocaleString('en')} new custom fields; ${room} Use names the ` +
            'workspace has (GET /v1/custom-fields), or fewer new ones.',
    );
  }

  /**
   * Registers the names a workspace has not used before and returns, for every name, the one to
   * store: an existing definition wins, so "industry" lands in the workspace's "Industry". New
   * definitions are inserted in statements sized to the database's limits (StatementLimits).
   */
  async register(workspaceId: string, names: string[]): Promise<Map<string, string>> {
    const wanted = new Map<string, string>();
    for (const name of names) if (!wanted.has(customFieldKey(name))) wanted.set(customFieldKey(name), name);
    if (wanted.size === 0) return new Map();

    let existing = await this.keysOf(workspaceId);
    const missing = [...wanted].filter(([key]) => !existing.has(key));
    if (missing.length > 0) {
      const now = new Date();
      const rows = missing.map(([nameKey, name]) => ({ id: newId(), workspaceId, name, nameKey, createdAt: now }));
      const bytesOf = (row: { name: string; nameKey: string }) =>
        100 + 2 * (Buffer.byteLength(row.name) + Buffer.byteLength(row.nameKey));
      for (const chunk of await this.limits.chunks(rows, VARIABLES_PER_FIELD, bytesOf)) {
        // orIgnore: a definition a concurrent import registered first stands.
        await this.fields.createQueryBuilder().insert().values(chunk).orIgnore().execute();
      }
      existing = await this.keysOf(workspaceId);
    }
    return new Map(names.map((name) => [name, existing.get(customFieldKey(name)) ?? name]));
  }

  /** Every definition of the workspace, name by key: one query, whatever the number of names asked about. */
  private async keysOf(workspaceId: string): Promise<Map<string, string>> {
    const rows = await this.fields.find({ select: { nameKey: true, name: true }, where: { workspaceId } });
    return new Map(rows.map((field) => [field.nameKey, field.name]));
  }
}
