/** マネージャ経由の通報 (the relay through a manager): the backend's texts; the windows add their own. */
export const relayJa = {
  'relay.receiver.problem': 'ポート番号 {port} で受信できません: {detail}',
  'relay.receiver.inUse': 'ポート番号 {port} で受信できません。別のプログラムがこのポート番号を使用しています。そのプログラムを終了すると受信を始めます(または、エージェントと合わせてポート番号を変更してください)。',
  'relay.receiver.denied': 'ポート番号 {port} で受信できません。このポート番号を使う権限がありません。ポート番号を変更してください(エージェントでも同じ番号に)。',
  'relay.forward.problem': 'エージェントから受信した通報を保守センターへ転送できません: {detail}',
  'relay.agent.silent': '{server} (ユーザシステムコード {code}) から {hours} 時間以上通報もハートビートもありません(最終: {since})。エージェントの状態とネットワークを確認してください',
  'relay.probe.new': 'マネージャ {address} に接続しました。証明書の指紋: {fingerprint}(まだ登録されていません。最初のテスト通報で登録されます)',
  'relay.probe.matches': 'マネージャ {address} に接続しました。証明書の指紋は登録済みのものと一致します: {fingerprint}',
  'relay.probe.changed': 'マネージャ {address} の証明書が変わっています。提示された指紋: {fingerprint} / 登録済みの指紋: {pinned}。マネージャに表示される指紋と照合してから受け入れてください',
  'relay.probe.failed': 'マネージャ {address} に接続できませんでした: {detail}',
  'delivery.relay.manager-cert':
    'マネージャの証明書が登録済みのものと異なるため、何も送らずに接続を切りました。マネージャで証明書を作り直した場合は、(マネージャ経由)の設定の [証明書の確認] で提示された指紋をマネージャの基本設定に表示される指紋と照合し、受け入れてください。受け入れるまで、このマネージャへの通報は送られません',
  'delivery.relay.tls': 'マネージャの証明書を確認してください(証明書が変わった場合は、マネージャに表示される指紋と照合してから受け入れてください)',
  'delivery.relay.timeout': 'マネージャとネットワークを確認してください(応答がありませんでした)',
  'delivery.relay.dns': 'マネージャのホスト名と、このコンピュータの DNS の設定を確認してください',
} as const satisfies Record<string, string>;
