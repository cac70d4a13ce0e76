/** Japanese texts of the channel seam (src-main/channels/registry.ts, the generic report flows). */
export const channelsJa = {
  'route.https': 'HTTPS',
  'route.mail': 'インターネット メール経由',
  'route.dialup': 'ダイヤルアップ経由',
  'route.manager-target': 'マネージャ経由',
  'error.no-route': '{method} の通報手段が設定されていません。[通報基本設定]で通報手段を選んでください。',
  'error.channel-unavailable': '{method} の{route}の通報は、この版ではまだ送信できません。',
  'error.no-opening-report': '{method} には開局通報がありません。',
  'error.draft-key': '{field} は {method} の設定ではありません。',
};
