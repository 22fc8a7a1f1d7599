import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentWorkspace } from '../auth/current-workspace.decorator';
import { ApiEnvelope, ApiErrors } from '../common/swagger';
import { ImportDetailDto, ImportPageDto } from './dto/import-record.dto';
import { ListImportsQuery } from './dto/list-imports.query';
import { ImportsService } from './imports.service';

@ApiTags('import')
@Controller('v1/leads')
export class ImportController {
  constructor(private readonly imports: ImportsService) {}

  @Get('imports')
  @ApiOperation({ summary: 'List CSV imports, newest first' })
  @ApiEnvelope(ImportPageDto)
  @ApiErrors(400, 401, 403, 429)
  list(@CurrentWorkspace() workspaceId: string, @Query() query: ListImportsQuery): Promise<ImportPageDto> {
    return this.imports.list(workspaceId, query);
  }

  @Get('imports/:id')
  @ApiOperation({ summary: 'One CSV import with its full report' })
  @ApiEnvelope(ImportDetailDto)
  @ApiErrors(401, 403, 404, 429)
  get(@CurrentWorkspace() workspaceId: string, @Param('id') id: string): Promise<ImportDetailDto> {
    return this.imports.get(workspaceId, id);
  }
}
