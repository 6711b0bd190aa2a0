/**
 * The app's Content Security Policy, for the browser-mode host and the desktop protocol alike:
 * scripts only from the app itself, no inline or eval'd script, no remote anything. Inline
 * styles are allowed because Mantine sets CSS variables through style attributes.
 */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "media-src 'none'",
  "worker-src 'none'",
].join('; ');
