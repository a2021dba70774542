import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createDOMRenderer, FluentProvider, RendererProvider, webLightTheme } from '@fluentui/react-components';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import i18next from 'i18next';
import { ApiProblem } from './api/http.ts';
import { App } from './app/App.tsx';
import './i18n/setup.ts';

// The server's Content-Security-Policy allows style elements that carry this page's nonce only;
// Fluent UI's style engine puts its rules into such elements.
const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';
const renderer = createDOMRenderer(document, { styleElementAttributes: nonce ? { nonce } : {} });

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      refetchOnWindowFocus: false,
      // A problem the API stated (4xx) will not go away by asking again; a lost connection may.
      retry: (count, error) => !(error instanceof ApiProblem && error.status < 500) && count < 2,
    },
  },
});
// The API words its messages in the language asked for: what it said in the previous one is asked again.
i18next.on('languageChanged', () => void queryClient.invalidateQueries());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <RendererProvider renderer={renderer} targetDocument={document}>
      <FluentProvider theme={webLightTheme}>
        <QueryClientProvider client={queryClient}>
          <App />
        </QueryClientProvider>
      </FluentProvider>
    </RendererProvider>
  </StrictMode>,
);
