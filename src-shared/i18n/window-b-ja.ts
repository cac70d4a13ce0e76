/**
 * Japanese texts added for issue 9's window items (キャンセル stores nothing a test used, the
 * child windows' OK, the report named in a notice, the test result's default address, …).
 */
export const windowBJa = {
  'https.proxy.userForPassword': 'パスワードを使う場合はユーザー名も入力してください(BASIC 認証はユーザー名とパスワードの組で認証します)。',
  'ui.basic.disableQuestion': '{method}を無効にしますか?',
  'ui.basic.disableNote': '無効にすると、障害が発生しても{method}では通報されません。',
  'error.address-file-missing': '宛先定義ファイル {file} がありません({dir} を探しました)。保守会社から受け取った {file} をこのフォルダに置いてから[宛先の読み込み]をクリックしてください。',
  'https.dest.loadedUrl1': '1 次: {url}',
  'https.dest.loadedUrl2': '2 次: {url}',
  'opening.utility.moreIssue': 'ほかに 1 項目を確認してください。',
  'https.result.defaultResultMail': '既定値は開局情報のテスト・開局結果返信メールアドレスです。',
  'https.result.defaultCustomer': '既定値は設定情報のお客様メールアドレスです(テスト・開局結果返信メールアドレスが登録されていないため)。',
  'https.result.defaultNone': '開局情報にテスト・開局結果返信メールアドレスもお客様メールアドレスも登録されていないため、既定値はありません。',
} as const satisfies Record<string, string>;
