// Type definitions for sprocket.js (hand-written; see README.md).

/** The protocols, as NNG names them. The v0 protocols may be named without the digit: 'req' = 'req0', 'pair' = 'pair0'. */
export type ProtocolName =
  | 'pair0' | 'pair1' | 'req0' | 'rep0' | 'pub0' | 'sub0' | 'push0' | 'pull0' | 'surveyor0' | 'respondent0' | 'bus0'
  | 'pair' | 'req' | 'rep' | 'pub' | 'sub' | 'push' | 'pull' | 'surveyor' | 'respondent' | 'bus';

/** The names `new Socket(name)` takes (with the version digit). */
export const PROTOCOL_NAMES: readonly ProtocolName[];

/** Error codes, as the Java side's `io.sprocket.ErrorCode` (NNG's error codes). */
export type ErrorCode =
  | 'CLOSED' | 'TIMED_OUT' | 'TRY_AGAIN' | 'CONNECTION_REFUSED' | 'CONNECTION_RESET' | 'ADDRESS_IN_USE' | 'ADDRESS_INVALID'
  | 'UNREACHABLE' | 'PROTOCOL_ERROR' | 'MESSAGE_TOO_LARGE' | 'BAD_STATE' | 'CANCELED' | 'NOT_SUPPORTED'
  | 'PERMISSION_DENIED' | 'BUSY' | 'CRYPTO' | 'IO_ERROR';

/** Each error code with NNG's short text. */
export const ErrorCodes: Readonly<Record<ErrorCode, string>>;

/** What went wrong in a Sprocket operation. */
export class SprocketError extends Error {
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown });
  readonly name: 'SprocketError';
  /** The kind of failure. */
  readonly code: ErrorCode;
}

/** What a message body may be given as: strings go as UTF-8 bytes (in binary frames). */
export type MessageData = string | Uint8Array | ArrayBuffer | ArrayBufferView;

/** A WebSocket class, as browsers have: `new WebSocket(url, subprotocol)`. */
export interface WebSocketClass {
  new (url: string, protocols?: string | string[]): WebSocket;
}

/** Socket options. Times in milliseconds, sizes in bytes, buffers in messages. */
export interface SocketOptions {
  /** How long receive waits; -1 (or Infinity) for ever, 0 not at all. Default -1. */
  recvTimeout?: number;
  /** How long send waits for a peer that can take the message; -1 (or Infinity) for ever, 0 not at all. Default -1. */
  sendTimeout?: number;
  /** First reconnect interval (over 0). Default 100. */
  reconnectMin?: number;
  /** Largest reconnect interval; the interval doubles from reconnectMin up to it; 0 keeps reconnectMin. Default 10000. */
  reconnectMax?: number;
  /** Time limit of one connection attempt (the WebSocket handshake). Default 10000. */
  dialTimeout?: number;
  /** REQ: resend an unanswered request after this long; 0 never. Default 60000 (NNG's). */
  resendTime?: number;
  /** SURVEYOR: how long a survey collects responses (over 0). Default 1000 (NNG's). */
  surveyTime?: number;
  /** Largest message accepted; a larger one closes its connection with 1009 (4009 in browsers); 0 no limit. Default 1048576. */
  recvMaxSize?: number;
  /** Messages each connection queues before send waits (0 to 8192; 0 acts as 1). Default 128. */
  sendBuffer?: number;
  /** Messages SUB, BUS and SURVEYOR queue for the application before dropping (0 to 8192). Default 128. */
  recvBuffer?: number;
  /** REP, RESPONDENT, PAIR1: most hops a message may have travelled (1 to 15). Default 8. */
  ttlMax?: number;
  /** The WebSocket class to use instead of globalThis.WebSocket or the `ws` package. */
  webSocket?: WebSocketClass;
}

export type OptionName = keyof SocketOptions;

/** How dial behaves. */
export interface DialOptions {
  /**
   * true (default, NNG's blocking dial): the promise resolves on the first connection and rejects with the first
   * attempt's error, dropping the dialer. false (NNG_FLAG_NONBLOCK): it resolves at once; the dialer keeps trying.
   */
  wait?: boolean;
  /** Time limit of one attempt, in milliseconds (default: the socket's dialTimeout). */
  timeout?: number;
  /** Options for the `ws` package's WebSocket in Node (e.g. `{ ca }` for wss); ignored by browsers. */
  wsOptions?: Record<string, unknown>;
}

/** One connection to a peer. */
export interface Pipe {
  /** Its id (31 bits), unique in its socket. */
  readonly id: number;
  /** The URL that was dialed. */
  readonly url: string;
  /** The subprotocol the peer agreed to, e.g. 'rep.sp.nanomsg.org'. */
  readonly subprotocol: string;
  /** Whether it is open. */
  readonly open: boolean;
  /** Once closed: the WebSocket close code. */
  readonly closeCode: number | undefined;
  /** Once closed: why, unless it closed cleanly (1000, 1001). */
  readonly error: SprocketError | undefined;
  /** Closes this connection (its dialer reconnects). */
  close(): void;
}

