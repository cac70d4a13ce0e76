import { Button } from '@fluentui/react-components';
import { useState } from 'react';
import type { MethodStatus } from '../../src-shared/api';
import type { Schedule } from '../../src-shared/settings';
import { FormDialog } from '../ui/form-dialog';
import { LazyHttpsDestinationDialog } from '../channels/https/dialogs';
import { useI18n } from '../lib/i18n-context';
import { methodLabel, scheduleSummary } from '../lib/labels';
import { MessageBox } from '../ui/message-box';
import { ScheduleDialog } from './schedule-dialog';

export interface IdSettingsDialogProps {
  status: MethodStatus;
  schedule: Schedule;
  onScheduleSaved(schedule: Schedule): void;
  onClose(): void;
}

/** ID 設定 for one ID of the list: [宛先設定...] (for Express (HTTPS) its destination settings) and [スケジュール...]. */
export function IdSettingsDialog({ status, schedule, onScheduleSaved, onClose }: IdSettingsDialogProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const [child, setChild] = useState<'destinations' | 'schedule' | null>(null);
  const label = methodLabel(i18n, status.name);

  return (
    <FormDialog
      title={t('ui.id.title')}
      surfaceClassName="dialog dialog--medium"
      okLabel={t('ui.ok')}
      cancelLabel={t('ui.cancel')}
      onOk={onClose}
      onCancel={onClose}
      nested={
        <>
          {child === 'destinations' && status.name === 'express-https' ? (
            <LazyHttpsDestinationDialog onClose={() => setChild(null)} />
          ) : child === 'destinations' ? (
            <MessageBox
              title={t('ui.id.destinations').replace(/\.\.\.$/, '')}
              message={t('ui.id.destinationsLater')}
              onClose={() => setChild(null)}
            />
          ) : null}
          {child === 'schedule' ? (
            <ScheduleDialog
              method={status.name}
              schedule={schedule}
              onSaved={(saved) => {
                onScheduleSaved(saved);
                setChild(null);
              }}
              onClose={() => setChild(null)}
            />
          ) : null}
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
