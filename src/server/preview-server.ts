/**
 * The live preview server: serves the viewer page, and pushes every explained frame (JPEG + explanation JSON)
 * to all connected browsers over a WebSocket. The pipeline feeds it through `publish()`, which never waits:
 * the JSON is serialised once per frame, the same Buffers go to every client, and a client that is behind
 * skips frames (see client-channel.ts). Client messages come back validated on `controls`.
 *
 * Security (issue 9): binds to loopback by default; any other host needs a token, checked in constant time
 * on the page, /info and the WebSocket upgrade; Origin/Host checked; client messages small (maxPayload),
 * rate-limited and schema-checked; misbehaving clients are closed with a code and a reason.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { Subject, type Observable } from 'rxjs';
import WebSocket, { WebSocketServer } from 'ws';
import { MetacamError } from '../errors.js';
import type { FrameExplanation } from '../core/frame-explanation.js';
import { ClientChannel, type ClientInfo } from './client-channel.js';
import {
  COLORMAPS, DEFAULT_PRESETS, VIEWS, parseControlMessage,
  type ColormapName, type ControlLimits, type ControlMessage, type ViewName,
} from './control-message.js';
import { checkRequest, isLoopbackHost, type OriginPolicy } from './origin-policy.js';
import { contentTypeOf, defaultPublicDir, readStatic, staticNameFor } from './static-files.js';
import { TOKEN_PROTOCOL_PREFIX, VIEWER_PROTOCOL, authorised, presentedTokens } from './token-check.js';

export interface PreviewStats {
  /** Pipeline throughput, frames per second. */
  readonly fps?: number;
  /** Pipeline latency for this frame (capture → published), ms. */
  readonly latencyMs?: number;
  /** Frames dropped by a lossy source so far. */
  readonly dropped?: number;
  /** Wall-clock capture time (ms since epoch), so the browser can show capture → display latency. */
  readonly capturedAt?: number;
}

export interface PreviewItem {
  readonly jpeg: Buffer;
  readonly explanation: FrameExplanation;
  readonly stats?: PreviewStats;
}

export interface ViewerState {
  readonly class: 'auto' | number;
  readonly preset: string;
  readonly view: ViewName;
  readonly alpha: number;
  readonly colormap: ColormapName;
}

export interface PreviewServerOptions {
  readonly host?: string;
  readonly port?: number;
  /** Required for a non-loopback host. */
  readonly token?: string;
  /** Extra browser origins (scheme://host:port) allowed to connect besides the server's own. */
  readonly allowedOrigins?: readonly string[];
  /** A client with more than this many bytes queued skips frames. Default 1 MiB. */
  readonly maxClientBufferBytes?: number;
  /** Class labels of the model (index = class); bounds `setClass`. */
  readonly labels?: readonly string[];
  /** Method presets a viewer may pick. Default ['realtime', 'full']. */
  readonly presets?: readonly string[];
  /** Names of the CAM methods in the ensemble (shown in the viewer). */
  readonly methods?: readonly string[];
  readonly initialState?: Partial<ViewerState>;
  /** Most simultaneous viewers. Default 32. */
  readonly maxClients?: number;
  /** Largest client message in bytes (close 1009 with a reason above it). Default 4096. */
  readonly maxPayload?: number;
  /** Ping interval; clients that miss a pong are dropped. Default 15 s. */
  readonly heartbeatMs?: number;
  /** Folder with index.html, viewer.js, viewer.css. Default: src/server/public. */
  readonly publicDir?: string;
}

