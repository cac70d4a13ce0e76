/**
 * The OS locale as the user set it: on Unix the POSIX variables (an unset locale stays empty,
 * which the product treats as its default, Japanese); on Windows the ICU default locale.
 */
export function osLocale(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return Intl.DateTimeFormat().resolvedOptions().locale;
  return env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
}
