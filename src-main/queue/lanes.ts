/** A lane's limits: each method is a lane of the queue (docs/formats/queue.md). */
export interface LaneLimits { concurrency: number; minGapMs: number; resource: string | null }
export const DEFAULT_LANE: LaneLimits = { concurrency: 4, minGapMs: 0, resource: null };
