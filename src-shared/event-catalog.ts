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
    ],
  },
];

/** Finds a catalogue entry by log, source and id (0x… or the short decimal id). */
export function findCatalogEvent(log: string, source: string, id: string): CatalogEvent | undefined {
  const src = EVENT_CATALOG.find((l) => l.log === log)?.sources.find((s) => s.name === source);
  const wanted = id.trim().toLowerCase();
  return src?.events.find((e) => e.id === wanted || String(e.shortId) === wanted);
}