/** One URL a socket dials, reconnecting with jittered exponential backoff until closed. */
export interface Dialer {
  readonly url: string;
  /** 'connecting' (an attempt or a backoff wait is under way), 'open', or 'closed'. */
  readonly state: 'connecting' | 'open' | 'closed';
  /** The open pipe, if any. */
  readonly pipe: Pipe | undefined;
  /** Stops dialing and closes its pipe. */
  close(): void;
}

/** The event of 'pipe', 'pipeclose', 'dialerror' and 'close'. */
export class SocketEvent extends Event {
  /** The pipe that opened or closed ('pipe', 'pipeclose'). */
  readonly pipe: Pipe | undefined;
  /** The dialer whose attempt failed ('dialerror'). */
  readonly dialer: Dialer | undefined;
  /** What went wrong ('dialerror'; 'pipeclose' unless it closed cleanly). */
  readonly error: SprocketError | undefined;
}

export interface SocketEventMap {
  pipe: SocketEvent;
  pipeclose: SocketEvent;
  dialerror: SocketEvent;
  close: SocketEvent;
}

/** Sending and receiving: what a socket and its contexts share. */
export interface Endpoint extends AsyncIterable<Uint8Array> {
  /** Sends a message; resolves once a peer's queue took it. */
  send(data: MessageData): Promise<void>;
  /** The next message body. */
  receive(): Promise<Uint8Array>;
  /** sub0: receive messages starting with `prefix` ('' = all). */
  subscribe(prefix: string | Uint8Array | ArrayBuffer): void;
  /** sub0: stop receiving messages starting with `prefix`. */
  unsubscribe(prefix: string | Uint8Array | ArrayBuffer): void;
  /** Receives until the socket closes (a surveyor: until the survey is over). */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array, void, undefined>;
}

/** An independent state machine of a socket (req0, rep0, surveyor0, respondent0, sub0), from socket.context(). */
export class Context implements Endpoint {
  private constructor();
  send(data: MessageData): Promise<void>;
  receive(): Promise<Uint8Array>;
  subscribe(prefix: string | Uint8Array | ArrayBuffer): void;
  unsubscribe(prefix: string | Uint8Array | ArrayBuffer): void;
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array, void, undefined>;
  /** Closes the context; its pending operations reject with CLOSED. */
  close(): void;
}

/** An SP socket of one protocol that dials WebSocket URLs. */
export class Socket extends EventTarget implements Endpoint {
  constructor(protocol: ProtocolName, options?: SocketOptions);
  /** The protocol, as NNG names it ('req0', ...). */
  readonly protocol: ProtocolName;
  /** The WebSocket subprotocol it asks for: the peer's ('rep.sp.nanomsg.org' for req0). */
  readonly subprotocol: string;
  /** 'open' while a pipe is open, 'closed' once closed, else 'connecting'. */
  readonly state: 'connecting' | 'open' | 'closed';
  /** The open pipes. */
  readonly pipes: Pipe[];
  /** The dialers. */
  readonly dialers: Dialer[];
  onpipe: ((event: SocketEvent) => void) | null;
  onpipeclose: ((event: SocketEvent) => void) | null;
  ondialerror: ((event: SocketEvent) => void) | null;
  onclose: ((event: SocketEvent) => void) | null;

  /** Dials one URL. */
  dial(url: string, options?: DialOptions): Promise<Dialer>;
  /** Dials several URLs (one dialer each). */
  dial(urls: string[], options?: DialOptions): Promise<Dialer[]>;
  dial(...urlsThenOptions: Array<string | string[] | DialOptions>): Promise<Dialer | Dialer[]>;
  send(data: MessageData): Promise<void>;
  receive(): Promise<Uint8Array>;
  subscribe(prefix: string | Uint8Array | ArrayBuffer): void;
  unsubscribe(prefix: string | Uint8Array | ArrayBuffer): void;
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array, void, undefined>;
  /** A new independent context (req0, rep0, surveyor0, respondent0, sub0). */
  context(): Context;
  setOption<K extends OptionName>(name: K, value: NonNullable<SocketOptions[K]>): void;
  getOption<K extends OptionName>(name: K): SocketOptions[K];
  /** Closes: pending operations reject with CLOSED; connections close with 1000. */
  close(): void;

  addEventListener<K extends keyof SocketEventMap>(type: K, listener: (event: SocketEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof SocketEventMap>(type: K, listener: (event: SocketEventMap[K]) => void,
    options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions): void;
}
