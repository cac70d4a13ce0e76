import type { FormEvent } from 'react';
import { DEVICE_FIELDS } from '../src-shared/opening';
import { FormDialog } from './form-dialog';
import { useI18n } from './i18n-context';
import { useSmallForm } from './use-small-form';
import { UtilityField } from './utility-field';

export interface DeviceIdentity {
  deviceCode: string;
  serialNumber: string;
}

export interface DeviceIdentityDialogProps {
  initial: DeviceIdentity;
  onOk(value: DeviceIdentity): void;
  onCancel(): void;
}

const RULES = { deviceCode: DEVICE_FIELDS.deviceCode, serialNumber: DEVICE_FIELDS.serialNumber };

/**
 * 装置の固有情報の入力: asked only when the device code and serial number cannot be read from the
 * machine (DMI / SMBIOS), seed L551–556.
 */
export function DeviceIdentityDialog({ initial, onOk, onCancel }: DeviceIdentityDialogProps) {
  const { t } = useI18n();
  const { values, binding, check } = useSmallForm('device', RULES, { ...initial });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = check();
    if (checked) onOk(checked);
  };

  return (
    <FormDialog
      title={t('opening.deviceInfo.title')}
      surfaceClassName="dialog dialog--medium"
      contentClassName="utility-fields small-form"
      mnemonics
      onSubmit={submit}
      noValidate
      okLabel={t('ui.ok')}
      cancelLabel={t('opening.cancel')}
      onCancel={onCancel}
    >
      <p>{t('opening.deviceInfo.text')}</p>
      <UtilityField
        binding={binding}
        path="device.deviceCode"
        label={t('opening.deviceInfo.deviceCode')}
        value={values.deviceCode}
        guideKey={null}
        required
      />
      <UtilityField
        binding={binding}
        path="device.serialNumber"
        label={t('opening.deviceInfo.serialNumber')}
        value={values.serialNumber}
        guideKey={null}
        required
      />
    </FormDialog>
  );
}
