/**
 * The record side of async imports: opened `queued` with the upload, begun once a worker has read the file, handed
 * back to the queue by a stopping replica, or failed before any row with the error a sync call would have answered.
 */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { newId } from '../../common/object-id';
import type { ImportFormValues } from '../dto/import-csv.form';
import { keptOptions } from '../history/import-history.service';
import { ImportOptions, ImportRecord, NOTHING_WRITTEN } from '../history/import-record.entity';
import { ImportWebhooks } from '../webhooks/import-webhooks';

@Injectable()
export class AsyncImportRecords {
  constructor(
    @InjectRepository(ImportRecord) private readonly imports: Repository<ImportRecord>,
    private readonly webhooks: ImportWebhooks,
  ) {}

  /**
   * Opens the record of an async import, `queued`, on the transaction that stores its upload; returns its id. Its
   * file is read when it runs (see `begin`).
   */
  async enqueue(
    manager: EntityManager,
    values: { workspaceId: string; apiKeyId: string; fileName: string; fileBytes: number; form: ImportFormValues },
    mapping: Record<string, string> | null,
  ): Promise<string> {
    const now = new Date();
    const id = newId();
    await manager.insert(ImportRecord, {
      ...values,
      id,
      fileName: values.fileName.slice(0, 255) || null,
      fileHeader: null,
      options: { ...values.form, mapping },
      status: 'queued',
      mode: 'async',
      totalRows: 0,
      ...NOTHING_WRITTEN,
      createdAt: now,
      updatedAt: now,
    });
    return id;
  }

  /** A queued (or resumed) async import starts writing, now that its file has been read. */
  async begin(
    id: string,
    values: { options: ImportOptions; totalRows: number; fileHeader: string[]; unusedMapping: string[] },
  ): Promise<void> {
    await this.imports.update(
      { id, status: In(['queued', 'processing']) },
      {
        status: 'processing',
        options: keptOptions(values.options, values.unusedMapping),
        totalRows: values.totalRows,
        fileHeader: values.fileHeader,
        updatedAt: new Date(),
      },
    );
  }

  /** A stopping replica hands a running async import back to the queue; its committed batches stay. */
  async requeue(id: string): Promise<void> {
    await this.imports.update({ id, status: 'processing' }, { status: 'queued', updatedAt: new Date() });
  }

  /** An async import that cannot be imported at all: the error a sync call would have answered, nothing written. */
  async failBeforeRows(id: string, code: string, message: string): Promise<void> {
    const now = new Date();
    const result = await this.imports.update(
      { id, status: In(['queued', 'processing']) },
      { status: 'failed', errorCode: code, failureReason: message, form: null, updatedAt: now, finishedAt: now },
    );
    if (result.affected) await this.webhooks.importEnded(id);
  }

  /** An import's record, whatever its workspace (for the queue's runner). */
  findById(id: string): Promise<ImportRecord | null> {
    return this.imports.findOneBy({ id });
  }
}
