import { useEffect, useState } from 'react';
import type { Result } from '../../src-shared/api';
import type { Opening } from '../../src-shared/settings';
import { useApiClient } from '../lib/client-context';
import { ConfirmBox } from '../ui/confirm-box';
import { DeviceIdentityDialog, type DeviceIdentity } from './device-identity-dialog';
import { asApiError } from '../lib/errors';
import { useI18n } from '../lib/i18n-context';
import { KeyCodeDialog, type KeyCode } from './key-code-dialog';
import { KeyFilePage, type LoadedKeyFile } from './key-file-page';
import { MessageBox } from '../ui/message-box';
import { OpeningMethodDialog } from './opening-method-dialog';
import { formFrom, pagesOf, type OpeningForm, type OpeningMode } from './opening-form';
import { SettingsUtility } from './settings-utility';

export interface OpeningWizardProps {
  /** started from Express (HTTPS): the key code needs the result mail address; the utility says (HTTPS) */
  forHttps: boolean;
  /** キャンセル / 終了 anywhere, or after 完了 */
  onClose(): void;
  /** 完了 stored the new opening */
  onOpened(opening: Opening): void;
}

type Step = 'loading' | 'reopen' | 'method' | 'key-code' | 'device-identity' | 'key-file' | 'utility';

interface UtilityStart {
  mode: OpeningMode;
  form: OpeningForm;
}

/**
 * The opening (開局) wizard, seed 3.2–3.4: the re-opening confirmation when an opening exists,
 * 開局方式選択, then either 通報開局キーコードの入力 (+ 装置の固有情報の入力 when the machine does
 * not tell its device code and serial number) or 開局キーファイルの読み込み (+ the host-name
 * warning), then the settings utility. Only its 完了 sends anything (opening:commit, which erases
 * the earlier opening); leaving at any step changes nothing.
 */
export function OpeningWizard({ forHttps, onClose, onOpened }: OpeningWizardProps) {
  const { t, lang } = useI18n();
  const client = useApiClient();
  const [info, setInfo] = useState<Result<'opening:get'> | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [step, setStep] = useState<Step>('loading');
  const [mode, setMode] = useState<OpeningMode>('key-file');
  const [keyCode, setKeyCode] = useState<KeyCode>({ keyCode: '', resultMail: '' });
  const [identity, setIdentity] = useState<DeviceIdentity>({ deviceCode: '', serialNumber: '' });
  const [keyFile, setKeyFile] = useState<LoadedKeyFile | null>(null);
  const [utility, setUtility] = useState<UtilityStart | null>(null);

  useEffect(() => {
    let cancelled = false;
    client.call('opening:get', {}).then(
      (result) => {
        if (cancelled) return;
        setInfo(result);
        setStep(result.opening ? 'reopen' : 'method');
      },
      (error: unknown) => {
        if (!cancelled) setFailure(asApiError(error, lang).message);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, lang]);

  if (failure !== null) {
    return <MessageBox intent="error" title={t('opening.loadFailed')} message={failure} onClose={onClose} />;
  }
  if (!info) return null;

  const startKeyCodeUtility = (device: DeviceIdentity) => {
    setUtility({
      mode: 'key-code',
      form: formFrom({ device: { serverName: info.hostName, deviceCode: device.deviceCode, serialNumber: device.serialNumber } }),
    });
    setStep('utility');
  };

  const startKeyFileUtility = (file: LoadedKeyFile) => {
    setKeyFile(file);
    const { keyFile: summary, hostName } = file.reading;
    const form = formFrom(summary);
    // 続行 on the host-name warning registers the OS host name (seed L568)
    if (file.acceptHostNameMismatch) form.device.serverName = hostName;
    setUtility({ mode: 'key-file', form });
    setStep('utility');
  };

  const commit = async (form: OpeningForm) => {
    const source =
      utility?.mode === 'key-file' && keyFile
        ? { mode: 'key-file' as const, file: keyFile.source, acceptHostNameMismatch: keyFile.acceptHostNameMismatch }
        : { mode: 'key-code' as const, keyCode: keyCode.keyCode, resultMail: keyCode.resultMail, forHttps };
    const opening = await client.call('opening:commit', { ...pagesOf(form), source });
    onOpened(opening);
  };

  switch (step) {
    case 'loading':
      return null;
    case 'reopen':
      return (
        <ConfirmBox
          title={t('opening.reopen.title')}
          message={t('opening.reopen.text')}
          onOk={() => setStep('method')}
          onCancel={onClose}
        />
      );
    case 'method':
      return (
        <OpeningMethodDialog
          initial={mode}
          onContinue={(chosen) => {
            setMode(chosen);
            setStep(chosen);
          }}
          onCancel={onClose}
        />
      );
    case 'key-code':
      return (
        <KeyCodeDialog
          initial={keyCode}
          onOk={(value) => {
            setKeyCode(value);
            if (info.device) startKeyCodeUtility(info.device);
            else setStep('device-identity');
          }}
          onCancel={onClose}
        />
      );
    case 'device-identity':
      return (
        <DeviceIdentityDialog
          initial={identity}
          onOk={(value) => {
            setIdentity(value);
            startKeyCodeUtility(value);
          }}
          onCancel={onClose}
        />
      );
    case 'key-file':
      return <KeyFilePage initial={keyFile} onBack={() => setStep('method')} onCancel={onClose} onLoaded={startKeyFileUtility} />;
    case 'utility':
      return utility ? (
        <SettingsUtility
          title={t(forHttps ? 'opening.utility.titleHttps' : 'opening.utility.title')}
          mode={utility.mode}
          initial={utility.form}
          keyCode={utility.mode === 'key-code' ? keyCode.keyCode : ''}
          userSystemCode={utility.mode === 'key-file' && keyFile ? keyFile.reading.keyFile.userSystemCode : ''}
          onFinish={commit}
          onCancel={onClose}
        />
      ) : null;
  }
}
