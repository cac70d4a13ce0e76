import type { MethodName } from '../../src-shared/methods';
import type { SettingsForm } from '../lib/settings-form';
import { useSettingsStore } from '../lib/settings-store';
import { MissingList } from '../ui/missing-list';

/** Under a basic settings window's groups: what the method still lacks before it can be enabled (nothing when it lacks nothing). */
export function MethodMissing({ method }: { method: MethodName }) {
  const store = useSettingsStore();
  const lines = store.methods.find((m) => m.name === method)?.missingText ?? [];
  return lines.length > 0 ? (
    <div className="hint">
      <MissingList lines={lines} />
    </div>
  ) : null;
}

/**
 * After a new opening from a basic settings window: the opening erases the earlier settings (seed
 * L3117), so the window shows them as they are now; `then` resets the window's own drafts.
 */
export function useReloadAfterOpening(form: SettingsForm<string>, then?: () => void): () => void {
  const store = useSettingsStore();
  return () => {
    store.refresh().then(
      (settings) => {
        form.reset(settings);
        then?.();
      },
      () => undefined,
    );
  };
}
