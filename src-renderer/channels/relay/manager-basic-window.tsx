import { useState, type ReactNode } from 'react';
import type { SettingsChanges } from '../../../src-shared/api';
import { asApiError } from '../../lib/errors';
import { parsePort } from '../../lib/host-check';
import { useI18n } from '../../lib/i18n-context';
import type { SettingsForm } from '../../lib/settings-form';
import { useSettingsStore } from '../../lib/settings-store';
import { useSaveChanges } from '../../methods/save-changes';
import { FormDialog } from '../../ui/form-dialog';
import { FormError } from '../../ui/form-error';
import { MessageBox } from '../../ui/message-box';
import '../../ui/setting-dialogs.css';
import type { ManagerMethod } from './manager-methods';
import { ReceivePortRow } from './port-row';
import { ReceiverPanel } from './receiver-panel';

export interface ManagerBasicSave {
  /** a call is running: OK waits */
  busy: boolean;
  /** OK: checks the receive port, then stores it (when changed) with `others` in one `settings:patch` and closes */
  ok(others: () => SettingsChanges): Promise<void>;
}

/**
 * OK of a manager's basic settings window: the receive port must be a port number (the refusal
 * under its field); nothing changed closes at once, else all of it is stored in one call and
 * the window closes (or stays open with the backend's refusal shown).
 */
export function useManagerBasicSave(method: ManagerMethod, form: SettingsForm<string>, onClose: () => void): ManagerBasicSave {
  const { t, lang } = useI18n();
  const store = useSettingsStore();
  const saver = useSaveChanges((error) => form.refuse(asApiError(error, lang), t('relayui.saveFailed')));
  const key = `methods.${method}.receivePort`;

  const ok = async (others: () => SettingsChanges) => {
    if (saver.busy) return;
    form.setBanner(null);
    const port = parsePort(form.text(key));
    if (!form.show({ [key]: port === null ? t('relayui.portInvalid') : null }) || port === null) return;
    const changes = { ...others(), ...(port !== store.settings.methods[method].receivePort ? { [key]: port } : {}) };
    await saver.saveAndClose(changes, onClose);
  };
  return { busy: saver.busy, ok };
}

export interface ManagerBasicWindowProps {
  method: ManagerMethod;
  title: string;
  /** what [ヘルプ(H)] shows */
  helpText: string;
  form: SettingsForm<string>;
  save: ManagerBasicSave;
  /** what OK stores besides the port */
  others(): SettingsChanges;
  onClose(): void;
  /** the window's own nested dialogs */
  nested?: ReactNode;
  /** the groups between the receive port and the receive service's state */
  children?: ReactNode;
  /** under the receive service's state */
  footer?: ReactNode;
}

/**
 * The frame of a manager's basic settings window (seed L1078–1110, L2480–2530): the refusal
 * banner, 受信 ポート番号 with [初期値], the window's own groups, the receive service's state,
 * fingerprint and relay key; OK, キャンセル and ヘルプ(H).
 */
export function ManagerBasicWindow({ method, title, helpText, form, save, others, onClose, nested, children, footer }: ManagerBasicWindowProps) {
  const { t } = useI18n();
  const [help, setHelp] = useState(false);
  return (
    <FormDialog
      title={title}
      surfaceClassName="dialog dialog--https dialog--relay"
      mnemonics
      busy={save.busy}
      onOk={() => void save.ok(others)}
      onCancel={onClose}
      help={{ label: t('relayui.help'), onClick: () => setHelp(true) }}
      nested={
        <>
          {nested}
          {help ? <MessageBox title={title} message={helpText} onClose={() => setHelp(false)} /> : null}
        </>
      }
    >
      <FormError text={form.banner} />
      <ReceivePortRow method={method} form={form} />
      {children}
      <ReceiverPanel method={method} />
      {footer}
    </FormDialog>
  );
}
