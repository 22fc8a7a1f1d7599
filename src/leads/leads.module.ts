import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LeadSnapshots } from './lead-snapshots.repository';
import { Lead } from './lead.entity';
import { LeadsController } from './leads.controller';
import { LeadsRepository } from './leads.repository';
import { LeadsService } from './leads.service';
import { TagsService } from './tags.service';
import { CustomFieldsModule } from '../custom-fields/custom-fields.module';
import { Normalizer } from '../import/normalize/normalizer';
import { Transactions } from '../import/write/transactions';
import { SuppressionsModule } from '../suppressions/suppressions.module';
import { LeadEditor } from './lead-editor';
import { LeadEraser } from './lead-eraser';
import { LeadTag, Tag } from './tag.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Lead, Tag, LeadTag]), SuppressionsModule, CustomFieldsModule],
  controllers: [LeadsController],
  providers: [
    LeadsService,
    LeadsRepository,
    LeadSnapshots,
    TagsService,
    LeadEditor,
    LeadEraser,
    Normalizer,
    Transactions,
  ],
  exports: [LeadsService, LeadsRepository, LeadSnapshots, TagsService],
})
export class LeadsModule {}
