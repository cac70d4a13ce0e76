import { lazy, Suspense } from 'react';
import type { OpeningEditorProps } from './opening-editor';
import type { OpeningWizardProps } from './opening-wizard';

// The wizard and the settings utility are loaded when first opened: they are not needed for the
// window to start, and they keep the initial script small.
const OpeningWizard = lazy(() => import('./opening-wizard').then((m) => ({ default: m.OpeningWizard })));
const OpeningEditor = lazy(() => import('./opening-editor').then((m) => ({ default: m.OpeningEditor })));

/** The opening wizard (ツール → エクスプレス通報サービス → サーバー, [開局情報の入力]). */
export function LazyOpeningWizard(props: OpeningWizardProps) {
  return (
    <Suspense fallback={null}>
      <OpeningWizard {...props} />
    </Suspense>
  );
}

/** The settings utility over the stored opening ([設定情報の変更...]). */
export function LazyOpeningEditor(props: OpeningEditorProps) {
  return (
    <Suspense fallback={null}>
      <OpeningEditor {...props} />
    </Suspense>
  );
}
