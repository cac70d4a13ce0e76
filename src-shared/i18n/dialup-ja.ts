/**
 * Japanese texts of the dial-up channel's backend (src-main/channels/dialup/): what to check after
 * a call failed at one of its own steps (`delivery.dialup.<step>`, channels/steps.ts MODEM_STEPS;
 * the first five are in delivery-ja.ts), and the refusals of a test or opening report.
 */
export const dialupJa = {
  'delivery.dialup.port-missing': 'シリアルポートが見つかりません。通報先設定のシリアルポートと、モデムの接続を確認してください',
  'delivery.dialup.port-busy': 'シリアルポートが他のプログラムで使用中です(リモートアクセスサービスなど)。後で再送します',
  'delivery.dialup.no-response': 'モデムが応答しません。ケーブルとシリアルポート、モデムの電源を確認してください',
  'delivery.dialup.init-error': 'モデムが初期化コマンドを受け付けませんでした(ERROR)。モデムの初期化コマンドを確認してください',
  'delivery.dialup.crc': '電話回線の雑音でデータの誤りが多すぎました(CRC エラー)。電話回線を確認してください。後で再送します',
  'delivery.dialup.no-final-ack': '保守センターから受信完了の応答がありませんでした。後で再送します',
  'delivery.dialup.redial-limit': '同じ番号への再発信は 3 分間に 2 回までです(端末設備等規則)。通報のスケジュールに従って再送します',
  'delivery.dialup.bmc': 'この装置では BMC 経由の通報経路が使えません。通報経路にシリアルポートを選んでください',
  'delivery.dialup.cancelled': '通報を取り消し、回線を切断しました',
  'dialup.error.no-bmc':
    'サーバー管理ポート/マネージメントポート経由の通報には BMC が必要ですが、この装置には使える BMC がありません({devices} が見つかりません)。通報経路にシリアルポートを選ぶか、IPMI ドライバを読み込んでください。',
};
