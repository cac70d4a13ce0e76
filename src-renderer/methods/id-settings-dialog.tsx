import { Button } from '@fluentui/react-components';
import { useState } from 'react';
import type { MethodStatus } from '../../src-shared/api';
import { useI18n } from '../lib/i18n-context';
import { methodLabel, scheduleSummary } from '../lib/labels';
import { useSettings } from '../lib/settings-store';
import { FormDialog } from '../ui/form-dialog';
import { methodDestinations } from './registry';
import { ScheduleDialog } from './schedule-dialog';

export interface IdSettingsDialogProps {
  status: MethodStatus;
  onClose(): void;
}

/** ID 設定 for one ID of the list: [宛先設定...] (the method's destination window) and [スケジュール...]. */
export function IdSettingsDialog({ status, onClose }: IdSettingsDialogProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const settings = useSettings();
  const [child, setChild] = useState<'destinations' | 'schedule' | null>(null);
  const label = methodLabel(i18n, status.name);
  const schedule = settings.methods[status.name].schedule;
  const closeChild = () => setChild(null);

  return (
    <FormDialog
      title={t('ui.id.title')}
      surfaceClassName="dialog dialog--medium"
      onOk={onClose}
      onCancel={onClose}
      nested={
        <>
          {child === 'destinations' ? methodDestinations(settings, status.name, closeChild) : null}
          {child === 'schedule' ? <ScheduleDialog method={status.name} schedule={schedule} onClose={closeChild} /> : null}
        </>
      }
    >
      <dl className="properties">
        <dt>{t('ui.id.id')}</dt>
        <dd data-testid="id-settings-id">{label}</dd>
        <dt>{t('ui.id.state')}</dt>
        <dd>
          {t(status.enabled ? 'ui.basic.enabled' : 'ui.basic.disabled')} /{' '}
          {t(status.configured ? 'ui.basic.configured' : 'ui.basic.notConfigured')}
        </dd>
        <dt>{t('ui.id.schedule')}</dt>
        <dd data-testid="id-settings-schedule">{scheduleSummary(i18n, schedule)}</dd>
      </dl>
      <div className="button-row">
        <Button onClick={() => setChild('destinations')}>{t('ui.id.destinations')}</Button>
        <Button onClick={() => setChild('schedule')}>{t('ui.id.scheduleButton')}</Button>
      </div>
    </FormDialog>
  );
}
