import { Combobox, Option } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useApiClient } from '../../lib/client-context';
import { asApiError } from '../../lib/errors';
import { useI18n } from '../../lib/i18n-context';
import { mnemonicProps } from '../../lib/mnemonics';
import type { SettingsForm } from '../../lib/settings-form';
import { SettingFieldFrame } from '../../ui/setting-field';

type Port = { path: string; manufacturer?: string };

/**
 * シリアルポート(S): a combobox of this machine's serial ports (`dialup:ports`: COM1… on Windows,
 * /dev/ttyS*, ttyUSB*, ttyACM* on Linux), with the maker where the system names it; any other
 * port name may be typed. Under it: while the list loads, when it is empty, or when it failed.
 */
export function PortField({ form, field }: { form: SettingsForm<string>; field: string }) {
  const { t, lang } = useI18n();
  const client = useApiClient();
  const [ports, setPorts] = useState<Port[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const label = t('dialupui.dest.port');
  const value = form.text(field);
  const error = form.errors[field];

  useEffect(() => {
    let cancelled = false;
    client.call('dialup:ports', {}).then(
      (result) => {
        if (!cancelled) setPorts(result.ports);
      },
      (e: unknown) => {
        if (cancelled) return;
        setPorts([]);
        setFailure(asApiError(e, lang).message);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, lang]);

  const hint =
    ports === null ? t('dialupui.dest.portsLoading') : failure !== null ? t('dialupui.dest.portsFailed', { reason: failure }) : ports.length === 0 ? t('dialupui.dest.portsNone') : undefined;

  return (
    <SettingFieldFrame label={label} error={error} hint={hint}>
      <Combobox
        ref={form.register(field)}
        className="setting-input"
        size="small"
        freeform
        data-field={field}
        expandIcon={{ 'aria-label': t('ui.combobox.open') }}
        value={value}
        selectedOptions={ports?.some((p) => p.path === value) ? [value] : []}
        autoComplete="off"
        spellCheck={false}
        {...mnemonicProps(label)}
        onChange={(e) => form.set(field, e.target.value)}
        onOptionSelect={(_e, data) => {
          if (data.optionValue !== undefined) form.set(field, data.optionValue);
        }}
      >
        {(ports ?? []).map((port) => (
          <Option key={port.path} value={port.path} text={port.path}>
            {port.manufacturer ? `${port.path} (${port.manufacturer})` : port.path}
          </Option>
        ))}
      </Combobox>
    </SettingFieldFrame>
  );
}
