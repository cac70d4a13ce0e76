import type { pipelineJa } from './pipeline-ja';

/** English texts of the report pipeline; every key of pipeline-ja.ts. */
export const pipelineEn: Record<keyof typeof pipelineJa, string> = {
  'pipeline.collection-interrupted': '[logs not attached] The service stopped while the logs were being collected (started {startedAt}); the fault is reported without them.',
  'pipeline.state.queuedUntil': 'Waiting — to be sent at {time}',
};
