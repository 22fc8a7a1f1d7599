import { Body, Controller, Delete, Get, Param, Patch, Query, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentWorkspace } from '../auth/current-workspace.decorator';
import { JSON_ONLY, JsonBodyOnly } from '../common/request-bodies';
import { ApiEnvelope, ApiErrors, PAGE_QUERY_ERRORS } from '../common/swagger';
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
  @ApiErrors(PAGE_QUERY_ERRORS, 401, 403, 429)
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

  @Patch(':id')
  @UseInterceptors(JsonBodyOnly)
  @ApiOperation({
    summary: 'Change a lead: its fields and custom fields (cleaned as an import cleans them) and its status',
  })
  @ApiEnvelope(LeadDto)
  @ApiErrors(
    {
      400: [
        ['Bad email', 'email: Invalid email format'],
        ['Bad custom field', 'customFields.Industry must be a string or null'],
        [
          'Too many custom fields',
          'customFields: this would add 2 new custom fields; the workspace has 499 of at most 500. Use names the ' +
            'workspace has (GET /v1/custom-fields), or fewer new ones.',
        ],
        ['Bad status', 'status must be one of active, unsubscribed, bounced, complained, do_not_contact'],
        ['Not JSON', JSON_ONLY],
      ],
      409: [['Email taken', 'email: another lead in this workspace has this email.']],
    },
    { 404: [['No such lead', 'Lead "665d4e5f6a7b8c9d0e1f2a3b" not found in this workspace.']] },
    401,
    403,
    429,
  )
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
  @ApiErrors(
    { 400: [['Bad flag', 'suppress must be true or false']] },
    { 404: [['No such lead', 'Lead "665d4e5f6a7b8c9d0e1f2a3b" not found in this workspace.']] },
    401,
    403,
    429,
  )
  delete(
    @CurrentWorkspace() workspaceId: string,
    @Param('id') id: string,
    @Query() query: DeleteLeadQuery,
  ): Promise<DeletedLeadDto> {
    return this.leads.delete(workspaceId, id, query);
  }
}