export interface PreviewServer {
  /** Page URL, including `?token=` when a token is set. */
  readonly url: string;
  readonly port: number;
  /** Sends one frame to every client that keeps up. Never blocks, never throws for a client's sake. */
  publish(item: PreviewItem): void;
  /** Valid client messages, in arrival order. Completes on close(). */
  readonly controls: Observable<ControlMessage>;
  /** Current viewer state (last valid control of each kind), shared by all viewers. */
  state(): ViewerState;
  clientCount(): number;
  clients(): ClientInfo[];
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/** Messages above this are cut off by ws while still arriving, so a client cannot make us buffer more. */
const HARD_MAX_PAYLOAD = 64 * 1024;

function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  const text = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' }[status] ?? 'Error';
  const body = `${reason}\n`;
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

function checkOptions(o: PreviewServerOptions): void {
  const port = o.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new MetacamError('E_ARG', `--port must be an integer 0…65535, got ${port}`);
  if (o.token !== undefined && (typeof o.token !== 'string' || o.token.length < 8 || /\s/.test(o.token))) {
    throw new MetacamError('E_ARG', '--token must be at least 8 characters without spaces (e.g. `openssl rand -hex 16`)');
  }
  const host = o.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && o.token === undefined) {
    throw new MetacamError('E_ARG', `--host ${host} exposes the camera preview beyond this machine; set --token too (or bind to 127.0.0.1)`);
  }
  const bound = o.maxClientBufferBytes;
  if (bound !== undefined && (!Number.isInteger(bound) || bound < 0)) throw new MetacamError('E_ARG', `maxClientBufferBytes must be a non-negative integer, got ${bound}`);
  for (const origin of o.allowedOrigins ?? []) {
    try {
      new URL(origin);
    } catch {
      throw new MetacamError('E_ARG', `allowed origin ${JSON.stringify(origin)} is not a URL like http://host:8080`);
    }
  }
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startPreviewServer(options: PreviewServerOptions = {}): Promise<PreviewServer> {
  checkOptions(options);
  const host = options.host ?? '127.0.0.1';
  const token = options.token;
  const labels = [...(options.labels ?? [])];
  const presets = [...(options.presets ?? DEFAULT_PRESETS)];
  const methods = [...(options.methods ?? [])];
  const maxBuffered = options.maxClientBufferBytes ?? 1 << 20;
  const maxClients = options.maxClients ?? 32;
  const maxPayload = options.maxPayload ?? 4096;
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const publicDir = options.publicDir ?? defaultPublicDir();
  const policy: OriginPolicy = { loopbackOnly: isLoopbackHost(host), allowedOrigins: options.allowedOrigins ?? [] };
  const limits: ControlLimits = { classCount: labels.length > 0 ? labels.length : undefined, presets };
  let viewerState: ViewerState = {
    class: 'auto', preset: presets[0] ?? 'realtime', view: 'metacam', alpha: 0.5, colormap: 'jet', ...options.initialState,
  };

  const controls = new Subject<ControlMessage>();
  const channels = new Set<ClientChannel>();
  let nextId = 1;
  let seq = 0;
  let closing: Promise<void> | undefined;

  const info = () => ({
    name: 'metacam-video preview',
    labels, presets, methods, views: VIEWS, colormaps: COLORMAPS,
    state: viewerState, clients: channels.size, framesPublished: seq,
  });

  const wss = new WebSocketServer({
    noServer: true,
    // A hard cap ws enforces while reading (close 1009, no reason); below it we check `maxPayload` ourselves
    // so the client learns why. UTF-8 is validated here too, for the same reason.
    maxPayload: Math.max(HARD_MAX_PAYLOAD, maxPayload),
    skipUTF8Validation: true,
    perMessageDeflate: false, // CPU per client, and a decompression-bomb surface; JPEGs do not compress anyway
    handleProtocols: (offered) => {
      if (offered.has(VIEWER_PROTOCOL)) return VIEWER_PROTOCOL;
      for (const p of offered) if (p.startsWith(TOKEN_PROTOCOL_PREFIX)) return p;
      return false;
    },
  });

  function applyControl(msg: ControlMessage): void {
    switch (msg.type) {
      case 'setClass': viewerState = { ...viewerState, class: msg.class }; break;
      case 'setPreset': viewerState = { ...viewerState, preset: msg.preset }; break;
      case 'setView': viewerState = { ...viewerState, view: msg.view }; break;
      case 'setAlpha': viewerState = { ...viewerState, alpha: msg.alpha }; break;
      case 'setColormap': viewerState = { ...viewerState, colormap: msg.colormap }; break;
    }
    const text = JSON.stringify({ type: 'state', state: viewerState });
    for (const c of channels) c.sendText(text);
  }

  function onConnection(ws: WebSocket, req: IncomingMessage): void {
    const channel = new ClientChannel(nextId++, ws, `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`, maxBuffered);
    channels.add(channel);
    ws.on('pong', () => { channel.alive = true; });
    // ws reports protocol violations (invalid UTF-8 → 1007, too big → 1009, bad frames → 1002) here and
    // closes the socket itself; the listener keeps them from becoming uncaught exceptions.
    ws.on('error', () => {});
    ws.on('close', () => { channels.delete(channel); });
    ws.on('message', (data, isBinary) => {
      // Frames already read behind a message that got this client closed must not act any more.
      if (ws.readyState !== WebSocket.OPEN) return;
      if (!channel.budget.take()) return channel.reject(1008, 'too many messages');
      if (isBinary) return channel.reject(1003, 'binary messages are not accepted; send JSON text');
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      if (bytes.length > maxPayload) return channel.reject(1009, `message too big: ${bytes.length} bytes, max ${maxPayload}`);
      let text: string;
      try {
        text = utf8.decode(bytes);
      } catch {
        return channel.reject(1007, 'text message is not valid UTF-8');
      }
      const result = parseControlMessage(text, limits);
      if (!result.ok) return channel.reject(1008, result.error);
      applyControl(result.message);
      controls.next(result.message);
    });
    channel.sendJson({ type: 'hello', id: channel.id, ...info() });
  }

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: string | Buffer, type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...SECURITY_HEADERS, ...extra });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n', undefined, { Allow: 'GET, HEAD' });
    const verdict = checkRequest(policy, req.headers.host, req.headers.origin);
    if (!verdict.ok) return send(verdict.status, `${verdict.reason}\n`);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return send(400, 'bad request\n');
    }
    // The raw path still carries what URL() normalised away ("/../x" → "/x"): refuse traversal outright.
    const rawPath = (req.url ?? '/').split('?')[0]!;
    if (/(^|\/|\\)\.\.?(\/|\\|$)|%2e|%2f|%5c|\\|\0/i.test(rawPath)) return send(403, 'forbidden path\n');
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const isAuthorised = () => authorised(token, [...presentedTokens(url, undefined), ...(bearer ? [bearer] : [])]);
    if (url.pathname === '/info') {
      if (!isAuthorised()) return send(401, 'token required: add ?token=…\n');
      return send(200, JSON.stringify(info()), 'application/json; charset=utf-8');
    }
    const lookup = staticNameFor(url.pathname);
    if (!lookup.ok) return send(lookup.status, `${lookup.reason}\n`);
    if (lookup.name === 'index.html' && !isAuthorised()) return send(401, 'token required: open the URL printed by `metacam live`, with ?token=…\n');
    const body = await readStatic(publicDir, lookup.name);
    if (!body) return send(404, 'not found\n');
    const wsOrigin = `ws://${req.headers.host} wss://${req.headers.host}`;
    return send(200, body, contentTypeOf(lookup.name), {
      'Content-Security-Policy': `default-src 'self'; img-src 'self' blob: data:; connect-src 'self' ${wsOrigin}; style-src 'self'; script-src 'self'; frame-ancestors 'none'`,
    });
  }

  const server = createServer((req, res) => {
    serveHttp(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.on('clientError', (_err, socket) => rejectUpgrade(socket, 400, 'bad request'));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    if (closing) return rejectUpgrade(socket, 503, 'server is closing');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return rejectUpgrade(socket, 400, 'bad request');
    }
    if (url.pathname !== '/ws') return rejectUpgrade(socket, 404, 'WebSocket endpoint is /ws');
    const verdict = checkRequest(policy, req.headers.host, req.headers.origin);
    if (!verdict.ok) return rejectUpgrade(socket, verdict.status, verdict.reason);
    if (!authorised(token, presentedTokens(url, req.headers['sec-websocket-protocol']))) {
      return rejectUpgrade(socket, 401, 'token required (?token=… or subprotocol metacam-token.…)');
    }
    if (channels.size >= maxClients) return rejectUpgrade(socket, 503, `too many viewers (max ${maxClients})`);
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req));
  });

  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const heartbeat = setInterval(() => {
    for (const c of channels) {
      if (!c.alive) { c.ws.terminate(); continue; }
      c.alive = false;
      try { c.ws.ping(); } catch { /* closing */ }
    }
  }, heartbeatMs);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      clearInterval(heartbeat);
      const what = e.code === 'EADDRINUSE' ? `port ${options.port} is already in use; pick another with --port (0 = any free port)`
        : e.code === 'EACCES' ? `no permission to listen on ${host}:${options.port}; use a port above 1023`
        : e.code === 'EADDRNOTAVAIL' ? `${host} is not an address of this machine`
        : `cannot listen on ${host}:${options.port}: ${e.message}`;
      reject(new MetacamError('E_ARG', what, { cause: e }));
    };
    server.once('error', onError);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const url = `http://${urlHost(host)}:${port}/${token ? `?token=${encodeURIComponent(token)}` : ''}`;

  return {
    url,
    port,
    controls: controls.asObservable(),
    publish(item: PreviewItem): void {
      if (closing) return;
      seq++;
      if (channels.size === 0) return;
      const text = Buffer.from(
        JSON.stringify({ type: 'frame', seq, explanation: item.explanation, stats: item.stats ?? {}, jpegBytes: item.jpeg.length }),
        'utf8',
      );
      const now = Date.now();
      for (const c of channels) c.offerFrame(text, item.jpeg, now);
    },
    state: () => viewerState,
    clientCount: () => [...channels].filter((c) => c.open).length,
    clients: () => [...channels].map((c) => c.info()),
    close(): Promise<void> {
      closing ??= (async () => {
        clearInterval(heartbeat);
        for (const c of channels) c.ws.terminate();
        channels.clear();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        controls.complete();
      })();
      return closing;
    },
  };
}
