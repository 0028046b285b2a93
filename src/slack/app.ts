// The Bolt app in the mode the environment asks for (SPEC section 1): Socket Mode with an app token,
// HTTP mode on PORT with every Slack request at POST /slack/events. Health and readiness are served on
// PORT in both modes. Every Web API call goes to SLACK_API_URL. The listeners come from the caller
// (the composition root's registerListeners), so this file knows Bolt, not commands/.
import { listenOn } from '../http/listen.ts';
import { App, ExpressReceiver, type App as BoltApp } from '@slack/bolt';
import type { Logger } from '../log.ts';
import { createHttpApp, type HttpOptions } from '../http/server.ts';
import { webClientOptions } from './client-options.ts';
import { boltLogger } from './bolt-logger.ts';
import { auditRejectedRequests, type AuditAppend } from './rejected-requests.ts';

export interface SlackSettings {
  mode: 'socket' | 'http';
  botToken: string;
  appToken?: string;
  signingSecret?: string;
  apiUrl: string;
  port: number;
  /** The interface to listen on; every one when unset (a deployment's PORT). */
  host?: string;
}

export interface SlackAppHandle {
  app: BoltApp;
  port: number;
  stop(): Promise<void>;
}

export async function startSlackApp(
  settings: SlackSettings,
  deps: {
    /** Puts every listener on the app (runtime.registerListeners). */
    register: (app: BoltApp) => void;
    log: Logger;
    http: HttpOptions;
    /** Where a request turned away for its signature is audited (HTTP mode). */
    audit?: AuditAppend;
  },
): Promise<SlackAppHandle> {
  const http = createHttpApp(deps.http);
  const logger = boltLogger(deps.log);
  const clientOptions = webClientOptions(settings.apiUrl);
  let app: BoltApp;
  if (settings.mode === 'socket') {
    if (!settings.appToken)
      throw new Error(
        'Socket Mode needs SLACK_APP_TOKEN (xapp-…), an app-level token with connections:write.',
      );
    // Bolt hands clientOptions to the Socket Mode client too, so apps.connections.open also goes to
    // SLACK_API_URL (test/integration/slack/socket-mode.test.ts checks it).
    app = new App({
      token: settings.botToken,
      appToken: settings.appToken,
      socketMode: true,
      logger,
      clientOptions,
    });
  } else {
    if (!settings.signingSecret)
      throw new Error('HTTP mode needs SLACK_SIGNING_SECRET from the app’s Basic Information page.');
    // Mounted before the receiver's own route, so it sees the 401s the receiver sends.
    if (deps.audit)
      http.use(
        '/slack/events',
        auditRejectedRequests(deps.audit, (err) =>
          deps.log.warn({ err }, 'audit of a rejected request failed'),
        ),
      );
    const receiver = new ExpressReceiver({
      signingSecret: settings.signingSecret,
      endpoints: '/slack/events',
      app: http,
      logger,
      processBeforeResponse: false,
    });
    app = new App({ token: settings.botToken, receiver, logger, clientOptions });
  }
  deps.register(app);
  if (settings.mode === 'socket') await app.start();
  const server = await listenOn(http, settings.port, settings.host);
  const port = (server.address() as { port: number }).port;
  deps.log.info(
    { mode: settings.mode, port },
    settings.mode === 'http' ? 'Slack requests at POST /slack/events' : 'Socket Mode connected',
  );
  return {
    app,
    port,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      if (settings.mode === 'socket') await app.stop();
    },
  };
}
