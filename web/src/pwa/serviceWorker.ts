/**
 * Registers the console's service worker (web/public/sw.js, root scope) and follows its requests to
 * show a page: a click on a notification while the console is open navigates this window through the
 * router instead of loading a second copy of the console.
 */
export const SERVICE_WORKER_URL = '/sw.js';

interface NavigateMessage {
  readonly type: 'tocsin:navigate';
  readonly url: string;
}

function isNavigateMessage(data: unknown): data is NavigateMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'tocsin:navigate' && typeof (data as { url?: unknown }).url === 'string';
}

/** Goes to a console path the way a link click would (react-router listens to popstate). */
function navigateInPlace(path: string): void {
  if (!path.startsWith('/') || path.startsWith('//')) return;
  if (window.location.pathname + window.location.search === path) return;
  window.history.pushState({}, '', path);
  window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));
}

/** Starts the service worker once the page has loaded (it must not compete with the first render). */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isNavigateMessage(event.data)) navigateInPlace(event.data.url);
  });
  // Messages from the worker wait in a queue until this is called (addEventListener alone does not start it).
  navigator.serviceWorker.startMessages();
  const register = () => {
    navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: '/' }).catch((error: unknown) => {
      // Without it the console still works; only app push and the offline page are missing.
      console.warn('Tocsin: the service worker could not be registered', error);
    });
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
