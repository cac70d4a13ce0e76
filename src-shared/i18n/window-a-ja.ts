/** Japanese texts of the window's connection to the service (the banner when it stops or restarts). */
export const windowAJa = {
  'ui.basic.refusedDisable': '{method}を無効にできません',
  'connection.lost.title': 'サービスが動作していません',
  'connection.lost':
    'エクスプレス通報サービスが停止しているため、設定を読み書きできません。入力した内容はそのまま残っています。サービスが再開すると自動的に再接続します。',
  'connection.lost.detail': 'サービスが動作していません',
  'connection.replaced.title': 'サービスが再起動されました',
  'connection.replaced':
    'サービスが再起動されたため、このページの接続は使えなくなりました。express-report serve が新しく表示したアドレス (url: http://127.0.0.1:…/?token=…) を開いてください。',
  'connection.replaced.detail': 'サービスが再起動されました。serve が表示した新しいアドレスを開いてください',
} as const satisfies Record<string, string>;
