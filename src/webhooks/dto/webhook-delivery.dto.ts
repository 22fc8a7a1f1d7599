import { ApiProperty } from '@nestjs/swagger';
import type { WebhookDeliveryStatus } from '../webhook-delivery.entity';

/** Where a webhook stands, as the import's record shows it (never its body or the secret). */
export class WebhookDeliveryDto {
  @ApiProperty({ example: '6b0912c4d29d52b503fe9200', description: 'The X-Leadport-Delivery header it is sent with.' })
  id: string;
  @ApiProperty({ example: 'import.completed' }) event: string;
  @ApiProperty({
    enum: ['pending', 'delivered', 'failed'],
    description: 'pending: not delivered yet, retried at nextAttemptAt; failed: no more attempts.',
  })
  status: WebhookDeliveryStatus;
  @ApiProperty({ example: 1 }) attempts: number;
  @ApiProperty({ type: Number, nullable: true, example: 200, description: "The receiver's last HTTP status." })
  lastStatusCode: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Why the last attempt did not deliver, e.g. "The receiver answered 500."',
  })
  lastError: string | null;
  @ApiProperty({ type: Date, nullable: true }) lastAttemptAt: Date | null;
  @ApiProperty({ type: Date, nullable: true, description: 'While pending: when it is tried next.' })
  nextAttemptAt: Date | null;
}
