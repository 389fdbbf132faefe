// Requests VS Code makes of the server wait here until it runs, and get an empty answer when it
// is stopped first. vscode-languageclient 11 lets a request in while its server is still starting;
// if a stop (restart, reload, window closed) comes before the server is up, the request fails with
// "Starting server failed", logged as an error by the client and again by VS Code.
// Plain TypeScript (no `vscode` import).

/** vscode-languageclient's `State` values. */
export const STOPPED = 1;
export const RUNNING = 2;

export interface GatedClient {
  readonly state: number;
  onDidChangeState(listener: (event: { newState: number }) => void): { dispose(): void };
}

export class RequestGate {
  private closed = false;
  private readonly waiting = new Set<() => void>();

  constructor(private readonly client: GatedClient) {
    client.onDidChangeState(() => this.wake());
  }

  /**
   * No more requests: the server is about to stop. Resolves once the requests already let through
   * have reached the connection (vscode-languageclient looks it up a few microtasks after the
   * request is made; a stop in between fails them with "Starting server failed", logged as an
   * error, where a stop after it only rejects them quietly as pending).
   */
  close(): Promise<void> {
    this.closed = true;
    this.wake();
    return new Promise((resolve) => setTimeout(resolve, 0));
  }

  /** True once the server runs; false when it stops or the gate closes first. */
  async open(): Promise<boolean> {
    while (!this.closed && this.client.state !== RUNNING && this.client.state !== STOPPED) {
      await new Promise<void>((resolve) => this.waiting.add(resolve));
    }
    return !this.closed && this.client.state === RUNNING;
  }

  private wake(): void {
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const resolve of waiting) {
      resolve();
    }
  }
}

/**
 * A middleware hook (`provideCodeActions`, `provideHover`, …) that passes the request on once
 * `open()` says the server runs, and answers `undefined` (nothing) when it does not.
 */
// The hooks' signatures differ per feature; this one fits them all, so its types are loose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function gated(open: () => Promise<boolean>): (...args: any[]) => Promise<any> {
  return async (...args: unknown[]): Promise<unknown> => {
    const next = args[args.length - 1] as (...forwarded: unknown[]) => unknown;
    return (await open()) ? next(...args.slice(0, -1)) : undefined;
  };
}
