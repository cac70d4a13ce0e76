/** The four report methods of the 通報手段の設定 list, in the order the seed lists them. */
export const METHOD_NAMES = ['express', 'express-https', 'manager-express', 'manager-express-https'] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

export function isMethodName(value: string): value is MethodName {
  return (METHOD_NAMES as readonly string[]).includes(value);
}

/** Express (mail/dial-up) and Express (HTTPS) are never enabled together (seed L3064). */
export const MUTUALLY_EXCLUSIVE: Readonly<Record<MethodName, MethodName | null>> = {
  express: 'express-https',
  'express-https': 'express',
  'manager-express': null,
  'manager-express-https': null,
};

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${String(value)}`);
}
