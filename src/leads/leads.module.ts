import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Lead } from './lead.entity';
import { LeadsController } from './leads.controller';
import { LeadsRepository } from './leads.repository';
import { LeadsService } from './leads.service';
import { TagsService } from './tags.service';
import { LeadTag, Tag } from './tag.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Lead, Tag, LeadTag])],
  controllers: [LeadsController],
  providers: [LeadsService, LeadsRepository, TagsService],
  exports: [LeadsService, LeadsRepository, TagsService],
})
export class LeadsModule {}
