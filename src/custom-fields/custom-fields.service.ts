import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CustomField } from './custom-field.entity';

@Injectable()
export class CustomFieldsService {
  constructor(@InjectRepository(CustomField) private readonly fields: Repository<CustomField>) {}

  list(workspaceId: string): Promise<CustomField[]> {
    return this.fields.find({ where: { workspaceId }, order: { nameKey: 'ASC' } });
  }
}

/** Custom field names match case-insensitively: "Industry" and "industry" are one field. */
export function customFieldKey(name: string): string {
  return name.trim().toLowerCase();
}
