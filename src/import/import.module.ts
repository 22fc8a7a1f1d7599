import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CustomFieldsModule } from '../custom-fields/custom-fields.module';
import { LeadsModule } from '../leads/leads.module';
import { BatchRunner } from './batch-runner';
import { PreparationPool } from './preparation-pool';
import { CsvReader } from './csv-reader';
import { CsvUploadInterceptor } from './csv-upload.interceptor';
import { EventLoopTurns } from './event-loop-turns';
import { ImportController } from './import.controller';
import { ImportLifecycle } from './import-lifecycle';
import { ImportRecord } from './import-record.entity';
import { ImportSlots, ImportSlotsInterceptor } from './import-slots';
import { ImportService } from './import.service';
import { ImportsService } from './imports.service';
import { MappingDetector } from './mapping-detector';
import { Normalizer } from './normalizer';

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
