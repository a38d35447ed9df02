/**
 * One connected viewer and its backpressure. The pipeline must never wait for a browser: when a client's
 * `bufferedAmount` (bytes queued in ws and the socket, not yet taken by the kernel) is above the bound, the
 * frame is skipped for that client only and counted. JPEG and JSON of a frame are sent or skipped together,
 * so a viewer never pairs an image with another frame's explanation.
 */
import WebSocket from 'ws';

export interface ClientInfo {
  readonly id: number;
  readonly remote: string;
  /** Frames sent to this client. */
  readonly sent: number;
  /** Frames skipped because this client was not keeping up. */
  readonly skipped: number;
  readonly bufferedAmount: number;
}

/** Token bucket for client messages: a burst of `burst`, refilled at `perSecond`. */
export class MessageBudget {
  private tokens: number;
  private last: number;
  constructor(private readonly perSecond: number, private readonly burst: number, now = Date.now()) {
    this.tokens = burst;
    this.last = now;
  }
  take(now = Date.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export class ClientChannel {
  sent = 0;
  skipped = 0;
  alive = true; // answered the last ping
  private reportedSkipped = 0;
  private lastReport = 0;
  readonly budget = new MessageBudget(20, 40);

  constructor(readonly id: number, readonly ws: WebSocket, readonly remote: string, private readonly maxBufferedBytes: number) {}

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends one frame (JSON then JPEG) unless the client is behind; never waits. Returns whether it was sent. */
  offerFrame(text: Buffer, jpeg: Buffer, now: number): boolean {
    if (!this.open) return false;
    if (this.ws.bufferedAmount > this.maxBufferedBytes) {
      this.skipped++;
      return false;
    }
    this.ws.send(text, { binary: false });
    this.ws.send(jpeg, { binary: true });
    this.sent++;
    if (this.skipped !== this.reportedSkipped && now - this.lastReport >= 1000) {
      this.reportedSkipped = this.skipped;
      this.lastReport = now;
      this.sendJson({ type: 'client', sent: this.sent, skipped: this.skipped });
    }
    return true;
  }

  sendText(text: Buffer | string): void {
    if (this.open) this.ws.send(text, { binary: false });
  }

  sendJson(value: unknown): void {
    this.sendText(JSON.stringify(value));
  }

  /** Closes with a code and a reason trimmed to the protocol's 123-byte limit. */
  reject(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.CLOSING || this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close(code, truncateUtf8(reason, 123));
  }

  info(): ClientInfo {
    return { id: this.id, remote: this.remote, sent: this.sent, skipped: this.skipped, bufferedAmount: this.ws.bufferedAmount };
  }
}

export function truncateUtf8(s: string, maxBytes: number): string {
  const b = Buffer.from(s, 'utf8');
  if (b.length <= maxBytes) return s;
  let end = maxBytes;
  while (end > 0 && (b[end]! & 0xc0) === 0x80) end--; // do not cut a multi-byte character
  return b.subarray(0, end).toString('utf8');
}
