import {
  Checkbox,
  Field,
  Input,
} from '@fluentui/react-components';
import { useRef, useState, type FormEvent } from 'react';
import type { MethodName } from '../../src-shared/methods';
import { ALL_DAY_WINDOW, isAllDay, RETRY_INTERVAL_RANGE, RETRY_UNTIL_RANGE } from '../../src-shared/schedule';
import type { Schedule } from '../../src-shared/settings';
import { FormError } from '../ui/form-error';
import { useApiClient } from '../lib/client-context';
import { asApiError } from '../lib/errors';
import { useI18n, type I18n } from '../lib/i18n-context';
import { methodLabel } from '../lib/labels';
import { FormDialog } from '../ui/form-dialog';

export interface ScheduleDialogProps {
  method: MethodName;
  schedule: Schedule;
  onSaved(schedule: Schedule): void;
  onClose(): void;
}

type FieldName = 'interval' | 'until' | 'from' | 'to' | 'window';
type FieldErrors = Partial<Record<FieldName, string>>;

interface FormState {
  interval: string;
  until: string;
  allDay: boolean;
  from: string;
  to: string;
}

function initialForm(schedule: Schedule): FormState {
  const allDay = isAllDay(schedule.window);
  const [from = '00:00', to = '24:00'] = allDay ? [] : schedule.window.split('-');
  return {
    interval: String(schedule.retryIntervalMinutes),
    until: String(schedule.retryUntilHours),
    allDay,
    from,
    to,
  };
}

function parseInteger(text: string, range: { min: number; max: number }): number | null {
  const trimmed = text.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  if (!/^\d+$/.test(trimmed)) return null;
  const n = Number(trimmed);
  return n >= range.min && n <= range.max ? n : null;
}

/** 'H:MM' or 'HH:MM' → 'HH:MM' when it is a time of day (24:00 only as an end time). */
function parseTime(text: string, allow24: boolean): string | null {
  const m = /^(\d{1,2})[:：](\d{2})$/.exec(text.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && (!allow24 || min !== 0))) return null;
  return `${String(h).padStart(2, '0')}:${m[2]}`;
}

interface Validated {
  errors: FieldErrors;
  schedule: Schedule | null;
}

/** The form's own checks (numbers, HH:MM); the backend checks again and has the last word. */
function validate(form: FormState, { t }: I18n): Validated {
  const errors: FieldErrors = {};
  const interval = parseInteger(form.interval, RETRY_INTERVAL_RANGE);
  if (interval === null) {
    errors.interval = t('ui.validate.integer', { field: t('ui.schedule.interval'), ...RETRY_INTERVAL_RANGE });
  }
  const until = parseInteger(form.until, RETRY_UNTIL_RANGE);
  if (until === null) {
    errors.until = t('ui.validate.integer', { field: t('ui.schedule.until'), ...RETRY_UNTIL_RANGE });
  }
  let window = ALL_DAY_WINDOW;
  if (!form.allDay) {
    const from = parseTime(form.from, false);
    const to = parseTime(form.to, true);
    if (from === null) errors.from = t('ui.validate.time', { field: t('ui.schedule.from'), max: '23:59' });
    if (to === null) errors.to = t('ui.validate.time', { field: t('ui.schedule.to'), max: '24:00' });
    else if (from !== null && from === to) {
      errors.to = t('ui.validate.sameTime', { field: t('ui.schedule.to') });
    }
    window = `${from ?? ''}-${to ?? ''}`;
  }
  if (interval === null || until === null || Object.keys(errors).length > 0) return { errors, schedule: null };
  return { errors, schedule: { retryIntervalMinutes: interval, retryUntilHours: until, window } };
}

/** Which form field a backend error names (`methods.express.schedule.window`, `retryUntilHours`, …). */
function fieldOf(name: string | undefined): FieldName | null {
  if (!name) return null;
  if (/retryIntervalMinutes$/.test(name)) return 'interval';
  if (/retryUntilHours$/.test(name)) return 'until';
  if (/window$/.test(name)) return 'window';
  return null;
}

function fieldLabel({ t }: I18n, field: FieldName): string {
  switch (field) {
    case 'interval':
      return t('ui.schedule.interval');
    case 'until':
      return t('ui.schedule.until');
    case 'from':
      return t('ui.schedule.from');
    case 'to':
      return t('ui.schedule.to');
    case 'window':
      return t('ui.schedule.window');
  }
}

/**
 * スケジュール設定: 通報リトライ (間隔 in minutes, 期限 in hours) and 通報時間帯 (24 時間 or
 * from–to, which may wrap midnight). OK saves through `schedule:set`; a refusal is shown next to
 * the field it names and the dialog stays open with the input as typed. キャンセル changes nothing.
 */
