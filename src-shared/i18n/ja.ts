import { mailJa } from './mail-ja';
import { dialupuiJa } from './dialupui-ja';
import { historyJa } from './history-ja';
import { httpsJa } from './https-ja';
import { infJa } from './inf-ja';
import { readersJa } from './readers-ja';
import { pipelineJa } from './pipeline-ja';
import { serviceJa } from './service-ja';
import { settingsJa } from './settings-ja';
import { lockwebJa } from './lockweb-ja';
import { windowBJa } from './window-b-ja';
import { windowAJa } from './window-a-ja';
import { openingJa } from './opening-ja';
import { channelsJa } from './channels-ja';
import { deliveryJa } from './delivery-ja';
import { relayJa } from './relay-ja';
import { relayuiJa } from './relayui-ja';
import { mailuiJa } from './mailui-ja';
import { dialupJa } from './dialup-ja';

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

  'invalid.window': '通報時間帯は HH:MM-HH:MM の形式で指定してください(00:00-24:00 は 24 時間)。',
  'invalid.retry-until-short': 'リトライ期限はリトライ間隔より長くしてください。',
  'invalid.type': '{expected}を指定してください。',

  'notice.secrets-lost': '保存されたパスワードを復号できませんでした(鍵ファイル secret.key が失われたか置き換えられました)。次の項目のパスワードを入力し直してください: {keys}',
  'delivery.ok': '{destination} への通報が完了しました。',
  'delivery.failed': '{destination} への通報に失敗しました: {what}{status}',
  'error.test-first': '[開局通報]はテスト通報が成功したあとで実行できます。',
  'error.route-manager': 'マネージャ経由の通報はまだこの版では送信できません。',
  'delivery.retrying': '次回の再送予定は {time} です。',
  'error.service-ended': 'エクスプレス通報サービスは終了しています。再開するには[サービス有効期限の変更]で期限延長キーを入力してください。',
  'error.no-method': '有効な通報手段がありません。[通報基本設定]で通報手段を設定し、有効にしてください。',
  'error.report-not-found': '指定された通報は通報履歴にありません。',
  'error.report-not-failed': '再送できるのは送信に失敗した通報だけです。',
  'failure.retry-limit': 'リトライ期限を過ぎたため、通報を中止しました。',
  'failure.permanent': '通報先が通報を受け付けませんでした。',
  'failure.no-destination': '通報先が設定されていません。',
  'failure.single-attempt': '通報できませんでした(テスト通報・開局通報は再送しません)。',
  'notice.report-failed': '{time} に受け付けた{report}の通報を送信できませんでした。{why}',
  'pseudo.message': '疑似障害通報テスト: {source} {eventId}',
  'error.event-id': 'イベント ID {value} は 0x と 16 進 8 桁(例 0xc0040006)または 10 進数で指定してください。',
  'tray.open': 'アラートマネージャ設定ウィンドウを開く(&O)',
  'tray.quit': '終了(&X)',
  'notification.failed.title': 'エクスプレス通報サービス: 通報できませんでした',
  'notification.failed.body': '通報 {id} を送信できませんでした。通報履歴を確認してください。',
  'notice.queue-damage': '通報キューのファイル {file} に壊れた部分があったため、{aside} に退避しました({reason})。そのほかの通報は失われていません。',
  'error.queue-locked': '通報キューは別のプロセス(プロセス ID {pid})が使用中です。そのプロセス(express-report serve など)で操作するか、終了してからやり直してください。',
  'delivery.waiting': '通報時間帯に入る {time} に送信します(通報履歴で確認できます)。',
  'error.busy': '別の通報処理を実行中です。終わるまでお待ちください。',
  'error.address-file': '宛先ファイル {file} に誤りがあります。',
  'notice.settings-corrupt':
    '設定ファイル {file} を読み込めなかったため({reason})、{aside} に退避し、初期値で起動しました。退避したファイルは削除されていません。',
  'ui.ok': 'OK',
  'ui.cancel': 'キャンセル',
  'ui.close': '閉じる',
  'ui.loading': '読み込んでいます...',
  'ui.loadFailed': '設定を読み込めませんでした。',
  'ui.retry': '再試行',
  'ui.menubar': 'メニュー バー',
  'ui.messageBox.title': 'アラートマネージャ',
  'ui.notice.dismiss': 'お知らせを閉じる',
  'ui.notices': 'お知らせ',
  'ui.noToken':
    'アドレスにセッション トークン(?token=...)がありません。express-report serve が表示したアドレスを開いてください。',
  'ui.exit.title': '終了',
  'ui.exit.browser':
    'このウィンドウはブラウザーで表示しています。ブラウザーのタブまたはウィンドウを閉じて終了してください。設定は変更のたびにすぐ保存されているため、失われる内容はありません。',

  'ui.tree.label': 'イベントログ',
  'ui.details.label': '詳細',
  'ui.details.empty': '左側のイベントログ ツリーから項目を選択してください。',
  'ui.details.log': 'ログ',
  'ui.details.source': 'ソース',
  'ui.details.eventId': 'イベント ID',
  'ui.details.shortId': '短い ID',
  'ui.details.severity': '種類',
  'ui.details.description': '説明',
  'ui.details.sources': 'ソース数: {count}',
  'ui.details.events': 'イベント数: {count}',
  'ui.severity.error': 'エラー',
  'ui.severity.warning': '警告',
  'ui.severity.information': '情報',

  'ui.basic.title': '通報基本設定',
  'ui.basic.tab.methods': '通報手段の設定',
  'ui.basic.list': '通報手段',
  'ui.basic.column.state': '有効/無効',
  'ui.basic.column.method': '通報手段',
  'ui.basic.column.status': '状態',
  'ui.basic.enabled': '有効',
  'ui.basic.disabled': '無効',
  'ui.basic.toggle': '{method}: {state}',
  'ui.basic.configured': '設定済み',
  'ui.basic.notConfigured': '未設定',
  'ui.basic.setup': '設定...',
  'ui.basic.setupName': '{method}の設定...',
  'ui.basic.hint':
    '通報有効/無効ビットマップをクリックすると、通報手段を有効(緑色)または無効にします。変更はすぐに保存されます。',
  'ui.basic.refused': '{method}を有効にできません',

  'ui.setup.missing': '有効にするには、次の項目を設定する必要があります:',

  'ui.dest.title': '通報先リストの設定',
  'ui.dest.idList': 'ID リスト',
  'ui.dest.column.id': 'ID',
  'ui.dest.column.schedule': 'スケジュール',
  'ui.dest.modify': '修正...',
  'ui.dest.hint': 'ID を選択して[修正...]をクリックします。',

  'ui.id.title': 'ID 設定',
  'ui.id.id': 'ID',
  'ui.id.state': '通報手段の状態',
  'ui.id.schedule': 'スケジュール',
  'ui.id.destinations': '宛先設定...',
  'ui.id.scheduleButton': 'スケジュール...',

  'ui.schedule.title': 'スケジュール設定',
  'ui.schedule.retry': '通報リトライ',
  'ui.schedule.interval': '間隔',
  'ui.schedule.intervalUnit': '分',
  'ui.schedule.until': '期限',
  'ui.schedule.untilUnit': '時間後まで',
  'ui.schedule.window': '通報時間帯',
  'ui.schedule.allDay': '24 時間通報する',
  'ui.schedule.from': '開始時刻',
  'ui.schedule.to': '終了時刻',
  'ui.schedule.hint':
    '初期値は、5 分間隔で 72 時間後までのリトライ、24 時間通報できます。この値は推奨値です。特に問題がなければ変更しないでください。',
  'ui.schedule.summary': '{interval} 分間隔、{until} 時間後まで、{window}',
  'ui.schedule.summaryAllDay': '24 時間',
  'ui.schedule.wraps': '終了時刻が開始時刻より前のときは、翌日の終了時刻までになります。',
  'ui.schedule.saveFailed': 'スケジュールを保存できませんでした。',
  'ui.validate.integer': '{field}には {min} から {max} までの整数を入力してください。',
  'ui.validate.time': '{field}は HH:MM の形式(00:00 から {max} まで)で入力してください。',
  'ui.validate.sameTime': '{field}には開始時刻と異なる時刻を入力してください。',

  'ui.version.title': 'バージョン情報',
  'ui.version.product': '製品バージョン',
  'ui.version.module': '通報モジュール(アラートマネージャ)バージョン',
  'ui.version.dataDir': '設定の保存先',

  'ui.server.openedKeyFile': '開局済み(開局キーファイル、ユーザシステムコード {code}、{date})',
  'ui.server.openedKeyCode': '開局済み(通報開局キーコード、ユーザ ID {code}、{date})',
  'ui.server.notOpened': 'まだ開局していません。',
  'ui.server.state': '開局状態',
  'ui.status.label': 'ステータス バー',

  'ui.combobox.open': '一覧を開く',
  'ui.setup.opening': '開局情報',
  'ui.setup.openingInput': '開局情報の入力(&I)',
  'ui.setup.openingChange': '設定情報の変更(&C)...',
  ...openingJa,
  ...channelsJa,
  ...httpsJa,
  ...historyJa,
  ...serviceJa,
  ...settingsJa,
  ...lockwebJa,
  ...readersJa,
  ...pipelineJa,
  ...windowBJa,
  ...windowAJa,
  ...infJa,
  ...deliveryJa,
  ...relayJa,
  ...relayuiJa,
  ...mailuiJa,
  ...mailJa,
  ...dialupJa,
  ...dialupuiJa,
} as const satisfies Record<string, string>;

export type MessageKey = keyof typeof ja;
