import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { NotFoundError } from '../common/app-error';
import { identityOf } from '../import/normalize/email';
import { isObjectId } from '../common/object-id';
import { DeleteLeadQuery } from './dto/delete-lead.query';
import { DeletedLeadDto, LeadDto, LeadPageDto } from './dto/lead.dto';
import { UpdateLeadBody } from './dto/update-lead.body';
import { LeadEditor } from './lead-editor';
import { LeadEraser } from './lead-eraser';
import { ListLeadsQuery } from './dto/list-leads.query';
import { Lead } from './lead.entity';
import { flagsFromColumn } from './lead-status';
import { LeadTag, Tag } from './tag.entity';

export const DEFAULT_PAGE_SIZE = 50;

@Injectable()
export class LeadsService {
  constructor(
    @InjectRepository(Lead) private readonly leads: Repository<Lead>,
    @InjectRepository(LeadTag) private readonly leadTags: Repository<LeadTag>,
    private readonly editor: LeadEditor,
    private readonly eraser: LeadEraser,
  ) {}

  /** Newest first; the cursor is the id of the last lead of the previous page. */
  async list(workspaceId: string, query: ListLeadsQuery): Promise<LeadPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const qb = this.leads
      .createQueryBuilder('lead')
      .where('lead.workspaceId = :workspaceId', { workspaceId })
      .orderBy('lead.id', 'DESC')
      .take(limit + 1);
    if (query.cursor) qb.andWhere('lead.id < :cursor', { cursor: query.cursor });
    if (query.email !== undefined) qb.andWhere('lead.emailKey = :emailKey', { emailKey: identityOf(query.email) });
    if (query.status !== undefined) qb.andWhere('lead.status = :status', { status: query.status });
    if (query.flag !== undefined) qb.andWhere('lead.flags LIKE :flag', { flag: `%${query.flag}%` });
    if (query.tag !== undefined) {
      qb.innerJoin(LeadTag, 'lt', 'lt.leadId = lead.id AND lt.workspaceId = lead.workspaceId').innerJoin(
        Tag,
        'tag',
        'tag.id = lt.tagId AND tag.workspaceId = :workspaceId AND tag.nameKey = :tagKey',
        { tagKey: query.tag.trim().toLowerCase() },
      );
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    return {
      leads: await this.render(workspaceId, page),
      nextCursor: rows.length > limit ? page[page.length - 1].id : null,
    };
  }

  async get(workspaceId: string, id: string): Promise<LeadDto> {
    const [lead] = await this.render(workspaceId, [await this.find(workspaceId, id)]);
    return lead;
  }

  async update(workspaceId: string, id: string, body: UpdateLeadBody): Promise<LeadDto> {
    const lead = await this.editor.update(await this.find(workspaceId, id), body);
    const [dto] = await this.render(workspaceId, [lead]);
    return dto;
  }

  async delete(workspaceId: string, id: string, query: DeleteLeadQuery = {}): Promise<DeletedLeadDto> {
    const lead = await this.find(workspaceId, id);
    const erase = query.erase === true;
    const suppress = erase || query.suppress === true;
    const erasedRecords = await this.eraser.delete(lead, { suppress, erase });
    return {
      id: lead.id,
      deleted: true,
      ...(suppress ? { suppressed: true } : {}),
      ...(erase ? { erasedRecords } : {}),
    };
  }

  private async find(workspaceId: string, id: string): Promise<Lead> {
    const lead = isObjectId(id) ? await this.leads.findOneBy({ id, workspaceId }) : null;
    if (!lead) throw new NotFoundError(`Lead "${id}" not found in this workspace.`);
    return lead;
  }

  private async render(workspaceId: string, leads: Lead[]): Promise<LeadDto[]> {
    const tagsByLead = await this.tagsOf(
      workspaceId,
      leads.map((l) => l.id),
    );
    return leads.map((lead) => toDto(lead, tagsByLead.get(lead.id) ?? []));
  }

  private async tagsOf(workspaceId: string, leadIds: string[]): Promise<Map<string, string[]>> {
    const byLead = new Map<string, string[]>();
    if (leadIds.length === 0) return byLead;
    const rows = await this.leadTags
      .createQueryBuilder('lt')
      .innerJoin(Tag, 'tag', 'tag.id = lt.tagId')
      .select(['lt.leadId AS leadId', 'tag.name AS name'])
      .where('lt.workspaceId = :workspaceId', { workspaceId })
      .andWhere({ leadId: In(leadIds) })
      .orderBy('tag.name', 'ASC')
      .getRawMany<{ leadId: string; name: string }>();
    for (const { leadId, name } of rows) byLead.set(leadId, [...(byLead.get(leadId) ?? []), name]);
    return byLead;
  }
}

function toDto(lead: Lead, tags: string[]): LeadDto {
  const { workspaceId: _workspace, emailKey: _key, flags, ...fields } = lead;
  return { ...fields, tags, flags: flagsFromColumn(flags) };
}
