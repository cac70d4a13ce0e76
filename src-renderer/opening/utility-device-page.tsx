import { Field, Input } from '@fluentui/react-components';
import { DEVICE_CODES, DEVICE_FIELDS, type Device } from '../../src-shared/opening';
import { mnemonicProps } from '../lib/mnemonics';
import { useI18n } from '../lib/i18n-context';
import { MnemonicText } from '../ui/mnemonic-text';
import type { OpeningMode } from './opening-form';
import { UtilityField, type PageBinding } from '../ui/utility-field';

export interface UtilityDevicePageProps {
  device: Device;
  mode: OpeningMode;
  /** 通報開局キーコード of a key-code opening (shown, not editable) */
  keyCode: string;
  /** ユーザシステムコード of a key-file opening (shown, not editable) */
  userSystemCode: string;
  binding: PageBinding;
}

/**
 * 本機に関する情報: server name (≤ 20), device code (from the list or typed), serial and warranty
 * numbers, comment; the key code of a key-code opening or the user system code of a key file.
 */
export function UtilityDevicePage({ device, mode, keyCode, userSystemCode, binding }: UtilityDevicePageProps) {
  const { t } = useI18n();
  const field = (name: keyof Device, choices?: readonly string[]) => (
    <UtilityField
      binding={binding}
      path={`device.${name}`}
      label={t(`opening.device.${name}`)}
      value={device[name]}
      guideKey={`guide.device.${name}`}
      required={DEVICE_FIELDS[name].required}
      choices={choices}
    />
  );
  const keyCodeLabel = t('opening.device.keyCode');
  return (
    <div className="utility-fields">
      {field('serverName')}
      {field('deviceCode', DEVICE_CODES)}
      {field('serialNumber')}
      {field('warrantyNumber')}
      {mode === 'key-code' ? (
        <Field
          className="utility-field"
          orientation="horizontal"
          size="small"
          label={{ children: <MnemonicText label={keyCodeLabel} /> }}
          validationState={binding.errors['keyCode.keyCode'] ? 'error' : 'none'}
          validationMessage={binding.errors['keyCode.keyCode']}
        >
          <Input
            className="utility-input utility-input--readonly"
            size="small"
            readOnly
            value={keyCode}
            data-field="keyCode.keyCode"
            ref={binding.register('keyCode.keyCode')}
            onFocus={() => binding.guide('guide.device.keyCode')}
            {...mnemonicProps(keyCodeLabel)}
          />
        </Field>
      ) : null}
      {field('comment')}
      {mode === 'key-file' ? (
        <Field className="utility-field" orientation="horizontal" size="small" label={t('opening.device.userSystemCode')}>
          <Input
            className="utility-input utility-input--readonly"
            size="small"
            readOnly
            value={userSystemCode}
            data-field="userSystemCode"
            onFocus={() => binding.guide(null)}
          />
        </Field>
      ) : null}
    </div>
  );
}
