import { Controller, Delete, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentWorkspace } from '../auth/current-workspace.decorator';
import { ApiEnvelope, ApiErrors } from '../common/swagger';
import { DeletedLeadDto, LeadDto, LeadPageDto } from './dto/lead.dto';
import { ListLeadsQuery } from './dto/list-leads.query';
import { LeadsService } from './leads.service';

@ApiTags('leads')
@Controller('v1/leads')
export class LeadsController {
  constructor(private readonly leads: LeadsService) {}

  @Get()
  @ApiOperation({ summary: 'List leads, newest first, with cursor pagination' })
  @ApiEnvelope(LeadPageDto)
  @ApiErrors(
    {
      400: [
        ['Bad page size', 'limit must be an integer from 1 to 200'],
        ['Bad cursor', 'cursor must be the nextCursor value of a previous page'],
      ],
    },
    401,
    403,
    429,
  )
  list(@CurrentWorkspace() workspaceId: string, @Query() query: ListLeadsQuery): Promise<LeadPageDto> {
    return this.leads.list(workspaceId, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get one lead' })
  @ApiEnvelope(LeadDto)
  @ApiErrors({ 404: [['No such lead', 'Lead "665d4e5f6a7b8c9d0e1f2a3b" not found in this workspace.']] }, 401, 403, 429)
  get(@CurrentWorkspace() workspaceId: string, @Param('id') id: string): Promise<LeadDto> {
    return this.leads.get(workspaceId, id);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete one lead' })
  @ApiEnvelope(DeletedLeadDto)
  @ApiErrors({ 404: [['No such lead', 'Lead "665d4e5f6a7b8c9d0e1f2a3b" not found in this workspace.']] }, 401, 403, 429)
  delete(@CurrentWorkspace() workspaceId: string, @Param('id') id: string): Promise<DeletedLeadDto> {
    return this.leads.delete(workspaceId, id);
  }
}
