import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ImportController } from './import.controller';
import { ImportRecord } from './import-record.entity';
import { ImportsService } from './imports.service';

@Module({
  imports: [TypeOrmModule.forFeature([ImportRecord])],
  controllers: [ImportController],
  providers: [ImportsService],
})
export class ImportModule {}
