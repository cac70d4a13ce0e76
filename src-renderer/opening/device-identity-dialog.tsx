import { DEVICE_FIELDS } from '../../src-shared/opening';
import { useI18n } from '../lib/i18n-context';
import { SmallFormDialog } from '../ui/small-form-dialog';

export interface DeviceIdentity {
  deviceCode: string;
  serialNumber: string;
}

export interface DeviceIdentityDialogProps {
  initial: DeviceIdentity;
  onOk(value: DeviceIdentity): void;
  onCancel(): void;
}

/**
 * 装置の固有情報の入力: asked only when the device code and serial number cannot be read from the
 * machine (DMI / SMBIOS), seed L551–556.
 */
export function DeviceIdentityDialog({ initial, onOk, onCancel }: DeviceIdentityDialogProps) {
  const { t } = useI18n();
  return (
    <SmallFormDialog
      title={t('opening.deviceInfo.title')}
      text={t('opening.deviceInfo.text')}
      prefix="device"
      fields={[
        { name: 'deviceCode', label: t('opening.deviceInfo.deviceCode'), rule: DEVICE_FIELDS.deviceCode },
        { name: 'serialNumber', label: t('opening.deviceInfo.serialNumber'), rule: DEVICE_FIELDS.serialNumber },
      ]}
      initial={initial}
      onOk={onOk}
      onCancel={onCancel}
    />
  );
}
