import { Body, Controller, Delete, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentWorkspace } from '../auth/current-workspace.decorator';
import { ApiEnvelope, ApiErrors } from '../common/swagger';
import { DeletedLeadDto, LeadDto, LeadPageDto } from './dto/lead.dto';
import { DeleteLeadQuery } from './dto/delete-lead.query';
import { ListLeadsQuery } from './dto/list-leads.query';
import { UpdateLeadBody } from './dto/update-lead.body';
import { LeadsService } from './leads.service';

@ApiTags('leads')
@Controller('v1/leads')
export class LeadsController {
  constructor(private readonly leads: LeadsService) {}

  @Get()
  @ApiOperation({ summary: 'List leads, newest first, with cursor pagination' })
  @ApiEnvelope(LeadPageDto)
  @ApiErrors(400, 401, 403, 429)
  list(@CurrentWorkspace() workspaceId: string, @Query() query: ListLeadsQuery): Promise<LeadPageDto> {
    return this.leads.list(workspaceId, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get one lead' })
  @ApiEnvelope(LeadDto)
  @ApiErrors(401, 403, 404, 429)
  get(@CurrentWorkspace() workspaceId: string, @Param('id') id: string): Promise<LeadDto> {
    return this.leads.get(workspaceId, id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a lead: its fields and custom fields (cleaned as an import cleans them) and its status',
  })
  @ApiEnvelope(LeadDto)
  @ApiErrors(400, 401, 403, 404, 409, 429)
  update(
    @CurrentWorkspace() workspaceId: string,
    @Param('id') id: string,
    @Body() body: UpdateLeadBody,
  ): Promise<LeadDto> {
    return this.leads.update(workspaceId, id, body);
  }

  @Delete(':id')
  @ApiOperation({
    summary:
      'Delete one lead; suppress=true also adds its email to the suppression list, erase=true also removes it ' +
      'from every import report, error file and undo ledger',
  })
  @ApiEnvelope(DeletedLeadDto)
  @ApiErrors(400, 401, 403, 404, 429)
  delete(
    @CurrentWorkspace() workspaceId: string,
    @Param('id') id: string,
    @Query() query: DeleteLeadQuery,
  ): Promise<DeletedLeadDto> {
    return this.leads.delete(workspaceId, id, query);
  }
}
