/** The durable report queue (docs/formats/queue.md). */
export { ReportQueue, listItems, type AcceptAttachment, type AcceptRoute, type ListFilter, type ReportQueueOptions } from './report-queue';
export { Dispatcher, type DispatcherOptions } from './dispatcher';
export { QueueStore, QueueLockedError, readQueue, type QueueNotice, type QueueStoreOptions } from './store';
export { QueueError, toItem, type QueueErrorCode, type QueueItem } from './view';
export { DEFAULT_SCHEDULE, firstAttemptAt, nextWindowOpening, planRetry, retryDeadline, type MethodSchedule, type RetryPlan } from './retry-schedule';
export { ManualClock } from './manual-clock';
export { DEFAULT_LANE, type LaneLimits } from './lanes';
export type { LastError, QueueEntry, QueueState } from './records';
