import type { MessageKey } from '../../src-shared/i18n';
import { eventLabel, logLabel, type TreeSelection } from './event-tree';
import { useI18n } from '../lib/i18n-context';
import { SeverityIcon } from '../ui/icons';

const SEVERITY_LABEL: Readonly<Record<'error' | 'warning' | 'information', MessageKey>> = {
  error: 'ui.severity.error',
  warning: 'ui.severity.warning',
  information: 'ui.severity.information',
};

export interface EventDetailsProps {
  selection: TreeSelection | null;
  catalogSize: number;
}

/** The right pane: what the selected tree node is (log, source, or one event and its description). */
export function EventDetails({ selection, catalogSize }: EventDetailsProps) {
  const { t, lang } = useI18n();
  const body = (() => {
    if (!selection) return <p className="hint">{t('ui.details.empty')}</p>;
    switch (selection.kind) {
      case 'root':
        return (
          <>
            <h2 className="details__heading">{t('tree.root')}</h2>
            <p>{t('ui.details.events', { count: catalogSize })}</p>
            <p className="hint">{t('ui.details.empty')}</p>
          </>
        );
      case 'log':
        return (
          <>
            <h2 className="details__heading">{logLabel(t, selection.log.log)}</h2>
            <p>{t('ui.details.sources', { count: selection.log.sources.length })}</p>
            <ul className="details__list">
              {selection.log.sources.map((s) => (
                <li key={s.name}>
                  {s.name} — {t('ui.details.events', { count: s.events.length })}
                </li>
              ))}
            </ul>
          </>
        );
      case 'source':
        return (
          <>
            <h2 className="details__heading">{selection.source.name}</h2>
            <dl className="properties">
              <dt>{t('ui.details.log')}</dt>
              <dd>{logLabel(t, selection.log.log)}</dd>
            </dl>
            <ul className="details__list">
              {selection.source.events.map((e) => (
                <li key={e.id}>
                  <SeverityIcon severity={e.severity} /> {eventLabel(e)} — {e.description[lang]}
                </li>
              ))}
            </ul>
          </>
        );
      case 'event': {
        const { event } = selection;
        return (
          <>
            <h2 className="details__heading">{eventLabel(event)}</h2>
            <dl className="properties" data-testid="event-properties">
              <dt>{t('ui.details.log')}</dt>
              <dd>{logLabel(t, selection.log.log)}</dd>
              <dt>{t('ui.details.source')}</dt>
              <dd>{selection.source.name}</dd>
              <dt>{t('ui.details.eventId')}</dt>
              <dd>{event.id}</dd>
              <dt>{t('ui.details.shortId')}</dt>
              <dd>{event.shortId}</dd>
              <dt>{t('ui.details.severity')}</dt>
              <dd>
                <SeverityIcon severity={event.severity} /> {t(SEVERITY_LABEL[event.severity])}
              </dd>
              <dt>{t('ui.details.description')}</dt>
              <dd>{event.description[lang]}</dd>
            </dl>
            <p className="hint details__later">{t('history.details.reportTest')}</p>
          </>
        );
      }
    }
  })();
  return (
    <section className="details" aria-label={t('ui.details.label')}>
      {body}
    </section>
  );
}
