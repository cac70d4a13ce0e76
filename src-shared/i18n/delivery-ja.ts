/**
 * Japanese texts of a delivery failure: what to check, by channel and step (src-main/channels/steps.ts).
 * A failure's hint is `delivery.<channel>.<step>`, else the generic `delivery.step.<step>`, else
 * `delivery.step.fallback` (src-main/reports/outcome.ts). The generic texts name no channel; each
 * channel's texts name its own settings, in the words of the seed's setting windows.
 */
export const deliveryJa = {
  // Generic: any channel.
  'delivery.step.config': '通報手段の設定を確認してください',
  'delivery.step.dns': '通報先のホスト名と、このコンピュータの DNS 設定を確認してください',
  'delivery.step.connect': '通報先のアドレスとポート番号、ネットワーク、ファイアウォールを確認してください',
  'delivery.step.tls': '通報先の証明書と、このコンピュータの時刻を確認してください',
  'delivery.step.timeout': 'ネットワークを確認してください(時間切れ)',
  'delivery.step.refused': '通報先が通報を拒否しました。設定を確認し、拒否が続く場合は保守会社に連絡してください',
  'delivery.step.protocol': '通報先の設定を確認してください(通報先から想定外の応答がありました)',
  'delivery.step.cancelled': '通報は取り消されました',
  'delivery.step.fallback': '通報手段の設定とネットワークを確認してください',
  /** the peer's code after the hint, for a channel with no wording of its own */
  'delivery.status': '(応答コード {status})',

  // Express Report (HTTPS).
  'delivery.https.config': 'HTTPS の設定(URL、CA ファイル、プロキシ)を確認してください',
  'delivery.https.dns': 'URL またはプロキシのホスト名と、このコンピュータの DNS 設定を確認してください',
  'delivery.https.connect': 'URL、ネットワーク、ファイアウォール(ポート 443)を確認してください',
  'delivery.https.tls': 'HTTPS の設定の CA ファイル、URL のホスト名、このコンピュータの時刻を確認してください',
  'delivery.https.timeout': 'ネットワークとプロキシを確認してください(時間切れ)',
  'delivery.https.protocol': 'URL を確認してください(エクスプレス通報の受付センターからの応答ではありません)',
  'delivery.https.proxy': 'プロキシのアドレスとポート、プロキシが動作し HTTPS(CONNECT)を許可していることを確認してください',
  'delivery.https.proxy-auth': 'プロキシのユーザー名とパスワード(BASIC 認証)を確認してください',
  'delivery.https.auth': 'ユーザー名とパスワードを確認してください',
  'delivery.https.send': 'ネットワークを確認してください',
  'delivery.https.http-status': 'URL を確認してください。拒否が続く場合は保守会社に連絡してください',
  'delivery.https.status': '(HTTP {status})',

  // Internet mail (SMTP).
  'delivery.mail.config': 'インターネットメール経由の設定(メールサーバー、送信者のメールアドレス、認証)を確認してください',
  'delivery.mail.connect': 'メールサーバー(SMTP)のホスト名とポート番号、ネットワーク、ファイアウォールを確認してください',
  'delivery.mail.greeting': 'メールサーバー(SMTP)のホスト名とポート番号を確認してください(サーバーが接続を受け付けませんでした)',
  'delivery.mail.auth': 'SMTP 認証のアカウント名、パスワード、認証方式を確認してください',
  'delivery.mail.pop': 'POP Before SMTP のメールサーバー(POP)、POP ポート番号、アカウント名、パスワードを確認してください',
  'delivery.mail.mail-from': '送信者のメールアドレスを確認してください(メールサーバーが受け付けませんでした)',
  'delivery.mail.rcpt-to': '通報先のメールアドレスを確認してください(メールサーバーが受け付けませんでした)',
  'delivery.mail.data': 'メールサーバーが通報のメールを受け付けませんでした。拒否が続く場合は保守会社に連絡してください',
  'delivery.mail.size': '通報のメールがメールサーバーの受け付ける大きさを超えています。メールサーバーのサイズ制限を確認してください',
  'delivery.mail.status': '(SMTP {status})',

  // Dial-up (modem).
  'delivery.dialup.config': 'ダイヤルアップ経由の設定(モデム、シリアルポート、電話番号)を確認してください',
  'delivery.dialup.connect': 'モデムの電源と、モデムが接続されているシリアルポートを確認してください',
  'delivery.dialup.no-dialtone': 'モデムと電話回線の接続を確認してください(ダイヤルトーンがありません)',
  'delivery.dialup.busy': '通報先が話中でした。通報先の電話番号を確認し、話中が続く場合は保守会社に連絡してください',
  'delivery.dialup.no-answer': '通報先が応答しませんでした。通報先の電話番号を確認してください',
  'delivery.dialup.no-carrier': '通報先の電話番号とモデムの設定を確認してください(接続できませんでした)',
  'delivery.dialup.line-dropped': '電話回線を確認してください(通報中に回線が切断されました)',

  // Through a manager (ESMPRO/ServerManager).
  'delivery.relay.config': 'マネージャ経由の設定(マネージャのアドレス)を確認してください',
  'delivery.relay.connect': 'マネージャのアドレスとポート番号、ネットワーク、ファイアウォールを確認してください',
  'delivery.relay.manager-auth': 'マネージャがこのサーバーを認証しませんでした。マネージャ経由の設定と、マネージャの受信の設定を確認してください',
  'delivery.relay.manager-refused': 'マネージャが通報を拒否しました。マネージャのエクスプレス通報の設定を確認してください',
} as const satisfies Record<string, string>;
