/**
 * Japanese texts of the report pipeline (src-main/reports/pipeline.ts): what an alert says when
 * its logs could not be attached, and when a report held for the 通報時間帯 goes.
 */
export const pipelineJa = {
  'pipeline.collection-interrupted': '[ログ未添付] ログ採取中({startedAt} 開始)にサービスが停止したため、ログを添付せずに通報します。',
  'pipeline.state.queuedUntil': '待機中 — 送信予定 {time}',
};
