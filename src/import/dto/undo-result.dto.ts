import { ApiProperty } from '@nestjs/swagger';

export class UndoConflictDto {
  @ApiProperty({ example: '665d4e5f6a7b8c9d0e1f2a3b' }) leadId: string;
  @ApiProperty({ type: String, nullable: true, example: 'jane@acme.com' }) email: string | null;
  @ApiProperty({ enum: ['changed after the import', 'deleted after the import'] }) reason: string;
}

export class UndoResultDto {
  @ApiProperty({ description: 'Leads the import created, deleted.', example: 180 }) deleted: number;
  @ApiProperty({
    description: 'Leads the import updated, put back as they were (an update that changed nothing is not counted).',
    example: 12,
  })
  restored: number;
  @ApiProperty({ description: 'Leads changed or deleted since the import: left as they are.', example: 1 })
  kept: number;
  @ApiProperty({ description: 'Updated leads the import had given its tag: the tag removed.', example: 12 })
  tagRemoved: number;
  @ApiProperty({ type: [UndoConflictDto], description: 'Why leads were kept (the first 1,000).' })
  conflicts: UndoConflictDto[];
}
