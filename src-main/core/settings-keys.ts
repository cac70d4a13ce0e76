/** Dotted-key access to the settings tree, shared by `settings:set` and `express-report config`. */

type Tree = Record<string, unknown>;

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a dotted key, or `undefined` as `found: false` when there is no such key. */
export function getAt(root: unknown, key: string): { found: true; value: unknown } | { found: false } {
  let node: unknown = root;
  for (const part of key.split('.')) {
    if (!isTree(node) || !Object.prototype.hasOwnProperty.call(node, part)) return { found: false };
    node = node[part];
  }
  return { found: true, value: node };
}

/** A copy of `root` with the value at an existing dotted key replaced. */
export function setAt<T>(root: T, key: string, value: unknown): T {
  const copy = structuredClone(root) as unknown;
  const parts = key.split('.');
  const last = parts.pop()!;
  let node: unknown = copy;
  for (const part of parts) node = (node as Tree)[part];
  (node as Tree)[last] = value;
  return copy as T;
}

/**
 * Turns command-line text into the type the key already holds: numbers and booleans are
 * parsed, objects and nulls read as JSON, strings stay as typed — except `null` for a key
 * that may be null (`nullable`), which is null, not the text "null". Anything unparsable is
 * passed on as text so the schema can say what was expected.
 */
export function coerceText(current: unknown, text: string, nullable = false): unknown {
  if (nullable && text === 'null') return null;
  if (typeof current === 'string') return text;
  if (typeof current === 'number') return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
  if (typeof current === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
