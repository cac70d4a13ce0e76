import type { serviceJa } from './service-ja';

/** English texts of the service windows and messages; every key of service-ja.ts. */
export const serviceEn: Record<keyof typeof serviceJa, string> = {
  'service.placeholder': '',
};
