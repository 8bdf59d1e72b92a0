import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * helmet's headers with a Content-Security-Policy that lets the dashboard run its own scripts and
 * uPlot, all served from this origin, and nothing from anywhere else. Inline styles stay allowed for
 * the reference page's `<style>` and uPlot's computed styles; inline scripts do not.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'frame-ancestors': ["'none'"],
        // The embedded demo is served over plain HTTP, often on a LAN address; upgrading would break it.
        'upgrade-insecure-requests': null,
      },
    },
    // The same as frame-ancestors 'none', for browsers that predate it.
    frameguard: { action: 'deny' },
  });
}
