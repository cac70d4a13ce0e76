import { Button, Tab, TabList } from '@fluentui/react-components';
import { useId, useState } from 'react';
import type { MethodStatus } from '../../src-shared/api';
import type { ApiError } from '../../src-shared/errors';
import type { MethodName } from '../../src-shared/methods';
import { useApiClient } from '../lib/client-context';
import { asApiError } from '../lib/errors';
import { FormDialog } from '../ui/form-dialog';
import { useI18n } from '../lib/i18n-context';
import { MethodBitmap } from '../ui/icons';
import { methodLabel } from '../lib/labels';
import { MessageBox } from '../ui/message-box';
import { useSettingsStore } from '../lib/settings-store';
import { MethodSetup } from './registry';
import { QuestionBox } from '../ui/question-box';

export interface BasicSettingsDialogProps {
  onClose(): void;
}

/**
 * 通報基本設定 → 通報手段の設定: the four report methods, each with its 通報有効/無効 bitmap
 * (green = enabled). A click asks the backend to switch the method; a refusal (the other Express
 * method is on, or the method is not set up) is shown in a message box with what is missing.
 * Switching a method off asks first: from then on its faults are not reported that way.
 * Changes are saved by the backend at once, so OK and キャンセル both just close the window.
 */
export function BasicSettingsDialog({ onClose }: BasicSettingsDialogProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const client = useApiClient();
  const { methods, applyMethods } = useSettingsStore();
  const [busy, setBusy] = useState<MethodName | null>(null);
  const [refusal, setRefusal] = useState<{ method: MethodName; enabling: boolean; error: ApiError } | null>(null);
  const [setupFor, setSetupFor] = useState<MethodName | null>(null);
  const [disabling, setDisabling] = useState<MethodStatus | null>(null);
  const tabId = useId();
  const panelId = useId();

  const toggle = async (status: MethodStatus, confirmed = false) => {
    if (busy) return;
    if (status.enabled && !confirmed) {
      setDisabling(status);
      return;
    }
    setBusy(status.name);
    try {
      applyMethods(await client.call('methods:setEnabled', { name: status.name, enabled: !status.enabled }));
    } catch (error) {
      setRefusal({ method: status.name, enabling: !status.enabled, error: asApiError(error, lang) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <FormDialog
      title={t('ui.basic.title')}
      surfaceClassName="dialog dialog--wide"
      onOk={onClose}
      onCancel={onClose}
      nested={
        <>
          {refusal ? (
            <MessageBox
              intent="warning"
              title={t(refusal.enabling ? 'ui.basic.refused' : 'ui.basic.refusedDisable', { method: methodLabel(i18n, refusal.method) })}
              message={refusal.error.message}
              details={refusal.error.details}
              onClose={() => setRefusal(null)}
            />
          ) : null}
          {disabling ? (
            <QuestionBox
              title={t('ui.basic.title')}
              message={t('ui.basic.disableQuestion', { method: methodLabel(i18n, disabling.name) })}
              note={t('ui.basic.disableNote', { method: methodLabel(i18n, disabling.name) })}
              onYes={() => {
                const status = disabling;
                setDisabling(null);
                void toggle(status, true);
              }}
              onNo={() => setDisabling(null)}
            />
          ) : null}
          {setupFor ? <MethodSetup method={setupFor} onClose={() => setSetupFor(null)} /> : null}
        </>
      }
    >
      <TabList selectedValue="methods" size="small">
        <Tab value="methods" id={tabId} aria-controls={panelId}>
          {t('ui.basic.tab.methods')}
        </Tab>
      </TabList>
      <div role="tabpanel" id={panelId} aria-labelledby={tabId} className="tab-panel">
        <table className="grid-table method-table">
          <caption className="visually-hidden">{t('ui.basic.list')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('ui.basic.column.state')}</th>
              <th scope="col">{t('ui.basic.column.method')}</th>
              <th scope="col">{t('ui.basic.column.status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('ui.basic.setup')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {methods.map((status) => {
              const label = methodLabel(i18n, status.name);
              const state = t(status.enabled ? 'ui.basic.enabled' : 'ui.basic.disabled');
              return (
                <tr key={status.name} data-method={status.name}>
                  <td>
                    <Button
                      appearance="subtle"
                      size="small"
                      className="method-toggle"
                      icon={<MethodBitmap enabled={status.enabled} />}
                      aria-label={t('ui.basic.toggle', { method: label, state })}
                      data-enabled={status.enabled ? 'true' : 'false'}
                      disabledFocusable={busy !== null}
                      onClick={() => void toggle(status)}
                    >
                      {state}
                    </Button>
                  </td>
                  <th scope="row" className="method-name">
                    {label}
                  </th>
                  <td className={status.configured ? 'status-ok' : 'status-missing'}>
                    {t(status.configured ? 'ui.basic.configured' : 'ui.basic.notConfigured')}
                  </td>
                  <td>
                    <Button
                      size="small"
                      aria-label={t('ui.basic.setupName', { method: label })}
                      onClick={() => setSetupFor(status.name)}
                    >
                      {t('ui.basic.setup')}
                    </Button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="hint">{t('ui.basic.hint')}</p>
      </div>
    </FormDialog>
  );
}
