import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { NotFoundError, ValidationError } from '../common/app-error';
import { isObjectId } from '../common/object-id';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CsvReader } from '../import/csv/csv-reader';
import { MappingDetector } from '../import/mapping/mapping-detector';
import { Transactions } from '../import/write/transactions';
import {
  AddedSuppressionsDto,
  AddSuppressionsBody,
  ListSuppressionsQuery,
  MAX_ENTRIES_PER_CALL,
  SuppressionPageDto,
} from './dto/suppression.dto';
import { emailHash, suppressionDomain, suppressionIdentity } from './suppression-keys';
import { Suppression, SuppressionReason } from './suppression.entity';
import { SuppressionsRepository, SuppressionValue } from './suppressions.repository';

export const NO_VALUE_COLUMN =
  'No email or domain column detected. Name the column of addresses "email", or the column of domains "domain".';

@Injectable()
export class SuppressionsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(Suppression) private readonly suppressions: Repository<Suppression>,
    private readonly transactions: Transactions,
    private readonly repository: SuppressionsRepository,
    private readonly reader: CsvReader,
    private readonly detector: MappingDetector,
  ) {}

  /** Every value must be valid: a 400 names the first bad one, and nothing is added. */
  async add(workspaceId: string, body: AddSuppressionsBody): Promise<AddedSuppressionsDto> {
    const emails = body.emails ?? [];
    const domains = body.domains ?? [];
    if (emails.length + domains.length === 0)
      throw new ValidationError('Send at least one entry in emails or domains.');
    if (emails.length + domains.length > MAX_ENTRIES_PER_CALL) {
      throw new ValidationError('emails and domains: at most 10,000 entries per call');
    }
    const entries: SuppressionValue[] = [];
    emails.forEach((email, index) => {
      const identity = suppressionIdentity(email);
      if (!identity) throw new ValidationError(`emails[${index}] is not a valid email address.`);
      entries.push({ kind: 'email', value: emailHash(identity) });
    });
    domains.forEach((domain, index) => {
      const value = suppressionDomain(domain);
      if (!value) throw new ValidationError(`domains[${index}] is not a domain name (e.g. example.com).`);
      entries.push({ kind: 'domain', value });
    });
    return this.store(workspaceId, entries, body.reason ?? 'manual', 0);
  }

  /**
   * A CSV of emails or domains, read like a lead import (encodings, delimiters, header below a preamble); the email
   * column is detected the same way, else a column named "domain". A cell with an `@` is an email, else a domain.
   */
  async importCsv(workspaceId: string, file: Buffer, reason: SuppressionReason): Promise<AddedSuppressionsDto> {
    const csv = await this.reader.open(file, { maxRows: this.config.import.maxRows });
    const column = this.valueColumn(csv.headers, csv.firstRows);
    const entries: SuppressionValue[] = [];
    let invalid = 0;
    for await (const rows of csv.rows()) {
      for (const row of rows) {
        const cell = row.values[column] ?? '';
        const identity = cell.includes('@') ? suppressionIdentity(cell) : undefined;
        const domain = identity || cell.includes('@') ? undefined : suppressionDomain(cell);
        if (identity) entries.push({ kind: 'email', value: emailHash(identity) });
        else if (domain) entries.push({ kind: 'domain', value: domain });
        else invalid++;
      }
    }
    return this.store(workspaceId, entries, reason, invalid);
  }

  async list(workspaceId: string, query: ListSuppressionsQuery): Promise<SuppressionPageDto> {
    const limit = query.limit ?? 50;
    const rows = await this.suppressions.find({
      where: { workspaceId, ...(query.cursor ? { id: LessThan(query.cursor) } : {}) },
      order: { id: 'DESC' },
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      suppressions: page.map(({ workspaceId: _workspace, ...entry }) => entry),
      nextCursor: rows.length > limit ? page[page.length - 1].id : null,
    };
  }

  async remove(workspaceId: string, id: string): Promise<{ id: string; deleted: true }> {
    const found = isObjectId(id) ? await this.suppressions.findOneBy({ id, workspaceId }) : null;
    if (!found) throw new NotFoundError(`Suppression "${id}" not found in this workspace.`);
    await this.suppressions.delete({ id, workspaceId });
    return { id, deleted: true };
  }

  private async store(workspaceId: string, entries: SuppressionValue[], reason: SuppressionReason, invalid: number) {
    const unique = [...new Map(entries.map((entry) => [`${entry.kind}:${entry.value}`, entry])).values()];
    const added = await this.transactions.run((manager) => this.repository.add(manager, workspaceId, unique, reason));
    return { added, existing: unique.length - added, invalid };
  }

  private valueColumn(headers: string[], firstRows: Parameters<MappingDetector['emailColumn']>[1]): number {
    const email = this.detector.emailColumn(headers, firstRows);
    if (email >= 0) return email;
    const domain = headers.findIndex((header) => /^\s*domains?\s*$/i.test(header));
    if (domain >= 0) return domain;
    throw new ValidationError(NO_VALUE_COLUMN);
  }
}
