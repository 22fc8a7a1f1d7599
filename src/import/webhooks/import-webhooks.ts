/**
 * The one place an import's end is announced: once its record is completed, previewed, failed or interrupted, the
 * report goes to the import's `webhookUrl` (if it gave one) as a signed, retried webhook. Built from the record, so a
 * sync import, an async one and one a sweep found stopped all send the same shape.
 */
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { WebhookDeliveryDto } from '../../webhooks/dto/webhook-delivery.dto';
import { WebhookDeliveries } from '../../webhooks/webhook-deliveries';
import { ImportBatches } from '../history/import-batches';
import { ImportRecord } from '../history/import-record.entity';

@Injectable()
export class ImportWebhooks {
  private readonly logger = new Logger(ImportWebhooks.name);

  constructor(
    @InjectRepository(ImportRecord) private readonly imports: Repository<ImportRecord>,
    private readonly batches: ImportBatches,
    private readonly deliveries: WebhookDeliveries,
  ) {}

  /** Queues the webhook of an import whose record has just ended. Never throws: a webhook never fails an import. */
  async importEnded(importId: string): Promise<void> {
    try {
      const record = await this.imports.findOneBy({ id: importId });
      const url = record?.options.webhookUrl;
      if (!record || !url) return;
      await this.deliveries.enqueue({
        workspaceId: record.workspaceId,
        importId,
        url,
        event: `import.${record.status}`,
        data: await this.report(record),
      });
    } catch (error) {
      this.logger.error({ err: error, importId }, 'Could not queue the webhook of an import');
    }
  }

  /** Where the import's webhook stands, for GET /v1/leads/imports/:id. */
  delivery(workspaceId: string, importId: string): Promise<WebhookDeliveryDto | null> {
    return this.deliveries.latest(workspaceId, importId);
  }

  /** What GET /v1/leads/imports/:id shows, without the per-row lists (they are paged there), so its size is bounded. */
  private async report(record: ImportRecord): Promise<object> {
    const { id, status, fileName, fileBytes, totalRows, imported, updated, skipped, failed } = record;
    const { skipDuplicates, dataCleanup, tag, dryRun = false } = record.options;
    const errorCount = await this.batches.errorCount(id);
    return {
      importId: id,
      status,
      fileName,
      fileBytes,
      options: { skipDuplicates, dataCleanup, tag, dryRun },
      totalRows,
      imported,
      updated,
      skipped,
      failed,
      errorCount,
      failureReason: record.failureReason,
      csvInfo: record.csvInfo,
      createdAt: record.createdAt,
      finishedAt: record.finishedAt,
      statusUrl: `/v1/leads/imports/${id}`,
      errorsUrl: errorCount > 0 ? `/v1/leads/imports/${id}/errors` : null,
      errorFileUrl: errorCount > 0 && status !== 'previewed' ? `/v1/leads/imports/${id}/errors.csv` : null,
    };
  }
}
