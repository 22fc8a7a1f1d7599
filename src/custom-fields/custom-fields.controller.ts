import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentWorkspace } from '../auth/current-workspace.decorator';
import { ApiEnvelope, ApiErrors } from '../common/swagger';
import { CustomFieldsService } from './custom-fields.service';

class CustomFieldDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'Industry' }) name: string;
  @ApiProperty() createdAt: Date;
}

class CustomFieldListDto {
  @ApiProperty({ type: [CustomFieldDto] }) customFields: CustomFieldDto[];
}

@ApiTags('custom fields')
@Controller('v1/custom-fields')
export class CustomFieldsController {
  constructor(private readonly customFields: CustomFieldsService) {}

  @Get()
  @ApiOperation({ summary: "The workspace's custom field definitions (created by imports)" })
  @ApiEnvelope(CustomFieldListDto)
  @ApiErrors(401, 403, 429)
  async list(@CurrentWorkspace() workspaceId: string): Promise<CustomFieldListDto> {
    const fields = await this.customFields.list(workspaceId);
    return { customFields: fields.map(({ id, name, createdAt }) => ({ id, name, createdAt })) };
  }
}
