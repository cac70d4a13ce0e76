import { lazy, Suspense, type ComponentType } from 'react';

/**
 * A window loaded when it is first opened: the main window does not need it to start, and the
 * initial script stays small. `load` is a dynamic import, so the bundler gives the window a chunk
 * of its own; nothing is shown while the chunk loads (it comes from the same machine).
 */
export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const Loaded = lazy(async () => ({ default: await load() }));
  function LazyComponent(props: P) {
    return (
      <Suspense fallback={null}>
        <Loaded {...props} />
      </Suspense>
    );
  }
  return LazyComponent;
}
