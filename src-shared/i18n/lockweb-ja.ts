/** Japanese texts of the service's guards (one service per data folder, the browser mode's forbidden page, lost secrets). */
export const lockwebJa = {
  'lockweb.serve.running':
    'このデータ フォルダー({dir})では既にサービスが動作しています(プロセス {pid}、{base})。2 つ目は起動しません。先に動作中のサービスを停止してください。',
  'lockweb.forbidden.title': 'このアドレスは使用できません',
  'lockweb.forbidden.body':
    'このアドレスのトークンは有効ではありません。サービスが再起動された可能性があります。express-report serve が表示した新しいアドレス(url: …)を開いてください。',
  'lockweb.notice.contractSecretLost':
    '契約の秘密情報を復号できませんでした(鍵ファイル secret.key が失われたか置き換えられました): {keys}。この値はセンターが発行したもので、入力し直すことはできません。開局キーファイルでもう一度開局するか、センターに新しい期限延長キーを依頼してください。',
};
