/**
 * Waits for `p` (fulfilled or rejected alike) but no longer than `ms`: a stop that must end in
 * time gives up on work that hangs instead of hanging with it.
 */
export function withDeadline(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, Math.max(0, ms));
    const done = (): void => {
      clearTimeout(t);
      resolve();
    };
    p.then(done, done);
  });
}
