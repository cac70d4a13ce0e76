/** One benchmark: `run` measures and returns what is written to bench/results/<name>.json. */
export interface Bench<R extends object = object> {
  name: string;
  run(ctx: BenchContext): Promise<R>;
  /** A few lines for the console. */
  summary(result: R): string[];
}

export interface BenchContext {
  /** The repository root (built with `npm run build`). */
  root: string;
  /** System Chromium for playwright-core. */
  chromiumPath: string;
  log(line: string): void;
}

export interface MachineInfo {
  cpus: number;
  model: string;
  os: string;
  memoryGiB: number;
}
