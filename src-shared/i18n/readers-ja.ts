/**
 * Japanese texts of the readers: what is refused in a definition file read (readersInfJa, part of
 * the definition files' catalogue, inf-ja.ts), a collection Command that others could rewrite,
 * and the opening key file's reasons (readersJa, part of ja.ts).
 */
export const readersInfJa = {
  'inf.file.notRegular': 'ファイルを読み込めません。通常のファイルではありません(FIFO、デバイス、ソケットなど)。',
  'inf.file.grew': '読み込み中にファイルが {max} バイトを超えました。定義ファイルは {max} バイト(1 MiB)以下です。',
  'inf.trust.writable': '{path} は所有者と root 以外のユーザーも書き換えられます(パーミッション {mode})。所有者と root だけが書き込めるようにしてください',
  'inf.trust.owner': '{path} の所有者(UID {uid})が root でもこのサービスのユーザーでもありません',
  'inf.trust.unreadable': '{path} を確認できません({reason})',
  'inf.tool.untrusted': '[{section}] の Command は実行しません: {problem}。',
} as const satisfies Record<string, string>;

export const readersJa = {
  'error.source-control': 'イベントソース名に制御文字 {char} が含まれています。改行や制御文字を含まない名前を指定してください。',
} as const satisfies Record<string, string>;
