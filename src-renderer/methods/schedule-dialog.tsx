import {
  Checkbox,
  Field,
  Input,
} from '@fluentui/react-components';
import type { FormEvent } from 'react';
import type { ApiError } from '../../src-shared/errors';
import type { MethodName } from '../../src-shared/methods';
import { ALL_DAY_WINDOW, isAllDay, RETRY_INTERVAL_RANGE, RETRY_UNTIL_RANGE } from '../../src-shared/schedule';
import type { Schedule } from '../../src-shared/settings';
import { FormError } from '../ui/form-error';
import { asApiError } from '../lib/errors';
import { useI18n, type I18n } from '../lib/i18n-context';
import { methodLabel } from '../lib/labels';
import { useSettingsForm } from '../lib/settings-form';
import { FormDialog } from '../ui/form-dialog';
import { useSaveChanges } from './save-changes';

export interface ScheduleDialogProps {
  method: MethodName;
  /** what is stored: the form starts from it */
  schedule: Schedule;
  /** キャンセル, or OK once the schedule is stored */
  onClose(): void;
}

/**
 * The form's fields by settings key. The time window (one key, whose refusal goes under the
 * times) is typed as 24 時間 or from–to: those three are the form's own, beside it.
 */
function scheduleKeys(method: MethodName) {
  const base = `methods.${method}.schedule`;
  return {
    base,
    interval: `${base}.retryIntervalMinutes`,
    until: `${base}.retryUntilHours`,
    window: `${base}.window`,
    allDay: `${base}.allDay`,
    from: `${base}.from`,
    to: `${base}.to`,
  };
}
type Keys = ReturnType<typeof scheduleKeys>;
type Texts = Record<'interval' | 'until' | 'allDay' | 'from' | 'to', string | boolean>;

/** The schedule as the form shows it, at the keys' paths below `base`. */
function shownSchedule(schedule: Schedule) {
  const allDay = isAllDay(schedule.window);
  const [from = '00:00', to = '24:00'] = allDay ? [] : schedule.window.split('-');
  return { ...schedule, allDay, from, to };
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
  errors: Record<string, string | null>;
  schedule: Schedule | null;
}

/** The form's own checks (numbers, HH:MM); the backend checks again and has the last word. */
function validate(form: Texts, keys: Keys, { t }: I18n): Validated {
  const text = (value: string | boolean) => (typeof value === 'string' ? value : '');
  const interval = parseInteger(text(form.interval), RETRY_INTERVAL_RANGE);
  const until = parseInteger(text(form.until), RETRY_UNTIL_RANGE);
  const errors: Record<string, string | null> = {
    [keys.interval]: interval === null ? t('ui.validate.integer', { field: t('ui.schedule.interval'), ...RETRY_INTERVAL_RANGE }) : null,
    [keys.until]: until === null ? t('ui.validate.integer', { field: t('ui.schedule.until'), ...RETRY_UNTIL_RANGE }) : null,
  };
  let window = ALL_DAY_WINDOW;
  if (form.allDay !== true) {
    const from = parseTime(text(form.from), false);
    const to = parseTime(text(form.to), true);
    errors[keys.from] = from === null ? t('ui.validate.time', { field: t('ui.schedule.from'), max: '23:59' }) : null;
    errors[keys.to] =
      to === null ? t('ui.validate.time', { field: t('ui.schedule.to'), max: '24:00' }) : from !== null && from === to ? t('ui.validate.sameTime', { field: t('ui.schedule.to') }) : null;
    window = `${from ?? ''}-${to ?? ''}`;
  }
  if (interval === null || until === null || Object.values(errors).some((e) => e !== null)) return { errors, schedule: null };
  return { errors, schedule: { retryIntervalMinutes: interval, retryUntilHours: until, window } };
}

/**
 * スケジュール設定: 通報リトライ (間隔 in minutes, 期限 in hours) and 通報時間帯 (24 時間 or
 * from–to, which may wrap midnight). OK saves it with one `settings:patch`; a refusal is shown
 * next to the field it names and the dialog stays open with the input as typed. キャンセル
 * changes nothing.
 */
