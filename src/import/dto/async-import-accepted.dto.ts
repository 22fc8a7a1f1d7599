import { ApiProperty } from '@nestjs/swagger';

/** The 202 answer of an async import: where to follow it. */
export class AsyncImportAcceptedDto {
  @ApiProperty({ example: '6b0912c54843868768f9157b' }) importId: string;
  @ApiProperty({ enum: ['queued'], example: 'queued' }) status: 'queued';
  @ApiProperty({
    description: 'GET it (with the same key) for `status` and `progress`; also in the Location header.',
    example: '/v1/leads/imports/6b0912c54843868768f9157b',
  })
  statusUrl: string;
}
