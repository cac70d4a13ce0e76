import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './lib/api-client';
import { App } from './app/app';
import { installFocusReturn } from './lib/focus-return';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
installFocusReturn(document);
createRoot(root).render(
  <StrictMode>
    <App client={createApiClient()} />
  </StrictMode>,
);
