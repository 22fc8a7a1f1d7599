/** A CLI command as a person would type it in a POSIX shell: arguments quoted only where the shell needs it. */
export function cliCommand(...args: string[]): string {
  return ['npm run cli --', ...args.map(shellQuote)].join(' ');
}

function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_:@.,/=+-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A name printed after a command as a shell comment: one line, whatever the name holds. */
export function asComment(name: string): string {
  return `# ${name.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')}`;
}

/** The first-start message: framed so it stands out among log lines, and every command in it works as printed. */
export function firstStartMessage(workspace: { id: string; name: string }, key: string): string {
  const rule = '='.repeat(78);
  return [
    rule,
    `First start: created workspace "${workspace.name}" (id ${workspace.id}) and its API key:`,
    '',
    `    ${key}`,
    '',
    'Keep it now: it is not shown again. Send it as "X-Api-Key: <key>" or "Authorization: Bearer <key>".',
    'Another key for this workspace, at any time:',
    `    ${cliCommand('key:create', '--workspace', workspace.id)}`,
    'Every workspace, with its id:',
    `    ${cliCommand('workspace:list')}`,
    rule,
  ].join('\n');
}