export function ScheduleDialog({ method, schedule, onClose }: ScheduleDialogProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const keys = scheduleKeys(method);
  const { interval, until, window, allDay, from, to } = keys;
  // An edit takes the message of the field it fixes, of the time window it is part of, and the banner.
  const form = useSettingsForm([interval, until, window, allDay, from, to], shownSchedule(schedule), {
    base: keys.base,
    related: { [from]: [window], [to]: [window], [allDay]: [window, from, to] },
  });
  const label: Readonly<Record<string, string>> = {
    [interval]: t('ui.schedule.interval'),
    [until]: t('ui.schedule.until'),
    [window]: t('ui.schedule.window'),
  };

  /** The backend says `methods.express.schedule.retryUntilHours: …`; the field is named as the form does. */
  const wording = (error: ApiError, key: string) => {
    const prefix = error.field ? `${error.field}: ` : '';
    const message = prefix && error.message.startsWith(prefix) ? `${label[key] ?? key}: ${error.message.slice(prefix.length)}` : error.message;
    return [message, ...(error.details ?? [])].join(' ');
  };

  const saver = useSaveChanges((error) => form.refuse(asApiError(error, lang), t('ui.schedule.saveFailed'), wording));
  const saving = saver.busy;

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (saving) return;
    form.setBanner(null);
    const checked = validate(
      { interval: form.text(interval), until: form.text(until), allDay: form.checked(allDay), from: form.text(from), to: form.text(to) },
      keys,
      i18n,
    );
    if (!form.show(checked.errors) || !checked.schedule) return;
    // the schedule as one value: its rules (期限 at least one interval) hold for the three together
    await saver.saveAndClose({ [keys.base]: checked.schedule }, onClose);
  };

  const { errors } = form;
  const invalid = (key: string) => (errors[key] ? 'error' : 'none');
  const allDayChecked = form.checked(allDay);
  const input = (key: string) => ({ value: form.text(key), onChange: (_e: unknown, data: { value: string }) => form.set(key, data.value) });

  return (
    <FormDialog
      title={t('ui.schedule.title')}
      surfaceClassName="dialog dialog--medium"
      contentClassName="schedule-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      busy={saving}
      onCancel={onClose}
    >
      <p className="dialog-subtitle">{methodLabel(i18n, method)}</p>
      <FormError text={form.banner} />
      <fieldset className="group">
        <legend>{t('ui.schedule.retry')}</legend>
        <div className="field-row">
          <Field label={t('ui.schedule.interval')} validationState={invalid(interval)} validationMessage={errors[interval]}>
            <Input
              ref={form.register(interval)}
              className="number-input"
              inputMode="numeric"
              contentAfter={<span className="unit">{t('ui.schedule.intervalUnit')}</span>}
              {...input(interval)}
            />
          </Field>
          <Field label={t('ui.schedule.until')} validationState={invalid(until)} validationMessage={errors[until]}>
            <Input
              ref={form.register(until)}
              className="number-input"
              inputMode="numeric"
              contentAfter={<span className="unit">{t('ui.schedule.untilUnit')}</span>}
              {...input(until)}
            />
          </Field>
        </div>
      </fieldset>
      <fieldset className="group">
        <legend>{t('ui.schedule.window')}</legend>
        <Checkbox label={t('ui.schedule.allDay')} {...form.checkbox(allDay)} />
        <div className="field-row">
          <Field label={t('ui.schedule.from')} validationState={invalid(from)} validationMessage={errors[from]}>
            <Input
              // a refused time window is fixed from its start time
              ref={(el) => {
                form.register(from)(el);
                form.register(window)(el);
              }}
              className="time-input"
              placeholder="HH:MM"
              disabled={allDayChecked}
              {...input(from)}
            />
          </Field>
          <Field label={t('ui.schedule.to')} validationState={invalid(to)} validationMessage={errors[to]}>
            <Input ref={form.register(to)} className="time-input" placeholder="HH:MM" disabled={allDayChecked} {...input(to)} />
          </Field>
        </div>
        {errors[window] ? (
          <p className="field-error" role="alert">
            {errors[window]}
          </p>
        ) : null}
        <p className="hint">{t('ui.schedule.wraps')}</p>
      </fieldset>
      <p className="hint">{t('ui.schedule.hint')}</p>
    </FormDialog>
  );
}
