/**
 * Japanese texts added for issue 9's window items (キャンセル restores what a test stored, the
 * child windows' OK, the report named in a notice, the test result's default address, …).
 */
export const windowBJa = {
  'https.dest.restoreFailed': '元の設定に戻せませんでした。',
  'https.proxy.userForPassword': 'パスワードを使う場合はユーザー名も入力してください(BASIC 認証はユーザー名とパスワードの組で認証します)。',
  'ui.basic.disableQuestion': '{method}を無効にしますか?',
  'ui.basic.disableNote': '無効にすると、障害が発生しても{method}では通報されません。',
} as const satisfies Record<string, string>;
