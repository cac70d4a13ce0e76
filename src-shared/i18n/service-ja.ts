/**
 * Japanese texts of the service's life (seed L1446–1455, L2757–2766; src-main/contract/): the
 * state at the window's lower left and why a 期限延長キー of [サービス有効期限の変更] is refused.
 * `{service}` is the service's name (method.express or method.express-https). The
 * `service.key.*` texts are reasons: the window shows them beside the key field, so they do not
 * name it. The buttons and dialogs have their texts in history-ja.ts.
 */
export const serviceJa = {
  'service.extensionKey': '期限延長キー',

  'service.state.notOpened': '{service}は開局されていません。',
  'service.state.running': '{service}は稼働しています。',
  'service.state.runningUntil': '{service}の有効期限は {date} です。',
  'service.state.expiring': '{service}の有効期限は {date} です(あと {days} 日)。',
  'service.state.lastDay': '{service}の有効期限は本日({date})までです。',
  'service.state.expired': '{service}の有効期限が切れています({date})。',
  'service.state.terminated': '{service}は終了しています。',

  'service.key.format': '英数字 30 文字(5 文字ずつ 6 組、例: 1ABCD-EFGH2-...)で入力してください。',
  'service.key.checksum': '正しくありません。入力に誤りがないか確認してください。',
  'service.key.otherContract': '別の契約のキーです。ユーザシステムコード {code} の期限延長キーを入力してください。',
  'service.key.notLater': 'キーの有効期限 {date} が現在の有効期限 {current} より後ではありません。すでに入力したキーではないか確認してください。',
  'service.key.past': 'キーの有効期限 {date} はすでに過ぎています。',
  'service.key.noContract': '通報開局キーコードで開局した場合は使用できません(有効期限はありません)。',
  'service.key.notOpened': '開局していないため使用できません。',
  'service.error.notOpened': '{service}は開局されていないため、終了できません。',
};
