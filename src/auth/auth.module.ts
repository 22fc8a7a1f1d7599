import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKey } from './api-key.entity';
import { ApiKeyService } from './api-key.service';
import { User } from './user.entity';
import { WorkspaceMember } from './workspace-member.entity';
import { WorkspacesService } from './workspaces.service';
import { Workspace } from './workspace.entity';

@Module({
  imports: [TypeOrmModule.forFeature([ApiKey, User, Workspace, WorkspaceMember])],
  providers: [ApiKeyService, WorkspacesService],
  exports: [ApiKeyService, WorkspacesService],
})
export class AuthModule {}
