import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyService } from '../auth/api-key.service';
import { AuthModule } from '../auth/auth.module';
import { Workspace } from '../auth/workspace.entity';
import { WorkspacesService } from '../auth/workspaces.service';
import { AppError } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from '../database/data-source-options';
import { WebhookSecrets, WebhookSecretsModule } from '../webhooks/webhook-secrets';
import { asComment, cliCommand } from './commands';

export const USAGE = `Usage: npm run cli -- <command>
  workspace:create <name>                                 create a workspace and its first key (printed last)
  workspace:list                                          list workspaces: id, name, created, active keys
  key:create [--workspace <id or exact name>] [--name <label>]
                                                          create a workspace key (--workspace may be left out
                                                          when there is only one workspace)
  key:create --workspace <id or name> --platform --user <email>
                                                          create a platform key (sk_user_…) for a user of that workspace
  key:revoke <prefix-or-id>                               revoke a key; effective on the next request
  key:list [--workspace <id or exact name>]               list a workspace's keys (prefixes only)
  webhook:secret [--workspace <id or exact name>]         create or replace the workspace's webhook signing secret
                                                          and print it (shown only this once)
  help                                                    this text`;

interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** A mistake of the person at the keyboard: the message says what to type instead. */
class UsageError extends Error {}

/** Runs one CLI command against the configured database; returns the process exit code. */
export async function runCli(argv: string[], config: AppConfig, io: Output): Promise<number> {
  const [command, ...rest] = argv;
  const { positional, flags } = parseArgs(rest);
  if (!command || command === 'help' || command === '--help' || flags.help) {
    io.out(USAGE);
    return command ? 0 : 1;
  }
  if (!COMMANDS.includes(command)) {
    io.err(`Unknown command "${command}". The commands are:\n${USAGE}`);
    return 1;
  }

  @Module({
    imports: [TypeOrmModule.forRoot(buildDataSourceOptions(config.database)), AuthModule, WebhookSecretsModule],
  })
  class CliModule {}

  const app = await NestFactory.createApplicationContext(CliModule, { logger: false });
  try {
    const keys = app.get(ApiKeyService);
    const workspaces = app.get(WorkspacesService);
    switch (command) {
      case 'workspace:create': {
        if (positional.length === 0)
          throw new UsageError(`Name the workspace:\n  ${cliCommand('workspace:create', 'My team')}`);
        const { workspace, key } = await keys.createWorkspace(positional.join(' '));
        io.out(`Created workspace "${workspace.name}" (id ${workspace.id}) and its first API key:`);
        io.out(key);
        return 0;
      }
      case 'workspace:list': {
        const list = await workspaces.list();
        if (list.length === 0) {
          io.out(`No workspaces yet. Create one:\n  ${cliCommand('workspace:create', 'My team')}`);
          return 0;
        }
        io.out(`${'id'.padEnd(24)}  ${'created (UTC)'.padEnd(20)}  keys  name`);
        for (const { workspace, activeKeys } of list) {
          const created = workspace.createdAt.toISOString().slice(0, 19).replace('T', ' ');
          io.out(`${workspace.id}  ${created.padEnd(20)}  ${String(activeKeys).padStart(4)}  ${workspace.name}`);
        }
        io.out(`A new key for one of them: ${cliCommand('key:create', '--workspace', list[0].workspace.id)}`);
        return 0;
      }
      case 'key:create': {
        const workspace = await chooseWorkspace(workspaces, flags.workspace, ['key:create']);
        const platform = flags.platform === true;
        const user = flags.user;
        if (platform && (typeof user !== 'string' || !user)) {
          throw new UsageError(
            'A platform key belongs to a user; give their email:\n' +
              `  ${cliCommand('key:create', '--workspace', workspace.id, '--platform', '--user', 'ann@example.com')}`,
          );
        }
        const name = typeof flags.name === 'string' ? flags.name : undefined;
        const { key, record } = await keys.createKey({
          workspaceId: workspace.id,
          platformUserEmail: platform ? (user as string) : undefined,
          name,
        });
        io.out(`Created ${record.kind} key ${record.prefix}… (id ${record.id}) for workspace "${workspace.name}":`);
        io.out(key);
        return 0;
      }
      case 'key:revoke': {
        const wanted = positional[0];
        if (!wanted) {
          throw new UsageError(`Name the key by its prefix or id, as listed by:\n  ${cliCommand('key:list')}`);
        }
        const record = await keys.revoke(wanted);
        io.out(`Revoked key ${record.prefix}… (id ${record.id}).`);
        return 0;
      }
      case 'key:list': {
        const workspace = await chooseWorkspace(workspaces, flags.workspace, ['key:list']);
        const list = await keys.list(workspace.id);
        for (const k of list) {
          const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
          io.out(`${k.id}  ${k.kind.padEnd(9)}  ${k.prefix}…  ${k.name}  ${state}`);
        }
        if (list.length === 0) io.out(`No keys. Create one: ${cliCommand('key:create', '--workspace', workspace.id)}`);
        return 0;
      }
      case 'webhook:secret': {
        const workspace = await chooseWorkspace(workspaces, flags.workspace, ['webhook:secret']);
        const secret = await app.get(WebhookSecrets).rotate(workspace.id);
        io.out(
          `New webhook secret for workspace "${workspace.name}" (id ${workspace.id}); it signs every webhook from now ` +
            'on (X-Leadport-Signature). Keep it now: it is not shown again; running this command again replaces it.',
        );
        io.out(secret);
        return 0;
      }
    }
    throw new Error(`unhandled command ${command}`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(error.message);
      return 1;
    }
    if (error instanceof AppError) {
      io.err(`${error.message}${hintFor(command)}`);
      return 1;
    }
    throw error;
  } finally {
    await app.close();
  }
}

