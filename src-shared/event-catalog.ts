/**
 * The event catalogue: which event-log entries the service knows how to report. It fills the
 * event-log tree of the main window (イベントログ → システム → source → イベント ID).
 */
export interface CatalogEvent {
  /** 32-bit event id as 0x + 8 hex digits, lower case */
  id: string;
  /** the low 16 bits as Windows shows them (0xc0040006 → 6) */
  shortId: number;
  severity: 'error' | 'warning' | 'information';
  description: { ja: string; en: string };
}
export interface CatalogSource {
  name: string;
  /** where the source exists; absent = as the seed lists it (Windows) */
  platform?: 'linux';
  events: CatalogEvent[];
}
export interface CatalogLog {
  /** `System` or `Application`, as the event log names it */
  log: 'System' | 'Application';
  sources: CatalogSource[];
}

function ev(id: number, severity: CatalogEvent['severity'], ja: string, en: string): CatalogEvent {
  return { id: '0x' + (id >>> 0).toString(16).padStart(8, '0'), shortId: id & 0xffff, severity, description: { ja, en } };
}

export const EVENT_CATALOG: readonly CatalogLog[] = [
  {
    log: 'System',
    sources: [
      {
        name: 'atapi',
        events: [
          ev(0xc0040006, 'error', 'デバイスでコントローラ エラーが検出されました。', 'The device had a controller error.'),
          ev(0xc0040009, 'error', 'デバイスがタイムアウト期間内に応答しませんでした。', 'The device did not respond within the timeout period.'),
        ],
      },
      {
        name: 'disk',
        events: [
          ev(0xc0040007, 'error', 'デバイスに不良ブロックがあります。', 'The device has a bad block.'),
          ev(0xc004000b, 'error', 'ドライバがコントローラ エラーを検出しました。', 'The driver detected a controller error.'),
          ev(0x80040033, 'warning', 'ページング操作中にエラーが検出されました。', 'An error was detected on the device during a paging operation.'),
        ],
      },
      {
        name: 'Ntfs',
        events: [ev(0xc0040037, 'error', 'ファイル システム構造が破損しています。', 'A corruption was discovered in the file system structure.')],
      },
      {
        name: 'WHEA-Logger',
        events: [
          ev(0xc0000012, 'error', '致命的なハードウェア エラーが発生しました。', 'A fatal hardware error has occurred.'),
          ev(0x80000013, 'warning', '訂正されたハードウェア エラーが発生しました。', 'A corrected hardware error has occurred.'),
        ],
      },
      // Linux: the systemd journal has no event ids, so src-main/events/journal-parse.ts maps kernel and
      // smartd messages to these made-up ids (0xc00401xx errors, 0x800401xx warnings; the
      // table is in docs/event-sources.md). They are filed under System like their Windows peers.
      {
        name: 'kernel-mce',
        platform: 'linux',
        events: [
          ev(0xc0040101, 'error', 'CPU がマシン チェック (ハードウェア エラー) を報告しました。', 'The CPU reported a machine check (hardware error).'),
          ev(0x80040102, 'warning', '訂正されたマシン チェック イベントが記録されました。', 'Corrected machine check events were logged.'),
        ],
      },
      {
        name: 'EDAC',
        platform: 'linux',
        events: [
          ev(0xc0040111, 'error', '訂正できないメモリ エラー (UE) が検出されました。', 'An uncorrectable memory error (UE) was detected.'),
          ev(0x80040112, 'warning', '訂正可能なメモリ エラー (CE) が検出されました。', 'A correctable memory error (CE) was detected.'),
        ],
      },
      {
        name: 'ata',
        platform: 'linux',
        events: [
          ev(0xc0040121, 'error', 'ATA デバイスへのコマンドが失敗しました。', 'A command to an ATA device failed.'),
          ev(0x80040122, 'warning', 'ATA リンクでエラー (SError) が検出されました。', 'An error (SError) was detected on an ATA link.'),
        ],
      },
      {
        name: 'kernel-block',
        platform: 'linux',
        events: [
          ev(0xc0040131, 'error', 'ブロック デバイスで I/O エラーが発生しました。', 'An I/O error occurred on a block device.'),
          ev(0xc0040132, 'error', 'デバイスでバッファー I/O エラーが発生しました。', 'A buffer I/O error occurred on a device.'),
        ],
      },
      {
        name: 'smartd',
        platform: 'linux',
        events: [
          ev(0xc0040141, 'error', 'ディスクの SMART 自己診断 (ヘルス チェック) が失敗しました。', 'The disk failed its SMART health self-check.'),
          ev(0xc0040142, 'error', 'ディスクの SMART 属性がしきい値を超えました。', 'A SMART attribute of the disk crossed its failure threshold.'),
          ev(0x80040143, 'warning', 'ディスクに読み取れない (保留中の) セクターがあります。', 'The disk has currently unreadable (pending) sectors.'),
          ev(0x80040144, 'warning', 'ディスクにオフラインで訂正できないセクターがあります。', 'The disk has offline uncorrectable sectors.'),
          ev(0x80040145, 'warning', 'ディスクの代替処理済みセクターが増えました (SMART 事前障害属性)。', 'The disk reallocated more sectors (SMART prefailure attribute).'),
        ],
      },
    ],
  },
];

/** Finds a catalogue entry by log, source and id (0x… or the short decimal id). */
export function findCatalogEvent(log: string, source: string, id: string): CatalogEvent | undefined {
  const src = EVENT_CATALOG.find((l) => l.log === log)?.sources.find((s) => s.name === source);
  const wanted = id.trim().toLowerCase();
  return src?.events.find((e) => e.id === wanted || String(e.shortId) === wanted);
}
