/** Japanese catalogue: the seed's labels. Keys are shared with en.ts, which must have every key. */
export const ja = {
  'app.title': 'アラートマネージャ設定ウィンドウ',
  'app.productName': 'エクスプレス通報サービス',

  'menu.file': 'ファイル(&F)',
  'menu.file.exit': '終了(&X)',
  'menu.settings': '設定(&S)',
  'menu.settings.basic': '通報基本設定(&B)...',
  'menu.settings.destinations': '通報先リストの設定(&L)...',
  'menu.tools': 'ツール(&T)',
  'menu.tools.express': 'エクスプレス通報サービス(&E)',
  'menu.tools.express.server': 'サーバー(&S)',
  'menu.help': 'ヘルプ(&H)',
  'menu.help.version': 'バージョン情報(&A)...',
  'menu.help.language': 'English(&L)',

  'tree.root': 'イベントログ',
  'tree.log.System': 'システム',
  'tree.log.Application': 'アプリケーション',

  'method.express': 'エクスプレス通報サービス',
  'method.express-https': 'エクスプレス通報サービス(HTTPS)',
  'method.manager-express': 'マネージャからのエクスプレス通報',
  'method.manager-express-https': 'マネージャからのエクスプレス通報(HTTPS)',

  'missing.opening': '開局情報が入力されていません([ツール]-[エクスプレス通報サービス]-[サーバー])。',
  'missing.route': '通報手段(インターネットメール経由/ダイヤルアップ経由/マネージャ経由)が選択されていません。',
  'missing.mail-server': 'SMTP サーバーが設定されていません。',
  'missing.mail-sender': '送信者のメールアドレスが設定されていません。',
  'missing.mail-destination': '宛先のメールアドレスが設定されていません。',
  'missing.dial-number': '1 次通報先の電話番号が設定されていません。',
  'missing.manager-host': 'マネージャの IP アドレスまたはホスト名が設定されていません。',
  'missing.url': '1 次通報先の URL が設定されていません。',
  'missing.center-destinations': '保守センターの宛先が登録されていません([宛先登録])。',
  'missing.forward': '転送手段(インターネットメール経由/ダイヤルアップ経由)が選択されていません。',
  'missing.opening-report': '開局通報が完了していません。テスト通報のあとで開局通報を行ってください。',

  'error.mutual-exclusion':
    'エクスプレス通報サービス(HTTPS)とエクスプレス通報サービスは同時に使用できません。{other}の手段を無効にしてから{method}を有効にしてください。',
  'error.not-configured': '{method}はまだ設定されていないため有効にできません。',
  'error.invalid-value': '{field}: {reason}',
  'error.unknown-key': '設定項目 {field} はありません。',
  'error.unknown-method': '通報手段 {method} はありません。',
  'error.internal': '内部エラーが発生しました: {detail}',
  'error.transport': 'サービスと通信できません: {detail}',

  'notice.settings-corrupt':
    '設定ファイル {file} を読み込めなかったため({reason})、{aside} に退避し、初期値で起動しました。退避したファイルは削除されていません。',
} as const satisfies Record<string, string>;

export type MessageKey = keyof typeof ja;
