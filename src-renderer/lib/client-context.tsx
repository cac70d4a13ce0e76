import { createContext, useContext } from 'react';
import type { ApiClient } from '../../src-shared/api';

export const ApiClientContext = createContext<ApiClient | null>(null);

/** The contract client the window talks to; provided once at the root. */
export function useApiClient(): ApiClient {
  const client = useContext(ApiClientContext);
  if (!client) throw new Error('ApiClientContext is missing');
  return client;
}
