import { useI18n } from '../../lib/i18n-context';

interface Destination {
  number: string;
  comment: string;
}

/**
 * The 通報先 list of the dial-up window (seed L969–972): 一次 / 二次 with the number as the window
 * holds it (ゼロ発信's "0," included: the modem dials exactly this) and its comment.
 */
export function DestinationList({ primary, secondary }: { primary: Destination; secondary: Destination }) {
  const { t } = useI18n();
  const row = (label: string, d: Destination, id: string) => (
    <tr data-testid={id}>
      <td className="dialup-list__number">
        <span className="dialup-list__which">{label}</span> <span className="dialup-list__digits">{d.number}</span>
      </td>
      <td>{d.comment}</td>
    </tr>
  );
  return (
    <table className="grid-table dialup-list" aria-label={t('dialupui.list')}>
      <thead>
        <tr>
          <th scope="col">{t('dialupui.list.destination')}</th>
          <th scope="col">{t('dialupui.list.comment')}</th>
        </tr>
      </thead>
      <tbody>
        {row(t('dialupui.list.primary'), primary, 'dialup-primary')}
        {row(t('dialupui.list.secondary'), secondary, 'dialup-secondary')}
      </tbody>
    </table>
  );
}
