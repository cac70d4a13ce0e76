import type { MessageKey } from '../../src-shared/i18n';
import type { MethodName } from '../../src-shared/methods';
import { isAllDay } from '../../src-shared/schedule';
import type { Schedule } from '../../src-shared/settings';
import type { I18n } from './i18n-context';

const METHOD_LABEL: Readonly<Record<MethodName, MessageKey>> = {
  express: 'method.express',
  'express-https': 'method.express-https',
  'manager-express': 'method.manager-express',
  'manager-express-https': 'method.manager-express-https',
};

/** The method's label in the current language, e.g. エクスプレス通報サービス(HTTPS). */
export function methodLabel(i18n: I18n, name: MethodName): string {
  return i18n.t(METHOD_LABEL[name]);
}

/** One line for the ID list: 5 分間隔、72 時間後まで、24 時間. */
export function scheduleSummary(i18n: I18n, schedule: Schedule): string {
  return i18n.t('ui.schedule.summary', {
    interval: schedule.retryIntervalMinutes,
    until: schedule.retryUntilHours,
    window: isAllDay(schedule.window) ? i18n.t('ui.schedule.summaryAllDay') : schedule.window,
  });
}
