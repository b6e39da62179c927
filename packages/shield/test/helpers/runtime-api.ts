// A loopback stand-in for the AWS Lambda Runtime API (2018-06-01): next / response / error / init error.
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface Invocation {
  id: string;
  event: unknown;
}
export interface Outcome {
  id: string;
  kind: 'response' | 'error';
  body: unknown;
}

export class RuntimeApi {
  private server: Server;
  private queue: Invocation[] = [];
  private waiting: ((inv: Invocation) => void)[] = [];
  readonly outcomes: Outcome[] = [];
  readonly initErrors: unknown[] = [];
  nextCalls = 0;
  private listeners: (() => void)[] = [];

  constructor() {
    this.server = createServer(async (req, res) => {
      const url = req.url ?? '';
      const body = await readBody(req);
      if (req.method === 'GET' && url === '/2018-06-01/runtime/invocation/next') {
        this.nextCalls++;
        const inv = this.queue.shift() ?? (await new Promise<Invocation>((r) => this.waiting.push(r)));
        res.writeHead(200, {
          'content-type': 'application/json',
          'lambda-runtime-aws-request-id': inv.id,
          'lambda-runtime-deadline-ms': String(Date.now() + 30_000),
          'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:us-east-1:123456789012:function:test',
        });
        res.end(JSON.stringify(inv.event));
        return;
      }
      const m = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
      if (req.method === 'POST' && m) {
        this.outcomes.push({ id: decodeURIComponent(m[1]!), kind: m[2] as 'response' | 'error', body: safeJson(body) });
        res.writeHead(202).end('{"status":"OK"}');
        this.notify();
        return;
      }
      if (req.method === 'POST' && url === '/2018-06-01/runtime/init/error') {
        this.initErrors.push(safeJson(body));
        res.writeHead(202).end('{"status":"OK"}');
        this.notify();
        return;
      }
      res.writeHead(404).end();
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  invoke(id: string, event: unknown): void {
    const inv = { id, event };
    const w = this.waiting.shift();
    if (w) w(inv);
    else this.queue.push(inv);
  }

  private notify(): void {
    for (const l of this.listeners.splice(0)) l();
  }

  /** Resolve when `pred` holds (checked after every POST), or reject after `ms`. */
  async until(pred: () => boolean, ms = 15_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > deadline)
        throw new Error(`timed out; outcomes so far: ${JSON.stringify(this.outcomes)} init errors: ${JSON.stringify(this.initErrors)}`);
      await new Promise<void>((r) => {
        this.listeners.push(r);
        setTimeout(r, 200);
      });
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (d) => {
      s += d;
    });
    req.on('end', () => resolve(s));
  });
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
