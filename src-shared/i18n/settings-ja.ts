/**
 * Japanese texts of the settings rules (src-main/core/protected-keys.ts, settings-store.ts):
 * contract and workflow state that only its own action may change, and a settings file whose
 * wrong fields were put back to their defaults. `settings.action.*` name the action in the
 * window and on the command line.
 */
export const settingsJa = {
  'error.protected-key': '{field} は設定の変更では変えられません。{action}で変更されます。',
  'settings.action.open': '開局(設定ユーティリティの開局、express-report open)',
  'settings.action.extend': '期限延長([サービス有効期限の変更]で期限延長キーを入力、express-report extend)',
  'settings.action.terminate': '[サービスの終了](express-report terminate。再開は[サービス有効期限の変更])',
  'settings.action.test': 'テスト通報([宛先設定]の[テスト通報]、express-report test)',
  'settings.action.opening-report': '開局通報([宛先設定]の[開局通報]、express-report opening-report)',
  'settings.action.register': '宛先登録([宛先登録])',
  'notice.settings-repaired':
    '設定ファイル {file} の次の項目に誤りがあったため、初期値に戻しました: {fields}。そのほかの設定はそのまま使用しています。元のファイルは {aside} に退避しました。',
};
