import '@mantine/core/styles.css';
import './app/global.css';
import { MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { theme } from './app/theme.ts';
import { startChangeFeed } from './shell/changes.ts';

startChangeFeed();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {/* "auto" follows the system until the reviewer picks a scheme; the choice is kept in localStorage. */}
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <App />
    </MantineProvider>
  </StrictMode>,
);
