import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyService } from '../auth/api-key.service';
import { AuthModule } from '../auth/auth.module';
import { AppError } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from '../database/data-source-options';

export const USAGE = `Usage: npm run cli -- <command>
  workspace:create <name>                                 create a workspace and its first key (printed last)
  key:create --workspace <id> [--name <label>]            create a workspace key
  key:create --workspace <id> --platform --user <email>   create a platform key (sk_user_…) for a user of that workspace
  key:revoke <prefix-or-id>                               revoke a key; effective on the next request
  key:list --workspace <id>                               list a workspace's keys (prefixes only)`;

interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Runs one CLI command against the configured database; returns the process exit code. */
export async function runCli(argv: string[], config: AppConfig, io: Output): Promise<number> {
  const [command, ...rest] = argv;
  const { positional, flags } = parseArgs(rest);
  if (!command || command === 'help' || flags.help) {
    io.out(USAGE);
    return command ? 0 : 1;
  }

  @Module({ imports: [TypeOrmModule.forRoot(buildDataSourceOptions(config.database)), AuthModule] })
  class CliModule {}

  const app = await NestFactory.createApplicationContext(CliModule, { logger: false });
  try {
    const keys = app.get(ApiKeyService);
    switch (command) {
      case 'workspace:create': {
        const name = positional.join(' ');
        const { workspace, key } = await keys.createWorkspace(name);
        io.out(`Created workspace "${workspace.name}" (id ${workspace.id}) and its first API key:`);
        io.out(key);
        return 0;
      }
      case 'key:create': {
        const workspaceId = requireFlag(flags, 'workspace');
        const platform = flags.platform === true;
        const user = platform ? requireFlag(flags, 'user') : undefined;
        const name = typeof flags.name === 'string' ? flags.name : undefined;
        const { key, record } = await keys.createKey({ workspaceId, platformUserEmail: user, name });
        io.out(`Created ${record.kind} key ${record.prefix}… (id ${record.id}):`);
        io.out(key);
        return 0;
      }
      case 'key:revoke': {
        const record = await keys.revoke(positional[0] ?? '');
        io.out(`Revoked key ${record.prefix}… (id ${record.id}).`);
        return 0;
      }
      case 'key:list': {
        const list = await keys.list(requireFlag(flags, 'workspace'));
        for (const k of list) {
          const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
          io.out(`${k.id}  ${k.kind.padEnd(9)}  ${k.prefix}…  ${k.name}  ${state}`);
        }
        if (list.length === 0) io.out('No keys.');
        return 0;
      }
      default:
        io.err(`Unknown command "${command}".\n${USAGE}`);
        return 1;
    }
  } catch (error) {
    if (error instanceof AppError || error instanceof UsageError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  } finally {
    await app.close();
  }
}

class UsageError extends Error {}

function requireFlag(flags: Record<string, string | boolean>, name: string): string {
  const value = flags[name];
  if (typeof value !== 'string' || !value) throw new UsageError(`Missing --${name} <value>.\n${USAGE}`);
  return value;
}

function parseArgs(args: string[]): { positional: string[]; flags: Record<string, string | boolean> } {
  const positional: string[] = [];
  const flags: Record<string, string | boolean> = Object.create(null) as Record<string, string | boolean>;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2);
    if (inline !== undefined) flags[name] = inline;
    else if (args[i + 1] !== undefined && !args[i + 1].startsWith('--')) flags[name] = args[++i];
    else flags[name] = true;
  }
  return { positional, flags };
}
