/** Runs `task` every `ms` without keeping the process alive for it; returns the function that stops it. */
export function every(ms: number, task: () => void): () => void {
  const timer = setInterval(task, ms);
  timer.unref();
  return () => clearInterval(timer);
}
