import { settingsSchema, type Settings } from '../../src-shared/settings';

type Tree = Record<string, unknown> | unknown[];

export interface Repaired {
  settings: Settings;
  /** the dotted keys put back to their defaults (a whole subtree where a part of it had to go) */
  reset: string[];
}

/** Most parses a settings tree can need: every field once, plus a climb per level. */
const MAX_ROUNDS = 500;

function isTree(v: unknown): v is Tree {
  return typeof v === 'object' && v !== null;
}

/** Removes the value at `path` (an array element is taken out); false when there is nothing there. */
function removeAt(root: unknown, path: readonly PropertyKey[]): boolean {
  let node: unknown = root;
  for (const part of path.slice(0, -1)) {
    if (!isTree(node) || !Object.prototype.hasOwnProperty.call(node, part)) return false;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  const last = path[path.length - 1]!;
  if (!isTree(node) || !Object.prototype.hasOwnProperty.call(node, last)) return false;
  if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
  else delete (node as Record<PropertyKey, unknown>)[last];
  return true;
}

/**
 * A settings tree (migrated, secrets decrypted) with each invalid field put back to its default
 * and every valid one kept: the field a problem names is removed so its default applies; where
 * that is not enough (a required field, a rule across fields) its parent goes, one level at a
 * time. Null when the tree is not settings at all (not an object, no usable version): then the
 * whole file is unusable.
 */
export function repairSettings(raw: unknown): Repaired | null {
  if (!isTree(raw) || Array.isArray(raw)) return null;
  const candidate = structuredClone(raw) as Record<string, unknown>;
  const reset: string[] = [];
  const removed = new Set<string>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const result = settingsSchema.safeParse(candidate);
    if (result.success) return { settings: result.data, reset };
    let path = [...result.error.issues[0]!.path];
    if (path.length === 0 || path[0] === 'version') return null;
    // A field already removed, or one missing, is fixed one level up.
    while (path.length > 0 && (removed.has(path.join('.')) || !removeAt(candidate, path))) path = path.slice(0, -1);
    if (path.length === 0) return null;
    const key = path.map(String).join('.');
    removed.add(key);
    // a subtree reset replaces what was listed inside it
    for (let i = reset.length - 1; i >= 0; i--) if (reset[i]!.startsWith(`${key}.`)) reset.splice(i, 1);
    if (!reset.some((r) => key.startsWith(`${r}.`))) reset.push(key);
  }
  return null;
}
