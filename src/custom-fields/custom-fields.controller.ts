import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags, PickType } from '@nestjs/swagger';
import { CurrentWorkspace } from '../auth/current-workspace.decorator';
import { ApiEnvelope, ApiErrors } from '../common/swagger';
import { ListLeadsQuery } from '../leads/dto/list-leads.query';
import { CustomFieldsService } from './custom-fields.service';

class CustomFieldDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'Industry' }) name: string;
  @ApiProperty() createdAt: Date;
}

class CustomFieldListDto {
  @ApiProperty({ type: [CustomFieldDto] }) customFields: CustomFieldDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

class ListCustomFieldsQuery extends PickType(ListLeadsQuery, ['limit', 'cursor'] as const) {}

@ApiTags('custom fields')
@Controller('v1/custom-fields')
export class CustomFieldsController {
  constructor(private readonly customFields: CustomFieldsService) {}

  @Get()
  @ApiOperation({
    summary: "The workspace's custom field definitions (created by imports), oldest first, with cursor pagination",
  })
  @ApiEnvelope(CustomFieldListDto)
  @ApiErrors(
    {
      400: [
        ['Bad limit', 'limit must be an integer from 1 to 200'],
        ['Bad cursor', 'cursor must be the nextCursor value of a previous page'],
      ],
    },
    401,
    403,
    429,
  )
  async list(
    @CurrentWorkspace() workspaceId: string,
    @Query() query: ListCustomFieldsQuery,
  ): Promise<CustomFieldListDto> {
    const { customFields, nextCursor } = await this.customFields.list(workspaceId, query);
    return { customFields: customFields.map(({ id, name, createdAt }) => ({ id, name, createdAt })), nextCursor };
  }
}
