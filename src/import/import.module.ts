import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { REDIS_CLIENT } from '../redis/redis.module';
import { CustomFieldsModule } from '../custom-fields/custom-fields.module';
import { WalCheckpoints } from '../database/wal-checkpoints';
import { LeadsModule } from '../leads/leads.module';
import { SuppressionsModule } from '../suppressions/suppressions.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { CsvReader } from './csv/csv-reader';
import { ImportBatch, ImportLedgerEntry, ImportRowErrorEntry } from './history/import-batch.entity';
import { ImportBatches } from './history/import-batches';
import { ImportHistory } from './history/import-history.service';
import { ImportProgress, ImportRecord } from './history/import-record.entity';
import { StaleImportSweeper } from './history/stale-import-sweeper';
import { IdempotencyKey } from './idempotency/idempotency-key.entity';
import { IdempotencyStore } from './idempotency/idempotency-store';
import { IdempotencyGate, IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { ImportController } from './import.controller';
import { ImportService } from './import.service';
import { ImportShutdown } from './import-shutdown';
import { MappingDetector } from './mapping/mapping-detector';
import { Normalizer } from './normalize/normalizer';
import { CleaningThread } from './pipeline/cleaning-thread';
import { ImportPipeline } from './pipeline/import-pipeline';
import { AsyncImportRecords } from './queue/async-import-records';
import { AsyncImports } from './queue/async-imports';
import { ImportQueue } from './queue/import-queue';
import { ImportUploadChunk } from './queue/import-upload.entity';
import { ImportUploads } from './queue/import-uploads';
import { InProcessImportQueue } from './queue/in-process-import-queue';
import { ImportUndoService } from './undo/import-undo.service';
import { CsvUploadInterceptor } from './upload/csv-upload.interceptor';
import { ImportSlots, ImportSlotsInterceptor } from './upload/import-slots';
import { BatchRunner } from './write/batch-runner';
import { BatchWriter } from './write/batch-writer';
import { ImportWebhooks } from './webhooks/import-webhooks';
import { EventLoopTurns } from './write/event-loop-turns';
import { Transactions } from './write/transactions';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      ImportRecord,
      ImportProgress,
      ImportBatch,
      ImportRowErrorEntry,
      ImportLedgerEntry,
      ImportUploadChunk,
      IdempotencyKey,
    ]),
    LeadsModule,
    CustomFieldsModule,
    SuppressionsModule,
    WebhooksModule,
  ],
  controllers: [ImportController],
  providers: [
    ImportService,
    CsvReader,
    MappingDetector,
    Normalizer,
    ImportPipeline,
    CleaningThread,
    WalCheckpoints,
    BatchRunner,
    BatchWriter,
    EventLoopTurns,
    Transactions,
    ImportHistory,
    ImportBatches,
    StaleImportSweeper,
    ImportShutdown,
    ImportUndoService,
    ImportSlots,
    ImportSlotsInterceptor,
    CsvUploadInterceptor,
    ImportWebhooks,
    IdempotencyStore,
    IdempotencyGate,
    IdempotencyInterceptor,
    AsyncImports,
    AsyncImportRecords,
    ImportUploads,
    {
      provide: ImportQueue,
      // After the shared Redis client: its start-up check names REDIS_URL when Redis does not answer. BullMQ is
      // loaded only when used: a server without Redis does not carry it.
      inject: [APP_CONFIG, REDIS_CLIENT],
      useFactory: async (config: AppConfig): Promise<ImportQueue> => {
        if (!config.redis) return new InProcessImportQueue();
        const { BullmqImportQueue } = await import('./queue/bullmq-import-queue');
        return new BullmqImportQueue(config.redis.url, config.redis.keyPrefix, config.queue.lockMs);
      },
    },
  ],
})
export class ImportModule {}
