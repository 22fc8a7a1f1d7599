import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { NotFoundError } from '../common/app-error';
import { isObjectId } from '../common/object-id';
import { DEFAULT_PAGE_SIZE } from '../leads/leads.service';
import { ImportDetailDto, ImportPageDto, ImportSummaryDto } from './dto/import-record.dto';
import { ListImportsQuery } from './dto/list-imports.query';
import { ImportRecord } from './import-record.entity';

/** Reads the `imports` records of a workspace. */
@Injectable()
export class ImportsService {
  constructor(@InjectRepository(ImportRecord) private readonly imports: Repository<ImportRecord>) {}

  async list(workspaceId: string, query: ListImportsQuery): Promise<ImportPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.imports.find({
      select: SUMMARY_COLUMNS,
      where: { workspaceId, ...(query.cursor ? { id: LessThan(query.cursor) } : {}) },
      order: { id: 'DESC' },
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      imports: page.map(toSummary),
      nextCursor: rows.length > limit ? page[page.length - 1].id : null,
    };
  }

  async get(workspaceId: string, id: string): Promise<ImportDetailDto> {
    const record = isObjectId(id) ? await this.imports.findOneBy({ id, workspaceId }) : null;
    if (!record) throw new NotFoundError(`Import "${id}" not found in this workspace.`);
    return {
      ...toSummary(record),
      importedLeadIds: record.importedLeadIds,
      errors: record.errors,
      csvInfo: record.csvInfo,
    };
  }
}

const SUMMARY_COLUMNS = {
  id: true,
  status: true,
  fileName: true,
  fileBytes: true,
  options: true,
  totalRows: true,
  imported: true,
  updated: true,
  skipped: true,
  failed: true,
  failureReason: true,
  createdAt: true,
  finishedAt: true,
} as const;

function toSummary(record: ImportRecord): ImportSummaryDto {
  const { id, status, fileName, fileBytes, options, totalRows, imported, updated, skipped, failed } = record;
  return {
    id,
    status,
    fileName,
    fileBytes,
    options,
    totalRows,
    imported,
    updated,
    skipped,
    failed,
    failureReason: record.failureReason,
    createdAt: record.createdAt,
    finishedAt: record.finishedAt,
  };
}