const COMMANDS = ['workspace:create', 'workspace:list', 'key:create', 'key:revoke', 'key:list', 'webhook:secret'];

/** What to run after the service refused a command (unknown key, bad email…). */
function hintFor(command: string): string {
  if (command === 'key:revoke') return `\nThe keys and their prefixes: ${cliCommand('key:list')}`;
  return `\nUsage: ${cliCommand('help')}`;
}

/**
 * The workspace `--workspace` names, by id or exact name; without the flag, the only workspace. When that is not
 * one workspace, the error lists a command that works for each candidate.
 */
async function chooseWorkspace(
  workspaces: WorkspacesService,
  flag: string | boolean | undefined,
  command: string[],
): Promise<Workspace> {
  const wanted = typeof flag === 'string' ? flag : undefined;
  if (flag !== undefined && !wanted) throw new UsageError(`--workspace needs an id or a name. ${listHint()}`);
  if (wanted !== undefined) {
    const found = await workspaces.find(wanted);
    if (found.length === 1) return found[0];
    if (found.length === 0) throw new UsageError(`No workspace has the id or exact name "${wanted}". ${listHint()}`);
    throw new UsageError(
      `${found.length} workspaces are named "${wanted}"; name one by its id:\n${commandsFor(found, command)}`,
    );
  }
  const all = (await workspaces.list()).map((s) => s.workspace);
  if (all.length === 1) return all[0];
  if (all.length === 0) {
    throw new UsageError(
      `There is no workspace yet. Create one (it comes with a key):\n  ${cliCommand('workspace:create', 'My team')}`,
    );
  }
  throw new UsageError(`There are ${all.length} workspaces; name one:\n${commandsFor(all, command)}`);
}

function commandsFor(workspaces: Workspace[], command: string[]): string {
  const shown = workspaces.slice(0, 20);
  const lines = shown.map((w) => `  ${cliCommand(...command, '--workspace', w.id)}  ${asComment(w.name)}`);
  if (workspaces.length > shown.length)
    lines.push(`  … and ${workspaces.length - shown.length} more: ${cliCommand('workspace:list')}`);
  return lines.join('\n');
}

function listHint(): string {
  return `The workspaces, with their ids: ${cliCommand('workspace:list')}`;
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
