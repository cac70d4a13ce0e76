import { useCallback, useMemo, useState } from 'react';
import type { Notice } from '../../src-shared/api';
import type { HistoryItem } from '../../src-shared/history';
import { isElectron } from '../lib/api-client';
import { BasicSettingsDialog } from '../methods/basic-settings-dialog';
import { DestinationListDialog } from '../methods/destination-list-dialog';
import { EventDetails } from '../events/event-details';
import { EventTree, initialOpenItems, resolveSelection, ROOT_VALUE, type EventTarget } from '../events/event-tree';
import { useApiClient } from '../lib/client-context';
import { asApiError } from '../lib/errors';
import { LazyHistoryDialog } from '../history/lazy';
import { useI18n } from '../lib/i18n-context';
import { methodLabel } from '../lib/labels';
import { useSettingsStore } from '../lib/settings-store';
import { MenuBar, type TopMenu } from './menu-bar';
import { MessageBox } from '../ui/message-box';
import { NoticeBar } from './notice-bar';
import { LazyOpeningWizard } from '../opening/lazy';
import { StatusBar } from './status-bar';
import type { AppData } from './use-app-data';
import { useServiceStatus } from '../service/use-service-status';
import { VersionDialog } from './version-dialog';

type OpenDialog = 'basic' | 'destinations' | 'server' | 'version' | 'exit' | 'history' | null;

/** What 通報テスト came to: accepted (one report per enabled method) or refused with the backend's words. */
type TestOutcome =
  | { kind: 'accepted'; target: EventTarget; items: HistoryItem[] }
  | { kind: 'refused'; message: string; details: string[] };

export interface MainWindowProps {
  data: AppData;
  onNoticesChanged(notices: Notice[]): void;
  /** switches 日本語 ⇄ English; rejects with the backend's error */
  onToggleLanguage(): Promise<void>;
}

