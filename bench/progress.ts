/** Progress goes to stderr, so stdout carries only the results table. */
export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
