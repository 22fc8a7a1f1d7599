import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentWorkspace } from '../auth/current-workspace.decorator';
import { ValidationError } from '../common/app-error';
import { JSON_ONLY, JsonBodyOnly } from '../common/request-bodies';
import { ApiEnvelope, ApiErrors, PAGE_QUERY_ERRORS } from '../common/swagger';
import { TOO_MANY_COLUMNS_EXAMPLE } from '../import/import-csv.docs';
import { CsvUploadInterceptor } from '../import/upload/csv-upload.interceptor';
import { DeletedLeadDto } from '../leads/dto/lead.dto';
import {
  AddedSuppressionsDto,
  AddSuppressionsBody,
  ListSuppressionsQuery,
  SuppressionPageDto,
} from './dto/suppression.dto';
import { SUPPRESSION_REASONS, SuppressionReason } from './suppression.entity';
import { NO_VALUE_COLUMN, SuppressionsService } from './suppressions.service';

@ApiTags('suppressions')
@Controller('v1/suppressions')
export class SuppressionsController {
  constructor(private readonly suppressions: SuppressionsService) {}

  @Post()
  @HttpCode(200)
  @UseInterceptors(JsonBodyOnly)
  @ApiOperation({
    summary: 'Add emails (stored hashed) and domains to the do-not-contact list (10,000 a call, JSON up to 4 MB)',
  })
  @ApiEnvelope(AddedSuppressionsDto)
  @ApiErrors(
    {
      400: [
        ['Nothing to add', 'Send at least one entry in emails or domains.'],
        ['Not an email', 'emails[0] is not a valid email address.'],
        ['Bad reason', 'reason must be one of unsubscribed, bounced, complained, manual'],
        ['Not JSON', JSON_ONLY],
      ],
      413: [
        ['Body too large', 'Request body is too large (JSON and form bodies: 100 KB; POST /v1/suppressions: 4 MB).'],
      ],
    },
    401,
    403,
    429,
  )
  add(@CurrentWorkspace() workspaceId: string, @Body() body: AddSuppressionsBody): Promise<AddedSuppressionsDto> {
    return this.suppressions.add(workspaceId, body);
  }

  @Post('import/csv')
  @HttpCode(200)
  @UseInterceptors(CsvUploadInterceptor)
  @ApiOperation({ summary: 'Add the emails or domains of a CSV file (read like a lead import)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary' },
        reason: { type: 'string', enum: [...SUPPRESSION_REASONS], default: 'manual' },
      },
    },
  })
  @ApiEnvelope(AddedSuppressionsDto)
  @ApiErrors(
    {
      400: [
        ['No file', 'CSV file is required. Send as multipart/form-data with field name "file".'],
        ['Empty file', 'CSV file is empty'],
        ['No email column', NO_VALUE_COLUMN],
        ['Too many columns', TOO_MANY_COLUMNS_EXAMPLE],
      ],
      413: [['File too large', 'CSV file is larger than 50 MB. Split it into smaller files.']],
    },
    401,
    403,
    429,
  )
  importCsv(
    @CurrentWorkspace() workspaceId: string,
    @Req() request: Request,
    @Body() body: Record<string, unknown>,
  ): Promise<AddedSuppressionsDto> {
    const reason = body.reason ?? 'manual';
    if (typeof reason !== 'string' || !(SUPPRESSION_REASONS as readonly string[]).includes(reason)) {
      throw new ValidationError(`reason must be one of ${SUPPRESSION_REASONS.join(', ')}`);
    }
    return this.suppressions.importCsv(workspaceId, request.file!.buffer, reason as SuppressionReason);
  }

  @Get()
  @ApiOperation({ summary: 'List the suppression list, newest first, with cursor pagination' })
  @ApiEnvelope(SuppressionPageDto)
  @ApiErrors(PAGE_QUERY_ERRORS, 401, 403, 429)
  list(@CurrentWorkspace() workspaceId: string, @Query() query: ListSuppressionsQuery): Promise<SuppressionPageDto> {
    return this.suppressions.list(workspaceId, query);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Remove one entry from the suppression list' })
  @ApiEnvelope(DeletedLeadDto)
  @ApiErrors(
    { 404: [['No such entry', 'Suppression "665d4e5f6a7b8c9d0e1f2a3b" not found in this workspace.']] },
    401,
    403,
    429,
  )
  remove(@CurrentWorkspace() workspaceId: string, @Param('id') id: string): Promise<{ id: string; deleted: true }> {
    return this.suppressions.remove(workspaceId, id);
  }
}
