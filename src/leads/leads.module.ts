import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LeadSnapshots } from './lead-snapshots.repository';
import { Lead } from './lead.entity';
import { LeadsController } from './leads.controller';
import { LeadsRepository } from './leads.repository';
import { LeadsService } from './leads.service';
import { TagsService } from './tags.service';
import { LeadTag, Tag } from './tag.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Lead, Tag, LeadTag])],
  controllers: [LeadsController],
  providers: [LeadsService, LeadsRepository, LeadSnapshots, TagsService],
  exports: [LeadsService, LeadsRepository, LeadSnapshots, TagsService],
})
export class LeadsModule {}