export function ScheduleDialog({ method, schedule, onSaved, onClose }: ScheduleDialogProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const client = useApiClient();
  const [form, setForm] = useState<FormState>(() => initialForm(schedule));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<{ message: string; details: string[] } | null>(null);
  const [saving, setSaving] = useState(false);
  const refs = {
    interval: useRef<HTMLInputElement>(null),
    until: useRef<HTMLInputElement>(null),
    from: useRef<HTMLInputElement>(null),
    to: useRef<HTMLInputElement>(null),
  };

  /** An edit takes the message of the field it fixes (and of the time window it is part of) and the banner. */
  const update = (patch: Partial<FormState>) => {
    setForm((f) => ({ ...f, ...patch }));
    setFormError(null);
    setErrors((e) => {
      const next: FieldErrors = { ...e };
      for (const name of Object.keys(patch)) delete next[name as keyof FieldErrors];
      if ('from' in patch || 'to' in patch || 'allDay' in patch) delete next.window;
      if ('allDay' in patch) {
        delete next.from;
        delete next.to;
      }
      return next;
    });
  };

  const focusFirstError = (errs: FieldErrors) => {
    const order: (keyof typeof refs)[] = ['interval', 'until', 'from', 'to'];
    const first = order.find((name) => errs[name] !== undefined || (name === 'from' && errs.window !== undefined));
    if (first) refs[first].current?.focus();
  };

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (saving) return;
    setFormError(null);
    const checked = validate(form, i18n);
    setErrors(checked.errors);
    if (!checked.schedule) {
      focusFirstError(checked.errors);
      return;
    }
    setSaving(true);
    try {
      const saved = await client.call('schedule:set', { method, schedule: checked.schedule });
      onSaved(saved);
    } catch (error) {
      const apiError = asApiError(error, lang);
      const field = fieldOf(apiError.field);
      if (field) {
        // the backend says `methods.express.schedule.retryUntilHours: …`; name the field as the form does
        const prefix = apiError.field ? `${apiError.field}: ` : '';
        const message =
          prefix && apiError.message.startsWith(prefix)
            ? `${fieldLabel(i18n, field)}: ${apiError.message.slice(prefix.length)}`
            : apiError.message;
        const text = [message, ...(apiError.details ?? [])].join(' ');
        const errs: FieldErrors = { [field]: text };
        setErrors(errs);
        focusFirstError(errs);
      } else {
        setFormError({ message: apiError.message, details: apiError.details ?? [] });
      }
    } finally {
      setSaving(false);
    }
  };

  const invalid = (name: FieldName) => (errors[name] ? 'error' : 'none');

  return (
    <FormDialog
      title={t('ui.schedule.title')}
      surfaceClassName="dialog dialog--medium"
      contentClassName="schedule-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      busy={saving}
      okLabel={t('ui.ok')}
      cancelLabel={t('ui.cancel')}
      onCancel={onClose}
    >
      <p className="dialog-subtitle">{methodLabel(i18n, method)}</p>
      <FormError lead={t('ui.schedule.saveFailed')} text={formError ? [formError.message, ...formError.details].join(' ') : null} />
      <fieldset className="group">
        <legend>{t('ui.schedule.retry')}</legend>
        <div className="field-row">
          <Field
            label={t('ui.schedule.interval')}
            validationState={invalid('interval')}
            validationMessage={errors.interval}
          >
            <Input
              ref={refs.interval}
              className="number-input"
              inputMode="numeric"
              value={form.interval}
              contentAfter={<span className="unit">{t('ui.schedule.intervalUnit')}</span>}
              onChange={(_e, data) => update({ interval: data.value })}
            />
          </Field>
          <Field label={t('ui.schedule.until')} validationState={invalid('until')} validationMessage={errors.until}>
            <Input
              ref={refs.until}
              className="number-input"
              inputMode="numeric"
              value={form.until}
              contentAfter={<span className="unit">{t('ui.schedule.untilUnit')}</span>}
              onChange={(_e, data) => update({ until: data.value })}
            />
          </Field>
        </div>
      </fieldset>
      <fieldset className="group">
        <legend>{t('ui.schedule.window')}</legend>
        <Checkbox
          label={t('ui.schedule.allDay')}
          checked={form.allDay}
          onChange={(_e, data) => update({ allDay: data.checked === true })}
        />
        <div className="field-row">
          <Field label={t('ui.schedule.from')} validationState={invalid('from')} validationMessage={errors.from}>
            <Input
              ref={refs.from}
              className="time-input"
              placeholder="HH:MM"
              disabled={form.allDay}
              value={form.from}
              onChange={(_e, data) => update({ from: data.value })}
            />
          </Field>
          <Field label={t('ui.schedule.to')} validationState={invalid('to')} validationMessage={errors.to}>
            <Input
              ref={refs.to}
              className="time-input"
              placeholder="HH:MM"
              disabled={form.allDay}
              value={form.to}
              onChange={(_e, data) => update({ to: data.value })}
            />
          </Field>
        </div>
        {errors.window ? (
          <p className="field-error" role="alert">
            {errors.window}
          </p>
        ) : null}
        <p className="hint">{t('ui.schedule.wraps')}</p>
      </fieldset>
      <p className="hint">{t('ui.schedule.hint')}</p>
    </FormDialog>
  );
}
