/**
 * Japanese texts of Express Report by e-mail's backend (src-main/channels/mail/): the report
 * mail's subject and readable body, the refusals before a test or opening report, and the
 * hints after a failed delivery for the steps delivery-ja.ts leaves generic
 * (`delivery.mail.<step>`, src-main/reports/outcome.ts).
 */
export const mailJa = {
  'mail.report.kind.test': 'テスト通報',
  'mail.report.kind.opening': '開局通報',
  'mail.report.kind.alert': '障害通報',
  'mail.report.kind.heartbeat': '構成情報通報',
  'mail.report.kind.reach-test': '到達確認',
  'mail.report.subject': 'エクスプレス通報 {kind} {server}',
  'mail.report.intro': 'エクスプレス通報サービスからの{kind}です。',
  'mail.report.pseudo': 'これは通報テスト(疑似障害)です。実際の障害ではありません。',
  'mail.report.server': 'サーバー名: {value}',
  'mail.report.host': 'ホスト名: {value}',
  'mail.report.time': '日時: {value}',
  'mail.report.contract': 'ユーザシステムコード: {value}',
  'mail.report.event': 'イベント: {log} / {source} / ID {eventId}',
  'mail.report.message': 'メッセージ: {value}',
  'mail.report.suppressed': '同じイベントの抑制された通報: {count} 件',
  'mail.report.result': 'テスト結果送付先: {value}',
  'mail.report.id': '通報 ID: {value}',
  'mail.report.attachments': '通報の内容は添付の report.json にあります(添付ファイル {count} 件)。',
  'mail.report.footer': 'このメールはエクスプレス通報サービスが自動で送信しました。',

  'mail.refuse.smime-missing':
    'S/MIME が有効ですが、開局情報に保守センターの証明書がありません。キーファイルで開局し直すか、[S/MIME 有効]のチェックを外してください。',
  'mail.refuse.smime-unreadable': '保守センターの S/MIME 証明書を読み込めません({reason})。キーファイルで開局し直してください。',
  'mail.refuse.smime-expired': '保守センターの S/MIME 証明書の有効期限が切れています({date})。新しいキーファイルで開局し直してください。',
  'mail.refuse.smime-not-yet-valid': '保守センターの S/MIME 証明書はまだ有効ではありません({date} から有効)。このコンピュータの時刻を確認してください。',
  'mail.refuse.smime-no-rsa': '保守センターの S/MIME 証明書に RSA の鍵がありません。保守会社に連絡してください。',
  'mail.refuse.auth-none': '[このサーバは SMTP 認証が必要]がチェックされていますが、認証方式(CRAM-MD5 / LOGIN / PLAIN / OAuth 2.0)が 1 つも選択されていません。',
  'mail.refuse.auth-account': 'SMTP 認証のアカウント名が設定されていません。',
  'mail.refuse.oauth': 'OAuth 2.0 のトークンエンドポイント、クライアント ID、クライアントシークレットまたはリフレッシュトークンが設定されていません。',
  'mail.refuse.pop': 'POP Before SMTP のメールサーバー(POP)またはアカウント名が設定されていません。',
  'mail.refuse.remote-access': 'リモートアクセスサービスの[使用するエントリ]が設定されていません。',

  'delivery.mail.dns': 'メールサーバー(SMTP / POP)のホスト名と、このコンピュータの DNS 設定を確認してください',
  'delivery.mail.tls':
    '接続の暗号化(STARTTLS / TLS)の選択とポート番号、CA ファイル、このコンピュータの時刻を確認してください(ポート 465 は TLS、25 と 587 は STARTTLS)',
  'delivery.mail.timeout': 'メールサーバー(SMTP)のホスト名とポート番号、ネットワークを確認してください(時間切れ)',
  'delivery.mail.protocol': 'メールサーバー(SMTP)のホスト名とポート番号を確認してください(メールサーバーからの応答ではありません)',
} as const satisfies Record<string, string>;
