import { PickType } from '@nestjs/swagger';
import { ListLeadsQuery } from '../../leads/dto/list-leads.query';

export class ListImportsQuery extends PickType(ListLeadsQuery, ['limit', 'cursor'] as const) {}
