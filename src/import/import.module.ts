import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CustomFieldsModule } from '../custom-fields/custom-fields.module';
import { LeadsModule } from '../leads/leads.module';
import { BatchRunner } from './write/batch-runner';
import { PreparationPool } from './preparation-pool';
import { CsvReader } from './csv-reader';
import { CsvUploadInterceptor } from './upload/csv-upload.interceptor';
import { EventLoopTurns } from './write/event-loop-turns';
import { ImportController } from './import.controller';
import { ImportLifecycle } from './history/import-lifecycle';
import { ImportRecord } from './history/import-record.entity';
import { ImportSlots, ImportSlotsInterceptor } from './upload/import-slots';
import { ImportService } from './import.service';
import { ImportsService } from './history/import-history.service';
import { MappingDetector } from './mapping/mapping-detector';
import { Normalizer } from './normalize/normalizer';

@Module({
  imports: [TypeOrmModule.forFeature([ImportRecord]), LeadsModule, CustomFieldsModule],
  controllers: [ImportController],
  providers: [
    ImportService,
    ImportsService,
    CsvReader,
    MappingDetector,
    Normalizer,
    PreparationPool,
    EventLoopTurns,
    BatchRunner,
    ImportSlots,
    ImportSlotsInterceptor,
    CsvUploadInterceptor,
    ImportLifecycle,
  ],
})
export class ImportModule {}
