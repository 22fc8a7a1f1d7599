import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CsvReader } from '../import/csv/csv-reader';
import { MappingDetector } from '../import/mapping/mapping-detector';
import { CsvUploadInterceptor } from '../import/upload/csv-upload.interceptor';
import { Transactions } from '../import/write/transactions';
import { Suppression } from './suppression.entity';
import { SuppressionsController } from './suppressions.controller';
import { SuppressionsRepository } from './suppressions.repository';
import { SuppressionsService } from './suppressions.service';

/** The workspace's do-not-contact list; the import and lead deletes use its repository inside their transactions. */
@Module({
  imports: [TypeOrmModule.forFeature([Suppression])],
  controllers: [SuppressionsController],
  providers: [
    SuppressionsService,
    SuppressionsRepository,
    CsvReader,
    MappingDetector,
    CsvUploadInterceptor,
    Transactions,
  ],
  exports: [SuppressionsRepository],
})
export class SuppressionsModule {}
