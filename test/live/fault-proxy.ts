/**
 * A flaky cloud on 127.0.0.1: an HTTP proxy in front of moto that answers chosen APIs with a fault
 * (an empty 200, a 200 without the list, a black hole, slow throttling, a cut or stalled body, a
 * page token that never changes) and passes every other request through unchanged.
 */
import http from 'http';
import type { AddressInfo, Socket } from 'net';

export type FaultKind =
  | 'empty-200' // 200 with no body at all
  | 'no-list-200' // 200 with a JSON body that lacks the list
  | 'black-hole' // accepts the request and never answers
  | 'slow-throttle' // waits, then 429 ThrottlingException with a long Retry-After
  | 'truncated' // announces a body, sends half of it, then cuts the connection
  | 'stalled' // sends headers and half a body, then nothing, connection kept open
  | 'cut-json' // a complete HTTP answer whose JSON stops in the middle
  | 'zero-regions' // account:ListRegions listing no region
  | 'same-token'; // moto's answer, with a next-page token that never changes

export interface FaultProxy {
  endpoint: string;
  /** The API name (DescribeTrails, GetCallerIdentity, GetBucketVersioning...) → the fault it gets. */
  faults: Map<string, FaultKind>;
  /** API names of the requests that got a fault, in order. */
  faulted: string[];
  close(): Promise<void>;
}

/** The API a request calls, for the protocols the scan uses (JSON target, query Action, REST paths). */
export function apiOf(request: http.IncomingMessage, body: string): string | undefined {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop();
  const action = /(?:^|&)Action=([A-Za-z]+)/.exec(body);
  if (action) return action[1];
  const url = new URL(request.url ?? '/', 'http://proxy');
  if (url.pathname === '/v2/email/list-identities') return 'ListEmailIdentities';
  if (url.pathname === '/v2/email/list-configuration-sets') return 'ListConfigurationSets';
  if (url.pathname === '/listRegions') return 'ListRegions';
  if (/^\/v2\/email\/configuration-sets\/[^/]+$/.test(url.pathname)) return 'GetConfigurationSet';
  if (url.searchParams.has('versioning')) return 'GetBucketVersioning';
  if (url.searchParams.has('lifecycle')) return 'GetBucketLifecycleConfiguration';
  return undefined;
}

const JSON_TYPE = 'application/x-amz-json-1.1';
const SAME_TOKEN = 'the-same-page-again';

function answerFault(kind: FaultKind, response: http.ServerResponse): void {
  switch (kind) {
    case 'empty-200':
      response.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': '0' }).end();
      return;
    case 'no-list-200':
      response.writeHead(200, { 'content-type': JSON_TYPE }).end('{}');
      return;
    case 'zero-regions':
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"Regions":[]}');
      return;
    case 'black-hole':
      return;
    case 'slow-throttle':
      setTimeout(() => {
        if (response.destroyed) return;
        response
          .writeHead(429, { 'content-type': JSON_TYPE, 'x-amzn-errortype': 'ThrottlingException', 'retry-after': '30' })
          .end('{"__type":"ThrottlingException","message":"Rate exceeded"}');
      }, 150);
      return;
    case 'truncated':
      response.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': '400' });
      response.write('{"trailList":[{"Name":"ses-trail","TrailARN":"arn:aws:cloud', () => setTimeout(() => response.socket?.destroy(), 20));
      return;
    case 'stalled':
      response.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': '400' });
      response.write('{"EmailIdentities":[{"IdentityName":"');
      return;
    case 'cut-json':
      response.writeHead(200, { 'content-type': JSON_TYPE }).end('{"trailList":[{"Name":"ses-trail","TrailARN"');
      return;
  }
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const faults = new Map<string, FaultKind>();
  const faulted: string[] = [];
  const firstPages = new Map<string, { status: number; headers: http.IncomingHttpHeaders; body: string }>();
  const sockets = new Set<Socket>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const api = apiOf(request, body.toString('utf8'));
      const fault = api !== undefined ? faults.get(api) : undefined;
      if (fault === 'same-token' && (body.includes(SAME_TOKEN) || (request.url ?? '').includes(SAME_TOKEN))) {
        // The next page, asked with the token: the first page again (moto would refuse the token).
        faulted.push(api as string);
        const first = firstPages.get(api as string) as { status: number; headers: http.IncomingHttpHeaders; body: string };
        response.writeHead(first.status, first.headers).end(first.body);
        return;
      }
      if (fault && fault !== 'same-token') {
        faulted.push(api as string);
        answerFault(fault, response);
        return;
      }
      const forwarded = http.request(new URL(request.url ?? '/', upstream), { method: request.method, headers: request.headers }, (answer) => {
        if (fault === 'same-token') {
          faulted.push(api as string);
          // CloudWatch Logs spells the token nextToken; the other services the scan pages through, NextToken.
          const field = String(request.headers['x-amz-target'] ?? '').startsWith('Logs_') ? 'nextToken' : 'NextToken';
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const first = {
              status: answer.statusCode ?? 502,
              headers: answer.headers,
              body: JSON.stringify({ ...(JSON.parse(Buffer.concat(parts).toString('utf8')) as object), [field]: SAME_TOKEN }),
            };
            first.headers = { ...answer.headers, 'content-length': String(Buffer.byteLength(first.body)) };
            firstPages.set(api as string, first);
            response.writeHead(first.status, first.headers).end(first.body);
          });
          return;
        }
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      forwarded.on('error', () => response.destroy());
      forwarded.end(body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    faults,
    faulted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
