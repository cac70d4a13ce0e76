import { readersInfJa } from './readers-ja';

/**
 * Japanese texts of the definition files' diagnostics (AMHTPADR.INF, AMHTPLOG.INF, AMHTPHBI.INF;
 * seed L2824–3051) and of the settings' URL and CA file rules. A diagnostic's `code` is one of
 * these keys; its `params` fill the `{name}` placeholders, and a param may itself be a coded
 * text (a `problem`, `what`, `expected` or `range` phrase), rendered in the same language.
 *
 * Phrases (inf.empty, inf.url.*, inf.int.*, inf.eventId.*, inf.path.*, inf.command.*, inf.ca.*)
 * are clauses without a final 。; the message that holds them ends the sentence.
 */
export const infJa = {
  // Phrases shared by several checks.
  'inf.empty': '値が空です',
  'inf.emptyValue': '(空)',

  // The file itself (decode.ts, index.ts).
  'inf.file.tooLarge': 'ファイルのサイズが {size} バイトです。定義ファイルは {max} バイト(1 MiB)以下です。',
  'inf.file.utf16':
    '文字コードが正しくありません。UTF-16 のファイルです(UTF-16 のバイトオーダーマークで始まっています)。Shift_JIS(ANSI)または UTF-8 で保存してください。',
  'inf.file.nul':
    '文字コードが正しくありません。オフセット {offset} に NUL バイトがあります(UTF-16 またはバイナリファイルではありませんか?)。Shift_JIS(ANSI)または UTF-8 で保存してください。',
  'inf.file.badUtf8Bom': '文字コードが正しくありません。UTF-8 のバイトオーダーマークで始まっていますが、UTF-8 として正しくありません。',
  'inf.file.badEncoding': '文字コードが正しくありません。UTF-8 としても Shift_JIS(CP932)としても読み込めません。',
  'inf.file.control': '制御文字 {char} が含まれています(バイナリファイルではありませんか?)。',
  'inf.file.folder': 'ファイルを読み込めません。フォルダーです。',
  'inf.file.notFound': 'ファイルを読み込めません。ファイルが存在しません。',
  'inf.file.permission': 'ファイルを読み込めません。アクセス権がありません。',
  'inf.file.unreadable': 'ファイルを読み込めません: {reason}',

  // Lines, sections and keys (scanner.ts).
  'inf.scan.headerUnclosed': 'セクション名 {text} に閉じる ] がありません。次のセクションまでのキーは無視します。',
  'inf.scan.headerEmpty': 'セクション名が空です([])。次のセクションまでのキーは無視します。',
  'inf.scan.headerTrailing': 'セクション名 [{section}] の後ろの記述は無視します: {text}',
  'inf.scan.duplicateSection': 'セクション [{section}] が重複しています(最初の記載は {first} 行目)。このセクションとそのキーは無視します。',
  'inf.scan.noEquals': '「=」のない行です(キーの行は キー=値、コメントの行は ; で始めます): {text}',
  'inf.scan.noKeyName': 'キー名のない行です: {text}',
  'inf.scan.noKeyNameIn': '[{section}] にキー名のない行があります: {text}',
  'inf.scan.keyBeforeSection': 'キー {key} がセクションより前に記載されています。このキーは無視します。',
  'inf.scan.unbalancedQuote': '[{section}] の {key}: ダブルクォーテーション(")が対になっていません({value})。値全体を 1 組の " で囲んでください。',
  'inf.scan.duplicateKey': '[{section}] のキー {key} が重複しています(最初の記載は {first} 行目)。最初の記載を使用します。',
  'inf.unknownKey': '[{section}] の不明なキー {key} は無視します([{section}] のキーは {expected} です)。',
  'inf.keys.url': 'URL',
  'inf.keys.configuration': 'TimeOut と MaxSize',
  'inf.keys.pairs': 'SourceNameXX と EventIDXX',
  'inf.keys.tool': 'Command、LogFile と Directory',
  'inf.keys.toolYYY': 'Command、LogFile、Directory と SourceNameXX/EventIDXX',
  'inf.keys.schedule': 'ScheduleType、ScheduleDay と ScheduleTime',

  // AMHTPADR.INF, the destinations, and the URL rules.
  'inf.adr.noUrl1': 'セクション [URL1] がありません。[URL1] を記載し、その URL= に一次通報先(https://…)を記載してください。',
  'inf.adr.noUrl': '[{section}] に URL= がありません。URL= に一次通報先(https://…)を記載してください。',
  'inf.adr.url1Empty': '[{section}] の {key} が空です。一次通報先は必ず記載してください。',
  'inf.adr.url': '[{section}] の {key}: {problem}。',
  'inf.adr.url2NoUrl': '[{section}] に URL= がありません。二次通報先は設定されません。',
  'inf.adr.url2Same': '[{section}] の {key} が一次通報先と同じです。',
  'inf.adr.unknownSection': '不明なセクション [{section}] は無視します(AMHTPADR.INF のセクションは [URL1] と [URL2] です)。',
  'inf.url.tooLong': '{length} 文字あります。{max} 文字以内で記載してください',
  'inf.url.space': '空白が含まれています。半角英数字、記号だけで記載してください',
  'inf.url.badChar': '{char}({code})が含まれています。半角英数字、記号だけで記載してください',
  'inf.url.notHttps': 'https:// で始まる URL を記載してください({url})',
  'inf.url.invalid': 'URL として正しくありません({url})',
  'inf.url.noHost': 'ホスト名がありません',

  // [Configuration] TimeOut and MaxSize.
  'inf.config.timeOut': '[{section}] の {key}(タイムアウト時間(秒)。0 はタイムアウトしない): {problem}。既定値 {default} を使用します。',
  'inf.config.maxSize':
    '[{section}] の {key}(添付可能な最大ログサイズ(KB)。0 は本プログラムの上限 {limit} KB): {problem}。既定値 0 を使用します。',
  'inf.int.empty': '値が空です。0 以上の整数を指定するか、キーを省略して既定値としてください',
  'inf.int.notInteger': '0 以上の整数(数字のみ)を指定してください({value} は指定できません)',
  'inf.int.tooLarge': '{value} は大きすぎます。最大値は {max} です',

  // SourceNameXX / EventIDXX.
  'inf.pair.badNumber': '[{section}] の {key}: {base} の後ろの番号は 01~99 の 2 桁で記載してください。このキーは無視します。',
  'inf.pair.badNumberHint': '[{section}] の {key}: {base} の後ろの番号は 01~99 の 2 桁で記載してください({suggest} ですか?)。このキーは無視します。',
  'inf.pair.gap':
    '[{section}] の SourceName{xx}/EventID{xx} の前に欠番があります({missing} がありません)。XX は 01 からの連番で記載してください。この組は使用します。',
  'inf.pair.noSource':
    '[{section}] の {key} に対応する SourceName{xx} がありません。SourceName{xx} と EventID{xx} を組で記載してください。このイベント ID は無視します。',
  'inf.pair.noEvent':
    '[{section}] の {key} に対応する EventID{xx} がありません。SourceName{xx} と EventID{xx} を組で記載してください(すべてのイベント ID は EventID{xx}=*)。このソース名は無視します。',
  'inf.pair.sourceEmpty': '[{section}] の {key} が空です。対象のソース名を記載してください。すべてのソース名は * です。',
  'inf.pair.eventId': '[{section}] の {key}: {problem}。',
  'inf.pair.duplicateIds': '[{section}] の {key} に {ids} が重複して記載されています。',
  'inf.eventId.empty':
    '値が空です。イベント ID は 0x で始まる 16 進数 8 桁(0x4000000A)で記載し、複数のときは「,」で区切ってください。すべてのイベント ID は * です',
  'inf.eventId.emptyItem': '{value} に空の項目があります({count} 項目中 {item} 番目。「,」が多すぎませんか?)',
  'inf.eventId.starInList': '* は単独で記載します。すべてのイベント ID は EventIDXX=* と記載し、イベント ID の一覧には * を含めないでください',
  'inf.eventId.shortHex': '{item} は 16 進数 {digits} 桁です。32 ビットすべてを 0x で始まる 16 進数 8 桁で記載してください({fixed})',
  'inf.eventId.longHex': '{item} は 16 進数 {digits} 桁です。イベント ID は 32 ビット(0x で始まる 16 進数 8 桁)です',
  'inf.eventId.decimal': '{item} は 10 進数です。イベント ID は 32 ビットすべてを 16 進数表記で記載してください: {hex}',
  'inf.eventId.invalid':
    '{item} はイベント ID ではありません。0x で始まる 16 進数 8 桁(0x4000000A)を「,」で区切って記載してください。すべてのイベント ID は * です',

  // Command, LogFile, Directory.
  'inf.tool.command': '[{section}] の {key}: {problem}。このコマンドは実行しません。',
  'inf.tool.logFile': '[{section}] の {key}: {problem}。このログは採取しません。',
  'inf.tool.directory': '[{section}] の {key}: {problem}。Command はそのプログラムのあるフォルダーで実行します。',
  'inf.tool.directoryUnused': '[{section}] の {key} は使用しません。このセクションには Command がありません。',
  'inf.tool.environment': '[{section}] の {key} に {variable} が含まれています。環境変数は展開されず、記載どおりのパスとして扱います。',
  'inf.path.logFileList':
    '複数のパスが記載されています。LogFile に指定できるのは 1 つのファイルまたはフォルダーです(フォルダーはサブフォルダーも含めて採取します)。それらを格納したフォルダーを指定してください',
  'inf.path.yen': '絶対パスではありません。{char}({code})はパスの区切りではありません。\\ を記載してください(日本語のフォントではバックスラッシュが ¥ と表示されます)',
  'inf.path.driveNoSlash': '絶対パスではありません。ドライブ文字の後ろに \\ を記載してください(C:\\…)',
  'inf.path.singleBackslash': '絶対パスではありません。UNC パスは \\\\server\\share\\… です。\\ 1 つで始まるパスにはドライブがありません',
  'inf.path.notAbsolute': '絶対パスではありません。C:\\…、\\\\server\\share\\… または /… の形式で記載してください',
  'inf.path.wildcard': 'ワイルドカード {char} が含まれています。ファイルまたはフォルダーを指定してください(フォルダーは中のファイルをすべて採取します)',
  'inf.path.forbidden': 'Windows のパスに使用できない文字 {char} が含まれています',
  'inf.path.colon': 'ドライブ文字の後ろに「:」が含まれています。Windows のパスには使用できません',
  'inf.command.shell':
    '{what}が含まれています。Command はシェルを介さずに実行するパスです。その処理はバッチファイル等に記載し、そのファイルを指定してください',
  'inf.command.doubleQuote': 'ダブルクォーテーション(")が含まれています。パス全体を 1 組の " で囲み、引数はバッチファイル等に記載してください',
  'inf.command.argument':
    '引数({argument})が指定されています。Command に引数を指定することはできません。引数を記載したバッチファイル等を指定してください',
  'inf.command.folder': 'パスの区切りで終わっています。フォルダーではなくプログラムを指定してください',
  'inf.command.trailingSpace': 'パスの途中のフォルダー名またはファイル名の末尾に空白があります',
  'inf.shell.redirection': 'リダイレクト({char})',
  'inf.shell.pipe': 'パイプ(|)',
  'inf.shell.separator': 'コマンドの区切り({char})',
  'inf.shell.commandSubstitution': 'コマンド置換({chars})',
  'inf.shell.variableSubstitution': '変数置換(${)',
  'inf.shell.lineBreak': '改行',
  'inf.shell.percent': '%(.bat を実行する cmd.exe が %NAME% を展開します)',
  'inf.shell.caret': '^(cmd.exe のエスケープ文字)',
  'inf.shell.bang': '!(cmd.exe の遅延展開)',
  'inf.shell.dollar': '$(シェルの展開)',
  'inf.shell.singleQuote': "シングルクォーテーション(')",
  'inf.shell.wildcard': 'ワイルドカード(* または ?)',

  // AMHTPLOG.INF.
  'inf.log.defaultToolsUnused':
    '[{section}] に Command がないため、このセクションは使用しません。[ToolYYY] で定義されたイベントだけログを採取し、このセクションの LogFile は採取しません。',
  'inf.log.badToolSection': '[{section}] はツールのセクションではありません。ツールは [Tool001]~[Tool999](3 桁の番号)です。このセクションは無視します。',
  'inf.log.unknownSection':
    '不明なセクション [{section}] は無視します(AMHTPLOG.INF のセクションは [Configuration]、[DefaultTools]、[NoneTrouble] と [Tool001]~[Tool999] です)。',
  'inf.log.toolNoEvent': '[{section}] に対象のイベントがありません(SourceNameXX/EventIDXX の組がありません)。このツールは実行されません。',
  'inf.log.toolEmpty': '[{section}] に Command も LogFile もありません。何も採取しません。',
  'inf.log.toolGap': '[{section}] の前に欠番があります({missing} がありません)。YYY は Tool001 からの連番で記載してください。このセクションは使用します。',

  // AMHTPHBI.INF.
  'inf.hbi.noTools': 'セクション [Tools] がありません。構成情報通報ではツールを実行せず、ログも採取しません。',
  'inf.hbi.noSchedule': 'セクション [Schedule] がありません。[Schedule] に ScheduleType、ScheduleDay、ScheduleTime を記載してください。',
  'inf.hbi.typeMissing': '[{section}] に ScheduleType がありません。ScheduleType=every month(毎月)または ScheduleType=every week(毎週)を記載してください。',
  'inf.hbi.typeBad': '[{section}] の {key} には every month(毎月)または every week(毎週)を指定してください({value} は指定できません)。',
  'inf.hbi.dayMissing': '[{section}] に ScheduleDay がありません。1~31 の日付(every month)または 0(日曜日)~6(土曜日)の曜日(every week)を記載してください。',
  'inf.hbi.dayNotNumber': '[{section}] の {key} には数字を指定してください({range})。{value} は指定できません。',
  'inf.hbi.dayRange': '[{section}] の {key} が {value} です。指定できる値は {range} です。',
  'inf.hbi.range.week': 'every week(毎週)のとき 0(日曜日)~6(土曜日)',
  'inf.hbi.range.month': 'every month(毎月)のとき 1~31 の日付',
  'inf.hbi.range.either': '1~31(every month)または 0~6(every week)',
  'inf.hbi.timeMissing': '[{section}] に ScheduleTime がありません。時刻を HH:MM(HH は 0~23、MM は 0~59)で記載してください。',
  'inf.hbi.timeBad': '[{section}] の {key} は HH:MM(HH は 0~23、MM は 0~59)で指定してください({value} は指定できません)。',
  'inf.hbi.hour': '[{section}] の {key} の時が {hour} です。時は 0~23 で指定してください。',
  'inf.hbi.minute': '[{section}] の {key} の分が {minute} です。分は 0~59 で指定してください。',
  'inf.hbi.unknownSection': '不明なセクション [{section}] は無視します(AMHTPHBI.INF のセクションは [Configuration]、[Tools] と [Schedule] です)。',

  // The settings' field rules (src-main/core/field-checks.ts).
  'inf.field.url': 'URL の指定が正しくありません。{problem}。',
  'inf.field.caFile': 'CA ファイル {file} を使用できません。{problem}。',
  'inf.ca.relative': '絶対パスではありません。CA 証明書の PEM ファイルを絶対パスで指定してください',
  'inf.ca.tooLarge': '1 MB を超えています。CA ファイルではありません',
  'inf.ca.noPem': 'PEM 形式の証明書(-----BEGIN CERTIFICATE-----)がありません',
  'inf.ca.notFound': 'ファイルが存在しません',
  'inf.ca.permission': 'ファイルを読み込めません(アクセス権がありません)',
  'inf.ca.invalid': '証明書のファイルではありません({reason})',

  // express-report inf check.
  'inf.cli.severity.error': 'エラー',
  'inf.cli.severity.warning': '警告',
  'inf.cli.summary': '{files}を検査しました: {errors}、{warnings}',
  'inf.cli.files.one': '{n} 個のファイル',
  'inf.cli.files.other': '{n} 個のファイル',
  'inf.cli.errors.one': 'エラー {n} 件',
  'inf.cli.errors.other': 'エラー {n} 件',
  'inf.cli.warnings.one': '警告 {n} 件',
  'inf.cli.warnings.other': '警告 {n} 件',
  ...readersInfJa,
} as const satisfies Record<string, string>;