/** The AlertManager settings window: menu bar, notices, event-log tree and the details pane. */
export function MainWindow({ data, onNoticesChanged, onToggleLanguage }: MainWindowProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const client = useApiClient();
  const service = useServiceStatus();
  const store = useSettingsStore();
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [testing, setTesting] = useState(false);
  const [testOutcome, setTestOutcome] = useState<TestOutcome | null>(null);
  const [historySelection, setHistorySelection] = useState<string | null>(null);
  const [selected, setSelected] = useState<string>(ROOT_VALUE);
  const [openItems, setOpenItems] = useState<string[]>(() => initialOpenItems(data.catalog));

  const close = () => setDialog(null);

  const openHistory = useCallback((select: string | null) => {
    setHistorySelection(select);
    setDialog('history');
  }, []);

  /** 通報テスト on an event id: the backend accepts one pseudo-failure report per enabled method. */
  const reportTest = async (target: EventTarget) => {
    if (testing) return;
    setTesting(true);
    try {
      const items = await client.call('report:pseudoFault', target);
      setTestOutcome({ kind: 'accepted', target, items });
    } catch (error) {
      const apiError = asApiError(error, lang);
      setTestOutcome({ kind: 'refused', message: apiError.message, details: apiError.details ?? [] });
    } finally {
      setTesting(false);
    }
  };

  const closeTestOutcome = () => {
    const outcome = testOutcome;
    setTestOutcome(null);
    // the history shows how the accepted reports go
    if (outcome?.kind === 'accepted') openHistory(outcome.items[0]?.id ?? null);
  };

  const menus = useMemo<TopMenu[]>(
    () => [
      {
        id: 'file',
        label: t('menu.file'),
        items: [
          {
            kind: 'item',
            id: 'file.exit',
            label: t('menu.file.exit'),
            onSelect: () => {
              if (isElectron()) window.close();
              else setDialog('exit');
            },
          },
        ],
      },
      {
        id: 'settings',
        label: t('menu.settings'),
        items: [
          { kind: 'item', id: 'settings.basic', label: t('menu.settings.basic'), onSelect: () => setDialog('basic') },
          {
            kind: 'item',
            id: 'settings.destinations',
            label: t('menu.settings.destinations'),
            onSelect: () => setDialog('destinations'),
          },
        ],
      },
      {
        id: 'tools',
        label: t('menu.tools'),
        items: [
          {
            kind: 'submenu',
            id: 'tools.express',
            label: t('menu.tools.express'),
            items: [
              {
                kind: 'item',
                id: 'tools.express.server',
                label: t('menu.tools.express.server'),
                onSelect: () => setDialog('server'),
              },
            ],
          },
          { kind: 'divider', id: 'tools.divider' },
          {
            kind: 'item',
            id: 'tools.history',
            label: t('history.menu.history'),
            onSelect: () => openHistory(null),
          },
        ],
      },
      {
        id: 'help',
        label: t('menu.help'),
        items: [
          { kind: 'item', id: 'help.version', label: t('menu.help.version'), onSelect: () => setDialog('version') },
          { kind: 'divider', id: 'help.divider' },
          {
            kind: 'item',
            id: 'help.language',
            label: t('menu.help.language'),
            onSelect: () => {
              onToggleLanguage().catch((error: unknown) =>
                setFailure(error instanceof Error ? error.message : String(error)),
              );
            },
          },
        ],
      },
    ],
    [t, onToggleLanguage, openHistory],
  );

  const selection = resolveSelection(data.catalog, selected);
  const eventCount = data.catalog.reduce(
    (n, log) => n + log.sources.reduce((m, source) => m + source.events.length, 0),
    0,
  );

  return (
    <div className="main-window">
      <MenuBar menus={menus} disabled={dialog !== null || failure !== null || testOutcome !== null} />
      <NoticeBar notices={data.notices} onNoticesChanged={onNoticesChanged} />
      <main className="panes">
        <nav className="pane pane--tree" aria-label={t('ui.tree.label')}>
          <EventTree
            catalog={data.catalog}
            selected={selected}
            onSelect={setSelected}
            openItems={openItems}
            onOpenItemsChange={setOpenItems}
            onReportTest={(target) => void reportTest(target)}
          />
        </nav>
        <div className="pane pane--details">
          <EventDetails selection={selection} catalogSize={eventCount} />
        </div>
      </main>
      <StatusBar opening={store.settings.opening} service={service.status} busy={testing ? t('history.test.busy') : null} />

      {dialog === 'basic' ? <BasicSettingsDialog onClose={close} /> : null}
      {dialog === 'destinations' ? <DestinationListDialog onClose={close} /> : null}
      {dialog === 'server' ? (
        <LazyOpeningWizard
          forHttps={false}
          onClose={close}
          onOpened={() => {
            close();
            store.refresh().catch(() => undefined);
          }}
        />
      ) : null}
      {dialog === 'version' ? <VersionDialog info={data.info} onClose={close} /> : null}
      {dialog === 'history' ? <LazyHistoryDialog initialSelection={historySelection} onClose={close} /> : null}
      {testOutcome?.kind === 'accepted' ? (
        <MessageBox
          title={t('history.test.title')}
          message={t('history.test.accepted', { event: `${testOutcome.target.source} ${testOutcome.target.eventId}` })}
          note={t('history.test.followUp')}
          details={testOutcome.items.map((item) => t('history.test.acceptedLine', { method: methodLabel(i18n, item.method), seq: item.seq }))}
          onClose={closeTestOutcome}
        />
      ) : null}
      {testOutcome?.kind === 'refused' ? (
        <MessageBox
          intent="warning"
          title={t('history.test.title')}
          message={t('history.test.refused')}
          details={[testOutcome.message, ...testOutcome.details]}
          onClose={closeTestOutcome}
        />
      ) : null}
      {dialog === 'exit' ? (
        <MessageBox title={t('ui.exit.title')} message={t('ui.exit.browser')} onClose={close} />
      ) : null}
      {failure !== null ? (
        <MessageBox intent="error" title={t('ui.messageBox.title')} message={failure} onClose={() => setFailure(null)} />
      ) : null}
    </div>
  );
}
