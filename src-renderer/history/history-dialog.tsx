import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Select,
  Spinner,
} from '@fluentui/react-components';
import { Fragment, useId, useMemo, useState } from 'react';
import { HISTORY_STATES, type HistoryItem, type HistoryState } from '../../src-shared/history';
import { FormError } from '../ui/form-error';
import { useApiClient } from '../lib/client-context';
import { mnemonicProps, onMnemonicKeyDown } from '../lib/mnemonics';
import { asApiError } from '../lib/errors';
import { failureText, kindText, stateText, STATE_LABEL, timeFormat } from './history-labels';
import { HistoryTable } from './history-table';
import './history.css';
import { useI18n } from '../lib/i18n-context';
import { methodLabel } from '../lib/labels';
import { MessageBox } from '../ui/message-box';
import { MnemonicButtonText, MnemonicText } from '../ui/mnemonic-text';
import { useHistory } from './use-history';

type Filter = HistoryState | 'all';

export interface HistoryDialogProps {
  /** the report to select at first, e.g. the one 通報テスト has just made */
  initialSelection?: string | null;
  onClose(): void;
}

/** The selected report in full: two facts a line, the long ones (destination, error) across. */
function Detail({ item }: { item: HistoryItem }) {
  const i18n = useI18n();
  const { t } = i18n;
  const format = useMemo(() => timeFormat(i18n), [i18n]);
  const failure = failureText(i18n, item);
  const rows: { name: string; value: string; wide?: boolean }[] = [
    { name: t('history.col.acceptedAt'), value: format.full(item.acceptedAt) },
    { name: t('history.detail.seq'), value: String(item.seq) },
    { name: t('history.col.kind'), value: kindText(i18n, item) },
    { name: t('history.col.method'), value: methodLabel(i18n, item.method) },
    { name: t('history.col.state'), value: stateText(i18n, format, item) },
    { name: t('history.col.attempts'), value: String(item.attempts) },
    { name: t('history.detail.lastAttemptAt'), value: format.full(item.lastAttemptAt) },
    item.nextAttemptAt
      ? { name: t('history.detail.nextAttemptAt'), value: format.full(item.nextAttemptAt) }
      : { name: t('history.detail.settledAt'), value: format.full(item.settledAt) },
    { name: t('history.col.destination'), value: item.destination ?? t('history.none'), wide: true },
  ];
  if (failure) rows.push({ name: t('history.detail.failure'), value: failure, wide: true });
  if (item.errorText) rows.push({ name: t('history.detail.error'), value: item.errorText, wide: true });
  return (
    <dl className="history-detail__list" data-testid="history-detail">
      {rows.map(({ name, value, wide }) => (
        <Fragment key={name}>
          <dt className={wide ? 'history-detail__wide' : undefined}>{name}</dt>
          <dd className={wide ? 'history-detail__wide' : undefined}>{value}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

/**
 * 通報履歴 (S2; the original points to the NEC support portal): every report the product has
 * accepted, newest first — time, kind, method, destination, attempts, state and the last error
 * in plain words — filtered by state and updated live from `report:changed`. A report that failed
 * for good can be sent again with [再送].
 */
export function HistoryDialog({ initialSelection = null, onClose }: HistoryDialogProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const client = useApiClient();
  const { items, loadError, applyResent } = useHistory();
  const [filter, setFilter] = useState<Filter>('all');
  const [selectedId, setSelectedId] = useState<string | null>(initialSelection);
  const [resending, setResending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const filterId = useId();
  const format = useMemo(() => timeFormat(i18n), [i18n]);

  const shown = useMemo(() => (items === null || filter === 'all' ? (items ?? []) : items.filter((i) => i.state === filter)), [items, filter]);
  const selected = selectedId === null ? undefined : shown.find((i) => i.id === selectedId);
  const filterLabel = t('history.filter');
  const resendLabel = t('history.resend');

  const resend = async () => {
    if (!selected || selected.state !== 'failed' || resending) return;
    setResending(true);
    try {
      applyResent(await client.call('history:resend', { id: selected.id }));
    } catch (error) {
      setFailure(asApiError(error, lang).message);
    } finally {
      setResending(false);
    }
  };

  let body;
  if (loadError !== null) {
    body = <FormError lead={t('history.loadFailed')} text={loadError} />;
  } else if (items === null) {
    body = <Spinner size="small" label={t('history.loading')} />;
  } else {
    body = (
      <HistoryTable
        items={shown}
        selectedId={selectedId}
        onSelect={setSelectedId}
        format={format}
        emptyText={filter === 'all' ? t('history.empty') : t('history.emptyFiltered')}
      />
    );
  }

  return (
    <Dialog open onOpenChange={(_e, data) => (data.open ? undefined : onClose())}>
      <DialogSurface className="dialog history-dialog" onKeyDown={onMnemonicKeyDown}>
        <DialogBody>
          <DialogTitle>{t('history.title')}</DialogTitle>
          <DialogContent className="history">
            <div className="history-toolbar">
              <label htmlFor={filterId} className="history-toolbar__label">
                <MnemonicText label={filterLabel} />
              </label>
              <Select
                id={filterId}
                size="small"
                className="history-filter"
                value={filter}
                onChange={(_e, data) => setFilter(data.value as Filter)}
                {...mnemonicProps(filterLabel)}
              >
                <option value="all">{t('history.filter.all')}</option>
                {HISTORY_STATES.map((state) => (
                  <option key={state} value={state}>
                    {t(STATE_LABEL[state])}
                  </option>
                ))}
              </Select>
              <span className="history-toolbar__count" aria-live="polite" data-testid="history-count">
                {items === null ? '' : t('history.count', { shown: shown.length, total: items.length })}
              </span>
            </div>
            {body}
            <section className="history-detail" aria-label={t('history.detail')}>
              <div className="history-detail__main">
                {selected ? <Detail item={selected} /> : <p className="hint">{t('history.detail.noSelection')}</p>}
              </div>
              <div className="history-detail__actions">
                <Button
                  disabled={!selected || selected.state !== 'failed' || resending}
                  onClick={() => void resend()}
                  {...mnemonicProps(resendLabel)}
                >
                  <MnemonicButtonText label={resendLabel} />
                </Button>
                <p className="hint">{t('history.resendHint')}</p>
              </div>
            </section>
            <p className="hint history-note">
              {t('history.live')} {t('history.portal')}
            </p>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onClose}>
              {t('ui.close')}
            </Button>
          </DialogActions>
        </DialogBody>
        {failure !== null ? (
          <MessageBox intent="error" title={t('history.resendFailed')} message={failure} onClose={() => setFailure(null)} />
        ) : null}
      </DialogSurface>
    </Dialog>
  );
}
